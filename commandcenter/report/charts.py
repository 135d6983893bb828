"""The report's charts and map snapshots with matplotlib (Agg, no pyplot state): PNG bytes at print resolution.

Every function draws from the report model alone; text is set in the report's CJK font (registered under a
family name unique to its character set, :mod:`.fonts`), so Chinese labels print as Chinese, not boxes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
from collections.abc import Iterator

import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from commandcenter.report.i18n import Words, clock, duration
from commandcenter.report.model import ReportModel, Snapshot
from commandcenter.report.plantgeo import PlantGeometry

DPI = 200
ZONE_COLOURS = {"red": "#d62728", "orange": "#ff7f0e", "yellow": "#e6c200"}
AP_COLOURS = ("#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f")


@contextlib.contextmanager
def style(family: str) -> Iterator[None]:
    """Matplotlib settings for the report's charts, in the report's font."""
    with mpl.rc_context({"font.family": [family], "font.size": 8, "axes.titlesize": 9, "axes.labelsize": 8,
                         "legend.fontsize": 7, "xtick.labelsize": 7, "ytick.labelsize": 7,
                         "axes.unicode_minus": True, "axes.grid": True, "grid.alpha": 0.3,
                         "figure.dpi": DPI, "savefig.dpi": DPI, "pdf.fonttype": 42}):
        yield


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight", pad_inches=0.05)
    return buf.getvalue()


def _minutes_axis(ax, m: ReportModel, w: Words, tz: dt.tzinfo) -> None:
    ax.set_xlabel(w("minutes_after", t=clock(m.opened_us, tz, date=True)))


def _vline_launch(ax, m: ReportModel, w: Words) -> None:
    """The launch of the first plan as a dashed line, named in the legend (a label written along the line ran
    into the curves and the expected count)."""
    for p in m.plans[:1]:
        x = (p["t_us"] - m.opened_us) / 60e6
        ax.axvline(x, color="#555555", lw=0.8, ls="--",
                   label=f"{w('key_launched')} {p['plan_id']} T+{duration((p['t_us'] - m.opened_us) / 1e6)}")


def muster_chart(m: ReportModel, w: Words, tz: dt.tzinfo) -> bytes:
    """The group to account for against time: accounted for (mustered or at their task) and mustered as step
    curves, the group's size, and the 90 %/100 % times (of the group's size)."""
    mu = m.muster
    fig = Figure(figsize=(7.0, 2.9))
    ax = fig.subplots()
    end_min = m.duration_s / 60

    def steps(times: list[float]) -> tuple[np.ndarray, np.ndarray]:
        t = np.asarray(times, dtype=float) / 60
        return (np.concatenate([[0.0], t, [end_min]]), np.concatenate([[0], np.arange(1, len(t) + 1), [len(t)]]))

    if mu.on_task_s or len(mu.accounted_s) != len(mu.mustered_s):
        ax.step(*steps(mu.mustered_s), where="post", color="#17becf", lw=1.1, ls="--",
                label=f"{w('mustered')} {len(mu.mustered_s)}")
    ax.step(*steps(mu.accounted_s), where="post", color="#1f77b4", lw=1.6,
            label=f"{w('accounted')} {len(mu.accounted_s)}")
    if mu.expected:
        ax.axhline(mu.expected, color="#2ca02c", lw=1, ls=":", label=f"{w('expected')} {mu.expected}")
    marks = [(0.9, mu.t90_s, w("t90")), (1.0, mu.t100_s, w("t100"))]
    if mu.t90_s is not None and mu.t90_s == mu.t100_s:
        marks = [(1.0, mu.t100_s, f"{w('t90')} / {w('t100')}")]
    lines = []
    for frac, val, label in marks:
        if val is not None:
            y = int(np.ceil(frac * mu.expected - 1e-9))
            ax.plot([val / 60], [y], "o", color="#d62728", ms=4)
            lines.append(f"{label} T+{duration(val)}")
    if lines:  # one box, clear of the curve's top (two labels beside close points overlapped)
        ax.text(0.99, 0.5, "\n".join(lines), transform=ax.transAxes, ha="right", va="center", fontsize=7,
                color="#d62728", bbox={"fc": "white", "ec": "#d62728", "lw": 0.5, "alpha": 0.9, "pad": 2.5})
    _vline_launch(ax, m, w)
    ax.set_xlim(0, max(end_min, 1e-3))
    ax.set_ylim(0, max(mu.expected, len(mu.accounted_s), 1) * 1.1)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel(w("muster_axis"))
    _minutes_axis(ax, m, w, tz)
    ax.legend(loc="lower right")
    return _png(fig)


def ack_chart(m: ReportModel, w: Words) -> bytes:
    """Histograms of command and task acknowledgement latencies with their medians."""
    lat = m.latencies
    fig = Figure(figsize=(7.0, 2.5))
    ax = fig.subplots()
    data = [np.asarray(lat.command_s, dtype=float), np.asarray(lat.task_s, dtype=float)]
    labels = [w("cmd_acks"), w("task_acks")]
    colours = ["#1f77b4", "#ff7f0e"]
    allv = np.concatenate(data)
    if len(allv):
        hi = max(float(np.max(allv)), 1.0)
        bins = np.linspace(0, hi * 1.02, 30)
        for d, lab, c in zip(data, labels, colours, strict=True):
            if len(d):
                med = float(np.median(d))
                ax.hist(d, bins=bins, alpha=0.6, color=c,
                        label=f"{lab} (n={len(d)}; {w('median').lower()} {med:.1f} s)")
                ax.axvline(med, color=c, lw=1.2, ls="--")
        # above the plot: the slowest answers sit at the right edge, where a legend inside hid them
        ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=2, frameon=False, fontsize=7)
    else:
        ax.text(0.5, 0.5, "—", transform=ax.transAxes, ha="center")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(w("acks_axis"))
    ax.set_ylabel(w("acks_count"))
    return _png(fig)


def zones_chart(m: ReportModel, w: Words, tz: dt.tzinfo) -> bytes | None:
    """People inside each hazard zone level over time (None without zones)."""
    z = m.zones
    if z is None:
        return None
    fig = Figure(figsize=(7.0, 2.7))
    ax = fig.subplots()
    t = np.asarray(z.times_s) / 60
    n = len(z.counts)
    for k, (lv, counts) in enumerate(z.counts.items()):  # the most severe drawn on top: nested counts overlap
        ax.plot(t, counts, lw=1.5 + 0.8 * (n - 1 - k), color=ZONE_COLOURS.get(lv, "#7f7f7f"), label=w.zone(lv),
                zorder=3 + n - k)
    _vline_launch(ax, m, w)
    ax.set_xlim(0, max(m.duration_s / 60, 1e-3))
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel(w("zones_axis"))
    _minutes_axis(ax, m, w, tz)
    ax.legend(loc="upper right")
    return _png(fig)


def deviation_chart(m: ReportModel, w: Words, limit: int = 30) -> bytes | None:
    """Each finished step's deviation from its deadline (s): late to the right in red, early in green."""
    rows = [s for s in m.steps if s.late_s is not None]
    if not rows:
        return None
    rows = sorted(rows, key=lambda s: -abs(s.late_s or 0))[:limit]
    rows.sort(key=lambda s: s.late_s or 0)
    fig = Figure(figsize=(7.0, 0.25 * len(rows) + 0.9))
    ax = fig.subplots()
    vals = np.array([s.late_s for s in rows], dtype=float)
    ax.barh(np.arange(len(rows)), vals, color=np.where(vals > 0, "#d62728", "#2ca02c"))
    ax.set_yticks(np.arange(len(rows)), [_short(w.text(s.title) or s.task_id, 28) for s in rows])
    ax.axvline(0, color="black", lw=0.8)
    ax.set_xlabel(w("deviation_axis"))
    return _png(fig)


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def trend_chart(m: ReportModel, w: Words, tz: dt.tzinfo) -> bytes | None:
    """Launch time, time to all accounted for, and the share of steps on time over the drills of the plan."""
    pts = m.trend
    if len(pts) < 2:
        return None
    fig = Figure(figsize=(7.0, 2.4))
    axes = fig.subplots(1, 3)
    labels = [clock(p.opened_us, tz, date=True)[5:16] for p in pts]
    x = np.arange(len(pts))
    series = [([p.launch_s for p in pts], w("trend_launch")), ([p.muster_100_s for p in pts], w("trend_muster")),
              ([None if p.on_time_share is None else 100 * p.on_time_share for p in pts], w("trend_on_time") + " %")]
    for ax, (vals, title) in zip(axes, series, strict=True):
        v = np.array([np.nan if a is None else a for a in vals], dtype=float)
        ax.set_title(title)
        ax.set_xticks(x, labels, rotation=45, ha="right")
        if not np.isfinite(v).any():
            ax.set_yticks([])
            ax.text(0.5, 0.5, w("no_data"), transform=ax.transAxes, ha="center", va="center", color="#777777")
            continue
        ax.plot(x, v, "o-", color="#1f77b4", ms=3)
        ax.plot([x[-1]], [v[-1]], "o", color="#d62728", ms=5)
    fig.tight_layout()
    return _png(fig)


MIN_SPAN_M = 120.0


def frame_points(s: Snapshot, m: ReportModel, geo: PlantGeometry | None) -> tuple[list[float], list[float]]:
    """The x and y (m, plant CRS) a snapshot must show: its zones, its people, the detectors in alarm and the
    assembly points in use."""
    from shapely.geometry import shape

    xs: list[float] = []
    ys: list[float] = []
    for z in s.zones:
        b = shape(z["geometry"]).bounds
        if b and all(np.isfinite(b)):
            xs += [b[0], b[2]]
            ys += [b[1], b[3]]
    ok = np.isfinite(s.x) & np.isfinite(s.y) & np.isin(s.status, (0, 1, 2))
    if ok.any():
        xs += [float(s.x[ok].min()), float(s.x[ok].max())]
        ys += [float(s.y[ok].min()), float(s.y[ok].max())]
    if geo is not None:
        used = {ap for ap in m.muster.by_point} | set(s.routes)
        for a in geo.assembly_points:
            if a.id in used:
                xs.append(a.x)
                ys.append(a.y)
        for sid in s.alarms:
            if sid in geo.sensors:
                xs.append(geo.sensors[sid][0])
                ys.append(geo.sensors[sid][1])
    return xs, ys


def _frame(ax, xs: list[float], ys: list[float], geo: PlantGeometry | None) -> None:
    """Frame the action area (people, zones, alarms, assembly points in use), at least MIN_SPAN_M across and
    square, with a margin so a symbol at the edge is drawn whole; kept inside the site where the site is wider
    than the frame (no blank paper beside the plant); the whole site when nothing happened on the map."""
    b = geo.bounds() if geo is not None else None
    if not xs and b is not None:
        xs, ys = [b[0], b[2]], [b[1], b[3]]
    if not xs:
        return
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    half = max(max(xs) - min(xs), max(ys) - min(ys), MIN_SPAN_M) / 2 * 1.12 + 10.0
    if b is not None:
        if b[2] - b[0] >= 2 * half:
            cx = min(max(cx, b[0] + half), b[2] - half)
        if b[3] - b[1] >= 2 * half:
            cy = min(max(cy, b[1] + half), b[3] - half)
    ax.set_xlim(cx - half, cx + half)
    ax.set_ylim(cy - half, cy + half)


def _scale_bar(ax) -> None:
    """A scale bar of a round length (10, 20, 50, 100, 200, 500 m …) about a fifth of the frame."""
    from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar

    x0, x1 = ax.get_xlim()
    target = (x1 - x0) / 5
    if target <= 0:
        return
    mag = 10 ** np.floor(np.log10(target))
    length = max(v * mag for v in (1, 2, 5) if v * mag <= target) if target >= mag else mag
    bar = AnchoredSizeBar(ax.transData, length, f"{length:g} m", "lower right", pad=0.3, frameon=True,
                          size_vertical=(x1 - x0) / 200, fontproperties={"size": 6})
    bar.patch.set(facecolor="white", alpha=0.85, edgecolor="none")  # readable over a symbol or a label
    bar.set_zorder(9)
    ax.add_artist(bar)


def snapshot_map(s: Snapshot, m: ReportModel, w: Words, tz: dt.tzinfo, geo: PlantGeometry | None,
                 frame: tuple[list[float], list[float]] | None = None) -> bytes:
    """The plant at one key moment: zones, routes, assembly points, people (on site / mustered / SOS),
    detectors in alarm. ``frame``: the points every snapshot of the report shows (one extent for all, so
    the moments compare at a glance); default: this snapshot's own (:func:`frame_points`)."""
    from matplotlib.collections import LineCollection
    from matplotlib.patches import Polygon as MplPolygon

    fig = Figure(figsize=(3.5, 3.3))
    ax = fig.subplots()
    ax.set_aspect("equal")
    ax.grid(False)
    if geo is not None:
        for ring in geo.site:
            ax.add_patch(MplPolygon(ring, closed=True, fc="#f4f4f0", ec="#888888", lw=0.6))
        for _bid, _name, ring in geo.buildings:
            ax.add_patch(MplPolygon(ring, closed=True, fc="#d9d9d9", ec="#a0a0a0", lw=0.3))
        if geo.edges:
            ax.add_collection(LineCollection(geo.edges, colors="#c8c8c8", linewidths=0.3))
    for z in sorted(s.zones, key=lambda z: -("red", "orange", "yellow").index(z["level"])
                    if z["level"] in ("red", "orange", "yellow") else 1):
        from shapely.geometry import shape

        g = shape(z["geometry"])
        for poly in getattr(g, "geoms", [g]):
            ring = np.asarray(poly.exterior.coords)[:, :2]
            c = ZONE_COLOURS.get(z["level"], "#7f7f7f")
            ax.add_patch(MplPolygon(ring, closed=True, fc=c, ec=c, alpha=0.25, lw=0.8))
    if geo is not None and s.routes and geo.edges:
        for k, (_ap, edges) in enumerate(sorted(s.routes.items())):
            segs = [geo.edges[e] for e in edges if 0 <= e < len(geo.edges)]
            if segs:
                ax.add_collection(LineCollection(segs, colors=AP_COLOURS[k % len(AP_COLOURS)], linewidths=1.1,
                                                 alpha=0.8))
    if geo is not None:
        for a in geo.assembly_points:
            ax.scatter([a.x], [a.y], marker="^", s=70, c="#c8e6c9", ec="#1b5e20", lw=0.6, zorder=4)
            n = int(((s.status == 1) & (np.abs(s.x - a.x) < 1e-6) & (np.abs(s.y - a.y) < 1e-6)).sum())
            ax.annotate(f"{a.id} ({n})" if n else a.id, (a.x, a.y), textcoords="offset points", xytext=(4, 4),
                        fontsize=5.5, zorder=8, clip_on=True)
    ok = np.isfinite(s.x) & np.isfinite(s.y)
    for code, colour, key, size in ((0, "#1f77b4", "legend_on_site", 4), (1, "#2ca02c", "legend_mustered", 4),
                                    (2, "#d62728", "legend_sos", 18)):
        sel = ok & (s.status == code)
        if sel.any():  # the dots are the people whose position is known; the counts are the population's
            ax.scatter(s.x[sel], s.y[sel], s=size, c=colour, lw=0, label=w(key), zorder=5)
    if geo is not None:
        for sid in s.alarms:
            if sid in geo.sensors:
                sx, sy = geo.sensors[sid]
                ax.scatter([sx], [sy], marker="*", s=50, c="#d62728", ec="black", lw=0.3, zorder=7)
    _frame(ax, *(frame if frame is not None else frame_points(s, m, geo)), geo)
    ax.set_xticks([])
    ax.set_yticks([])
    # two lines: a title wider than the map widened the saved image, and that map came out smaller than its
    # neighbour on the page
    ax.set_title(f"{w('snap_' + s.key)}\n{clock(s.t_us, tz)} (T+{duration((s.t_us - m.opened_us) / 1e6)})",
                 fontsize=8.5)
    _scale_bar(ax)
    title = snapshot_counts_text(s.t_us, m, w)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.01), ncol=3, markerscale=1.5, frameon=False,
                  title=title, title_fontsize=6.5)
    elif title:  # nobody's position known at this moment: the counts still stand under the map
        ax.set_xlabel(title, fontsize=6.5)
    return _png(fig)


def snapshot_counts_text(t_us: int, m: ReportModel, w: Words) -> str | None:
    """The population's counts at a map's moment (:meth:`Population.counts_at`), the figures a map states."""
    if m.population is None:
        return None
    c = m.population.counts_at(t_us)
    text = w("legend_counts", group=c["to_account_for"], mustered=c["mustered"], on_task=c["on_task"],
             unaccounted=c["not_accounted_for"])
    if c["mustered_not_ordered"]:
        text += "\n" + w("legend_not_ordered", n=c["mustered_not_ordered"])
    return text
