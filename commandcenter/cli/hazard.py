"""``commandcenter plume`` and ``commandcenter concentration``: hazard zones and point concentrations
from the Gaussian plume/puff models of :mod:`gis.hazards` (see docs/hazards.md)."""

from __future__ import annotations

import json
from pathlib import Path

import click


def _release_options(fn):  # type: ignore[no-untyped-def]
    opts = [
        click.option("--substance", default=None, help="H2S, NH3, Cl2, CO, SO2, HCN, LPG, CH4, ... or a CAS number."),
        click.option("--rate-kg-s", type=float, default=None, help="Release rate, kg/s (continuous or finite)."),
        click.option("--mass-kg", type=float, default=None, help="Instantaneous release (a puff) of this mass, kg."),
        click.option("--duration-s", type=float, default=None,
                     help="Release duration, s (default: continuous, the steady-state plume)."),
        click.option("--hole-diameter-m", type=float, default=None,
                     help="Estimate the rate from the source's pressure/temperature through a hole this wide."),
        click.option("--pressure-bar", type=float, default=None, help="Source pressure, bar absolute (with a hole)."),
        click.option("--temperature-c", type=float, default=None, help="Source temperature, °C (default 20)."),
        click.option("--wind-speed", type=float, required=True,
                     help="Transport wind speed, m/s, used as given (floor 1 m/s)."),
        click.option("--wind-height-m", type=float, default=None,
                     help="Height the wind was measured at: corrects it to the release height (power law)."),
        click.option("--stability", default=None, help="Pasquill–Gifford class A–F (checked against the weather)."),
        click.option("--cloud-cover", type=float, default=None, help="Cloud cover, tenths 0–10 (derives the class)."),
        click.option("--day/--night", "day", default=None, help="Daytime or night (derives the class)."),
        click.option("--terrain", type=click.Choice(["rural", "urban"]), default="rural", show_default=True,
                     help="Briggs open-country or urban dispersion coefficients."),
        click.option("--height-m", type=float, default=0.0, show_default=True, help="Release height above ground, m."),
        click.option("--json", "as_json", is_flag=True, help="Print one JSON object."),
    ]
    for o in reversed(opts):
        fn = o(fn)
    return fn


def _build(kw: dict, source=None):  # type: ignore[no-untyped-def]
    from gis.hazards.scenario import Release, Weather

    substance = kw["substance"] or (source.substance if source is not None else None)
    if not substance:
        raise click.UsageError("give --substance (or a plant --source that names one)")
    temp_c = kw["temperature_c"] if kw["temperature_c"] is not None else (
        source.temperature_c if source is not None else 20.0)
    release = Release(substance, kw["rate_kg_s"], kw["duration_s"], kw["mass_kg"], kw["height_m"], temp_c + 273.15)
    weather = Weather(kw["wind_speed"], kw.get("wind_from") if kw.get("wind_from") is not None else 270.0,
                      kw["stability"], kw["cloud_cover"], kw["day"], kw["terrain"], kw["wind_height_m"])
    return release, weather


def _fail(exc: Exception) -> click.ClickException:
    return click.ClickException(str(exc))


@click.command("plume")
@_release_options
@click.option("--wind-from", type=float, required=True, help="Direction the wind blows FROM, degrees clockwise "
              "from north.")
@click.option("--plant", "plant_path", type=click.Path(path_type=Path, exists=True), default=None,
              help="Plant package holding the source (with --source).")
@click.option("--source", "source_id", default=None, help="Hazard source id in the plant.")
@click.option("--x", "x", type=float, default=None, help="Source easting in the plant CRS, m (instead of --source).")
@click.option("--y", "y", type=float, default=None, help="Source northing in the plant CRS, m.")
@click.option("--t-s", type=float, default=None, help="Zones at this time after the release started, s "
              "(default: the peak within 60 min).")
@click.option("--hazard", type=click.Choice(["auto", "toxic", "flammable"]), default="auto", show_default=True,
              help="Toxic (AEGL/ERPG) or flammable (LEL) zones.")
@click.option("--pool-diameter-m", type=float, default=None, help="Also give pool-fire radiation distances.")
@click.option("--geojson", "geojson_out", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Also write the zones as a GeoJSON FeatureCollection (a hazard file for evacuation routing).")
def plume(plant_path, source_id, x, y, t_s, hazard, pool_diameter_m, geojson_out, **kw):  # type: ignore[no-untyped-def]
    """Threat zones (red/orange/yellow) of a release, as GeoJSON polygons in the plant CRS, with warnings."""
    from commandcenter.services.hazard_report import HazardSource, assess, plant_source

    positions = None
    src = None
    crs_name = None
    try:
        if plant_path is not None or source_id is not None:
            if plant_path is None or source_id is None:
                raise click.UsageError("--plant and --source go together")
            from gis.loader import load_plant
            from gis.positions import PositionStore

            plant = load_plant(plant_path)
            src = plant_source(plant, source_id)
            epsg = plant.crs.to_epsg()
            crs_name = f"urn:ogc:def:crs:EPSG::{epsg}" if epsg else None
            positions = PositionStore.from_population(plant)
        elif (x is None) != (y is None):
            raise click.UsageError("give both --x and --y")
        elif x is not None:
            src = HazardSource(None, x, y)
        if src is not None and kw["pressure_bar"] is not None:
            src.pressure_bar = kw["pressure_bar"]
        if src is None and kw["hole_diameter_m"] is not None:
            src = HazardSource(None, 0.0, 0.0, pressure_bar=kw["pressure_bar"] or 1.0,
                               temperature_c=kw["temperature_c"] if kw["temperature_c"] is not None else 20.0)
        release, weather = _build(kw, src)
        if src is not None and kw["temperature_c"] is not None:
            src.temperature_c = kw["temperature_c"]
        out, zones, _ = assess(release, weather, src, hazard=hazard, t_s=t_s, hole_diameter_m=kw["hole_diameter_m"],
                               pool_diameter_m=pool_diameter_m, positions=positions)
    except click.ClickException:
        raise
    except ValueError as exc:
        raise _fail(exc) from exc
    if geojson_out is not None:
        fc = zones.as_geojson()
        if crs_name:
            fc["crs"] = {"type": "name", "properties": {"name": crs_name}}
        geojson_out.write_text(json.dumps(fc, ensure_ascii=False), encoding="utf-8")
    if kw["as_json"]:
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    click.echo(f"{out['substance']}  class {out['stability']}  wind {out['transport_wind_mps']:g} m/s from "
               f"{out['wind_from_deg']:g}°  ({out['terrain']})")
    for z in out["zones"]:
        dist = z["distance_m"] if isinstance(z["distance_m"], str) else (
            "none" if z["distance_m"] is None else f"{z['distance_m']:.0f} m")
        people = f"  people {z['people']}" if "people" in z else ""
        click.echo(f"  {z['level']:<7} {z['guideline']:<8} {z['threshold_ppm']:>10g} ppm  {dist}{people}")
    for key, unit, name in (("fire", "kW/m2", "flux_kw_m2"), ("explosion", "kPa", "overpressure_kpa")):
        for c in out.get(key, []):
            click.echo(f"  {key:<9} {c['level']:<7} {c[name]:>6g} {unit}  {c['distance_m']:.0f} m")
    for w in out["warnings"]:
        click.echo(f"warning: {w}")


@click.command("concentration")
@_release_options
@click.option("--x-m", type=float, required=True, help="Receptor distance downwind of the source, m.")
@click.option("--y-m", type=float, default=0.0, show_default=True, help="Receptor distance crosswind, m.")
@click.option("--z-m", type=float, default=0.0, show_default=True, help="Receptor height above ground, m.")
@click.option("--t-s", type=float, default=None, help="Time after the release started, s (default: steady "
              "state for a continuous release, the peak within 60 min otherwise).")
@click.option("--wind-from", type=float, default=None, help="Accepted for symmetry with plume; not needed (the "
              "receptor is given relative to the wind).")
@click.option("--x", "x", type=float, default=None, hidden=True)
@click.option("--y", "y", type=float, default=None, hidden=True)
@click.option("--plant", "plant_path", type=click.Path(path_type=Path, exists=True), default=None,
              help="Plant package: with --source, the substance and storage conditions come from the source.")
@click.option("--source", "source_id", default=None, help="Hazard source id in the plant.")
def concentration(x_m, y_m, z_m, t_s, x, y, plant_path, source_id, **kw):  # type: ignore[no-untyped-def]
    """Concentration at one receptor (g/m3 and ppm at 25 °C, 1 atm) as JSON; the receptor is x metres downwind
    and y metres crosswind of the source, z metres above ground."""
    from gis.hazards.scenario import MAX_DISTANCE_M, MAX_TIME_S, build_scenario
    from gis.hazards.scenario import concentration as conc
    from gis.hazards.source_term import source_rate
    from gis.hazards.substances import get_substance

    try:
        src = None
        if plant_path is not None or source_id is not None:
            if plant_path is None or source_id is None:
                raise click.UsageError("--plant and --source go together")
            from commandcenter.services.hazard_report import plant_source
            from gis.loader import load_plant

            src = plant_source(load_plant(plant_path), source_id)
        if kw["rate_kg_s"] is None and kw["mass_kg"] is None and kw["hole_diameter_m"] is not None:
            sub = get_substance(kw["substance"] or (src.substance if src else "") or "")
            p_bar = kw["pressure_bar"] or (src.pressure_bar if src else 1.0)
            t_c = kw["temperature_c"] if kw["temperature_c"] is not None else (src.temperature_c if src else 20.0)
            kw["rate_kg_s"] = source_rate(sub, kw["hole_diameter_m"], p_bar, t_c).rate_kg_s
        release, weather = _build(kw, src)
        sc = build_scenario(release, weather)
        if t_s is not None and t_s < 0:
            raise ValueError(f"--t-s must be ≥ 0, got {t_s}")
        g = float(conc(sc, x_m, y_m, z_m, t_s))
    except click.ClickException:
        raise
    except ValueError as exc:
        raise _fail(exc) from exc
    warnings = list(sc.warnings)
    if x_m > MAX_DISTANCE_M:
        warnings.append("receptor beyond 10 km: outside the model's range (ALOHA reports nothing there)")
    if t_s is not None and t_s > MAX_TIME_S:
        warnings.append("time beyond 60 minutes: outside the model's range")
    out = {"g_m3": g, "ppm": float(sc.substance.g_m3_to_ppm(g)), "mg_m3": g * 1000.0, "substance": sc.substance.key,
           "stability": sc.stability, "transport_wind_mps": sc.u, "terrain": weather.terrain,
           "x_m": x_m, "y_m": y_m, "z_m": z_m, "t_s": t_s,
           "release": ("instantaneous" if sc.instantaneous else "continuous" if release.duration_s is None
                       else "finite"), "warnings": warnings}
    click.echo(json.dumps(out, ensure_ascii=False, indent=2))

COMMANDS = (plume, concentration)
