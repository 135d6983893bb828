"""``commandcenter plume`` and ``commandcenter concentration``: hazard zones and point concentrations
from the Gaussian plume/puff models of :mod:`gis.hazards` (see docs/hazards.md)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from commandcenter.cli.params import COORD, DEGREES, finite

_RATE = finite(0, 1e5, lo_open=True, unit="kg/s")
_MASS = finite(0, 1e9, lo_open=True, unit="kg")
_DUR = finite(0, 3.2e7, lo_open=True, unit="s")
_WIND = finite(0, 100, unit="m/s")
_HEIGHT = finite(0, 1000, unit="m")
_HOLE = finite(0, 10, lo_open=True, unit="m")
_PRESSURE = finite(0, 1000, lo_open=True, unit="bar")
_TEMP = finite(-273.15, 2000, lo_open=True, unit="°C")
_WINDH = finite(0, 1000, lo_open=True, unit="m")
_TENTHS = finite(0, 10, unit="tenths")
_TIME = finite(0, 3.2e7, unit="s")
_POOL = finite(0, 1000, lo_open=True, unit="m")
_REL = finite(-1e6, 1e6, unit="m")
_Z = finite(0, 1e4, unit="m")


def _release_options(fn):  # type: ignore[no-untyped-def]
    opts = [
        click.option("--substance", default=None, help="Chinese or English name, formula or CAS number (硫化氢, H2S, "
                     "7783-06-4); `commandcenter substances list` shows the library."),
        click.option("--rate-kg-s", type=_RATE, default=None, help="Release rate, kg/s (continuous or finite)."),
        click.option("--mass-kg", type=_MASS, default=None, help="Instantaneous release (a puff) of this mass, kg."),
        click.option("--duration-s", type=_DUR, default=None,
                     help="Release duration, s (default: continuous, the steady-state plume)."),
        click.option("--hole-diameter-m", type=_HOLE, default=None,
                     help="Estimate the rate from the source's pressure/temperature through a hole this wide."),
        click.option("--pressure-bar", type=_PRESSURE, default=None,
                     help="Source pressure, bar absolute (with a hole)."),
        click.option("--temperature-c", type=_TEMP, default=None, help="Source temperature, °C (default 20)."),
        click.option("--wind-speed", type=_WIND, required=True,
                     help="Transport wind speed, m/s, used as given (floor 1 m/s)."),
        click.option("--wind-height-m", type=_WINDH, default=None,
                     help="Height the wind was measured at: corrects it to the release height (power law)."),
        click.option("--stability", default=None, help="Pasquill–Gifford class A–F (checked against the weather)."),
        click.option("--cloud-cover", type=_TENTHS, default=None, help="Cloud cover, tenths 0–10 (derives the class)."),
        click.option("--day/--night", "day", default=None, help="Daytime or night (derives the class)."),
        click.option("--terrain", type=click.Choice(["rural", "urban"]), default="rural", show_default=True,
                     help="Briggs open-country or urban dispersion coefficients."),
        click.option("--height-m", type=_HEIGHT, default=0.0, show_default=True,
                     help="Release height above ground, m."),
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
@click.option("--wind-from", type=DEGREES, required=True, help="Direction the wind blows FROM, degrees clockwise "
              "from north.")
@click.option("--plant", "plant_path", type=click.Path(path_type=Path, exists=True), default=None,
              help="Plant package holding the source (with --source).")
@click.option("--source", "source_id", default=None, help="Hazard source id in the plant.")
@click.option("--x", "x", type=COORD, default=None, help="Source easting in the plant CRS, m (instead of --source).")
@click.option("--y", "y", type=COORD, default=None, help="Source northing in the plant CRS, m.")
@click.option("--t-s", type=_TIME, default=None, help="Zones at this time after the release started, s "
              "(default: the peak within 60 min).")
@click.option("--hazard", type=click.Choice(["auto", "toxic", "flammable"]), default="auto", show_default=True,
              help="Toxic (AEGL/ERPG) or flammable (LEL) zones.")
@click.option("--pool-diameter-m", type=_POOL, default=None, help="Also give pool-fire radiation distances.")
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
        from gis.safe_input import InputProblem, check_output_file

        try:
            check_output_file(geojson_out)
        except InputProblem as exc:
            raise click.BadParameter(str(exc), param_hint="--geojson") from None
        fc = zones.as_geojson()
        if crs_name:
            fc["crs"] = {"type": "name", "properties": {"name": crs_name}}
        geojson_out.write_text(json.dumps(fc, ensure_ascii=False), encoding="utf-8")
    if kw["as_json"]:
        click.echo(json.dumps(out, ensure_ascii=False, indent=2, allow_nan=False))
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
@click.option("--x-m", type=_REL, required=True, help="Receptor distance downwind of the source, m.")
@click.option("--y-m", type=_REL, default=0.0, show_default=True, help="Receptor distance crosswind, m.")
@click.option("--z-m", type=_Z, default=0.0, show_default=True, help="Receptor height above ground, m.")
@click.option("--t-s", type=_TIME, default=None, help="Time after the release started, s (default: steady "
              "state for a continuous release, the peak within 60 min otherwise).")
@click.option("--wind-from", type=DEGREES, default=None, help="Accepted for symmetry with plume; not needed (the "
              "receptor is given relative to the wind).")
@click.option("--x", "x", type=COORD, default=None, hidden=True)
@click.option("--y", "y", type=COORD, default=None, hidden=True)
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
    click.echo(json.dumps(out, ensure_ascii=False, indent=2, allow_nan=False))


@click.group("substances")
def substances() -> None:
    """The substance library: every chemical on China's key-supervision list plus common industrial toxics
    and flammables, each value with its source and revision."""


@substances.command("list")
@click.option("--supervised", is_flag=True, help="Only the chemicals on 重点监管的危险化学品名录 (both batches).")
@click.option("--search", "text", default=None, help="Only substances whose name, alias, formula or CAS contains this.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object with every value and its source.")
def substances_list(supervised: bool, text: str | None, as_json: bool) -> None:
    """List the library: key, CAS, names, the supervised-list place, and which toxic guideline is used."""
    from gis.hazards.library import library

    lib = library()
    entries = lib.search(text, limit=len(lib)) if text else list(lib)
    if supervised:
        entries = [e for e in entries if e.supervised]
    if as_json:
        click.echo(json.dumps({"count": len(entries), "substances": [e.to_dict() for e in entries]},
                              ensure_ascii=False, allow_nan=False))
        return
    for e in entries:
        sup = f"{e.supervised[0]}-{e.supervised[1]:02d}" if e.supervised else "    "
        g = e.guideline()
        lel = e.value("lel")
        click.echo(f"{e.key:<26} {e.cas:<12} {sup}  {g.guideline if g else '-':<5} "
                   f"{'LEL ' + format(lel * 100, 'g') + '%' if lel else '':<10} {e.name_zh}  {e.name_en}")
    click.echo(f"{len(entries)} substances")


@click.group("hazard")
def hazard() -> None:
    """Hazard assessment helpers: which source is leaking."""


def _read_readings(path: Path, tz):  # type: ignore[no-untyped-def]
    """The detector readings CSV at ``path``, read through :mod:`gis.safe_input` (a regular file of at most
    ``MAX_TABLE_BYTES``: a FIFO, a device or a dangling link is refused, never waited on or read)."""
    import csv
    import datetime as dt
    import io
    import math

    from gis.hazards.locate import UNITS, Reading
    from gis.safe_input import MAX_TABLE_BYTES, InputProblem, describe_missing, read_text

    try:
        text = read_text(path, MAX_TABLE_BYTES)
    except FileNotFoundError:
        raise click.ClickException(f"--readings: {path} {describe_missing(path)}") from None
    except InputProblem as exc:
        raise click.ClickException(f"--readings: {exc}") from None
    except OSError as exc:
        raise click.ClickException(f"--readings: {path}: cannot read ({exc.strerror or exc})") from None
    out = []
    with io.StringIO(text, newline="") as fh:
        rows = csv.DictReader(fh)
        need = {"sensor_id", "time", "value", "unit"}
        try:
            names = rows.fieldnames
            records = list(rows)
        except csv.Error as exc:
            raise click.ClickException(f"{path} line {rows.line_num}: not a CSV table ({exc})") from None
        if names is None or not need <= set(names):
            raise click.ClickException(f"{path}: the header must have the columns sensor_id,time,value,unit "
                                       f"(got {','.join(str(n) for n in names or [])[:200]})")
        for i, r in enumerate(records, start=2):
            where = f"{path} line {i}"
            try:
                t = dt.datetime.fromisoformat(str(r["time"]).strip().replace("Z", "+00:00"))
            except ValueError:
                raise click.ClickException(f"{where}: time {str(r['time'])[:40]!r} is not an ISO 8601 time") \
                    from None
            if t.tzinfo is None:
                t = t.replace(tzinfo=tz)
            try:
                v = float(r["value"])
            except (TypeError, ValueError):
                raise click.ClickException(f"{where}: value {str(r['value'])[:40]!r} is not a number") from None
            if not math.isfinite(v) or v < 0 or v > 1e7:
                raise click.ClickException(f"{where}: value {str(r['value'])[:40]!r} must be finite and between 0 "
                                           "and 1e7")
            unit = str(r["unit"]).strip()
            if unit not in UNITS:
                raise click.ClickException(f"{where}: unit {unit!r} is not one of {', '.join(UNITS)}")
            sid = str(r["sensor_id"]).strip()
            if not sid or len(sid) > 200:
                raise click.ClickException(f"{where}: sensor_id must be 1–200 characters")
            out.append(Reading(sid, t, v, unit))
    if not out:
        raise click.ClickException(f"{path}: no readings")
    return out


@hazard.command("locate")
@click.argument("plant_path", metavar="PLANT", type=click.Path(path_type=Path, exists=True))
@click.option("--readings", "readings_path", type=click.Path(path_type=Path, dir_okay=False),
              required=True, help="CSV with columns sensor_id,time,value,unit (ppm, %LEL, %vol or mg/m3).")
@click.option("--wind-speed", type=finite(1, 100, unit="m/s"), required=True, help="Wind speed, m/s.")
@click.option("--wind-from", type=finite(0, 360, unit="°"), required=True,
              help="Direction the wind blows FROM, degrees clockwise from north, 0–360.")
@click.option("--stability", default=None, help="Pasquill–Gifford class A–F (or give --cloud and --time).")
@click.option("--cloud", "cloud_oktas", type=finite(0, 8, unit="oktas"), default=None,
              help="Cloud cover in oktas, 0 clear – 8 overcast (derives the class with --time).")
@click.option("--time", "time_text", default=None,
              help="Date and time of the readings, ISO 8601 (plant time zone when no offset is given).")
@click.option("--no-free-point", is_flag=True, help="Rank only the plant's hazard sources.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def locate(plant_path: Path, readings_path: Path, wind_speed: float, wind_from: float, stability: str | None,
           cloud_oktas: float | None, time_text: str | None, no_free_point: bool, as_json: bool) -> None:
    """Rank the plant's hazard sources, and a free point source, by how well each explains the detector
    readings and their timing under the wind (Bayesian source-term estimation), with the rate fitted."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from gis.hazards.locate import plant_candidates, rank_sources
    from gis.hazards.refusals import HazardInputError
    from gis.hazards.weather import WeatherInput, plant_lonlat, resolve_weather
    from gis.loader import load_plant

    if stability is None and (cloud_oktas is None or time_text is None):
        raise click.UsageError("give --stability, or --cloud and --time")
    if stability is not None and (cloud_oktas is not None or time_text is not None):
        raise click.UsageError("give either --stability or --cloud with --time, not both")
    try:
        plant = load_plant(plant_path)
        tz = ZoneInfo(str(getattr(plant, "timezone", None) or "Asia/Shanghai"))
        when = None
        if time_text is not None:
            try:
                when = dt.datetime.fromisoformat(time_text.strip().replace("Z", "+00:00"))
            except ValueError:
                raise click.UsageError(f"--time {time_text!r} is not an ISO 8601 time") from None
            when = when if when.tzinfo else when.replace(tzinfo=tz)
        lon, lat = plant_lonlat(plant)
        resolved = resolve_weather(WeatherInput(wind_speed, wind_from, cloud_oktas, when, stability), lat, lon)
        readings = _read_readings(readings_path, tz)
        sources, detectors = plant_candidates(plant)
        res = rank_sources(sources, detectors, readings, resolved.to_weather(), free_point=not no_free_point)
    except click.ClickException:
        raise
    except HazardInputError as exc:
        raise click.ClickException(str(exc)) from exc
    except ValueError as exc:
        raise _fail(exc) from exc
    out = {"candidates": [c.to_dict() for c in res.candidates], "substance": res.substance,
           "stability": resolved.stability, "weather": resolved.to_dict(), "sensors": res.sensors,
           "warnings": res.warnings, "method": "Bayesian source-term estimation (Keats, Yee & Lien 2007)"}
    if as_json:
        click.echo(json.dumps(out, ensure_ascii=False, allow_nan=False))
        return
    click.echo(f"{res.substance}  class {resolved.stability} ({resolved.explanation_en})")
    for i, c in enumerate(res.candidates[:10], start=1):
        who = c.source_id or f"free point ({c.x:.0f}, {c.y:.0f})"
        click.echo(f"{i:>2}. {who:<28} {c.score:7.1%}  rate {c.rate_kg_s:.3g} kg/s  {c.name}")
    for w in res.warnings:
        click.echo(f"warning: {w}")


COMMANDS = (plume, concentration, substances, hazard)
