"""``tokvec tour``: how GPT-2, cl100k_base and o200k_base split English, code, numbers, other scripts and emoji."""

from __future__ import annotations

import argparse
import textwrap
from dataclasses import dataclass
from typing import Any

import numpy as np

import tokvec

from ..analysis.render import paint, render_tokens
from ._common import add_color_option, add_command, add_tokenizer_option, format_table, tokenizer_names, use_color
from .recommend import song_tour

DEFAULT_TOKENIZERS = "gpt2,cl100k_base,o200k_base"
_EXAMPLES = ("tokvec tour", "tokvec tour --color never -t gpt2,o200k_base")
_LEGEND = (
    "· space   → tab   ↵ newline   <0xF0> a byte that is only part of a character   <U+200D> an invisible"
    " character; neighbouring tokens have different colours (without colour, │ separates them)"
)


@dataclass(frozen=True)
class Section:
    """One stop of the tour: a title, a text and what to notice."""

    title: str
    text: str
    note: str
    show_bytes: bool = False  # explain the first tokens that decode to text only together


SECTIONS = (
    Section(
        "English",
        "Hello world! Tokenizers cut text into pieces they have often seen.",
        "Common English words are one token each in all three, the space before a word included"
        " ('·world'): byte-pair encoding learned them from lots of English text.",
    ),
    Section(
        "Code with indentation",
        'def greet(name):\n    if name:\n        return f"Hello, {name}!"\n    return None\n',
        "GPT-2 gives each space of an indent its own token; cl100k_base and o200k_base learned runs of"
        " spaces, so indented code costs far fewer tokens.",
    ),
    Section(
        "Numbers",
        "In 2024 the price rose from $1,234.56 to 78901.2345 (3.14159%).",
        "GPT-2 cuts digit runs wherever its merges happen to say (78901 -> 7|89|01); cl100k_base and"
        " o200k_base first split numbers into groups of at most three digits, so every number is cut"
        " the same way. They also keep the space before a number as a token of its own.",
    ),
    Section(
        "German",
        "Die Straßenbahnhaltestelle öffnet übermorgen um 7 Uhr.",
        "Long compound words break into several pieces. GPT-2 even cuts 'ö' and 'ü' (two bytes each in"
        " UTF-8) into two byte tokens; the larger vocabularies keep them whole.",
    ),
    Section(
        "Chinese",
        "我们明天去公园散步。",
        "A Chinese character is three bytes of UTF-8. GPT-2 knows few of them, so most take two byte"
        " tokens; o200k_base, trained on more languages with twice cl100k_base's vocabulary, spells"
        " most characters with one token.",
    ),
    Section(
        "Emoji",
        "Hi 👋 and 👨‍👩‍👧",
        "An emoji is four bytes, and 👨‍👩‍👧 is three emoji glued by invisible zero-width joiners"
        " (U+200D, three bytes each). Tokens may end inside a character: such a token is only bytes,"
        " not text, and decodes to text only together with its neighbours:",
        show_bytes=True,
    ),
)


def register(subparsers: Any) -> None:
    """Add the ``tour`` verb."""
    p = add_command(
        subparsers,
        "tour",
        summary="see how three generations of OpenAI tokenizers split the same texts",
        description=(
            "A short tour of byte-level BPE: how gpt2, cl100k_base and o200k_base split English, code,\n"
            "numbers, German, Chinese and emoji, with token counts, coloured tokens and what to notice.\n"
            "Runs on the bundled presets only."
        ),
        examples=_EXAMPLES,
    )
    add_tokenizer_option(p, several=True, default=DEFAULT_TOKENIZERS)
    add_color_option(p)
    p.set_defaults(func=run_tour)


def run_tour(args: argparse.Namespace) -> int:
    """Print the tour."""
    toks = [tokvec.load(n) for n in tokenizer_names(args.tokenizer or [DEFAULT_TOKENIZERS])]
    color = use_color(args.color)
    width = max(len(t.name) for t in toks)
    names = ", ".join(t.name for t in toks)
    verb = "splits" if len(toks) == 1 else "split"
    print(paint(f"tokvec tour: how {names} {verb} text into tokens", "bold", color=color))
    print(textwrap.fill(_LEGEND, 100))
    totals = {t.name: 0 for t in toks}
    for section in SECTIONS:
        print()
        print(paint(_rule(section.title), "bold", color=color))
        print(textwrap.fill(section.note, 100))
        for tok in toks:
            ids = tok.encode(section.text).ids
            totals[tok.name] += len(ids)
            shown = render_tokens(tok, ids, color=color)
            head = f"  {tok.name:<{width}}  {len(ids):3d} tokens"
            if "\n" in section.text:
                print(head)
                print(textwrap.indent(shown.rstrip("\n"), "      "))
            else:
                print(f"{head}   {shown}")
        if section.show_bytes:
            for tok in toks:
                print(f"  {tok.name:<{width}}  {explain_partial(tok, section.text)}")
    print()
    print(paint(_rule("Tokens in all sections"), "bold", color=color))
    first = toks[0].name
    rows = [[n, c, _change(c, totals[first]) if n != first else ""] for n, c in totals.items()]
    print(format_table(["tokenizer", "tokens", f"vs {first}"], rows, numeric=[1, 2]))
    print("\nFewer tokens for the same text means more text fits in a model's context, and it costs less.")
    print("\n" + paint(_rule("Songs like Metallica - Fade To Black"), "bold", color=color), *song_tour(), sep="\n")
    return 0


def explain_partial(tok: tokvec.Tokenizer, text: str) -> str:
    """Describe the first run of tokens that are not text alone but decode together.

    >>> print(explain_partial(tokvec.load("gpt2"), "Hi 👋"))
    50169 alone decodes to ' �', 233 to '�'; together [50169, 233] decode to ' 👋'
    """
    ids = tok.encode(text).ids.tolist()
    group = partial_group(tok, ids)
    if group is None:
        return "every token decodes to text on its own"
    a, b = group
    alone = [f"{i} {'alone decodes to ' if k == 0 else 'to '}{tok.decode([i])!r}" for k, i in enumerate(ids[a:b])]
    return f"{', '.join(alone)}; together {ids[a:b]} decode to {tok.decode(ids[a:b])!r}"


def partial_group(tok: tokvec.Tokenizer, ids: list[int]) -> tuple[int, int] | None:
    """Return ``(start, end)`` of the first run of tokens that only decode to text together, if any."""
    valid = np.array([_is_text(tok.decode_bytes([i])) for i in ids], dtype=bool)
    for a in np.flatnonzero(~valid).tolist():
        for b in range(a + 2, len(ids) + 1):
            if _is_text(tok.decode_bytes(ids[a:b])):
                return a, b
    return None


def _rule(title: str) -> str:
    return f"── {title} " + "─" * max(60 - len(title), 4)


def _change(count: int, base: int) -> str:
    return f"{100 * (count - base) / base:+.0f}%" if base else ""


def _is_text(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
