"""``tokvec encode`` (text -> coloured tokens and ids) and ``tokvec decode`` (ids -> text)."""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any

import tokvec

from ..analysis.render import render_ids, render_tokens
from ..errors import SpecialTokenError
from ._common import (
    CliError,
    add_color_option,
    add_command,
    add_format_option,
    add_tokenizer_option,
    load_tokenizer,
    print_json,
    read_stdin_text,
    use_color,
    warn,
)

_ENCODE_EXAMPLES = (
    'tokvec encode -t cl100k_base "Hello world"',
    'tokvec encode -t gpt2 --color always "Hi 👋"',
    "tokvec encode -t o200k_base --format json $'def f(x):\\n    return x'",
    'echo "Text from stdin" | tokvec encode -t gpt2 --format ids',
    'tokvec encode -t cl100k_base --allow-special "end<|endoftext|>"',
    'tokvec encode -t phi-3-mini --special-as-text "end<|endoftext|>"',
)
_DECODE_EXAMPLES = (
    "tokvec decode -t gpt2 15496 995",
    "tokvec decode -t cl100k_base 9906,1917 --format json",
    'tokvec encode -t gpt2 --format ids "round trip" | tokvec decode -t gpt2',
)


def register(subparsers: Any) -> None:
    """Add the ``encode`` and ``decode`` verbs."""
    p = add_command(
        subparsers,
        "encode",
        summary="show how a tokenizer splits a text, and the ids",
        description=(
            "Encode TEXT (or stdin) and show its tokens on alternating colours, then their ids.\n"
            "Spaces show as '·', tabs as '→', newlines as '↵'; bytes that are only part of a character\n"
            "(a multi-byte character split across tokens) show as <0xF0> in red. Without colour '│'\n"
            "separates the tokens. --format json gives ids, tokens (spelled as in the vocabulary,\n"
            "byte-level: 'Ġ' is a space, like Encoding.tokens), offsets in characters of TEXT,\n"
            "byte_offsets in bytes of its UTF-8 (the same on every tokenizer), and the count.\n"
            "Special-token text in TEXT (<|endoftext|>, [SEP], </s>) is an error on every tokenizer unless\n"
            "--allow-special (its id; what Hugging Face does) or --special-as-text (ordinary text) is given."
        ),
        examples=_ENCODE_EXAMPLES,
    )
    p.add_argument("text", nargs="?", help="the text (default: read stdin, exactly, trailing newline included)")
    add_tokenizer_option(p, several=False)
    add_format_option(p, ("table", "json", "ids"), "table: coloured tokens and ids; json; ids: only the ids")
    add_color_option(p)
    special = p.add_mutually_exclusive_group()
    special.add_argument(
        "--allow-special",
        action="store_true",
        help="encode special-token text such as <|endoftext|> or [SEP] as its id (Hugging Face's behaviour)",
    )
    special.add_argument("--special-as-text", action="store_true", help="encode special-token text as ordinary text")
    p.set_defaults(func=run_encode)

    p = add_command(
        subparsers,
        "decode",
        summary="turn token ids back into text",
        description=(
            "Decode token IDs (arguments, or stdin when none are given) into text, written exactly\n"
            "(a line break is added only on a terminal). IDs may be separated by spaces or commas, and\n"
            "may come as a JSON list. Bytes that are not valid UTF-8 become U+FFFD, with a warning."
        ),
        examples=_DECODE_EXAMPLES,
    )
    p.add_argument("ids", nargs="*", metavar="ID", help="token ids (default: read them from stdin)")
    add_tokenizer_option(p, several=False)
    add_format_option(p, ("text", "json"), "text: the decoded text; json: text, count and validity")
    p.set_defaults(func=run_decode)


def run_encode(args: argparse.Namespace) -> int:
    """Encode the text and print it in the chosen format."""
    tok = load_tokenizer(args.tokenizer, args)
    text = args.text if args.text is not None else read_stdin_text()
    try:
        if args.special_as_text:
            enc = tok.encode(text, disallowed_special=())
        else:
            enc = tok.encode(text, allowed_special="all" if args.allow_special else frozenset())
    except SpecialTokenError:
        raise CliError(_special_message(tok, text)) from None
    if args.format == "json":
        print_json(
            {
                "tokenizer": tok.name,
                "count": len(enc),
                "ids": enc.ids.tolist(),
                "tokens": enc.tokens,
                "offsets": enc.offsets.tolist(),
                "byte_offsets": enc.byte_offsets.tolist(),
            }
        )
    elif args.format == "ids":
        print(render_ids(enc.ids, color=False))
    else:
        color = use_color(args.color)
        print(render_tokens(tok, enc.ids, color=color))
        print(render_ids(enc.ids, color=color))
        n_bytes = len(text.encode("utf-8", "surrogatepass"))
        print(f"{len(enc)} tokens, {n_bytes} bytes, {len(text)} characters ({tok.name})")
    return 0


def run_decode(args: argparse.Namespace) -> int:
    """Decode the ids and print the text."""
    tok = load_tokenizer(args.tokenizer, args)
    words = args.ids if args.ids else [sys.stdin.read()]
    ids = parse_ids(" ".join(words), args.parser)
    data = tok.decode_bytes(ids)
    valid = True
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        valid = False
        text = data.decode("utf-8", "replace")
        warn(
            f"the bytes of these ids are not valid UTF-8 (byte {e.start} is part of a character that the ids"
            " cut); it is shown as U+FFFD"
        )
    if args.format == "json":
        print_json({"tokenizer": tok.name, "count": len(ids), "text": text, "valid_utf8": valid})
    else:
        sys.stdout.write(text)
        if sys.stdout.isatty() and not text.endswith("\n"):
            sys.stdout.write("\n")
    return 0


def parse_ids(text: str, parser: argparse.ArgumentParser) -> list[int]:
    """Read integers separated by spaces or commas, optionally in ``[...]`` (a usage error otherwise)."""
    words = [w for w in re.split(r"[\s,\[\]]+", text) if w]
    ids = []
    for w in words:
        try:
            ids.append(int(w))
        except ValueError:
            parser.error(f"{w!r} is not a token id: give integers such as 15496 995")
    return ids


def _special_message(tok: tokvec.Tokenizer, text: str) -> str:
    names = sorted(tok.special_tokens, key=len, reverse=True)
    m = re.search("|".join(map(re.escape, names)), text)
    found = f"the special token {m.group()!r} at character {m.start()}" if m else "a special token"
    return (
        f"the text contains {found}, which {tok.name} does not encode unless asked: pass --allow-special to"
        " encode it as the special token's id, or --special-as-text to encode it as ordinary text"
    )
