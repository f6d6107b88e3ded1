"""Errors raised by tokvec: each one says what went wrong, where, and how to fix it.

Every error is a :class:`TokvecError` and also the builtin that fits, so
``except ValueError`` keeps working for callers that do not know tokvec.

>>> try:
...     raise FormatError("merges.txt line 3: expected two tokens")
... except ValueError as e:
...     print(e)
merges.txt line 3: expected two tokens
"""

from __future__ import annotations


class TokvecError(Exception):
    """Base class of every error tokvec raises on purpose."""


class FormatError(TokvecError, ValueError):
    """A file or string is not in the format it claims to be."""


class ConfigError(TokvecError, ValueError):
    """An option is out of range or does not fit the others (a training config, a recommender, padding or
    truncation); the message names the option and its valid values. The one error for bad options."""


class SpecialTokenError(TokvecError, ValueError):
    """Text contains a special token that the caller did not allow.

    ``token`` and ``position`` (a character index) say which and where, when the error is about text.
    """

    def __init__(self, message: str, *, token: str | None = None, position: int | None = None) -> None:
        super().__init__(message)
        self.token = token
        self.position = position


class UnknownNameError(TokvecError, KeyError):
    """A name (preset, pattern, token) is not known; the message lists the valid ones."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class UnknownTokenError(TokvecError, KeyError):
    """A token id or string is not in the vocabulary."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class UnknownKeyError(UnknownTokenError):
    """A key is not in the vectors; the message suggests close keys."""


class TokvecFileError(TokvecError, OSError):
    """A file cannot be read or written."""


class InputTypeError(TokvecError, TypeError):
    """An argument has the wrong type (bytes where text is expected, a float where a token id is)."""


class TokenIdOverflowError(UnknownTokenError, OverflowError):
    """A token id is negative or does not fit in 32 bits (also a KeyError, like every unknown id)."""


class UnknownEncodingError(UnknownNameError, ValueError):
    """An encoding name is not known: a KeyError like every unknown name, and the ValueError that tiktoken raises."""


class ModelMismatchError(TokvecError, ValueError):
    """Vectors made by one model are queried or extended with another (a search index, a cache)."""


class CliError(TokvecError):
    """A problem with what the user asked for, reported as ``tokvec: error: ...`` (exit status 1)."""


class ClusterError(TokvecError, RuntimeError):
    """The cluster cannot be reached or started, or Dask is not installed."""


class MovedError(TokvecError, AttributeError):
    """A method or name that moved elsewhere; the message names the new place."""


class TokvecWarning(UserWarning):
    """Something tokvec worked around (bad bytes read as U+FFFD, a file with a harmless flaw); the CLI prints it as
    ``tokvec: warning: ...``."""


class FormatWarning(TokvecWarning):
    """A file was read, but part of it was not as its format says (the message names the line and what was done)."""


class TruncationWarning(UserWarning):
    """Some texts were longer than the model's ``max_seq_length`` and were cut (``long="truncate"``)."""
