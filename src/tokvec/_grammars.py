"""The four split grammars that the pre-tokenizer kernel implements: their ids and their regexes.

This is the spec that both :mod:`tokvec.kernels.pretokenize` (a hand-written scanner, chosen by id) and its
twin :mod:`tokvec.reference.pretokenize` (the regexes, run by the ``regex`` module) follow; it sits below both
so that the twin need not import the kernel, nor the tokenizer pipeline, to know what it checks.
The patterns are the possessive forms of tiktoken's current ones (r50k/p50k, cl100k, o200k, Llama-3).

>>> PATTERNS[CL100K] == CL100K_PATTERN
True
"""

from __future__ import annotations

# grammar ids (the kernel's ``grammar`` argument)
R50K = 0
CL100K = 1
O200K = 2
LLAMA3 = 3

R50K_PATTERN = r"""'(?:[sdmt]|ll|ve|re)| ?\p{L}++| ?\p{N}++| ?[^\s\p{L}\p{N}]++|\s++$|\s+(?!\S)|\s"""
CL100K_PATTERN = (
    r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+"""
    r"""|\s++$|\s*[\r\n]|\s+(?!\S)|\s"""
)
O200K_PATTERN = "|".join(
    [
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""\p{N}{1,3}""",
        r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""",
        r"""\s*[\r\n]+""",
        r"""\s+(?!\S)""",
        r"""\s+""",
    ]
)
LLAMA3_PATTERN = (
    r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*"""
    r"""|\s*[\r\n]+|\s+(?!\S)|\s+"""
)

PATTERNS = {R50K: R50K_PATTERN, CL100K: CL100K_PATTERN, O200K: O200K_PATTERN, LLAMA3: LLAMA3_PATTERN}
