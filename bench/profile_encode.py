"""Where one thread's encoding time goes, stage by stage, for every fast path (the kernels' performance notes).

Each stage is timed alone on its own input (best of ``--repeat``), then the whole public call: the stages
do not add up exactly (caches warm differently), but they show what the next change should target.

- byte-level (r50k, cl100k, o200k, Llama-3), the whole text as one string: ``str -> UTF-8`` (a view of the
  string's cached UTF-8 after the first call), the scan alone (``split_bounds``: pieces, no lookups), the
  kernel (``encode_docs``: scan + cache + whole-token table + merges) and ``encode_ordinary``;
- Llama-2 ``.model`` (SentencePiece BPE), the lines as one batch: ``str -> UTF-32``, the normalizer
  (``normalize_batch``), the merges (``encode_words``), the token spans (``token_spans``) and
  ``encode_batch(add_special_tokens=False)``;
- t5-small (Unigram): the character map (``first_match_each``), Metaspace (``metaspace_pieces``), Viterbi
  (``viterbi``) and ``encode_batch``;
- bert-base-uncased (WordPiece): normalize and split (``normalize_split``), WordPiece (``wordpiece_words``)
  and ``encode_batch(add_special_tokens=False)``.

example:
  python bench/profile_encode.py --mb 4 --repeat 2        # a quick look
  python bench/profile_encode.py                          # 16 MB of ELTeC (8 MB for the line batches)
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from typing import Any

from _common import MB, BenchError, data_dir, load_ours, progress, read_eltec, require, split_lines, table

LLAMA2 = "tokenizers/llama2_spm/tokenizer.model"
T5 = "tokenizers/ortx/tokenizer/t5-small/tokenizer.json"
BERT = "tokenizers/bert-base-uncased/tokenizer.json"


def best(fn: Callable[[], Any], repeat: int) -> float:
    """The fastest of ``repeat`` runs of ``fn``, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def byte_level(name: str, text: str, data, repeat: int) -> list[list[str]]:
    import numpy as np

    from tokvec.kernels.bpe import encode_docs
    from tokvec.kernels.pretokenize import split_bounds
    from tokvec.tokens.unicode import class_table

    tok = load_ours(name, data)
    engine, cls = tok.engine, class_table()
    m, grammar = engine.model, engine.pattern.grammar
    buf = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    docs = np.array([0, len(buf)], dtype=np.int64)
    tok.encode_ordinary(text[:10000])  # the JIT and the class table

    def kernel():
        return encode_docs(buf, docs, cls, grammar, docs[:1], m.byte_ids, m.tok_bytes, m.tok_off, m.whole, m.pairs,
                           m.whole_first)  # fmt: skip

    pieces = len(split_bounds(buf, 0, len(buf), cls, grammar)) - 1
    stages = [
        ("str -> UTF-8", lambda: text.encode("utf-8")),
        ("scan only (split_bounds)", lambda: split_bounds(buf, 0, len(buf), cls, grammar)),
        ("kernel (encode_docs)", kernel),
        ("encode_ordinary", lambda: tok.encode_ordinary(text)),
    ]
    return _rows(name, stages, repeat, len(buf), pieces, "pieces")


def batch_paths(lines: list[str], data, repeat: int) -> list[list[str]]:
    import numpy as np

    import tokvec
    from tokvec.kernels import bert as kb
    from tokvec.kernels import charsmap as kc
    from tokvec.kernels import metaspace as km
    from tokvec.kernels.spans import token_spans
    from tokvec.tokens.fused.bert import char_map
    from tokvec.tokens.fused.unigram import _PREPEND
    from tokvec.tokens.normalizers import hf_unicode as hu

    joined = "".join(lines)
    size = len(joined.encode("utf-8"))
    cps = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    seg = np.zeros(len(lines) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, lines), dtype=np.int64, count=len(lines)), out=seg[1:])
    rows = []

    llama = tokvec.load(require(data, LLAMA2))
    norm, model = llama.engine.fast.normalizer, llama.engine.fast.model
    llama.encode_batch(lines[:500], add_special_tokens=False, num_threads=1)
    out, lo, hi, nb = norm.run_batch(cps, seg)
    ids, st, en = model.encode_pieces(out, nb)
    st, en = np.asarray(st, np.int64), np.maximum(np.asarray(en, np.int64), np.asarray(st, np.int64) + 1)
    rows += _rows("Llama-2", [
        ("str -> UTF-32", lambda: joined.encode("utf-32-le")),
        ("normalizer (normalize_batch)", lambda: norm.run_batch(cps, seg)),
        ("merges (encode_words)", lambda: model.encode_pieces(out, nb)),
        ("spans (token_spans)", lambda: token_spans(seg, nb, lo, hi, st, en)),
        ("encode_batch", lambda: llama.encode_batch(lines, add_special_tokens=False, num_threads=1)),
    ], repeat, size, len(ids), "tokens")  # fmt: skip

    t5 = tokvec.load(require(data, T5))
    path = t5.engine.fast
    t5.encode_batch(lines[:500], num_threads=1)
    cm = path.normalizer.charsmap
    ncps, nsrc, nbounds = path.normalize(cps, seg)
    ms = path.metaspace
    meta_args = (ncps, nsrc, nbounds, seg[:-1], hu.flags(), hu.WHITESPACE, path.whitespace_split,
                 ord(ms.replacement), _PREPEND[ms.prepend_scheme], ms.split_words)  # fmt: skip
    pcps, _, piece_bounds, _ = km.metaspace_pieces(*meta_args)
    rows += _rows("t5-small", [
        ("character map (first_match_each)", lambda: kc.first_match_each(cps, cm.units, cm.blob_cps, cm.blob_at)),
        ("normalize, all of it", lambda: path.normalize(cps, seg)),
        ("Metaspace (metaspace_pieces)", lambda: km.metaspace_pieces(*meta_args)),
        ("Viterbi (viterbi)", lambda: path.model.encode_pieces(pcps, piece_bounds)),
        ("encode_batch", lambda: t5.encode_batch(lines, num_threads=1)),
    ], repeat, size, len(piece_bounds) - 1, "pieces")  # fmt: skip

    bert = tokvec.load(require(data, BERT)).with_padding(None).with_truncation(None)
    bpath = bert.engine.fast
    bert.encode_batch(lines[:500], add_special_tokens=False, num_threads=1)
    n = bpath.normalizer
    map_idx, map_off, map_vals, _ = char_map(n.strips_accents, n.lowercase)
    split_args = (cps, seg, hu.flags(), map_idx, map_off, map_vals, n.clean_text, n.handle_chinese_chars)
    ncp, nsrc2, word_bounds, _ = kb.normalize_split(*split_args)
    edges, node_id, cont_root = bpath.model.trie
    wp_args = (edges, node_id, cont_root, bpath.model.unk_id, bpath.model.max_input_chars_per_word, ncp, nsrc2,
               word_bounds)  # fmt: skip
    rows += _rows("bert-base-uncased", [
        ("normalize + split (normalize_split)", lambda: kb.normalize_split(*split_args)),
        ("WordPiece (wordpiece_words)", lambda: kb.wordpiece_words(*wp_args)),
        ("the fast path (encode_segments)", lambda: bpath.encode_segments(cps, seg)),
        ("encode_batch", lambda: bert.encode_batch(lines, add_special_tokens=False, num_threads=1)),
    ], repeat, size, len(word_bounds) - 1, "words")  # fmt: skip
    return rows


def _rows(name: str, stages, repeat: int, size: int, units: int, unit: str) -> list[list[str]]:
    """One row per (label, fn) stage: time, time per unit, MB/s of the text; the units' count on the last row."""
    rows = []
    for label, fn in stages:
        progress(f"{name}: {label}")
        fn()  # warm
        seconds = best(fn, repeat)
        rows.append([name, label, f"{seconds * 1e3:.1f} ms", f"{seconds * 1e9 / max(units, 1):.1f} ns/{unit[:-1]}",
                     f"{size / MB / seconds:.1f} MB/s", ""])  # fmt: skip
    rows[-1][-1] = f"{units:,} {unit}"
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=16.0, help="MB of ELTeC for the byte-level rows (default 16)")
    parser.add_argument("--batch-mb", type=float, default=8.0, help="MB of ELTeC lines for the batch rows (default 8)")
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs (default 3)")
    parser.add_argument("--encodings", nargs="*", default=["r50k", "cl100k", "o200k", "llama3"])
    parser.add_argument("--data", help="the shared data folder (default $TOKVEC_TEST_DATA or ../shared/data)")
    args = parser.parse_args(argv)
    try:
        data = data_dir(args.data)
        text = read_eltec(data, args.mb)
        rows = []
        for name in args.encodings:
            rows += byte_level(name, text, data, args.repeat)
        rows += batch_paths(split_lines(read_eltec(data, args.batch_mb)), data, args.repeat)
        print(f"ELTeC, one thread, best of {args.repeat}; load average {os.getloadavg()[0]:.2f}")
        print(table(["tokenizer", "stage", "time", "per unit", "MB/s of text", "units"], rows))
        return 0
    except BenchError as e:
        print(f"profile_encode.py: error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
