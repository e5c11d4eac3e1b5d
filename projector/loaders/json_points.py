"""The ``.json`` coordinates projector writes: ``{"axes": [...], "points": [{...}, ...]}``."""

from __future__ import annotations

import json
import os

import numpy as np
import pandas as pd

from ..errors import InputError
from .vectors_tsv import VectorTable


def is_points_json(doc: object) -> bool:
    return isinstance(doc, dict) and isinstance(doc.get("axes"), list) and isinstance(doc.get("points"), list)


def read_points_json(path: str | os.PathLike[str], doc: dict | None = None) -> tuple[VectorTable, pd.DataFrame]:
    """The coordinates (the ``axes`` keys of every point) and the other keys as metadata."""
    name = os.fspath(path)
    if doc is None:
        doc = json.loads(open(name, encoding="utf-8").read())
    axes, points = doc["axes"], doc["points"]
    if not axes or not points:
        raise InputError("has no axes or no points", path=name)
    try:
        array = np.array([[p[a] for a in axes] for p in points], dtype=np.float32)
    except (KeyError, TypeError, ValueError) as e:
        raise InputError(f"has a point without a number for every axis ({e})", path=name) from None
    others = [k for k in points[0] if k not in axes and k != "row"]
    meta = pd.DataFrame({k: [p.get(k) for p in points] for k in others}, index=pd.RangeIndex(len(points)))
    for k in others:  # whole numbers as Int64, as the TSV metadata loader types them
        values = meta[k]
        present = values.dropna()
        if len(present) and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
            meta[k] = pd.array(values.tolist(), dtype="Int64")
    from .arrays import _check

    table = VectorTable(vectors=_check(array, name, "the points"), columns=tuple(axes),
                        notes=(f"vectors: the {', '.join(axes)} coordinates of projector's JSON",))  # fmt: skip
    return table, meta
