"""NumPy files: ``.npy`` (memory-mapped, no copy when already float32) and ``.npz``."""

from __future__ import annotations

import os
import zipfile

import numpy as np

from ..errors import InputError
from .vectors_tsv import VectorTable


def _check(array: np.ndarray, name: str, what: str) -> np.ndarray:
    if array.ndim != 2:
        raise InputError(f"{what} has shape {array.shape}; vectors must be 2-D (points x dims)", path=name)
    if array.shape[0] == 0 or array.shape[1] == 0:
        raise InputError(f"{what} is empty (shape {array.shape})", path=name)
    if not np.issubdtype(array.dtype, np.number) or np.issubdtype(array.dtype, np.complexfloating):
        raise InputError(f"{what} holds {array.dtype}, not real numbers", path=name)
    if array.dtype == np.float32 and array.dtype.isnative and array.flags.c_contiguous:
        out = array  # a memory map of the file itself: no copy
    else:
        with np.errstate(over="ignore"):
            out = np.ascontiguousarray(array, dtype=np.float32)
    # Scan for NaN and infinity block by block: a whole-matrix mask would double the memory.
    step = max(1, (64 << 20) // (4 * out.shape[1]))
    for start in range(0, out.shape[0], step):
        block = out[start : start + step]
        if not np.isfinite(block).all():
            r, c = np.argwhere(~np.isfinite(block))[0]
            value = array[start + r, c].item()
            problem = "does not fit in float32" if np.isfinite(value) else "is not a finite number"
            raise InputError(f"row {start + r}, column {c + 1}: {value!r} {problem}", path=name)
    return out


def read_npy(path: str | os.PathLike[str]) -> VectorTable:
    """Read a 2-D ``.npy`` array; a C-ordered float32 file is memory-mapped, not copied.

    Examples
    --------
    >>> import tempfile
    >>> f = os.path.join(tempfile.mkdtemp(), "v.npy")
    >>> np.save(f, np.eye(3, dtype=np.float32))
    >>> t = read_npy(f)
    >>> type(t.vectors).__name__, t.vectors.shape
    ('memmap', (3, 3))
    """
    name = os.fspath(path)
    try:
        array = np.load(name, mmap_mode="r", allow_pickle=False)
    except FileNotFoundError:
        raise InputError("no such file", path=name) from None
    except (ValueError, OSError, EOFError) as e:
        raise InputError(f"is not a readable .npy file: {e}", path=name) from None
    return VectorTable(vectors=_check(array, name, "the array"), columns=None, notes=("vectors: .npy array",))


def read_npz(path: str | os.PathLike[str], key: str | None = None) -> VectorTable:
    """Read one array of a ``.npz`` file: ``key``, or the only array there is."""
    name = os.fspath(path)
    try:
        archive = np.load(name, allow_pickle=False)
    except FileNotFoundError:
        raise InputError("no such file", path=name) from None
    except (ValueError, OSError, EOFError, zipfile.BadZipFile) as e:
        raise InputError(f"is not a readable .npz file: {e}", path=name) from None
    with archive:
        keys = list(archive.keys())
        if key is None:
            if len(keys) != 1:
                raise InputError(
                    f"holds {len(keys)} arrays ({', '.join(keys) or 'none'}); choose one with --key", path=name
                )
            key = keys[0]
        elif key not in keys:
            raise InputError(f"has no array {key!r}; it holds: {', '.join(keys)}", path=name)
        try:
            array = archive[key]
        except ValueError as e:
            raise InputError(f"array {key!r} cannot be read: {e}", path=name) from None
    vectors = _check(array, name, f"array {key!r}")
    return VectorTable(vectors=vectors, columns=None, notes=(f"vectors: array {key!r} of the .npz file",))
