"""Crafted transformer checkpoint folders (as ``tokvec.load_encoder`` reads them): each raised a builtin before.

Found by the fuzz target ``checkpoint`` (tests/fuzz/targets.py), which mutates one file of a tiny
sentence-transformers folder at a time. Each case now raises a TokvecError naming the file.
"""

from __future__ import annotations

import json
import pathlib

import pytest

import tokvec
from tests.fuzz.mutate import SPLIT
from tests.fuzz.targets import _CHECKPOINT_FILES, _checkpoint_seeds
from tokvec.errors import FormatError

pytestmark = pytest.mark.filterwarnings("ignore::tokvec.errors.TokvecWarning")


@pytest.fixture
def folder(tmp_path: pathlib.Path) -> pathlib.Path:
    for name, part in zip(_CHECKPOINT_FILES, _checkpoint_seeds()[0].split(SPLIT), strict=True):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(part)
    return tmp_path


def test_the_tiny_folder_loads(folder):
    enc = tokvec.load_encoder(folder, engine="numpy")
    assert enc.dim == 4 and enc.embed(["hello world"]).shape == (1, 4)


@pytest.mark.parametrize(
    "name, edit, message",
    [
        # TypeError: 'int' object is not subscriptable (architectures of an unknown model_type)
        ("config.json", lambda c: {**c, "model_type": "gpt2", "architectures": 7}, "architecture 'gpt2'"),
        # KeyError: 'in_features'
        (
            "2_Dense/config.json",
            lambda c: {k: v for k, v in c.items() if k != "in_features"},
            "bad field 'in_features'",
        ),
        # AttributeError: 'list' object has no attribute 'get'
        ("1_Pooling/config.json", lambda c: [c], "expected a JSON object, got list"),
        ("sentence_bert_config.json", lambda c: 12, "expected a JSON object, got int"),
        # TypeError: dict(prompts) of a list of numbers
        ("config_sentence_transformers.json", lambda c: {"prompts": [1, 2]}, "'prompts' must map names"),
        # TypeError: '<' not supported between 'str' and 'int' (sorting by idx)
        ("modules.json", lambda m: [{**m[0], "idx": "0"}, *m[1:]], None),
        # UnicodeEncodeError / ValueError (embedded null byte) from open(), and a path outside the folder
        ("modules.json", lambda m: [m[0], {**m[1], "path": "\ud800"}, *m[2:]], "module path"),
        ("modules.json", lambda m: [m[0], {**m[1], "path": "1_Pooling\x00"}, *m[2:]], "module path"),
        ("modules.json", lambda m: [m[0], {**m[1], "path": "../../etc"}, *m[2:]], "module path"),
        ("modules.json", lambda m: [m[0], {**m[1], "path": 7}, *m[2:]], "module path"),
    ],
)
def test_checkpoint_faults_are_format_errors(folder, name, edit, message):
    path = folder / name
    obj = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(edit(obj)), encoding="utf-8")
    if message is None:  # a module index that is not a number: the folder still loads, in file order
        assert tokvec.load_encoder(folder, engine="numpy").dim == 4
        return
    with pytest.raises(FormatError, match=message) as e:
        tokvec.load_encoder(folder, engine="numpy")
    assert str(path) in str(e.value) or (name == "modules.json" and str(folder / "modules.json") in str(e.value))


@pytest.mark.parametrize(
    "special",
    [
        {"id": "[CLS]", "ids": [[101]], "tokens": ["[CLS]"]},  # was TypeError in encode, long after loading
        {"id": "[CLS]", "ids": [101, 102], "tokens": ["[CLS]"]},
        {"id": "[CLS]", "ids": [2**40], "tokens": ["[CLS]"]},
        {"id": "[CLS]", "ids": [101], "tokens": [7]},
        [101],
    ],
)
def test_template_special_tokens_are_checked_on_load(folder, special):
    path = folder / "tokenizer.json"
    obj = json.loads(path.read_text(encoding="utf-8"))
    obj["post_processor"]["special_tokens"]["[CLS]"] = special
    path.write_text(json.dumps(obj), encoding="utf-8")
    with pytest.raises(FormatError, match=r"special token '\[CLS\]' needs 'ids'") as e:
        tokvec.load_encoder(folder, engine="numpy")
    assert str(path) in str(e.value)
