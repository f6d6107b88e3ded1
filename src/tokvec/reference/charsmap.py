"""Twin of :mod:`tokvec.kernels.charsmap`: exact-key lookups tried at every length, and string rules.

>>> import numpy as np
>>> cps = np.frombuffer("a  b ".encode("utf-32-le"), dtype=np.uint32)
>>> empty = np.zeros(0, dtype=np.uint32)
>>> none = (np.full(32, -1, np.int64), empty, np.zeros(1, np.int64), 0)  # no user-defined symbols
>>> out, lo, hi = normalize(cps, empty, np.zeros(1, np.uint32), np.zeros(0, np.int64), *none, True, True, True, False)
>>> out.tobytes().decode("utf-32-le"), lo.tolist()
('▁a▁b', [0, 0, 1, 3])
"""

from __future__ import annotations

import numpy as np

from .cp_tables import cps_dict

SPACE, META = " ", "\u2581"


def _offset(u: int) -> int:
    return (u >> 10) << ((u & 512) >> 6)


def exact(units: np.ndarray, key: bytes) -> int | None:
    """Return the value of ``key`` in the double-array trie, or None (darts-clone's exactMatchSearch)."""
    if len(units) == 0:
        return None
    pos = 0
    unit = int(units[0])
    for c in key:
        pos ^= _offset(unit) ^ c
        if pos >= len(units):
            return None
        unit = int(units[pos])
        if unit & 0x800000FF != c:
            return None
    if not key or not (unit >> 8) & 1:
        return None
    leaf = pos ^ _offset(unit)
    return int(units[leaf]) & 0x7FFFFFFF if leaf < len(units) else None


def replacement(blob_cps: np.ndarray, blob_at: np.ndarray, value: int) -> str | None:
    """The NUL-terminated replacement at blob byte ``value``, or None if it is not a character start."""
    if not 0 <= value < len(blob_at) or blob_at[value] < 0:
        return None
    text = blob_cps[blob_at[value] :].tobytes().decode("utf-32-le")
    return text[: text.index("\0")]


def longest_match(units, cps, i, n):
    """Return (length, value) of the longest key among ``cps[i:i+L]`` for every L, or (0, -1)."""
    for length in range(n - i, 0, -1):
        value = exact(units, cps[i : i + length].tobytes().decode("utf-32-le").encode("utf-8", "surrogatepass"))
        if value is not None:
            return length, value
    return 0, -1


def normalize(
    cps, units, blob_cps, blob_at, user, user_cps, user_off, user_max, add_dummy_prefix, remove_extra, escape, suffix
):
    """Same signature and result as the kernel, with sentencepiece's steps on strings."""
    n = len(cps)
    text = cps.tobytes().decode("utf-32-le", "surrogatepass")
    symbols = {"".join(map(chr, k)) for k in cps_dict(user, user_cps, user_off)}
    # split into (replacement, start, end): a user-defined symbol (longest) as it is, else the
    # longest rule, else one character as it is
    parts: list[tuple[str, int, int]] = []
    i = 0
    while i < n:
        found = [s for s in symbols if text.startswith(s, i)]
        if found:
            best = max(found, key=len)
            parts.append((best, i, i + len(best)))
            i += len(best)
            continue
        length, value = longest_match(units, cps, i, n)
        rep = replacement(blob_cps, blob_at, value) if length else None
        if rep is None:
            parts.append((text[i], i, i + 1))
            i += 1
        else:
            parts.append((rep, i, i + length))
            i += length
    out: list[tuple[str, int, int]] = []
    k = 0
    if remove_extra:
        while k < len(parts) and parts[k][0] == SPACE:
            k += 1
        if k == len(parts):
            return _arrays([])
    if not parts:
        return _arrays([])
    sp = META if escape else SPACE
    start = parts[k][1] if k < len(parts) else n
    if add_dummy_prefix and not suffix:
        out.append((sp, start, start))
    prev_space = remove_extra
    for rep, a, z in parts[k:]:
        if prev_space:
            rep = rep.lstrip(SPACE)
        if rep:
            out.extend((sp if c == SPACE else c, a, z) for c in rep)
            prev_space = rep.endswith(SPACE)
        if not remove_extra:
            prev_space = False
    if remove_extra:
        while out and out[-1][0] == sp:
            out.pop()
    if add_dummy_prefix and suffix:
        out.append((sp, n, n))
    return _arrays(out)


def _arrays(out):
    cps = np.frombuffer("".join(c for c, _, _ in out).encode("utf-32-le", "surrogatepass"), dtype=np.uint32).copy()
    return cps, np.array([a for _, a, _ in out], dtype=np.int64), np.array([z for _, _, z in out], dtype=np.int64)


def first_match_each(cps, units, blob_cps, blob_at):
    """Same signature and result as the kernel: each character by the shortest key among its UTF-8 prefixes."""
    out: list[tuple[str, int]] = []
    for i, cp in enumerate(cps.tolist()):
        data = chr(cp).encode("utf-8", "surrogatepass")
        rep = None
        for length in range(1, len(data) + 1):
            if 0 in data[:length]:
                break
            value = exact(units, data[:length])
            if value is not None:
                rep = replacement(blob_cps, blob_at, value)
                break
        out.extend((c, i) for c in (chr(cp) if rep is None else rep))
    text = "".join(c for c, _ in out)
    arr = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).copy()
    return arr, np.array([i for _, i in out], dtype=np.int64)


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
):
    """Same as the kernel: :func:`normalize` on each text, results joined, with their bounds."""
    parts = [
        normalize(cps[bounds[d] : bounds[d + 1]], units, blob_cps, blob_at, user, user_cps, user_off, user_max,
                  add_dummy_prefix, remove_extra, escape, suffix)
        for d in range(len(bounds) - 1)
    ]  # fmt: skip
    out_bounds = np.zeros(len(parts) + 1, dtype=np.int64)
    np.cumsum([len(p[0]) for p in parts], out=out_bounds[1:])
    if not parts:
        return np.zeros(0, np.uint32), np.zeros(0, np.int64), np.zeros(0, np.int64), out_bounds
    return (
        np.concatenate([p[0] for p in parts]).astype(np.uint32),
        np.concatenate([p[1] for p in parts]).astype(np.int64),
        np.concatenate([p[2] for p in parts]).astype(np.int64),
        out_bounds,
    )
