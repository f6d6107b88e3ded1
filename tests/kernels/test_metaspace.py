"""The WhitespaceSplit + Metaspace kernel equals its twin on generated text, for every option."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from tests.kernels.strategies import SETTINGS
from tokvec.kernels import metaspace as kernel
from tokvec.reference import metaspace as twin
from tokvec.tokens.normalizers import hf_unicode as hu

PARTS = [" ", "  ", "\t", "\n", "\u3000", "\u00a0", "▁", "▁▁", "a", "Hello", "é", "日本", "x_y", "😀"]
texts = st.lists(st.one_of(st.sampled_from(PARTS), st.text(max_size=3)), max_size=8).map("".join)


@SETTINGS
@given(
    st.lists(texts, max_size=5), st.booleans(), st.sampled_from([0x2581, ord("_")]), st.integers(0, 2),
    st.booleans(), st.integers(0, 3),
)  # fmt: skip
def test_metaspace_kernel_equals_twin(
    segments: list[str], whitespace_split: bool, replacement: int, prepend: int, split_words: bool, shift: int
) -> None:
    cps = np.frombuffer("".join(segments).encode("utf-32-le", "surrogatepass"), dtype=np.uint32).copy()
    bounds = np.zeros(len(segments) + 1, dtype=np.int64)
    np.cumsum([len(s) for s in segments], out=bounds[1:])
    src = np.arange(len(cps), dtype=np.int64) * 2  # normalized characters need not map one to one
    text_start = src[np.minimum(bounds[:-1], max(len(cps) - 1, 0))] if len(cps) else bounds[:-1]
    text_start = text_start + (shift == 3)  # sometimes no segment starts its text
    args = (cps, src, bounds, text_start, hu.flags(), hu.WHITESPACE, whitespace_split, replacement, prepend,
            split_words)  # fmt: skip
    got, want = kernel.metaspace_pieces(*args), twin.metaspace_pieces(*args)
    for g, w in zip(got, want, strict=True):
        assert g.tolist() == w.tolist()
