"""SentencePiece's normalizer: a precompiled character map (double-array trie) and its space rules.

The trie (darts-clone units, uint32) maps UTF-8 strings to offsets in a blob of NUL-terminated
replacement strings. Callers decode that blob to code points once: ``blob_cps`` (uint32[B], NUL
included) and ``blob_at`` (int64[bytes of the blob]: the code-point index of the character that
starts at each byte offset, -1 inside a character).

A darts-clone unit: has_leaf = bit 8; value = low 31 bits; label = bit 31 and the low 8 bits;
offset = (unit >> 10) << ((unit & 512) >> 6).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .bpe_merges import _utf8
from .cp_tables import cps_lookup

SPACE = 0x20
META = 0x2581  # "▁"


@njit(cache=True, nogil=True)
def longest_match(units, cps, i, n):  # pragma: no cover - compiled
    """Return (length in code points, value) of the longest key that ``cps[i:n]`` starts with, or (0, -1).

    units: uint32[U] (the trie); cps: uint32[N]. Walks the UTF-8 bytes of cps[i], cps[i+1], ...
    A key must end at a character boundary.
    """
    if len(units) == 0:  # performance: no map (Llama-2, Mistral) allocates nothing per character
        return 0, -1
    buf = np.empty(4, dtype=np.uint8)
    u = np.int64(units[0])
    node = (u >> np.int64(10)) << ((u & np.int64(512)) >> np.int64(6))
    best_len = 0
    best_val = -1
    j = i
    while j < n:
        k = _utf8(np.int64(cps[j]), buf)
        for q in range(k):
            c = np.int64(buf[q])
            node ^= c
            if node < 0 or node >= len(units):
                return best_len, best_val
            u = np.int64(units[node])
            if (u & np.int64(0x800000FF)) != c:
                return best_len, best_val
            node ^= (u >> np.int64(10)) << ((u & np.int64(512)) >> np.int64(6))
            if (u >> np.int64(8)) & np.int64(1):
                if node < 0 or node >= len(units):
                    return best_len, best_val
                if q == k - 1:
                    best_len = j + 1 - i
                    best_val = np.int64(units[node]) & np.int64(0x7FFFFFFF)
        j += 1
    return best_len, best_val


@njit(cache=True, nogil=True)
def _prefix(cps, i, n, units, blob_cps, blob_at, user, user_cps, user_off, user_max):  # pragma: no cover
    """sentencepiece's ``NormalizePrefix`` at ``i``: (from_text, a, z, length).

    The replacement is ``cps[a:z]`` (from_text) or ``blob_cps[a:z]``; ``length`` characters are
    consumed. A user-defined symbol (longest first) is kept as it is; else the longest rule; else
    the character itself.
    """
    for length in range(min(user_max, n - i), 0, -1):
        if cps_lookup(user, user_cps, user_off, cps, i, i + length) >= 0:
            return True, i, i + length, length
    length, val = longest_match(units, cps, i, n)
    a = blob_at[val] if 0 <= val < len(blob_at) else -1
    if length == 0 or a < 0:  # subtle: a value outside the blob counts as no rule
        return True, i, i + 1, 1
    z = a
    while blob_cps[z] != 0:
        z += 1
    return False, a, z, length


@njit(cache=True, nogil=True)
def _grow3(out, lo, hi, m, need):  # pragma: no cover - compiled
    """Copies of the first ``m`` entries of (out, lo, hi) in arrays of at least ``need`` entries."""
    size = max(2 * len(out), need)
    out2 = np.empty(size, dtype=np.uint32)
    lo2 = np.empty(size, dtype=np.int64)
    hi2 = np.empty(size, dtype=np.int64)
    for k in range(m):
        out2[k], lo2[k], hi2[k] = out[k], lo[k], hi[k]
    return out2, lo2, hi2


@njit(cache=True, nogil=True)
def _normalize_run(
    cps, start, i, n, units, blob_cps, blob_at, user, user_cps, user_off, user_max, remove_extra, sp,
    out, lo, hi, m, prev_space,
):  # pragma: no cover - compiled  # fmt: skip
    """The main loop of :func:`_normalize_into` from ``i``: return (i, m, prev_space) at ``n``, or
    earlier when the next replacement does not fit in ``out`` (the caller grows it and calls again).

    Performance notes: no array is rebound in this loop. Growing the arrays here made numba count
    references of all three at every character: 85 ns a character, against 6 for this loop.
    """
    plain = len(units) == 0 and user_max == 0  # no map and no user symbols: every character is itself
    while i < n:
        if plain:
            text, a, z, length = True, i, i + 1, 1
        else:
            text, a, z, length = _prefix(cps, i, n, units, blob_cps, blob_at, user, user_cps, user_off, user_max)
        if m + (z - a) + 2 > len(out):
            break
        while prev_space and a < z and (np.int64(cps[a]) if text else np.int64(blob_cps[a])) == SPACE:
            a += 1  # subtle: spaces right after a space vanish, even inside a replacement
        if a < z:
            for q in range(a, z):
                c = np.int64(cps[q]) if text else np.int64(blob_cps[q])
                out[m] = sp if c == SPACE else c
                lo[m], hi[m] = i - start, i - start + length
                m += 1
            prev_space = (np.int64(cps[z - 1]) if text else np.int64(blob_cps[z - 1])) == SPACE
        i += length
        if not remove_extra:
            prev_space = False
    return i, m, prev_space


@njit(cache=True, nogil=True)
def _normalize_into(
    cps, start, n, units, blob_cps, blob_at, user, user_cps, user_off, user_max,
    add_dummy_prefix, remove_extra, escape, suffix, out, lo, hi, m,
):  # pragma: no cover - compiled  # fmt: skip
    """Normalize ``cps[start:n]`` and append the result at ``out[m:]``, ``lo[m:]``, ``hi[m:]``
    (positions counted from ``start``), growing the arrays when needed; return (out, lo, hi, m)."""
    if start == n:
        return out, lo, hi, m
    m0 = m
    sp = META if escape else SPACE
    i = start
    if remove_extra:  # skip leading pieces that normalize to exactly " "
        while i < n:
            text, a, z, length = _prefix(cps, i, n, units, blob_cps, blob_at, user, user_cps, user_off, user_max)
            c = np.int64(cps[a]) if text else np.int64(blob_cps[a])
            if z - a != 1 or c != SPACE:
                break
            i += length
        if i == n:
            return out, lo, hi, m
    if m + 2 > len(out):
        out, lo, hi = _grow3(out, lo, hi, m, m + 2 + (n - i))
    if add_dummy_prefix and not suffix:
        out[m], lo[m], hi[m] = sp, i - start, i - start
        m += 1
    prev_space = remove_extra
    while True:
        i, m, prev_space = _normalize_run(
            cps, start, i, n, units, blob_cps, blob_at, user, user_cps, user_off, user_max, remove_extra, sp,
            out, lo, hi, m, prev_space,
        )  # fmt: skip
        if i == n:
            break
        out, lo, hi = _grow3(out, lo, hi, m, m + 2 * (n - i) + 64)
    if remove_extra:
        while m > m0 and out[m - 1] == sp:
            m -= 1
    if add_dummy_prefix and suffix:
        out[m], lo[m], hi[m] = sp, n - start, n - start
        m += 1
    return out, lo, hi, m


@njit(cache=True, nogil=True)
def normalize(
    cps, units, blob_cps, blob_at, user, user_cps, user_off, user_max, add_dummy_prefix, remove_extra, escape, suffix
):  # pragma: no cover
    """Normalize ``cps`` as sentencepiece's ``Normalizer::Normalize`` does.

    cps: uint32[N]; units, blob_cps, blob_at: the character map (empty units: none); user: the
    code-point string table of the user-defined symbols (over user_cps uint32[...], user_off
    int64[U+1]), user_max their longest length (0: none); add_dummy_prefix, remove_extra
    (remove_extra_whitespaces), escape (escape_whitespaces), suffix (treat_whitespace_as_suffix):
    bools. Returns (out uint32[M], lo int64[M], hi int64[M]): character k of the result comes
    from ``cps[lo[k]:hi[k]]`` (empty for an added "▁").
    """
    cap = len(cps) + 8
    out, lo, hi, m = _normalize_into(
        cps, 0, len(cps), units, blob_cps, blob_at, user, user_cps, user_off, user_max,
        add_dummy_prefix, remove_extra, escape, suffix,
        np.empty(cap, dtype=np.uint32), np.empty(cap, dtype=np.int64), np.empty(cap, dtype=np.int64), 0,
    )  # fmt: skip
    return out[:m].copy(), lo[:m].copy(), hi[:m].copy()


@njit(cache=True, nogil=True)
def normalize_batch(
    cps,
    bounds,
    units,
    blob_cps,
    blob_at,
    user,
    user_cps,
    user_off,
    user_max,
    add_dummy_prefix,
    remove_extra,
    escape,
    suffix,
):  # pragma: no cover - compiled
    """:func:`normalize` on every text ``cps[bounds[d]:bounds[d+1]]`` (bounds: int64[D+1]) in one call.

    Returns (out uint32[M], lo int64[M], hi int64[M], out_bounds int64[D+1]): text d's result is
    ``out[out_bounds[d]:out_bounds[d+1]]``; ``lo``/``hi`` count from the start of its own text.
    Performance notes: one call instead of one per text saves the call overhead (~10 us a text);
    each text is written in place into the batch's arrays, sized for one character per character
    plus two per text (what a map without expanding rules needs) and grown when a rule expands:
    a result per text, copied into the batch, cost 0.64 of Llama-2's 1.19 s on 8 MB of ELTeC.
    """
    n_docs = len(bounds) - 1
    cap = bounds[n_docs] - bounds[0] + 2 * n_docs + 8
    out = np.empty(cap, dtype=np.uint32)
    lo = np.empty(cap, dtype=np.int64)
    hi = np.empty(cap, dtype=np.int64)
    out_bounds = np.zeros(n_docs + 1, dtype=np.int64)
    m = 0
    for d in range(n_docs):
        out, lo, hi, m = _normalize_into(
            cps, bounds[d], bounds[d + 1], units, blob_cps, blob_at, user, user_cps, user_off, user_max,
            add_dummy_prefix, remove_extra, escape, suffix, out, lo, hi, m,
        )  # fmt: skip
        out_bounds[d + 1] = m
    if m < len(out) * 3 // 4:
        return out[:m].copy(), lo[:m].copy(), hi[:m].copy(), out_bounds  # give back the unused capacity
    return out[:m], lo[:m], hi[:m], out_bounds


@njit(cache=True, nogil=True)
def first_match_each(cps, units, blob_cps, blob_at):  # pragma: no cover - compiled
    """Replace each character by the value of the first (shortest) key its UTF-8 starts with, if any.

    Hugging Face's Precompiled rule for text whose grapheme clusters are single characters.
    cps: uint32[N]; units, blob_cps, blob_at: the character map. Returns (out uint32[M],
    src int64[M]): character k of the result replaces (or is) ``cps[src[k]]``.
    Performance notes: the loop is :func:`_first_match_run`, which returns when ``out`` is full
    and never rebinds an array (growing inside the loop cost numba's reference counts at every
    character: t5-small on 8 MB of ELTeC took 0.35 s here).
    """
    n = len(cps)
    out = np.empty(n + 16, dtype=np.uint32)
    src = np.empty(n + 16, dtype=np.int64)
    i = 0
    m = 0
    while True:
        i, m = _first_match_run(cps, i, units, blob_cps, blob_at, out, src, m)
        if i == n:
            break
        out, src = _grow2(out, src, m + 2 * (n - i) + 64)
    if m < len(out) * 3 // 4:
        return out[:m].copy(), src[:m].copy()  # give back the unused capacity
    return out[:m], src[:m]


@njit(cache=True, nogil=True)
def _first_match_run(cps, i, units, blob_cps, blob_at, out, src, m):  # pragma: no cover - compiled
    """:func:`first_match_each` from character ``i``: return (i, m) at the end, or at the first
    character whose replacement does not fit in ``out``. ASCII characters read their blob
    offset from a table of 128 made first (16 -> 9 ns a character on ELTeC)."""
    n = len(cps)
    root = np.int64(0)
    if len(units) > 0:
        u0 = np.int64(units[0])
        root = (u0 >> np.int64(10)) << ((u0 & np.int64(512)) >> np.int64(6))
    ascii_at = np.empty(128, dtype=np.int64)
    for c in range(128):
        ascii_at[c] = _first_match_at(np.int64(c), units, blob_at, root)
    while i < n:
        cp = np.int64(cps[i])
        a = ascii_at[cp] if cp < 128 else _first_match_at(cp, units, blob_at, root)
        if a < 0:
            if m + 1 > len(out):
                return i, m
            out[m], src[m] = cps[i], i
            m += 1
            i += 1
            continue
        z = a
        while blob_cps[z] != 0:
            z += 1
        if m + (z - a) > len(out):
            return i, m
        for q in range(a, z):
            out[m], src[m] = blob_cps[q], i
            m += 1
        i += 1
    return i, m


@njit(cache=True, nogil=True, _nrt=False)
def _first_match_at(cp, units, blob_at, root):  # pragma: no cover - compiled
    """The blob offset of the replacement of ``cp`` (its shortest key in the trie), or -1."""
    if len(units) == 0:
        return -1
    k, b0, b1, b2, b3 = _utf8_bytes(cp)
    node = root
    for q in range(k):
        c = b0 if q == 0 else (b1 if q == 1 else (b2 if q == 2 else b3))
        if c == 0:
            return -1
        node ^= c
        if node >= len(units):
            return -1
        u = np.int64(units[node])
        if (u & np.int64(0x800000FF)) != c:
            return -1
        node ^= (u >> np.int64(10)) << ((u & np.int64(512)) >> np.int64(6))
        if (u >> np.int64(8)) & np.int64(1):
            if node < len(units):
                v = np.int64(units[node]) & np.int64(0x7FFFFFFF)
                if v < len(blob_at):
                    return blob_at[v]
            return -1
    return -1


@njit(cache=True, nogil=True, inline="always")
def _utf8_bytes(cp):  # pragma: no cover - compiled
    """(length, byte 0, byte 1, byte 2, byte 3) of the UTF-8 of ``cp`` (unused bytes 0)."""
    z = np.int64(0)
    if cp < 0x80:
        return 1, cp, z, z, z
    if cp < 0x800:
        return 2, 0xC0 | (cp >> 6), 0x80 | (cp & 0x3F), z, z
    if cp < 0x10000:
        return 3, 0xE0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3F), 0x80 | (cp & 0x3F), z
    return 4, 0xF0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3F), 0x80 | ((cp >> 6) & 0x3F), 0x80 | (cp & 0x3F)


@njit(cache=True, nogil=True)
def _grow2(out, src, need):  # pragma: no cover - compiled
    size = max(need, 2 * len(out))
    o2 = np.empty(size, dtype=out.dtype)
    s2 = np.empty(size, dtype=src.dtype)
    o2[: len(out)] = out
    s2[: len(src)] = src
    return o2, s2
