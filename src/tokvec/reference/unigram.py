"""Twin of :mod:`tokvec.kernels.unigram`: the Viterbi recurrence over a dictionary of pieces.

>>> import numpy as np
>>> pieces = {(97,): 1, (98,): 2, (97, 98): 3}
>>> scores = np.array([0.0, -1.0, -1.0, -1.5])
>>> best_segmentation([97, 98], pieces, scores, unk_id=0, unk_score=-20.0, f32=False)
[(3, 0, 2)]
"""

from __future__ import annotations

import numpy as np

from .tables import pair_dict


def trie_pieces(trie: np.ndarray, node_ids: np.ndarray) -> dict[tuple[int, ...], int]:
    """Read the code-point trie back as ``{piece code points: id}``."""
    children: dict[int, list[tuple[int, int]]] = {}
    for (node, cp), (_, child) in pair_dict(trie).items():
        children.setdefault(node, []).append((cp, child))
    out: dict[tuple[int, ...], int] = {}
    stack: list[tuple[int, tuple[int, ...]]] = [(0, ())]
    while stack:
        node, path = stack.pop()
        if node_ids[node] >= 0:
            out[path] = int(node_ids[node])
        stack.extend((child, (*path, cp)) for cp, child in children.get(node, []))
    return out


def best_segmentation(word, pieces, scores, *, unk_id, unk_score, f32):
    """Return (id, start, end) of the best path over ``word`` (code points), before unknowns fuse.

    best[e] is the best score of a path over word[:e]; pieces are tried by start, then by length,
    and only a strictly better score replaces a path (so the earliest start wins a tie).
    """
    n = len(word)
    longest = max((len(p) for p in pieces), default=0)
    best: list[float | None] = [0.0] + [None] * n
    back: list[tuple[int, int] | None] = [None] * (n + 1)

    def add(a, b):
        return float(np.float32(np.float32(a) + np.float32(b))) if f32 else a + b

    for s in range(n):
        single = False
        for length in range(1, min(longest, n - s) + 1):
            pid = pieces.get(tuple(word[s : s + length]))
            if pid is None:
                continue
            single = single or length == 1
            cand = add(float(scores[pid]), best[s])
            if best[s + length] is None or cand > best[s + length]:
                best[s + length], back[s + length] = cand, (s, pid)
        if not single:
            cand = add(unk_score, best[s])
            if best[s + 1] is None or cand > best[s + 1]:
                best[s + 1], back[s + 1] = cand, (s, unk_id)
    path = []
    e = n
    while e > 0:
        s, pid = back[e]
        path.append((pid, s, e))
        e = s
    return path[::-1]


def viterbi(cps, bounds, trie, node_ids, scores, unk_id, unk_score, fuse_unk, byte_ids, f32):
    """Same signature and result as the kernel."""
    pieces = trie_pieces(trie, node_ids)
    out: list[tuple[int, int, int]] = []
    for p in range(len(bounds) - 1):
        lo, hi = int(bounds[p]), int(bounds[p + 1])
        word = [int(c) for c in cps[lo:hi]]
        mine: list[tuple[int, int, int]] = []
        runs: list[list[int]] = []  # unknown runs [start, end], fused when fuse_unk
        path = best_segmentation(word, pieces, scores, unk_id=unk_id, unk_score=unk_score, f32=f32)
        for pid, s, e in path:
            if pid == unk_id:
                if fuse_unk and mine and mine[-1] == (-1, -1, len(runs) - 1) and runs[-1][1] == s + lo:
                    runs[-1][1] = e + lo
                else:
                    runs.append([s + lo, e + lo])
                    mine.append((-1, -1, len(runs) - 1))
            else:
                mine.append((pid, s + lo, e + lo))
        for item in mine:
            if item[0] != -1:
                out.append(item)
                continue
            a, z = runs[item[2]]
            data = [(x, c) for c in range(a, z) for x in chr(int(cps[c])).encode("utf-8", "surrogatepass")]
            if byte_ids[0] != -2 and all(byte_ids[x] >= 0 for x, _ in data):
                out.extend((int(byte_ids[x]), c, c + 1) for x, c in data)
            else:
                out.append((unk_id, a, z))
    ids = np.array([t[0] for t in out], dtype=np.int32)
    return ids, np.array([t[1] for t in out], dtype=np.int64), np.array([t[2] for t in out], dtype=np.int64)
