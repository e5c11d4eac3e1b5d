"""Inputs written for the TensorFlow projector: a TensorBoard log folder
(``projector_config.pbtxt``) or a standalone projector's ``projector_config.json``.

Both name a tensor file (TSV, or raw little-endian float32 ``.bytes`` with its shape),
an optional metadata TSV and an optional sprite; paths are relative to the config's
folder.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

import numpy as np

from .._projector_config import (
    CONFIG_NAME,
    PLUGIN_FOLDER,
    Embedding,
    embeddings_of,
    parse_pbtxt,
)
from .._projector_config import Sprite as ConfigSprite
from ..errors import InputError
from ..types import Sprite
from .vectors_tsv import VectorTable


@dataclass(frozen=True)
class ProjectorInput:
    """Where one embedding's files are, resolved against its config's folder."""

    config_path: str
    tensor_name: str
    tensor_path: str
    tensor_shape: tuple[int, ...]
    metadata_path: str | None
    sprite: Sprite | None
    notes: tuple[str, ...]


def is_projector_input(path: str | os.PathLike[str]) -> bool:
    """A folder (TensorBoard log directory) or a ``.json`` config."""
    p = os.fspath(path)
    return p != "-" and (os.path.isdir(p) or p.lower().endswith(".json"))


def find_pbtxt(logdir: str) -> str:
    for candidate in (os.path.join(logdir, CONFIG_NAME), os.path.join(logdir, PLUGIN_FOLDER, CONFIG_NAME)):
        if os.path.isfile(candidate):
            return candidate
    raise InputError(
        f"is a folder with no {CONFIG_NAME} (looked in it and in {PLUGIN_FOLDER}/): "
        "give a vector file, or the log folder that `projector export --to tensorboard` or "
        "TensorBoard's projector.visualize_embeddings wrote",
        path=logdir,
    )


def resolve(path: str | os.PathLike[str], tensor: str | None = None) -> ProjectorInput:
    """Resolve a TensorBoard log folder or a standalone ``projector_config.json``."""
    p = os.fspath(path)
    if not os.path.exists(p):
        raise InputError("no such file or folder", path=p)
    if os.path.isdir(p):
        config_path = find_pbtxt(p)
        text = open(config_path, encoding="utf-8", errors="replace").read()
        try:
            config = parse_pbtxt(text)
        except Exception as e:  # noqa: BLE001 - text_format.ParseError, with "line:col" in it
            raise InputError(f"is not a valid projector config: {e}", path=config_path) from None
        embeddings = embeddings_of(config)
        checkpoint = config.model_checkpoint_path or config.model_checkpoint_dir
        kind = "TensorBoard"
    else:
        config_path = p
        try:
            doc = json.loads(open(p, encoding="utf-8").read())
        except (ValueError, UnicodeDecodeError) as e:
            raise InputError(f"is not valid JSON: {e}", path=p) from None
        embeddings = _standalone_embeddings(doc, p)
        checkpoint = doc.get("modelCheckpointPath", "") if isinstance(doc, dict) else ""
        kind = "standalone projector"
    if not embeddings:
        raise InputError("lists no embeddings", path=config_path)
    chosen = _choose(embeddings, tensor, config_path)
    base = os.path.dirname(os.path.abspath(config_path))
    if not chosen.tensor_path:
        where = f" in the checkpoint {checkpoint!r}" if checkpoint else " in a TensorFlow checkpoint"
        raise InputError(
            f"embedding {chosen.tensor_name or '(unnamed)'!r} is stored only{where}, which projector cannot "
            "read. Export it to a TSV (for example np.savetxt('tensor.tsv', variable.numpy(), "
            "delimiter='\\t')) and set its tensor_path",
            path=config_path,
        )
    metadata = _first_metadata(embeddings, chosen)
    sprite = None
    if chosen.sprite is not None:
        sprite = Sprite(os.path.join(base, chosen.sprite.image_path), chosen.sprite.width, chosen.sprite.height)
    notes = (f"read the {kind} config {config_path}: embedding {chosen.tensor_name or '(unnamed)'!r}",)
    return ProjectorInput(
        config_path=config_path,
        tensor_name=chosen.tensor_name,
        tensor_path=os.path.join(base, chosen.tensor_path),
        tensor_shape=chosen.tensor_shape,
        metadata_path=os.path.join(base, metadata) if metadata else None,
        sprite=sprite,
        notes=notes,
    )


def _choose(embeddings: list[Embedding], tensor: str | None, config_path: str) -> Embedding:
    names = [e.tensor_name for e in embeddings]
    if tensor is not None:
        for e in embeddings:
            if e.tensor_name in (tensor, f"{tensor}:0") or e.tensor_name.removesuffix(":0") == tensor:
                return e
        raise InputError(f"has no embedding {tensor!r}; it has: {', '.join(map(repr, names))}", path=config_path)
    if len(embeddings) > 1:
        raise InputError(f"has {len(embeddings)} embeddings ({', '.join(map(repr, names))}); choose one with --tensor",
                         path=config_path)  # fmt: skip
    return embeddings[0]


def _first_metadata(embeddings: list[Embedding], chosen: Embedding) -> str:
    # TensorBoard: a first embedding with no tensor name lends its metadata to all.
    if chosen.metadata_path:
        return chosen.metadata_path
    if embeddings[0].tensor_name == "" and embeddings[0].metadata_path:
        return embeddings[0].metadata_path
    return ""


def _standalone_embeddings(doc: object, path: str) -> list[Embedding]:
    if not isinstance(doc, dict) or not isinstance(doc.get("embeddings"), list):
        raise InputError('has no "embeddings" list: not a projector_config.json', path=path)
    out = []
    for i, e in enumerate(doc["embeddings"]):
        if not isinstance(e, dict):
            raise InputError(f"embedding {i} is not an object", path=path)
        sprite = None
        if isinstance(e.get("sprite"), dict) and e["sprite"].get("imagePath"):
            dims = list(e["sprite"].get("singleImageDim") or [0, 0]) + [0, 0]
            sprite = ConfigSprite(str(e["sprite"]["imagePath"]), int(dims[0]), int(dims[1]))
        shape = tuple(int(v) for v in e.get("tensorShape") or ())
        out.append(Embedding(str(e.get("tensorName", "")), str(e.get("tensorPath", "")), shape,
                             str(e.get("metadataPath", "") or ""), str(e.get("bookmarksPath", "") or ""), sprite))  # fmt: skip
    return out


def read_bytes(path: str, shape: tuple[int, ...]) -> VectorTable:
    """Raw little-endian float32 rows (a ``.bytes`` tensor): ``shape[1]`` values a row."""
    if len(shape) != 2 or shape[1] < 1:
        raise InputError(f"a .bytes tensor needs its tensorShape [points, dims] in the config, got {list(shape)}",
                         path=path)  # fmt: skip
    if not os.path.isfile(path):
        raise InputError("no such file (named by the projector config)", path=path)
    n_dims = shape[1]
    size = os.path.getsize(path)
    if size % (4 * n_dims):
        raise InputError(
            f"has {size:,} bytes, not a whole number of rows of {n_dims} float32 values ({4 * n_dims} bytes each): "
            "check tensorShape",
            path=path,
        )
    array = np.fromfile(path, dtype="<f4").reshape(-1, n_dims)
    notes = [f"vectors: raw float32, {n_dims} per row"]
    if array.shape[0] != shape[0]:
        notes.append(f"the config's tensorShape says {shape[0]:,} points; the file holds {array.shape[0]:,} (all kept)")
    from .arrays import _check

    return VectorTable(vectors=_check(array.astype(np.float32, copy=False), path, "the tensor"), columns=None,
                       notes=tuple(notes))  # fmt: skip
