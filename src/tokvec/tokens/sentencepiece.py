"""SentencePiece models (``.model`` files), encoded exactly as the ``sentencepiece`` package does.

``SentencePieceTokenizer.encode(text)`` gives the ids of ``SentencePieceProcessor.encode(text)``
(no BOS/EOS unless asked: ``add_bos=True`` / ``add_eos=True``, as sentencepiece's options): the
text is normalized by the model's character map and space rules (longest rule first, leading,
trailing and repeated spaces removed when ``remove_extra_whitespaces``, a "▁" prepended with
``add_dummy_prefix``, spaces written "▁"), then split by the BPE or Unigram model; unknown
characters become ``<0xXX>`` byte pieces with byte fallback, else one ``<unk>`` per run.

>>> from tests.conftest import DATA
>>> tok = SentencePieceTokenizer.from_file(DATA / "tokenizers/llama2_spm/tokenizer.model")
>>> tok.encode("Hello world").tolist(), tok.encode_as_pieces("Hello world")
([15043, 3186], ['▁Hello', '▁world'])
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..kernels import charsmap as normalizer_kernel
from .formats.sentencepiece import BYTE, CONTROL, NORMAL, UNUSED, USER_DEFINED, ModelFile, read_model
from .models.bpe_merges import CharPairModel
from .models.unigram import UnigramModel
from .precompiled import CharsMap


@dataclass(frozen=True, eq=False)
class SentencePieceTokenizer:
    """A SentencePiece model: its normalizer settings, character map and BPE or Unigram model."""

    spec: ModelFile
    charsmap: CharsMap
    model: CharPairModel | UnigramModel

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> SentencePieceTokenizer:
        """Read a ``.model`` file."""
        return cls.from_model_file(read_model(path), source=os.fspath(path))

    @classmethod
    def from_model_file(cls, spec: ModelFile, *, source: str = ".model") -> SentencePieceTokenizer:
        """Build from a parsed :class:`ModelFile`."""
        charsmap = CharsMap.parse(spec.precompiled_charsmap, source=f"{source}: precompiled_charsmap")
        if spec.model_type == "bpe":
            if UNUSED in spec.types:
                from ..errors import FormatError

                raise FormatError(f"{source}: BPE models with UNUSED pieces are not supported yet")
            mergeable = [t in (NORMAL, USER_DEFINED) for t in spec.types]
            model: CharPairModel | UnigramModel = CharPairModel.from_scores(
                spec.pieces, spec.scores, mergeable, unk_id=spec.unk_id, byte_fallback=spec.byte_fallback
            )
        else:
            model = UnigramModel.from_spm(
                spec.pieces, spec.scores, spec.types, unk_id=spec.unk_id, byte_fallback=spec.byte_fallback
            )
        return cls(spec, charsmap, model)

    @property
    def vocab_size(self) -> int:
        """Number of pieces."""
        return len(self.spec.pieces)

    def normalize(self, text: str) -> tuple[str, np.ndarray]:
        """Return the normalized text and its alignment (int64[len, 2], spans of ``text``)."""
        cps, lo, hi = self._normalize(text)
        return cps.tobytes().decode("utf-32-le"), np.stack([lo, hi], axis=1)

    def _normalize(self, text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        s, cm = self.spec, self.charsmap
        cps = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        return normalizer_kernel.normalize(
            cps, cm.units, cm.blob_cps, cm.blob_at, s.add_dummy_prefix, s.remove_extra_whitespaces,
            s.escape_whitespaces, s.treat_whitespace_as_suffix,
        )  # fmt: skip

    def encode_with_offsets(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Return ids int32[T] and offsets int64[T, 2] (character spans of ``text``)."""
        cps, lo, hi = self._normalize(text)
        ids, starts, ends = self.model.encode_pieces(cps, np.array([0, len(cps)], dtype=np.int64))
        if len(ids) == 0:
            return ids, np.zeros((0, 2), dtype=np.int64)
        return ids, np.stack([lo[starts], hi[ends - 1]], axis=1)

    def encode(self, text: str, *, add_bos: bool = False, add_eos: bool = False) -> np.ndarray:
        """Return the ids of ``text`` (int32), as ``sentencepiece``'s ``encode`` with the same options."""
        cps, _, _ = self._normalize(text)
        ids = self.model.encode_pieces(cps, np.array([0, len(cps)], dtype=np.int64))[0]
        if add_bos or add_eos:
            parts = [[self.spec.bos_id]] if add_bos and self.spec.bos_id >= 0 else []
            parts.append(ids.tolist())
            if add_eos and self.spec.eos_id >= 0:
                parts.append([self.spec.eos_id])
            ids = np.array([i for p in parts for i in p], dtype=np.int32)
        return ids

    def encode_batch(self, texts: Sequence[str]) -> list[np.ndarray]:
        """Return the ids of every text (one model call for all of them)."""
        normed = [self._normalize(t)[0] for t in texts]
        bounds = np.zeros(len(normed) + 1, dtype=np.int64)
        np.cumsum([len(c) for c in normed], out=bounds[1:])
        cps = np.concatenate(normed) if normed else np.zeros(0, dtype=np.uint32)
        ids, starts, _ = self.model.encode_pieces(cps, bounds)
        cut = np.searchsorted(starts, bounds[1:-1])
        return np.split(ids, cut)

    def encode_as_pieces(self, text: str) -> list[str]:
        """Return the pieces of ``text`` (an unknown piece shows the normalized text it covers, as sentencepiece)."""
        cps, _, _ = self._normalize(text)
        ids, starts, ends = self.model.encode_pieces(cps, np.array([0, len(cps)], dtype=np.int64))
        norm = cps.tobytes().decode("utf-32-le")
        unk, pieces = self.spec.unk_id, self.spec.pieces
        spans = zip(ids.tolist(), starts.tolist(), ends.tolist(), strict=True)
        return [norm[a:z] if i == unk else pieces[i] for i, a, z in spans]

    def id_to_piece(self, i: int) -> str:
        """Return piece ``i``."""
        return self.spec.pieces[i]

    def decode(self, ids: Sequence[int] | np.ndarray) -> str:
        """Return the text of ``ids`` as sentencepiece decodes it.

        Byte pieces join as UTF-8, "▁" becomes a space (the dummy prefix's one dropped from the first
        piece), control pieces vanish and the unknown piece reads " ⁇ ".
        """
        out = bytearray()
        types = self.spec.types
        for k, i in enumerate(np.asarray(ids, dtype=np.int64).tolist()):
            kind = types[i]
            piece = self.spec.pieces[i]
            if kind == CONTROL:
                continue
            if kind == BYTE:
                out.append(int(piece[3:5], 16))
            elif i == self.spec.unk_id:
                out += " \u2047 ".encode()
            else:
                if k == 0 and self.spec.add_dummy_prefix:
                    piece = piece.removeprefix("▁")
                out += piece.replace("▁", " ").encode()
        return out.decode("utf-8", "replace")
