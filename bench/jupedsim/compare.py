"""Ours and JuPedSim on the same geometries, positions and speeds: evacuation times and wall times.

``python -m bench.jupedsim.compare [--refresh] [--models M ...]`` (from the repository, main environment)
runs our model on each geometry of :mod:`bench.jupedsim.geometries`, and JuPedSim through
``run_jupedsim.py`` in its own environment (``$JUPEDSIM_PYTHON``, else ``.venv-jupedsim/bin/python``, else
``/tmp/venv-jupedsim/bin/python``; create one with ``bench/jupedsim/setup_env.sh``). JuPedSim takes minutes
per run, so its results are kept in ``results.json`` beside this file, keyed by the specification's hash,
the model and JuPedSim's version, and re-used unless ``--refresh``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
RESULTS = HERE / "results.json"
MODELS = ("CollisionFreeSpeedModel", "AnticipationVelocityModel")
FORCE_MODELS = ("GeneralizedCentrifugalForceModel", "SocialForceModel")


def jupedsim_python() -> Path | None:
    """The JuPedSim environment's interpreter, or None when there is none."""
    for p in (os.environ.get("JUPEDSIM_PYTHON"), REPO / ".venv-jupedsim/bin/python", "/tmp/venv-jupedsim/bin/python"):
        if p and Path(p).exists():
            return Path(p)
    return None


def _key(spec: dict, model: str) -> str:
    return hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:16] + ":" + model


def run_jupedsim(spec: dict, model: str, refresh: bool = False) -> dict | None:
    """JuPedSim's result for ``spec`` with ``model`` (cached in results.json); None without the environment."""
    cache = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    key = _key(spec, model)
    if key in cache and not refresh:
        return cache[key]
    py = jupedsim_python()
    if py is None:
        return None
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
        json.dump(spec, f)
    try:
        out = subprocess.run([str(py), str(HERE / "run_jupedsim.py"), f.name, model], capture_output=True,
                             text=True, check=True, timeout=7200)
    finally:
        os.unlink(f.name)
    res = json.loads(out.stdout)
    res.pop("exit_times_s", None) if len(res.get("exit_times_s", [])) > 2000 else None
    res["case"] = spec["name"]
    cache[key] = res
    RESULTS.write_text(json.dumps(cache, indent=1, sort_keys=True), encoding="utf-8")
    return res


def run_ours(case, tmp: Path, effective_doors: bool = False) -> dict:  # type: ignore[no-untyped-def]
    """Our model on ``case``: evacuation time, mean arrival, and the wall time of the simulation (median of
    five); ``effective_doors``: doors at the SFPE effective width (see ``Case.write_package``)."""
    from gis.loader import load_plant
    from gis.routing.people import people_of_plant
    from gis.routing.site import Site
    from simulation.evacuation import evacuate

    name = case.name + ("-eff" if effective_doors else "")
    plant = load_plant(case.write_package(tmp / name, effective_doors))
    site, people = Site.of_plant(plant), people_of_plant(plant)
    walls = []
    for _ in range(5):
        run = evacuate(site, people)
        walls.append(run.wall_s)
    arr = run.arrival_s
    return {"evacuation_time_s": run.evacuation_time_s, "mean_arrival_s": float(np.nanmean(arr)),
            "arrived": int(np.isfinite(arr).sum()), "wall_s": float(np.median(walls))}


def compare(models: tuple[str, ...] = MODELS, refresh: bool = False, cases: tuple[str, ...] | None = None
            ) -> list[dict]:
    """One row per geometry and JuPedSim model: both evacuation times, the ratio and the speed-up."""
    from bench.jupedsim.geometries import CASES

    rows = []
    with tempfile.TemporaryDirectory() as d:
        for name in cases or tuple(CASES):
            case = CASES[name]()
            ours = run_ours(case, Path(d))
            eff = run_ours(case, Path(d), effective_doors=True) if any(ln.kind == "door"
                                                                     for ln in case.layout.lines) else None
            for model in models:
                j = run_jupedsim(case.spec(), model, refresh)
                row = {"case": name, "people": len(case.xy), "model": model, "ours": ours, "jupedsim": j,
                       "ours_effective_doors": eff}
                if j and j.get("evacuation_time_s"):
                    row["ratio"] = ours["evacuation_time_s"] / j["evacuation_time_s"]
                    if eff:
                        row["ratio_effective_doors"] = eff["evacuation_time_s"] / j["evacuation_time_s"]
                    row["speedup"] = j["wall_s"] / ours["wall_s"]
                    ex = j.get("exit_times_s") or []
                    if ex:
                        j["mean_arrival_s"] = float(np.mean(ex))
                rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    """Print the comparison as JSON lines."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--refresh", action="store_true", help="re-run JuPedSim even when cached")
    ap.add_argument("--models", nargs="*", default=list(MODELS), help="JuPedSim models")
    ap.add_argument("--cases", nargs="*", default=None, help="geometries (default: all)")
    args = ap.parse_args(argv)
    for row in compare(tuple(args.models), args.refresh, tuple(args.cases) if args.cases else None):
        if row["jupedsim"]:
            row["jupedsim"] = {k: v for k, v in row["jupedsim"].items() if k != "exit_times_s"}
        print(json.dumps(row))
    return 0


if __name__ == "__main__":
    sys.exit(main())
