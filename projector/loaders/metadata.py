"""Metadata TSV: one row per vector, tab-separated, no quoting.

The header rule is the TensorFlow projector's (the first non-blank line is a header when
it has a tab; a single column has none and is named ``label``), improved with the row
count: a single column with one row more than there are vectors has a header after all.
"""

from __future__ import annotations

import codecs
import os
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import MetadataError
from ._source import ByteSource

SINGLE_COLUMN_NAME = "label"


@dataclass(frozen=True)
class MetadataTable:
    """What :func:`read_metadata_tsv` found: the table and what was detected, in words."""

    frame: pd.DataFrame
    notes: tuple[str, ...]


def read_metadata_tsv(
    source: str | os.PathLike[str],
    n_points: int,
    *,
    header: bool | None = None,
    encoding: str = "utf-8",
) -> MetadataTable:
    """Read a metadata TSV with one row per vector.

    Parameters
    ----------
    source : path or ``"-"``
        The file; ``"-"`` reads standard input.
    n_points : int
        How many vectors the rows must describe.
    header : bool, optional
        Whether the first non-blank line names the columns. By default: yes when it
        has a tab; for a single column, yes exactly when the file has ``n_points + 1``
        rows.
    encoding : str
        Text encoding; UTF-8 files may start with a byte-order mark.

    Returns
    -------
    MetadataTable
        Columns whose every non-empty cell is a number are numeric (``Int64`` when all
        are whole numbers, else ``float64``); the others hold ``str``, with ``None`` for
        an empty cell.

    Raises
    ------
    MetadataError
        When the row count fits no reading of the file, or it cannot be decoded.

    Examples
    --------
    >>> import io
    >>> t = read_metadata_tsv(io.BytesIO(b"word\\tcount\\ncat\\t3\\ndog\\t\\n"), 2)
    >>> t.frame
      word  count
    0  cat      3
    1  dog   <NA>
    """
    src = ByteSource.open(source)
    with src.reader() as f:
        data = f.read()
    text = _decode(data, encoding, src.name)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [line[:-1] if line.endswith("\r") else line for line in lines]
    while lines and not lines[-1].strip():
        lines.pop()
    first = 0
    while first < len(lines) and not lines[first].strip():
        first += 1
    if first == len(lines):
        raise MetadataError("is empty" if not text else "has only blank lines", path=src.name)
    body = lines[first:]
    line_offset = first + 1  # 1-based line number of body[0]
    multi_column = "\t" in body[0]
    n_rows = len(body)

    if header is None:
        if multi_column:
            has_header = True
            why = "its first line has tabs, so it names the columns, as in TensorFlow"
            if n_rows - 1 != n_points and n_rows == n_points:
                raise MetadataError(
                    f"has {n_rows} rows and there are {n_points} vectors, but its first line was "
                    "read as a header (it has tabs), leaving one row too few. If the file has no "
                    "header row, pass --no-meta-header",
                    path=src.name,
                )
        elif n_rows == n_points + 1:
            has_header = True
            why = (
                f"a single column with {n_rows} rows for {n_points} vectors, so the first row "
                f"is its name"
            )
        else:
            has_header = False
            why = "a single column, so no header, as in TensorFlow"
    else:
        has_header = header
        why = "as asked"

    if has_header:
        names = _column_names(body[0].split("\t"))
        rows = body[1:]
        line_offset += 1
    else:
        width = max(line.count("\t") for line in body) + 1
        names = [SINGLE_COLUMN_NAME] if width == 1 else [f"column {i + 1}" for i in range(width)]
        rows = body

    if len(rows) != n_points:
        hint = ""
        if has_header and len(names) == 1 and len(rows) == n_points - 1:
            hint = "; its first line was read as a header: pass --no-meta-header if it is data"
        elif not has_header and len(rows) == n_points + 1:
            hint = "; if its first line is a header, pass --meta-header"
        raise MetadataError(
            f"has {len(rows)} data rows{' (after the header line)' if has_header else ''} but "
            f"there are {n_points} vectors: the metadata needs exactly one row per vector{hint}",
            path=src.name,
        )

    frame = _to_frame(rows, names, src.name, line_offset)
    if has_header:
        # A trailing tab on the header line names no column: drop such a column when empty.
        unnamed = [n for n, raw in zip(names, body[0].split("\t")) if not raw.strip()]
        frame = frame.drop(columns=[n for n in unnamed if frame[n].isna().all()])
    verdict = "yes" if has_header else "no"
    notes = (
        f"metadata header: {verdict} ({why})",
        f"metadata columns: {', '.join(_describe(frame[c]) for c in frame.columns)}",
    )
    return MetadataTable(frame=frame, notes=notes)


def _decode(data: bytes, encoding: str, name: str) -> str:
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise MetadataError(f"unknown text encoding {encoding!r} (see --encoding)", path=name) from None
    if codecs.lookup(encoding).name == "utf-8":
        encoding = "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        line_start = data.rfind(b"\n", 0, e.start) + 1
        column = data.count(b"\t", line_start, e.start) + 1
        raise MetadataError(
            f"byte 0x{data[e.start]:02x} is not valid {encoding.removesuffix('-sig').upper()} text; "
            "pass --encoding with the file's encoding (for example --encoding latin-1)",
            path=name,
            line=line,
            column=column,
        ) from None


def _column_names(fields: list[str]) -> list[str]:
    """Header fields as unique, non-empty column names."""
    names: list[str] = []
    seen: set[str] = set()
    for i, raw in enumerate(fields):
        name = raw.strip() or f"column {i + 1}"
        base, k = name, 2
        while name in seen:
            name = f"{base} ({k})"
            k += 1
        seen.add(name)
        names.append(name)
    return names


def _to_frame(rows: list[str], names: list[str], path: str, line_offset: int) -> pd.DataFrame:
    width = len(names)
    columns: list[list[str | None]] = [[] for _ in range(width)]
    for i, line in enumerate(rows):
        fields = line.split("\t")
        if len(fields) > width:
            if any(f.strip() for f in fields[width:]):
                raise MetadataError(
                    f"has {len(fields)} fields but the header names {width} columns",
                    path=path,
                    line=line_offset + i,
                )
            fields = fields[:width]
        for j in range(width):
            value = fields[j] if j < len(fields) else ""
            columns[j].append(value if value != "" else None)
    return pd.DataFrame({name: _typed(col) for name, col in zip(names, columns)})


def _typed(values: list[str | None]) -> pd.Series:
    """A numeric column when every non-empty cell is a finite number, else text."""
    present = [v for v in values if v is not None]
    if present:
        try:
            numbers = np.array(present, dtype=np.float64)
        except ValueError:
            numbers = None
        if numbers is not None and np.isfinite(numbers).all():
            full = np.full(len(values), np.nan)
            full[[i for i, v in enumerate(values) if v is not None]] = numbers
            if np.all(numbers == np.round(numbers)) and np.abs(numbers).max() < 2**53:
                return pd.Series(pd.array(full, dtype="Float64")).astype("Int64")
            return pd.Series(full, dtype="float64")
    return pd.Series(values, dtype=object)


def _describe(column: pd.Series) -> str:
    kind = "number" if pd.api.types.is_numeric_dtype(column) else "text"
    missing = int(column.isna().sum())
    return f"{column.name} ({kind}{f', {missing} empty' if missing else ''})"
