"""Finding points by a metadata value, as the TensorFlow projector's search box does."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ._text import cell_text
from .errors import ParameterError


def as_text(series: pd.Series) -> list[str]:
    """Cell values as the text a person sees (see :func:`projector._text.cell_text`)."""
    return [cell_text(v) for v in series]


def search(series: pd.Series, query: str, regex: bool = False) -> np.ndarray:
    """Rows whose value contains ``query`` (case-insensitive), or matches it as a regex.

    Parameters
    ----------
    series : pandas.Series
        A metadata column; its values are searched as text.
    query : str
        A substring, or a regular expression when ``regex`` (searched, not anchored,
        case-insensitive, as in TensorFlow).
    regex : bool

    Returns
    -------
    numpy.ndarray
        int64 row numbers, ascending.

    Raises
    ------
    ParameterError
        For an invalid regular expression.

    Examples
    --------
    >>> s = pd.Series(["King", "queen", "kingdom", None])
    >>> search(s, "king").tolist(), search(s, "^k.*g$", regex=True).tolist()
    ([0, 2], [0])
    """
    texts = as_text(series)
    if regex:
        try:
            pattern = re.compile(query, flags=re.IGNORECASE)
        except re.error as e:
            raise ParameterError(f"{query!r} is not a valid regular expression: {e}") from None
        hits = [i for i, t in enumerate(texts) if pattern.search(t)]
    else:
        needle = query.casefold()
        hits = [i for i, t in enumerate(texts) if needle in t.casefold()]
    return np.asarray(hits, dtype=np.int64)


def find_exact_or_contains(series: pd.Series, query: str) -> tuple[np.ndarray, str]:
    """Rows whose value equals ``query``; failing that, equals it ignoring case; failing
    that, contains it ignoring case. Returns the rows and which rule found them.

    Examples
    --------
    >>> s = pd.Series(["cat", "Cat", "category"])
    >>> find_exact_or_contains(s, "cat")[0].tolist()
    [0]
    >>> find_exact_or_contains(s, "CAT")
    (array([0, 1]), 'equal ignoring case')
    """
    texts = as_text(series)
    exact = [i for i, t in enumerate(texts) if t == query]
    if exact:
        return np.asarray(exact, dtype=np.int64), "equal"
    folded = query.casefold()
    same = [i for i, t in enumerate(texts) if t.casefold() == folded]
    if same:
        return np.asarray(same, dtype=np.int64), "equal ignoring case"
    return search(series, query), "containing it, ignoring case"


def default_search_column(frame: pd.DataFrame) -> str | None:
    """TensorFlow's default: the first text column, else the first column."""
    for name in frame.columns:
        if not pd.api.types.is_numeric_dtype(frame[name]):
            return str(name)
    return str(frame.columns[0]) if len(frame.columns) else None
