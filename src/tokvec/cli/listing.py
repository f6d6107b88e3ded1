"""``tokvec list``: the bundled tokenizer presets, with vocabulary size, algorithm and split pattern."""

from __future__ import annotations

import argparse
from typing import Any

import tokvec

from ..tokens.presets import ALIASES
from ._common import add_command, add_format_option, format_table, print_json

_EXAMPLES = ("tokvec list", "tokvec list --format json")


def register(subparsers: Any) -> None:
    """Add the ``list`` verb."""
    p = add_command(
        subparsers,
        "list",
        summary="list the bundled tokenizer presets",
        description=(
            "List the presets that -t NAME finds without a path: vocabulary size (ids, special tokens\n"
            "included), special tokens, algorithm and the split pattern (or pre-tokenizer) that cuts text\n"
            "before the model. Any command also takes the path of a tokenizer.json, vocab.txt, .model,\n"
            ".tiktoken rank file, or a GPT-2 vocab.json with merges.txt beside it."
        ),
        examples=_EXAMPLES,
    )
    add_format_option(p, ("table", "json"), "table or json")
    p.set_defaults(func=run_list)


_ALGORITHMS = {"BPE": "BPE", "WordPiece": "WordPiece", "Unigram": "Unigram", "WordLevel": "WordLevel"}


def describe(name: str, tok: tokvec.Tokenizer) -> dict[str, Any]:
    """Return what ``tokvec list`` says about the preset ``name``."""
    if tok.pipeline is not None:  # a tokenizer.json preset
        model = type(tok.model).__name__
        kind = tok.model.kind
        algorithm = "byte-level BPE" if model == "ByteLevelBPE" else _ALGORITHMS.get(kind, kind)
        return {
            "name": name,
            "vocab_size": tok.vocab_size,
            "special_tokens": sorted(tok.special_tokens, key=tok.special_tokens.__getitem__),
            "algorithm": algorithm,
            "model": kind,
            "pattern": type(tok.pipeline.pre_tokenizer).__name__ if tok.pipeline.pre_tokenizer else "none",
            "alias_of": None,
        }
    return {
        "name": name,
        "vocab_size": tok.vocab_size,
        "special_tokens": sorted(tok.special_tokens, key=tok.special_tokens.__getitem__),
        "algorithm": "byte-level BPE",
        "model": tok.model.kind,
        "pattern": tok.pattern.name,
        "alias_of": ALIASES.get(name),
    }


def run_list(args: argparse.Namespace) -> int:
    """Print the presets."""
    loaded: dict[str, tokvec.Tokenizer] = {}
    rows = []
    for name in tokvec.presets():
        target = ALIASES.get(name, name)
        if target not in loaded:
            loaded[target] = tokvec.load(target)
        rows.append(describe(name, loaded[target]))
    if args.format == "json":
        print_json(rows)
        return 0
    table = [
        [
            r["name"],
            r["vocab_size"],
            len(r["special_tokens"]),
            r["algorithm"],
            r["pattern"],
            f"alias of {r['alias_of']}" if r["alias_of"] else "",
        ]
        for r in rows
    ]
    print(format_table(["name", "ids", "special", "algorithm", "pattern", "note"], table, numeric=[1, 2]))
    return 0
