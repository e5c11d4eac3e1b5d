"""Metadata values as the text a person sees (one rule for the page, the images, search)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def cell_text(value: object) -> str:
    """A metadata value as text: whole numbers without '.0', 6 significant digits, missing as ''.

    Examples
    --------
    >>> [cell_text(v) for v in (3, 2.50, 1e-7, None, float("nan"), "x")]
    ['3', '2.5', '1e-07', '', '', 'x']
    """
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.6g}"
    return str(value)
