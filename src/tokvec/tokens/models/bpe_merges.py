"""BPE over characters (Hugging Face ``models.BPE``; also SentencePiece BPE ``.model`` files).

A word starts as its characters (or ``<0xXX>`` byte tokens with ``byte_fallback``, or the unknown
token) and adjacent pairs merge, lowest priority first, leftmost on ties. The priorities come from
a merges list (tokenizer.json: list order) or from piece scores (SentencePiece: a piece of higher
score merges first; equal scores tie, and then the leftmost pair goes first, as in sentencepiece).

>>> m = CharPairModel.from_json({"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2, "c": 3},
...                              "merges": ["a b"], "unk_token": None})
>>> ids, starts, ends = m.encode_pieces(np.array([97, 98, 99, 98], dtype=np.uint32), np.array([0, 4]))
>>> ids.tolist(), starts.tolist(), ends.tolist()
([2, 3, 1], [0, 2, 3], [2, 3, 4])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import regex

from ...errors import FormatError
from ...kernels import bpe_merges as kernel
from ...kernels.cp_tables import build_cps_table
from ...kernels.tables import build_pair_table
from ._vocab import Vocabulary


def _i32(values: Sequence[int]) -> np.ndarray:
    return np.asarray(values, dtype=np.int32).reshape(-1)


@dataclass(frozen=True, eq=False)
class CharPairModel:
    """A BPE model over characters; build it with :meth:`from_json` or :meth:`from_scores`.

    ``merges`` holds (left id, right id, priority, merged id) rows (int64[M, 4]).
    """

    vocab: Vocabulary
    merges: np.ndarray
    unk_token: str | None = None
    fuse_unk: bool = False
    byte_fallback: bool = False
    continuing_subword_prefix: str | None = None
    end_of_word_suffix: str | None = None
    ignore_merges: bool = False
    frozen: tuple[str, ...] = ()
    kind: str = field(default="BPE", init=False)
    #: derived when built: the kernel tables, and the alternation of the frozen symbols (None without any)
    _t: dict[str, Any] = field(init=False, repr=False)
    _frozen_re: Any = field(init=False, repr=False, default=None)

    def __post_init__(self) -> None:
        vocab = self.vocab
        if self.unk_token is not None and vocab.token_to_id(self.unk_token) is None:
            raise FormatError(f"BPE model: unk_token {self.unk_token!r} is not in the vocabulary")
        prefix = self.continuing_subword_prefix or ""
        suffix = self.end_of_word_suffix or ""
        variants, cps, ids = [], [], []
        for tok, i in vocab.items():
            for v, (pre, suf) in enumerate([("", ""), (prefix, ""), ("", suffix), (prefix, suffix)]):
                if len(tok) == len(pre) + 1 + len(suf) and tok.startswith(pre) and tok.endswith(suf):
                    variants.append(v)
                    cps.append(ord(tok[len(pre)]))
                    ids.append(i)
        chars = build_pair_table(_i32(variants), _i32(cps), _i32([0] * len(ids)), _i32(ids))
        rows = self.merges
        pairs = build_pair_table(_i32(rows[:, 0]), _i32(rows[:, 1]), _i32(rows[:, 2]), _i32(rows[:, 3]))
        byte_ids = np.full(256, -2, dtype=np.int32)
        if self.byte_fallback:
            byte_ids[:] = [vocab.id_or(f"<0x{b:02X}>", -1) for b in range(256)]
        # subtle: words may only be cut where no merge can join when every merged symbol is spelled
        # by its characters: not so with a prefix or suffix, or with byte or unknown symbols that merge
        special = {int(x) for x in byte_ids if x >= 0}
        if self.unk_token is not None:
            special.add(vocab.token_to_id(self.unk_token))
        split = not prefix and not suffix and not special.intersection(rows[:, :2].ravel().tolist())
        lefts, rights = [], []
        if split:
            for t in set(rows[:, 3].tolist()):
                text = vocab.id_to_token(t) or ""
                lefts.extend(ord(c) for c in text[:-1])
                rights.extend(ord(c) for c in text[1:])
        bigrams = build_pair_table(_i32(lefts), _i32(rights), _i32([0] * len(lefts)), _i32([0] * len(lefts)))
        include = np.zeros(vocab.size, dtype=np.bool_)
        if self.ignore_merges:
            include[list(vocab.ids())] = True
        for symbol in self.frozen:  # a word that is a frozen symbol becomes its token, unmerged
            include[vocab.token_to_id(symbol)] = True
        if self.frozen:
            alternatives = sorted(self.frozen, key=len, reverse=True)
            object.__setattr__(self, "_frozen_re", regex.compile("|".join(map(regex.escape, alternatives))))
        whole = build_cps_table(vocab.tok_cps, vocab.tok_off, include)
        unk = -1 if self.unk_token is None else vocab.token_to_id(self.unk_token)
        tables = dict(chars=chars, pairs=pairs, byte_ids=byte_ids, whole=whole, bigrams=bigrams, split=split, unk=unk)
        tables["prefix"] = np.frombuffer(prefix.encode(), dtype=np.uint8).copy()
        tables["suffix"] = np.frombuffer(suffix.encode(), dtype=np.uint8).copy()
        object.__setattr__(self, "_t", tables)

    # -- the Model protocol ------------------------------------------------------------------
    @property
    def vocab_size(self) -> int:
        """Number of ids (one more than the largest id)."""
        return self.vocab.size

    def token_to_id(self, token: str) -> int | None:
        """Return the id of ``token``, or None."""
        return self.vocab.token_to_id(token)

    def id_to_token(self, id: int) -> str | None:
        """Return the token of ``id``, or None."""
        return self.vocab.id_to_token(id)

    def get_vocab(self) -> dict[str, int]:
        """Return a new dict token -> id."""
        return dict(self.vocab.items())

    def encode_pieces(self, cps: np.ndarray, bounds: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Tokenize every word ``cps[bounds[p]:bounds[p+1]]``: (ids int32, starts int64, ends int64)."""
        t = self._t
        cps = np.ascontiguousarray(cps, dtype=np.uint32)
        bounds = np.ascontiguousarray(bounds, dtype=np.int64)
        if self.frozen:
            bounds = self._cut_at_frozen(cps, bounds)
        return kernel.encode_words(
            cps, bounds, t["chars"], t["pairs"], t["byte_ids"], t["prefix"], t["suffix"], t["unk"], self.fuse_unk,
            self.ignore_merges or bool(self.frozen), t["whole"], self.vocab.tok_cps, self.vocab.tok_off,
            t["bigrams"], t["split"],
        )  # fmt: skip

    def _cut_at_frozen(self, cps: np.ndarray, bounds: np.ndarray) -> np.ndarray:
        """Make every frozen symbol in the text a word of its own (found longest first, left to right).

        subtle: sentencepiece's PrefixMatcher takes, at each symbol start, the longest user-defined
        symbol, else one character; a regex alternation sorted by length and scanned left to right
        finds the same places.
        """
        text = cps.tobytes().decode("utf-32-le", "surrogatepass")
        edges = [x for m in self._frozen_re.finditer(text) for x in m.span()]
        if not edges:
            return bounds
        return np.union1d(bounds, np.array(edges, dtype=np.int64))

    # -- building and saving -----------------------------------------------------------------
    @classmethod
    def from_json(cls, obj: Mapping[str, Any], *, source: str = "tokenizer.json") -> CharPairModel:
        """Build from the ``"model"`` object of a tokenizer.json (``type`` "BPE")."""
        if obj.get("dropout") not in (None, 0, 0.0):
            raise FormatError(f"{source}: BPE dropout is random; tokvec encodes deterministically (set it to null)")
        raw = obj.get("vocab")
        if not isinstance(raw, Mapping):
            raise FormatError(f"{source}: model.vocab must be an object token -> id, got {type(raw).__name__}")
        vocab = Vocabulary.from_mapping(raw, source=source)
        prefix = obj.get("continuing_subword_prefix")
        cut = len(prefix) if prefix else 0
        found: dict[tuple[int, int], tuple[int, int]] = {}
        for rank, item in enumerate(obj.get("merges") or []):
            if isinstance(item, str):
                parts = item.split(" ")
            else:
                parts = list(item)
            if len(parts) != 2:
                raise FormatError(f'{source}: merge {rank + 1} is {item!r}, not two tokens ("a b" or ["a", "b"])')
            a, b = parts
            merged = a + b[cut:]
            ids = [vocab.token_to_id(x) for x in (a, b, merged)]
            for x, i in zip((a, b, merged), ids, strict=True):
                if i is None:
                    raise FormatError(
                        f"{source}: merge {rank + 1} ({a!r} {b!r}) uses {x!r}, which is not in model.vocab"
                    )
            found[(ids[0], ids[1])] = (rank, ids[2])  # subtle: a repeated pair keeps its last rank, as HF does
        rows = np.array([(a, b, r, m) for (a, b), (r, m) in found.items()], dtype=np.int64).reshape(-1, 4)
        return cls(
            vocab,
            rows,
            unk_token=obj.get("unk_token"),
            fuse_unk=bool(obj.get("fuse_unk", False)),
            byte_fallback=bool(obj.get("byte_fallback", False)),
            continuing_subword_prefix=prefix,
            end_of_word_suffix=obj.get("end_of_word_suffix"),
            ignore_merges=bool(obj.get("ignore_merges", False)),
        )

    @classmethod
    def from_scores(
        cls, pieces: Sequence[str], scores: Sequence[float], mergeable: Sequence[bool], *, unk_id: int,
        byte_fallback: bool, frozen: tuple[str, ...] = (),
    ) -> CharPairModel:  # fmt: skip
        """Build a SentencePiece BPE model: any two pieces whose concatenation is a mergeable piece merge.

        The priority of a merge is the rank of the merged piece's score (higher first; equal scores
        share a priority, so the leftmost pair wins, as in sentencepiece's ``bpe_model.cc``).
        ``frozen``: user-defined symbols, taken whole wherever they occur and never merged.
        """
        vocab = Vocabulary.from_list(list(pieces))
        index = {p: i for i, p in enumerate(pieces) if mergeable[i] and p not in frozen}
        distinct = sorted({float(scores[i]) for i in index.values()}, reverse=True)
        prio = {s: k for k, s in enumerate(distinct)}
        rows = []
        for p, i in index.items():
            for k in range(1, len(p)):
                a, b = index.get(p[:k]), index.get(p[k:])
                if a is not None and b is not None:
                    rows.append((a, b, prio[float(scores[i])], i))
        merges = np.array(rows, dtype=np.int64).reshape(-1, 4)
        return cls(
            vocab, merges, unk_token=pieces[unk_id], fuse_unk=True, byte_fallback=byte_fallback, frozen=tuple(frozen)
        )

    def to_json(self) -> dict[str, Any]:
        """Return the ``"model"`` object of a tokenizer.json (merges in priority order)."""
        order = np.lexsort((self.merges[:, 1], self.merges[:, 0], self.merges[:, 2]))
        tok = self.vocab.id_to_token
        return {
            "type": "BPE",
            "dropout": None,
            "unk_token": self.unk_token,
            "continuing_subword_prefix": self.continuing_subword_prefix,
            "end_of_word_suffix": self.end_of_word_suffix,
            "fuse_unk": self.fuse_unk,
            "byte_fallback": self.byte_fallback,
            "ignore_merges": self.ignore_merges,
            "vocab": dict(self.vocab.items()),
            "merges": [[tok(int(a)), tok(int(b))] for a, b in self.merges[order, :2]],
        }
