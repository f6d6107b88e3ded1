"""Single-thread WordPiece (bert-base-uncased) throughput of tokvec against HF ``tokenizers``, same run.

tokvec's fused BERT path (:class:`tokvec.tokens.bert_fast.BertFastPath`: BertNormalizer,
BertPreTokenizer and WordPiece in one numba pass over the batch, giving ids, character offsets
and word ids) against ``tokenizers``' ``encode_batch`` (RAYON_NUM_THREADS=1, no special tokens;
it also gives offsets and word ids) on the lines of ELTeC. Both read the same tokenizer.json
(padding and truncation switched off). Ids and offsets are compared line by line (a mismatch
prints MISMATCH and exits 1); each figure is the best of ``--repeat`` runs; the tokvec time includes
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


def bert(lines: list[str], data, repeat: int) -> tuple[float, float, bool]:
    import numpy as np
    import tokenizers

    from tokvec.tokens import normalizers, pre_tokenizers
    from tokvec.tokens.bert_fast import BertFastPath
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

    ours(lines[:1000])  # JIT warm-up and the character table
    t_ours, (seg, (ids, starts, ends, _words, seg_tokens)) = best(lambda: ours(lines), repeat)
    t_ref, want = best(lambda: ref.encode_batch(lines, add_special_tokens=False), repeat)
    same = True
    for k, enc in enumerate(want):
        a, b = seg_tokens[k], seg_tokens[k + 1]
        if ids[a:b].tolist() != enc.ids or (np.stack([starts[a:b], ends[a:b]], 1) - seg[k]).tolist() != [
            list(o) for o in enc.offsets
        ]:
            progress(f"MISMATCH at line {k}: {lines[k][:60]!r}")
            same = False
            break
    return t_ours, t_ref, same


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
        t_ours, t_ref, same = bert(lines, data, args.repeat)
        row = ["bert-base-uncased (WordPiece)", f"{size / t_ours:.2f} MB/s", f"{size / t_ref:.2f} MB/s"]
        row += [f"{t_ref / t_ours:.2f}x", "identical" if same else "MISMATCH"]
        print(table(["tokenizer", "tokvec 1 thread", "HF tokenizers 1 thread", "ratio", "ids+offsets"], [row]))
        return 0 if same else 1
    except BenchError as e:
        print(f"encode_hf.py: error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
