"""Plan engine: launching a 40-task plan against a 300-person roster — target median under 100 ms.

Also reported (no target): validating the bundled library, and the escalation sweep when nobody
acknowledges anything (the clock advanced past every deadline).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

from bench.common import Figure, median_ms, time_repeated

REPO = Path(__file__).resolve().parent.parent
ROLES = ["control_room_operator", "operator", "firefighter", "security_guard", "medic", "electrician",
         "instrument_technician", "shift_supervisor"]
QUALS = [[], ["scba"], ["gas_testing"], ["first_aid"], ["scba", "gas_testing"]]


def synthetic_plan(n_tasks: int = 40):
    """A valid plan with ``n_tasks`` tasks over L1–L4 (chained dependencies, mixed roles and qualifications)."""
    from plans.model import Evacuation, LevelSpec, Plan, Task, Text

    tasks = []
    for i in range(n_tasks):
        level = f"L{1 + 4 * i // n_tasks}"
        deps = (f"t{i - 1:02d}",) if i % 4 else ()
        tasks.append(Task(f"t{i:02d}", Text(f"任务{i}", f"Task {i}"), ROLES[i % len(ROLES)], level, 60.0 + 30 * i,
                          alternates=("shift_supervisor",), depends_on=deps,
                          qualifications=tuple(QUALS[i % len(QUALS)])))
    levels = {lv: LevelSpec(lv, ("shift_supervisor",), ("control_room_operator", "operator"), Evacuation("zone"), (),
                            Text("级别", "level")) for lv in ("L1", "L2", "L3", "L4")}
    return Plan("bench-40", 1, Text("基准预案", "Benchmark plan"), "special", "toxic_release", "bench",
                Text("基准", "bench"), (), (), levels, tuple(tasks), (), (), Text("{place}", "{place}"), ())


def run(repeat: int = 50) -> list[Figure]:
    """Median launch time (40 tasks at L4, 300 people), library validation and escalation sweep."""
    from gis.loader import load_plant
    from plans.engine import PlanEngine
    from plans.library import load_library
    from plans.roster import Roster
    from plans.shifts import ShiftCalendar

    plant = load_plant(REPO / "data" / "demo_plant")
    roster_full = Roster.from_plant(plant)
    keep = np.arange(300)
    plan = synthetic_plan(40)
    cal = ShiftCalendar(plant.timezone)
    t0 = dt.datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo(plant.timezone))

    def roster300() -> Roster:
        r = roster_full
        return Roster(r.ids[keep], r.names[keep], r.roles[keep], r.quals[keep], r.shifts[keep], r.home_xy[keep].copy(),
                      r.xy[keep].copy())

    engines: list[PlanEngine] = [PlanEngine([plan], roster300(), cal) for _ in range(repeat + 2)]
    it = iter(engines)
    counts: list[int] = []

    def launch() -> None:
        ev = next(it).launch("bench-40", "L4", t0, origin_xy=(669800.0, 3569600.0))
        counts.append(sum(e.type == "task.assigned" for e in ev))

    med = median_ms(time_repeated(launch, repeat, warmup=1))
    lib_ms = median_ms(time_repeated(lambda: load_library(REPO / "data" / "plans"), 5, warmup=1))

    sweep_engines = [PlanEngine([plan], roster300(), cal) for _ in range(6)]
    for e in sweep_engines:
        e.launch("bench-40", "L4", t0, origin_xy=(669800.0, 3569600.0))
    sit = iter(sweep_engines)
    sweep = median_ms(time_repeated(lambda: next(sit).advance(t0 + dt.timedelta(hours=1)), 5, warmup=1))
    return [
        Figure("launch 40-task plan at L4, 300-person roster (median)", med, "ms", target="< 100 ms", ok=med < 100.0,
               note=f"{counts[-1]} tasks assigned incl. command"),
        Figure("validate the plan library (median)", lib_ms, "ms",
               note=f"{len(list((REPO / 'data' / 'plans').glob('*.yaml')))} files"),
        Figure("escalation sweep, 41 unacknowledged tasks, +1 h (median)", sweep, "ms"),
    ]
