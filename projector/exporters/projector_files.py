"""Bundles for the TensorFlow projector: a TensorBoard log folder, or the files the
standalone projector loads (``projector_config.json`` + ``.bytes`` + metadata), with
projector's computed layouts as bookmarks."""

from __future__ import annotations

import json
import os
import shutil
from typing import BinaryIO

import numpy as np
import pandas as pd

from .._projector_config import (
    CONFIG_NAME,
    STANDALONE_NAME,
    Embedding,
    Sprite,
    to_pbtxt,
)
from ..errors import ParameterError
from ..style import format_value
from ..types import Dataset, Projection
from ._atomic import atomic_open

TARGETS = ("tensorboard", "standalone")
# TensorFlow's projection keys in a bookmark's "projections".
_KEYS = {"pca": "pca-{}", "tsne": "tsne-{}", "umap": "umap-{}", "custom": None}


def _cell(value: object) -> str:
    return format_value(value).replace("\t", " ").replace("\r", " ").replace("\n", " ")


def metadata_tsv(frame: pd.DataFrame) -> tuple[str, str]:
    """The metadata as the TensorFlow projector reads it, and what was done.

    Several columns: a header row, then one row per point. One column: no header (a
    header there makes TensorFlow refuse the file) - unless a value is empty, because
    TensorFlow skips blank lines; then an ``index`` column is added so no line is blank.
    """
    columns = list(frame.columns)
    cells = {c: [_cell(v) for v in frame[c]] for c in columns}
    if len(columns) == 1 and all(cells[columns[0]]):
        return "".join(v + "\n" for v in cells[columns[0]]), "one column, so no header row (TensorFlow's rule)"
    how = "a header row naming the columns"
    if len(columns) == 1:
        cells = {"index": [str(i) for i in range(len(frame))], **cells}
        columns = ["index", *columns]
        how = "an index column and a header row (TensorFlow skips the blank lines of empty values)"
    rows = ["\t".join(_cell(c) for c in columns)]
    rows.extend("\t".join(cells[c][i] for c in columns) for i in range(len(frame)))
    return "\n".join(rows) + "\n", how


def bookmark(projection: Projection, dataset: Dataset, label: str) -> dict:
    """A TensorFlow projector bookmark (a saved state) showing ``projection``'s layout."""
    method = projection.method
    key = _KEYS.get(method)
    names = [key.format(i) for i in range(projection.coords.shape[1])] if key else ["linear-x", "linear-y"]
    coords = projection.coords.astype(np.float64)
    projections = [{n: float(v) for n, v in zip(names, row)} for row in coords]
    dims3 = projection.dims == 3
    params = projection.params
    return {
        "label": label,
        "isSelected": False,
        "dataSetDimensions": [dataset.n_points, dataset.n_dims],
        "selectedProjection": "custom" if method == "custom" else method,
        "projections": projections,
        "filteredPoints": [],
        "selectedPoints": [],
        "shuffledDataIndices": list(range(dataset.n_points)),
        "tSNEIteration": int(params.get("n_iter", 0)) + int(params.get("early_exaggeration_iter", 0)) if method == "tsne" else 0,
        "tSNEPerplexity": float(params.get("perplexity", 0)) if method == "tsne" else 0,
        "tSNELearningRate": 1,
        "tSNEis3d": dims3 if method == "tsne" else False,
        "umapIs3d": dims3 if method == "umap" else False,
        "umapNeighbors": int(params.get("n_neighbors", 15)) if method == "umap" else 15,
        "umapMinDist": float(params.get("min_dist", 0.1)) if method == "umap" else 0.1,
        "pcaComponentDimensions": [c for c in projection.shown] if method == "pca" else [0, 1, 2],
        "cameraDef": {"orthographic": not dims3, "position": [0, 0, 3], "target": [0, 0, 0], "zoom": 1},
        "selectedColorOptionName": "",
        "forceCategoricalColoring": False,
        "selectedLabelOption": "",
        "customSelectedSearchByMetadataOption": "",
        "customXLeftText": "", "customXLeftRegex": False, "customXRightText": "", "customXRightRegex": False,
        "customYUpText": "", "customYUpRegex": False, "customYDownText": "", "customYDownRegex": False,
    }  # fmt: skip


def _crc32c_table() -> list[int]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
        table.append(crc)
    return table


_CRC_TABLE = _crc32c_table()


def _masked_crc32c(data: bytes) -> int:
    crc = 0xFFFFFFFF
    for byte in data:
        crc = _CRC_TABLE[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    crc ^= 0xFFFFFFFF
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def events_file(wall_time: float) -> bytes:
    """A one-record TensorFlow event file (TFRecord framing, ``file_version`` event).

    TensorBoard lists a folder as a run only when it holds an event file: with this
    one, ``tensorboard --logdir PARENT`` shows the exported folder as a run.
    """
    import struct

    # Event{wall_time (1, double) = wall_time, file_version (3, string) = "brain.Event:2"}
    version = b"brain.Event:2"
    record = b"\x09" + struct.pack("<d", wall_time) + b"\x1a" + bytes([len(version)]) + version
    header = struct.pack("<Q", len(record))
    return header + struct.pack("<I", _masked_crc32c(header)) + record + struct.pack("<I", _masked_crc32c(record))


def _write_text(path: str, text: str) -> None:
    with atomic_open(path) as f:
        f.write(text.encode("utf-8"))


def _write_tensor_tsv(path: str, vectors: np.ndarray) -> None:
    import polars as pl

    # polars prints each float32 in its shortest exact form, so the file reads back exactly.
    frame = pl.DataFrame({f"d{j}": vectors[:, j] for j in range(vectors.shape[1])})
    with atomic_open(path) as f:
        frame.write_csv(f, separator="\t", include_header=False)


def _write_bytes(path: str, vectors: np.ndarray) -> None:
    with atomic_open(path) as f:
        _tofile(f, np.ascontiguousarray(vectors, dtype="<f4"))


def _tofile(f: BinaryIO, array: np.ndarray) -> None:
    step = max(1, (16 << 20) // max(1, array.itemsize * array.shape[1]))
    for start in range(0, array.shape[0], step):
        f.write(array[start : start + step].tobytes())


def export(
    dataset: Dataset,
    folder: str | os.PathLike[str],
    to: str,
    *,
    name: str = "embedding",
    bookmarks: list[tuple[str, Projection]] | None = None,
    protect: tuple[str | os.PathLike[str], ...] = (),
) -> list[str]:
    """Write a bundle the TensorFlow projector loads; returns the files written.

    Parameters
    ----------
    dataset : Dataset
        Vectors, metadata and sprite.
    folder : path
        Created when missing. ``tensorboard``: a log folder for ``tensorboard --logdir``
        (``projector_config.pbtxt``, ``NAME.tsv``, ``NAME-metadata.tsv``, and an
        event file so that TensorBoard lists the folder as a run).
        ``standalone``: ``projector_config.json``, ``NAME.bytes`` (raw float32) and
        ``NAME-metadata.tsv``, the files the standalone projector reads.
    to : {"tensorboard", "standalone"}
    name : str
        The tensor's name, and the stem of its files.
    bookmarks : list of (label, Projection), optional
        Layouts projector computed, saved as bookmarks so the TensorFlow projector
        shows them.
    protect : paths
        Files that must not be overwritten (the inputs).

    Examples
    --------
    >>> import projector, tempfile
    >>> ds = projector.Dataset.from_arrays([[1, 2], [3, 4], [5, 7]], {"w": ["a", "b", "c"]})
    >>> files = export(ds, tempfile.mkdtemp(), "tensorboard", name="demo")
    >>> [os.path.basename(f) for f in files if "tfevents" not in f]
    ['demo.tsv', 'demo-metadata.tsv', 'projector_config.pbtxt']
    """
    if to not in TARGETS:
        raise ParameterError(f"--to must be one of {', '.join(TARGETS)}; got {to!r}")
    if not name or any(c in name for c in "/\\\0") or name.startswith("."):
        raise ParameterError(f"{name!r} cannot name the tensor's files")
    folder = os.fspath(folder)
    if os.path.exists(folder) and not os.path.isdir(folder):
        raise ParameterError(f"{folder!r} exists and is not a folder")
    os.makedirs(folder, exist_ok=True)
    tensor_file = f"{name}.tsv" if to == "tensorboard" else f"{name}.bytes"
    planned = [tensor_file, f"{name}-metadata.tsv", f"{name}-bookmarks.txt", CONFIG_NAME, STANDALONE_NAME]
    protected = {os.path.realpath(os.fspath(p)) for p in protect if os.path.exists(p)}
    for f in planned:
        if os.path.realpath(os.path.join(folder, f)) in protected:
            raise ParameterError(f"exporting to {folder!r} would overwrite the input {f!r}; choose another folder")
    written = []
    path = os.path.join(folder, tensor_file)
    (_write_tensor_tsv if to == "tensorboard" else _write_bytes)(path, dataset.vectors)
    written.append(path)
    metadata_file = ""
    if len(dataset.metadata.columns):
        metadata_file = f"{name}-metadata.tsv"
        text, _ = metadata_tsv(dataset.metadata)
        _write_text(os.path.join(folder, metadata_file), text)
        written.append(os.path.join(folder, metadata_file))
    bookmarks_file = ""
    if bookmarks:
        bookmarks_file = f"{name}-bookmarks.txt"
        states = [bookmark(p, dataset, label) for label, p in bookmarks]
        states[0]["isSelected"] = True
        _write_text(os.path.join(folder, bookmarks_file), json.dumps(states))
        written.append(os.path.join(folder, bookmarks_file))
    sprite = None
    if dataset.sprite is not None:
        image = os.path.basename(dataset.sprite.image_path)
        target = os.path.join(folder, image)
        if os.path.realpath(target) != os.path.realpath(dataset.sprite.image_path):
            shutil.copyfile(dataset.sprite.image_path, target)
            written.append(target)
        sprite = Sprite(image, dataset.sprite.width, dataset.sprite.height)
    shape = (dataset.n_points, dataset.n_dims)
    if to == "tensorboard":
        import socket
        import time

        if not any(f.startswith("events.out.tfevents.") for f in os.listdir(folder)):
            now = time.time()
            events = os.path.join(folder, f"events.out.tfevents.{int(now)}.{socket.gethostname()}.projector")
            with atomic_open(events) as f:
                f.write(events_file(now))
            written.append(events)
        config = to_pbtxt([Embedding(name, tensor_file, shape, metadata_file, bookmarks_file, sprite)])
        path = os.path.join(folder, CONFIG_NAME)
        _write_text(path, config)
    else:
        entry: dict = {"tensorName": name, "tensorShape": list(shape), "tensorPath": tensor_file}
        if metadata_file:
            entry["metadataPath"] = metadata_file
        if bookmarks_file:
            entry["bookmarksPath"] = bookmarks_file
        if sprite is not None:
            entry["sprite"] = {"imagePath": sprite.image_path, "singleImageDim": [sprite.width, sprite.height]}
        path = os.path.join(folder, STANDALONE_NAME)
        _write_text(path, json.dumps({"embeddings": [entry]}, indent=2) + "\n")
    written.append(path)
    return written
