"""The Tasks dock: every task of the incident grouped by state — overdue first, in red — with its assignee,
deadline (plant time) and time left, the evidence photos sent for it and its equipment linkage (commands to
valves, fans, sirens: sent, done, failed). Reassign a task, mark it done, look at its evidence.

A view of the ``tasks``, ``evidence`` and ``comms`` projections: after a restart it shows exactly what it
showed before.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QFont, QIcon, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from commandcenter.ui.panel_base import AMBER, GREEN, GREY, RED, SessionPanel, duration
from commandcenter.ui.session import IncidentSession
from commandcenter.ui.translations import current_language

#: board groups, top to bottom
GROUPS = ("overdue", "assigned", "working", "pending", "done", "skipped")
GROUP_COLOURS = {"overdue": RED, "assigned": AMBER, "working": None, "pending": AMBER, "done": GREEN,
                 "skipped": GREY}
ID_ROLE = Qt.ItemDataRole.UserRole


def board_state(t: dict[str, Any]) -> str:
    """The state a task shows: past its deadline wins over every open state — ``late_ack`` when nobody had
    acknowledged it by then (it was escalated), ``overdue`` when it was acknowledged but not done in time;
    nobody assignable is pending."""
    status = t["status"]
    if status in ("done", "skipped"):
        return status
    if t["overdue"]:
        return "late_ack" if status in ("assigned", "unassigned") else "overdue"
    if t.get("unassignable") and not t["to"]:
        return "pending"
    return "started" if status == "started" else status


def group_of(state: str) -> str:
    """Which board group a task state belongs to."""
    return {"overdue": "overdue", "late_ack": "overdue", "assigned": "assigned", "acknowledged": "working",
            "started": "working", "in_progress": "working", "done": "done", "skipped": "skipped"}.get(state, "pending")


class TaskPanel(SessionPanel):
    """The task board and its actions."""

    WATCH = ("task.", "plan.", "level.", "incident.", "command.", "evidence.", "person.added")
    #: show a person on the map (their id)
    showPerson = Signal(str)

    def __init__(self, session: IncidentSession, parent: QWidget | None = None):
        super().__init__(session, parent)
        self.setObjectName("taskPanel")
        self.tree = QTreeWidget()
        self.tree.setColumnCount(7)
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        self.tree.itemDoubleClicked.connect(lambda *_: self.show_evidence())
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.reassign_button = QPushButton()
        self.reassign_button.clicked.connect(self.ask_reassign)
        self.done_button = QPushButton()
        self.done_button.clicked.connect(self.mark_done)
        self.evidence_button = QPushButton()
        self.evidence_button.clicked.connect(self.show_evidence)
        self.locate_button = QPushButton()
        self.locate_button.clicked.connect(self._locate)
        buttons = QHBoxLayout()
        for b in (self.reassign_button, self.done_button, self.evidence_button, self.locate_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        self._groups: dict[str, QTreeWidgetItem] = {}
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._update_left)
        self._tick.start()
        self.evidence_dialog: QDialog | None = None
        self.retranslate_ui()
        self.refresh()

    # ------------------------------------------------------------------ reading
    def tasks(self) -> dict[str, dict[str, Any]]:
        """The task projection's tasks (empty without an incident)."""
        state = self.session.state
        return state["tasks"]["tasks"] if state is not None else {}

    def rows(self) -> list[list[str]]:
        """What the board shows, one row per task in board order: title, assignee, deadline, state text."""
        out = []
        for g in GROUPS:
            top = self._groups.get(g)
            if top is None:
                continue
            for i in range(top.childCount()):
                it = top.child(i)
                out.append([it.text(0), it.text(1), it.text(2), it.text(4)])
        return out

    def selected_task(self) -> str | None:
        """The id of the selected task, if any."""
        items = self.tree.selectedItems()
        return items[0].data(0, ID_ROLE) if items and items[0].data(0, ID_ROLE) else None

    def select_task(self, task_id: str) -> None:
        """Select the row of ``task_id``."""
        for g in self._groups.values():
            for i in range(g.childCount()):
                if g.child(i).data(0, ID_ROLE) == task_id:
                    self.tree.setCurrentItem(g.child(i))
                    return
        raise KeyError(task_id)

    # ------------------------------------------------------------------ actions
    def mark_done(self) -> list:
        """Record the selected task as done (reported to the console)."""
        tid = self.selected_task()
        return self.session.task_done(tid, "reported to the console") if tid else []

    def ask_reassign(self) -> None:
        """Ask who should take the selected task (people on site with the assignee's role first)."""
        tid = self.selected_task()
        if tid is None or self.plant is None:
            return
        choices = self.candidates(tid)
        if not choices:
            return
        labels = [label for label, _ in choices]
        pick, ok = QInputDialog.getItem(self, self.tr("Reassign task"), self.tr("Give the task to:"), labels, 0, False)
        if ok and pick in labels:
            self.reassign(tid, choices[labels.index(pick)][1])

    def reassign(self, task_id: str, person_id: str) -> list:
        """Give ``task_id`` to ``person_id``."""
        return self.session.reassign(task_id, person_id, "by the duty officer")

    def candidates(self, task_id: str) -> list[tuple[str, str]]:
        """(label, person id) of the people who could take ``task_id``: on site and with the current assignee's
        role first, then the rest of the roster on site."""
        roster = self.plant.personnel
        t = self.tasks().get(task_id) or {}
        role = str(roster.at[t["to"], "role"]) if t.get("to") in roster.index else None
        positions = self.session.positions()
        here = set(positions.ids.astype(str).tolist()) if positions is not None else set(roster.index)
        ids = [i for i in roster.index.astype(str) if i in here and i != t.get("to")]
        ids.sort(key=lambda i: (str(roster.at[i, "role"]) != role, i))
        from commandcenter.ui.muster_panel import role_title

        return [(f"{self.person_label(i)} — {role_title(str(roster.at[i, 'role']))}", i) for i in ids]

    def show_evidence(self) -> QDialog | None:
        """Show the photos and files sent for the selected task (non-blocking; kept as :attr:`evidence_dialog`)."""
        tid = self.selected_task()
        state = self.session.state
        if tid is None or state is None:
            return None
        items = state["evidence"]["tasks"].get(tid) or []
        dlg = QDialog(self)
        dlg.setWindowTitle(self.tr("Evidence for {task}").format(task=tid))
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        lst = QListWidget()
        lst.setIconSize(QSize(160, 120))
        lst.setViewMode(QListWidget.ViewMode.IconMode if items else QListWidget.ViewMode.ListMode)
        lst.setResizeMode(QListWidget.ResizeMode.Adjust)
        for ev in items:
            caption = ev.get("caption") or ev.get("mime") or ""
            text = f"{self.clock(ev['t'])} {self.person_label(ev.get('person_id'))}\n{caption}\n{ev['sha256'][:12]}"
            it = QListWidgetItem(text)
            path = Path(str(ev.get("path") or ""))
            if ev.get("path") and path.is_file() and str(ev.get("mime") or "").startswith("image/"):
                pix = QPixmap(str(path))
                if not pix.isNull():
                    it.setIcon(QIcon(pix.scaled(160, 120, Qt.AspectRatioMode.KeepAspectRatio,
                                                Qt.TransformationMode.SmoothTransformation)))
            it.setToolTip(str(ev.get("path") or ev["sha256"]))
            lst.addItem(it)
        if not items:
            lst.addItem(self.tr("No evidence received for this task yet."))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dlg.close)
        lay = QVBoxLayout(dlg)
        lay.addWidget(lst)
        lay.addWidget(buttons)
        dlg.resize(560, 380)
        dlg.destroyed.connect(lambda: setattr(self, "evidence_dialog", None))
        self.evidence_dialog = dlg
        dlg.show()
        return dlg

    def _locate(self) -> None:
        tid = self.selected_task()
        t = self.tasks().get(tid) if tid else None
        if t and t.get("to"):
            self.showPerson.emit(t["to"])

    # ------------------------------------------------------------------ drawing
    def redraw(self) -> None:
        """The board from the task and field projections."""
        state = self.session.state
        keep = self.selected_task()
        self.tree.blockSignals(True)
        self.tree.clear()
        self._groups = {}
        tasks = self.tasks()
        by_group: dict[str, list[tuple[str, dict]]] = {g: [] for g in GROUPS}
        for tid, t in tasks.items():
            by_group[group_of(board_state(t))].append((tid, t))
        names = self._group_names()
        bold = QFont()
        bold.setBold(True)
        lang = current_language()
        for g in GROUPS:
            rows = by_group[g]
            if not rows:
                continue
            top = QTreeWidgetItem([f"{names[g]} ({len(rows)})"])
            top.setFont(0, bold)
            if GROUP_COLOURS[g] is not None:
                top.setForeground(0, QBrush(GROUP_COLOURS[g]))
            top.setFirstColumnSpanned(True)
            self.tree.addTopLevelItem(top)
            self._groups[g] = top
            rows.sort(key=lambda r: (self._deadline_us(r[1]) or 0, r[0]))
            for tid, t in rows:
                top.addChild(self._item(tid, t, state, lang))
            top.setExpanded(g not in ("done", "skipped"))
        self.tree.blockSignals(False)
        if keep:
            with contextlib.suppress(KeyError):  # the task is gone from the board (another incident)
                self.select_task(keep)
        for c in range(1, 7):
            self.tree.resizeColumnToContents(c)
        self._update_summary(tasks)
        self._update_buttons()

    def _item(self, tid: str, t: dict, state: dict, lang: str) -> QTreeWidgetItem:
        raw = t["title"]
        title = raw.get("zh" if lang == "zh" else "en", tid) if isinstance(raw, dict) else (raw or tid)
        who = self.person_label(t["to"]) if t["to"] else self.tr("nobody on shift")
        deadline = self._deadline_us(t)
        bs = board_state(t)
        evidence = state["evidence"]["tasks"].get(tid) or []
        equipment = self._equipment(tid, state)
        item = QTreeWidgetItem([title, who, self.clock(deadline), self._left_text(t), self._state_names().get(bs, bs),
                                self._evidence_text(evidence), self._equipment_text(equipment)])
        item.setData(0, ID_ROLE, tid)
        item.setToolTip(0, tid)
        colour = RED if bs in ("overdue", "late_ack") else GREEN if bs == "done" else GREY if bs == "skipped" else None
        if bs == "pending":
            colour = AMBER
        if colour is not None:
            for c in (0, 3, 4):
                item.setForeground(c, QBrush(colour))
        if bs in ("overdue", "late_ack"):
            f = QFont()
            f.setBold(True)
            item.setFont(4, f)
        eq = self._equipment_colour(equipment)
        if eq is not None:
            item.setForeground(6, QBrush(eq))
        return item

    @staticmethod
    def _deadline_us(t: dict) -> int | None:
        """The task's own deadline (µs): its assignment plus ``deadline_s``. An escalation assigns it again
        later, but the deadline stays the task's: once overdue it is when the task was marked so."""
        assigned = t["steps"].get("assigned")
        if assigned is None or t.get("deadline_s") is None:
            return None
        due = assigned + int(float(t["deadline_s"]) * 1e6)
        marked = t["steps"].get("overdue")
        return min(due, marked) if t.get("overdue") and marked is not None else due

    def _left_text(self, t: dict) -> str:
        if t["status"] in ("done", "skipped"):
            return ""
        deadline, now = self._deadline_us(t), self.now_us()
        if deadline is None or now is None:
            return ""
        left = (deadline - now) / 1e6
        return duration(left) if left >= 0 else "−" + duration(-left)

    def _update_left(self) -> None:
        tasks = self.tasks()
        for g in ("overdue", "assigned", "working"):
            top = self._groups.get(g)
            for i in range(top.childCount() if top is not None else 0):
                it = top.child(i)
                t = tasks.get(it.data(0, ID_ROLE))
                if t is not None:
                    it.setText(3, self._left_text(t))

    def _evidence_text(self, evidence: list) -> str:
        return self.tr("📷 {n}").format(n=len(evidence)) if evidence else ""

    @staticmethod
    def _equipment(task_id: str, state: dict) -> list[tuple[dict, str]]:
        """(command, its state) of the equipment actions (``actuate``) ordered for the task: ``failed`` when a
        device failed or it expired, ``done`` when every device did it, else ``sent``."""
        out = []
        for c in state["comms"]["commands"].values():
            if c.get("kind") != "actuate" or c.get("task_id") != task_id:
                continue
            states = list(c["devices"].values())
            st = ("failed" if any(s in ("failed", "expired") for s in states)
                  else "done" if states and all(s == "done" for s in states) else "sent")
            out.append((c, st))
        return out

    def _equipment_text(self, equipment: list[tuple[dict, str]]) -> str:
        names = {"sent": self.tr("sent"), "done": self.tr("done"), "failed": self.tr("FAILED")}
        return ", ".join(" ".join(x for x in (c.get("equipment_id") or "?", c.get("action") or "", names[st]) if x)
                         for c, st in equipment)

    @staticmethod
    def _equipment_colour(equipment: list[tuple[dict, str]]):  # type: ignore[no-untyped-def]
        if not equipment:
            return None
        if any(st == "failed" for _, st in equipment):
            return RED
        return GREEN if all(st == "done" for _, st in equipment) else AMBER

    def _update_summary(self, tasks: dict) -> None:
        if not tasks:
            self.summary.setText(self.tr("No tasks yet: they come with the launch of a plan or an alarm check."))
            self.summary.setStyleSheet("")
            return
        states = [board_state(t) for t in tasks.values()]
        over = states.count("overdue") + states.count("late_ack")
        waiting = states.count("assigned")
        done = states.count("done") + states.count("skipped")
        self.summary.setText(self.tr("{n} tasks: {over} overdue, {waiting} not acknowledged, {done} done").format(
            n=len(states), over=over, waiting=waiting, done=done))
        self.summary.setStyleSheet("QLabel { color: #b71c1c; font-weight: bold; }" if over else "")

    def _update_buttons(self) -> None:
        tid = self.selected_task()
        t = self.tasks().get(tid) if tid else None
        ok = self.session.writable() and t is not None and t["status"] not in ("done", "skipped")
        self.reassign_button.setEnabled(bool(ok and self.plant is not None))
        self.done_button.setEnabled(bool(ok))
        self.evidence_button.setEnabled(t is not None)
        self.locate_button.setEnabled(bool(t and t.get("to")))

    def _group_names(self) -> dict[str, str]:
        return {"overdue": self.tr("Overdue"), "assigned": self.tr("Not acknowledged yet"),
                "working": self.tr("Acknowledged / in progress"), "pending": self.tr("Nobody on shift to take it"),
                "done": self.tr("Done"), "skipped": self.tr("Skipped")}

    def _state_names(self) -> dict[str, str]:
        return {"pending": self.tr("pending"), "assigned": self.tr("assigned"),
                "acknowledged": self.tr("acknowledged"), "in_progress": self.tr("in progress"),
                "done": self.tr("done"), "skipped": self.tr("skipped"), "overdue": self.tr("overdue"),
                "late_ack": self.tr("not acknowledged in time"),
                "started": self.tr("in progress"), "unassigned": self.tr("pending")}

    def retranslate_ui(self) -> None:
        """Set every fixed text in the UI language."""
        self.tree.setHeaderLabels([self.tr("Task"), self.tr("Assignee"),
                                   self.tr("Deadline ({offset})").format(offset=self.offset()), self.tr("Left"),
                                   self.tr("State"), self.tr("Evidence"), self.tr("Equipment")])
        self.reassign_button.setText(self.tr("Reassign…"))
        self.done_button.setText(self.tr("Mark done"))
        self.evidence_button.setText(self.tr("Evidence…"))
        self.locate_button.setText(self.tr("Show assignee"))
