"""A one-line progress display on stderr, for the CLI (the library never prints)."""

from __future__ import annotations

import sys
import threading
import time
from typing import TextIO

from .types import ProgressEvent


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 60}:{seconds % 60:02d}"


class ProgressLine:
    """Renders :class:`ProgressEvent` s as one rewritten line: phase, bar, counts, time.

    A phase of unknown length shows its elapsed time, refreshed by a ticker thread.
    When a phase ends its line is kept with the phase's time.
    """

    WIDTH = 24

    def __init__(self, stream: TextIO | None = None, unit: str = "") -> None:
        self.stream = stream or sys.stderr
        self.unit = unit
        self.phase: str | None = None
        self.phase_started = 0.0
        self.phase_done0 = 0  # steps already done when the phase began
        self.last: ProgressEvent | None = None
        self.last_draw = float("-inf")
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.ticker = threading.Thread(target=self._tick, daemon=True)
        self.ticker.start()

    def __call__(self, event: ProgressEvent) -> None:
        with self.lock:
            now = time.perf_counter()
            if event.phase != self.phase:
                self._finish_phase(now)
                self.phase = event.phase
                self.phase_started = now
                self.phase_done0 = event.done
            self.last = event
            if now - self.last_draw >= 0.1 or (event.total and event.done >= event.total):
                self._draw(now)

    def _tick(self) -> None:
        while not self.stop.wait(0.5):
            with self.lock:
                if self.last is not None:
                    self._draw(time.perf_counter())

    def _draw(self, now: float) -> None:
        e = self.last
        assert e is not None
        elapsed = now - self.phase_started
        if e.total:
            frac = min(1.0, e.done / e.total)
            filled = int(frac * self.WIDTH)
            bar = "#" * filled + "-" * (self.WIDTH - filled)
            progressed = e.done - self.phase_done0
            eta = ""
            if 0 < frac < 1 and progressed > 0 and elapsed > 0.5:
                eta = f", {_clock((e.total - e.done) * elapsed / progressed)} left"
            counts = f"{e.done:,}/{e.total:,}{self.unit}"
            text = f"{e.phase}: [{bar}] {counts} {e.detail} {_clock(elapsed)}{eta}"
        else:
            text = f"{e.phase}: {_clock(elapsed)}"
        self.stream.write("\r\x1b[2K" + " ".join(text.split()))
        self.stream.flush()
        self.last_draw = now

    def _finish_phase(self, now: float) -> None:
        if self.phase is not None and self.last is not None:
            self._draw(now)
            self.stream.write(f" (done in {now - self.phase_started:.1f} s)\n")
            self.stream.flush()
            self.last = None

    def close(self) -> None:
        self.stop.set()
        with self.lock:
            self._finish_phase(time.perf_counter())
