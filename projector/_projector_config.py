"""The configuration files of TensorBoard's projector and of the standalone projector.

TensorBoard's ``projector_config.pbtxt`` is a ``ProjectorConfig`` protocol buffer in
text format. The three messages it uses are defined here from their field list
(``tensorboard/plugins/projector/projector_config.proto``) in a private descriptor pool,
so parsing needs only the ``protobuf`` package, not TensorBoard or TensorFlow, and never
clashes with TensorBoard's own copy when both are loaded.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

CONFIG_NAME = "projector_config.pbtxt"
PLUGIN_FOLDER = "plugins/org_tensorflow_tensorboard_projector"
STANDALONE_NAME = "projector_config.json"


@dataclass(frozen=True)
class Sprite:
    """A sprite atlas: tiles of ``width`` x ``height`` pixels, row-major, tile i for point i."""

    image_path: str
    width: int
    height: int


@dataclass(frozen=True)
class Embedding:
    """One embedding of a projector config, with its paths as written in the config."""

    tensor_name: str
    tensor_path: str
    tensor_shape: tuple[int, ...]
    metadata_path: str
    bookmarks_path: str
    sprite: Sprite | None


@functools.lru_cache(maxsize=1)
def projector_config_class():
    """The ``ProjectorConfig`` message class (built once)."""
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

    F = descriptor_pb2.FieldDescriptorProto
    proto = descriptor_pb2.FileDescriptorProto(name="projector/projector_config.proto", package="tensorboard", syntax="proto3")

    def message(name: str, fields: list[tuple[str, int, int, int, str]]) -> None:
        m = proto.message_type.add(name=name)
        for field_name, number, kind, label, type_name in fields:
            f = m.field.add(name=field_name, number=number, type=kind, label=label)
            if type_name:
                f.type_name = type_name

    one, many = F.LABEL_OPTIONAL, F.LABEL_REPEATED
    message("SpriteMetadata", [
        ("image_path", 1, F.TYPE_STRING, one, ""),
        ("single_image_dim", 2, F.TYPE_UINT32, many, ""),
    ])
    message("EmbeddingInfo", [
        ("tensor_name", 1, F.TYPE_STRING, one, ""),
        ("metadata_path", 2, F.TYPE_STRING, one, ""),
        ("bookmarks_path", 3, F.TYPE_STRING, one, ""),
        ("tensor_shape", 4, F.TYPE_UINT32, many, ""),
        ("sprite", 5, F.TYPE_MESSAGE, one, ".tensorboard.SpriteMetadata"),
        ("tensor_path", 6, F.TYPE_STRING, one, ""),
    ])
    message("ProjectorConfig", [
        ("model_checkpoint_path", 1, F.TYPE_STRING, one, ""),
        ("embeddings", 2, F.TYPE_MESSAGE, many, ".tensorboard.EmbeddingInfo"),
        ("model_checkpoint_dir", 3, F.TYPE_STRING, one, ""),
    ])  # fmt: skip
    pool = descriptor_pool.DescriptorPool()
    pool.Add(proto)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName("tensorboard.ProjectorConfig"))


def parse_pbtxt(text: str):
    """Parse a ``projector_config.pbtxt``; raises ``google.protobuf.text_format.ParseError``."""
    from google.protobuf import text_format

    return text_format.Parse(text, projector_config_class()())


def embeddings_of(config) -> list[Embedding]:
    """The embeddings of a parsed ``ProjectorConfig``, as plain records."""
    out = []
    for e in config.embeddings:
        sprite = None
        if e.HasField("sprite") and e.sprite.image_path:
            dims = list(e.sprite.single_image_dim)
            sprite = Sprite(e.sprite.image_path, *(dims + [0, 0])[:2])
        out.append(Embedding(e.tensor_name, e.tensor_path, tuple(e.tensor_shape), e.metadata_path,
                             e.bookmarks_path, sprite))  # fmt: skip
    return out


def to_pbtxt(embeddings: list[Embedding]) -> str:
    """A ``projector_config.pbtxt`` for ``embeddings``, as TensorBoard writes it."""
    from google.protobuf import text_format

    config = projector_config_class()()
    for e in embeddings:
        info = config.embeddings.add()
        info.tensor_name = e.tensor_name
        info.tensor_path = e.tensor_path
        info.tensor_shape.extend(e.tensor_shape)
        if e.metadata_path:
            info.metadata_path = e.metadata_path
        if e.bookmarks_path:
            info.bookmarks_path = e.bookmarks_path
        if e.sprite is not None:
            info.sprite.image_path = e.sprite.image_path
            info.sprite.single_image_dim.extend([e.sprite.width, e.sprite.height])
    return text_format.MessageToString(config)
