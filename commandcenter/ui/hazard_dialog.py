"""The "Hazard zone…" dialog: which equipment is leaking, what and how much, and the weather — in words a
duty officer can fill in at 3 a.m.

* **Where**: the equipment by its name or id (a search box), or clicked on the map while the dialog is open;
  what it holds, its inventory, pressure and temperature are shown and prefill the release.
* **What**: the substance by Chinese or English name, formula or CAS number (the library's search). A
  substance other than the one the equipment holds needs the override box ticked; the log records it.
* **How much**: a release rate, a hole size (the rate then comes from the equipment's pressure and
  temperature) or a sudden total loss, and how long it lasts.
* **Weather**: date and time, cloud cover in eighths and the wind; the Pasquill stability letter is a
  *result* shown with its reason, never a question. The newest ``weather.observed`` of the incident
  prefills the wind (and a station's cloud cover or class).

Every problem is listed at once in the UI language with what to change, and the field it concerns is
marked. The dialog is non-modal so the map stays clickable; it emits :attr:`HazardDialog.computeRequested`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDateTime, QStringListModel, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from commandcenter.ui.translations import current_language
from gis.hazards.equipment import Equipment, check_substance, find_equipment, plant_equipment
from gis.hazards.library import LibraryEntry, UnknownSubstanceError, library
from gis.hazards.refusals import HazardInputError, Refusal
from gis.hazards.weather import ResolvedWeather, WeatherInput, plant_lonlat, resolve_weather
from gis.plant import Plant

INVALID_STYLE = "border: 2px solid #c00000;"
AMOUNT_MODES = ("rate", "hole", "mass")


@dataclass
class HazardRequest:
    """What the user asked for: the equipment id (None for a free point at ``xy``), the substance (any name
    the library knows), the release — a rate (kg/s, with a duration in s, None = continuous), a hole
    diameter (m) or a sudden mass (kg) — the wind (m/s, direction it blows FROM in degrees), the stability
    class only when a station measured one (None: derived from ``time`` and ``cloud_oktas``), the terrain,
    the override of a substance mismatch, the release height (m) and the weather station id."""

    source_id: str | None
    substance: str
    rate_kg_s: float | None
    duration_s: float | None
    wind_speed: float | None
    wind_from_deg: float | None
    stability: str | None = None
    terrain: str = "rural"
    cloud_oktas: float | None = None
    time: dt.datetime | None = None
    override: bool = False
    mass_kg: float | None = None
    hole_diameter_m: float | None = None
    height_m: float = 0.0
    station_id: str | None = None
    xy: tuple[float, float] | None = None

    def weather_input(self) -> WeatherInput:
        """The weather as :func:`gis.hazards.weather.resolve_weather` takes it."""
        return WeatherInput(self.wind_speed, self.wind_from_deg, self.cloud_oktas, self.time, self.stability,
                            None, self.station_id)


STABILITY_WORDS = {
    "A": QT_TRANSLATE_NOOP("HazardDialog", "very unstable: strong sun and light wind, the cloud thins out fast"),
    "B": QT_TRANSLATE_NOOP("HazardDialog", "unstable: sunny, the cloud spreads quickly"),
    "C": QT_TRANSLATE_NOOP("HazardDialog", "slightly unstable"),
    "D": QT_TRANSLATE_NOOP("HazardDialog", "neutral: overcast or windy"),
    "E": QT_TRANSLATE_NOOP("HazardDialog", "slightly stable: night with some cloud"),
    "F": QT_TRANSLATE_NOOP("HazardDialog", "stable: clear night and light wind, the cloud stays concentrated and "
                                           "reaches furthest"),
}
COMPASS = (QT_TRANSLATE_NOOP("HazardDialog", "N"), QT_TRANSLATE_NOOP("HazardDialog", "NNE"),
           QT_TRANSLATE_NOOP("HazardDialog", "NE"), QT_TRANSLATE_NOOP("HazardDialog", "ENE"),
           QT_TRANSLATE_NOOP("HazardDialog", "E"), QT_TRANSLATE_NOOP("HazardDialog", "ESE"),
           QT_TRANSLATE_NOOP("HazardDialog", "SE"), QT_TRANSLATE_NOOP("HazardDialog", "SSE"),
           QT_TRANSLATE_NOOP("HazardDialog", "S"), QT_TRANSLATE_NOOP("HazardDialog", "SSW"),
           QT_TRANSLATE_NOOP("HazardDialog", "SW"), QT_TRANSLATE_NOOP("HazardDialog", "WSW"),
           QT_TRANSLATE_NOOP("HazardDialog", "W"), QT_TRANSLATE_NOOP("HazardDialog", "WNW"),
           QT_TRANSLATE_NOOP("HazardDialog", "NW"), QT_TRANSLATE_NOOP("HazardDialog", "NNW"))


def stability_words(cls: str) -> str:
    """What a stability class means, in the UI language (A very unstable … F stable)."""
    text = STABILITY_WORDS.get(cls)
    return QCoreApplication.translate("HazardDialog", text) if text else cls


def compass(deg: float) -> str:
    """The 16-point compass name of a direction in degrees, in the UI language."""
    return QCoreApplication.translate("HazardDialog", COMPASS[int(((deg % 360.0) + 11.25) // 22.5) % 16])


class HazardDialog(QDialog):
    """Asks for a release at one of the plant's hazard sources and the weather; see the module docstring.
    ``weather`` prefills the wind from a station (``state["hazard"]["weather"]`` of the incident) and
    ``now`` the date and time (default: the wall clock)."""

    #: the request to compute (emitted by the Compute button when nothing is refused)
    computeRequested = Signal(object)

    def __init__(self, plant: Plant, parent: QWidget | None = None, *, now: dt.datetime | None = None,
                 weather: dict | None = None, request: HazardRequest | None = None):
        super().__init__(parent)
        self.setObjectName("hazardDialog")
        self.plant = plant
        self.tz = ZoneInfo(getattr(plant, "timezone", None) or "UTC")
        self.lonlat = plant_lonlat(plant)
        self.equipment: list[Equipment] = sorted(plant_equipment(plant), key=lambda e: e.id)
        self.selected: Equipment | None = None
        self.station: dict | None = None
        self.refusals: list[Refusal] = []
        self.resolved: ResolvedWeather | None = None
        self._marked: list[QWidget] = []
        self._hits: list[LibraryEntry] = []
        self._build()
        self.set_time(now or dt.datetime.now(dt.UTC))
        if weather:
            self.apply_station(weather)
        if self.equipment:
            self.select_equipment(self.equipment[0].id)
        if request is not None:
            self.apply_request(request)
        for signal in (self.substance_edit.textChanged, self.override_box.toggled, self.amount_spin.valueChanged,
                       self.station_class_box.toggled,
                       self.cloud_box.currentIndexChanged, self.time_edit.dateTimeChanged,
                       self.duration_spin.valueChanged, self.mode_box.currentIndexChanged):
            signal.connect(self.validate)
        for signal in (self.wind_spin.valueChanged, self.direction_spin.valueChanged):
            signal.connect(self._wind_edited)
        self.validate()

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        self.setWindowTitle(self.tr("Hazard zone"))
        lang = current_language()
        outer = QVBoxLayout(self)

        where = QGroupBox(self.tr("Where: the leaking equipment"))
        wform = QFormLayout(where)
        self.equipment_box = QComboBox()
        self.equipment_box.setEditable(True)
        self.equipment_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for e in self.equipment:
            self.equipment_box.addItem(f"{e.label(lang)} — {self._substance_name(e.substance)}", e.id)
        completer = self.equipment_box.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.equipment_box.lineEdit().setPlaceholderText(self.tr("name or number, e.g. V-201 or 液氨"))
        self.equipment_box.activated.connect(lambda i: self.select_equipment(self.equipment_box.itemData(i)))
        self.equipment_box.lineEdit().editingFinished.connect(self._equipment_typed)
        wform.addRow(self.tr("Equipment"), self.equipment_box)
        self.map_hint = QLabel(self.tr("…or click the tank, reactor or line on the map while this window is open."))
        self.map_hint.setWordWrap(True)
        self.map_hint.setStyleSheet("color: #555;")
        wform.addRow(self.map_hint)
        self.equipment_label = QLabel()
        self.equipment_label.setWordWrap(True)
        wform.addRow(self.equipment_label)
        outer.addWidget(where)

        what = QGroupBox(self.tr("What and how much"))
        form = QFormLayout(what)
        self.substance_edit = QLineEdit()
        self.substance_edit.setPlaceholderText(self.tr("Chinese or English name, formula or CAS number"))
        self.substance_model = QStringListModel(self)
        self.substance_completer = QCompleter(self.substance_model, self)
        self.substance_completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.substance_completer.activated.connect(self._substance_chosen)
        self.substance_edit.setCompleter(self.substance_completer)
        self.substance_edit.textEdited.connect(self._substance_search)
        form.addRow(self.tr("Substance"), self.substance_edit)
        self.substance_label = QLabel()
        self.substance_label.setWordWrap(True)
        form.addRow(self.substance_label)
        self.override_box = QCheckBox()
        self.override_box.hide()
        form.addRow(self.override_box)
        self.mode_box = QComboBox()
        self.mode_box.addItem(self.tr("Release rate"), "rate")
        self.mode_box.addItem(self.tr("Hole size (rate from the pressure)"), "hole")
        self.mode_box.addItem(self.tr("Sudden total loss"), "mass")
        self.mode_box.currentIndexChanged.connect(self._mode_changed)
        self.amount_spin = QDoubleSpinBox()
        self.amount_spin.setDecimals(3)
        self.amount_spin.setRange(0.0, 1e9)
        self.amount_spin.setValue(1.0)
        row = QHBoxLayout()
        row.addWidget(self.mode_box)
        row.addWidget(self.amount_spin, 1)
        form.addRow(self.tr("Amount"), row)
        self.duration_spin = QDoubleSpinBox()
        self.duration_spin.setRange(0.0, 24 * 60.0)
        self.duration_spin.setDecimals(0)
        self.duration_spin.setValue(0.0)
        self.duration_spin.setSuffix(self.tr(" min"))
        self.duration_spin.setSpecialValueText(self.tr("until stopped (or the inventory runs out)"))
        self.duration_label = QLabel(self.tr("Lasts"))
        form.addRow(self.duration_label, self.duration_spin)
        outer.addWidget(what)

        weather = QGroupBox(self.tr("Weather"))
        f2 = QFormLayout(weather)
        self.time_edit = QDateTimeEdit()
        self.time_edit.setCalendarPopup(True)
        self.time_edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.now_button = QPushButton(self.tr("Now"))
        self.now_button.clicked.connect(lambda: self.set_time(dt.datetime.now(dt.UTC)))
        row = QHBoxLayout()
        row.addWidget(self.time_edit, 1)
        row.addWidget(QLabel(self._zone_text()))
        row.addWidget(self.now_button)
        f2.addRow(self.tr("Date and time"), row)
        self.cloud_box = QComboBox()
        self.cloud_box.addItem(self.tr("— look at the sky and choose —"), None)
        for n, words in enumerate((self.tr("clear sky"), self.tr("a few clouds"), self.tr("a few clouds"),
                                   self.tr("partly cloudy"), self.tr("half covered"), self.tr("mostly cloudy"),
                                   self.tr("mostly cloudy"), self.tr("nearly overcast"), self.tr("overcast"))):
            self.cloud_box.addItem(f"{n}/8 — {words}", float(n))
        f2.addRow(self.tr("Cloud cover"), self.cloud_box)
        self.wind_spin = QDoubleSpinBox()
        self.wind_spin.setRange(0.0, 50.0)
        self.wind_spin.setDecimals(1)
        self.wind_spin.setSingleStep(0.5)
        self.wind_spin.setSuffix(" m/s")
        self.wind_spin.setSpecialValueText(self.tr("— enter the wind speed —"))
        f2.addRow(self.tr("Wind speed"), self.wind_spin)
        self.direction_spin = QDoubleSpinBox()
        self.direction_spin.setRange(-1.0, 359.0)
        self.direction_spin.setDecimals(0)
        self.direction_spin.setValue(-1.0)
        self.direction_spin.setSuffix("°")
        self.direction_spin.setSpecialValueText(self.tr("— where the wind comes from —"))
        self.direction_label = QLabel()
        row = QHBoxLayout()
        row.addWidget(self.direction_spin)
        row.addWidget(self.direction_label, 1)
        f2.addRow(self.tr("Wind from"), row)
        self.station_label = QLabel()
        self.station_label.setWordWrap(True)
        self.station_label.setStyleSheet("color: #0b4f8a;")
        self.station_label.hide()
        f2.addRow(self.station_label)
        self.station_class_box = QCheckBox()
        self.station_class_box.setChecked(True)
        self.station_class_box.hide()
        f2.addRow(self.station_class_box)
        self.terrain_box = QComboBox()
        self.terrain_box.addItem(self.tr("open country"), "rural")
        self.terrain_box.addItem(self.tr("urban / industrial"), "urban")
        f2.addRow(self.tr("Surroundings"), self.terrain_box)
        self.stability_label = QLabel()
        self.stability_label.setWordWrap(True)
        self.stability_label.setTextFormat(Qt.TextFormat.RichText)
        f2.addRow(self.tr("Result"), self.stability_label)
        outer.addWidget(weather)

        self.problems_label = QLabel()
        self.problems_label.setObjectName("hazardProblems")
        self.problems_label.setWordWrap(True)
        self.problems_label.setTextFormat(Qt.TextFormat.RichText)
        self.problems_label.setStyleSheet("QLabel { color: #8b0000; background: #fff0f0; padding: 6px; }")
        self.problems_label.hide()
        outer.addWidget(self.problems_label)
        self.busy_label = QLabel()
        self.busy_label.hide()
        outer.addWidget(self.busy_label)

        self.buttons = QDialogButtonBox()
        self.compute_button = self.buttons.addButton(self.tr("Compute zones"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.compute_button.setDefault(True)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.compute_button.clicked.connect(self.compute)
        self.close_button.clicked.connect(self.reject)
        outer.addWidget(self.buttons)
        self._mode_changed()

    def _zone_text(self) -> str:
        off = dt.datetime.now(self.tz).utcoffset() or dt.timedelta(0)
        minutes = int(off.total_seconds() // 60)
        sign = "+" if minutes >= 0 else "-"
        return f"{self.tz.key} (UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d})"

    # ------------------------------------------------------------------ inputs
    @staticmethod
    def _substance_name(text: str) -> str:
        entry = library().find(text)
        return entry.label(current_language()) if entry is not None else text

    def set_time(self, t: dt.datetime) -> None:
        """Show the aware time ``t`` in the plant's time zone."""
        local = t.astimezone(self.tz)
        self.time_edit.setDateTime(QDateTime(local.year, local.month, local.day, local.hour, local.minute, 0))

    def time(self) -> dt.datetime:
        """The date and time entered, in the plant's time zone (aware)."""
        d, t = self.time_edit.date(), self.time_edit.time()
        return dt.datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), tzinfo=self.tz)

    def set_cloud(self, oktas: float | None) -> None:
        """Select the cloud cover (oktas, rounded) or nothing."""
        self.cloud_box.setCurrentIndex(0 if oktas is None else round(min(8.0, max(0.0, oktas))) + 1)

    def set_wind(self, speed_mps: float | None, from_deg: float | None) -> None:
        """Enter a wind (keeps the station's link: used for a station reading)."""
        for spin, v in ((self.wind_spin, speed_mps), (self.direction_spin, from_deg)):
            spin.blockSignals(True)
            spin.setValue(spin.minimum() if v is None else float(v) % 360.0 if spin is self.direction_spin else v)
            spin.blockSignals(False)
        self.validate()

    def apply_station(self, weather: dict) -> None:
        """Prefill the wind (and a station's cloud cover) from the newest ``weather.observed`` (the hazard
        projection's ``weather`` entry); the station's class is used until the wind is edited."""
        self.station = dict(weather)
        self.set_wind(weather.get("wind_speed_mps"), weather.get("wind_from_deg"))
        if weather.get("cloud_oktas") is not None:
            self.set_cloud(float(weather["cloud_oktas"]))
        self._show_station()

    def _show_station(self) -> None:
        w = self.station
        if not w:
            self.station_label.hide()
            return
        when = ""
        if w.get("t"):
            when = dt.datetime.fromtimestamp(w["t"] / 1e6, dt.UTC).astimezone(self.tz).strftime("%H:%M")
        text = self.tr("Wind from weather station {station} at {time}").format(
            station=w.get("station_id") or self.tr("(unnamed)"), time=when or "—")
        self.station_label.setText(text)
        self.station_label.show()
        self.station_class_box.setText(self.tr("Use the stability class {cls} the station measured (untick to "
                                               "derive it from the time and cloud cover)").format(
            cls=w.get("stability") or "—"))
        self.station_class_box.setVisible(bool(w.get("stability")))

    def _wind_edited(self) -> None:
        if self.station is not None:  # edited by hand: no longer the station's reading
            self.station = None
            self.station_label.hide()
            self.station_class_box.hide()
        self.validate()

    def select_equipment(self, equipment_id: str | None) -> Equipment | None:
        """Select the equipment ``equipment_id``: its substance prefills the release (the override is
        cleared). Returns it (None for an unknown id)."""
        eq = next((e for e in self.equipment if e.id == equipment_id), None)
        if eq is None:
            return None
        self.selected = eq
        i = self.equipment_box.findData(eq.id)
        self.equipment_box.blockSignals(True)
        self.equipment_box.setCurrentIndex(i)
        self.equipment_box.blockSignals(False)
        entry = library().find(eq.substance)
        self.substance_edit.blockSignals(True)
        self.substance_edit.setText(entry.name_zh if entry and current_language() == "zh" else
                                    entry.name_en if entry else eq.substance)
        self.substance_edit.blockSignals(False)
        self.override_box.setChecked(False)
        if eq.kind in ("pipeline",) and self.mode_box.currentData() == "mass":
            self.mode_box.setCurrentIndex(0)
        self.validate()
        return eq

    def _equipment_typed(self) -> None:
        text = self.equipment_box.currentText().strip()
        cur = self.equipment_box.currentData()
        if cur is not None and self.equipment_box.itemText(self.equipment_box.currentIndex()) == text:
            if self.selected is None or self.selected.id != cur:
                self.select_equipment(cur)
            return
        hits = find_equipment(self.equipment, text.split(" — ")[0])
        if hits:
            self.select_equipment(hits[0].id)

    def _substance_search(self, text: str) -> None:
        lang = current_language()
        hits = library().search(text, limit=15)
        self.substance_model.setStringList([f"{e.label(lang)} · {e.cas}" for e in hits])
        self._hits = hits

    def _substance_chosen(self, text: str) -> None:
        hit = next((e for e in self._hits if text.startswith(e.label(current_language()))), None)
        if hit is not None:
            self.substance_edit.setText(hit.name_zh if current_language() == "zh" else hit.name_en)

    def _mode_changed(self) -> None:
        mode = self.mode_box.currentData()
        suffix = {"rate": " kg/s", "hole": " mm", "mass": " kg"}[mode]
        self.amount_spin.setSuffix(suffix)
        self.amount_spin.setDecimals({"rate": 3, "hole": 1, "mass": 0}[mode])
        self.duration_spin.setEnabled(mode != "mass")
        self.duration_label.setEnabled(mode != "mass")

    # ------------------------------------------------------------------ the request
    def substance_entry(self) -> LibraryEntry | None:
        """The library entry of the substance typed (None when unknown or empty)."""
        return library().find(self.substance_edit.text().strip())

    def request(self) -> HazardRequest:
        """The values entered, as a :class:`HazardRequest` (None where nothing is entered)."""
        mode = self.mode_box.currentData()
        amount = self.amount_spin.value()
        minutes = self.duration_spin.value()
        entry = self.substance_entry()
        station = self.station or {}
        speed = self.wind_spin.value()
        frm = self.direction_spin.value()
        return HazardRequest(
            source_id=self.selected.id if self.selected else None,
            substance=entry.key if entry else self.substance_edit.text().strip(),
            rate_kg_s=amount if mode == "rate" else None,
            duration_s=minutes * 60.0 if minutes > 0 and mode != "mass" else None,
            wind_speed=speed if speed > self.wind_spin.minimum() else None,
            wind_from_deg=frm if frm >= 0 else None,
            stability=(station.get("stability") or None) if self.station_class_box.isChecked() else None,
            terrain=str(self.terrain_box.currentData()),
            cloud_oktas=self.cloud_box.currentData(),
            time=self.time(),
            override=not self.override_box.isHidden() and self.override_box.isChecked(),
            mass_kg=amount if mode == "mass" else None,
            hole_diameter_m=amount / 1000.0 if mode == "hole" else None,
            station_id=station.get("station_id") or None)

    def apply_request(self, req: HazardRequest) -> None:
        """Fill the form from an earlier request (e.g. "Recompute…" of the last assessment)."""
        if req.source_id:
            self.select_equipment(req.source_id)
        entry = library().find(req.substance)
        self.substance_edit.setText(entry.name_zh if entry and current_language() == "zh" else
                                    entry.name_en if entry else req.substance)
        if req.mass_kg is not None:
            self.mode_box.setCurrentIndex(AMOUNT_MODES.index("mass"))
            self.amount_spin.setValue(req.mass_kg)
        elif req.hole_diameter_m is not None:
            self.mode_box.setCurrentIndex(AMOUNT_MODES.index("hole"))
            self.amount_spin.setValue(req.hole_diameter_m * 1000.0)
        elif req.rate_kg_s is not None:
            self.mode_box.setCurrentIndex(0)
            self.amount_spin.setValue(req.rate_kg_s)
        self.duration_spin.setValue((req.duration_s or 0.0) / 60.0)
        self.set_wind(req.wind_speed, req.wind_from_deg)
        self.set_cloud(req.cloud_oktas)
        if req.time is not None:
            self.set_time(req.time)
        self.terrain_box.setCurrentIndex(max(0, self.terrain_box.findData(req.terrain)))
        self.validate()
        self.override_box.setChecked(req.override)

    # ------------------------------------------------------------------ checks
    def validate(self) -> list[Refusal]:
        """Check what is entered (equipment, substance, weather) and show every problem with what to
        change; the stability class found is shown as a result. Returns the refusals."""
        lang = current_language()
        refusals: list[Refusal] = []
        eq = self.selected
        if eq is None:
            self.equipment_label.setText("")
            refusals.append(Refusal("source-missing", "source", "请选择泄漏设备（按名称或在地图上点选）。",
                                    "Pick the leaking equipment (by its name or on the map)."))
        else:
            self.equipment_label.setText(self.tr(
                "{kind} holding {substance}: {inventory:,.0f} kg at {pressure:g} bar, {temperature:g} °C").format(
                kind=self._kind(eq.kind), substance=self._substance_name(eq.substance), inventory=eq.inventory_kg,
                pressure=eq.pressure_bar, temperature=eq.temperature_c))
        text = self.substance_edit.text().strip()
        entry = None
        if not text:
            refusals.append(Refusal("missing", "substance", "请填写泄漏物质。", "Enter the released substance."))
        else:
            try:
                entry = library().lookup(text)
            except UnknownSubstanceError as exc:
                from gis.hazards.refusals import explain

                refusals += explain(exc)
        mismatch = False
        if entry is not None and eq is not None:
            held = library().find(eq.substance)
            mismatch = held is not None and held.key != entry.key
            if mismatch:
                self.override_box.setText(self.tr(
                    "Model {substance} at {equipment} although it holds {held} (recorded in the log)").format(
                    substance=entry.label(lang), equipment=eq.label(lang), held=held.label(lang)))
            refusals += check_substance(eq, text, self.override_box.isChecked() and mismatch)
        self.override_box.setVisible(mismatch)
        self.substance_label.setText(self._substance_text(entry) if entry else "")
        if self.amount_spin.value() <= 0:
            field = {"rate": "rate_kg_s", "hole": "hole_diameter_m", "mass": "mass_kg"}[self.mode_box.currentData()]
            refusals.append(Refusal("missing", field, "请填写泄漏量：速率、孔径或瞬时泄漏量必须大于 0。",
                                    "Enter how much is released: the rate, hole size or mass must be more than 0."))
        frm = self.direction_spin.value()
        if frm >= 0:
            self.direction_label.setText(self.tr("from the {frm}: the cloud drifts towards the {to}").format(
                frm=compass(frm), to=compass(frm + 180.0)))
        else:
            self.direction_label.setText("")
        req = self.request()
        self.resolved = None
        try:
            lon, lat = self.lonlat
            self.resolved = resolve_weather(req.weather_input(), lat, lon)
        except HazardInputError as exc:
            refusals += exc.refusals
        if self.resolved is not None:
            w = self.resolved
            why = w.explanation_zh if lang == "zh" else w.explanation_en
            self.stability_label.setText(self.tr("<b>Stability class {cls}</b> — {words}<br><small>{why}</small>")
                                         .format(cls=w.stability, words=stability_words(w.stability), why=why))
        else:
            self.stability_label.setText(self.tr("<i>shown once the time, cloud cover and wind are entered</i>"))
        self.show_refusals(refusals)
        return refusals

    def _kind(self, kind: str) -> str:
        return {"tank": self.tr("Tank"), "reactor": self.tr("Reactor"), "pipeline": self.tr("Line"),
                "cylinder": self.tr("Cylinders"), "other": self.tr("Equipment")}.get(kind, kind)

    def _substance_text(self, e: LibraryEntry) -> str:
        lang = current_language()
        parts = [e.label(lang), f"CAS {e.cas}"]
        if e.supervised:
            parts.append(self.tr("on the key-supervision list (batch {batch}, no. {number})").format(
                batch=e.supervised[0], number=e.supervised[1]))
        g = e.guideline()
        if g is not None and g.ppm[2] is not None:
            parts.append(self.tr("red zone at {guideline}-3 {ppm:g} ppm").format(guideline=g.guideline, ppm=g.ppm[2]))
        return " · ".join(parts)

    def show_refusals(self, refusals: list[Refusal]) -> None:
        """List ``refusals`` in the UI language (what is wrong and what to change) and mark their fields."""
        self.refusals = list(refusals)
        lang = current_language()
        for w in self._marked:
            w.setStyleSheet("")
        self._marked = []
        if not refusals:
            self.problems_label.hide()
            self.problems_label.setText("")
            return
        lines = "".join(f"<li>{_escape(r.text(lang))}</li>" for r in refusals)
        self.problems_label.setText(self.tr("<b>Cannot compute yet:</b>") + f"<ul style='margin:0'>{lines}</ul>")
        self.problems_label.show()
        for r in refusals:
            w = self.field_widget(r.field)
            if w is not None and w not in self._marked:
                w.setStyleSheet(INVALID_STYLE)
                self._marked.append(w)

    def field_widget(self, field: str) -> QWidget | None:
        """The input a refusal's ``field`` is about (None for a field without its own input)."""
        return {"source": self.equipment_box, "substance": self.substance_edit, "rate_kg_s": self.amount_spin,
                "mass_kg": self.amount_spin, "hole_diameter_m": self.amount_spin, "duration_s": self.duration_spin,
                "wind_speed": self.wind_spin, "wind_from": self.direction_spin, "cloud_oktas": self.cloud_box,
                "time": self.time_edit, "stability": self.station_class_box}.get(field)

    def marked_fields(self) -> list[QWidget]:
        """The inputs marked as refused now."""
        return list(self._marked)

    # ------------------------------------------------------------------ actions
    def compute(self) -> HazardRequest | None:
        """Emit :attr:`computeRequested` with the request when nothing is refused; returns it (None when
        refused: the problems are shown)."""
        if self.validate():
            return None
        req = self.request()
        self.set_busy(True)
        self.computeRequested.emit(req)
        return req

    def set_busy(self, busy: bool) -> None:
        """Show that the zones are being computed (the Compute button waits)."""
        self.compute_button.setEnabled(not busy)
        self.busy_label.setText(self.tr("Computing the zones…") if busy else "")
        self.busy_label.setVisible(busy)

    def refused(self, refusals: list[Refusal]) -> None:
        """The computation refused the request: show why."""
        self.set_busy(False)
        self.show_refusals(refusals)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
