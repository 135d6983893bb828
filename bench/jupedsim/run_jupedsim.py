"""Run one geometry in JuPedSim and print the result as JSON (runs in the JuPedSim environment only).

Usage: ``.venv-jupedsim/bin/python bench/jupedsim/run_jupedsim.py SPEC.json MODEL`` where SPEC.json holds
``area`` (WKT of the walkable area), ``exits`` (WKT polygons of the exit stages), ``agents`` (rows
``[x, y, desired_speed, exit_index]``) and ``max_time_s``; MODEL is one of :data:`MODELS`. Prints
``{"model", "evacuation_time_s", "exit_times_s", "remaining", "error", "jammed_at_s", "wall_s",
"iterations"}``: ``wall_s`` covers building the simulation and iterating, not Python's start-up or the
import. A run where nobody leaves for :data:`JAM_S` simulated seconds while agents remain is stopped
and reported jammed (``jammed_at_s``: the last exit before the jam).

Only the standard library, numpy, shapely and jupedsim are imported: this file does not see the
application's packages (it runs in its own virtual environment, see setup_env.sh).
"""

from __future__ import annotations

import json
import sys
import time

import jupedsim as jps
import shapely

DT = 0.01  # s, JuPedSim's recommended step
JAM_S = 60.0  # s without anyone leaving: a deadlock, not a slow queue (a 1 m door passes ~1 person/s)
MODELS = {
    "CollisionFreeSpeedModel": (jps.CollisionFreeSpeedModel, jps.CollisionFreeSpeedModelAgentParameters),
    "AnticipationVelocityModel": (jps.AnticipationVelocityModel, jps.AnticipationVelocityModelAgentParameters),
    "GeneralizedCentrifugalForceModel": (jps.GeneralizedCentrifugalForceModel,
                                         jps.GeneralizedCentrifugalForceModelAgentParameters),
    "SocialForceModel": (jps.SocialForceModel, jps.SocialForceModelAgentParameters),
}


def run(spec: dict, model_name: str) -> dict:
    """Simulate ``spec`` with JuPedSim's ``model_name`` (its default parameters) until everyone has left or
    ``max_time_s``; returns the result dict described in the module docstring."""
    model_cls, agent_cls = MODELS[model_name]
    t0 = time.perf_counter()
    out = {"model": model_name, "jupedsim": jps.__version__, "evacuation_time_s": None, "exit_times_s": [],
           "remaining": None, "error": None, "jammed_at_s": None, "iterations": 0}
    sim = None
    try:
        sim = jps.Simulation(model=model_cls(), geometry=shapely.from_wkt(spec["area"]), dt=DT)
        stages = [sim.add_exit_stage(shapely.from_wkt(w)) for w in spec["exits"]]
        journeys = [sim.add_journey(jps.JourneyDescription([s])) for s in stages]
        for x, y, v, k in spec["agents"]:
            k = int(k)
            sim.add_agent(agent_cls(position=(float(x), float(y)), desired_speed=float(v),
                                    journey_id=journeys[k], stage_id=stages[k]))
        exit_times = []
        max_it = int(spec["max_time_s"] / DT)
        last_exit = 0.0
        while sim.agent_count() > 0 and sim.iteration_count() < max_it:
            sim.iterate()
            gone = sim.removed_agents()
            if gone:
                last_exit = sim.elapsed_time()
                exit_times += [last_exit] * len(gone)
            elif sim.elapsed_time() - last_exit > JAM_S:
                out["jammed_at_s"] = last_exit
                break
        out["exit_times_s"] = exit_times
        out["remaining"] = sim.agent_count()
        if sim.agent_count() == 0 and exit_times:
            out["evacuation_time_s"] = exit_times[-1]
    except Exception as exc:  # a force-based model that pushes an agent through a wall: reported, not hidden
        out["error"] = f"{type(exc).__name__}: {exc}"
    out["iterations"] = 0 if sim is None else sim.iteration_count()
    out["wall_s"] = time.perf_counter() - t0
    return out


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as f:
        spec = json.load(f)
    print(json.dumps(run(spec, sys.argv[2])))
