"""The progress line the CLI draws on a terminal."""

from __future__ import annotations

import io

from projector._terminal import ProgressLine
from projector.types import ProgressEvent


def test_phases_bar_counts_and_time_left(monkeypatch):
    clock = iter([0.0, 10.0, 20.0, 30.0])  # one reading per event, one for close()
    monkeypatch.setattr("projector._terminal.time.perf_counter", lambda: next(clock))
    out = io.StringIO()
    line = ProgressLine(out)
    line.stop.set()  # no ticker redraws in the test
    line(ProgressEvent("affinities"))
    line(ProgressEvent("optimising", 250, 750))
    line(ProgressEvent("optimising", 500, 750, "KL 2.5"))
    line.close()
    text = out.getvalue()
    assert "affinities: 0:00" in text and "(done in 10.0 s)\n" in text
    # 250 steps in 10 s within this phase, 250 to go: 10 s left
    assert "optimising: [################--------] 500/750 KL 2.5 0:10, 0:10 left" in text
    assert text.endswith("(done in 20.0 s)\n")
