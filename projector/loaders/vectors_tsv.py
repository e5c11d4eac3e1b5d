"""Vector TSV: tab-separated floats, one point per line, optional header row.

Two parsers share one contract. The fast one hands line-aligned chunks of about 16 MB
to polars (multi-threaded) and copies each parsed chunk straight into one preallocated
float32 array, so the peak stays near the size of the result instead of the 3x that a
whole-file parse holds. Any chunk the fast parser rejects or parses to a non-finite
value is parsed again by the exact parser, which either tolerates what is harmless
(blank lines, spaces around numbers, ragged trailing tabs) or raises an error naming
the line and column.
"""

from __future__ import annotations

import io
import math
import os
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np

from ..errors import InputError
from ..types import Progress, ProgressEvent
from ._source import BOM, ByteSource, line_chunks

CHUNK_BYTES = 16 << 20
# Below this size the exact parser is quicker than importing polars.
FAST_PATH_MIN_BYTES = 4 << 20
_OTHER_SEPARATORS = {",": "comma", ";": "semicolon", "|": "pipe", " ": "space"}

@dataclass(frozen=True)
class VectorTable:
    """What :func:`read_vectors_tsv` found: the matrix, header names and what was detected."""

    vectors: np.ndarray
    columns: tuple[str, ...] | None
    notes: tuple[str, ...]


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def read_vectors_tsv(
    source: str | os.PathLike[str] | BinaryIO,
    *,
    header: bool | None = None,
    progress: Progress | None = None,
) -> VectorTable:
    """Read a vector TSV into a float32, C-contiguous array.

    Parameters
    ----------
    source : path, ``"-"`` or binary file object
        ``"-"`` reads standard input.
    header : bool, optional
        Whether the first non-blank line holds column names. By default it does when
        any of its fields is not a number.
    progress : callable, optional
        Called with a :class:`~projector.types.ProgressEvent` (bytes read of all)
        after each chunk.

    Returns
    -------
    VectorTable

    Raises
    ------
    InputError
        For empty files, ragged rows, non-numeric or non-finite cells, and files that
        are not tab-separated; the message names the line and column.

    Examples
    --------
    >>> import io
    >>> t = read_vectors_tsv(io.BytesIO(b"x\\ty\\n1\\t2\\n3\\t4\\n"))
    >>> t.vectors
    array([[1., 2.],
           [3., 4.]], dtype=float32)
    >>> t.columns
    ('x', 'y')
    """
    src = ByteSource.open(source)
    total = src.size
    with src.reader() as f:
        head, start, first_line_no, first = _first_line(f, src)
        fields = first.decode("utf-8", "replace").rstrip(" \t\r").split("\t")
        n_dims = len(fields)
        notes: list[str] = []
        if header is None:
            non_numeric = [x for x in fields if not _is_number(x)]
            is_header = bool(non_numeric)
            if is_header:
                notes.append(f"vectors header: yes (line {first_line_no} has text such as {non_numeric[0]!r})")
            else:
                notes.append("vectors header: no (first line is numeric)")
        else:
            is_header = header
            notes.append(f"vectors header: {'yes' if header else 'no'} (as asked)")
        columns = tuple(x.strip() for x in fields) if is_header else None
        if is_header:
            start = head.index(b"\n", start) + 1 if b"\n" in head[start:] else len(head)
        body_head = head[start:]
        _check_separator(body_head, n_dims, src)
        extra_tabs = _trailing_empty_fields(body_head)

        capacity = (total - start) // (2 * n_dims) + 1  # a row takes at least 2*n_dims bytes
        # np.empty only reserves address space: pages are committed as rows are written,
        # and the unused tail is returned by the resize at the end.
        out = np.empty((capacity, n_dims), dtype=np.float32)
        use_fast = total >= FAST_PATH_MIN_BYTES
        n_rows = 0
        for offset, chunk in line_chunks(f, CHUNK_BYTES, start=body_head):
            m = None
            if use_fast:
                m = _parse_fast(chunk, n_dims, extra_tabs, out, n_rows)
            if m is None:
                m = _parse_exact(chunk, n_dims, out, n_rows, src, start + offset)
            n_rows += m
            if progress is not None:
                progress(ProgressEvent("reading vectors", min(start + offset + len(chunk), total), total))
    if n_rows == 0:
        raise InputError("has a header line but no vectors" if is_header else "has no vectors", path=src.name)
    out.resize((n_rows, n_dims), refcheck=False)
    return VectorTable(vectors=out, columns=columns, notes=tuple(notes))


def _first_line(f: BinaryIO, src: ByteSource) -> tuple[bytes, int, int, bytes]:
    """Read until the first non-blank line is complete.

    Returns the bytes read so far, the offset where that line starts, its 1-based line
    number and the line itself (without its newline).
    """
    head = f.read(CHUNK_BYTES)
    pos = len(BOM) if head.startswith(BOM) else 0
    line_no = 1
    while True:
        nl = head.find(b"\n", pos)
        while nl == -1:
            more = f.read(CHUNK_BYTES)
            if not more:
                break
            head += more
            nl = head.find(b"\n", pos)
        end = len(head) if nl == -1 else nl
        line = head[pos:end]
        if line.strip():
            # Make sure the line after it is complete too: the separator check reads it.
            if nl != -1 and head.find(b"\n", nl + 1) == -1:
                head += f.readline()
            return head, pos, line_no, line
        if nl == -1:
            raise InputError(
                "is empty" if not head[pos:] and line_no == 1 else "has only blank lines", path=src.name
            )
        pos = nl + 1
        line_no += 1


def _check_separator(body_head: bytes, n_dims: int, src: ByteSource) -> None:
    """Refuse a file whose rows are numbers joined by something other than tabs."""
    if n_dims != 1:
        return
    for raw in body_head.split(b"\n", 8)[:8]:
        line = raw.decode("utf-8", "replace").strip()
        if not line:
            continue
        for sep, name in _OTHER_SEPARATORS.items():
            parts = line.split() if sep == " " else line.split(sep)
            if len(parts) >= 2 and sum(_is_number(p.strip()) for p in parts) >= len(parts) - 1:
                raise InputError(
                    f"does not look tab-separated: its lines have no tab but split on {name}s into "
                    f"{len(parts)} numbers. projector reads tab-separated vectors; convert the file, "
                    f"e.g. with  tr '{sep}' '\\t' < IN > OUT",
                    path=src.name,
                )
        return


def _trailing_empty_fields(body_head: bytes) -> int:
    """How many empty fields the first data line ends with (files written with a trailing tab)."""
    for raw in body_head.split(b"\n", 4)[:4]:
        line = raw.rstrip(b"\r")
        if line.strip():
            fields = line.split(b"\t")
            k = 0
            while k < len(fields) - 1 and not fields[-1 - k].strip():
                k += 1
            return k
    return 0


def _parse_fast(chunk: bytes, n_dims: int, extra: int, out: np.ndarray, row0: int) -> int | None:
    """Parse a chunk with polars into ``out[row0:]``; None when the exact parser must look."""
    import polars as pl

    body = chunk.rstrip(b"\r\n\t ")
    if not body:
        return 0
    schema = {f"v{j}": pl.Float32 for j in range(n_dims)}
    schema.update({f"x{j}": pl.String for j in range(extra)})
    try:
        df = pl.read_csv(
            io.BytesIO(body), has_header=False, separator="\t", schema=schema, quote_char=None
        )
    except Exception:  # noqa: BLE001 - any complaint from polars means: look closely
        return None
    m = df.height
    if row0 + m > out.shape[0]:
        return None
    for j in range(extra):
        if df.get_column(f"x{j}").str.strip_chars().str.len_bytes().fill_null(0).sum() > 0:
            return None
    block = out[row0 : row0 + m]
    # Column by column into the row-major block: the block is a few MB, so these strided
    # writes stay in cache, and no intermediate 2-D copy is made.
    for j in range(n_dims):
        block[:, j] = df.get_column(f"v{j}").to_numpy()
    if not np.isfinite(block).all():  # nulls (blank lines, short rows) arrive as NaN
        return None
    return m


def _parse_exact(
    chunk: bytes, n_dims: int, out: np.ndarray, row0: int, src: ByteSource, offset: int
) -> int:
    """Parse a chunk line by line into ``out[row0:]``, raising errors that name line and column."""
    text = chunk.decode("utf-8", "replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    base_line: list[int] = []

    def where(i: int) -> int:
        if not base_line:
            base_line.append(src.count_lines_before(offset) + 1)
        return base_line[0] + i

    rows: list[list[str]] = []
    line_of_row: list[int] = []
    for i, line in enumerate(text.split("\n")):
        stripped = line.rstrip(" \t\r")
        if not stripped.strip():
            continue
        fields = stripped.split("\t")
        if len(fields) != n_dims:
            raise InputError(
                f"expected {n_dims} values (as on the first line), found {len(fields)}",
                path=src.name,
                line=where(i),
            )
        rows.append(fields)
        line_of_row.append(i)
    if row0 + len(rows) > out.shape[0]:  # cannot happen: capacity is an upper bound
        raise AssertionError("vector capacity estimate exceeded")
    try:
        with np.errstate(over="ignore"):  # overflow is reported below as "too large"
            block = np.array(rows, dtype=np.float32) if rows else np.empty((0, n_dims), np.float32)
        bad = None if np.isfinite(block).all() else np.argwhere(~np.isfinite(block))[0]
    except (ValueError, OverflowError):
        bad = None
        block = None
    if block is None or bad is not None:
        # Find the first offending cell, in file order, for the message.
        for r, fields in enumerate(rows):
            for c, value in enumerate(fields):
                problem = _cell_problem(value)
                if problem:
                    raise InputError(problem, path=src.name, line=where(line_of_row[r]), column=c + 1)
        raise AssertionError("a bad cell was detected but not found")  # pragma: no cover
    out[row0 : row0 + len(rows)] = block
    return len(rows)


def _cell_problem(value: str) -> str | None:
    try:
        x = float(value)
    except ValueError:
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"{shown!r} is not a number" if value.strip() else "empty value"
    if not math.isfinite(x):
        return f"{value.strip()!r} is not a finite number (NaN and infinity are not allowed)"
    if abs(x) > float(np.finfo(np.float32).max):
        return f"{value.strip()!r} is too large for float32"
    return None
