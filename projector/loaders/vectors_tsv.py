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
    delimiter: str = "\t",
    progress: Progress | None = None,
) -> VectorTable:
    """Read a vector TSV (or CSV, or either gzipped) into a float32, C-contiguous array.

    Parameters
    ----------
    source : path, ``"-"`` or binary file object
        ``"-"`` reads standard input. A path ending in ``.gz`` is decompressed as it
        is read.
    delimiter : str
        ``"\t"`` for TSV, ``","`` for CSV (double quotes around a header name are
        removed; numbers are never quoted).
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
    try:
        return _read(src, header, delimiter, progress)
    except (EOFError, OSError) as e:  # a truncated or corrupt .gz
        if src.compressed:
            raise InputError(f"is not a readable gzip file: {e}", path=src.name) from None
        raise


def _read(src: ByteSource, header: bool | None, sep: str, progress: Progress | None) -> VectorTable:
    total = src.size
    with src.reader() as f:
        head, start, first_line_no, first = _first_line(f, src)
        fields = _split(first.decode("utf-8", "replace"), sep)
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
        columns = tuple(_unquote(x.strip()) for x in fields) if is_header else None
        if is_header:
            start = head.index(b"\n", start) + 1 if b"\n" in head[start:] else len(head)
        body_head = head[start:]
        _check_separator(body_head, n_dims, sep, src)
        extra = _trailing_empty_fields(body_head, sep)

        # Rows take at least 2 * n_dims bytes, so this bounds the row count of a plain file;
        # np.empty only reserves address space: pages are committed as rows are written,
        # and the unused tail is returned by the resize at the end. Compressed input
        # starts from an estimate and grows.
        if not src.compressed:
            _check_memory(body_head, total - start, n_dims, src)
        out = _Rows(n_dims, (total - start) // (2 * n_dims) + 1 if not src.compressed else 1 << 16)
        use_fast = total >= FAST_PATH_MIN_BYTES
        for offset, chunk in line_chunks(f, CHUNK_BYTES, start=body_head):
            m = None
            if use_fast:
                m = _parse_fast(chunk, n_dims, extra, sep, out)
            if m is None:
                m = _parse_exact(chunk, n_dims, sep, out, src, start + offset)
            out.n += m
            if progress is not None:
                done = f.tell() if src.compressed and hasattr(f, "tell") else start + offset + len(chunk)
                progress(ProgressEvent("reading vectors", min(done, total), total))
    if out.n == 0:
        raise InputError("has a header line but no vectors" if is_header else "has no vectors", path=src.name)
    return VectorTable(vectors=out.finish(), columns=columns, notes=tuple(notes))


def _check_memory(body_head: bytes, body_bytes: int, n_dims: int, src: ByteSource) -> None:
    """Refuse a file whose float32 matrix would not fit in memory, from its first lines' length."""
    from .._memory import check

    sample = body_head[: 1 << 20]
    lines = sample.count(b"\n") or 1
    rows = body_bytes / (len(sample) / lines) if sample else 0
    check(rows * n_dims * 4 * 1.1, f"reading {src.name} (about {rows:,.0f} x {n_dims} float32 values)",
          "read a sample of its rows (e.g. `shuf -n 100000 FILE`) or use a machine with more memory")


class _Rows:
    """The growing float32 result: rows ``0..n`` are filled."""

    def __init__(self, n_dims: int, capacity: int) -> None:
        self.array = np.empty((max(1, capacity), n_dims), dtype=np.float32)
        self.n = 0

    def block(self, m: int) -> np.ndarray:
        """The next ``m`` rows to fill, growing the array when needed."""
        if self.n + m > self.array.shape[0]:
            grown = max(self.n + m, int(self.array.shape[0] * 1.5))
            self.array.resize((grown, self.array.shape[1]), refcheck=False)
        return self.array[self.n : self.n + m]

    def finish(self) -> np.ndarray:
        self.array.resize((self.n, self.array.shape[1]), refcheck=False)
        return self.array


def _split(line: str, sep: str) -> list[str]:
    """Fields of a line, without its line end and trailing empty fields."""
    return line.rstrip(" \t\r" if sep == "\t" else " \t\r" + sep).split(sep)


def _unquote(name: str) -> str:
    return name[1:-1] if len(name) >= 2 and name[0] == name[-1] == '"' else name


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


def _check_separator(body_head: bytes, n_dims: int, sep: str, src: ByteSource) -> None:
    """Refuse a file whose rows are numbers joined by something other than ``sep``."""
    if n_dims != 1:
        return
    expected = "tab" if sep == "\t" else "comma" if sep == "," else repr(sep)
    for raw in body_head.split(b"\n", 8)[:8]:
        line = raw.decode("utf-8", "replace").strip()
        if not line:
            continue
        for other, name in {"\t": "tab", **_OTHER_SEPARATORS}.items():
            if other == sep:
                continue
            parts = line.split() if other == " " else line.split(other)
            if len(parts) >= 2 and sum(_is_number(p.strip()) for p in parts) >= len(parts) - 1:
                hint = " (pass --format csv for comma-separated files)" if other == "," else ""
                raise InputError(
                    f"does not look {expected}-separated: its lines have no {expected} but split on "
                    f"{name}s into {len(parts)} numbers{hint}. Convert the file, e.g. with "
                    f" tr '{other}' '\\t' < IN > OUT",
                    path=src.name,
                )
        return


def _trailing_empty_fields(body_head: bytes, sep: str) -> int:
    """How many empty fields the first data line ends with (files written with a trailing tab)."""
    for raw in body_head.split(b"\n", 4)[:4]:
        line = raw.rstrip(b"\r")
        if line.strip():
            fields = line.split(sep.encode())
            k = 0
            while k < len(fields) - 1 and not fields[-1 - k].strip():
                k += 1
            return k
    return 0


def _parse_fast(chunk: bytes, n_dims: int, extra: int, sep: str, out: _Rows) -> int | None:
    """Parse a chunk with polars into the next rows of ``out``; None when the exact parser must look."""
    import polars as pl

    body = chunk.rstrip(b"\r\n\t " + sep.encode())
    if not body:
        return 0
    schema = {f"v{j}": pl.Float32 for j in range(n_dims)}
    schema.update({f"x{j}": pl.String for j in range(extra)})
    try:
        df = pl.read_csv(
            io.BytesIO(body), has_header=False, separator=sep, schema=schema, quote_char=None
        )
    except Exception:  # noqa: BLE001 - any complaint from polars means: look closely
        return None
    m = df.height
    for j in range(extra):
        if df.get_column(f"x{j}").str.strip_chars().str.len_bytes().fill_null(0).sum() > 0:
            return None
    block = out.block(m)
    # Column by column into the row-major block: the block is a few MB, so these strided
    # writes stay in cache, and no intermediate 2-D copy is made.
    for j in range(n_dims):
        block[:, j] = df.get_column(f"v{j}").to_numpy()
    if not np.isfinite(block).all():  # nulls (blank lines, short rows) arrive as NaN
        return None
    return m


def _parse_exact(chunk: bytes, n_dims: int, sep: str, out: _Rows, src: ByteSource, offset: int) -> int:
    """Parse a chunk line by line into the next rows of ``out``, raising errors that name line and column."""
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
        if not line.strip():
            continue
        fields = _split(line, sep)
        if len(fields) != n_dims:
            raise InputError(
                f"expected {n_dims} values (as on the first line), found {len(fields)}",
                path=src.name,
                line=where(i),
            )
        rows.append(fields)
        line_of_row.append(i)
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
    out.block(len(rows))[:] = block
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
