"""The standalone HTML page: escaping and hover ids, then a real look in headless Chromium (screenshot + DOM)."""

from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pytest

import tokvec
from tests.analysis.hf_adapter import hf
from tests.conftest import preset
from tokvec.analysis.html import COLORS, render_html, write_html

TEXT = 'Grüße aus Köln!\n\tdef f(x): return "👋" <b>ᚠ</b>'


def _result():
    return tokvec.compare([preset("gpt2"), preset("o200k_base"), hf("bert-base-uncased"), hf("phi-3-mini")], TEXT)


def test_page_escapes_text_and_gives_every_token_an_id_on_hover():
    result = _result()
    page = render_html(result)
    assert "<b>" not in page and "</b>" not in page and "&lt;" in page  # the text's markup is escaped
    assert "<script" not in page and "http" not in page  # standalone: nothing is fetched
    assert page.count('class="tok"') == sum(s.count for s in result.splits)
    for split in result.splits:
        assert f"{split.count:,} tokens" in page
        assert all(f'title="id {i}: ' in page for i in split.ids)
    assert '<span class="byte">&lt;0xE1&gt;</span>' in page  # phi-3's byte fallback for ᚠ
    assert '<span class="special">[CLS]</span>' in page
    assert '<span class="byte">&lt;0xF0&gt;</span>' in page  # gpt2: part of 👋


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if path := shutil.which(name):
            return path
    pytest.skip("the chromium binary is missing (Debian package chromium: apt-get install -y chromium)")


def _run_chromium(tmp_path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            _chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}", *args,
        ],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_screenshot_in_headless_chromium(tmp_path):
    result = _result()
    page = tmp_path / "tokens.html"
    write_html(result, page)
    shot = tmp_path / "shot.png"
    done = _run_chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,800", page.as_uri())
    assert shot.exists(), done.stderr[-2000:]
    image = pytest.importorskip("matplotlib.image").imread(shot)
    assert image.shape[:2] == (800, 1200)
    rgb = np.round(image[:, :, :3] * 255).astype(int)
    # every background colour of the tokens is painted, and the red of byte pieces
    for color in [*COLORS, "#cc0000"]:
        want = np.array([int(color[k : k + 2], 16) for k in (1, 3, 5)])
        assert np.all(rgb == want, axis=2).sum() > 50, color
    dom = _run_chromium(tmp_path, "--dump-dom", page.as_uri()).stdout
    assert dom.count('class="tok"') == sum(s.count for s in result.splits)
    assert 'title="id 101: [CLS] (special)"' in dom


def test_cli_writes_the_page(cli, tmp_path):
    out = tmp_path / "t.html"
    rc, stdout, err = cli("compare", "-t", "gpt2,cl100k_base", "--html", str(out), "Hello world")
    assert rc == 0, err
    assert f"wrote {out}" in stdout
    assert out.read_text(encoding="utf-8") == render_html(tokvec.compare(["gpt2", "cl100k_base"], "Hello world"))


def test_cli_view_format(cli):
    rc, out, _ = cli("compare", "-t", "gpt2", "--format", "view", "--color", "never", "a  b\n\tc 👋")
    assert rc == 0
    assert out.splitlines() == ["gpt2  8 tokens", "a│·│·b│↵", "│→│c│·<0xF0><0x9F><0x91>│<0x8B>"]
