"""The sections of ``tokvec tour`` on what vectors are for: static vs transformer, word vectors, search and serve.

As in :mod:`tokvec.cli.tour_embed`, each ``*_facts`` function returns what it measured (the tests compare
it with the library) and each ``show_*`` function prints a section.
"""

from __future__ import annotations

import importlib.util
import os
import re
import time
from typing import Any

from ..analysis.render import paint
from ._common import format_table
from .tour_common import DOCUMENTS, MODEL, Tour

STSB = "embeddings-eval/stsb/stsb-en-test.csv"
GLOVE = "embeddings-eval/glove-sample/glove.6B.50d.first2446.utf8.txt"
STS_STEP = 4  # every 4th pair of the 1,379 STS-B test pairs: 345 pairs, spread over the whole set
DIMS = 128  # PCA components of the distilled table (the teacher's run over the vocabulary is the cost, not PCA)
STATIC_FOLDER = "static-model"
PNG = "word-vectors.png"
PLOT_WORDS = {
    "king": "royalty", "queen": "royalty", "prince": "royalty", "man": "people", "woman": "people",
    "boy": "people", "girl": "people", "paris": "places", "france": "places", "london": "places",
    "britain": "places", "germany": "places", "monday": "time", "week": "time", "january": "time",
    "july": "time",
}  # fmt: skip
QUESTION = "Where can I get rid of an old sofa?"
SERVE = f"tokvec serve -m {MODEL}"


def sts_sample(path: str | os.PathLike[str], step: int = STS_STEP) -> Any:
    """Return every ``step``-th pair of an STS file (:class:`tokvec.tasks.SentencePairs`)."""
    from ..tasks import SentencePairs, read_sts

    data = read_sts(path)
    return SentencePairs(data.sentences1[::step], data.sentences2[::step], data.scores[::step])


def sentences_per_second(encoder: Any, texts: list[str]) -> float:
    """Embed ``texts`` once to warm up, then again timed; return texts per second."""
    encoder.embed(texts[:32])
    start = time.perf_counter()
    encoder.embed(texts)
    return len(texts) / max(time.perf_counter() - start, 1e-9)


def static_facts(encoder: Any, pairs: Any, folder: str, *, dims: int = DIMS, progress: bool = True) -> dict[str, Any]:
    """Distill ``encoder`` (saved to ``folder``), score both on ``pairs`` (STS) and time both."""
    from ..embed import distill
    from ..tasks import evaluate_sts

    start = time.perf_counter()
    static = distill(encoder, dims=dims, progress=progress)
    seconds = time.perf_counter() - start
    static.save(folder)
    texts = [*pairs.sentences1, *pairs.sentences2]
    rows = {}
    for kind, model in (("static", static), ("transformer", encoder)):
        score = evaluate_sts(model, pairs, name="STSBenchmark sample").main_score
        rows[kind] = {"spearman": score, "per_second": sentences_per_second(model, texts)}
    return {"pairs": len(pairs.sentences1), "texts": len(texts), "dims": dims, "distill_seconds": seconds,
            "tokens": len(static.vectors), "folder": folder, **rows}  # fmt: skip


def show_static(tour: Tour) -> None:
    """Print the section comparing the distilled static encoder with the transformer."""
    tour.heading("Static vs transformer")
    encoder = tour.encoder()
    path = tour.data_file(STSB) if encoder is not None else None
    if path is None:
        return
    tour.say(
        "tokvec.distill runs the transformer once over every token of its vocabulary and keeps the vectors"
        f" as a table (PCA to {DIMS} dimensions, Zipf weights): a static encoder then only looks up and"
        " averages rows, no attention. Scored live on STS-B test pairs (Spearman x100 of cosine vs gold):"
    )
    facts = static_facts(encoder, sts_sample(path), tour.path(STATIC_FOLDER), progress=tour.progress)
    tour.say(f"{facts['tokens']:,} tokens distilled in {facts['distill_seconds']:.0f} s; the table is saved to", "  ")
    print(f"  {facts['folder']}")
    head = [f"{facts['pairs']} pairs", "STS-B", "sentences/s"]
    rows = [[kind, f"{facts[kind]['spearman']:.2f}", f"{facts[kind]['per_second']:,.0f}"]
            for kind in ("static", "transformer")]  # fmt: skip
    print("\n".join("  " + line for line in format_table(head, rows, numeric=[1, 2]).split("\n")))
    ratio = facts["static"]["per_second"] / facts["transformer"]["per_second"]
    points = facts["transformer"]["spearman"] - facts["static"]["spearman"]
    tour.say(
        f"The static table is {ratio:,.0f}x faster for {points:.1f} points less; tokvec.load_encoder(FOLDER) loads it."
    )


def word_vector_facts(path: str | os.PathLike[str], word: str = "king", k: int = 6) -> dict[str, Any]:
    """Neighbours of ``word`` and the analogy man : king = woman : ? in GloVe vectors at ``path``."""
    from ..vectors.formats import load

    kv = load(path, format="glove")
    return {
        "count": len(kv),
        "dims": int(kv.vector_size),
        "word": word,
        "neighbours": [(n.key, n.score) for n in kv.most_similar(word, top_k=k)],
        "analogy": kv.analogy("man", "king", "woman")[0].key,
        "kv": kv,
    }


def show_word_vectors(tour: Tour) -> None:
    """Print the section on word vectors, with a PCA picture written to a file."""
    tour.heading("Word vectors")
    path = tour.data_file(GLOVE)
    if path is None:
        return
    facts = word_vector_facts(path)
    tour.say(
        f"GloVe learned one vector per word from co-occurrence counts; the sample holds the {facts['count']:,}"
        f" most frequent words of glove.6B ({facts['dims']} dimensions), read with tokvec.vectors.formats.load."
        " A word's neighbours share its uses, and differences of vectors carry relations:"
    )
    tour.say(f"nearest to {facts['word']!r}: " + ", ".join(f"{w} {s:.2f}" for w, s in facts["neighbours"]), "  ")
    print(f"  man : king = woman : {facts['analogy']}")
    if not has_matplotlib():
        print("  (no picture: it needs matplotlib: pip install 'tokvec[plot]')")
        return
    from ..analysis import plot_vectors, save_figure

    words = [w for w in PLOT_WORDS if w in facts["kv"]]
    fig = plot_vectors(facts["kv"], words, color_by=PLOT_WORDS, title=f"{len(words)} GloVe words, PCA")
    png = tour.path(PNG)
    save_figure(fig, png)
    tour.say(f"PCA of {len(words)} words, drawn with tokvec.analysis.plot_vectors, written to", "  ")
    print(f"  {png}")


def has_matplotlib() -> bool:
    """Return whether matplotlib (the ``plot`` extra) is installed."""
    return importlib.util.find_spec("matplotlib") is not None


def passages(documents: dict[str, str]) -> tuple[dict[str, str], dict[str, tuple[str, int]]]:
    """Cut ``documents`` into sentences: ``{"doc#k": sentence}`` and where each starts (document id, offset)."""
    texts, where = {}, {}
    for doc_id, text in documents.items():
        for k, m in enumerate(re.finditer(r"\S.*?(?:[.!?](?=\s|$)|$)", text), 1):
            texts[f"{doc_id}#{k}"] = m.group()
            where[f"{doc_id}#{k}"] = (doc_id, m.start())
    return texts, where


def search_facts(encoder: Any, question: str = QUESTION, k: int = 3) -> dict[str, Any]:
    """Index the sentences of the bundled documents and return the ``k`` best for ``question`` with their spans."""
    from ..search import Index

    texts, where = passages(DOCUMENTS)
    index = Index.build(encoder, texts, chunk="tokens", bm25=False)
    hits = []
    for hit in index.search(question, top_k=k):
        doc_id, offset = where[hit.doc_id]
        span = (offset + hit.span[0], offset + hit.span[1])
        hits.append({"passage": hit.doc_id, "document": doc_id, "score": hit.score, "span": span, "text": hit.text})
    return {"documents": len(DOCUMENTS), "passages": len(texts), "question": question, "hits": hits}


def show_search(tour: Tour) -> None:
    """Print the section on semantic search and the command that serves it all."""
    tour.heading("Search and serve")
    encoder = tour.encoder()
    if encoder is not None:
        facts = search_facts(encoder)
        tour.say(
            f"tokvec.search.Index embeds documents once; a question is embedded the same way and the closest"
            f" vectors win, words in common or not. Here {facts['passages']} sentences of {facts['documents']}"
            " bundled documents (a city guide); each hit carries the character span it matched:"
        )
        print(f"  Q: {facts['question']}")
        for hit in facts["hits"]:
            tour.say(f"{hit['score']:.3f}  {hit['passage']:<12} {hit['text']}", "  ")
        best = facts["hits"][0]
        a, b = best["span"]
        text = DOCUMENTS[best["document"]]
        marked = paint(text[a:b], "bold", color=True) if tour.color else f"[[{text[a:b]}]]"
        tour.say(f"{best['document']} [{a}:{b}]: {text[:a]}{marked}{text[b:]}", "  ")
    tour.say("The web app (tokenizer playground, vectors, sentences) and the OpenAI-compatible API in one command:")
    print(f"  {SERVE}")
