"""The Precompiled normalizer: SentencePiece's character map, as Hugging Face applies it (T5 and others).

A ``precompiled_charsmap`` is ``<uint32 trie size><double-array trie><NUL-terminated replacements>``
(base64 in tokenizer.json, raw bytes inside ``.model`` files). :class:`CharsMap` parses it for the
kernels of :mod:`tokvec.kernels.charsmap`.

Hugging Face's rule differs from sentencepiece's (which takes the longest key at each position,
see :mod:`tokvec.tokens.formats.sentencepiece`): it walks the text by extended grapheme cluster; a
cluster shorter than 6 UTF-8 bytes is replaced whole by the value of the *shortest* key it starts
with, if any; otherwise each of its characters is replaced by the value of the shortest key it
starts with, if any. Replacements keep the span of what they replace.

>>> pc = Precompiled.from_json({"type": "Precompiled", "precompiled_charsmap": None})
>>> pc.normalize(NormalizedText.identity("ﬁ")).text
'ﬁ'
"""

from __future__ import annotations

import base64
import binascii
import functools
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import regex

from ...errors import FormatError
from ...kernels import charsmap as kernel
from ..normalized import NormalizedText

_GRAPHEME = regex.compile(r"\X", regex.DOTALL)


@dataclass(frozen=True, eq=False)
class CharsMap:
    """A parsed character map: ``units`` uint32[U] (the trie), ``blob_cps`` uint32[B] and ``blob_at`` int64[bytes]."""

    raw: bytes
    units: np.ndarray
    blob_cps: np.ndarray
    blob_at: np.ndarray

    @classmethod
    def parse(cls, raw: bytes, *, source: str = "precompiled_charsmap") -> CharsMap:
        """Parse the bytes of a ``precompiled_charsmap`` (empty bytes: a map with no rules)."""
        if not raw:
            empty = np.zeros(0, dtype=np.uint32)
            return cls(b"", empty, np.zeros(1, dtype=np.uint32), np.zeros(0, dtype=np.int64))
        if len(raw) < 4:
            raise FormatError(f"{source}: {len(raw)} bytes, too short for a character map (truncated?)")
        (size,) = struct.unpack_from("<I", raw)
        if size % 4 or 4 + size > len(raw):
            raise FormatError(
                f"{source}: the trie claims {size} bytes but the map has {len(raw) - 4} after the size (corrupted?)"
            )
        units = np.frombuffer(raw, dtype="<u4", count=size // 4, offset=4).astype(np.uint32)
        blob = raw[4 + size :]
        try:
            text = blob.decode("utf-8")
        except UnicodeDecodeError as e:
            raise FormatError(f"{source}: byte {4 + size + e.start}: the replacement strings are not UTF-8") from None
        blob_cps = np.frombuffer((text + "\0").encode("utf-32-le"), dtype=np.uint32).copy()
        blob_at = np.full(len(blob), -1, dtype=np.int64)
        lengths = np.array([len(c.encode("utf-8", "surrogatepass")) for c in text], dtype=np.int64)
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64) if len(text) else lengths
        blob_at[starts] = np.arange(len(text), dtype=np.int64)
        return cls(raw, units, blob_cps, blob_at)

    def value(self, v: int) -> str | None:
        """Return the replacement string at blob byte offset ``v``, or None if ``v`` is not a character start."""
        if not 0 <= v < len(self.blob_at) or self.blob_at[v] < 0:
            return None
        a = int(self.blob_at[v])
        z = a
        while self.blob_cps[z] != 0:
            z += 1
        return self.blob_cps[a:z].tobytes().decode("utf-32-le")

    def shortest(self, chunk: str) -> str | None:
        """Return the replacement of the shortest key that ``chunk`` starts with (Hugging Face's ``transform``)."""
        units = self.units
        if len(units) == 0:
            return None
        node = _offset(int(units[0]))
        for c in chunk.encode("utf-8", "surrogatepass"):
            if c == 0:
                return None
            node ^= c
            if node >= len(units):
                return None
            u = int(units[node])
            if u & 0x800000FF != c:
                return None
            node ^= _offset(u)
            if (u >> 8) & 1:
                return self.value(int(units[node]) & 0x7FFFFFFF) if node < len(units) else None
        return None


@dataclass(frozen=True, eq=False)
class Precompiled:
    """Normalizer ``Precompiled`` of tokenizer.json (see the module docstring)."""

    charsmap: CharsMap

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> Precompiled:
        """Build from ``{"type": "Precompiled", "precompiled_charsmap": base64 or null}``."""
        data = obj.get("precompiled_charsmap")
        if data is None:
            return cls(CharsMap.parse(b""))
        try:
            raw = base64.b64decode(data, validate=True)
        except (binascii.Error, TypeError, ValueError):
            raise FormatError("normalizer Precompiled: precompiled_charsmap is not base64") from None
        return cls(CharsMap.parse(raw, source="normalizer Precompiled"))

    def to_json(self) -> dict[str, Any]:
        """Return the tokenizer.json object."""
        raw = self.charsmap.raw
        return {"type": "Precompiled", "precompiled_charsmap": base64.b64encode(raw).decode() if raw else None}

    def normalize(self, nt: NormalizedText) -> NormalizedText:
        """Return ``nt`` with the map applied by grapheme cluster, as Hugging Face does."""
        cm = self.charsmap
        if len(cm.units) == 0 or not nt.text:
            return nt
        cps = nt.code_points()
        if not joiners()[cps].any():  # every grapheme cluster is one character: the kernel
            out, src = kernel.first_match_each(cps, cm.units, cm.blob_cps, cm.blob_at)
            if np.array_equal(out, cps):
                return nt
            return NormalizedText(out.tobytes().decode("utf-32-le", "surrogatepass"), nt.align[src])
        pieces: list[str] = []
        spans: list[np.ndarray] = []
        align = nt.align
        changed = False
        pos = 0
        for g in _GRAPHEME.findall(nt.text):
            n = len(g)
            rep = cm.shortest(g) if len(g.encode("utf-8", "surrogatepass")) < 6 else None
            if rep is not None:
                changed = True
                pieces.append(rep)
                spans.append(_spread(align[pos : pos + n], len(rep)))
            else:
                for k, ch in enumerate(g):
                    one = cm.shortest(ch)
                    if one is None:
                        pieces.append(ch)
                        spans.append(align[pos + k : pos + k + 1])
                    else:
                        changed = True
                        pieces.append(one)
                        spans.append(_spread(align[pos + k : pos + k + 1], len(one)))
            pos += n
        if not changed:
            return nt
        new_align = np.concatenate(spans) if spans else np.zeros((0, 2), dtype=np.int64)
        return NormalizedText("".join(pieces), np.ascontiguousarray(new_align, dtype=np.int64))


@functools.cache
def joiners() -> np.ndarray:
    """bool[0x110000]: characters that may share a grapheme cluster with a neighbour (and surrogates).

    Performance notes: the grapheme walk in Python costs ~2 us a character; text without these
    characters (most Latin, Cyrillic, CJK) takes the kernel instead, ~100x faster.
    """
    table = np.ones(0x110000, dtype=np.bool_)
    others = regex.compile(r"[\p{Grapheme_Cluster_Break=Other}\p{Grapheme_Cluster_Break=Control}\n]")
    text = "".join(map(chr, range(0xD800))) + "".join(map(chr, range(0xE000, 0x110000)))
    cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    table[cps[[m.start() for m in others.finditer(text)]]] = False
    return table


def _offset(unit: int) -> int:
    """The offset field of a darts-clone unit."""
    return (unit >> 10) << ((unit & 512) >> 6)


def _spread(span: np.ndarray, count: int) -> np.ndarray:
    """Alignment of ``count`` characters that replace the characters aligned as ``span`` (int64[k, 2]).

    subtle: like Hugging Face's ``transform`` with changes (len - old, then +1 each): the first
    characters take the spans of the originals one by one, extra ones repeat the last original.
    """
    if count == 0:
        return np.zeros((0, 2), dtype=np.int64)
    idx = np.minimum(np.arange(count), len(span) - 1)
    return span[idx]
