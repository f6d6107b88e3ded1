"""The base of every decoder, and the clean-up of spaces before punctuation.

>>> cleanup("do n't stop .")
"don't stop."
"""

from __future__ import annotations

from typing import ClassVar


class Decoder:
    """The interface of every decoder: ``decode_chain`` (tokens -> tokens), ``decode`` (tokens -> text), JSON."""

    kind: ClassVar[str]

    def decode_chain(self, tokens: list[str]) -> list[str]:
        """Map the token strings to new ones (the next decoder of a chain reads them)."""
        raise NotImplementedError

    def decode(self, tokens: list[str]) -> str:
        """Return the text of ``tokens``."""
        return "".join(self.decode_chain(list(tokens)))


_CLEANUPS = ((" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"), (" 'm", "'m"),
             (" do not", " don't"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re"))  # fmt: skip


def cleanup(text: str) -> str:
    """Hugging Face's ``clean_up_tokenization``: no space before punctuation and contractions."""
    for a, b in _CLEANUPS:
        text = text.replace(a, b)
    return text
