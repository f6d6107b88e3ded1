"""tiktoken's own test suite (../shared/anchors/tiktoken-tests, unchanged) against tokvec.tiktoken, and as the control
against real tiktoken, each in a fresh pytest process (see suite_conftest.py)."""

from __future__ import annotations

import hashlib
import os
import pathlib
import re
import shutil
import subprocess
import sys

import pytest

import tokvec
from tests.conftest import DATA, ROOT, data_path

SUITE = pathlib.Path(os.environ.get("TIKTOKEN_SUITE", ROOT.parent / "shared" / "anchors" / "tiktoken-tests"))
RANK_FILES = ["r50k_base", "p50k_base", "cl100k_base", "o200k_base"]
URL = "https://openaipublic.blob.core.windows.net/encodings/{}.tiktoken"
SHIM = "import sys\n\nimport tokvec.tiktoken\n\nsys.modules['tiktoken'] = tokvec.tiktoken\n"
N_TESTS = 33  # tiktoken 0.14.0's public suite

pytestmark = pytest.mark.data


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    """A copy of the suite with our conftest.py beside it, a tiktoken cache and the import shim."""
    if not (SUITE / "tests").is_dir():
        pytest.skip(f"tiktoken's test suite {SUITE / 'tests'} is missing (set TIKTOKEN_SUITE to its folder)")
    root = tmp_path_factory.mktemp("tiktoken-suite")
    shutil.copytree(SUITE / "tests", root / "tests")
    shutil.copy(pathlib.Path(__file__).with_name("suite_conftest.py"), root / "conftest.py")
    cache = root / "cache"
    cache.mkdir()
    for name in RANK_FILES:
        source = data_path(f"tokenizers/tiktoken/{name}.tiktoken")
        (cache / hashlib.sha1(URL.format(name).encode()).hexdigest()).symlink_to(source)
    shim = root / "shim"
    shim.mkdir()
    (shim / "tiktoken.py").write_text(SHIM)
    return root


def run_suite(root: pathlib.Path, target: str) -> tuple[int, str]:
    src = pathlib.Path(tokvec.__file__).resolve().parents[1]  # the tokvec under test, first on the path
    env = os.environ | {
        "TIKTOKEN_SUITE_TARGET": target,
        "TIKTOKEN_CACHE_DIR": str(root / "cache"),
        "TIKTOKEN_SUITE_SHIM": str(root / "shim"),
        "PYTHONPATH": os.pathsep.join([str(src), os.environ.get("PYTHONPATH", "")]),
        "TOKVEC_TEST_DATA": str(DATA),
    }
    env.pop("TOKVEC_TIKTOKEN_DIR", None)
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", "tests"]
    done = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, timeout=600)
    return done.returncode, done.stdout + done.stderr


def passed(output: str) -> int:
    found = re.search(r"(\d+) passed", output)
    return int(found.group(1)) if found else 0


@pytest.mark.parametrize("target", ["tokvec", "tiktoken"])
def test_tiktoken_suite(suite: pathlib.Path, target: str) -> None:
    if target == "tiktoken":
        pytest.importorskip("tiktoken")
    code, output = run_suite(suite, target)
    assert code == 0 and passed(output) == N_TESTS, f"tiktoken's suite against {target}:\n{output[-6000:]}"
