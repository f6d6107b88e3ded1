"""A numba scanner for the split patterns of GPT-2 (r50k), cl100k, o200k and Llama-3.

The scanner returns, for a start position, where the regex match that starts there ends. It follows
the regex semantics exactly (leftmost alternative first, greedy quantifiers with backtracking, the
possessive forms of tiktoken's current patterns); :mod:`tokvec.reference.pretokenize` runs the regexes
themselves and the tests check that both agree. Every position begins a match (each pattern covers
letters, numbers, whitespace and "everything else"), so pieces tile the text.

Character classes come from ``cls``: uint8[0x110000], one byte of bit flags per code point
(:mod:`tokvec.tokens.unicode`). Performance notes: decoding UTF-8 on the fly is faster than a
UTF-32 copy of the text (one pass, no 4x buffer); bytes 0x0A and 0x0D never occur inside a
multi-byte sequence, so newline searches scan bytes.

Scan profile, issue 19 (``bench/profile_encode.py``, ELTeC 16 MB, 3.4-3.5 M pieces of 4.6-4.8 bytes,
one thread, quiet machine, 2026-12-04): ``split_bounds`` alone takes 21.4 ns a piece for r50k, 23.1
cl100k, 26.9 o200k, 22.5 Llama-3, about 40-55% of the whole encode (the rest: the lookups of
:mod:`tokvec.kernels.bpe`). Most of it is the mispredicted branch where each piece ends. History:
- numba's reference counts: every call of a helper with array arguments increfs and decrefs them
  (atomic operations), also when the helper is ``inline="always"``. Helpers here allocate nothing,
  so they compile with ``leaf`` (``_nrt=False``: no runtime, no reference counts) and LLVM inlines
  them: 28 -> 18 ns a piece (the first profile, on a loaded machine).
- o200k (issue 19): its word test runs first; a word is one loop over the letters that stops at a
  capital after a lower-case letter (it was two loops, capitals then lower case: one more
  mispredicted exit per capitalized word); a non-ASCII letter after a lower-case one continues the
  run instead of restarting the word through the decoding path, and a non-ASCII prefix (a curly
  quote) before an ASCII word stays on the ASCII path. Together with the kernel changes of
  :mod:`tokvec.kernels.bpe`, o200k's ratio to tiktoken went 2.2x -> 3.0x.
- tried: a 256-entry local class table for bytes (same speed as ``cls[x]``, whose first 128 entries
  stay in L1); the ASCII word loop written inside ``piece_end`` instead of a call of ``_run`` (kept:
  same speed once calls are cheap, fewer paths); an unsigned index for the byte loads (no change).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .._grammars import CL100K as CL100K  # grammar ids: the spec that this scanner and its twin follow
from .._grammars import LLAMA3 as LLAMA3  # (numba reads these module globals as constants)
from .._grammars import O200K as O200K
from .._grammars import R50K as R50K
from .utf8 import decode_at, leaf

# class bits (tools/gen_unicode_classes.py)
LETTER = 1  # \p{L}
NUMBER = 2  # \p{N}
SPACE = 4  # \s
UPPERISH = 8  # [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]
LOWERISH = 16  # [\p{Ll}\p{Lm}\p{Lo}\p{M}]


@leaf
def _class_at(b, i, cls):  # pragma: no cover - compiled
    cp, w = decode_at(b, i)
    return cls[cp], w


@leaf
def _run(b, i, n, cls, bits):  # pragma: no cover - compiled
    """End of the run of characters, from ``i``, whose class has any of ``bits``."""
    while i < n:
        x = b[i]
        if x < 128:  # ASCII fast path: no decoding
            if (cls[x] & bits) == 0:
                break
            i += 1
            continue
        c, w = _class_at(b, i, cls)
        if (c & bits) == 0:
            break
        i += w
    return i


@leaf
def _punct_run(b, i, n, cls):  # pragma: no cover - compiled
    """End of the run of ``[^\\s\\p{L}\\p{N}]`` characters from ``i``."""
    while i < n:
        x = b[i]
        if x < 128:
            if (cls[x] & (LETTER | NUMBER | SPACE)) != 0:
                break
            i += 1
            continue
        c, w = _class_at(b, i, cls)
        if (c & (LETTER | NUMBER | SPACE)) != 0:
            break
        i += w
    return i


@leaf
def _fold(x, insensitive):  # pragma: no cover - compiled
    """Lower-case an ASCII byte when ``insensitive``."""
    if insensitive and 65 <= x <= 90:
        return x + 32
    return x


@leaf
def contraction_length(b, i, n, insensitive):  # pragma: no cover - compiled
    """Length of ``'s|'t|'re|'ve|'m|'ll|'d`` at ``b[i]`` (0 if none).

    subtle: with ``(?i:...)`` the Rust regex engine folds U+017F LATIN SMALL LETTER LONG S
    (bytes C5 BF) to ``s``; tools/gen_unicode_classes.py checks that no other fold applies.
    """
    if b[i] != 39 or i + 1 >= n:
        return 0
    x = _fold(b[i + 1], insensitive)
    if x == 115 or x == 116 or x == 100 or x == 109:  # s t d m
        return 2
    if insensitive and b[i + 1] == 0xC5 and i + 2 < n and b[i + 2] == 0xBF:
        return 3
    if i + 2 < n:
        y = _fold(b[i + 2], insensitive)
        if (x == 108 and y == 108) or (x == 118 and y == 101) or (x == 114 and y == 101):  # ll ve re
            return 3
    return 0


@leaf
def _o200k_upper_lower(b, s, n, cls):  # pragma: no cover - compiled
    """``[UPPERISH]*[LOWERISH]+`` from ``s`` with backtracking; its end or -1."""
    last_lower_end = -1
    j = s
    while j < n:
        c, w = _class_at(b, j, cls)
        if (c & UPPERISH) == 0:
            break
        if (c & LOWERISH) != 0:
            last_lower_end = j + w
        j += w
    if j < n:
        c, w = _class_at(b, j, cls)
        if (c & LOWERISH) != 0:
            return _run(b, j, n, cls, LOWERISH)
    # subtle: backtracking gives the rightmost LOWERISH character inside the UPPERISH run
    return last_lower_end


@leaf
def _o200k_upper_then_lower(b, s, n, cls):  # pragma: no cover - compiled
    """``[UPPERISH]+[LOWERISH]*`` from ``s``; its end or -1."""
    if s >= n:
        return -1
    c, _ = _class_at(b, s, cls)
    if (c & UPPERISH) == 0:
        return -1
    j = _run(b, s, n, cls, UPPERISH)
    return _run(b, j, n, cls, LOWERISH)


@leaf
def _o200k_word(b, i, n, cls):  # pragma: no cover - compiled
    """The two word alternatives of o200k, prefix tried first; end or -1."""
    cp, w = decode_at(b, i)
    c = cls[cp]
    prefix = (c & (LETTER | NUMBER)) == 0 and cp != 10 and cp != 13
    e = -1
    if prefix and i + w < n:
        e = _o200k_upper_lower(b, i + w, n, cls)
    if e < 0:
        e = _o200k_upper_lower(b, i, n, cls)
    if e < 0 and prefix:
        e = _o200k_upper_then_lower(b, i + w, n, cls)
    if e < 0:
        e = _o200k_upper_then_lower(b, i, n, cls)
    if e < 0:
        return -1
    if e < n and b[e] == 39:
        e += contraction_length(b, e, n, True)
    return e


@leaf
def _is_ascii_letter(x):  # pragma: no cover - compiled
    return (65 <= x <= 90) or (97 <= x <= 122)


@leaf
def _o200k_ascii(b, i, n, cls):  # pragma: no cover - compiled
    """The o200k word alternatives where the word starts in ASCII: end, -1 (no word), or -2 (a
    non-ASCII character decides: use :func:`_o200k_word`).

    In ASCII, UPPERISH is A-Z and LOWERISH a-z, so the backtracking reduces to: upper-case run,
    then lower-case run; a word of capitals alone matches the second alternative. Once a
    lower-case letter is read, the rest can only be the ``[LOWERISH]+`` run, so a non-ASCII
    character after it continues that run. The one-character prefix (not a newline, letter or
    number) may be non-ASCII: a curly quote before a word.
    """
    x = b[i]
    s = i
    if x >= 128:
        cp, w = decode_at(b, i)
        if (cls[cp] & (LETTER | NUMBER | UPPERISH | LOWERISH)) != 0 or i + w >= n or not _is_ascii_letter(b[i + w]):
            return -2
        s = i + w
    elif not _is_ascii_letter(x):
        if x == 10 or x == 13 or 48 <= x <= 57 or i + 1 >= n:
            return -1 if (i + 1 >= n or b[i + 1] < 128) else -2
        y = b[i + 1]
        if y >= 128:
            return -2
        if not _is_ascii_letter(y):
            return -1  # neither a prefix + word nor a word
        s = i + 1
    # one loop over the letters, which ends at a capital after a lower-case letter ("helloWorld")
    j = s
    lower = 0
    while j < n:
        y = b[j]
        if y >= 128:
            if lower == 0:
                return -2  # capitals alone: a non-ASCII letter or mark may still change the match
            j = _run(b, j, n, cls, LOWERISH)
            break
        c = cls[y]
        if (c & LETTER) == 0 or (c & (lower >> 1)) != 0:
            break
        lower |= c & LOWERISH
        j += 1
    if j < n and b[j] == 39:
        j += contraction_length(b, j, n, True)
    return j


@leaf
def piece_end(b, i, n, cls, grammar):  # pragma: no cover - compiled
    """Return the end of the pattern match that starts at byte ``i``.

    b: uint8[>=n] UTF-8 text; i: start (a character boundary, < n); n: end of the text;
    cls: uint8[0x110000] class bits; grammar: R50K, CL100K, O200K or LLAMA3.
    """
    if grammar == O200K:  # first: its words are the commonest pieces, and skip the other grammars' test
        e = _o200k_ascii(b, i, n, cls)
        if e == -2:
            e = _o200k_word(b, i, n, cls)
        if e >= 0:
            return e
    x = b[i]
    if x < 128 and x != 39 and grammar != O200K:
        # ASCII fast path for the two commonest cases: a word, or one character (r50k: a space)
        # and a word
        c = cls[x]
        j = -1
        if (c & LETTER) != 0:
            j = i + 1
        elif i + 1 < n and (x == 32 if grammar == R50K else ((c & NUMBER) == 0 and x != 10 and x != 13)):
            y = b[i + 1]
            if y < 128 and (cls[y] & LETTER) != 0:
                j = i + 2
        if j >= 0:
            # subtle: one loop written here, not a call to _run: the inlined call measured 2x slower
            while j < n:
                y = b[j]
                if y >= 128:
                    return _run(b, j, n, cls, LETTER)
                if (cls[y] & LETTER) == 0:
                    break
                j += 1
            return j
    cp, w = decode_at(b, i)
    c = cls[cp]
    if grammar != O200K and cp == 39:
        k = contraction_length(b, i, n, grammar != R50K)
        if k > 0:
            return i + k
    if grammar == R50K:
        j, cj = i, c
        if cp == 32 and i + 1 < n:
            cj, _ = _class_at(b, i + 1, cls)
            j = i + 1
        if (cj & LETTER) != 0:
            return _run(b, j, n, cls, LETTER)
        if (cj & NUMBER) != 0:
            return _run(b, j, n, cls, NUMBER)
        if (cj & SPACE) == 0:
            return _punct_run(b, j, n, cls)
    else:
        if grammar != O200K:
            if (c & LETTER) != 0:
                return _run(b, i, n, cls, LETTER)
            if (c & NUMBER) == 0 and cp != 10 and cp != 13 and i + w < n:
                c2, _ = _class_at(b, i + w, cls)
                if (c2 & LETTER) != 0:
                    return _run(b, i + w, n, cls, LETTER)
        if (c & NUMBER) != 0:
            j = i
            for _ in range(3):
                if j >= n:
                    break
                cj, wj = _class_at(b, j, cls)
                if (cj & NUMBER) == 0:
                    break
                j += wj
            return j
        j = i
        if cp == 32 and i + 1 < n:
            j = i + 1
        cj, _ = _class_at(b, j, cls)
        if (cj & (LETTER | NUMBER | SPACE)) == 0:
            j = _punct_run(b, j, n, cls)
            while j < n and (b[j] == 10 or b[j] == 13 or (grammar == O200K and b[j] == 47)):
                j += 1
            return j
    return _space_end(b, i, n, cls, grammar)


@leaf
def _space_end(b, i, n, cls, grammar):  # pragma: no cover - compiled
    """The whitespace alternatives, from ``i`` (a whitespace character)."""
    j = i
    last = i
    while j < n:
        c, w = _class_at(b, j, cls)
        if (c & SPACE) == 0:
            break
        last = j
        j += w
    if j == i:  # not whitespace: cannot happen for the four grammars; never loop forever
        _, w = decode_at(b, i)
        return i + w
    if j == n and (grammar == R50K or grammar == CL100K):  # \s++$
        return n
    if grammar != R50K:  # \s*[\r\n]+ : up to the last newline of the run
        p = j - 1
        while p >= i:
            if b[p] == 10 or b[p] == 13:
                return p + 1
            p -= 1
    if j < n and last > i:  # \s+(?!\S) leaves the last character for the next word
        return last
    return j  # one character (\s), or the whole run at the end of the text


@njit(cache=True, nogil=True)
def split_bounds(b, lo, hi, cls, grammar):  # pragma: no cover - compiled
    """Return int64[k+1], the boundaries of the k pieces of ``b[lo:hi]`` (absolute offsets)."""
    out = np.empty(hi - lo + 1, dtype=np.int64)
    k = 0
    out[0] = lo
    i = lo
    while i < hi:
        i = piece_end(b, i, hi, cls, grammar)
        k += 1
        out[k] = i
    return out[: k + 1].copy()
