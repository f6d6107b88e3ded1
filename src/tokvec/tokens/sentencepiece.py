"""SentencePiece models (``.model`` files), encoded exactly as the ``sentencepiece`` package does.

:class:`SentencePieceTokenizer` reads a ``.model`` file and builds the one tokenizer interface from it:
``tokvec.load("tokenizer.model")`` is ``to_tokenizer(SentencePieceTokenizer.from_file(path))``
(:func:`tokvec.tokens.sentencepiece_tokenizer.to_tokenizer`, kept out of this module so that it imports
no pipeline module: no import circle), a
:class:`~tokvec.Tokenizer` whose ``encode(text, add_special_tokens=False).ids`` are the ids of
``SentencePieceProcessor.encode(text)`` (``add_special_tokens=True``, the default: BOS first for the
Llama family, see :attr:`SentencePieceTokenizer.adds_bos_by_convention`). The text is normalized by the
model's character map and space rules (longest rule first, leading, trailing and repeated spaces removed
when ``remove_extra_whitespaces``, a "▁" prepended with ``add_dummy_prefix``, spaces written "▁"), then
split by the BPE or Unigram model; unknown characters become ``<0xXX>`` byte pieces with byte fallback,
else one ``<unk>`` per run. The ndarray methods of ``SentencePieceTokenizer`` itself (``encode``,
``encode_batch``, ``encode_with_offsets``, ``encode_as_pieces``, ``id_to_piece``, ``decode``) still work,
with a DeprecationWarning naming the Tokenizer's method.

>>> pieces = ("<unk>", "<s>", "</s>", "▁", "a", "b", "ab", "▁ab")
>>> spec = ModelFile(pieces, (0, 0, 0, -1, -2, -3, -4, -5), (2, 3, 3, 1, 1, 1, 1, 1), model_type="bpe")
>>> from tokvec.tokens.sentencepiece_tokenizer import to_tokenizer
>>> tok = to_tokenizer(SentencePieceTokenizer.from_model_file(spec))
>>> tok.encode("ab  ab").ids.tolist(), tok.encode("ab  ab").tokens, tok.encode("b!").ids.tolist()  # 2 spaces -> 1
([7, 7], ['▁ab', '▁ab'], [3, 5, 0])
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import MovedError
from ..kernels import charsmap as normalizer_kernel
from ..kernels.cp_tables import build_cps_table
from .formats.sentencepiece import BYTE, CONTROL, NORMAL, UNUSED, USER_DEFINED, ModelFile, read_model
from .models._vocab import Vocabulary
from .models.bpe_merges import CharPairModel
from .models.unigram import UnigramModel
from .normalized import NormalizedText
from .normalizers.base import Normalizer
from .normalizers.precompiled import CharsMap


@dataclass(frozen=True, eq=False)
class SentencePieceTokenizer:
    """A SentencePiece model: its normalizer settings, character map and BPE or Unigram model."""

    spec: ModelFile
    charsmap: CharsMap
    #: derived when built: the user-defined symbols' table, code points, offsets and longest length
    _user: tuple[np.ndarray, np.ndarray, np.ndarray, int] = field(init=False, repr=False)
    model: CharPairModel | UnigramModel
    normalizer: SentencePieceNormalizer = field(init=False, repr=False)  # built from spec and charsmap

    def __post_init__(self) -> None:
        object.__setattr__(self, "normalizer", SentencePieceNormalizer(self.spec, self.charsmap))

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

                # sentencepiece merges into UNUSED pieces and splits them again; tokvec does not yet
                raise FormatError(f"{source}: BPE models with UNUSED pieces are not supported yet")
            mergeable = [t in (NORMAL, USER_DEFINED) for t in spec.types]
            model: CharPairModel | UnigramModel = CharPairModel.from_scores(
                spec.pieces,
                spec.scores,
                mergeable,
                unk_id=spec.unk_id,
                byte_fallback=spec.byte_fallback,
                frozen=tuple(p for p, t in zip(spec.pieces, spec.types, strict=True) if t == USER_DEFINED),
            )
        else:
            model = UnigramModel.from_spm(
                spec.pieces, spec.scores, spec.types, unk_id=spec.unk_id, byte_fallback=spec.byte_fallback
            )
        return cls(spec, charsmap, model)

    @property
    def adds_bos_by_convention(self) -> bool:
        """Whether the model's users expect a BOS first (what ``add_special_tokens=True`` adds by default).

        The ``.model`` file does not say; the convention goes with the model family, as Hugging Face's
        converted ``tokenizer.json`` files do: byte-fallback BPE models with a BOS piece (Llama-2,
        Mistral, Gemma: ``LlamaTokenizer``'s ``add_bos_token=True``) start with BOS; other models
        (BPEmb, sentencepiece's own Unigram models) add nothing, as ``sentencepiece``'s ``encode``.
        """
        s = self.spec
        return s.model_type == "bpe" and s.byte_fallback and 0 <= s.bos_id < len(s.pieces)

    @property
    def vocab_size(self) -> int:
        """Number of pieces."""
        return len(self.spec.pieces)

    def normalize(self, text: str) -> tuple[str, np.ndarray]:
        """Return the normalized text and its alignment (int64[len, 2], spans of ``text``)."""
        cps, lo, hi = self._normalize(text)
        return cps.tobytes().decode("utf-32-le"), np.stack([lo, hi], axis=1)

    def _normalize(self, text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return self.normalizer.run(np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32))

    def encode_with_offsets(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Return ids int32[T] and offsets int64[T, 2] (character spans of ``text``); deprecated."""
        _deprecated("encode_with_offsets(text)", "encode(text, add_special_tokens=False) (.ids, .offsets)")
        cps, lo, hi = self._normalize(text)
        ids, starts, ends = self.model.encode_pieces(cps, np.array([0, len(cps)], dtype=np.int64))
        if len(ids) == 0:
            return ids, np.zeros((0, 2), dtype=np.int64)
        return ids, np.stack([lo[starts], hi[ends - 1]], axis=1)

    def encode(self, text: str, *, add_bos: bool = False, add_eos: bool = False) -> np.ndarray:
        """Return the ids of ``text`` (int32), as ``sentencepiece``'s ``encode`` with the same options; deprecated."""
        _deprecated(
            "encode(text)",
            "encode(text, add_special_tokens=False).ids (BOS/EOS: to_tokenizer(spm, add_bos=, add_eos=))",
        )
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
        """Return the ids of every text (one model call for all of them); deprecated."""
        _deprecated("encode_batch(texts)", "encode_batch(texts, add_special_tokens=False) (.tolist(), .ids, .bounds)")
        raw = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        doc_bounds = np.zeros(len(texts) + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)), out=doc_bounds[1:])
        cps, _, _, bounds = self.normalizer.run_batch(raw, doc_bounds)
        ids, starts, _ = self.model.encode_pieces(cps, bounds)
        cut = np.searchsorted(starts, bounds[1:-1])
        return np.split(ids, cut)

    def encode_as_pieces(self, text: str) -> list[str]:
        """Return the pieces of ``text`` (an unknown piece shows the normalized text it covers, as sentencepiece).

        Deprecated: the Tokenizer's ``encode(text, add_special_tokens=False).tokens`` (which spells an
        unknown piece as the vocabulary does, ``<unk>``).
        """
        _deprecated("encode_as_pieces(text)", "encode(text, add_special_tokens=False).tokens")
        cps, _, _ = self._normalize(text)
        ids, starts, ends = self.model.encode_pieces(cps, np.array([0, len(cps)], dtype=np.int64))
        norm = cps.tobytes().decode("utf-32-le")
        unk, pieces = self.spec.unk_id, self.spec.pieces
        spans = zip(ids.tolist(), starts.tolist(), ends.tolist(), strict=True)
        return [norm[a:z] if i == unk else pieces[i] for i, a, z in spans]

    def id_to_piece(self, i: int) -> str:
        """Return piece ``i``; deprecated."""
        _deprecated("id_to_piece(i)", "id_to_token(i)")
        return self.spec.pieces[i]

    def decode(self, ids: Sequence[int] | np.ndarray) -> str:
        """Return the text of ``ids`` as sentencepiece decodes it.

        Byte pieces join as UTF-8, "▁" becomes a space (the dummy prefix's one dropped from the first
        piece), control pieces vanish and the unknown piece reads " ⁇ ". Deprecated: the Tokenizer's
        ``decode`` (where the unknown piece reads ``<unk>``).
        """
        _deprecated("decode(ids)", "decode(ids)")
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

    def to_tokenizer(self, **_options: Any) -> Any:
        """Moved: :func:`tokvec.tokens.sentencepiece_tokenizer.to_tokenizer` builds the Tokenizer.

        (A method here would import the builder, which imports this module: an import circle.)
        """
        raise MovedError(
            "SentencePieceTokenizer.to_tokenizer() moved: call to_tokenizer(spm, ...) from"
            " tokvec.tokens.sentencepiece_tokenizer, or tokvec.load('tokenizer.model') for the whole file"
        )


def _deprecated(old: str, new: str) -> None:
    warnings.warn(
        f"SentencePieceTokenizer.{old} is deprecated: use the Tokenizer of tokvec.load(path) (or of"
        f" tokvec.tokens.sentencepiece_tokenizer.to_tokenizer(spm)), its {new}",
        DeprecationWarning,
        stacklevel=3,
    )


@dataclass(frozen=True, eq=False)
class SentencePieceNormalizer(Normalizer):
    """sentencepiece's normalizer as a pipeline normalizer: ``normalize(nt) -> nt`` with alignments.

    ``to_json`` writes the nearest Hugging Face layout (Precompiled, then the space rules as Replace,
    Strip, Prepend); Hugging Face's Precompiled applies the map by grapheme cluster, so a saved file
    can differ from sentencepiece on rare sequences (see :mod:`tokvec.tokens.normalizers.precompiled`).
    """

    spec: ModelFile
    charsmap: CharsMap

    def __post_init__(self) -> None:
        symbols = [p for p, t in zip(self.spec.pieces, self.spec.types, strict=True) if t == USER_DEFINED]
        vocab = Vocabulary.from_list(symbols or [""])
        table = build_cps_table(vocab.tok_cps, vocab.tok_off, np.array([bool(symbols)] * vocab.size))
        longest = max(map(len, symbols), default=0)
        object.__setattr__(self, "_user", (table, vocab.tok_cps, vocab.tok_off, longest))

    def run(self, cps: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Normalize code points: (out uint32[M], lo int64[M], hi int64[M]), see :func:`kernels.charsmap.normalize`."""
        s, cm = self.spec, self.charsmap
        return normalizer_kernel.normalize(
            cps, cm.units, cm.blob_cps, cm.blob_at, *self._user, s.add_dummy_prefix,
            s.remove_extra_whitespaces, s.escape_whitespaces, s.treat_whitespace_as_suffix,
        )  # fmt: skip

    def run_batch(self, cps: np.ndarray, bounds: np.ndarray) -> tuple[np.ndarray, ...]:
        """Normalize every text ``cps[bounds[d]:bounds[d+1]]`` in one call: (out, lo, hi, out_bounds)."""
        s, cm = self.spec, self.charsmap
        return normalizer_kernel.normalize_batch(
            cps, bounds, cm.units, cm.blob_cps, cm.blob_at, *self._user, s.add_dummy_prefix,
            s.remove_extra_whitespaces, s.escape_whitespaces, s.treat_whitespace_as_suffix,
        )  # fmt: skip

    def normalize(self, nt: NormalizedText) -> NormalizedText:
        """Normalize ``nt``; an added "▁" gets the empty span where it was added."""
        out, lo, hi = self.run(nt.code_points())
        n = len(nt.text)
        ends = np.append(nt.align[:, 1], nt.align[-1, 1] if n else 0)
        starts = np.append(nt.align[:, 0], ends[-1])
        empty = hi <= lo
        align = np.stack([starts[lo], np.where(empty, starts[lo], ends[np.maximum(hi - 1, 0)])], axis=1)
        return NormalizedText(out.tobytes().decode("utf-32-le", "surrogatepass"), align.astype(np.int64))

    def to_json(self) -> dict[str, Any]:
        """Return the nearest tokenizer.json normalizer (see the class docstring)."""
        from .normalizers.precompiled import Precompiled

        s = self.spec
        parts: list[dict[str, Any]] = []
        if self.charsmap.raw:
            parts.append(Precompiled(self.charsmap).to_json())
        if s.remove_extra_whitespaces:
            parts += [{"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "},
                      {"type": "Strip", "strip_left": True, "strip_right": True}]  # fmt: skip
        if s.add_dummy_prefix:
            parts.append({"type": "Prepend", "prepend": "▁" if s.escape_whitespaces else " "})
        if s.escape_whitespaces:
            parts.append({"type": "Replace", "pattern": {"String": " "}, "content": "▁"})
        return {"type": "Sequence", "normalizers": parts}
