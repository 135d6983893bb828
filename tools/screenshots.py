"""The documentation's screenshots: a live H2S incident on the demo plant, driven through the runtime.

``python -m tools.screenshots --out docs/img [--lang zh|en]`` opens the demo plant in the real main window
(offscreen), opens a fresh exercise incident in a temporary log on a manual clock that starts at 03:12 plant
time, and plays the incident exactly as production records it — every step a draft submitted through the
window's session, nothing painted into a widget:

1. the detector gateway of unit 100 reports H2S readings (``sensor.reading``/``sensor.alarm``/``alarm.raised``
   as the field service's ingest records them); the graded-alarm rules raise the warn alarm and its check,
   a second detector agrees, the console acknowledges (Ctrl+K);
2. the weather station's observation, the hazard assessment of a 1.5 kg/s release at drum V-101 from the
   dispersion model (``hazard.assessed`` with its red/orange/yellow zones) and the evacuation routes around it
   (``evacuation.planned``);
3. the proposed plan launched at its level through the confirmation (Ctrl+L, then *Launch*); the orders the
   field service derives from it (``command.sent``), delivered and acknowledged by the phones — all but one;
4. people walking their routes (``position.reported``, status ``evacuating``) and checking in
   (``person.mustered`` by device), a roll call and a walk-up; some still unaccounted for, one whose phone
   went silent; the deadlines fall due (an overdue task).

Then it grabs the whole window, the map zoomed on the zones, the muster board, the tasks, the alarms and the
launch confirmation; plays on to the all-clear (everyone in, level lowered, alarm cleared, incident closed);
and grabs the replay window at the moment of the first check-ins. PNGs are palette-quantised (Pillow) to stay
small. Files: ``window_<lang>.png``, ``map_<lang>.png``, ``muster_<lang>.png``, ``tasks_<lang>.png``,
``alarms_<lang>.png``, ``launch_<lang>.png``, ``replay_<lang>.png``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEMO_PLANT = ROOT / "data" / "demo_plant"
SHOTS = ("window", "map", "muster", "tasks", "alarms", "launch", "replay")
WINDOW_SIZE = (1600, 1000)
#: the fixed size of each panel's picture (the dock is floated at this size for its shot)
PANEL_SIZE = (760, 520)
MAP_SIZE = (1000, 700)
QWIDGETSIZE_MAX = (1 << 24) - 1
REPLAY_SIZE = (1600, 1200)  # the replay window's docks need 1,200 px of height
#: 03:12 on a winter night, plant time (China Standard Time)
T0 = dt.datetime(2026, 11, 30, 3, 12, tzinfo=dt.timezone(dt.timedelta(hours=8)))
SOURCE = "HZ-101"
DETECTORS = ("GD-001", "GD-002")
GATEWAY = "GDW-U100"
RELEASE_KG_S = 0.5
WIND = (2.5, 270.0)  # m/s, from the west: the plume runs east across unit 100
TITLES = {"zh": "硫化氢泄漏演练 — 100单元酸性气分液罐V-101", "en": "H2S drill — unit 100 acid gas drum V-101"}
#: the phones that never acknowledge and that go silent (their holder stays unaccounted for)
SILENT_FRACTION = 0.04


def shot_names(lang: str) -> list[str]:
    """The file names one language produces, in the order they are taken."""
    return [f"{name}_{lang}.png" for name in SHOTS]


@dataclass
class Walkers:
    """The people ordered out and their routes: where each starts, the route polyline and when they start."""

    ids: list[str]
    lines: list[Any]  # shapely LineStrings (plant metres), one per person
    ap: list[str]
    speed_mps: list[float]
    start_s: list[float]
    silent: set[str] = field(default_factory=set)
    mustered: set[str] = field(default_factory=set)


def _pump(ms: int = 30) -> None:
    from commandcenter.ui.app import wait_until

    wait_until(lambda: False, timeout_ms=ms, step_ms=10)


def _until(predicate: Callable[[], bool], what: str, timeout_ms: int = 30_000) -> None:
    from commandcenter.ui.app import wait_until

    if not wait_until(predicate, timeout_ms=timeout_ms):
        raise RuntimeError(f"screenshots: timed out waiting for {what}")


class Incident:
    """One scripted live incident in a window: the clock, the drafts it records, and the field devices."""

    def __init__(self, window: Any, plant: Any, lang: str, db: Path):
        from commandcenter.runtime import ManualClock
        from commandcenter.services.field.geo import PlantGeo

        self.win, self.plant, self.lang = window, plant, lang
        self.session = window.session
        self.refusals: list[str] = []
        self.session.refused.connect(self.refusals.append)
        self.geo = PlantGeo(plant)
        self.clock = ManualClock(T0)
        self.session.open_log(db, resume=False)
        self.session.new_incident(TITLES[lang], exercise=True, clock=self.clock)
        self.session.timer.stop()  # the script moves the clock and ticks (the timer would tick on wall time)
        self.active: dict[str, str] = {}
        roster = plant.personnel
        self.phones: dict[str, str] = {}
        for pid, dev in zip(roster.index.astype(str), roster["device_id"], strict=True):
            if isinstance(dev, str) and dev:
                self.phones[pid] = dev  # every phone of the roster is enrolled, on site or not
        self.walkers: Walkers | None = None
        self.assessment: dict[str, Any] | None = None
        self.submit([self.draft("device.enrolled", {"device_id": d, "person_id": p, "kind": "phone"})
                     for p, d in self.phones.items()]
                    + [self.draft("device.enrolled", {"device_id": GATEWAY, "kind": "detector"})])

    # ------------------------------------------------------------------ recording
    def draft(self, event_type: str, payload: dict[str, Any]) -> Any:
        from vocabulary.events import Draft

        return Draft(event_type, self.clock.now(), payload)

    def submit(self, drafts: Iterable[Any]) -> list:
        drafts = list(drafts)
        events = self.session.submit(drafts) if drafts else []
        if drafts and not events:
            why = self.refusals[-1] if self.refusals else "no reason given"
            raise RuntimeError(f"screenshots: the runtime refused {drafts[0].type}: {why}")
        _pump(10)
        return events

    def at(self, t_s: float) -> None:
        """Move the incident clock to T0 + ``t_s`` and record what fell due (deadlines, graded alarms)."""
        self.clock.advance_to(t_s)
        self.session.heartbeat()
        _pump(10)

    @property
    def state(self) -> dict[str, Any]:
        return self.session.state

    # ------------------------------------------------------------------ the field, as the field service records it
    def reading(self, sensor_id: str, value: float) -> list:
        """One detector reading from the gateway, with the ``sensor.alarm`` (and, at the alarm level, the
        ``alarm.raised``) the field service's ingest adds when it crosses the sensor's warn/alarm level."""
        s = self.geo.sensors[sensor_id]
        p: dict[str, Any] = {"sensor_id": sensor_id, "value": float(value), "unit": s.unit, "device_id": GATEWAY,
                             "kind": s.kind, "x": s.x, "y": s.y}
        if s.substance:
            p["substance"] = s.substance
        drafts = [self.draft("sensor.reading", p)]
        level = "alarm" if s.alarm is not None and value >= s.alarm else (
            "warn" if s.warn is not None and value >= s.warn else "clear")
        common = {k: p[k] for k in ("value", "unit", "substance", "kind") if k in p}
        active = self.active.get(sensor_id)
        if level == "clear":
            if active is not None:
                del self.active[sensor_id]
                drafts.append(self.draft("sensor.alarm", {"sensor_id": sensor_id, "level": "clear", **common}))
        elif active not in ("alarm", level):
            self.active[sensor_id] = level
            drafts.append(self.draft("sensor.alarm", {"sensor_id": sensor_id, "level": level, **common}))
            if level == "alarm":
                ms = int(self.clock.elapsed_s * 1000)
                drafts.append(self.draft("alarm.raised", {
                    "alarm_id": f"ALM-{sensor_id}-{ms}", "kind": s.kind, "level": "alarm", "sensor_id": sensor_id,
                    "x": s.x, "y": s.y, "device_id": GATEWAY, "by": "field", **common}))
        return self.submit(drafts)

    def orders_since(self, seq: int) -> list:
        """The commands the field service derives from what was recorded after ``seq`` (tasks, evacuation
        orders, new routes), as it does after each batch it reads from the log."""
        from commandcenter.services.field.orders import plan_orders

        rt = self.session.runtime
        events = list(rt.store.events(rt.incident_id, after_seq=seq))
        return self.submit(plan_orders(events, rt.state, rt.incident_id, rt.exercise, rt.now(), self.geo))

    def deliver_and_acknowledge(self, skip: set[str]) -> None:
        """Every device of every open command receives it and acknowledges it, but for the commands in ``skip``
        (never acknowledged). A task order's acknowledgement acknowledges the task, as the field service
        records it."""
        by_device = {d: p for p, d in self.phones.items()}
        delivered, acked = [], []
        for cid, c in self.state["comms"]["commands"].items():
            for dev, st in (c.get("devices") or {}).items():
                if st != "pending":
                    continue
                delivered.append(self.draft("command.delivered", {"command_id": cid, "device_id": dev, "attempt": 1}))
                if cid in skip:
                    continue
                person = by_device.get(dev)
                acked.append(self.draft("command.acknowledged", {
                    "command_id": cid, "device_id": dev, **({"person_id": person} if person else {})}))
                task = self.state["tasks"]["tasks"].get(c.get("task_id") or "")
                if c["kind"] == "task" and task and person and task["status"] in ("assigned", "unassigned"):
                    acked.append(self.draft("task.acknowledged", {"task_id": c["task_id"], "person_id": person}))
        self.submit(delivered)
        self.submit(acked)

    def task_orders(self) -> dict[str, tuple[str, str]]:
        """task id → (command id, device) of the task orders sent to a phone."""
        out = {}
        for cid, c in self.state["comms"]["commands"].items():
            if c["kind"] == "task" and c.get("task_id") and c.get("devices"):
                out[c["task_id"]] = (cid, sorted(c["devices"])[0])
        return out

    def check_tasks(self) -> list[str]:
        """The open checks the graded-alarm rules asked of the posts."""
        return [a["check_task"] for a in self.state["alarms"]["alarms"].values() if a.get("check_task")]

    def report_done(self, stuck: str | None, lead_s: float = 30.0, only: set[str] | None = None) -> None:
        """Crews report their tasks (of ``only``, default all) done (``command.done`` and ``task.done`` from the
        phone) shortly before the deadline; the ``stuck`` task never is."""
        now_us = self.clock.now().timestamp() * 1e6
        orders = self.task_orders()
        drafts = []
        for tid, t in self.state["tasks"]["tasks"].items():
            if tid == stuck or (only is not None and tid not in only):
                continue
            if t["status"] not in ("acknowledged", "started") or not t.get("deadline_s"):
                continue
            due_us = t["steps"]["assigned"] + float(t["deadline_s"]) * 1e6
            if due_us - lead_s * 1e6 > now_us or tid not in orders:
                continue
            cid, dev = orders[tid]
            drafts.append(self.draft("command.done", {"command_id": cid, "device_id": dev}))
            drafts.append(self.draft("task.done", {"task_id": tid, "person_id": t.get("by") or t.get("to") or "",
                                                   "by": dev}))
        self.submit(drafts)

    # ------------------------------------------------------------------ the console
    def assess(self) -> dict[str, Any]:
        """The weather station's observation and the dispersion model's zones for the release at V-101."""
        from commandcenter.services.assessment import assess_equipment, assessed_draft
        from gis.hazards.weather import WeatherInput, resolve_weather

        speed, wfrom = WIND
        self.submit([self.draft("weather.observed", {"wind_speed_mps": speed, "wind_from_deg": wfrom,
                                                     "station_id": "WS-1"})])
        src = self.plant.layers["hazard_sources"].geometry[SOURCE]
        lon, lat = self.geo.to_wgs84(float(src.x), float(src.y))
        w = resolve_weather(WeatherInput(speed, wfrom, 8.0, self.clock.now()), float(lat), float(lon))
        a = assess_equipment(self.plant, SOURCE, w, rate_kg_s=RELEASE_KG_S, positions=self.session.positions())
        ev = self.submit([assessed_draft(a, self.clock.now(), by="window")])
        self.assessment = ev[0].payload
        return self.assessment

    def plan_routes(self) -> Any:
        """Evacuation routes for everyone around the recorded zones (``evacuation.planned``)."""
        from commandcenter.services.evacuation import evacuation_draft
        from commandcenter.services.zones import hazard_from_payload
        from commandcenter.ui.route_layer import plan_for_plant

        assert self.assessment is not None
        plan = plan_for_plant(self.plant, hazard_from_payload(self.assessment["zones"]), "shortest")
        self.submit([evacuation_draft(plan, self.clock.now(), assessment_id=self.assessment["assessment_id"],
                                      by="window")])
        self.plan = plan
        return plan

    def walkers_from_plan(self, t_s: float) -> Walkers:
        """The people the launch ordered out, each on their planned route (straight to the nearest assembly
        point when the plan has none), starting after their pre-movement time."""
        import numpy as np
        import shapely

        ordered = [str(p) for p in self.state["muster"]["ordered"]]
        plan = self.plan
        index = {str(p): i for i, p in enumerate(plan.people.ids)}
        pop = self.plant.population.set_index(self.plant.population["id"].astype(str))
        ap_ids = [str(i) for i in plan.net.site.aps.ids]
        ids, lines, ap, speed, start = [], [], [], [], []
        for pid in ordered:
            i = index.get(pid)
            k = int(plan.assignment.ap[i]) if i is not None else -1
            if i is None or k < 0:
                continue
            xy = np.asarray(plan.path_xy(i), dtype=float)
            xy = xy[np.isfinite(xy).all(axis=1)]
            if len(xy) < 2:
                continue
            ids.append(pid)
            lines.append(shapely.LineString(xy))
            ap.append(ap_ids[k])
            v = float(pop.at[pid, "speed_mps"]) if pid in pop.index else math.nan
            pre = float(pop.at[pid, "premovement_s"]) if pid in pop.index else math.nan
            speed.append(v if math.isfinite(v) and v > 0 else 1.2)
            start.append(t_s + (pre if math.isfinite(pre) and pre >= 0 else 60.0))
        if not ids:
            raise RuntimeError("screenshots: the launch ordered nobody with a route")
        n_silent = max(1, round(SILENT_FRACTION * len(ids)))
        longest = sorted(range(len(ids)), key=lambda j: -lines[j].length)[:n_silent]
        w = Walkers(ids, lines, ap, speed, start, silent={ids[j] for j in longest})
        self.walkers = w
        return w

    def walk(self, t_s: float, *, report_silent: bool) -> None:
        """Everyone ordered out reports where they are on their route at ``t_s``; who has arrived checks in at
        their assembly point by phone. The silent phones report only while ``report_silent``."""
        import numpy as np
        import shapely

        w = self.walkers
        assert w is not None
        moving = [j for j, pid in enumerate(w.ids) if pid not in w.mustered
                  and (report_silent or pid not in w.silent)]
        if not moving:
            return
        lines = np.array([w.lines[j] for j in moving], dtype=object)
        dist = np.array([max(0.0, t_s - w.start_s[j]) * w.speed_mps[j] for j in moving])
        length = shapely.length(lines)
        pts = shapely.line_interpolate_point(lines, np.minimum(dist, length))
        xs, ys = shapely.get_x(pts), shapely.get_y(pts)
        drafts, arrived = [], []
        for n, j in enumerate(moving):
            pid = w.ids[j]
            payload = {"person_id": pid, "x": round(float(xs[n]), 2), "y": round(float(ys[n]), 2),
                       "status": "evacuating"}
            if pid in self.phones:
                payload["device_id"] = self.phones[pid]
            drafts.append(self.draft("position.reported", payload))
            if dist[n] >= length[n] and pid not in w.silent:
                arrived.append(j)
        for j in arrived:
            pid = w.ids[j]
            w.mustered.add(pid)
            payload = {"person_id": pid, "assembly_point_id": w.ap[j], "method": "device"}
            if pid in self.phones:
                payload["device_id"] = self.phones[pid]
            drafts.append(self.draft("person.mustered", payload))
        self.submit(drafts)


def _quantised_save(pixmap: Any, path: Path, colours: int = 256) -> Path:
    """Save ``pixmap`` as a palette PNG (median-cut ``colours``, no dithering: flat UI colours stay flat)."""
    import io

    from PIL import Image
    from PySide6.QtCore import QBuffer, QIODevice

    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    if not pixmap.save(buf, "PNG"):
        raise RuntimeError(f"screenshots: cannot encode {path.name}")
    img = Image.open(io.BytesIO(bytes(buf.data()))).convert("RGB")
    img = img.quantize(colors=colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    img.save(path, "PNG", optimize=True)
    return path


def _grab_dock(dock: Any, path: Path, size: tuple[int, int] = PANEL_SIZE) -> Path:
    """A dock's picture at ``size``: floated for the shot and put back where it was."""
    was_floating = dock.isFloating()
    dock.raise_()
    dock.setFloating(True)
    dock.resize(*size)
    dock.show()
    _pump(80)
    try:
        return _quantised_save(dock.grab(), path)
    finally:
        dock.setFloating(was_floating)
        _pump(20)


def _zoom_on_zones(win: Any, state: dict[str, Any], margin: float = 0.6) -> None:
    """Zoom the map on the recorded red and orange zones (where people are at risk), with ``margin`` (a
    fraction of their extent) around them for the people walking out."""
    import shapely
    from PySide6.QtCore import QRectF

    from commandcenter.services.zones import hazard_from_payload

    hz = hazard_from_payload(state["hazard"]["current"]["zones"])
    near = [g for g, lv in zip(hz.polygons, hz.levels, strict=True) if lv in ("red", "orange")]
    minx, miny, maxx, maxy = shapely.union_all(near).bounds if near else win.plant.bounds
    d = max(maxx - minx, maxy - miny) * margin
    lx, ly = win.map_view.to_local(minx - d, miny - d)
    win.map_view.viewbox.setRange(QRectF(lx, ly, maxx - minx + 2 * d, maxy - miny + 2 * d), padding=0)
    _pump(150)


def play_and_capture(plant: Any, lang: str, out: Path, db: Path) -> list[Path]:
    """Play the incident in a new main window in ``lang`` and save the screenshots into ``out``."""
    from PySide6.QtWidgets import QApplication

    from commandcenter.ui.app import dispose
    from commandcenter.ui.main_window import MainWindow
    from commandcenter.ui.translations import install_translations

    install_translations(QApplication.instance(), "zh_CN" if lang == "zh" else "en")
    win = MainWindow()
    saved: list[Path] = []
    try:
        win.resize(*WINDOW_SIZE)
        win.set_plant(plant)
        win.show()
        _until(lambda: win.map_view.has_rendered, "the map's first paint")
        inc = Incident(win, plant, lang, db)

        # 1. the alarm: a first-level reading asks the post to check; a second detector agrees (formal alarm)
        inc.at(20)
        before = inc.session.runtime.seq
        inc.reading(DETECTORS[0], 13.5)
        _until(lambda: bool(inc.check_tasks()), "the check asked of the post")
        inc.orders_since(before)  # the check goes to the operator's phone
        inc.at(30)
        inc.deliver_and_acknowledge(set())
        inc.at(45)
        inc.reading(DETECTORS[1], 11.0)
        _until(lambda: any(a["formal"] for a in inc.state["alarms"]["alarms"].values()), "a formal alarm")
        inc.at(70)
        inc.reading(DETECTORS[0], 17.5)
        inc.reading(DETECTORS[1], 15.0)
        inc.at(95)
        while win.alarm_panel.acknowledge_selected():  # Ctrl+K, once per alarm waiting
            _pump(20)
        inc.at(105)
        inc.report_done(None, lead_s=1e9, only=set(inc.check_tasks()))  # the operator: leak seen at V-101

        # 2. weather, the hazard assessment and the routes around its zones
        inc.at(150)
        inc.assess()
        inc.at(210)
        inc.plan_routes()

        # 3. the proposed plan, launched through the confirmation
        inc.at(240)
        plan = win.plan_panel
        _until(lambda: plan.proposed() is not None and plan.launch_button.isEnabled(), "the proposed plan")
        # the duty officer raises the proposed level to what the assessment calls for (at least L2: two detectors
        # over the second level and people inside the orange zone)
        want = max(plan.proposed().level, str(inc.assessment.get("proposed_level") or "L1"), "L2")
        plan.level_combo.setCurrentIndex(max(0, plan.level_combo.findData(want)))
        win.launch_action.trigger()  # Ctrl+L
        box = plan.confirm_box
        if box is None:
            raise RuntimeError("screenshots: no launch confirmation")
        _pump(80)
        confirm = box.grab()
        launched: list = []
        plan.launched.connect(launched.extend)
        before = inc.session.runtime.seq
        box.launch_button.click()
        _until(lambda: bool(launched), "the launch")
        inc.orders_since(before)

        # orders reach the phones and are acknowledged, all but one task order: its task falls overdue
        w = inc.walkers_from_plan(240.0)
        orders = inc.task_orders()
        tasks = inc.state["tasks"]["tasks"]
        late = sorted((tid for tid in orders if 200 <= float(tasks[tid].get("deadline_s") or 0) <= 330),
                      key=lambda tid: -float(tasks[tid]["deadline_s"]))
        stuck = late[0] if late else (sorted(orders)[0] if orders else None)
        inc.at(255)
        inc.deliver_and_acknowledge({orders[stuck][0]} if stuck else set())

        # 4. people walk their routes and check in; a few phones go silent after the first minute
        for t in range(260, 561, 20):
            inc.at(t)
            inc.walk(t, report_silent=t <= 300)
            inc.report_done(stuck)
        # a roll call at the gate and a contractor's walk-up
        left = [p for p in w.ids if p not in w.mustered and p not in w.silent]
        if left:
            j = w.ids.index(left[0])
            w.mustered.add(left[0])
            inc.session.roll_call(left[0], w.ap[j])
        win.muster_panel.check_in("王建国" if lang == "zh" else "Wang Jianguo", "contractor",
                                  "江北检修公司" if lang == "zh" else "Jiangbei Maintenance Co.", w.ap[0])
        inc.at(600)
        _pump(200)

        # the shots mid-incident
        for dock in (win.task_dock, win.muster_dock, win.alarm_dock, win.plan_dock):
            dock.raise_()
        _pump(150)
        saved.append(_quantised_save(win.grab(), out / f"window_{lang}.png"))
        win.map_view.setFixedSize(*MAP_SIZE)  # the same picture in both languages (the docks' widths differ)
        _pump(100)
        _zoom_on_zones(win, inc.state)
        saved.append(_quantised_save(win.map_view.grab(), out / f"map_{lang}.png"))
        win.map_view.setMinimumSize(0, 0)
        win.map_view.setMaximumSize(QWIDGETSIZE_MAX, QWIDGETSIZE_MAX)
        win.map_view.fit_plant()
        saved.append(_grab_dock(win.muster_dock, out / f"muster_{lang}.png"))
        saved.append(_grab_dock(win.task_dock, out / f"tasks_{lang}.png"))
        saved.append(_grab_dock(win.alarm_dock, out / f"alarms_{lang}.png"))
        saved.append(_quantised_save(confirm, out / f"launch_{lang}.png"))

        # on to the all-clear: the rest walk in, the silent phones are found, the level comes down, closed
        for t in range(620, 901, 40):
            inc.at(t)
            inc.walk(t, report_silent=t >= 700)
        inc.at(900)
        rest = [p for p in w.ids if p not in w.mustered]
        inc.submit([inc.draft("person.mustered", {"person_id": p, "assembly_point_id": w.ap[w.ids.index(p)],
                                                  "method": "roll_call", "by": "window"}) for p in rest])
        w.mustered |= set(rest)
        inc.at(960)
        inc.session.change_level("L1", reason="all mustered, leak isolated")
        for a in inc.state["alarms"]["alarms"].values():
            if a["state"] != "cleared":
                inc.session.clear_alarm(a["id"], false_alarm=False)
        inc.at(1020)
        inc.session.record("incident.closed", {"reason": "all clear"})
        mid_t = T0 + dt.timedelta(seconds=440)
        db_path = inc.session.db
        inc.session.shutdown()
        saved.append(_replay_shot(plant, db_path, mid_t, out / f"replay_{lang}.png"))
    finally:
        dispose(win)
    return saved


def _replay_shot(plant: Any, db: str, t: dt.datetime, path: Path) -> Path:
    """The replay window on the closed incident, its cursor at ``t``."""
    from commandcenter.ui.app import dispose
    from commandcenter.ui.replay_window import ReplayWindow
    from vocabulary.events import to_us

    win = ReplayWindow(plant)
    try:
        win.resize(*REPLAY_SIZE)
        win.show()
        ready: list = []
        win.ready.connect(ready.append)
        win.open_replay(db)
        _until(lambda: bool(ready), "the replay", 60_000)
        win.session.seek(to_us(t))
        _pump(300)
        return _quantised_save(win.grab(), path)
    finally:
        dispose(win)


def main(argv: list[str] | None = None) -> int:
    """Write the screenshots of both languages (or ``--lang``) into ``--out``; returns the exit code."""
    ap = argparse.ArgumentParser(prog="python -m tools.screenshots", description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "img", help="folder for the PNGs")
    ap.add_argument("--lang", choices=("zh", "en"), help="one language (default: both)")
    ap.add_argument("--plant", type=Path, default=DEMO_PLANT, help="plant package (default: the demo plant)")
    ap.add_argument("--keep-log", type=Path, help="folder to keep the incident logs in (default: thrown away)")
    args = ap.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from commandcenter.ui.app import application
    from commandcenter.ui.translations import remove_translations
    from gis.loader import load_plant

    app = application()
    plant = load_plant(args.plant)
    args.out.mkdir(parents=True, exist_ok=True)
    try:
        with tempfile.TemporaryDirectory(prefix="cc-screenshots-") as tmp:
            logs = args.keep_log or Path(tmp)
            logs.mkdir(parents=True, exist_ok=True)
            for lang in (args.lang,) if args.lang else ("zh", "en"):
                db = logs / f"incident-{lang}.db"
                db.unlink(missing_ok=True)
                for p in play_and_capture(plant, lang, args.out, db):
                    print(f"{p}  {p.stat().st_size // 1024} KB")
    finally:
        remove_translations(app)
    return 0


if __name__ == "__main__":
    sys.exit(main())
