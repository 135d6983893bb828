"""The whole flow on one screen, against a real field server on 127.0.0.1 and simulated field devices: an H2S
alarm arrives from a gas detector, the proposed plan is launched with one click and the confirmation, the
devices acknowledge their orders, the people walk to their assembly points and check in, and the muster
board counts down to zero unaccounted. It runs in English and in Chinese, and saves a screenshot of each panel
and of the map with the zones, the routes and the people (``CC_SCREENSHOT_DIR`` names a folder to keep them,
e.g. docs/img; one sub-folder per language)."""

from __future__ import annotations

import datetime as dt
import math
import os
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import shapely
from PySide6.QtCore import QCoreApplication, Qt

from commandcenter.runtime.clock import DrillClock
from commandcenter.ui.hazard_dialog import HazardRequest
from commandcenter.ui.main_window import MainWindow
from tests.comms.helpers import make_keys
from vocabulary.events import Draft

pytestmark = pytest.mark.slow  # a field server, 200 simulated phones and a detector: about a minute

SENSORS = ("GD-001", "GD-002")


def _shots(tmp_path: Path, lang: str) -> Path:
    out = Path(os.environ.get("CC_SCREENSHOT_DIR") or tmp_path / "shots") / lang
    out.mkdir(parents=True, exist_ok=True)
    return out


def _tr(context: str, source: str) -> str:
    return QCoreApplication.translate(context, source)


@pytest.fixture(params=["en", "zh"])
def lang(request, qapp):
    """The UI language of the run (installed for the test, English again afterwards)."""
    from commandcenter.ui import translations

    translations.install_translations(qapp, "zh_CN" if request.param == "zh" else "en")
    yield request.param
    translations.remove_translations(qapp)


def _wait(qtbot, session, cond, timeout_ms: int, what: str, extra=None) -> None:
    """``qtbot.waitUntil``; on a timeout, say what the log holds (event counts) and what was awaited."""
    try:
        qtbot.waitUntil(lambda: bool(cond()), timeout=timeout_ms)
    except Exception as exc:
        from collections import Counter

        counts = Counter(e.type for e in session.store.events(session.runtime.incident_id))
        st = session.state
        raise AssertionError(f"timed out waiting for {what}; the log holds {dict(counts)}; the window folded "
                             f"{st['seq']} events, {len(st['muster']['mustered'])} mustered"
                             + (f"; {extra()}" if extra else "")) from exc


def _save(widget, folder: Path, name: str) -> Path:
    path = folder / f"{name}.png"
    assert widget.grab().save(str(path), "PNG"), path
    return path


@pytest.fixture
def field(tmp_path, demo_plant, lang):
    """A window on a fresh exercise incident, every phone of the population and a detector gateway enrolled in
    it, a FieldService on 127.0.0.1 and a Simulator of those devices."""
    from PySide6.QtWidgets import QApplication

    from commandcenter.services.field.geo import PlantGeo
    from commandcenter.services.field_service import FieldConfig, FieldService
    from commandcenter.ui.fonts import ensure_cjk_font
    from comms.server import ServerConfig
    from comms.simulator import DeviceProfile, SimConfig, Simulator

    ensure_cjk_font(QApplication.instance())  # the exercise mark 【演练】 in the orders' text
    win = MainWindow()
    win.resize(1600, 1000)
    win.set_plant(demo_plant)
    win.show()
    db = tmp_path / "incidents.db"
    win.session.open_log(db, resume=False)
    # the drill runs at 10:00 plant time whenever the test runs: the plan assigns its tasks by the shift
    # calendar, and the phones enrolled below are the day population's (at night the on-shift responders
    # would be others, with no phone in this drill)
    day = dt.datetime.now(ZoneInfo(demo_plant.timezone)).replace(hour=10, minute=0, second=0, microsecond=0)
    clock = DrillClock(day, 1.0)
    clock.begin()
    win.session.new_incident("H2S drill — unit 100 acid gas", exercise=True, clock=clock)
    win.session.timer.setInterval(100)  # follow the field server's writes quickly (1 s in the control room)
    roster = demo_plant.personnel
    pop = demo_plant.population
    phones = {str(roster.at[p, "device_id"]): str(p) for p in pop["id"]
              if isinstance(roster.at[p, "device_id"], str) and roster.at[p, "device_id"]}
    keys = make_keys(tmp_path / "keys", [])
    for d in phones:
        keys.new_device(d)
    keys.new_device("GDW-U100", "detector")
    win.session.submit([Draft("device.enrolled", win.session.now(), {"device_id": d, "person_id": p, "kind": "phone"})
                        for d, p in phones.items()]
                       + [Draft("device.enrolled", win.session.now(), {"device_id": "GDW-U100", "kind": "detector"})])
    store = win.session.store
    server = ServerConfig(heartbeat_s=1.0, retry_base_s=0.3, retry_max_s=2.0, position_min_interval_s=0.0)
    svc = FieldService(store, keys, "tcp://127.0.0.1:0", plant=demo_plant,
                       config=FieldConfig(server=server, follow_s=0.1, scan_s=0.3), clock=clock,
                       evidence_dir=tmp_path / "evidence").start()
    geo = PlantGeo(demo_plant)
    xy = pop.set_index(pop["id"].astype(str))[["x", "y"]]
    profiles = []
    for d, p in phones.items():
        lon, lat = geo.to_wgs84(float(xy.at[p, "x"]), float(xy.at[p, "y"]))
        profiles.append(DeviceProfile(d, person_id=p, lon=float(lon), lat=float(lat)))
    profiles.append(DeviceProfile("GDW-U100", kind="detector", sensors=[
        {"sensor_id": s, "unit": "ppm", "base": 1.5, "alarm": 20.0} for s in SENSORS]))
    sim = Simulator(profiles, {d: keys.device_keys(d) for d in [*phones, "GDW-U100"]},
                    SimConfig(svc.endpoint, keys.server_public(), position_s=2.0, reading_s=0.5, task_s=0.5,
                              walk_speed_mps=40.0, heartbeat_s=1.0)).start(timeout=120)
    try:
        yield win, svc, sim, phones
    finally:
        sim.stop()
        svc.stop()
        win.session.shutdown()
        win.close()
        win.deleteLater()


def test_from_an_h2s_alarm_to_zero_unaccounted(field, qtbot, tmp_path, demo_plant, lang):
    win, _svc, sim, _phones = field
    shots = _shots(tmp_path, lang)
    session = win.session

    # 1. an H2S alarm arrives: the detector gateway reads over the alarm level at two detectors of unit 100
    for s in SENSORS:
        sim.raise_gas("GDW-U100", s)
    alarm_panel = win.alarm_panel

    def formal_alarm() -> dict | None:
        st = session.state
        live = [a for a in st["alarms"]["alarms"].values() if a["formal"] and sorted(a["sensors"]) == list(SENSORS)]
        return live[0] if live else None

    try:
        qtbot.waitUntil(lambda: formal_alarm() is not None, timeout=60_000)
    except Exception:
        print({k: (v["state"], v["sensors"]) for k, v in session.state["alarms"]["alarms"].items()},
              session.state["incident"]["alarms"])
        raise
    qtbot.waitUntil(lambda: alarm_panel.table.rowCount() >= 1 and "GD-00" in alarm_panel.table.item(0, 2).text(),
                    timeout=10_000)
    assert alarm_panel.acknowledge_selected()
    new = _tr("AlarmPanel", "NEW")
    _wait(qtbot, session, lambda: new not in alarm_panel.table.item(alarm_panel.table.rowCount() - 1, 3).text(),
          10_000, "the acknowledgement on the Alarms panel")
    _save(win.alarm_dock, shots, "panel-alarms")
    for s in SENSORS:  # the detectors read back below (so the plan's own auto-launch trigger does not race us)
        sim.raise_gas("GDW-U100", s, high=False)

    # the hazard zones of the release at the drum, and routes around them, computed in the service pool
    src = "HZ-101"
    win.hazard_tool.compute(HazardRequest(source_id=src, substance="H2S", rate_kg_s=1.5, duration_s=None,
                                          wind_speed=2.5, wind_from_deg=225.0, stability="D", terrain="rural"))
    qtbot.waitUntil(lambda: session.state["hazard"]["current"] is not None, timeout=120_000)
    win.route_tool.plan_around_zones()
    qtbot.waitUntil(lambda: session.state["hazard"]["evacuation"] is not None, timeout=180_000)
    win.map_view.fit_plant()
    qtbot.waitUntil(lambda: win.map_view.has_rendered)
    _save(win.map_view, shots, "map-zones-routes-people")
    resources = win.resources_panel
    with qtbot.waitSignal(resources.refreshed, timeout=60_000):
        win.resources_dock.show()
        win.resources_dock.raise_()
    qtbot.waitUntil(lambda: resources.table.rowCount() > 0, timeout=30_000)
    _save(win.resources_dock, shots, "panel-resources")

    # 2. the proposed plan, launched with one click and the confirmation
    plan = win.plan_panel
    qtbot.waitUntil(lambda: plan.proposed() is not None and plan.launch_button.isEnabled(), timeout=10_000)
    proposed = plan.proposed()
    assert proposed.plan_id == "h2s-release"
    win.launch_action.trigger()  # Ctrl+L: the confirmation
    box = plan.confirm_box
    assert box is not None
    pv = plan.last_preview
    assert pv.level == proposed.level
    assert _tr("PlanPanel", "<b>{people} people on {devices} field devices will be ordered.</b>").format(
        people=pv.people, devices=len(pv.devices)) in box.text()
    _save(win.plan_dock, shots, "panel-plan")
    _save(box, shots, "launch-confirmation")
    with qtbot.waitSignal(plan.launched, timeout=30_000):
        qtbot.mouseClick(box.launch_button, Qt.MouseButton.LeftButton)
    st = session.state
    assert st["incident"]["level"] == proposed.level
    win.task_dock.raise_()
    qtbot.waitUntil(lambda: len(win.task_panel.rows()) >= 3, timeout=10_000)
    _save(win.task_dock, shots, "panel-tasks")
    ordered = set(st["muster"]["ordered"])
    assert ordered, "the launch ordered nobody out"
    # who is ordered out: by hand, everyone inside the launched level's scope around the alarm
    launched = next(e for e in session.store.events(session.runtime.incident_id) if e.type == "plan.launched")
    scope = launched.payload["evacuation"]
    a = formal_alarm()
    pop = demo_plant.population
    if scope["scope"] == "radius":
        inside = {str(p) for p, x, y in zip(pop["id"], pop["x"], pop["y"], strict=True)
                  if math.hypot(x - a["x"], y - a["y"]) <= scope["radius_m"]}
    else:
        zone = next(g for g in demo_plant.layers["zones"].geometry if g.contains(shapely.Point(a["x"], a["y"])))
        inside = {str(p) for p, x, y in zip(pop["id"], pop["x"], pop["y"], strict=True)
                  if zone.contains(shapely.Point(x, y))}
    assert ordered == inside

    # 3. the devices acknowledge: every task order reaches its assignee's phone and is acknowledged
    def task_orders() -> list[dict]:
        return [c for c in session.state["comms"]["commands"].values() if c["kind"] == "task"]

    qtbot.waitUntil(lambda: bool(task_orders()) and all(
        c["devices"] and all(s in ("acked", "done") for s in c["devices"].values()) for c in task_orders()),
        timeout=60_000)
    win.comms_dock.raise_()
    none_waiting = _tr("CommsPanel", "{n} orders sent · {w} acknowledgements outstanding · {on} of {d} devices "
                                     "online · {k} notices").split("·")[1].strip().format(w=0)
    _wait(qtbot, session, lambda: win.comms_panel.table.rowCount() >= len(task_orders())
          and none_waiting in win.comms_panel.summary.text(), 60_000,
          "every order acknowledged on the Comms panel")
    _save(win.comms_dock, shots, "panel-comms")
    win.task_dock.raise_()
    _wait(qtbot, session, lambda: any(r[3] in ("done", "已完成") for r in win.task_panel.rows()), 60_000,
          "a task done")
    _save(win.task_dock, shots, "panel-tasks-later")

    # 4. people walk to their assembly points and check in: the board counts down
    muster = win.muster_panel
    _wait(qtbot, session, lambda: muster.board is not None and muster.board.ordered == len(ordered)
          and muster.unaccounted_count() < len(ordered), 60_000, "the first check-in")
    _save(win, shots, "window-evacuating")
    counts = [muster.unaccounted_count()]

    def settled() -> bool:
        counts.append(muster.unaccounted_count())
        return counts[-1] == 0

    _wait(qtbot, session, settled, 90_000, "zero unaccounted",
          lambda: f"unaccounted {[(u.person_id, u.role, u.age_s, u.zone) for u in muster.board.unaccounted]}")
    assert counts == sorted(counts, reverse=True)  # it only ever counted down
    mustered = session.state["muster"]["mustered"]
    responders = set(muster.board.responders)
    assert set(mustered) | responders >= ordered  # everyone ordered out is in, or on a task
    assert all(m["method"] != "roll_call" for m in mustered.values())  # by their phones, nobody by hand
    assert muster.count_label.text().startswith("0")
    _save(win.muster_dock, shots, "panel-muster")
    win.timeline_dock.raise_()
    qtbot.waitUntil(lambda: win.timeline_panel.table.rowCount() > 20, timeout=10_000)
    _save(win.timeline_dock, shots, "panel-timeline")
    _save(win.map_view, shots, "map-live")
    _save(win, shots, "window-mustered")
