"""Every Python example of the README runs, and the values it shows in comments are right."""

from __future__ import annotations

import re

import pytest

from tests.conftest import DATA, ROOT


def python_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


@pytest.mark.data
def test_readme_python_examples_run(monkeypatch: pytest.MonkeyPatch) -> None:
    if not (DATA / "tokenizers/llama3_tiktoken/tokenizer.model").exists():
        pytest.skip(f"test data file {DATA / 'tokenizers/llama3_tiktoken/tokenizer.model'} is missing")
    monkeypatch.chdir(ROOT)
    blocks = python_blocks()
    assert blocks, "the README has no python example"
    for block in blocks:
        namespace: dict = {}
        code = block.replace("../shared/data", str(DATA))
        exec(compile(code, "README.md", "exec"), namespace)
        # lines of the form `expr   # value` must evaluate to that value
        for line in code.splitlines():
            m = re.match(r"^(\S.*?)\s+#\s+(\[.*\]|'.*'|b'.*'|array\(.*\))\s*(\(.*\))?$", line)
            if not m or "=" in m.group(1).split("(")[0]:
                continue
            got = eval(m.group(1), namespace)
            expected = m.group(2)
            if hasattr(got, "tolist"):
                got = got.tolist()
                expected = re.sub(r"^array\((.*?)(, dtype=\w+)?\)$", r"\1", expected)
            assert got == eval(expected), f"README: {line!r} gives {got!r}"


def test_readme_command_lines_run(tmp_path) -> None:
    """Each line of the README's command-line block runs and exits 0 (book.txt.gz made here)."""
    import gzip
    import os
    import subprocess
    import sys

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Command line\n\n```sh\n(.*?)```", text, flags=re.S)
    assert block, "the README has no command-line block"
    with gzip.open(tmp_path / "book.txt.gz", "wt", encoding="utf-8") as f:
        f.write("It was the best of times, it was the worst of times.\n" * 100)
    env = dict(os.environ, PATH=f"{os.path.dirname(sys.executable)}{os.pathsep}{os.environ['PATH']}")
    lines = [line.split("  #")[0].strip() for line in block.group(1).splitlines() if line.strip()]
    assert len(lines) >= 5
    for line in lines:
        done = subprocess.run(line, shell=True, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"README line {line!r} failed: {done.stderr}"
        assert done.stdout.strip(), f"README line {line!r} printed nothing"
