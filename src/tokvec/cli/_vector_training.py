"""What ``tokvec train word2vec`` and ``tokvec train glove`` share: corpus options, config flags, the summary."""

from __future__ import annotations

import argparse
import dataclasses
from collections.abc import Callable
from typing import Any

from ..vectors.formats import FORMATS
from ._common import add_format_option, format_table, print_json

# Called with (parser, field, flag, default); returns True when it added the field's option itself.
SpecialFlag = Callable[[argparse.ArgumentParser, "dataclasses.Field[Any]", str, Any], bool]


def add_corpus_arguments(p: argparse.ArgumentParser, *, format_help: str) -> None:
    """Add CORPUS..., ``-o``, ``--vectors-format`` and ``-t``."""
    p.add_argument("corpus", nargs="+", metavar="CORPUS", help="text files to train on")
    p.add_argument("-o", "--output", required=True, help="where to save the vectors")
    p.add_argument("--vectors-format", choices=FORMATS, help=format_help)
    p.add_argument("-t", "--tokenizer", help="cut raw text into tokens with this tokvec tokenizer (default: spaces)")


def add_config_flags(p: argparse.ArgumentParser, config_type: type, special: SpecialFlag) -> None:
    """One ``--flag`` per field of the frozen dataclass ``config_type`` (numbers unless ``special`` adds it)."""
    defaults = config_type()
    for field in dataclasses.fields(config_type):
        flag = "--" + field.name.replace("_", "-")
        default = getattr(defaults, field.name)
        if not special(p, field, flag, default):
            kind = float if isinstance(default, float) else int
            p.add_argument(flag, type=kind, default=default, metavar="N", help=f"default: {default}")


def add_summary_options(p: argparse.ArgumentParser, *, quiet_help: str) -> None:
    """Add ``--quiet`` and ``--format table|json``."""
    p.add_argument("--quiet", action="store_true", help=quiet_help)
    add_format_option(p, ("table", "json"), "how to print the summary")


def config_from(args: argparse.Namespace, config_type: type) -> Any:
    """The config built from the parsed flags (validated by the dataclass itself)."""
    return config_type(**{f.name: getattr(args, f.name) for f in dataclasses.fields(config_type)})


def tokenizer_from(args: argparse.Namespace) -> Any:
    """``tokvec.load(-t)``, or None for splitting on spaces."""
    if not args.tokenizer:
        return None
    import tokvec

    return tokvec.load(args.tokenizer)


def print_summary(args: argparse.Namespace, kv: Any, config: Any, seconds: float, **extra: Any) -> None:
    """Print what was trained (output, keys, dimensions, words, seconds, ``extra``) and its config: a two-column
    table, or JSON with a ``config`` object (``--format``)."""
    summary = {"output": args.output, "keys": len(kv), "dimensions": kv.vector_size,
               "corpus_words": int(kv.counts.sum()), "seconds": round(seconds, 2), **extra,
               "config": config.as_dict()}  # fmt: skip
    fmt = args.format
    if fmt == "json":
        print_json(summary)
        return
    rows = [[k, str(v)] for k, v in summary.items() if k != "config"]
    rows += [[k, str(v)] for k, v in config.as_dict().items()]
    print(format_table(["", "value"], rows))
