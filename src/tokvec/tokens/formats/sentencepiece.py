"""Read SentencePiece ``.model`` files (protobuf ``ModelProto``) without the protobuf package.

Only the fields that encoding needs are read: the pieces (text, score, type), the trainer spec
(model type, byte fallback, unk/bos/eos/pad ids, treat_whitespace_as_suffix) and the normalizer
spec (name, precompiled charsmap, add_dummy_prefix, remove_extra_whitespaces, escape_whitespaces).

>>> try:
...     parse_model(b"{}", source="x.model")
... except FormatError as e:
...     print(e)
x.model: byte 0: wire type 3 of field 15 is not used by SentencePiece (not a protobuf .model file, or corrupted)
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from ..._io import read_bytes
from ...errors import FormatError
from .protobuf import FIXED32, as_float, as_int32, fields

# piece types (sentencepiece_model.proto)
NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE = 1, 2, 3, 4, 5, 6
MODEL_TYPES = {1: "unigram", 2: "bpe", 3: "word", 4: "char"}


@dataclass(frozen=True)
class ModelFile:
    """The parts of a SentencePiece ``ModelProto`` that encoding uses."""

    pieces: tuple[str, ...]
    scores: tuple[float, ...]
    types: tuple[int, ...]
    model_type: str = "unigram"
    byte_fallback: bool = False
    unk_id: int = 0
    bos_id: int = 1
    eos_id: int = 2
    pad_id: int = -1
    treat_whitespace_as_suffix: bool = False
    normalizer_name: str = ""
    precompiled_charsmap: bytes = b""
    add_dummy_prefix: bool = True
    remove_extra_whitespaces: bool = True
    escape_whitespaces: bool = True


def _string(value: int | bytes, where: str) -> str:
    if not isinstance(value, bytes):
        raise FormatError(f"{where}: expected a string")
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        raise FormatError(f"{where}: not UTF-8 (corrupted file?)") from None


def parse_model(data: bytes, *, source: str) -> ModelFile:
    """Parse the bytes of a ``.model`` file; FormatError names ``source`` and the byte offset of a problem."""
    pieces: list[str] = []
    scores: list[float] = []
    types: list[int] = []
    spec: dict[str, object] = {}
    for number, _, value, at in fields(data, source=source):
        if number == 1:  # SentencePiece
            if not isinstance(value, bytes):
                raise FormatError(f"{source}: byte {at}: piece {len(pieces)} is not a message (not a .model file?)")
            text, score, kind = None, 0.0, NORMAL
            for n2, w2, v2, at2 in fields(value, source=source, base=at + _header(data, at)):
                if n2 == 1:
                    text = _string(v2, f"{source}: byte {at2}")
                elif n2 == 2 and w2 == FIXED32:
                    score = as_float(v2)
                elif n2 == 3:
                    kind = int(v2) if not isinstance(v2, bytes) else -1
                    if kind not in (NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE):
                        raise FormatError(f"{source}: byte {at2}: piece {len(pieces)} has unknown type {v2!r}")
            if text is None:
                raise FormatError(f"{source}: byte {at}: piece {len(pieces)} has no text (corrupted file?)")
            pieces.append(text)
            scores.append(score)
            types.append(kind)
        elif number == 2 and isinstance(value, bytes):  # TrainerSpec
            for n2, _, v2, _ in fields(value, source=source, base=at + _header(data, at)):
                if n2 == 3:
                    spec["model_type"] = MODEL_TYPES.get(as_int32(v2), f"type {as_int32(v2)}")
                elif n2 == 35:
                    spec["byte_fallback"] = bool(v2)
                elif n2 == 24:
                    spec["treat_whitespace_as_suffix"] = bool(v2)
                elif n2 in (40, 41, 42, 43):
                    spec[("unk_id", "bos_id", "eos_id", "pad_id")[n2 - 40]] = as_int32(v2)
        elif number == 3 and isinstance(value, bytes):  # NormalizerSpec
            for n2, _, v2, at2 in fields(value, source=source, base=at + _header(data, at)):
                if n2 == 1:
                    spec["normalizer_name"] = _string(v2, f"{source}: byte {at2}")
                elif n2 == 2:
                    spec["precompiled_charsmap"] = v2 if isinstance(v2, bytes) else b""
                elif n2 in (3, 4, 5):
                    name = ("add_dummy_prefix", "remove_extra_whitespaces", "escape_whitespaces")[n2 - 3]
                    spec[name] = bool(v2)
        elif number not in (4, 5) and number < 200:
            raise FormatError(
                f"{source}: byte {at}: field {number} is not part of a SentencePiece model (is this a .model file?)"
            )
    if not pieces:
        raise FormatError(f"{source}: no pieces found: not a SentencePiece .model file (or an empty one)")
    model = ModelFile(tuple(pieces), tuple(scores), tuple(types), **spec)  # type: ignore[arg-type]
    if model.model_type not in ("bpe", "unigram"):
        raise FormatError(f"{source}: model type {model.model_type!r} is not supported (only bpe and unigram)")
    if not 0 <= model.unk_id < len(pieces) or types[model.unk_id] != UNKNOWN:
        raise FormatError(f"{source}: unk_id {model.unk_id} is not a piece of type UNKNOWN (corrupted file?)")
    return model


def _header(data: bytes, at: int) -> int:
    """Number of bytes of the key and length varints of the field that starts at ``at``."""
    pos = at
    for _ in range(2):
        while data[pos] >= 0x80:
            pos += 1
        pos += 1
    return pos - at


def read_model(path: str | os.PathLike[str]) -> ModelFile:
    """Read and parse a ``.model`` file."""
    path = os.fspath(path)
    data = read_bytes(path)
    return parse_model(data, source=path)
