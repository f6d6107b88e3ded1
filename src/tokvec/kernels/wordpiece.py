"""WordPiece: greedy longest-match-first over a trie of the vocabulary's code points.

The trie's edges live in one open-addressing table ``edges``: int64[2 * size] (size a power of two,
at most half full); slot s holds ``edges[2s]`` = ``node << 21 | code point`` (-1 when empty) and
``edges[2s+1]`` = the child node. ``node_id``: int32[nodes] is the token id that ends at a node, or -1.
Node 0 is the root; the continuing-subword prefix (``##``) is a path from the root whose end node
``cont_root`` starts every match after the first piece of a word, so both kinds of token share
one trie.

Performance notes: a trie walk reads each character once and stops at the first missing edge;
looking substrings up from the longest down (as ``tokenizers`` does) hashes up to 100 candidates
per piece of a long word. Key and child side by side keep a probe on one cache line.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .tables import mix

EMPTY = -1
CP_BITS = 21


@njit(cache=True, nogil=True, inline="always")
def child(edges, node, cp):  # pragma: no cover - compiled
    """Return the child of ``node`` along code point ``cp``, or -1 (edges: int64[2 * 2^k])."""
    key = (np.int64(node) << CP_BITS) | np.int64(cp)
    mask = (len(edges) >> 1) - 1
    s = mix(key) & mask
    while True:
        k = edges[2 * s]
        if k == key:
            return edges[2 * s + 1]
        if k == EMPTY:
            return -1
        s = (s + 1) & mask


@njit(cache=True, inline="always")
def _insert(edges, nodes, cps, lo, hi):  # pragma: no cover - compiled
    """Walk ``cps[lo:hi]`` from the root, adding missing edges; return (end node, node count)."""
    mask = (len(edges) >> 1) - 1
    node = np.int64(0)
    for i in range(lo, hi):
        key = (node << CP_BITS) | np.int64(cps[i])
        s = mix(key) & mask
        while edges[2 * s] != EMPTY and edges[2 * s] != key:
            s = (s + 1) & mask
        if edges[2 * s] == EMPTY:
            edges[2 * s] = key
            edges[2 * s + 1] = nodes
            nodes += 1
        node = edges[2 * s + 1]
    return node, nodes


@njit(cache=True)
def build_trie(tok_cps, tok_off, ids, prefix):  # pragma: no cover - compiled
    """Build the trie of the tokens ``tok_cps[tok_off[t]:tok_off[t+1]]`` with ids ``ids[t]``.

    tok_cps: uint32[total]; tok_off: int64[T+1]; ids: int32[T]; prefix: uint32[p] (the continuing
    prefix, inserted first). A token keeps the first id given to it; empty tokens are skipped.
    Returns (edges int64[2 * 2^k], node_id int32[nodes], cont_root int64).
    """
    total = len(tok_cps) + len(prefix)
    size = 16
    while size < 2 * total:
        size *= 2
    edges = np.full(2 * size, EMPTY, dtype=np.int64)
    node_id = np.full(total + 1, -1, dtype=np.int32)
    cont_root, nodes = _insert(edges, np.int64(1), prefix, 0, len(prefix))
    for t in range(len(tok_off) - 1):
        lo, hi = tok_off[t], tok_off[t + 1]
        if hi > lo:
            node, nodes = _insert(edges, nodes, tok_cps, lo, hi)
            if node_id[node] < 0:
                node_id[node] = ids[t]
    return edges, node_id[:nodes].copy(), cont_root


@njit(cache=True, nogil=True)
def word_tokens(edges, node_id, cont_root, cps, lo, hi, out_ids, out_starts, out_ends, t):  # pragma: no cover
    """Greedy longest match of the word ``cps[lo:hi]``; write its tokens at ``out_*[t:]``.

    Returns the new ``t``, or ``-1 - t`` when some position has no token (the caller emits the
    unknown token for the whole word instead).
    """
    start = lo
    t0 = t
    while start < hi:
        node = np.int64(0) if start == lo else np.int64(cont_root)
        best_end = -1
        best_id = -1
        i = start
        while i < hi:
            node = child(edges, node, cps[i])
            if node < 0:
                break
            i += 1
            if node_id[node] >= 0:
                best_end = i
                best_id = node_id[node]
        if best_end < 0:
            return -1 - t0
        out_ids[t] = best_id
        out_starts[t] = start
        out_ends[t] = best_end
        t += 1
        start = best_end
    return t


@njit(cache=True, nogil=True)
def encode_words(edges, node_id, cont_root, unk_id, max_chars, cps, bounds):  # pragma: no cover - compiled
    """WordPiece every word ``cps[bounds[w]:bounds[w+1]]`` (cps: uint32[N], bounds: int64[W+1]).

    A word longer than ``max_chars`` code points, or with a position that no token matches, becomes
    one ``unk_id`` token spanning it (``unk_id`` -1 when the vocabulary lacks it: the caller raises).
    Returns (ids int32[T], starts int64[T], ends int64[T]) in positions of ``cps``.
    """
    n = len(cps)
    ids = np.empty(n, dtype=np.int32)
    starts = np.empty(n, dtype=np.int64)
    ends = np.empty(n, dtype=np.int64)
    t = 0
    for w in range(len(bounds) - 1):
        lo, hi = bounds[w], bounds[w + 1]
        if hi <= lo:
            continue
        r = -1 - t
        if hi - lo <= max_chars:
            r = word_tokens(edges, node_id, cont_root, cps, lo, hi, ids, starts, ends, t)
        if r < 0:
            t = -1 - r
            ids[t] = unk_id
            starts[t] = lo
            ends[t] = hi
            t += 1
        else:
            t = r
    return ids[:t].copy(), starts[:t].copy(), ends[:t].copy()
