"""The after-action report as a PDF with fpdf2: A4, the CJK font embedded (subset), charts by matplotlib.

Every page of an exercise carries the red 演练 EXERCISE band; every page's footer names the incident, the
hash of the log's last event (so a reader can check the report against the log) and the page number.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fpdf import FPDF, FontFace

from commandcenter.report import charts
from commandcenter.report.evidence import EvidenceFile
from commandcenter.report.fonts import ReportFonts, register_matplotlib
from commandcenter.report.i18n import Words, clock, duration, offset_text, percent
from commandcenter.report.model import Finding, ReportModel
from commandcenter.report.plantgeo import PlantGeometry
from vocabulary.events import from_us, to_us

FONT = "cjk"
RED = (200, 30, 30)
GREY = (110, 110, 110)
HEAD_FILL = (232, 236, 242)


class _Doc(FPDF):
    """An fpdf2 document with the report's running header (exercise band) and footer."""

    def __init__(self, m: ReportModel, w: Words, fonts: ReportFonts, generated: str):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.rep, self.words, self.rfonts, self.generated_text = m, w, fonts, generated
        self.set_margins(15, 20, 15)
        self.set_auto_page_break(True, margin=18)
        self.add_font(FONT, "", str(fonts.regular))
        self.add_font(FONT, "B", str(fonts.bold))
        self.set_title(self.clean(f"{w('report_title')} — {m.title}"))
        self.set_author("plant-commandcenter")
        self.set_creator("commandcenter report")
        self.set_lang("zh-CN" if w.lang == "zh" else "en")
        self.alias_nb_pages()

    def clean(self, text: Any) -> str:
        """``text`` with every character the font lacks replaced by ``?`` (never an empty box)."""
        s = "" if text is None else str(text)
        return "".join(c if self.rfonts.covers(c) else "?" for c in s)

    def header(self) -> None:
        if self.rep.exercise:
            self.set_fill_color(*RED)
            self.rect(0, 0, self.w, 9, style="F")
            self.set_xy(0, 1.5)
            self.set_font(FONT, "B", 11)
            self.set_text_color(255, 255, 255)
            self.cell(self.w, 6, self.clean(self.words("exercise_banner")), align="C")
        self.set_xy(self.l_margin, 11)
        self.set_font(FONT, "", 7)
        self.set_text_color(*GREY)
        self.cell(self.epw, 4, self.clean(f"{self.words('report_title')} · {self.rep.incident_id} · {self.rep.title}"),
                  align="L")
        self.set_text_color(0, 0, 0)
        self.set_y(self.t_margin)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(FONT, "", 7)
        self.set_text_color(*GREY)
        head = str(self.rep.chain.get("head_hash") or "")[:16]
        left = f"{self.rep.incident_id} · {self.words('generated')} {self.generated_text} · log head {head}"
        if self.rep.exercise:
            left = f"{self.words('exercise_short')} · " + left
        self.cell(self.epw * 0.75, 5, self.clean(left), align="L")
        self.cell(self.epw * 0.25, 5, self.clean(self.words("page", n=self.page_no(), total="{nb}")), align="R")
        self.set_text_color(0, 0, 0)


def _h1(pdf: _Doc, text: str) -> None:
    pdf.set_font(FONT, "B", 13)
    pdf.set_text_color(20, 40, 90)
    pdf.multi_cell(0, 7, pdf.clean(text), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(1)


def _h2(pdf: _Doc, text: str) -> None:
    if pdf.get_y() > pdf.h - 45:
        pdf.add_page()
    pdf.ln(2)
    pdf.set_font(FONT, "B", 11)
    pdf.set_text_color(20, 40, 90)
    pdf.multi_cell(0, 6, pdf.clean(text), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(0.5)


def _para(pdf: _Doc, text: str, size: float = 8.5, colour: tuple[int, int, int] = (0, 0, 0),
          wrap: str | None = None) -> None:
    pdf.set_font(FONT, "", size)
    pdf.set_text_color(*colour)
    pdf.multi_cell(0, size * 0.5, pdf.clean(text), new_x="LMARGIN", new_y="NEXT",
                   wrapmode=wrap or ("CHAR" if pdf.words.lang == "zh" else "WORD"))
    pdf.set_text_color(0, 0, 0)


def _table(pdf: _Doc, head: list[str], rows: list[list[str]], widths: tuple[float, ...], size: float = 7.5,
           styles: list[FontFace | None] | None = None) -> None:
    pdf.set_font(FONT, "", size)
    with pdf.table(col_widths=widths, line_height=size * 0.55, padding=(0.8, 1.0),
                   headings_style=FontFace(emphasis="BOLD", fill_color=HEAD_FILL), text_align="LEFT",
                   wrapmode="CHAR" if pdf.words.lang == "zh" else "WORD", repeat_headings=1) as t:
        r = t.row()
        for h in head:
            r.cell(pdf.clean(h))
        for i, row in enumerate(rows):
            r = t.row(style=(styles[i] if styles else None))
            for c in row:
                r.cell(pdf.clean(c))
    pdf.ln(2)


def _kv(pdf: _Doc, rows: list[list[str]], widths: tuple[float, ...] = (1, 3), size: float = 7.5) -> None:
    pdf.set_font(FONT, "", size)
    with pdf.table(col_widths=widths, line_height=size * 0.55, padding=(0.8, 1.0), first_row_as_headings=False,
                   text_align="LEFT", wrapmode="CHAR" if pdf.words.lang == "zh" else "WORD") as t:
        for k, v in rows:
            r = t.row()
            r.cell(pdf.clean(k), style=FontFace(emphasis="BOLD", fill_color=HEAD_FILL))
            r.cell(pdf.clean(v))
    pdf.ln(2)


def _image(pdf: _Doc, png: bytes, width: float) -> None:
    from PIL import Image

    with Image.open(io.BytesIO(png)) as im:
        h = width * im.height / im.width
    if pdf.get_y() + h > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.image(io.BytesIO(png), x=pdf.l_margin + (pdf.epw - width) / 2, w=width)
    pdf.ln(1)


def _cover(pdf: _Doc, m: ReportModel, w: Words, tz: dt.tzinfo, tz_label: str) -> None:
    pdf.add_page()
    pdf.set_font(FONT, "B", 18)
    pdf.multi_cell(0, 9, pdf.clean(w("report_title")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 12)
    pdf.multi_cell(0, 6.5, pdf.clean(m.title), new_x="LMARGIN", new_y="NEXT",
                   wrapmode="CHAR" if w.lang == "zh" else "WORD")
    pdf.ln(1)
    if m.exercise:
        pdf.set_font(FONT, "B", 10)
        pdf.set_text_color(*RED)
        pdf.cell(0, 6, pdf.clean(w("exercise_banner")), new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
    offset = offset_text(from_us(m.opened_us, tz))
    _kv(pdf, [
        [w("incident"), m.incident_id],
        [w("plant"), m.plant or "—"],
        [w("timezone"), f"{tz_label} (UTC{offset})"],
        [w("period"), f"{clock(m.opened_us, tz, date=True)} → {clock(m.ended_us, tz, date=True)}"],
        [w("duration"), duration(m.duration_s)],
        [w("plans"), "; ".join(f"{p['plan_id']} {w.text(p.get('title'))} · {w.level(p['level'])} · "
                               f"{clock(p['t_us'], tz)}" for p in m.plans) or "—"],
        [w("levels"), " → ".join(f"{w.level(lv['to'])} ({clock(lv['t_us'], tz)})" for lv in m.levels) or "—"],
        [w("scenario"), _scenario_text(m.scenario, w, tz) if m.scenario else w("no_scenario")],
    ], (1, 4))
    _para(pdf, w("times_note", tz=tz_label, offset=offset), 7.5, GREY)
    _population(pdf, m, w, tz)
    _h2(pdf, w("summary"))
    s = m.summary()
    timed = s["steps_on_time"] + s["steps_late"]
    _kv(pdf, [
        [w("steps_on_time"), w("steps_on_time_v", ok=s["steps_on_time"], done=timed, total=s["steps"])],
        [w("overrun"), overrun_text(m.overrun_s, w)],
        [w("t100"), (f"T+{duration(m.muster.t100_s)} " if m.muster.t100_s is not None else f"{w('never')} ")
         + f"({w('accounted')}: {len(m.muster.accounted_s)}/{m.muster.expected})"],
        [w("ack_median"), f"{s['ack_median_s']:.1f} s" if s["ack_median_s"] is not None else "—"],
        [w("linkage"), f"{percent(m.linkage.rate)} ({m.linkage.done_in_time}/{m.linkage.sent})"],
        [w("accuracy"), f"{percent(m.accuracy.accuracy)} ({m.accuracy.correct}/{m.accuracy.mustered_with_plan}: "
                        f"{w('accuracy_def')})"],
        [w("evidence_verified"), f"{s['evidence_verified']}/{s['evidence']}"],
        [w("integrity"), _chain_text(m, w)],
    ], (1, 2))
    _h2(pdf, w("key_times"))
    rows = []
    for k in m.key_times:
        if k.key.startswith("level:"):
            label = w("key_level", level=w.level(k.key.split(":", 1)[1]))
        else:
            label = w("key_" + k.key)
        rows.append([label, clock(k.t_us, tz), f"T+{duration(k.elapsed_s)}", k.detail])
    _table(pdf, [w("moment"), w("time"), w("elapsed"), w("detail")], rows, (3, 2.2, 1.3, 4))


def people_rows(m: ReportModel, w: Words, tz: dt.tzinfo) -> list[list[str]]:
    """The population statement (:mod:`plans.population`) as label/value rows: the groups every
    people figure of the report counts, and the check that they add up."""
    pop = m.population
    if pop is None:
        return []
    c = pop.counts()
    at = f"{w('at_alarm')} {clock(pop.alarm_us, tz)} (T+{duration((pop.alarm_us - m.opened_us) / 1e6)})"
    rows = [[w("pop_on_site"), f"{c['on_site']} — {at}; {w('pop_on_site_' + pop.on_site_basis)}"],
            [w("pop_ordered"), f"{c['ordered']} — {w('muster_basis_' + pop.ordered_basis)}"],
            [w("pop_walk_ups"), str(c["walk_ups"])],
            [w("pop_group"), str(c["to_account_for"])],
            [w("pop_mustered"), str(c["mustered"])],
            [w("pop_on_task"), str(c["on_task"]) + (f" ({', '.join(sorted(pop.on_task))})" if pop.on_task else "")],
            [w("pop_unaccounted"), str(c["not_accounted_for"])
             + (f" ({', '.join(pop.unaccounted[:40])}{' …' if len(pop.unaccounted) > 40 else ''})"
                if pop.unaccounted else "")],
            [w("pop_sum"), f"{c['mustered']} + {c['on_task']} + {c['not_accounted_for']} = {c['to_account_for']}"]]
    if c["mustered_not_ordered"]:
        rows.append([w("pop_not_ordered"), f"{c['mustered_not_ordered']} "
                                           f"({', '.join(sorted(pop.mustered_not_ordered)[:40])})"])
    return rows


def _population(pdf: _Doc, m: ReportModel, w: Words, tz: dt.tzinfo) -> None:
    rows = people_rows(m, w, tz)
    if rows:
        _h2(pdf, w("people_h"))
        _kv(pdf, rows, (1.6, 3))


def overrun_text(s: float | None, w: Words) -> str:
    """``2:30 later than planned`` / ``6:20 ahead of plan`` (never a bare negative overrun)."""
    if s is None:
        return "—"
    if abs(s) < 0.5:
        return w("overrun_none")
    return w("overrun_late", d=duration(s)) if s > 0 else w("overrun_early", d=duration(-s))


def _scenario_text(sc: dict[str, Any], w: Words, tz: dt.tzinfo) -> str:
    """The drill's scenario in words: id, kind, source and release, plan, start (plant time), weather, seed."""
    parts = [w("sc_id", v=sc["scenario_id"])] if sc.get("scenario_id") else []
    if sc.get("kind"):
        parts.append(str(sc["kind"]).replace("_", " "))
    if sc.get("source_id"):
        parts.append(w("sc_source", v=sc["source_id"]))
    params = sc.get("params") if isinstance(sc.get("params"), dict) else {}
    rate = params.get("rate_kg_s")
    if params.get("substance") and isinstance(rate, (int, float)) and math.isfinite(rate):
        parts.append(w("sc_release", substance=params["substance"], rate=f"{rate:.3g}"))
    if sc.get("plan_id"):
        parts.append(w("sc_plan", v=sc["plan_id"]))
    start = sc.get("start")
    if start:
        try:
            parts.append(w("sc_start", v=clock(to_us(dt.datetime.fromisoformat(str(start))), tz, date=True)))
        except (ValueError, TypeError):
            parts.append(w("sc_start", v=start))
    weather = sc.get("weather") if isinstance(sc.get("weather"), dict) else {}
    speed, deg = weather.get("wind_speed_mps"), weather.get("wind_from_deg")
    if isinstance(speed, (int, float)) and isinstance(deg, (int, float)):
        parts.append(w("sc_wind", speed=f"{speed:.1f}", deg=f"{deg:.0f}", stability=weather.get("stability") or "—"))
    if sc.get("seed") is not None:
        parts.append(w("sc_seed", v=sc["seed"]))
    return " · ".join(parts)


def _chain_text(m: ReportModel, w: Words) -> str:
    c = m.chain
    if c.get("intact"):
        return w("chain_ok", n=c.get("events_ok"), h=str(c.get("head_hash"))[:16])
    return w("chain_bad", brk=c.get("break"))


def _steps(pdf: _Doc, m: ReportModel, w: Words, tz: dt.tzinfo) -> None:
    pdf.add_page()
    _h1(pdf, w("steps"))
    rows, styles = [], []
    for s in m.steps:
        status = w("outcome_" + s.outcome) + (" · " + w("st_late") if s.on_time is False else "")
        rows.append([f"{w.text(s.title) or s.task_id}\n{s.task_id}", _people(s.assignees, 2) or "—",
                     clock(s.deadline_us, tz), clock(s.finished_us, tz), duration(s.late_s, signed=True), status])
        styles.append(FontFace(color=RED) if (s.on_time is False or s.outcome == "open") else None)
    if rows:
        _table(pdf, [w("step"), w("assignee"), w("deadline"), w("actual"), w("deviation"), w("status")], rows,
               (4.2, 1.8, 1.9, 1.9, 1.2, 1.5), 7, styles)
    else:
        _para(pdf, "—")
    if m.critical_path:
        _para(pdf, f"{w('critical_path')}: " + " → ".join(m.critical_path), 7.5)
        _para(pdf, f"{w('overrun')}: {overrun_text(m.overrun_s, w)}", 7.5)
    png = charts.deviation_chart(m, w)
    if png:
        _h2(pdf, w("deviation_axis"))
        _image(pdf, png, 170)


def _muster_acks(pdf: _Doc, m: ReportModel, w: Words, tz: dt.tzinfo) -> None:
    pdf.add_page()
    _h1(pdf, w("muster"))
    mu = m.muster
    _para(pdf, w("muster_basis_" + mu.basis) + ". " + w("muster_group_note"), 8, GREY)
    _image(pdf, charts.muster_chart(m, w, tz), 175)
    _table(pdf, [w("expected"), w("mustered"), w("on_task"), w("missing"), w("others"), w("t90"), w("t100")],
           [[str(mu.expected), str(len(mu.mustered_s)), str(len(mu.on_task_s)), str(len(mu.missing)),
             str(mu.others), f"T+{duration(mu.t90_s)}" if mu.t90_s is not None else w("never"),
             f"T+{duration(mu.t100_s)}" if mu.t100_s is not None else w("never")]], (1, 1, 1, 1, 1, 1.2, 1.2))
    if mu.missing:
        _para(pdf, f"{w('missing')}: " + ", ".join(mu.missing[:60]) + (" …" if len(mu.missing) > 60 else ""), 7.5)
    if mu.by_point:
        points = ", ".join(f"{ap}: {n} {w('people')}" for ap, n in sorted(mu.by_point.items()))
        _para(pdf, f"{w('mustered')}: {points}", 7.5)
    _h2(pdf, w("acks"))
    _image(pdf, charts.ack_chart(m, w), 175)
    lat = m.latencies

    def stats(v: list[float]) -> list[str]:
        import numpy as np

        if not v:
            return ["0", "—", "—", "—"]
        a = np.asarray(v)
        return [str(len(a)), f"{np.median(a):.1f} s", f"{np.percentile(a, 90):.1f} s", f"{a.max():.1f} s"]

    _table(pdf, ["", "n", w("median"), w("p90"), w("max"), w("unanswered")],
           [[w("cmd_acks"), *stats(lat.command_s), str(lat.command_unanswered)],
            [w("task_acks"), *stats(lat.task_s), str(lat.task_unanswered)]], (2, 0.8, 1, 1, 1, 1))


def _zones_and_maps(pdf: _Doc, m: ReportModel, w: Words, tz: dt.tzinfo, geo: PlantGeometry | None) -> None:
    pdf.add_page()
    _h1(pdf, w("zones"))
    png = charts.zones_chart(m, w, tz)
    if png is None:
        _para(pdf, w("zones_none"))
    else:
        _image(pdf, png, 175)
        _para(pdf, w("zones_note"), 7.5, GREY)
        _para(pdf, "; ".join(f"{w.zone(lv)} {w('peak')}: {n} {w('people')} @ T+{duration(t)}"
                             for lv, (n, t) in m.zones.peak.items()), 8)
    _h2(pdf, w("snapshots"))
    xs: list[float] = []
    ys: list[float] = []
    for s in m.snapshots:  # one extent for every moment: they compare at a glance
        sx, sy = charts.frame_points(s, m, geo)
        xs += sx
        ys += sy
    pngs = [charts.snapshot_map(s, m, w, tz, geo, (xs, ys)) for s in m.snapshots]
    col = (pdf.epw - 4) / 2
    for i in range(0, len(pngs), 2):
        pair = pngs[i:i + 2]
        from PIL import Image

        heights = []
        for p in pair:
            with Image.open(io.BytesIO(p)) as im:
                heights.append(col * im.height / im.width)
        if pdf.get_y() + max(heights) > pdf.h - pdf.b_margin:
            pdf.add_page()
        y = pdf.get_y()
        for j, p in enumerate(pair):
            pdf.image(io.BytesIO(p), x=pdf.l_margin + j * (col + 4), y=y, w=col)
        pdf.set_y(y + max(heights) + 2)


def _audit(pdf: _Doc, m: ReportModel, w: Words, tz: dt.tzinfo, files: dict[str, EvidenceFile]) -> None:
    pdf.add_page()
    _h1(pdf, w("audit"))
    _para(pdf, w("audit_note"), 7.5, GREY)
    rows, styles = [], []
    for a in m.audit:
        ev = "; ".join(f"{e.sha256[:10]}… {w('ev_' + e.status)}" for e in a.evidence)
        if not ev:
            ev = w("ev_required_none") if a.evidence_required else w("ev_none")
        in_time = w("na") if a.in_time is None else (w("yes") if a.in_time else w("no"))
        rows.append([f"{w.text(a.title) or a.ref}\n{a.ref}", clock(a.deadline_us, tz), clock(a.done_us, tz),
                     in_time, ev, w("st_" + a.status)])
        styles.append(None if a.status == "compliant" else FontFace(color=RED))
    if rows:
        _table(pdf, [w("action"), w("deadline"), w("actual"), w("in_time"), w("evidence"), w("status")], rows,
               (4, 1.8, 1.8, 0.9, 2.6, 1.6), 7, styles)
    thumbs = [(e, files.get(e.sha256)) for e in m.evidence]
    if thumbs:
        _h2(pdf, w("evidence"))
        _gallery(pdf, thumbs, w, tz)
    _h2(pdf, w("linkage"))
    _para(pdf, f"{percent(m.linkage.rate)} = {m.linkage.done_in_time}/{m.linkage.sent} ({w('linkage_def')})", 8.5)
    if m.linkage.rows:
        _table(pdf, [w("equipment"), w("sent"), w("deadline"), w("actual"), w("result")],
               [[f"{r.get('equipment_id') or '—'} {r.get('action') or ''}\n{r['command_id']}", clock(r["sent_us"], tz),
                 clock(r["deadline_us"], tz), clock(r["done_us"], tz), w("res_" + r["result"])]
                for r in m.linkage.rows], (3, 1.8, 1.8, 1.8, 1.4), 7,
               [None if r["result"] == "done" else FontFace(color=RED) for r in m.linkage.rows])
    else:
        _para(pdf, w("linkage_none"), 8)
    _h2(pdf, w("accuracy"))
    acc = m.accuracy
    if acc.planned:
        _para(pdf, f"{percent(acc.accuracy)} = {acc.correct}/{acc.mustered_with_plan} ({w('accuracy_def')}); "
                   f"{w('acc_not_mustered')}: {acc.not_mustered}", 8.5)
        if acc.wrong:
            _table(pdf, [w("person"), w("sent_to"), w("reached")],
                   [[x["person_id"], x["sent_to"], x["reached"]] for x in acc.wrong[:40]], (1, 1, 1), 7)
    else:
        _para(pdf, w("accuracy_none"), 8)


def _gallery(pdf: _Doc, items: list[tuple[Any, EvidenceFile | None]], w: Words, tz: dt.tzinfo) -> None:
    size, gap, per_row = 40.0, 4.0, 4
    for i in range(0, len(items), per_row):
        if pdf.get_y() + size + 12 > pdf.h - pdf.b_margin:
            pdf.add_page()
        y = pdf.get_y()
        for j, (e, f) in enumerate(items[i:i + per_row]):
            x = pdf.l_margin + j * (size + gap)
            if f is not None and f.thumbnail is not None and e.status == "verified":
                pdf.image(io.BytesIO(f.thumbnail), x=x, y=y, w=size, h=size, keep_aspect_ratio=True)
            else:
                pdf.set_draw_color(*RED)
                pdf.rect(x, y, size, size)
                pdf.set_xy(x, y + size / 2 - 3)
                pdf.set_font(FONT, "B", 8)
                pdf.set_text_color(*RED)
                pdf.cell(size, 6, pdf.clean(w("ev_" + e.status)), align="C")
                pdf.set_text_color(0, 0, 0)
                pdf.set_draw_color(0, 0, 0)
            pdf.set_xy(x, y + size + 0.5)
            pdf.set_font(FONT, "", 6)
            caption = f"{e.task_id or '—'} · {clock(e.t_us, tz)}\nsha256 {e.sha256[:16]}… {w('ev_' + e.status)}"
            if e.caption:
                caption = f"{e.caption}\n" + caption
            pdf.multi_cell(size, 2.6, pdf.clean(caption), wrapmode="CHAR")
        pdf.set_y(y + size + 12)


def _people(ids: list[str], keep: int = 4) -> str:
    """``E1, E2, E3, E4 … (+6)``: a list of ids that stays one line."""
    return ", ".join(ids[:keep]) + (f" … (+{len(ids) - keep})" if len(ids) > keep else "")


def finding_text(f: Finding, w: Words) -> str:
    """The sentence of one finding in the report's language."""
    p = f.params
    if f.code == "late_step":
        key = "f_late_step" if (p["delayed_end_s"] or 0) >= 0.5 else "f_late_step_no_delay"
        return w(key, title=w.text(p["title"]) or p["task_id"], late=duration(p["late_s"]),
                 delay=duration(p["delayed_end_s"]), critical=w("f_critical") if p["critical"] else "")
    if f.code == "silent_assignees":
        return w("f_silent_assignees", task=p["task_id"], n=len(p["people"]), people=_people(p["people"]),
                 silent=duration(p["silent_s"]))
    if f.code == "step_not_done":
        title = w.text(p["title"]) or p["task_id"]
        if p["overdue_s"] is not None and p["overdue_s"] < 0:
            return w("f_step_not_done_early", title=title, task=p["task_id"], left=duration(-p["overdue_s"]))
        return w("f_step_not_done", title=title, task=p["task_id"], over=duration(p["overdue_s"]))
    if f.code == "not_accounted":
        return w("f_not_accounted", count=p["count"], expected=p["expected"], people=", ".join(p["people"]))
    if f.code == "wrong_assembly_point":
        return w("f_wrong_assembly_point", count=p["count"],
                 people=", ".join(f"{x['person_id']} ({x['sent_to']}→{x['reached']})" for x in p["people"]))
    if f.code == "linkage_failed":
        return w("f_linkage_failed", count=p["count"], commands=", ".join(p["commands"]))
    if f.code == "evidence_not_verified":
        return w("f_evidence_not_verified", count=p["count"],
                 items=", ".join(f"{x['sha256']} {w('ev_' + x['status'])}" for x in p["items"]))
    if f.code == "sos":
        return w("f_sos", person=p["person_id"], t=duration(p["t_s"]), text=p.get("text") or "")
    return f.code


def _findings_trend(pdf: _Doc, m: ReportModel, w: Words, tz: dt.tzinfo) -> None:
    pdf.add_page()
    _h1(pdf, w("findings"))
    if m.findings:
        _table(pdf, ["#", w("finding"), w("delay")],
               [[str(i + 1), finding_text(f, w), duration(f.delay_s) if f.delay_s > 0 else "—"]
                for i, f in enumerate(m.findings)], (0.4, 6, 1), 7.5)
    else:
        _para(pdf, w("findings_none"))
    _h2(pdf, w("trend"))
    if len(m.trend) < 2:
        _para(pdf, w("trend_none"), 8)
    else:
        png = charts.trend_chart(m, w, tz)
        if png:
            _image(pdf, png, 175)
        _table(pdf, [w("incident"), w("time"), w("trend_launch"), w("trend_muster"), w("trend_on_time"),
                     w("linkage"), w("accuracy")],
               [[p.incident_id + (f" ({w('this_drill')})" if p.current else ""), clock(p.opened_us, tz, date=True),
                 duration(p.launch_s), duration(p.muster_100_s), percent(p.on_time_share), percent(p.linkage_rate),
                 percent(p.accuracy)] for p in m.trend], (2.2, 2.4, 1, 1.1, 1, 1, 1), 7)
    _h2(pdf, w("integrity"))
    _para(pdf, _chain_text(m, w), 8)
    _para(pdf, f"{w('events')}: " + ", ".join(f"{k} {v}" for k, v in sorted(m.counts.items())), 7, GREY,
          wrap="WORD")  # event types are single words: never split inside one


def write_pdf(m: ReportModel, path: Path, lang: str, tz: dt.tzinfo, tz_label: str, fonts: ReportFonts,
              geo: PlantGeometry | None, files: dict[str, EvidenceFile], generated: dt.datetime,
              check: Callable[[], None] = lambda: None, progress: Callable[[float, str], None] | None = None) -> Path:
    """Write the report of ``m`` to ``path`` (PDF) in ``lang``."""
    w = Words(lang)
    gen = f"{generated.astimezone(tz):%Y-%m-%d %H:%M} {offset_text(generated.astimezone(tz))}"
    with charts.style(register_matplotlib(fonts)):
        pdf = _Doc(m, w, fonts, gen)
        sections = (("cover", lambda: _cover(pdf, m, w, tz, tz_label)), ("steps", lambda: _steps(pdf, m, w, tz)),
                    ("muster", lambda: _muster_acks(pdf, m, w, tz)),
                    ("maps", lambda: _zones_and_maps(pdf, m, w, tz, geo)),
                    ("audit", lambda: _audit(pdf, m, w, tz, files)),
                    ("findings", lambda: _findings_trend(pdf, m, w, tz)))
        for i, (name, fn) in enumerate(sections):
            check()
            fn()
            if progress:
                progress((i + 1) / len(sections), name)
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path
