"""The pages in real headless Chromium (Debian's chromium, driven by Playwright): type, click, read.

On a failure the page's screenshot is saved as ``failure.png`` in the test's temporary folder.
Every request a page makes must go to this server: nothing from outside.
"""

from __future__ import annotations

import shutil

import pytest

import tokvec

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright (test-only) is missing: pip install playwright"
)
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    pytest.skip("the chromium binary is missing (Debian package chromium: apt-get install -y chromium)",
                allow_module_level=True)  # fmt: skip
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]  # fmt: skip


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server, request, tmp_path):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    pg = context.new_page()
    requested: list[str] = []
    pg.on("request", lambda r: requested.append(r.url))
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        pg.screenshot(path=str(tmp_path / "failure.png"), full_page=True)
        print(f"screenshot of the failed page: {tmp_path / 'failure.png'}")
    context.close()
    outside = [u for u in requested if not u.startswith(server.url) and not u.startswith(("data:", "about:"))]
    assert not outside, f"the page asked for things outside this server: {outside}"
    assert not errors, f"script errors: {errors}"


def _count(pg, name: str) -> int:
    return int(pg.get_attribute(f'section[data-tokenizer="{name}"] .count', "data-count"))


def test_typing_changes_the_token_counts(page, server):
    page.goto(server.url + "/")
    page.wait_for_selector('section[data-tokenizer="gpt2"] .tok')
    start = page.input_value("#text")
    gpt2, o200k = tokvec.load("gpt2"), tokvec.load("o200k_base")
    assert _count(page, "gpt2") == len(gpt2.encode(start).ids)
    page.fill("#text", "")
    page.locator("#text").press_sequentially("Hello world", delay=5)
    page.wait_for_function(
        """() => document.querySelector('section[data-tokenizer="gpt2"] .count').dataset.count === '2'"""
    )
    assert _count(page, "o200k_base") == len(o200k.encode("Hello world").ids)
    first = page.locator('section[data-tokenizer="gpt2"] .tok').first
    assert first.get_attribute("title") == "id 15496: Hello"
    page.locator("#text").press("End")
    page.keyboard.type(" and a longer sentence, with more tokens.")
    page.wait_for_function(
        """() => document.querySelector('section[data-tokenizer="gpt2"] .count').dataset.count !== '2'"""
    )
    text = page.input_value("#text")
    assert _count(page, "gpt2") == len(gpt2.encode(text).ids) > 2
    assert "fits in 4k" in page.text_content('section[data-tokenizer="gpt2"] .stats')


def test_choosing_a_tokenizer_adds_its_panel(page, server):
    page.goto(server.url + "/")
    page.wait_for_selector('section[data-tokenizer="gpt2"]')
    page.check("#tok-bert-base-uncased")
    page.wait_for_selector('section[data-tokenizer="bert-base-uncased"] .tok.special')
    assert page.locator('section[data-tokenizer="bert-base-uncased"] .tok').first.get_attribute("title") == (
        "id 101: [CLS] (special)")  # fmt: skip


def test_clicking_a_neighbour_goes_there(page, server, word_vectors):
    page.goto(server.url + "/vectors?word=king")
    page.wait_for_selector("#neighbors button.neighbor")
    names = page.locator("#neighbors button.neighbor").all_text_contents()
    assert names == [n.key for n in word_vectors.most_similar("king", top_k=12)]
    assert page.locator("#map circle").count() == len(names) + 1
    page.locator("#neighbors button.neighbor", has_text="queen").first.click()
    page.wait_for_function("() => document.querySelector('#word').value === 'queen'")
    want = [n.key for n in word_vectors.most_similar("queen", top_k=12)]
    page.wait_for_function(f"() => document.querySelector('#neighbors button.neighbor').textContent === {want[0]!r}")
    page.fill("#a", "man")
    page.fill("#b", "king")
    page.fill("#c", "woman")
    page.press("#c", "Enter")
    page.wait_for_selector("#analogy li")
    assert page.locator("#analogy button").first.text_content() == word_vectors.analogy("man", "king", "woman")[0].key


def test_songs_search_similar_and_playlist(page, server, songs):
    page.goto(server.url + "/songs")
    page.fill("#q", "metallica")
    page.press("#q", "Enter")
    page.wait_for_function("() => document.querySelector('#found button.song').textContent.includes('Metallica')")
    page.locator("#found button.song").first.click()
    page.wait_for_selector("#similar li")
    page.locator("#found button.add").first.click()
    page.wait_for_selector("#next li")
    assert page.locator("#playlist li").count() == 1
    assert page.locator("#next li").count() == 10


def test_sentence_similarity_matrix(page, server):
    page.goto(server.url + "/sentences")
    page.wait_for_selector("table.matrix td.sim")
    cells = page.locator("table.matrix td.sim").all_text_contents()
    assert len(cells) == 16 and cells[0] == cells[5] == "1.000"
    page.fill("#texts", "one\ntwo")
    page.press("#texts", "Control+Enter")
    page.wait_for_function("() => document.querySelectorAll('table.matrix td.sim').length === 4")
