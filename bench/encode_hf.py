"""Single-thread WordPiece (bert-base-uncased) throughput of tokvec against HF ``tokenizers``, same run.

tokvec's fused BERT path (:class:`tokvec.tokens.fused.bert.BertFastPath`: BertNormalizer,
BertPreTokenizer and WordPiece in one numba pass over the batch, giving ids, character offsets
and word ids), called directly and through the public ``tokvec.load(...).encode_batch`` (which
routes BERT through it and builds the batch: added tokens, word ids, offsets), against
``tokenizers``' ``encode_batch`` (RAYON_NUM_THREADS=1, no special tokens; it also gives offsets and
word ids) on the lines of ELTeC. All read the same tokenizer.json (padding and truncation switched
off). Ids and offsets of the kernel are compared line by line, the public path's ids too (a mismatch
prints MISMATCH and exits 1); each figure is the best of ``--repeat`` runs; the tokvec times include
turning the Python strings into code points.

example:
  python bench/encode_hf.py --mb 2 --repeat 1        # a quick look
  python bench/encode_hf.py                          # 16 MB of ELTeC, best of 3
"""

from __future__ import annotations

import argparse
import json
import os
import sys

os.environ.setdefault("RAYON_NUM_THREADS", "1")  # before tokenizers starts its thread pool

from _common import MB, BenchError, data_dir, progress, read_eltec, require, split_lines, table, timed

BERT = "tokenizers/bert-base-uncased/tokenizer.json"


def best(fn, repeat: int):
    runs = [timed(fn) for _ in range(repeat)]
    return min(t for t, _ in runs), runs[0][1]


def bert(lines: list[str], data, repeat: int) -> tuple[float, float, float, bool]:
    import numpy as np
    import tokenizers

    import tokvec
    from tokvec.tokens import normalizers, pre_tokenizers
    from tokvec.tokens.fused.bert import BertFastPath
    from tokvec.tokens.models.wordpiece import WordPiece

    obj = json.loads(require(data, BERT).read_text(encoding="utf-8"))
    obj["padding"] = obj["truncation"] = None
    ref = tokenizers.Tokenizer.from_str(json.dumps(obj))
    path = BertFastPath.maybe(
        normalizers.from_json(obj["normalizer"]),
        pre_tokenizers.from_json(obj["pre_tokenizer"]),
        WordPiece.from_json(obj["model"]),
    )

    def ours(texts: list[str]):
        cps = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        seg = np.zeros(len(texts) + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)), out=seg[1:])
        return seg, path.encode_segments(cps, seg)

    public = tokvec.load(str(require(data, BERT))).with_padding(None).with_truncation(None)

    def loaded(texts: list[str]):
        return public.encode_batch(texts, add_special_tokens=False, num_threads=1)

    ours(lines[:1000])  # JIT warm-up and the character table
    loaded(lines[:1000])
    t_ours, (seg, (ids, starts, ends, _words, seg_tokens, _unknown)) = best(lambda: ours(lines), repeat)
    t_load, batch = best(lambda: loaded(lines), repeat)
    t_ref, want = best(lambda: ref.encode_batch(lines, add_special_tokens=False), repeat)
    same = batch.tolist() == [e.ids for e in want]
    if not same:
        progress("MISMATCH: tokvec.load(...).encode_batch ids differ from HF")
    for k, enc in enumerate(want):
        a, b = seg_tokens[k], seg_tokens[k + 1]
        if ids[a:b].tolist() != enc.ids or (np.stack([starts[a:b], ends[a:b]], 1) - seg[k]).tolist() != [
            list(o) for o in enc.offsets
        ]:
            progress(f"MISMATCH at line {k}: {lines[k][:60]!r}")
            same = False
            break
    return t_ours, t_load, t_ref, same


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=16.0, help="MB of ELTeC to encode (default 16)")
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs (default 3)")
    parser.add_argument("--data", help="the shared data folder (default $TOKVEC_TEST_DATA or ../shared/data)")
    args = parser.parse_args(argv)
    try:
        data = data_dir(args.data)
        text = read_eltec(data, args.mb)
        lines = split_lines(text)
        size = len(text.encode("utf-8")) / MB
        progress(f"bert-base-uncased: {size:.1f} MB, {len(lines)} lines")
        t_ours, t_load, t_ref, same = bert(lines, data, args.repeat)
        rows = []
        for label, t in [("fused kernel (BertFastPath)", t_ours), ("tokvec.load(...).encode_batch", t_load)]:
            rows.append(["bert-base-uncased", label, f"{size / t:.2f} MB/s", f"{size / t_ref:.2f} MB/s",
                         f"{t_ref / t:.2f}x", "identical" if same else "MISMATCH"])  # fmt: skip
        print(table(["tokenizer", "tokvec path", "tokvec 1 thread", "HF tokenizers 1 thread", "ratio", "ids+offsets"],
                    rows))  # fmt: skip
        return 0 if same else 1
    except BenchError as e:
        print(f"encode_hf.py: error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
