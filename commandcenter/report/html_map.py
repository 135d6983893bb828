"""The incident map as one self-contained HTML file with folium: layers for the site, hazard zones, evacuation
routes, assembly points, people's tracks and last positions, and detectors in alarm, with a layer control.

Offline by construction (a plant control room reaches no tile server and no CDN):

* **fonts** — the report's Chinese font subset (:mod:`.fonts`) is embedded as a ``data:`` URI, so the
  labels read as Chinese on a machine without a Chinese font;
* **no tiles** — the map has no background tile layer at all (``tiles=None``); the plant's own outlines,
  buildings and walkways are the background. Nothing is fetched when the file is opened.
* **no CDN** — folium links Leaflet, jQuery, Bootstrap and Font Awesome from CDNs by default. This map uses
  none of the components that need jQuery, Bootstrap or Font Awesome (no icon markers, no popups with
  Bootstrap styling: circle markers and tooltips only), so those links are dropped; Leaflet 1.9.3's
  JavaScript and CSS (BSD-2-Clause; vendored in ``commandcenter/report/vendor/leaflet-1.9.3``, since
  neither folium nor branca ships them) are inlined, with the CSS's images as ``data:`` URIs. The only
  URLs left in the file are the attribution's hyperlinks, which fetch nothing.

Coordinates are converted from the plant CRS to WGS 84 longitude/latitude with pyproj; without a plant CRS
the map uses Leaflet's flat ``Simple`` CRS on the plant metres.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from commandcenter.report.i18n import Words, clock, duration
from commandcenter.report.model import ReportModel
from commandcenter.report.plantgeo import PlantGeometry

VENDOR = Path(__file__).resolve().parent / "vendor" / "leaflet-1.9.3"
ZONE_COLOURS = {"red": "#d62728", "orange": "#ff7f0e", "yellow": "#e6c200"}
AP_COLOURS = ("#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f")
MAX_TRACK_POINTS = 200


def leaflet_inline() -> tuple[str, str]:
    """Leaflet's JavaScript and its CSS with every ``url(images/…)`` replaced by a ``data:`` URI."""
    js = (VENDOR / "leaflet.js").read_text(encoding="utf-8")
    css = (VENDOR / "leaflet.css").read_text(encoding="utf-8")

    def data_uri(match: re.Match[str]) -> str:
        data = (VENDOR / "images" / match.group(1)).read_bytes()
        return f"url(data:image/png;base64,{base64.b64encode(data).decode('ascii')})"

    return js, re.sub(r"url\(images/([\w.-]+\.png)\)", data_uri, css)


class _Projector:
    """Plant metres → ``[lat, lon]`` (EPSG:4326) or, without a CRS, ``[y, x]`` on Leaflet's Simple CRS."""

    def __init__(self, crs: Any):
        self.crs = crs
        self._t = None
        if crs is not None:
            from pyproj import CRS, Transformer

            self._t = Transformer.from_crs(CRS.from_user_input(crs), CRS.from_epsg(4326), always_xy=True)

    @property
    def geographic(self) -> bool:
        """True when the map is in longitude/latitude."""
        return self._t is not None

    def latlon(self, xy: np.ndarray) -> list[list[float]]:
        """``[[lat, lon], …]`` of an ``(n, 2)`` array of plant metres."""
        xy = np.asarray(xy, dtype=float).reshape(-1, 2)
        if self._t is None:
            return np.round(xy[:, ::-1], 2).tolist()
        lon, lat = self._t.transform(xy[:, 0], xy[:, 1])
        return np.round(np.column_stack((lat, lon)), 7).tolist()

    def geometry(self, geom: Any) -> dict[str, Any]:
        """A GeoJSON geometry in the map's coordinates (lon, lat order)."""
        def swap(a: np.ndarray) -> np.ndarray:
            return np.asarray(self.latlon(a))[:, ::-1] if len(a) else a

        out = shapely.transform(geom, swap)
        return json.loads(shapely.to_geojson(out))


def _feature(geometry: dict[str, Any], props: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "geometry": geometry, "properties": props}


def _fc(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features}


def _tracks(m: ReportModel, tracks: Any, proj: _Projector, tz: dt.tzinfo) -> dict[str, Any]:
    feats = []
    for pid in tracks.ids:
        tr = tracks.trail(pid, m.ended_us)
        if len(tr) < 2:
            continue
        line = shapely.LineString(tr[:, 1:3])
        if len(tr) > MAX_TRACK_POINTS:
            line = shapely.simplify(line, 0.5)
            if len(line.coords) > MAX_TRACK_POINTS:
                keep = np.linspace(0, len(tr) - 1, MAX_TRACK_POINTS).astype(int)
                line = shapely.LineString(tr[keep, 1:3])
        feats.append(_feature(proj.geometry(line), {
            "person": pid, "first": clock(int(tr[0, 0]), tz), "last": clock(int(tr[-1, 0]), tz), "reports": len(tr)}))
    return _fc(feats)


def font_face_css(font: Path | None) -> str:
    """An ``@font-face`` rule embedding ``font`` (the report's CJK subset) as a ``data:`` URI, used for every
    text of the page, so Chinese shows on a machine without a Chinese font too; empty without a font."""
    if font is None:
        return ""
    data = base64.b64encode(Path(font).read_bytes()).decode("ascii")
    return ("@font-face{font-family:'CC Report CJK';src:url(data:font/otf;base64," + data + ") format('opentype');}"
            "body,.leaflet-container,.leaflet-tooltip,.leaflet-control-layers{font-family:'CC Report CJK',"
            "'Microsoft YaHei','Noto Sans CJK SC',sans-serif;}")


def write_html(m: ReportModel, path: Path, lang: str, tz: dt.tzinfo, geo: PlantGeometry | None, tracks: Any,
               font: Path | None = None) -> Path:
    """Write the incident map of ``m`` to ``path`` (see the module docstring); ``font`` is embedded when
    given."""
    import folium
    from branca.element import Element

    w = Words(lang)
    proj = _Projector(geo.crs if geo is not None else None)
    pts: list[np.ndarray] = []
    if geo is not None and geo.bounds() is not None:
        b = geo.bounds()
        pts.append(np.array([[b[0], b[1]], [b[2], b[3]]]))
    if len(tracks):
        pts.append(np.column_stack((tracks.x, tracks.y)))
    allxy = np.concatenate(pts) if pts else np.zeros((1, 2))
    lo, hi = np.nanmin(allxy, axis=0), np.nanmax(allxy, axis=0)
    corners = proj.latlon(np.array([lo, hi]))
    centre = [(corners[0][0] + corners[1][0]) / 2, (corners[0][1] + corners[1][1]) / 2]
    fmap = folium.Map(location=centre, tiles=None, zoom_start=16, control_scale=True,
                      crs="EPSG3857" if proj.geographic else "Simple")
    fmap.default_js = []
    fmap.default_css = []
    title = f"{w('exercise_short')} · " if m.exercise else ""
    title += f"{w('html_title')} · {m.incident_id}"

    if geo is not None:
        feats = [_feature(proj.geometry(shapely.Polygon(r)), {"name": geo.name}) for r in geo.site]
        feats += [_feature(proj.geometry(shapely.Polygon(r)), {"name": f"{bid} {name}"})
                  for bid, name, r in geo.buildings]
        if feats:
            fg = folium.FeatureGroup(name=w("layer_site"), show=True)
            folium.GeoJson(_fc(feats), style_function=lambda f: {"color": "#888888", "weight": 1,
                                                                 "fillColor": "#dddddd", "fillOpacity": 0.5},
                           tooltip=folium.GeoJsonTooltip(["name"], labels=False)).add_to(fg)
            fg.add_to(fmap)
        if geo.edges:
            walk = folium.FeatureGroup(name=w("layer_walkways"), show=True)
            lines = shapely.MultiLineString([e for e in geo.edges if len(e) >= 2])
            folium.GeoJson(_feature(proj.geometry(lines), {}),
                           style_function=lambda f: {"color": "#b0b0b0", "weight": 1}).add_to(walk)
            walk.add_to(fmap)

    shown: list[tuple[int, list[dict[str, Any]]]] = []
    for s in reversed([s for s in m.snapshots if s.zones]):  # the latest first; one layer per distinct zone set
        if all(z != s.zones for _t, z in shown):
            shown.append((s.zones_t_us or s.t_us, s.zones))
    for n, (t_us, zones) in enumerate(shown):
        fg = folium.FeatureGroup(name=w("layer_zones", t=clock(t_us, tz)), show=n == 0)
        for z in zones:
            c = ZONE_COLOURS.get(z["level"], "#7f7f7f")
            folium.GeoJson(_feature(proj.geometry(shapely.geometry.shape(z["geometry"])),
                                    {"level": w.zone(z["level"])}),
                           style_function=lambda f, c=c: {"color": c, "weight": 1.5, "fillColor": c,
                                                          "fillOpacity": 0.2},
                           tooltip=folium.GeoJsonTooltip(["level"], labels=False)).add_to(fg)
        fg.add_to(fmap)

    routes = next((s.routes for s in reversed(m.snapshots) if s.routes), {})
    if routes and geo is not None and geo.edges:
        fg = folium.FeatureGroup(name=w("layer_routes"), show=True)
        for k, (ap, edges) in enumerate(sorted(routes.items())):
            segs = [geo.edges[e] for e in edges if 0 <= e < len(geo.edges) and len(geo.edges[e]) >= 2]
            if segs:
                c = AP_COLOURS[k % len(AP_COLOURS)]
                folium.GeoJson(_feature(proj.geometry(shapely.MultiLineString(segs)), {"ap": ap}),
                               style_function=lambda f, c=c: {"color": c, "weight": 3, "opacity": 0.8},
                               tooltip=folium.GeoJsonTooltip(["ap"], labels=False)).add_to(fg)
        fg.add_to(fmap)

    if geo is not None and geo.assembly_points:
        fg = folium.FeatureGroup(name=w("layer_aps"), show=True)
        for a in geo.assembly_points:
            n = m.muster.by_point.get(a.id, 0)
            cap = f", {w('capacity')} {a.capacity}" if a.capacity is not None else ""
            folium.CircleMarker(proj.latlon(np.array([[a.x, a.y]]))[0], radius=8, color="#1b5e20", weight=2,
                                fill=True, fill_color="#2ca02c", fill_opacity=0.9,
                                tooltip=f"{a.id} {a.name}: {w('mustered')} {n}{cap}").add_to(fg)
        fg.add_to(fmap)

    track_fc = _tracks(m, tracks, proj, tz) if len(tracks) else _fc([])
    if track_fc["features"]:
        fg = folium.FeatureGroup(name=w("layer_tracks"), show=True)
        folium.GeoJson(track_fc, style_function=lambda f: {"color": "#1f77b4", "weight": 1.2, "opacity": 0.6},
                       tooltip=folium.GeoJsonTooltip(["person", "first", "last", "reports"])).add_to(fg)
        fg.add_to(fmap)
    if len(tracks):
        last = m.snapshots[-1] if m.snapshots else None
        if last is not None:
            fg = folium.FeatureGroup(name=w("layer_last"), show=True)
            colours = {0: "#1f77b4", 1: "#2ca02c", 2: "#d62728"}
            ok = np.isfinite(last.x) & np.isfinite(last.y)
            idx = np.flatnonzero(ok)
            feats = []
            latlon = proj.latlon(np.column_stack((last.x[idx], last.y[idx]))) if len(idx) else []
            for i, (lat, lon) in zip(idx.tolist(), latlon, strict=True):
                feats.append(_feature({"type": "Point", "coordinates": [lon, lat]},
                                      {"person": m.people_ids[i], "colour": colours[int(last.status[i])]}))
            if feats:  # everyone mustered at a point the map does not know: nothing to draw
                folium.GeoJson(_fc(feats), marker=folium.CircleMarker(radius=3, weight=0, fill=True,
                                                                      fill_opacity=0.9),
                               style_function=lambda f: {"fillColor": f["properties"]["colour"], "color": "#000000"},
                               tooltip=folium.GeoJsonTooltip(["person"], labels=False)).add_to(fg)
                fg.add_to(fmap)

    alarms = sorted(m.alarm_times)
    if geo is not None and alarms:
        fg = folium.FeatureGroup(name=w("layer_sensors"), show=True)
        for sid in alarms:
            if sid in geo.sensors:
                when = ", ".join(clock(t, tz) for t in m.alarm_times.get(sid, []))
                folium.CircleMarker(proj.latlon(np.array([geo.sensors[sid]]))[0], radius=6, color="#000000",
                                    weight=1, fill=True, fill_color="#d62728", fill_opacity=1.0,
                                    tooltip=f"{sid}: {when}").add_to(fg)
        fg.add_to(fmap)

    folium.LayerControl(collapsed=False).add_to(fmap)
    fmap.fit_bounds([corners[0], corners[1]])
    js, css = leaflet_inline()
    root = fmap.get_root()
    root.header.add_child(Element(f"<title>{_esc(title)}</title>"), name="cc_title")
    root.header.add_child(Element(f"<style>{css}{font_face_css(font)}</style>"), name="cc_leaflet_css")
    root.header.add_child(Element(f"<script>{js}</script>"), name="cc_leaflet_js")
    band = ("#c81e1e", f"{w('exercise_banner')}") if m.exercise else ("#1f3a68", w("real_incident"))
    span = f"{clock(m.opened_us, tz, date=True)} → {clock(m.ended_us, tz, date=True)} (T+{duration(m.duration_s)})"
    root.html.add_child(Element(
        f'<div id="cc-banner" style="position:fixed;top:0;left:0;right:0;z-index:1000;background:{band[0]};'
        f'color:#fff;font:bold 14px sans-serif;text-align:center;padding:4px">{_esc(band[1])} · {_esc(m.title)}'
        f'<br><span style="font-weight:normal;font-size:12px">{_esc(m.incident_id)} · {_esc(span)} · '
        f'{_esc(w("no_tiles"))}</span></div>'))
    path.parent.mkdir(parents=True, exist_ok=True)
    fmap.save(str(path))
    return path


def _esc(text: str) -> str:
    import html

    return html.escape(str(text), quote=True)
