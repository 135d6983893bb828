"""A command-center window in its own process, driven like a duty officer would, then killed with SIGKILL.

``python -m tests.ui.window_child LOG PLANT START_ISO``: opens LOG on PLANT, opens an incident on a clock that
starts at START_ISO, computes an H2S release at the first hazard source, plans the evacuation around it,
launches the H2S plan at L2 from the plans dock, prints one JSON line with what the screen shows (level,
task board, zone areas, assembly point loads), and kills itself before any orderly shutdown.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import sys

from commandcenter.runtime import ManualClock
from commandcenter.ui.app import application, wait_until
from commandcenter.ui.hazard_dialog import HazardRequest
from commandcenter.ui.main_window import MainWindow
from gis.loader import load_plant


def screen(win: MainWindow) -> dict:
    """What a person sees: the level, every task row, the zones' areas and the assembly point loads."""
    board = win.task_panel.rows()
    zones = {lv: round(p.area, 1) for lv, p in win.hazard_tool.layer.zone_polygons.items()}
    view = win.route_tool.layer.view
    return {"label": win.incident_label.text(), "board": board, "zones": zones,
            "loads": dict(sorted(view.load_by_ap.items())) if view is not None else {}}


def main() -> None:
    log, plant_path, start = sys.argv[1], sys.argv[2], dt.datetime.fromisoformat(sys.argv[3])
    app = application()
    win = MainWindow()
    win.resize(1200, 800)
    win.set_plant(load_plant(plant_path))
    win.show()
    clock = ManualClock(start)
    win.session.open_log(log, resume=False)
    win.session.new_incident("H2S release at the first tank", exercise=True, clock=clock)
    win.session.timer.stop()
    src = str(win.plant.layers["hazard_sources"].index[0])
    win.hazard_tool.compute(HazardRequest(source_id=src, substance="H2S", rate_kg_s=2.0, duration_s=None,
                                          wind_speed=3.0, wind_from_deg=270.0, stability="D", terrain="rural"))
    assert wait_until(lambda: win.session.state["hazard"]["current"] is not None, 60_000), "no assessment"
    clock.advance(30)
    win.route_tool.plan_around_zones()
    assert wait_until(lambda: win.session.state["hazard"]["evacuation"] is not None, 120_000), "no plan"
    clock.advance(30)
    win.plan_panel.launch("h2s-release", "L2")
    app.processEvents()
    assert wait_until(lambda: len(win.task_panel.rows()) > 0, 10_000), "no tasks"
    print(json.dumps(screen(win), ensure_ascii=False), flush=True)
    os.kill(os.getpid(), signal.SIGKILL)


if __name__ == "__main__":
    main()
