"""Refusing, before starting, work that would not fit in memory (instead of being killed)."""

from __future__ import annotations

from .errors import ResourceError

# What must stay free besides the estimate: the interpreter, libraries, the OS.
HEADROOM = 256 << 20


def available_bytes() -> int | None:
    """Memory the system can give without swapping (Linux MemAvailable); None when unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def gigabytes(n: float) -> str:
    return f"{n / 2**30:.1f} GB" if n >= 2**30 else f"{n / 2**20:.0f} MB"


def check(need: float, what: str, fix: str) -> None:
    """Raise :class:`ResourceError` when ``need`` bytes (an estimate) exceed what is available."""
    free = available_bytes()
    if free is not None and need + HEADROOM > free:
        raise ResourceError(f"{what} needs about {gigabytes(need)} of memory but only {gigabytes(free)} is available; {fix}")
