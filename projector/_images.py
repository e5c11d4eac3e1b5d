"""Image files (sprite atlases): size only; the page embeds the file's bytes as they are."""

from __future__ import annotations

import os


def image_size(path: str | os.PathLike[str]) -> tuple[int, int] | None:
    """``(width, height)`` of a PNG, JPEG or other image Pillow reads; None when it cannot."""
    try:
        from PIL import Image  # Pillow comes with matplotlib
    except ImportError:  # pragma: no cover
        return None
    try:
        with Image.open(os.fspath(path)) as image:
            return int(image.width), int(image.height)
    except (OSError, ValueError):
        return None
