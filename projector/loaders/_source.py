"""Byte sources: a file on disk or everything read from a stream, read in line-aligned chunks."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from ..errors import InputError

BOM = b"\xef\xbb\xbf"


@dataclass
class ByteSource:
    """Where bytes come from: a path, or an in-memory buffer (for stdin and streams)."""

    name: str
    path: str | None = None
    data: bytes | None = None

    @property
    def compressed(self) -> bool:
        """A gzip file, decompressed as it is read (its size is the compressed size)."""
        return self.path is not None and self.path.lower().endswith(".gz")

    @classmethod
    def open(cls, source: str | os.PathLike[str] | BinaryIO) -> "ByteSource":
        if hasattr(source, "read"):
            name = getattr(source, "name", "<stream>")
            return cls(name=name if isinstance(name, str) else "<stream>", data=source.read())
        if os.fspath(source) == "-":
            return cls(name="<stdin>", data=sys.stdin.buffer.read())
        path = os.fspath(source)
        if not os.path.exists(path):
            raise InputError("no such file", path=path)
        if os.path.isdir(path):
            raise InputError("is a folder, not a file", path=path)
        return cls(name=path, path=path)

    @property
    def size(self) -> int:
        return len(self.data) if self.data is not None else os.path.getsize(self.path)  # type: ignore[arg-type]

    def reader(self) -> BinaryIO:
        if self.data is not None:
            return io.BytesIO(self.data)
        try:
            if self.compressed:
                import gzip

                return gzip.open(self.path, "rb")  # type: ignore[return-value, arg-type]
            return open(self.path, "rb")  # type: ignore[arg-type]
        except OSError as e:
            raise InputError(f"cannot be read: {e.strerror}", path=self.path) from None

    def count_lines_before(self, offset: int) -> int:
        """Number of newlines in the first ``offset`` bytes (to turn offsets into line numbers)."""
        if self.data is not None:
            return self.data.count(b"\n", 0, offset)
        count = 0
        with self.reader() as f:
            remaining = offset
            while remaining > 0:
                buf = f.read(min(remaining, 1 << 24))
                if not buf:
                    break
                count += buf.count(b"\n")
                remaining -= len(buf)
        return count


def line_chunks(f: BinaryIO, chunk_size: int, start: bytes = b"") -> Iterator[tuple[int, bytes]]:
    """Yield ``(offset_of_chunk_in_stream, chunk)``, each chunk ending just after a newline.

    The last chunk may lack the final newline. ``start`` is data already read from the
    head of ``f``; offsets count it.
    """
    offset = 0
    rest = start
    while True:
        buf = f.read(chunk_size)
        if not buf:
            if rest:
                yield offset, rest
            return
        buf = rest + buf if rest else buf
        cut = buf.rfind(b"\n") + 1
        if cut == 0:
            rest = buf
            continue
        yield offset, buf[:cut]
        offset += cut
        rest = buf[cut:]
