"""The BPE learning step alone: ``learn_bpe`` on ELTeC's counted words, without the counting.

This is the step that ``train_files("bpe", ...)`` runs once, serially, on the client after the
workers' counts are merged (bench/cluster.py), so it bounds the speed-up of training on a cluster.
ELTeC's words are counted once (64 MB, the gpt2 pre-tokenizer, or ``whitespace`` for
character-level BPE with ``--char``); then ``learn_bpe`` runs once to warm numba's cache, and
``--repeat`` times on the clock. The table of 4 copies of ELTeC (bench/cluster.py) holds the same
words with 4 times the counts, and learns the same merges in about the same time.

example:
  python bench/learn_bpe.py                   # byte-level, vocab 4,096 and 32,000, 5 runs each
  python bench/learn_bpe.py --char --vocab 4096,32000 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

from _common import ELTEC, BenchError, data_dir, progress, require


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=None, help="the shared data folder (default: $TOKVEC_TEST_DATA)")
    parser.add_argument("--vocab", default="4096,32000", help="vocab sizes, comma-separated (default 4096,32000)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each vocab size (default 5)")
    parser.add_argument("--char", action="store_true", help="character-level BPE on whitespace words")
    parser.add_argument("--json", default=None, help="also write the figures here")
    args = parser.parse_args()
    source = require(data_dir(args.data), ELTEC)
    from tokvec.tokens.trainers.bpe import learn_bpe
    from tokvec.tokens.trainers.config import BpeConfig
    from tokvec.tokens.trainers.counting import count_words

    pre_tokenizer = "whitespace" if args.char else "gpt2"
    start = time.perf_counter()
    words = count_words([source], pre_tokenizer=pre_tokenizer)
    seconds = time.perf_counter() - start
    progress(f"counted {len(words):,} distinct words, {words.offsets[-1]:,} bytes in {seconds:.1f} s")
    rows = []
    for vocab in [int(v) for v in args.vocab.split(",") if v]:
        config = BpeConfig(vocab_size=vocab, pre_tokenizer=pre_tokenizer, byte_level=not args.char)
        learn_bpe(words, config)  # numba's cache, outside the clock
        times = []
        for _ in range(max(1, args.repeat)):
            start = time.perf_counter()
            result = learn_bpe(words, config)
            times.append(time.perf_counter() - start)
        rows.append({"vocab": vocab, "merges": len(result.merges), "best_s": round(min(times), 4),
                     "median_s": round(statistics.median(times), 4), "load": round(os.getloadavg()[0], 2)})  # fmt: skip
        progress(str(rows[-1]))
    print(f"{'vocab':>7} {'merges':>7} {'best s':>7} {'median s':>8} {'load':>5}")
    for r in rows:
        print(f"{r['vocab']:>7} {r['merges']:>7} {r['best_s']:>7.3f} {r['median_s']:>8.3f} {r['load']:>5.2f}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"rows": rows, "words": len(words), "pre_tokenizer": pre_tokenizer}, f, indent=1)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as e:
        print(f"bench/learn_bpe.py: {e}", file=sys.stderr)
        sys.exit(2)
