"""Twin of :mod:`tokvec.kernels.wordpiece`, written plainly.

``build_trie`` lays out the same open-addressing table with Python integers, so its arrays equal
the kernel's word for word. ``encode_words`` does not walk the trie at all: it is WordPiece as
``tokenizers`` writes it, trying the longest substring first and shortening it one character at a
time, with the vocabulary read back out of the trie as a dictionary.
"""

from __future__ import annotations

import numpy as np

from .tables import _int64, mix

EMPTY = -1
CP_BITS = 21


def child(edges: np.ndarray, node: int, cp: int) -> int:
    """Return the child of ``node`` along ``cp``, or -1 (from a dictionary of the table's edges)."""
    return _edge_dict(edges).get((int(node) << CP_BITS) | int(cp), -1)


def _edge_dict(edges: np.ndarray) -> dict[int, int]:
    keys, values = edges[0::2].tolist(), edges[1::2].tolist()
    return {k: v for k, v in zip(keys, values, strict=True) if k != EMPTY}


def _insert(edges: list[int], nodes: int, cps, lo: int, hi: int) -> tuple[int, int]:
    mask = (len(edges) >> 1) - 1
    node = 0
    for i in range(lo, hi):
        key = _int64((node << CP_BITS) | int(cps[i]))
        s = mix(key) & mask
        while edges[2 * s] not in (EMPTY, key):
            s = (s + 1) & mask
        if edges[2 * s] == EMPTY:
            edges[2 * s] = key
            edges[2 * s + 1] = nodes
            nodes += 1
        node = edges[2 * s + 1]
    return node, nodes


def build_trie(tok_cps, tok_off, ids, prefix):
    """Same as the kernel: (edges int64[2 * 2^k], node_id int32[nodes], cont_root)."""
    total = len(tok_cps) + len(prefix)
    size = 16
    while size < 2 * total:
        size *= 2
    edges = [EMPTY] * (2 * size)
    node_id = [-1] * (total + 1)
    cont_root, nodes = _insert(edges, 1, prefix, 0, len(prefix))
    for t in range(len(tok_off) - 1):
        lo, hi = int(tok_off[t]), int(tok_off[t + 1])
        if hi > lo:
            node, nodes = _insert(edges, nodes, tok_cps, lo, hi)
            if node_id[node] < 0:
                node_id[node] = int(ids[t])
    return np.array(edges, dtype=np.int64), np.array(node_id[:nodes], dtype=np.int32), cont_root


def _vocabulary(edges: np.ndarray, node_id: np.ndarray) -> dict[tuple[int, ...], int]:
    """Read every token (as a tuple of code points) and its id back out of the trie."""
    children: dict[int, list[tuple[int, int]]] = {}
    for key, child_node in _edge_dict(edges).items():
        children.setdefault(key >> CP_BITS, []).append((key & ((1 << CP_BITS) - 1), child_node))
    vocab: dict[tuple[int, ...], int] = {}
    stack: list[tuple[int, tuple[int, ...]]] = [(0, ())]
    while stack:
        node, path = stack.pop()
        if node_id[node] >= 0:
            vocab[path] = int(node_id[node])
        stack.extend((c, (*path, cp)) for cp, c in children.get(node, []))
    return vocab


def _path_to(edges: np.ndarray, node: int) -> tuple[int, ...]:
    parent = {v: (k >> CP_BITS, k & ((1 << CP_BITS) - 1)) for k, v in _edge_dict(edges).items()}
    path: list[int] = []
    while node != 0:
        node, cp = parent[node]
        path.append(cp)
    return tuple(reversed(path))


def encode_words(edges, node_id, cont_root, unk_id, max_chars, cps, bounds):
    """Same as the kernel: (ids int32[T], starts int64[T], ends int64[T])."""
    vocab = _vocabulary(edges, node_id)
    prefix = _path_to(edges, int(cont_root))
    ids: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    for w in range(len(bounds) - 1):
        lo, hi = int(bounds[w]), int(bounds[w + 1])
        if hi <= lo:
            continue
        word = tuple(int(c) for c in cps[lo:hi])
        pieces: list[tuple[int, int, int]] | None = [] if hi - lo <= max_chars else None
        start = 0
        while pieces is not None and start < len(word):
            for end in range(len(word), start, -1):
                key = word[start:end] if start == 0 else prefix + word[start:end]
                if key in vocab:
                    pieces.append((vocab[key], lo + start, lo + end))
                    start = end
                    break
            else:
                pieces = None
        for i, s, e in pieces if pieces is not None else [(unk_id, lo, hi)]:
            ids.append(i)
            starts.append(s)
            ends.append(e)
    return np.array(ids, dtype=np.int32), np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64)
