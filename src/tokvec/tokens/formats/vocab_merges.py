"""GPT-2 style ``vocab.json`` + ``merges.txt`` (byte-level spelled tokens)."""

from __future__ import annotations

import json
import os

from ...errors import FormatError, TokvecFileError
from ..byte_level import str_to_bytes


def load_vocab_merges(
    vocab_path: str | os.PathLike[str], merges_path: str | os.PathLike[str]
) -> tuple[dict[bytes, int], list[tuple[bytes, bytes]]]:
    """Read ``vocab.json`` and ``merges.txt``; return byte-string vocab and merges."""
    vname, mname = os.fspath(vocab_path), os.fspath(merges_path)
    try:
        with open(vname, encoding="utf-8") as f:
            raw = json.load(f)
    except OSError as e:
        raise TokvecFileError(f"cannot read {vname}: {e.strerror}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise FormatError(f"{vname}: not a JSON vocabulary ({e}). Is this vocab.json?") from None
    if not isinstance(raw, dict) or not all(isinstance(v, int) for v in raw.values()):
        raise FormatError(f"{vname}: expected a JSON object of token -> id")
    vocab = {str_to_bytes(t, where=vname): i for t, i in raw.items()}
    merges: list[tuple[bytes, bytes]] = []
    try:
        with open(mname, encoding="utf-8") as f:
            for lineno, line in enumerate(f, 1):
                line = line.rstrip("\r\n")
                if (lineno == 1 and line.startswith("#version")) or not line:
                    continue
                parts = line.split(" ")
                if len(parts) != 2 or not parts[0] or not parts[1]:
                    raise FormatError(
                        f"{mname} line {lineno}: expected two tokens separated by one space, got {line[:60]!r}."
                        " Is this a merges file?"
                    )
                where = f"{mname} line {lineno}"
                merges.append((str_to_bytes(parts[0], where=where), str_to_bytes(parts[1], where=where)))
    except OSError as e:
        raise TokvecFileError(f"cannot read {mname}: {e.strerror}") from None
    except UnicodeDecodeError:
        raise FormatError(f"{mname}: not UTF-8 text. Is this a merges file?") from None
    return vocab, merges
