"""Decoders: turn a list of token strings back into text, as Hugging Face's decoders do.

Each decoder maps the list of tokens to a new list (``decode_chain``); the text is the join of the
last list. ``DECODERS`` maps the ``tokenizer.json`` type to the class.

>>> WordPiece().decode(["un", "##believ", "##able", "!"])
'unbelievable!'
>>> Sequence((Replace("▁", " "), ByteFallback(), Fuse(), Strip(" ", 1, 0))).decode(["▁Hi", "<0x21>"])
'Hi!'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from ..errors import FormatError
from .byte_level import char_to_byte


class _Decoder:
    kind: ClassVar[str]

    def decode_chain(self, tokens: list[str]) -> list[str]:
        raise NotImplementedError

    def decode(self, tokens: list[str]) -> str:
        """Return the text of ``tokens``."""
        return "".join(self.decode_chain(list(tokens)))


@dataclass(frozen=True)
class ByteLevel(_Decoder):
    """Map GPT-2's byte characters back to bytes, then UTF-8 (invalid bytes become U+FFFD)."""

    add_prefix_space: bool = True
    trim_offsets: bool = True
    use_regex: bool = True
    kind: ClassVar[str] = "ByteLevel"

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> ByteLevel:
        """Read the HF object."""
        return cls(bool(obj.get("add_prefix_space", True)), bool(obj.get("trim_offsets", True)),
                   bool(obj.get("use_regex", True)))  # fmt: skip

    def to_json(self) -> dict[str, Any]:
        """Write the HF object."""
        return {"type": self.kind, "add_prefix_space": self.add_prefix_space, "trim_offsets": self.trim_offsets,
                "use_regex": self.use_regex}  # fmt: skip

    def decode_chain(self, tokens: list[str]) -> list[str]:
        """All tokens to one string."""
        table = char_to_byte()
        out = bytearray()
        for t in tokens:
            try:
                out.extend(table[c] for c in t)
            except KeyError:  # subtle: a token with a character outside the byte alphabet goes in as UTF-8
                out.extend(t.encode("utf-8", "surrogatepass"))
        return [out.decode("utf-8", "replace")]


_CLEANUPS = ((" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"), (" 'm", "'m"),
             (" do not", " don't"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re"))  # fmt: skip


def cleanup(text: str) -> str:
    """Hugging Face's ``clean_up_tokenization``: no space before punctuation and contractions."""
    for a, b in _CLEANUPS:
        text = text.replace(a, b)
    return text


@dataclass(frozen=True)
class WordPiece(_Decoder):
    """Join WordPiece tokens: ``prefix`` glues to the previous token, others get a space."""

    prefix: str = "##"
    cleanup: bool = True
    kind: ClassVar[str] = "WordPiece"

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> WordPiece:
        """Read the HF object."""
        return cls(obj.get("prefix", "##"), bool(obj.get("cleanup", True)))

    def to_json(self) -> dict[str, Any]:
        """Write the HF object."""
        return {"type": self.kind, "prefix": self.prefix, "cleanup": self.cleanup}

    def decode_chain(self, tokens: list[str]) -> list[str]:
        """Strip prefixes, add spaces."""
        out = []
        for i, t in enumerate(tokens):
            if i:
                t = t.replace(self.prefix, "", 1) if t.startswith(self.prefix) else " " + t
            out.append(cleanup(t) if self.cleanup else t)
        return out


@dataclass(frozen=True)
class Metaspace(_Decoder):
    """Turn ``replacement`` (▁) back into spaces; the first token loses it unless prepend_scheme is never."""

    replacement: str = "▁"
    prepend_scheme: str = "always"
    split: bool = True
    kind: ClassVar[str] = "Metaspace"

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Metaspace:
        """Read the HF object (old files say add_prefix_space instead of prepend_scheme)."""
        scheme = obj.get("prepend_scheme")
        if scheme is None:
            scheme = "always" if obj.get("add_prefix_space", True) else "never"
        return cls(obj.get("replacement", "▁"), scheme, bool(obj.get("split", True)))

    def to_json(self) -> dict[str, Any]:
        """Write the HF object."""
        return {"type": self.kind, "replacement": self.replacement, "prepend_scheme": self.prepend_scheme,
                "split": self.split}  # fmt: skip

    def decode_chain(self, tokens: list[str]) -> list[str]:
        """Replace ▁ by spaces."""
        out = []
        for i, t in enumerate(tokens):
            if i == 0 and self.prepend_scheme != "never":
                t = t.replace(self.replacement, " ")
                t = t[1:] if t.startswith(" ") else t
            else:
                t = t.replace(self.replacement, " ")
            out.append(t)
        return out


@dataclass(frozen=True)
class ByteFallback(_Decoder):
    """Turn runs of ``<0xAB>`` tokens into the text their bytes spell (U+FFFD per byte if not UTF-8)."""

    kind: ClassVar[str] = "ByteFallback"

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> ByteFallback:
        """Read the HF object."""
        return cls()

    def to_json(self) -> dict[str, Any]:
        """Write the HF object."""
        return {"type": self.kind}

    def decode_chain(self, tokens: list[str]) -> list[str]:
        """Gather byte tokens."""
        out: list[str] = []
        run = bytearray()

        def flush() -> None:
            if run:
                try:
                    out.append(run.decode("utf-8"))
                except UnicodeDecodeError:
                    out.extend(["\ufffd"] * len(run))
                run.clear()

        for t in tokens:
            if len(t) == 6 and t.startswith("<0x") and t.endswith(">"):
                try:
                    run.append(int(t[3:5], 16))
                    continue
                except ValueError:
                    pass
            flush()
            out.append(t)
        flush()
        return out


@dataclass(frozen=True)
class Fuse(_Decoder):
    """Join all tokens into one."""

    kind: ClassVar[str] = "Fuse"

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Fuse:
        """Read the HF object."""
        return cls()

    def to_json(self) -> dict[str, Any]:
        """Write the HF object."""
        return {"type": self.kind}

    def decode_chain(self, tokens: list[str]) -> list[str]:
        """One string."""
        return ["".join(tokens)]


@dataclass(frozen=True)
class Strip(_Decoder):
    """Remove up to ``start`` leading and ``stop`` trailing ``content`` characters of each token."""

    content: str = " "
    start: int = 0
    stop: int = 0
    kind: ClassVar[str] = "Strip"

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Strip:
        """Read the HF object."""
        return cls(obj.get("content", " "), int(obj.get("start", 0)), int(obj.get("stop", 0)))

    def to_json(self) -> dict[str, Any]:
        """Write the HF object."""
        return {"type": self.kind, "content": self.content, "start": self.start, "stop": self.stop}

    def decode_chain(self, tokens: list[str]) -> list[str]:
        """Strip each token."""
        out = []
        for t in tokens:
            a = 0
            while a < min(self.start, len(t)) and t[a] == self.content:
                a += 1
            b = len(t)
            while len(t) - b < self.stop and b > a and t[b - 1] == self.content:
                b -= 1
            out.append(t[a:b])
        return out


@dataclass(frozen=True)
class Replace(_Decoder):
    """Replace ``pattern`` (a string, or a regex when ``regex`` is true) by ``content`` in each token."""

    pattern: str
    content: str
    regex: bool = False
    kind: ClassVar[str] = "Replace"

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Replace:
        """Read the HF object."""
        pat = obj.get("pattern") or {}
        if "String" in pat:
            return cls(pat["String"], obj.get("content", ""))
        if "Regex" in pat:
            return cls(pat["Regex"], obj.get("content", ""), regex=True)
        raise FormatError(f"Replace decoder: pattern must be {{'String': ...}} or {{'Regex': ...}}, got {pat!r}")

    def to_json(self) -> dict[str, Any]:
        """Write the HF object."""
        return {"type": self.kind, "pattern": {"Regex" if self.regex else "String": self.pattern},
                "content": self.content}  # fmt: skip

    def decode_chain(self, tokens: list[str]) -> list[str]:
        """Replace in each token."""
        if not self.regex:
            return [t.replace(self.pattern, self.content) for t in tokens]
        import regex

        compiled = regex.compile(self.pattern)
        return [compiled.sub(lambda _m: self.content, t) for t in tokens]


@dataclass(frozen=True)
class BPEDecoder(_Decoder):
    """End-of-word ``suffix`` (``</w>``) becomes a space, nothing after the last token."""

    suffix: str = "</w>"
    kind: ClassVar[str] = "BPEDecoder"

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> BPEDecoder:
        """Read the HF object."""
        return cls(obj.get("suffix", "</w>"))

    def to_json(self) -> dict[str, Any]:
        """Write the HF object."""
        return {"type": self.kind, "suffix": self.suffix}

    def decode_chain(self, tokens: list[str]) -> list[str]:
        """Replace suffixes."""
        n = len(tokens) - 1
        return [t.replace(self.suffix, "" if i == n else " ") for i, t in enumerate(tokens)]


@dataclass(frozen=True)
class CTC(_Decoder):
    """CTC output: drop repeats and ``pad_token``, ``word_delimiter_token`` becomes a space."""

    pad_token: str = "<pad>"
    word_delimiter_token: str = "|"
    cleanup: bool = True
    kind: ClassVar[str] = "CTC"

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> CTC:
        """Read the HF object."""
        return cls(obj.get("pad_token", "<pad>"), obj.get("word_delimiter_token", "|"), bool(obj.get("cleanup", True)))

    def to_json(self) -> dict[str, Any]:
        """Write the HF object."""
        return {"type": self.kind, "pad_token": self.pad_token, "word_delimiter_token": self.word_delimiter_token,
                "cleanup": self.cleanup}  # fmt: skip

    def decode_chain(self, tokens: list[str]) -> list[str]:
        """Deduplicate and clean."""
        out = []
        for i, t in enumerate(tokens):
            if i and t == tokens[i - 1]:
                continue
            t = t.replace(self.pad_token, "")
            if self.cleanup:
                t = cleanup(t).replace(self.word_delimiter_token, " ")
            if t:
                out.append(t)
        return out


@dataclass(frozen=True)
class Sequence(_Decoder):
    """Run decoders one after the other."""

    decoders: tuple[Any, ...]
    kind: ClassVar[str] = "Sequence"

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Sequence:
        """Read the HF object (children through :data:`DECODERS`)."""
        return cls(tuple(decoder_from_json(d) for d in obj["decoders"]))

    def to_json(self) -> dict[str, Any]:
        """Write the HF object."""
        return {"type": self.kind, "decoders": [d.to_json() for d in self.decoders]}

    def decode_chain(self, tokens: list[str]) -> list[str]:
        """Each decoder in turn."""
        for d in self.decoders:
            tokens = d.decode_chain(tokens)
        return tokens


DECODERS: dict[str, Any] = {
    c.kind: c for c in (ByteLevel, WordPiece, Metaspace, ByteFallback, Fuse, Strip, Replace, BPEDecoder, CTC, Sequence)
}


def decoder_from_json(obj: dict[str, Any]) -> Any:
    """Build a decoder from its HF object."""
    kind = obj.get("type")
    if kind not in DECODERS:
        raise FormatError(f"unknown decoder type {kind!r} (known: {', '.join(DECODERS)})")
    return DECODERS[kind].from_json(obj)
