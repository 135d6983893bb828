"""``commandcenter route``: evacuation routes for a population, around a hazard, within capacity."""

from __future__ import annotations

import json
import math
from pathlib import Path

import click

from commandcenter.cli.options import evacuation_inputs, fail, hazard_or_fail, load_plant_or_fail, people_or_fail
from commandcenter.cli.params import finite

RELEASE_KEYS = {
    # key: (lo, hi, unit) for numbers; None for text
    "substance": None, "source": None, "stability": None,
    "rate_kg_s": (0.0, 1e5, "kg/s"), "mass_kg": (0.0, 1e8, "kg"), "duration_s": (0.0, 86400.0, "s"),
    "height_m": (0.0, 500.0, "m"), "x": (-1e8, 1e8, "m"), "y": (-1e8, 1e8, "m"),
    "wind_speed": (1.0, 60.0, "m/s"), "wind_from": (-360.0, 720.0, "°"), "age_s": (0.0, 3600.0, "s"),
    "n": (0.5, 6.0, ""),
}
RELEASE_HELP = ("The release for --method dose: comma-separated key=value, e.g. "
                "'rate_kg_s=2,source=HZ-101,wind_speed=3,wind_from=270,stability=D,age_s=60'. "
                "Keys: substance; rate_kg_s (continuous, with duration_s for a finite release) or mass_kg "
                "(instantaneous); source (a hazard source id of the plant, which also gives the substance) or x,y "
                "(plant CRS, m); height_m (default 0); wind_speed (m/s at release height, >= 1); wind_from "
                "(degrees the wind blows FROM); stability (A-F); age_s (how long before now the release began, "
                "default 0); n (ten Berge exponent, default the substance's).")


class ReleaseSpec(click.ParamType):
    """``key=value,...`` of a release (see :data:`RELEASE_HELP`): numbers finite and in range, keys known."""

    name = "SPEC"

    def convert(self, value, param, ctx):  # type: ignore[no-untyped-def]
        """Parse the spec into a dict (text values as given, numbers as floats); a usage error names the key."""
        if isinstance(value, dict):
            return value
        out: dict[str, object] = {}
        for part in str(value).split(","):
            if not part.strip():
                continue
            key, sep, raw = part.partition("=")
            key, raw = key.strip().lower(), raw.strip()
            if not sep or not raw:
                self.fail(f"{part.strip()!r} is not key=value", param, ctx)
            if key not in RELEASE_KEYS:
                self.fail(f"unknown key {key!r} (known: {', '.join(RELEASE_KEYS)})", param, ctx)
            rule = RELEASE_KEYS[key]
            if rule is None:
                out[key] = raw
                continue
            lo, hi, unit = rule
            try:
                v = float(raw)
            except ValueError:
                self.fail(f"{key}={raw!r} is not a number", param, ctx)
            if not math.isfinite(v) or v < lo or v > hi:
                self.fail(f"{key}={raw} is out of range (expected [{lo:g}, {hi:g}] {unit})".rstrip(), param, ctx)
            out[key] = v
        for need in ("wind_speed", "wind_from", "stability"):
            if need not in out:
                self.fail(f"missing {need}=", param, ctx)
        if ("rate_kg_s" in out) == ("mass_kg" in out):
            self.fail("give rate_kg_s= or mass_kg= (one of them)", param, ctx)
        if "source" not in out and not ("x" in out and "y" in out):
            self.fail("give source= (a hazard source of the plant) or x= and y=", param, ctx)
        return out


@click.command("route")
@evacuation_inputs("speed_mps, premovement_s, mobility optional")
@click.option("--method", type=click.Choice(["shortest", "capacity", "dose"]), default="capacity", show_default=True,
              help="shortest: nearest safe assembly point; capacity: within door and assembly point capacities "
                   "(time-expanded optimum where it fits, else local search); dose: least toxic load through the "
                   "cloud over time (needs --release), reported beside the static-zone plan.")
@click.option("--release", "release_spec", type=ReleaseSpec(), default=None, help=RELEASE_HELP)
@click.option("--static-zones", type=click.Choice(["now", "peak"]), default="now", show_default=True,
              help="With --method dose: the zones the static-zone plan avoids — the cloud now (age_s after the "
                   "release began) or the 60-minute peak footprint.")
@click.option("--static-method", type=click.Choice(["shortest", "capacity"]), default="capacity",
              show_default=True, help="With --method dose: how the static-zone plan is made.")
@click.option("--horizon-s", type=finite(60, 3600, unit="s"), default=1800.0, show_default=True,
              help="With --method dose: toxic loads are counted until this time (s), at the assembly point after "
                   "arrival.")
@click.option("--optimise-s", type=finite(0, 600, unit="s"), default=2.0, show_default=True,
              help="Time budget of the capacity plan's optimiser (0: the reservation plan only).")
@click.option("--orange-penalty", type=finite(1.0, 100.0), default=3.0, show_default=True,
              help="Cost multiplier of walkways in orange zones.")
@click.option("--yellow-penalty", type=finite(1.0, 100.0), default=1.5, show_default=True,
              help="Cost multiplier of walkways in yellow zones.")
@click.option("--no-instructions", is_flag=True, help="Leave the turn-by-turn instructions out of the JSON.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def route(plant_path: Path, population: Path | None, hazard: Path | None, method: str,
          release_spec: dict | None, static_zones: str, static_method: str, horizon_s: float, optimise_s: float,
          orange_penalty: float, yellow_penalty: float, no_instructions: bool, as_json: bool) -> None:
    """Plan the evacuation of everyone in the population file from the plant at PLANT.

    Everyone gets an assembly point, a route, a distance, an arrival time and turn-by-turn instructions;
    who cannot be routed is listed with the reason. Exit 1 when the plant, the population file or the
    hazard file cannot be used.
    """
    from gis.routing.hazard_graph import Penalties
    from gis.routing.plan import plan_evacuation
    from gis.routing.site import Site

    plant = load_plant_or_fail(plant_path, as_json)
    people = people_or_fail(plant, population, as_json)
    zones = hazard_or_fail(plant, hazard, as_json)
    penalties = Penalties(yellow=yellow_penalty, orange=orange_penalty)
    if method == "dose":
        if release_spec is None:
            raise click.UsageError("--method dose needs --release SPEC")
        try:
            exposure, static_hazard, release_out = _exposure(plant, release_spec, static_zones, horizon_s)
        except ValueError as exc:
            fail(f"release: {exc}", as_json)
        if zones is not None:
            static_hazard = zones
        from gis.routing.dose_plan import compare_with_dose

        cmp = compare_with_dose(Site.of_plant(plant), people, exposure, static_hazard, static_method, penalties,
                                optimise_s)
        plan = cmp.dose
        if as_json:
            out = plan.to_json(not no_instructions, plant.crs.to_string())
            out["release"] = release_out
            out["dose"] = cmp.report | {"static_zones": static_zones,
                                        "static_evacuation_time_s": round(cmp.static.evacuation_time_s, 1)}
            click.echo(json.dumps(out, ensure_ascii=False, allow_nan=False))
            return
        rep = cmp.report
        click.echo(f"{plant_path}: dose-optimal plan for {int(plan.routed.sum())} people, {release_out['substance']}"
                   f", toxic load exponent n = {rep['exponent_n']:g}")
        for name, key in (("static-zone plan", "static"), ("dose-optimal plan", "dose_optimal")):
            s_ = rep[key]
            click.echo(f"  {name:<18} above AEGL-2 dose equivalent: {s_['above_aegl2']} of {s_['people']} "
                       f"({100 * s_['share_above_aegl2']:.1f} %)")
        click.echo(f"  evacuation time {plan.evacuation_time_s:.0f} s (static-zone plan "
                   f"{cmp.static.evacuation_time_s:.0f} s)")
        return
    plan = plan_evacuation(Site.of_plant(plant), people, zones, method, penalties, optimise_s=optimise_s)
    if as_json:
        click.echo(json.dumps(plan.to_json(not no_instructions, plant.crs.to_string()), ensure_ascii=False,
                              allow_nan=False))
        return
    ratio = f" (x{plan.ratio:.2f})" if plan.ratio is not None else ""
    click.echo(f"{plant_path}: {method} plan for {len(people) + len(people.rejected)} people, "
               f"{int(plan.routed.sum())} routed")
    click.echo(f"  evacuation time {plan.evacuation_time_s:.0f} s, lower bound {plan.lower_bound_s:.0f} s{ratio}")
    for ap in plan.assembly_points():
        state = "" if ap["safe"] else "  UNSAFE (inside a hazard zone)"
        over = f"  {ap['over_capacity']} over capacity" if ap["over_capacity"] else ""
        click.echo(f"  {ap['id']:<12} {ap['assigned']:>6} / {ap['capacity']:<6.0f}{state}{over}")
    bad = plan.unroutable()
    if bad:
        click.echo(f"  {len(bad)} without a route:")
        for row in bad[:30]:
            click.echo(f"    {row['id']}: {row['code']}: {row['reason']}")
        if len(bad) > 30:
            click.echo(f"    ... and {len(bad) - 30} more (see --json)")



def _exposure(plant, spec: dict, static_zones: str, horizon_s: float):  # type: ignore[no-untyped-def]
    """(exposure, static-zone hazard, the release as JSON) from a parsed --release spec; ValueError names the
    problem (unknown source or substance, a release the model refuses)."""
    from gis.hazards.scenario import Release, Weather, build_scenario
    from gis.hazards.substances import toxic_levels
    from gis.hazards.timeline import zones_at
    from gis.hazards.zones import compute_zones
    from gis.routing.dose import Exposure, ReleaseField, aegl2_load, toxic_exponent
    from gis.routing.hazard_graph import Hazard

    substance = spec.get("substance")
    if "source" in spec:
        layer = plant.layers["hazard_sources"]
        sid = str(spec["source"])
        if sid not in layer.index:
            known = ", ".join(map(str, layer.index[:20]))
            raise ValueError(f"hazard source {sid!r} is not in the plant (known: {known or 'none'})")
        row = layer.loc[sid]
        xy = (float(row.geometry.x), float(row.geometry.y))
        substance = substance or str(row["substance"])
    else:
        xy = (float(spec["x"]), float(spec["y"]))
    if not substance:
        raise ValueError("give substance= (the source names none)")
    release = Release(str(substance), spec.get("rate_kg_s"), spec.get("duration_s"), spec.get("mass_kg"),
                      float(spec.get("height_m", 0.0)))
    sc = build_scenario(release, Weather(float(spec["wind_speed"]), float(spec["wind_from"]), str(spec["stability"])))
    levels = {lv: thr for lv, _, thr in toxic_levels(sc.substance)}
    if levels.get("orange") is None:
        raise ValueError(f"{sc.substance.key} has no AEGL-2/ERPG-2: a toxic load cannot be judged")
    n = float(spec.get("n", toxic_exponent(sc.substance.key)))
    age = float(spec.get("age_s", 0.0))
    zs = zones_at(sc, age, xy) if static_zones == "now" and age > 0 else compute_zones(sc, xy)
    hazard = Hazard.from_zones({z.level: z.polygon for z in zs.zones})
    exposure = Exposure(ReleaseField(sc, xy, age), n, aegl2_load(float(levels["orange"]), n), horizon_s)
    return exposure, hazard, {"substance": sc.substance.key, "source_xy": [round(xy[0], 2), round(xy[1], 2)],
                              "aegl2_ppm": levels["orange"], "stability": sc.stability,
                              "wind_speed_mps": sc.u, "wind_from_deg": sc.weather.wind_from_deg, "age_s": age,
                              "exponent_n": n}


COMMANDS = (route,)
