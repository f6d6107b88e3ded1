"""Train BPE: byte-level (GPT-2 style, identical to Hugging Face ``BpeTrainer``) or character-level.

BPE repeatedly merges the most frequent adjacent pair of symbols in the words of a corpus.
**Tie-break** (as Hugging Face): among pairs of equal count, the pair with the smallest left id
wins, then the smallest right id; ids are given in this order: special tokens, the alphabet sorted
by code point (byte-level: the code point of the byte's printable stand-in, ``!`` first), then
each new token when it is made. The merge loop itself is :func:`tokvec.kernels.bpe_train.train_merges`.

Performance: :func:`learn_bpe` is the step a cluster runs once, serially, after the counts are merged
(:mod:`tokvec.cluster.train`). On ELTeC's words (106,918 gpt2 pre-tokens; ``bench/learn_bpe.py``, a
shared 2-core machine at load 4.7, best of 5) it took 0.62-0.69 s at vocab 4,096 and 0.91-0.97 s at
32,000, and takes 0.10-0.16 s and 0.29-0.35 s: nearly all of it is the kernel (see the notes in
:mod:`tokvec.kernels.bpe_train`), the Python around it a few ms. Character-level (89,379 whitespace
words) 1.2 s -> 0.13 s at vocab 4,096: :func:`char_level_start` was 0.65 s of Python loops over the
characters and is now numpy over all words at once (0.07 s).

>>> r = train_bpe(["low lower newest wider"] * 2, vocab_size=262, special_tokens=(), progress=False)
>>> r.merges[:3]
(('e', 'r'), ('l', 'o'), ('lo', 'w'))
>>> r.tokenizer().encode(" lower").tokens
['Ġ', 'low', 'er']
"""

from __future__ import annotations

import collections
import pathlib
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from ...errors import ConfigError
from ...kernels.bpe_train import train_merges
from ..byte_level import byte_to_char
from .config import BpeConfig, from_options
from .counting import count_for
from .progress import run_with_progress
from .word_counts import WordCounts

SUFFIX_UNIT = 0x110000  # stands for the end-of-word suffix inside token contents
PREFIX_UNIT = 0x110001  # stands for the continuing-subword prefix


@dataclass(frozen=True, eq=False)
class BpeResult:
    """A trained BPE model as plain data: ``tokens[id]`` (Hugging Face spelling) and the merges in order."""

    tokens: tuple[str, ...]
    merges: tuple[tuple[str, str], ...]
    config: BpeConfig
    special_tokens: tuple[str, ...] = field(default=())

    def vocab(self) -> dict[str, int]:
        """Return ``{token: id}`` (special tokens included)."""
        return {t: i for i, t in enumerate(self.tokens)}

    def tokenizer(self):  # -> tokvec.Tokenizer
        """Return the pipeline :class:`~tokvec.Tokenizer` of :meth:`to_json` (what :meth:`save` writes, built once)."""
        from .export_bpe import to_tokenizer

        return to_tokenizer(self)

    def to_json(self) -> dict:
        """Return the Hugging Face ``tokenizer.json`` object."""
        from .export_bpe import tokenizer_json

        return tokenizer_json(self)

    def save(self, path: str | pathlib.Path) -> None:
        """Write ``tokenizer.json`` (atomic)."""
        from .export_bpe import save_json

        save_json(self.to_json(), path)

    def save_vocab_merges(self, folder: str | pathlib.Path, prefix: str = "") -> tuple[pathlib.Path, pathlib.Path]:
        """Write ``vocab.json`` and ``merges.txt`` into ``folder``; return their paths."""
        from .export_bpe import save_vocab_merges

        return save_vocab_merges(self, pathlib.Path(folder), prefix)

    def save_tiktoken(self, path: str | pathlib.Path) -> str:
        """Write a tiktoken rank file (byte-level only); return the split pattern to use with it."""
        from .export_bpe import save_tiktoken

        return save_tiktoken(self, pathlib.Path(path))


def train_bpe(corpus: Iterable | pathlib.Path, *, progress: bool = True, **options) -> BpeResult:
    """Count the words of ``corpus`` (texts as ``str``, files as ``pathlib.Path``) and learn BPE merges.

    Options are the fields of :class:`BpeConfig` (vocab_size, min_frequency, special_tokens,
    pre_tokenizer, byte_level, end_of_word_suffix, ...), or ``config=BpeConfig(...)``.
    """
    config = from_options(BpeConfig, options)
    return learn_bpe(count_for(config, corpus, progress=progress), config, progress=progress)


def learn_bpe(words: WordCounts, config: BpeConfig, *, progress: bool = False) -> BpeResult:
    """Learn BPE merges from counted words."""
    specials = tuple(dict.fromkeys(config.special_tokens))
    if config.byte_level:
        tokens, units, syms, wlen = _byte_level_start(words, specials)
    else:
        tokens, units, syms, wlen = char_level_start(
            words, specials, config.initial_alphabet, config.limit_alphabet,
            config.continuing_subword_prefix, config.end_of_word_suffix,
        )  # fmt: skip
    n0 = len(tokens)
    if config.vocab_size < n0:
        raise ConfigError(
            f"vocab_size {config.vocab_size} is smaller than the {n0} tokens every vocabulary needs"
            f" ({len(specials)} special tokens and the alphabet): raise vocab_size to at least {n0}"
        )
    flat_units, uoff, wstart = merge_inputs(units, wlen)
    lefts, rights, _merged, out_units, out_off, n_tokens = run_with_progress(
        train_merges, syms, wstart, wlen, words.counts, flat_units, uoff, n0, config.vocab_size,
        config.min_frequency, -1 if config.max_token_length is None else config.max_token_length,
        PREFIX_UNIT if config.continuing_subword_prefix else -1,
        total=config.vocab_size - n0, label="BPE merges", enabled=progress,
    )  # fmt: skip
    all_tokens = spell_new_tokens(tokens, out_units, out_off, n_tokens, _speller(config))
    # subtle: a pair merged twice (its result existed already) keeps its last rank, as Hugging Face's map does
    pairs = list(zip(lefts.tolist(), rights.tolist(), strict=True))
    last = {pair: k for k, pair in enumerate(pairs)}
    merges = tuple((all_tokens[a], all_tokens[b]) for k, (a, b) in enumerate(pairs) if last[a, b] == k)
    return BpeResult(tuple(all_tokens), merges, config, specials)


def merge_inputs(units: list[list[int]], wlen: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pack the initial tokens' units for the merge kernels: (units int32, their offsets, word starts)."""
    uoff = np.zeros(len(units) + 1, dtype=np.int64)
    np.cumsum([len(u) for u in units], out=uoff[1:])
    flat = np.array([x for u in units for x in u], dtype=np.int32)
    wstart = np.zeros(len(wlen), dtype=np.int64)
    np.cumsum(wlen[:-1], out=wstart[1:])
    return flat, uoff, wstart


def spell_new_tokens(tokens: list[str], out_units, out_off, n_tokens: int, spell) -> list[str]:
    """Return ``tokens`` and then the tokens the merge kernel made, each spelled from its units."""
    ul, uo = out_units.tolist(), out_off.tolist()
    return list(tokens) + [spell(ul[uo[t] : uo[t + 1]]) for t in range(len(tokens), n_tokens)]


def _byte_level_start(words: WordCounts, specials: tuple[str, ...]):
    chars = byte_to_char()
    order = sorted(range(256), key=lambda b: ord(chars[b]))
    tokens = list(specials) + [chars[b] for b in order]
    byte_id = np.zeros(256, dtype=np.int32)
    byte_id[order] = np.arange(len(specials), len(specials) + 256, dtype=np.int32)
    units = [_special_units(s, k) for k, s in enumerate(specials)] + [[b] for b in order]
    syms = byte_id[words.data]
    return tokens, units, syms, np.diff(words.offsets)


def _special_units(s: str, k: int) -> list[int]:
    """Units that no merge can produce, so that a special token is never reused as a merge result."""
    return [-1 - k]


def char_level_start(words: WordCounts, specials, initial_alphabet, limit_alphabet, prefix, suffix):
    """Return the initial tokens (specials, alphabet, prefixed/suffixed variants), their units, and the words'
    symbols ``syms`` (int32) and lengths ``wlen`` (int64).

    The alphabet: the characters by summed count (then code point), the first ``limit_alphabet``, with
    ``initial_alphabet`` always in; each word keeps its characters in the alphabet, the first without the
    prefix and the last with the suffix. Computed with numpy over all words at once (ELTeC's 89k words:
    0.65 -> 0.07 s); :func:`_char_level_start_loops` is the same in plain loops, used where the words are
    not each valid UTF-8 (it raises as before).

    >>> wc = WordCounts.from_dict({"abc".encode(): 2, "cé".encode(): 1}, "whitespace")
    >>> tokens, units, syms, wlen = char_level_start(wc, ("<s>",), (), 3, "##", None)
    >>> tokens, syms.tolist(), wlen.tolist()
    (['<s>', 'a', 'b', 'c', '##b', '##c'], [1, 4, 5, 3], [3, 1])
    """
    cps, char_word = _code_points(words)
    if cps is None:
        return _char_level_start_loops(words, specials, initial_alphabet, limit_alphabet, prefix, suffix)
    present, inverse = np.unique(cps, return_inverse=True)
    freq = np.zeros(len(present), dtype=np.int64)
    np.add.at(freq, inverse, words.counts[char_word])
    if initial_alphabet:
        extra = np.array(sorted({ord(ch) for ch in initial_alphabet}), dtype=np.int64)
        present, freq = np.concatenate((present, extra)), np.concatenate((freq, np.full(len(extra), 1 << 62)))
        present, first = np.unique(present[::-1], return_index=True)  # an initial character's big count wins
        freq = freq[::-1][first]
    kept = present[np.lexsort((present, -freq))]
    if limit_alphabet is not None:
        kept = kept[:limit_alphabet]
    alphabet = np.sort(kept)
    allowed = np.isin(cps, alphabet)
    cps, char_word = cps[allowed], char_word[allowed]
    wlen = np.bincount(char_word, minlength=len(words)).astype(np.int64)
    first = np.zeros(len(words) + 1, dtype=np.int64)
    np.cumsum(wlen, out=first[1:])
    at = np.arange(len(cps), dtype=np.int64) - first[char_word]
    # a symbol's key: code point * 4 + 2 (prefixed) + 1 (suffixed); sorted keys = sorted (cp, pre, suf)
    keys = cps * 4
    if prefix:
        keys += 2 * (at > 0)
    if suffix:
        keys += at == wlen[char_word] - 1
    needed = np.unique(keys)
    tokens = list(specials)
    units: list[list[int]] = [_special_units(s, k) for k, s in enumerate(specials)]
    for cp in alphabet.tolist():
        tokens.append(chr(cp))
        units.append([cp])
    variants = needed[needed % 4 != 0]
    for key in variants.tolist():
        cp, pre, suf = key >> 2, key & 2, key & 1
        tokens.append((prefix if pre else "") + chr(cp) + (suffix if suf else ""))
        units.append(([PREFIX_UNIT] if pre else []) + [cp] + ([SUFFIX_UNIT] if suf else []))
    n0 = len(specials)
    ids = np.where(
        keys % 4 == 0,
        n0 + np.searchsorted(alphabet, keys >> 2),
        n0 + len(alphabet) + np.searchsorted(variants, keys),
    )
    return tokens, units, ids.astype(np.int32), wlen


def _code_points(words: WordCounts) -> tuple[np.ndarray | None, np.ndarray]:
    """The code points (int64) of all words in order and the word of each; (None, ...) where a word is not
    valid UTF-8 by itself."""
    end = int(words.offsets[-1])
    try:
        text = words.data[:end].tobytes().decode("utf-8")
    except UnicodeDecodeError:
        return None, np.zeros(0, dtype=np.int64)
    cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    size = 1 + (cps >= 0x80) + (cps >= 0x800) + (cps >= 0x10000)
    starts = np.zeros(len(cps) + 1, dtype=np.int64)
    np.cumsum(size, out=starts[1:])
    # each word must start and end at a character's start: then it decodes alone to the same characters
    at = np.searchsorted(starts, words.offsets)
    if words.offsets[0] != 0 or not np.array_equal(starts[np.minimum(at, len(starts) - 1)], words.offsets):
        return None, np.zeros(0, dtype=np.int64)
    char_word = np.repeat(np.arange(len(words), dtype=np.int64), np.diff(at))
    return cps, char_word


def _char_level_start_loops(words: WordCounts, specials, initial_alphabet, limit_alphabet, prefix, suffix):
    """:func:`char_level_start` in plain Python loops over the words (the definition; slower)."""
    texts = [w.decode("utf-8") for w, _ in words.items()]
    freq: collections.Counter[str] = collections.Counter()
    for t, c in zip(texts, words.counts.tolist(), strict=True):
        for ch in t:
            freq[ch] += c
    big = 1 << 62
    for ch in initial_alphabet:
        freq[ch] = big
    kept = sorted(freq, key=lambda ch: (-freq[ch], ord(ch)))
    if limit_alphabet is not None:
        kept = kept[:limit_alphabet]
    alphabet = sorted(kept, key=ord)
    tokens = list(specials)
    units: list[list[int]] = [_special_units(s, k) for k, s in enumerate(specials)]
    ids: dict[tuple[int, bool, bool], int] = {}

    def add(key: tuple[int, bool, bool]) -> int:
        if key not in ids:
            cp, pre, suf = key
            ids[key] = len(tokens)
            tokens.append((prefix if pre else "") + chr(cp) + (suffix if suf else ""))
            units.append(([PREFIX_UNIT] if pre else []) + [cp] + ([SUFFIX_UNIT] if suf else []))
        return ids[key]

    for ch in alphabet:
        add((ord(ch), False, False))
    allowed = set(alphabet)
    # variants with prefix/suffix get ids in the order of (code point, kind): deterministic (Hugging Face's
    # order follows its hash map and changes between runs)
    seqs = []
    needed = set()
    for t in texts:
        chars = [ch for ch in t if ch in allowed]
        seq = []
        for i, ch in enumerate(chars):
            key = (ord(ch), bool(prefix) and i > 0, bool(suffix) and i == len(chars) - 1)
            needed.add(key)
            seq.append(key)
        seqs.append(seq)
    for key in sorted(needed):
        add(key)
    wlen = np.array([len(s) for s in seqs], dtype=np.int64)
    syms = np.array([ids[k] for s in seqs for k in s], dtype=np.int32)
    return tokens, units, syms, wlen


def _speller(config: BpeConfig):
    if config.byte_level:
        chars = byte_to_char()
        return lambda u: "".join(chars[b] for b in u)
    prefix, suffix = config.continuing_subword_prefix or "", config.end_of_word_suffix or ""
    table = {PREFIX_UNIT: prefix, SUFFIX_UNIT: suffix}
    return lambda u: "".join(table[x] if x in table else chr(x) for x in u)
