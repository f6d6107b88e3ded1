"""``tokvec compare``: how several tokenizers split the same text, side by side."""

from __future__ import annotations

import argparse
from typing import Any

from ..analysis.compare import compare
from ..analysis.html import write_html
from ..analysis.render import paint, render_views
from ._common import (
    add_color_option,
    add_command,
    add_format_option,
    add_tokenizer_option,
    load_tokenizer,
    read_stdin_text,
    tokenizer_names,
    use_color,
)

_EXAMPLES = (
    'tokvec compare -t gpt2,cl100k_base,o200k_base "CAPITALIZATION and other stuff"',
    'tokvec compare -t gpt2 -t o200k_base --format json "Grüße 👋"',
    'echo "from stdin" | tokvec compare -t gpt2,cl100k_base',
    "tokvec compare -t gpt2,o200k_base --format view --color always $'def f(x):\\n\\treturn \"👋\"'",
    'tokvec compare -t gpt2,cl100k_base,o200k_base --html tokens.html "Grüße aus Köln! 你好 👋"',
)


def register(subparsers: Any) -> None:
    """Add the ``compare`` verb."""
    p = add_command(
        subparsers,
        "compare",
        summary="compare how several tokenizers split the same text",
        description=(
            "Encode TEXT (or stdin) with every tokenizer, as its model sees it: special tokens that\n"
            "the tokenizer adds ([CLS] ... [SEP], </s>) included, special-token text in the input read\n"
            "as ordinary text. Prints each tokenizer's token count, the change against the first one,\n"
            "characters per token and the tokens as decoded strings (each token decoded on its own:\n"
            "a token that holds only part of a character decodes to U+FFFD). --format json adds the\n"
            "ids, the vocabulary spellings and each token's kind (text, special, unknown, byte, partial).\n"
            "--format view shows each tokenizer's tokens on alternating colours: '·' space, '→' tab,\n"
            "'↵' newline; <0xE4> (red) a byte-fallback piece or a byte that is only part of a character.\n"
            "--html FILE also writes a standalone page with the tokenizers side by side (ids on hover)."
        ),
        examples=_EXAMPLES,
    )
    p.add_argument("text", nargs="?", help="the text (default: read stdin, exactly, trailing newline included)")
    add_tokenizer_option(p, several=True)
    add_format_option(p, ("table", "json", "view"), "table, json or view (coloured tokens)")
    add_color_option(p)
    p.add_argument("--html", metavar="FILE", help="also write a standalone HTML page with the tokenizers side by side")
    p.set_defaults(func=run_compare)


def run_compare(args: argparse.Namespace) -> int:
    """Compare the tokenizers on the text and print the result."""
    toks = [load_tokenizer(name, args) for name in tokenizer_names(args.tokenizer)]
    text = args.text if args.text is not None else read_stdin_text()
    result = compare(toks, text)
    if args.html:
        write_html(result, args.html)
    if args.format == "json":
        print(result.to_json())
    elif args.format == "view":
        color = use_color(args.color)
        width = max(len(s.name) for s in result.splits)
        for split in result.splits:
            print(paint(f"{split.name:<{width}}  {split.count:,} tokens", "bold", color=color))
            print(render_views(split.views, color=color).rstrip("\n"))
    else:
        print(result.to_table())
    if args.html:
        print(f"wrote {args.html}")
    return 0
