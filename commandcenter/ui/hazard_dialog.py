"""The "Hazard zone…" dialog: which source, how much, and the weather."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QWidget,
)

from gis.hazards.substances import SUBSTANCES
from gis.plant import Plant


@dataclass
class HazardRequest:
    """What the user asked for: source id, substance, rate (kg/s), duration (s, None = continuous), wind
    speed (m/s), wind direction FROM (degrees), stability class and terrain."""

    source_id: str
    substance: str
    rate_kg_s: float
    duration_s: float | None
    wind_speed: float
    wind_from_deg: float
    stability: str
    terrain: str = "rural"


class HazardDialog(QDialog):
    """Asks for a release at one of the plant's hazard sources and the current weather."""

    def __init__(self, plant: Plant, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("hazardDialog")
        self.setWindowTitle(self.tr("Hazard zone"))
        self._sources = plant.layers["hazard_sources"]
        form = QFormLayout(self)
        self.source_box = QComboBox()
        for sid, row in self._sources.iterrows():
            self.source_box.addItem(f"{sid} — {row['substance']}", str(sid))
        self.substance_box = QComboBox()
        self.substance_box.addItems(list(SUBSTANCES))
        self.rate_spin = self._spin(0.001, 10000.0, 1.0, 3, self.tr(" kg/s"))
        self.duration_spin = self._spin(0.0, 3600.0, 600.0, 0, self.tr(" s"))
        self.duration_spin.setSpecialValueText(self.tr("continuous"))
        self.wind_spin = self._spin(1.0, 30.0, 3.0, 1, self.tr(" m/s"))
        self.direction_spin = self._spin(0.0, 359.0, 270.0, 0, "°")
        self.direction_spin.setWrapping(True)
        self.stability_box = QComboBox()
        self.stability_box.addItems(list("ABCDEF"))
        self.stability_box.setCurrentText("D")
        self.terrain_box = QComboBox()
        self.terrain_box.addItem(self.tr("open country"), "rural")
        self.terrain_box.addItem(self.tr("urban / industrial"), "urban")
        form.addRow(self.tr("Source"), self.source_box)
        form.addRow(self.tr("Substance"), self.substance_box)
        form.addRow(self.tr("Release rate"), self.rate_spin)
        form.addRow(self.tr("Duration"), self.duration_spin)
        form.addRow(self.tr("Wind speed"), self.wind_spin)
        form.addRow(self.tr("Wind from"), self.direction_spin)
        form.addRow(self.tr("Stability class"), self.stability_box)
        form.addRow(self.tr("Terrain"), self.terrain_box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.source_box.currentIndexChanged.connect(self._source_changed)
        self._source_changed()

    @staticmethod
    def _spin(lo: float, hi: float, value: float, decimals: int, suffix: str) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setRange(lo, hi)
        spin.setDecimals(decimals)
        spin.setValue(value)
        spin.setSuffix(suffix)
        return spin

    def _source_changed(self) -> None:
        sid = self.source_box.currentData()
        if sid is None:
            return
        sub = str(self._sources.loc[sid, "substance"])
        if sub in SUBSTANCES:
            self.substance_box.setCurrentText(sub)

    def request(self) -> HazardRequest:
        """The values entered, as a :class:`HazardRequest`."""
        duration = self.duration_spin.value()
        return HazardRequest(str(self.source_box.currentData()), self.substance_box.currentText(),
                             self.rate_spin.value(), duration if duration > 0 else None, self.wind_spin.value(),
                             self.direction_spin.value(), self.stability_box.currentText(),
                             str(self.terrain_box.currentData()))
