"""The replay's timeline and controls: one lane of markers per kind of event (alarms, launch and level,
hazard, commands, check-ins, tasks, resources), a cursor to drag to any time, play/pause, 1×–60×, and
steps to the previous and next event.

Markers are drawn one pixel column per lane at most (numpy: 10,000 markers cost no more than 1,000 pixels),
events that went wrong (an overdue task, a failed order, an SOS, an alarm) in red over the lane's colour.
Dragging seeks at most once per redraw (a burst of mouse moves coalesces into one seek).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStyle,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from commandcenter.ui.replay_model import BAD, LANES, Markers
from commandcenter.ui.replay_session import SPEEDS, ReplaySession
from vocabulary.events import from_us

LANE_H = 16
AXIS_H = 20
LABEL_W = 118
LANE_RGB = {"alarms": (200, 40, 40), "plan": (110, 40, 160), "hazard": (210, 110, 0), "commands": (0, 100, 190),
            "checkins": (30, 140, 60), "tasks": (150, 110, 0), "resources": (0, 130, 130)}
BAD_RGB = (215, 0, 0)
NICE_STEPS_S = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400)


LANE_TITLES = {"alarms": QT_TRANSLATE_NOOP("ReplayTimeline", "Alarms"),
               "plan": QT_TRANSLATE_NOOP("ReplayTimeline", "Launch & level"),
               "hazard": QT_TRANSLATE_NOOP("ReplayTimeline", "Hazard & routes"),
               "commands": QT_TRANSLATE_NOOP("ReplayTimeline", "Orders"),
               "checkins": QT_TRANSLATE_NOOP("ReplayTimeline", "Check-ins"),
               "tasks": QT_TRANSLATE_NOOP("ReplayTimeline", "Tasks"),
               "resources": QT_TRANSLATE_NOOP("ReplayTimeline", "Resources")}


def lane_title(name: str) -> str:
    """A lane's title in the UI language."""
    text = LANE_TITLES.get(name)
    return QCoreApplication.translate("ReplayTimeline", text) if text else name


def marker_columns(t_us: np.ndarray, t0: int, t1: int, width: int) -> np.ndarray:
    """Pixel columns (0 … width−1) of times ``t_us`` on a ``width``-pixel axis from ``t0`` to ``t1``, unique
    and sorted (what one lane draws)."""
    if width <= 0 or not len(t_us):
        return np.zeros(0, dtype=np.int64)
    span = max(t1 - t0, 1)
    cols = np.floor((t_us - t0) / span * (width - 1)).astype(np.int64)
    return np.unique(np.clip(cols, 0, width - 1))


class TimelineView(QWidget):
    """The lanes, the time axis and the cursor of one replay (drag or click to seek)."""

    #: the user asked for this time (µs), by clicking or dragging
    seekRequested = Signal(object)

    def __init__(self, session: ReplaySession, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("replayTimeline")
        self.session = session
        self.setMouseTracking(True)
        self.setMinimumHeight(AXIS_H + LANE_H * len(LANES) + 6)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._drag = False
        self._pending: int | None = None
        self._seek_timer = QTimer(self)
        self._seek_timer.setSingleShot(True)
        self._seek_timer.setInterval(0)
        self._seek_timer.timeout.connect(self._flush_seek)
        self._cache: tuple[Any, ...] | None = None
        self._picture: tuple[tuple, QPixmap] | None = None
        session.moved.connect(lambda _t: self.update())
        session.reset.connect(self._invalidate)

    def sizeHint(self) -> QSize:
        """Wide and as tall as its lanes."""
        return QSize(900, AXIS_H + LANE_H * len(LANES) + 6)

    def _invalidate(self) -> None:
        self._cache = None
        self._picture = None
        self.update()

    # ------------------------------------------------------------------ geometry
    def track(self) -> QRectF:
        """The area of the lanes (right of the labels)."""
        return QRectF(LABEL_W, 2, max(1.0, self.width() - LABEL_W - 8), LANE_H * len(LANES))

    def x_of(self, t_us: int) -> float:
        """The x pixel of time ``t_us``."""
        r, s = self.track(), self.session
        span = max(s.t1_us - s.t0_us, 1)
        return r.left() + (t_us - s.t0_us) / span * r.width()

    def t_of(self, x: float) -> int:
        """The time (µs) at x pixel ``x`` (clamped to the incident)."""
        r, s = self.track(), self.session
        f = min(max((x - r.left()) / r.width(), 0.0), 1.0)
        return int(s.t0_us + f * (s.t1_us - s.t0_us))

    def _columns(self) -> list[tuple[np.ndarray, np.ndarray]]:
        m: Markers | None = self.session.model.markers if self.session.model is not None else None
        width = int(self.track().width())
        key = (id(m), width, self.session.t0_us, self.session.t1_us)
        if self._cache is not None and self._cache[0] == key:
            return self._cache[1]
        out = []
        if m is not None:
            bad = np.array([t in BAD for t in m.types], dtype=bool)
            for lane in range(len(LANES)):
                sel = m.lane == lane
                out.append((marker_columns(m.t_us[sel & ~bad], self.session.t0_us, self.session.t1_us, width),
                            marker_columns(m.t_us[sel & bad], self.session.t0_us, self.session.t1_us, width)))
        self._cache = (key, out)
        return out

    # ------------------------------------------------------------------ painting
    def paintEvent(self, event: Any) -> None:
        """The lanes, markers and axis (one cached picture), then the cursor over them."""
        p = QPainter(self)
        p.drawPixmap(0, 0, self._background())
        if self.session.active:
            r = self.track()
            x = self.x_of(self.session.cursor_us)
            p.setPen(QPen(QColor(0, 0, 0), 2))
            p.drawLine(QPointF(x, r.top()), QPointF(x, r.bottom() + 4))
            p.setBrush(QColor(0, 0, 0))
            p.drawPolygon([QPointF(x - 6, r.top() - 2), QPointF(x + 6, r.top() - 2), QPointF(x, r.top() + 6)])
        p.end()

    def _background(self) -> QPixmap:
        """Lanes, markers and the time axis, painted once per replay, size, font and language: they do not
        move with the cursor, and a lane of a thousand marker columns is a thousand lines to draw (~3 ms a
        frame while playing)."""
        s = self.session
        key = (self.width(), self.height(), self.devicePixelRatioF(), self.font().key(), s.active, s.t0_us, s.t1_us,
               id(s.model.markers) if s.model is not None else None, tuple(lane_title(n) for n, _ in LANES))
        if self._picture is not None and self._picture[0] == key:
            return self._picture[1]
        dpr = self.devicePixelRatioF()
        pixmap = QPixmap(max(1, round(self.width() * dpr)), max(1, round(self.height() * dpr)))
        pixmap.setDevicePixelRatio(dpr)
        p = QPainter(pixmap)
        p.fillRect(QRectF(0, 0, self.width(), self.height()), QColor(250, 250, 250))
        r = self.track()
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() - 1))
        p.setFont(font)
        cols = self._columns() if s.active else []
        for lane, (name, _types) in enumerate(LANES):
            y = r.top() + lane * LANE_H
            if lane % 2:
                p.fillRect(QRectF(r.left(), y, r.width(), LANE_H), QColor(240, 240, 244))
            p.setPen(QColor(*LANE_RGB[name]))
            p.drawText(QRectF(4, y, LABEL_W - 8, LANE_H), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       lane_title(name))
            if not cols:
                continue
            good, bad = cols[lane]
            for xs, rgb in ((good, LANE_RGB[name]), (bad, BAD_RGB)):
                if not len(xs):
                    continue
                p.setPen(QPen(QColor(*rgb), 1))
                for x in (xs + r.left()).tolist():
                    p.drawLine(QPointF(x + 0.5, y + 2), QPointF(x + 0.5, y + LANE_H - 2))
        self._paint_axis(p, r)
        p.end()
        self._picture = (key, pixmap)
        return pixmap

    def _paint_axis(self, p: QPainter, r: QRectF) -> None:
        s = self.session
        y = r.bottom() + 2
        p.setPen(QColor(90, 90, 90))
        p.drawLine(QPointF(r.left(), y), QPointF(r.right(), y))
        if not s.active or s.t1_us <= s.t0_us:
            return
        span_s = (s.t1_us - s.t0_us) / 1e6
        step = next((v for v in NICE_STEPS_S if span_s / v <= max(2, r.width() / 90)), NICE_STEPS_S[-1])
        tz = s.runtime.tz
        first = (int(s.t0_us / 1e6 / step) + 1) * step
        t = first
        while t * 1e6 <= s.t1_us:
            x = self.x_of(int(t * 1e6))
            p.drawLine(QPointF(x, y), QPointF(x, y + 4))
            label = from_us(int(t * 1e6), tz).strftime("%H:%M:%S" if step < 60 else "%H:%M")
            p.drawText(QRectF(x - 40, y + 3, 80, AXIS_H - 4), Qt.AlignmentFlag.AlignHCenter, label)
            t += step

    # ------------------------------------------------------------------ mouse
    def mousePressEvent(self, event: QMouseEvent) -> None:
        """Seek to the time clicked; keep seeking while dragging."""
        if event.button() == Qt.MouseButton.LeftButton and self.session.active:
            self._drag = True
            self.session.pause()
            self._request(self.t_of(event.position().x()))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        """Drag the cursor; otherwise show what is under the mouse."""
        if self._drag:
            self._request(self.t_of(event.position().x()))
            return
        text = self.marker_text(event.position().x(), event.position().y())
        if text:
            QToolTip.showText(event.globalPosition().toPoint(), text, self)
        else:
            QToolTip.hideText()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """End a drag (the last position is sought)."""
        if self._drag:
            self._drag = False
            self._request(self.t_of(event.position().x()))

    def _request(self, t_us: int) -> None:
        self._pending = t_us
        self._seek_timer.start()

    def _flush_seek(self) -> None:
        if self._pending is None:
            return
        t, self._pending = self._pending, None
        self.seekRequested.emit(t)
        self.session.seek(t)

    def marker_text(self, x: float, y: float) -> str:
        """What is marked near pixel (x, y): the lane, the nearest event's kind and its time (empty if none)."""
        s, r = self.session, self.track()
        m = s.model.markers if s.model is not None else None
        lane = int((y - r.top()) // LANE_H)
        if m is None or not len(m) or not 0 <= lane < len(LANES) or x < r.left():
            return ""
        sel = np.flatnonzero(m.lane == lane)
        if not len(sel):
            return ""
        t = self.t_of(x)
        k = sel[int(np.argmin(np.abs(m.t_us[sel] - t)))]
        if abs(self.x_of(int(m.t_us[k])) - x) > 4:
            return ""
        when = from_us(int(m.t_us[k]), s.runtime.tz).strftime("%H:%M:%S")
        near = int(np.count_nonzero(np.abs(m.t_us[sel] - m.t_us[k]) <= (s.t1_us - s.t0_us) / max(r.width(), 1) * 2))
        more = self.tr(" (+{n} more here)").format(n=near - 1) if near > 1 else ""
        return f"{lane_title(LANES[lane][0])}: {event_title(m.types[k])} {when}{more}"


def event_title(event_type: str) -> str:
    """An event type in the UI language: the timeline panel's words when it is there, else the type."""
    try:
        from commandcenter.ui.timeline_panel import TYPE_TITLES
    except ImportError:
        return event_type
    text = TYPE_TITLES.get(event_type)
    return QCoreApplication.translate("TimelinePanel", text) if text else event_type


class ReplayBar(QWidget):
    """The controls above the timeline: play/pause, previous/next event, speed, the time and the person whose
    trail is drawn."""

    #: a person id typed in the trail box (empty: none)
    personChosen = Signal(str)

    def __init__(self, session: ReplaySession, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("replayBar")
        self.session = session
        self.timeline = TimelineView(session)
        self.play_button = QPushButton()
        self.play_button.setObjectName("replayPlay")
        self.back_button = QPushButton()
        self.next_button = QPushButton()
        style = self.style()
        self.back_button.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaSkipBackward))
        self.next_button.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaSkipForward))
        for b in (self.play_button, self.back_button, self.next_button):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.play_button.clicked.connect(session.toggle)
        self.back_button.clicked.connect(lambda: session.step(-1))
        self.next_button.clicked.connect(lambda: session.step(+1))
        self.speed_box = QComboBox()
        self.speed_box.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for v in SPEEDS:
            self.speed_box.addItem(f"{v}×", v)
        self.speed_box.setCurrentIndex(SPEEDS.index(10))
        self.speed_box.currentIndexChanged.connect(lambda _i: session.set_speed(self.speed_box.currentData()))
        session.set_speed(10)
        self.time_label = QLabel()
        self.time_label.setObjectName("replayTime")
        big = QFont(self.time_label.font())
        big.setPointSizeF(big.pointSizeF() + 2)
        big.setBold(True)
        self.time_label.setFont(big)
        self.person_edit = QLineEdit()
        self.person_edit.setClearButtonEnabled(True)
        self.person_edit.setMaximumWidth(220)
        self.person_edit.returnPressed.connect(lambda: self.personChosen.emit(self.person_edit.text().strip()))
        self.person_label = QLabel()
        row = QHBoxLayout()
        row.setContentsMargins(4, 2, 4, 2)
        for w in (self.back_button, self.play_button, self.next_button, self.speed_box):
            row.addWidget(w)
        row.addSpacing(12)
        row.addWidget(self.time_label, 1)
        row.addWidget(self.person_label)
        row.addWidget(self.person_edit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.timeline)
        session.moved.connect(self._moved)
        session.playing.connect(self._playing)
        self.retranslate_ui()

    def _moved(self, _t: Any = None) -> None:
        s = self.session
        if not s.active:
            self.time_label.setText("")
            return
        tz = s.runtime.tz
        now = from_us(s.cursor_us, tz)
        off = now.strftime("%z")
        self.time_label.setText(self.tr("{time} ({zone}) · +{elapsed} of {total}").format(
            time=now.strftime("%Y-%m-%d %H:%M:%S"), zone=f"UTC{off[:3]}:{off[3:]}",
            elapsed=_hms((s.cursor_us - s.t0_us) / 1e6), total=_hms((s.t1_us - s.t0_us) / 1e6)))

    def _playing(self, on: bool) -> None:
        self.play_button.setText(self.tr("Pause") if on else self.tr("Play"))
        self.play_button.setIcon(self.style().standardIcon(
            QStyle.StandardPixmap.SP_MediaPause if on else QStyle.StandardPixmap.SP_MediaPlay))

    def retranslate_ui(self) -> None:
        """Set every text in the UI language."""
        self._playing(self.session.is_playing)
        self.back_button.setText(self.tr("Previous event"))
        self.next_button.setText(self.tr("Next event"))
        self.back_button.setToolTip(self.tr("Previous event (Left)"))
        self.next_button.setToolTip(self.tr("Next event (Right)"))
        self.play_button.setToolTip(self.tr("Play or pause (Space)"))
        self.speed_box.setToolTip(self.tr("Replay speed: seconds of the incident per second"))
        self.person_label.setText(self.tr("Trail of"))
        self.person_edit.setPlaceholderText(self.tr("person id, or click a dot"))
        self._moved()


def _hms(seconds: float) -> str:
    s = int(max(seconds, 0))
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"
