"""tools/screenshots.py: one language's pictures of a live incident, each written, of its size and not blank."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from tools.screenshots import MAP_SIZE, PANEL_SIZE, REPLAY_SIZE, WINDOW_SIZE, main, shot_names

pytestmark = pytest.mark.slow  # a whole incident played, then replayed: about half a minute


def test_the_tool_writes_every_screenshot_of_a_live_incident(tmp_path, qapp):
    logs = tmp_path / "logs"
    assert main(["--out", str(tmp_path / "img"), "--lang", "en", "--keep-log", str(logs)]) == 0

    expected = {"window": WINDOW_SIZE, "map": MAP_SIZE, "muster": PANEL_SIZE, "tasks": PANEL_SIZE,
                "alarms": PANEL_SIZE, "replay": REPLAY_SIZE}
    names = shot_names("en")
    assert sorted(p.name for p in (tmp_path / "img").iterdir()) == sorted(names)
    for name in names:
        path = tmp_path / "img" / name
        assert path.stat().st_size < 300 * 1024, f"{name} is {path.stat().st_size // 1024} KB"
        with Image.open(path) as img:
            size = img.size
            grey = np.asarray(img.convert("L"), dtype=float)
        kind = name.split("_")[0]
        if kind in expected:
            assert size == expected[kind], f"{name}: {size}"
        else:  # the launch confirmation: a message box as big as its text
            assert size[0] >= 300, f"{name}: {size}"
            assert size[1] >= 150, f"{name}: {size}"
        # not blank: a UI picture has dark text on light ground, so its grey levels spread widely
        assert grey.std() > 20.0, f"{name} looks blank (grey std {grey.std():.1f})"
        assert (grey < 100).mean() > 0.005, f"{name} has almost no dark pixels (no text)"

    # the pictures show a live incident: the log holds the whole flow, from the reading to the all-clear
    from collections import Counter

    from commandcenter.store import EventStore

    store = EventStore(logs / "incident-en.db")
    try:
        (inc,) = store.incidents()
        counts = Counter(e.type for e in store.events(inc.id))
    finally:
        store.close()
    for kind in ("sensor.alarm", "alarm.confirmed", "hazard.assessed", "evacuation.planned", "plan.launched",
                 "command.acknowledged", "position.reported", "person.mustered", "task.overdue", "incident.closed"):
        assert counts[kind] >= 1, f"no {kind} in the incident's log: {dict(counts)}"
    assert counts["command.acknowledged"] < counts["command.delivered"]  # one order was never acknowledged
