"""Split patterns: the regexes that cut text into pieces before BPE.

The four patterns of GPT-2 (r50k/p50k), cl100k, o200k and Llama-3 run as a numba scanner
(:mod:`tokvec.kernels.pretokenize`); any other regex runs with the ``regex`` module, slower but
with the same semantics.

>>> SplitPattern.named("cl100k").split("Hello world's 12345")
['Hello', ' world', "'s", ' ', '123', '45']
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..._grammars import CL100K_PATTERN as CL100K_PATTERN
from ..._grammars import LLAMA3_PATTERN as LLAMA3_PATTERN
from ..._grammars import O200K_PATTERN as O200K_PATTERN
from ..._grammars import R50K_PATTERN as R50K_PATTERN
from ...errors import FormatError, UnknownNameError
from ...kernels import pretokenize as kp

# The GPT-2 paper's pattern, as Hugging Face's ByteLevel pre-tokenizer and older tiktoken write it.
GPT2_PATTERN = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""

NAMED = {"r50k": kp.R50K, "cl100k": kp.CL100K, "o200k": kp.O200K, "llama3": kp.LLAMA3}
_REGEX_OF = {
    R50K_PATTERN: kp.R50K,
    GPT2_PATTERN: kp.R50K,
    CL100K_PATTERN: kp.CL100K,
    O200K_PATTERN: kp.O200K,
    LLAMA3_PATTERN: kp.LLAMA3,
}
_CANONICAL = {kp.R50K: R50K_PATTERN, kp.CL100K: CL100K_PATTERN, kp.O200K: O200K_PATTERN, kp.LLAMA3: LLAMA3_PATTERN}


@dataclass(frozen=True)
class SplitPattern:
    """A pre-tokenizer regex; ``grammar`` >= 0 when the numba scanner implements it exactly."""

    regex: str
    grammar: int = -1

    def __post_init__(self) -> None:
        if self.grammar < 0 and self.regex in _REGEX_OF:
            object.__setattr__(self, "grammar", _REGEX_OF[self.regex])
        if self.grammar < 0:
            self.compiled()  # fail early on a bad regex

    @classmethod
    def named(cls, name: str) -> SplitPattern:
        """Return the pattern called ``name`` (r50k, cl100k, o200k, llama3), or wrap a regex."""
        if name in NAMED:
            return cls(_CANONICAL[NAMED[name]], NAMED[name])
        if any(ch in name for ch in "\\[](|"):
            return cls(name)
        raise UnknownNameError(f"unknown split pattern {name!r}: use one of {', '.join(NAMED)} or a regex")

    @property
    def name(self) -> str:
        """The short name (r50k, cl100k, o200k, llama3) or ``custom``."""
        return {v: k for k, v in NAMED.items()}.get(self.grammar, "custom")

    def compiled(self):  # -> regex.Pattern
        """Compile the regex with the ``regex`` module (for custom patterns and tests)."""
        import regex

        try:
            return regex.compile(self.regex)
        except regex.error as e:
            raise FormatError(f"split pattern {self.regex!r} is not a valid regex: {e}") from None

    def bounds(self, data: bytes | np.ndarray, text: str | None = None) -> np.ndarray:
        """Return int64 piece boundaries (byte offsets) of UTF-8 ``data``."""
        buf = np.frombuffer(data, dtype=np.uint8) if isinstance(data, bytes) else data
        if self.grammar >= 0:
            from ..unicode import class_table

            return kp.split_bounds(buf, 0, len(buf), class_table(), self.grammar)
        if text is None:
            text = bytes(buf).decode("utf-8")
        return regex_bounds(self.compiled(), text)

    def split(self, text: str) -> list[str]:
        """Split ``text`` into pieces (a convenience for people; the encoder uses ``bounds``)."""
        data = text.encode("utf-8", "surrogatepass")
        b = self.bounds(data, text)
        return [data[b[k] : b[k + 1]].decode("utf-8", "surrogatepass") for k in range(len(b) - 1)]


def regex_bounds(compiled, text: str) -> np.ndarray:
    """Piece boundaries (byte offsets) from regex matches; unmatched text becomes its own piece.

    subtle: tiktoken drops text that no alternative matches; we keep it as a piece so that
    nothing is lost (the four built-in patterns match everywhere, so they are unaffected).
    """
    out = [0]
    pos_chars = 0
    pos_bytes = 0
    for m in compiled.finditer(text):
        if m.start() > pos_chars:
            pos_bytes += len(text[pos_chars : m.start()].encode("utf-8", "surrogatepass"))
            out.append(pos_bytes)
        if m.end() > m.start():
            pos_bytes += len(m.group().encode("utf-8", "surrogatepass"))
            out.append(pos_bytes)
        pos_chars = m.end()
    if pos_chars < len(text):
        pos_bytes += len(text[pos_chars:].encode("utf-8", "surrogatepass"))
        out.append(pos_bytes)
    return np.array(out, dtype=np.int64)
