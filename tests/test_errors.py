"""Every error class lives in tokvec/errors.py; the old names stay importable from their old modules."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import tokvec.errors as errors

SRC = Path(__file__).resolve().parents[1] / "src" / "tokvec"

# serve/http.py ApiError is the HTTP layer's control flow (a status code and a JSON body, caught by the app
# and turned into a reply, like starlette's HTTPException); it never reaches a caller of tokvec.
OUTSIDE = {("serve/http.py", "ApiError")}


def _base_names(node: ast.ClassDef) -> list[str]:
    return [b.id if isinstance(b, ast.Name) else b.attr if isinstance(b, ast.Attribute) else "" for b in node.bases]


def test_every_error_class_is_in_errors_py():
    found = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if rel == "errors.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ClassDef) or (rel, node.name) in OUTSIDE:
                continue
            if any(n.endswith(("Error", "Exception", "Warning")) for n in _base_names(node)):
                found.append(f"{rel}:{node.lineno}: class {node.name}")
    assert not found, "error classes outside tokvec/errors.py:\n" + "\n".join(found)


@pytest.mark.parametrize(
    ("module", "name", "new"),
    [
        ("tokvec.vectors.word2vec", "ConfigError", "ConfigError"),
        ("tokvec.vectors.glove", "ConfigError", "ConfigError"),
        ("tokvec.recommend.config", "RecommenderConfigError", "ConfigError"),
        ("tokvec.vectors.keyed", "UnknownKeyError", "UnknownKeyError"),
        ("tokvec.cli._common", "CliError", "CliError"),
        ("tokvec.cluster.engine", "ClusterError", "ClusterError"),
        ("tokvec.embed.transformer", "TruncationWarning", "TruncationWarning"),
    ],
)
def test_old_names_are_the_classes_of_errors_py(module, name, new):
    assert getattr(importlib.import_module(module), name) is getattr(errors, new)


def test_one_config_error_for_bad_options():
    from tokvec.recommend.config import RecommenderConfig
    from tokvec.tokens.trainers.config import BpeConfig
    from tokvec.vectors.config import GloveConfig, Word2VecConfig

    for make in (lambda: BpeConfig(vocab_size=0), lambda: Word2VecConfig(window=0), lambda: GloveConfig(x_max=0)):
        with pytest.raises(errors.ConfigError):
            make()
    assert issubclass(errors.ConfigError, errors.TokvecError) and issubclass(errors.ConfigError, ValueError)
    with pytest.raises(errors.ConfigError, match="vector_size must be an integer >= 1"):
        RecommenderConfig(vector_size=0)
