"""Twin of :mod:`tokvec.kernels.metaspace`, written plainly: units, then pieces, as lists.

>>> import numpy as np
>>> from tokvec.tokens.normalizers import hf_unicode as hu
>>> cps = np.frombuffer(" Hi  you".encode("utf-32-le"), dtype=np.uint32)
>>> out = metaspace_pieces(cps, np.arange(8), np.array([0, 8]), np.array([0]), hu.flags(), hu.WHITESPACE,
...                        True, 0x2581, 1, True)
>>> out[0].tobytes().decode("utf-32-le"), out[2].tolist(), out[1].tolist()
('▁Hi▁you', [0, 3, 7], [1, 1, 2, 5, 5, 6, 7])
"""

from __future__ import annotations

import numpy as np


def metaspace_pieces(
    ncps, nsrc, seg_bounds, text_start, flags, whitespace_bit, whitespace_split, replacement, prepend, split_words
):
    """Same as the kernel: (pcps uint32[M], psrc int64[M], piece_bounds int64[P+1], seg_pieces int64[S+1])."""
    pieces: list[list[tuple[int, int]]] = []  # each piece: (code point, source position)
    seg_pieces = []
    for s in range(len(seg_bounds) - 1):
        seg_pieces.append(len(pieces))
        chars = [(int(ncps[i]), int(nsrc[i])) for i in range(int(seg_bounds[s]), int(seg_bounds[s + 1]))]
        units: list[list[tuple[int, int]]] = []
        if whitespace_split:
            run: list[tuple[int, int]] = []
            for c, src in chars:
                if flags[c] & whitespace_bit:
                    if run:
                        units.append(run)
                    run = []
                else:
                    run.append((c, src))
            if run:
                units.append(run)
        elif chars:
            units.append(chars)
        for unit in units:
            unit = [(replacement if c == 32 else c, src) for c, src in unit]
            if unit[0][0] != replacement and (prepend == 1 or (prepend == 2 and unit[0][1] == text_start[s])):
                unit = [(replacement, unit[0][1]), *unit]
            if not split_words:
                pieces.append(unit)
                continue
            current: list[tuple[int, int]] = []
            for c, src in unit:
                if c == replacement and current:
                    pieces.append(current)
                    current = []
                current.append((c, src))
            pieces.append(current)
    seg_pieces.append(len(pieces))
    flat = [x for piece in pieces for x in piece]
    bounds = np.zeros(len(pieces) + 1, dtype=np.int64)
    np.cumsum([len(piece) for piece in pieces], out=bounds[1:])
    return (
        np.array([c for c, _ in flat], dtype=np.uint32),
        np.array([src for _, src in flat], dtype=np.int64),
        bounds,
        np.array(seg_pieces, dtype=np.int64),
    )
