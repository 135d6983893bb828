"""The "Hazard assessment" dock: the current assessment of the incident, the level it proposes with its
reason, and the launch of the proposed plan at that level with the cordon and evacuation radii from the zones.

A view of the session: everything shown is ``state["hazard"]["current"]`` (the recorded ``hazard.assessed``),
so after a restart or in a replay it shows what the commander saw. The launch goes through the session
(:meth:`commandcenter.ui.session.IncidentSession.launch`) and carries the ``assessment_id`` and the radii
(``context``), so the plans engine writes the cordon of the zone into the tasks rather than the plan's
fixed number. When a plan already runs, the button raises its level instead. A read-only session (a replay)
shows the assessment without the buttons.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from commandcenter.ui.hazard_dialog import compass, stability_words
from commandcenter.ui.hazard_layer import ZONE_EDGE, people_text, reach_text, zone_name
from commandcenter.ui.hazard_plans import clamp_level, launch_context, plans_of, proposed_plan
from commandcenter.ui.panel_base import table
from commandcenter.ui.side_dock import Retranslating, Squeezable, install_side_dock, set_dock_title
from commandcenter.ui.translations import current_language
from vocabulary.events import Draft, level_rank

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow

_NUM = r"[-+0-9.e]+"
# The dispersion model's notes (gis/hazards: scenario.py, zones.py, dense_gas.py) are English sentences in
# the log; each form is read back here and said in the UI language ({level}: the zone's colour name).
MODEL_NOTES: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(rx), text) for rx, text in (
    (rf"^wind (?P<v>{_NUM}) m/s at (?P<h>{_NUM}) m corrected to (?P<u>{_NUM}) m/s at (?P<z>{_NUM}) m "
     rf"\(power law, p = (?P<p>{_NUM})\)$",
     QT_TRANSLATE_NOOP("HazardPanel", "wind {v} m/s at {h} m corrected to {u} m/s at {z} m (power law, p = {p})")),
    (r"^(?P<s>\S+) is acutely toxic but its toxic thresholds are not in the library yet — these zones show the "
     r"fire hazard only, NOT the toxic hazard$",
     QT_TRANSLATE_NOOP("HazardPanel", "{s} is acutely toxic but its toxic thresholds are not in the library yet: "
                                      "these zones show the fire hazard only, NOT the toxic hazard")),
    (r"^(?P<s>\S+): (?P<g>.+) is not defined — no (?P<level>\w+) zone$",
     QT_TRANSLATE_NOOP("HazardPanel", "{s}: {g} is not defined, so there is no {level} zone")),
    (rf"^(?P<level>\w+) zone \((?P<g>.+) (?P<thr>{_NUM}) ppm\): the threshold is not reached anywhere$",
     QT_TRANSLATE_NOOP("HazardPanel", "{level} zone ({g} {thr} ppm): the threshold is not reached anywhere")),
    (r"^(?P<level>\w+) zone \((?P<g>[^)]+)\) reaches beyond 10 km; the polygon is cut at 10 km$",
     QT_TRANSLATE_NOOP("HazardPanel", "{level} zone ({g}) reaches beyond 10 km; the polygon is cut at 10 km")),
    (r"^(?P<level>\w+) zone \((?P<g>[^)]+)\) ends (?P<m>\d+) m downwind, inside 100 m where the Briggs "
     r"coefficients are extrapolated and the Gaussian model is least reliable$",
     QT_TRANSLATE_NOOP("HazardPanel", "{level} zone ({g}) ends {m} m downwind, inside 100 m where the Briggs "
                                      "coefficients are extrapolated and the Gaussian model is least reliable")),
    (rf"^(?P<s>\S+) is denser than air \((?P<rho>{_NUM}) kg/m3 at (?P<t>{_NUM}) °C vs 1.20 kg/m3\) and the "
     rf"Britter–McQuaid criterion (?P<v>{_NUM}) ≥ (?P<c>{_NUM}): a heavy-gas cloud; the Gaussian result "
     r"understates the near-field concentrations and the cloud width$",
     QT_TRANSLATE_NOOP("HazardPanel", "{s} is denser than air ({rho} kg/m³ at {t} °C against 1.20 kg/m³) and the "
                                      "Britter–McQuaid criterion {v} ≥ {c}: a heavy-gas cloud; the Gaussian result "
                                      "understates the near-field concentrations and the cloud width")),
    (rf"^(?P<s>\S+) is denser than air \((?P<rho>{_NUM}) kg/m3 at (?P<t>{_NUM}) °C vs 1.20 kg/m3\); "
     rf"Britter–McQuaid criterion (?P<v>{_NUM}) < (?P<c>{_NUM}), so it should disperse passively, but the near "
     r"field may still be understated$",
     QT_TRANSLATE_NOOP("HazardPanel", "{s} is denser than air ({rho} kg/m³ at {t} °C against 1.20 kg/m³); "
                                      "Britter–McQuaid criterion {v} < {c}, so it should disperse passively, but "
                                      "the near field may still be understated")),
))


def model_note(note: str) -> str:
    """A note of the dispersion model in the UI language (a note of an unknown form as written)."""
    for rx, text in MODEL_NOTES:
        m = rx.match(note.strip())
        if m:
            parts = m.groupdict()
            if "level" in parts:
                parts["level"] = zone_name(parts["level"])
            return QCoreApplication.translate("HazardPanel", text).format(**parts)
    return note

LEVEL_COLOURS = {"L1": "#1f5fa8", "L2": "#b08800", "L3": "#d06000", "L4": "#b00000"}
_REDRAW_ON = frozenset({"hazard.assessed", "plan.launched", "level.changed", "incident.closed", "weather.observed"})


def _esc(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class HazardPanel(Squeezable, Retranslating, QWidget):
    """See the module docstring. ``tool`` is the window's :class:`commandcenter.ui.hazard_layer.HazardTool`
    (for "Recompute…"; may be None)."""

    def __init__(self, session: Any, tool: Any = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("hazardPanel")
        self.session = session
        self.tool = tool
        self._plans: dict[str, Any] = {}
        self._entry_seq: int | None = None
        self.session.reset.connect(self.refresh)
        self.session.changed.connect(self._events)

        self.empty_label = QLabel()
        self.empty_label.setWordWrap(True)
        self.title_label = QLabel()
        self.title_label.setWordWrap(True)
        self.title_label.setTextFormat(Qt.TextFormat.RichText)
        self.override_label = QLabel()
        self.override_label.setWordWrap(True)
        self.override_label.setStyleSheet("QLabel { color: white; background: #b00000; padding: 4px; }")
        self.weather_label = QLabel()
        self.weather_label.setWordWrap(True)
        self.weather_label.setTextFormat(Qt.TextFormat.RichText)
        self.zones_table = table(4, stretch=3, select_rows=False)
        self.zones_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.zones_table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.level_label = QLabel()
        self.level_label.setObjectName("proposedLevel")
        self.level_label.setTextFormat(Qt.TextFormat.RichText)
        self.reason_label = QLabel()
        self.reason_label.setWordWrap(True)
        self.radii_label = QLabel()
        self.radii_label.setWordWrap(True)
        self.radii_label.setTextFormat(Qt.TextFormat.RichText)
        self.plan_box = QComboBox()
        self.plan_box.currentIndexChanged.connect(self._plan_changed)
        self.level_box = QComboBox()
        self.launch_button = QPushButton()
        self.launch_button.setObjectName("launchProposed")
        self.launch_button.setEnabled(False)
        self.launch_button.clicked.connect(self.launch)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.wind_label = QLabel()
        self.wind_label.setWordWrap(True)
        self.wind_label.setStyleSheet("QLabel { color: #7a4b00; background: #fff5d6; padding: 4px; }")
        self.rewind_button = QPushButton()
        self.rewind_button.clicked.connect(self.recompute_in_new_wind)
        self.recompute_button = QPushButton()
        self.recompute_button.clicked.connect(self.recompute)
        self.notes_label = QLabel()
        self.notes_label.setWordWrap(True)
        self.notes_label.setStyleSheet("QLabel { color: #555; }")

        self.plan_label = QLabel()
        self.level_choice_label = QLabel()
        plan_row = QHBoxLayout()
        plan_row.addWidget(self.plan_label)
        plan_row.addWidget(self.plan_box, 1)
        plan_row.addWidget(self.level_choice_label)
        plan_row.addWidget(self.level_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        for w in (self.empty_label, self.title_label, self.override_label, self.weather_label, self.zones_table,
                  self.level_label, self.reason_label, self.radii_label):
            layout.addWidget(w)
        layout.addLayout(plan_row)
        layout.addWidget(self.launch_button)
        layout.addWidget(self.status_label)
        layout.addWidget(self.wind_label)
        layout.addWidget(self.rewind_button)
        layout.addWidget(self.recompute_button)
        layout.addWidget(self.notes_label)
        layout.addStretch(1)
        self.retranslate_ui()

    # ------------------------------------------------------------------ reading
    def entry(self) -> dict | None:
        """The current assessment of the session (None without one)."""
        state = self.session.state
        return state["hazard"]["current"] if state is not None else None

    @property
    def writable(self) -> bool:
        """Whether the session takes new events (not a replay or a closed or tampered incident)."""
        rt = getattr(self.session, "runtime", None)
        return rt is not None and not rt.read_only and not rt.closed

    def selected_plan(self) -> Any:
        """The plan chosen in the plan box (None when the library has none)."""
        return self._plans.get(self.plan_box.currentData())

    def selected_level(self) -> str | None:
        """The level chosen in the level box."""
        return self.level_box.currentData()

    def _events(self, events: list) -> None:
        if not _REDRAW_ON.isdisjoint(self.session.types_of(events)):
            self.refresh()

    # ------------------------------------------------------------------ drawing
    def refresh(self) -> None:
        """Redraw from the session's state."""
        cur = self.entry()
        shown = cur is not None
        for w in (self.title_label, self.weather_label, self.zones_table, self.level_label, self.reason_label,
                  self.radii_label, self.plan_box, self.level_box, self.plan_label, self.level_choice_label,
                  self.launch_button, self.status_label, self.notes_label):
            w.setVisible(shown)
        self.empty_label.setVisible(not shown)
        self.override_label.setVisible(shown and bool(cur.get("substance_override")))
        self.recompute_button.setVisible(self.tool is not None and self.writable)
        if cur is None:
            self.wind_label.hide()
            self.rewind_button.hide()
            self._entry_seq = None
            return
        lang = current_language()
        self._fill_header(cur, lang)
        self._fill_zones(cur)
        level = cur.get("proposed_level")
        colour = LEVEL_COLOURS.get(level or "", "#333")
        self.level_label.setText(self.tr("Proposed level: <span style='color:{colour}; font-size:16pt; "
                                         "font-weight:bold'>{level}</span>").format(colour=colour, level=level or "—"))
        reason = cur.get("reason_zh") if lang == "zh" and cur.get("reason_zh") else cur.get("reason")
        self.reason_label.setText(self.tr("Why: {reason}").format(reason=reason) if reason else "")
        self.radii_label.setText(self._radii_text(cur))
        if self._entry_seq != cur.get("seq"):
            self._entry_seq = cur.get("seq")
            self._fill_plans(cur)
        self._update_launch()
        self._update_wind(cur)
        notes = [model_note(str(w)) for w in (cur.get("raw") or {}).get("warnings") or []]
        self.notes_label.setText(self.tr("Model notes: {notes}").format(notes="; ".join(notes)) if notes else "")
        self.notes_label.setVisible(bool(notes))

    def _fill_header(self, cur: dict, lang: str) -> None:
        from gis.hazards.library import library

        src = cur.get("source") or {}
        name = (src.get("name_en") if lang == "en" else src.get("name")) or src.get("name") or src.get("id")
        where = f"{name} ({src['id']})" if src.get("id") and name != src.get("id") else (
            name or self.tr("a free point"))
        entry = library().find(cur.get("substance") or "")
        sub = entry.label(lang) if entry is not None else str(cur.get("substance"))
        when = ""
        rt = getattr(self.session, "runtime", None)
        if cur.get("t") is not None and rt is not None:
            when = dt.datetime.fromtimestamp(cur["t"] / 1e6, dt.UTC).astimezone(rt.tz).strftime("%H:%M:%S")
        self.title_label.setText(self.tr("<b>{substance}</b> at <b>{where}</b><br><small>assessed {when} · {id}"
                                         "</small>").format(substance=_esc(sub), where=_esc(where), when=when,
                                                            id=_esc(cur.get("id"))))
        held = src.get("held_substance")
        held_entry = library().find(held) if held else None
        self.override_label.setText(self.tr(
            "Substance overridden: {where} holds {held}; {substance} was modelled on the officer's word.").format(
            where=where, held=held_entry.label(lang) if held_entry else held, substance=sub))
        w = cur.get("weather") or {}
        speed, frm, cls = w.get("wind_speed_mps"), w.get("wind_from_deg"), w.get("stability")
        parts = []
        if isinstance(speed, (int, float)) and isinstance(frm, (int, float)):
            parts.append(self.tr("Wind {speed:g} m/s from the {point} ({deg:.0f}°)").format(
                speed=speed, point=compass(frm), deg=frm))
        if cls:
            parts.append(self.tr("stability {cls}: {words}").format(cls=cls, words=stability_words(cls)))
        text = " · ".join(_esc(p) for p in parts)
        why = (w.get("explanation") or {}).get(lang)
        if why:
            text += f"<br><small>{_esc(why)}</small>"
        self.weather_label.setText(text)

    def _fill_zones(self, cur: dict) -> None:
        from commandcenter.services.zones import zone_rows

        try:
            rows = zone_rows(cur)
        except ValueError:
            rows = []
        self.zones_table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            ppm = r.get("threshold_ppm")
            limit = f"{r.get('guideline') or ''} {ppm:g} ppm".strip() if ppm is not None else (r.get("guideline") or "")
            fence = r.get("beyond_fence")
            fence_text = "—" if fence is None else (self.tr("yes") if fence else self.tr("no"))
            items = [QTableWidgetItem(zone_name(r["level"])), QTableWidgetItem(limit),
                     QTableWidgetItem(reach_text(r)), QTableWidgetItem(people_text(r))]
            items[0].setForeground(QBrush(QColor(*ZONE_EDGE.get(r["level"], (0, 0, 0, 255))[:3])))
            if r.get("people"):
                items[3].setForeground(QBrush(QColor(180, 0, 0)))
            items[2].setToolTip(self.tr("Beyond the site fence: {answer}").format(answer=fence_text))
            for c, item in enumerate(items):
                self.zones_table.setItem(i, c, item)
        self.zones_table.resizeColumnsToContents()
        t = self.zones_table  # every zone row in view: the orange and yellow reach must not hide behind a scroll
        t.setFixedHeight(t.horizontalHeader().height() + sum(t.rowHeight(i) for i in range(t.rowCount()))
                         + 2 * t.frameWidth() + 2)

    def _radii_text(self, cur: dict) -> str:
        cordon, evac = cur.get("cordon_m"), cur.get("evacuation_m")
        far = cur.get("reach_beyond_10km") or {}
        parts = []
        if isinstance(cordon, (int, float)):
            parts.append(self.tr("<b>Cordon {m:,.0f} m</b> (edge of the red zone)").format(m=cordon))
        elif far.get("red"):
            parts.append(self.tr("<b>Cordon: the red zone reaches beyond 10 km</b>"))
        else:
            parts.append(self.tr("No red zone: the cordon is the plan's"))
        if isinstance(evac, (int, float)):
            parts.append(self.tr("<b>evacuate within {m:,.0f} m</b>").format(m=evac))
        elif far.get("orange") or far.get("yellow"):
            parts.append(self.tr("<b>evacuation zone beyond 10 km: warn the neighbours</b>"))
        return " · ".join(parts)

    def _fill_plans(self, cur: dict) -> None:
        self._plans = plans_of(getattr(self.session, "runtime", None))
        lang = current_language()
        proposed = proposed_plan(self._plans, cur.get("substance"))
        self.plan_box.blockSignals(True)
        self.plan_box.clear()
        ordered = sorted(self._plans.values(), key=lambda p: (p is not proposed, p.id))
        for p in ordered:
            title = p.title.get(lang) if hasattr(p.title, "get") else str(p.title)
            mark = self.tr(" (proposed)") if p is proposed else ""
            self.plan_box.addItem(f"{title}{mark}", p.id)
        if proposed is None:
            self.plan_box.insertItem(0, self.tr("— no plan is written for this substance: choose one —"), None)
        self.plan_box.setCurrentIndex(0)
        self.plan_box.blockSignals(False)
        self._plan_changed()

    def _plan_changed(self) -> None:
        plan = self.selected_plan()
        cur = self.entry() or {}
        self.level_box.clear()
        if plan is None:
            self._update_launch()
            return
        for name in plan.level_names:
            self.level_box.addItem(name, name)
        level = clamp_level(plan, cur.get("proposed_level"))
        self.level_box.setCurrentIndex(max(0, self.level_box.findData(level)))
        self._update_launch()

    def _running(self) -> tuple[str, str] | None:
        state = self.session.state
        plans = state["incident"]["plans"] if state is not None else []
        return (plans[-1]["plan"], state["incident"]["level"]) if plans else None

    def _update_launch(self) -> None:
        plan, level = self.selected_plan(), self.selected_level()
        running = self._running()
        self.launch_button.setVisible(self.writable)
        self.plan_box.setEnabled(self.writable and running is None)
        self.level_box.setEnabled(self.writable)
        if running is not None:
            plan_id, now_level = running
            title = self._plan_title(plan_id)
            cur = self.entry() or {}
            target = level or cur.get("proposed_level")
            higher = target is not None and now_level is not None and level_rank(target) > level_rank(now_level)
            self.status_label.setText(self.tr("Running: {plan} at {level}.").format(plan=title, level=now_level))
            self.launch_button.setText(self.tr("Raise the running plan to {level}").format(level=target or "—")
                                       if higher else self.tr("Already at {level} or higher").format(level=now_level))
            self.launch_button.setEnabled(self.writable and higher)
            return
        if not self.writable:
            rt = getattr(self.session, "runtime", None)
            self.status_label.setText(self.tr("Read-only: this incident cannot be changed here.") if rt else "")
            return
        self.status_label.setText("")
        if plan is None or level is None:
            self.launch_button.setText(self.tr("Choose a plan to launch"))
            self.launch_button.setEnabled(False)
            return
        self.launch_button.setText(self.tr("Launch {plan} at {level}").format(
            plan=self._plan_title(plan.id), level=level))
        self.launch_button.setEnabled(True)

    def _plan_title(self, plan_id: str) -> str:
        p = self._plans.get(plan_id) or plans_of(getattr(self.session, "runtime", None)).get(plan_id)
        if p is None:
            return plan_id
        return p.title.get(current_language()) if hasattr(p.title, "get") else str(p.title)

    def _update_wind(self, cur: dict) -> None:
        state = self.session.state or {}
        now = (state.get("hazard") or {}).get("weather")
        w = cur.get("weather") or {}
        changed = (now is not None and (now.get("t") or 0) > (cur.get("t") or 0)
                   and (abs(float(now["wind_speed_mps"]) - float(w.get("wind_speed_mps") or 0)) >= 0.5
                        or _angle(float(now["wind_from_deg"]), float(w.get("wind_from_deg") or 0)) >= 15.0))
        self.wind_label.setVisible(changed)
        self.rewind_button.setVisible(changed and self.tool is not None and self.writable)
        if changed:
            self.wind_label.setText(self.tr(
                "The wind has changed since this assessment: now {speed:g} m/s from the {point} ({deg:.0f}°) "
                "(station {station}). The zones on the map are for the old wind.").format(
                speed=now["wind_speed_mps"], point=compass(now["wind_from_deg"]), deg=now["wind_from_deg"],
                station=now.get("station_id") or "—"))

    # ------------------------------------------------------------------ actions
    def launch(self) -> list:
        """Launch the chosen plan at the chosen level with the assessment's id and radii; when a plan already
        runs, raise it to that level. Returns the recorded events (empty when refused)."""
        cur = self.entry()
        level = self.selected_level()
        if cur is None or level is None or not self.writable:
            return []
        reason = f"assessment {cur['id']}: {cur.get('reason') or ''}".strip().rstrip(":")
        running = self._running()
        if running is not None:
            return self.session.submit(Draft("level.changed", self.session.now(),
                                             {"to": level, "reason": reason, "by": "console"}))
        plan = self.selected_plan()
        if plan is None:
            return []
        src = cur.get("source") or {}
        origin = ((float(src["x"]), float(src["y"]))
                  if isinstance(src.get("x"), (int, float)) and isinstance(src.get("y"), (int, float)) else None)
        return self.session.launch(plan.id, level, assessment_id=cur["id"], context=launch_context(cur) or None,
                                   origin=origin, reason=reason)

    def recompute(self) -> None:
        """Open the hazard dialog again with the last release (to change it)."""
        if self.tool is not None:
            self.tool.open_dialog()

    def recompute_in_new_wind(self) -> None:
        """Assess the last release again in the newest station wind."""
        state = self.session.state or {}
        now = (state.get("hazard") or {}).get("weather")
        if self.tool is None or now is None:
            return
        if self.tool.last_request is None:
            self.tool.open_dialog()
            return
        self.tool.update_wind(float(now["wind_speed_mps"]), float(now["wind_from_deg"]))

    # ------------------------------------------------------------------ language
    def retranslate_ui(self) -> None:
        """Set every text in the current UI language."""
        self.empty_label.setText(self.tr("No hazard assessment yet. Emergency → Hazard zone… computes one from the "
                                         "leaking equipment and the weather."))
        self.zones_table.setHorizontalHeaderLabels([self.tr("Zone"), self.tr("Limit"), self.tr("Reach"),
                                                    self.tr("People inside")])
        self.plan_label.setText(self.tr("Plan"))
        self.level_choice_label.setText(self.tr("Level"))
        self.rewind_button.setText(self.tr("Recompute in the new wind"))
        self.recompute_button.setText(self.tr("Change the release…"))
        set_dock_title(self, self.tr("Hazard assessment"))
        self._entry_seq = None
        self.refresh()


def _angle(a: float, b: float) -> float:
    d = abs(a - b) % 360.0
    return min(d, 360.0 - d)


def install_hazard_panel(window: QMainWindow, tool: Any = None) -> QDockWidget:
    """Add the "Hazard assessment" dock to the right of ``window`` (shown when an assessment is recorded),
    its toggle to the View and Emergency menus. Returns the dock; the panel is ``dock.widget()``."""
    panel = HazardPanel(window.session, tool)
    dock = install_side_dock(window, panel, "hazardDock", 420, menu=getattr(tool, "menu", None))
    plan_dock = getattr(window, "plan_dock", None)
    if isinstance(plan_dock, QDockWidget):  # beside the plan it launches, with the full height of the column
        window.tabifyDockWidget(plan_dock, dock)
    panel.retranslate_ui()
    if panel.entry() is None:
        dock.hide()

    def reveal(events: list) -> None:
        if any(e.type == "hazard.assessed" for e in events):
            dock.show()
            dock.raise_()
    window.session.changed.connect(reveal)
    window.session.reset.connect(lambda: dock.show() if panel.entry() is not None else None)
    return dock
