"""Fixtures of the report tests: a rich drill log built by hand (every number in it chosen so the report's
figures can be worked out on paper), the external tools (pdftoppm, pdftotext, chromium) that skip when
absent — except under ``CI=true``, where they must be there — and a font cache per test session."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
MINI_PLANT = REPO / "tests" / "fixtures" / "mini_plant"
T0 = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
# the red zone of the rich log: a box in the mini plant's site (EPSG:32650 metres)
RED = (668100.0, 3571040.0, 668140.0, 3571080.0)
ORANGE = (668080.0, 3571020.0, 668160.0, 3571100.0)


def need_tool(name: str) -> str:
    """The path of an external program; skip without it, except under CI=true where it must be installed
    (``.ci/run`` installs poppler-utils and chromium from Debian)."""
    path = shutil.which(name)
    if path is None:
        reason = f"{name} is not installed (Debian: apt-get install -y {_PACKAGES.get(name, name)})"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)
    return path


_PACKAGES = {"pdftoppm": "poppler-utils", "pdftotext": "poppler-utils", "pdfinfo": "poppler-utils",
             "pdffonts": "poppler-utils", "chromium": "chromium"}


def pdf_pages_text(pdf: Path) -> list[str]:
    """The text of each page of ``pdf`` (poppler's pdftotext: it reads the embedded font's Unicode map, so
    Chinese comes back as Chinese only when the glyphs were embedded with their code points)."""
    exe = need_tool("pdftotext")
    info = subprocess.run([need_tool("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    out = []
    for p in range(1, pages + 1):
        out.append(subprocess.run([exe, "-f", str(p), "-l", str(p), "-layout", str(pdf), "-"], capture_output=True,
                                  text=True, check=True).stdout)
    return out


@pytest.fixture(scope="session", autouse=True)
def _font_cache(tmp_path_factory: pytest.TempPathFactory):
    """Build the report fonts into a session folder, not the user's cache."""
    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    yield
    if old is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = old


def png_bytes(text: str, colour: tuple[int, int, int] = (200, 40, 40)) -> bytes:
    """A small real PNG photo stand-in (unique per text)."""
    from PIL import Image, ImageDraw

    im = Image.new("RGB", (160, 120), colour)
    ImageDraw.Draw(im).text((10, 50), text, fill=(255, 255, 255))
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()


@dataclass
class RichLog:
    """The rich drill log and the numbers worked out by hand from how it was built."""

    db: Path
    incident: str
    earlier: str


def _box(b: tuple[float, float, float, float]) -> dict:
    x0, y0, x1, y1 = b
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}


# people: start position (m), and where/when they muster (None: never)
PEOPLE = {
    "P1": ((668120.0, 3571060.0), ("AP1", 120)),  # inside red until mustered
    "P2": ((668090.0, 3571030.0), ("AP1", 150)),  # inside orange only
    "P3": ((668150.0, 3571090.0), ("AP2", 180)),  # orange; sent to AP1, mustered at AP2
    "P4": ((668030.0, 3571100.0), ("AP1", 250)),  # outside every zone
    "P5": ((668125.0, 3571045.0), ("AP2", 200)),  # red
    "P6": ((668010.0, 3571010.0), None),  # outside, never accounted for
}
PLAN_AP = {"P1": "AP1", "P2": "AP1", "P3": "AP1", "P4": "AP1", "P5": "AP2", "P6": "AP2"}


def build_rich_log(db: Path) -> RichLog:
    """Record the rich drill (see :data:`PEOPLE`) through the incident runtime, with evidence files beside it."""
    from commandcenter.runtime import IncidentRuntime, ManualClock
    from commandcenter.store import EventStore
    from gis.loader import load_plant
    from vocabulary.events import Draft

    plant = load_plant(MINI_PLANT)
    store = EventStore(db)

    def at(s: float, base: dt.datetime = T0) -> dt.datetime:
        return base + dt.timedelta(seconds=s)

    # an earlier drill of the same plan, a week before: launched 60 s after opening
    e0 = T0 - dt.timedelta(days=7)
    rt0 = IncidentRuntime.create(store, title="演练：上周 / last week's drill", exercise=True, plant=plant,
                                 clock=ManualClock(e0), engine=False, incident_id="DRILL-EARLIER")
    rt0.submit([Draft("plan.launched", at(60, e0), {"plan_id": "h2s-release", "level": "L2"}),
                Draft("task.assigned", at(60, e0), {"task_id": "T1", "person_id": "R1", "deadline_s": 60.0}),
                Draft("task.done", at(100, e0), {"task_id": "T1", "person_id": "R1"})])

    rt = IncidentRuntime.create(store, title="演练：硫化氢泄漏 / Drill: H2S release", exercise=True, plant=plant,
                                clock=ManualClock(T0), engine=False, incident_id="DRILL-RICH")
    folder = db.with_name(db.stem + ".evidence")
    folder.mkdir()
    good, good4 = png_bytes("valve closed"), png_bytes("area clear", (40, 120, 40))
    swapped_original = png_bytes("original photo")
    sha_good, sha_good4 = hashlib.sha256(good).hexdigest(), hashlib.sha256(good4).hexdigest()
    sha_swapped = hashlib.sha256(swapped_original).hexdigest()
    sha_missing = hashlib.sha256(b"never stored").hexdigest()
    (folder / f"{sha_good}.png").write_bytes(good)
    (folder / sha_good4).write_bytes(good4)
    (folder / f"{sha_swapped}.png").write_bytes(png_bytes("a different photo"))  # swapped after the fact

    drafts = [
        Draft("sensor.alarm", at(10), {"sensor_id": "S1", "level": "alarm", "value": 30.0, "unit": "ppm"}),
        Draft("plan.launched", at(30), {"plan_id": "h2s-release", "level": "L2", "by": "OP1"}),
        Draft("task.assigned", at(30), {"task_id": "T1", "person_id": "R1", "deadline_s": 60.0,
                                        "title": {"zh": "关闭进料阀", "en": "Close the feed valve"}}),
        Draft("task.assigned", at(30), {"task_id": "T2", "person_id": "R2", "deadline_s": 120.0,
                                        "depends_on": ["T1"], "title": {"zh": "启动排风机", "en": "Start the fan"}}),
        Draft("task.assigned", at(30), {"task_id": "T3", "person_id": "R3", "deadline_s": 300.0,
                                        "title": {"zh": "通知园区", "en": "Notify the park"}}),
        Draft("task.assigned", at(30), {"task_id": "T4", "person_id": "R4", "deadline_s": 600.0, "depends_on": ["T2"],
                                        "title": {"zh": "确认区域清空", "en": "Confirm area clear"}}),
        Draft("hazard.assessed", at(35), {"assessment_id": "HZ-1", "substance": "H2S", "zones": [
            {"level": "red", "geometry": _box(RED)}, {"level": "orange", "geometry": _box(ORANGE)}]}),
        Draft("evacuation.planned", at(36), {"evacuation_id": "EV-1", "method": "capacity", "people": [
            {"person_id": p, "assembly_point_id": ap, "edges": [0, 1]} for p, ap in PLAN_AP.items()]}),
        Draft("task.acknowledged", at(40), {"task_id": "T1", "person_id": "R1"}),
        Draft("command.sent", at(40), {"command_id": "CMD-E", "to": list(PEOPLE), "kind": "evacuate"}),
        Draft("command.acknowledged", at(45), {"command_id": "CMD-E", "person_id": "P1"}),
        Draft("command.acknowledged", at(50), {"command_id": "CMD-E", "person_id": "P2"}),
        Draft("command.sent", at(50), {"command_id": "ACT-1", "to": ["GW-1"], "kind": "actuate", "expires_s": 60.0,
                                       "params": {"equipment_id": "FAN-1", "action": "start"}}),
        Draft("command.sent", at(50), {"command_id": "ACT-2", "to": ["GW-1"], "kind": "actuate", "expires_s": 30.0,
                                       "params": {"equipment_id": "VALVE-7", "action": "close"}}),
        Draft("command.sent", at(50), {"command_id": "ACT-3", "to": ["GW-1"], "kind": "actuate", "expires_s": 30.0,
                                       "params": {"equipment_id": "SIREN-2", "action": "sound"}}),
        Draft("command.acknowledged", at(70), {"command_id": "CMD-E", "person_id": "P3"}),
        Draft("command.failed", at(70), {"command_id": "ACT-3", "device_id": "GW-1", "reason": "no power"}),
        Draft("command.done", at(80), {"command_id": "ACT-1", "device_id": "GW-1"}),
        Draft("evidence.received", at(95), {"sha256": sha_good, "task_id": "T1", "person_id": "R1",
                                            "mime": "image/png", "caption": "阀门已关闭"}),
        Draft("task.done", at(100), {"task_id": "T1", "person_id": "R1"}),
        Draft("command.done", at(120), {"command_id": "ACT-2", "device_id": "GW-1"}),
        Draft("evidence.received", at(190), {"sha256": sha_swapped, "task_id": "T2", "person_id": "R2",
                                             "mime": "image/png"}),
        Draft("task.done", at(200), {"task_id": "T2", "person_id": "R2"}),
        Draft("evidence.received", at(240), {"sha256": sha_good4, "task_id": "T4", "person_id": "R4",
                                             "mime": "image/png"}),
        Draft("evidence.received", at(245), {"sha256": sha_missing, "task_id": "T3", "person_id": "R3"}),
        Draft("task.done", at(250), {"task_id": "T4", "person_id": "R4"}),
        Draft("person.sos", at(130), {"person_id": "P6", "text": "腿部受伤"}),
    ]
    aps = {"AP1": (668110.0, 3571010.0), "AP2": (668015.0, 3571030.0)}
    for pid, ((x, y), muster) in PEOPLE.items():
        for s in range(0, 301, 10):
            if muster is not None and s >= muster[1]:
                px, py = aps[muster[0]]
            else:
                px, py = x, y
            drafts.append(Draft("position.reported", at(s + 0.5), {"person_id": pid, "x": px, "y": py}))
        if muster is not None:
            drafts.append(Draft("person.mustered", at(muster[1]), {"person_id": pid, "assembly_point_id": muster[0]}))
    drafts.append(Draft("incident.closed", at(310), {"reason": "end of drill"}))
    drafts.sort(key=lambda d: d.time)
    rt.submit(drafts)
    rt.close()
    rt0.close()
    store.close()
    return RichLog(db, "DRILL-RICH", "DRILL-EARLIER")


@pytest.fixture(scope="module")
def rich_log(tmp_path_factory: pytest.TempPathFactory) -> RichLog:
    """The rich drill log (built once per module)."""
    return build_rich_log(tmp_path_factory.mktemp("rich") / "drill.db")
