"""Parity over FLORES-200 (204 languages, dev + devtest) with 4 tokenizers: tokvec's time against the reference's.

tokvec runs ``tokvec.analysis.parity`` (one ``encode_batch`` per language and tokenizer, progress bar on
stderr); the reference counts the same sentences with tiktoken (built offline from the same rank files,
``encode_ordinary`` in chunks on --threads threads) or, for a tokenizer.json preset, with Hugging Face
``tokenizers`` (``encode_batch`` without added special tokens). The counts of every language must be
equal (a mismatch prints MISMATCH and exits 1). The goal: the whole tokvec run under 60 seconds.

Tokenizers: --tokenizers (default gpt2,cl100k_base,o200k_base,llama3: the four byte-level BPE encodings);
``llama3`` is Llama-3's rank file from the data folder. Pipeline presets work too
(``--tokenizers gpt2,cl100k_base,o200k_base,bert-base-uncased``); their speed is the loader's.

example:
  python bench/parity.py --languages eng_Latn,deu_Latn,zho_Hans    # a quick look
  python bench/parity.py --json parity.json                        # 204 languages x 4 tokenizers
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from _common import ALIASES, BenchError, data_dir, machine, progress, require, table, write_json

HF_FILES = {"bert-base-uncased": "tokenizers/bert-base-uncased/tokenizer.json"}


def tiktoken_counts(ref: Any, sentences: list[str], threads: int, chunk: int = 2000) -> int:
    """Count tokens with tiktoken's ``encode_ordinary`` in chunks on ``threads`` threads (it releases the GIL)."""
    with ThreadPoolExecutor(threads) as pool:
        parts = pool.map(
            lambda k: sum(len(ref.encode_ordinary(s)) for s in sentences[k : k + chunk]),
            range(0, len(sentences), chunk),
        )
        return sum(parts)


def reference_of(name: str, tok: Any, data: Any) -> tuple[str, Any]:
    """Return (label, a function sentences -> token count) of the reference library for ``tok``."""
    from _common import load_reference

    if name in HF_FILES:
        import tokenizers

        ref = tokenizers.Tokenizer.from_file(str(require(data, HF_FILES[name])))
        ref.no_padding()
        ref.no_truncation()
        return "tokenizers", lambda s, threads: sum(len(e.ids) for e in ref.encode_batch(s, add_special_tokens=False))
    key = ALIASES.get(name, name if name in ("r50k", "cl100k", "o200k", "llama3") else "llama3")
    ref = load_reference(key, data)
    return "tiktoken", lambda s, threads: tiktoken_counts(ref, s, threads)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tokenizers", default="gpt2,cl100k_base,o200k_base,llama3")
    parser.add_argument("--languages", default="", help="comma-separated codes (default: all 204)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--data", help="the shared data folder (default: $TOKVEC_TEST_DATA or ../shared/data)")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    args = parser.parse_args()
    data = data_dir(args.data)
    import tokvec
    from tokvec.analysis.parity import load_flores, parity

    require(data, "flores200/flores_language_map.csv")
    languages = [c for c in args.languages.split(",") if c]
    if languages and "eng_Latn" not in languages:
        languages.insert(0, "eng_Latn")
    corpus = load_flores(data / "flores200", languages=languages)
    n_sentences = sum(map(len, corpus.sentences.values()))
    size = sum(len(s.encode("utf-8")) for s in itertools.chain.from_iterable(corpus.sentences.values()))
    names, toks = [], []
    for name in [n for n in args.tokenizers.split(",") if n]:
        if name == "llama3":
            toks.append(tokvec.load(require(data, "tokenizers/llama3_tiktoken/tokenizer.model")))
        else:
            toks.append(tokvec.load(name))
        names.append(name)
    progress(f"{len(corpus.codes)} languages, {n_sentences:,} sentences, {size / 1e6:.1f} MB; warming up")
    warm = {c: corpus.sentences[c][:20] for c in corpus.codes[:3]}
    parity(toks, type(corpus)(warm), baseline=corpus.codes[0], progress=False, num_threads=args.threads)

    import numpy as np

    columns, ours_times = [], []
    for name, tok in zip(names, toks, strict=True):
        progress(f"tokvec parity with {name}")
        start = time.perf_counter()
        columns.append(parity([tok], corpus, progress=True, num_threads=args.threads).counts[:, 0])
        ours_times.append(time.perf_counter() - start)
    counts = np.stack(columns, axis=1)
    ours_total = sum(ours_times)

    rows, records, mismatch = [], [], False
    for t, name in enumerate(names):
        label, count = reference_of(name, toks[t], data)
        progress(f"reference {label} for {name}")
        start = time.perf_counter()
        want = [count(corpus.sentences[c], args.threads) for c in corpus.codes]
        ref_s = time.perf_counter() - start
        equal = want == counts[:, t].tolist()
        mismatch |= not equal
        ours_s = ours_times[t]
        rows.append(
            [name, label, f"{ours_s:.1f}", f"{ref_s:.1f}", f"{ref_s / ours_s:.2f}x", "yes" if equal else "MISMATCH"]
        )
        records.append(
            {"tokenizer": name, "reference": label, "tokvec_s": ours_s, "reference_s": ref_s, "equal": equal}
        )
    print(f"parity: {len(corpus.codes)} languages x {len(names)} tokenizers, dev + devtest, {args.threads} threads")
    print(table(["tokenizer", "reference", "tokvec s", "reference s", "ratio", "counts equal"], rows))
    verdict = "under" if ours_total < 60 else "OVER"
    print(f"tokvec total: {ours_total:.1f} s for all tokenizers ({verdict} the 60 s goal)")
    if args.json:
        write_json(args.json, {"machine": machine(), "total_s": ours_total, "rows": records})
    return 1 if mismatch else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as e:
        print(f"bench/parity.py: {e}", file=sys.stderr)
        sys.exit(2)
