"""Training time and peak memory of tokvec, Hugging Face tokenizers and sentencepiece, on ELTeC (64 MB).

Every (library, algorithm) pair trains in a fresh process on the same lines (the first --mb MB of
ELTeC, read into memory before the clock starts): BPE (tokvec byte-level, HF BpeTrainer with the
ByteLevel pre-tokenizer, sentencepiece BPE), WordPiece (tokvec by score, tokvec by frequency, HF
WordPieceTrainer) and Unigram (tokvec, sentencepiece; HF UnigramTrainer with --hf-unigram, slow).
All run on --threads threads (RAYON_NUM_THREADS for HF, num_threads for sentencepiece; tokvec's
trainers use one). tokvec first trains once on a few lines so that numba's cached machine code is
loaded outside the clock. Peak memory is the process's peak RSS minus its RSS after reading the text.
Ratios compare with the reference of each family in the same run; machines here are shared and noisy.

example:
  python bench/train.py --mb 2 --vocab 8000                 # a quick look (about a minute)
  python bench/train.py --json train.json                   # everything at 64 MB, vocab 32,000
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import subprocess
import sys
import time

from _common import ELTEC, BenchError, data_dir, proc_status, progress, require

JOBS = {
    "bpe": [("tokvec", "bpe"), ("hf", "bpe"), ("spm", "bpe")],
    "wordpiece": [("tokvec", "wordpiece"), ("tokvec", "wordpiece-frequency"), ("hf", "wordpiece")],
    "unigram": [("tokvec", "unigram"), ("spm", "unigram")],
}
REFERENCE = {"bpe": ("hf", "bpe"), "wordpiece": ("hf", "wordpiece"), "unigram": ("spm", "unigram")}


def read_lines(path, megabytes: float) -> list[str]:
    out, size = [], 0
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        for line in f:
            if size >= megabytes * 1e6:
                break
            out.append(line)
            size += len(line.encode("utf-8"))
    return out


def train(lib: str, algo: str, lines: list[str], vocab: int, threads: int) -> int:
    """Train once; return the vocabulary size made."""
    if lib == "tokvec":
        import tokvec

        if algo == "bpe":
            return len(tokvec.train_bpe(lines, vocab_size=vocab, min_frequency=2, progress=False).tokens)
        if algo.startswith("wordpiece"):
            score = "frequency" if algo.endswith("frequency") else "likelihood"
            return len(tokvec.train_wordpiece(lines, vocab_size=vocab, score=score, progress=False).tokens)
        return len(tokvec.train_unigram([x.strip() for x in lines], vocab_size=vocab, progress=False).pieces)
    if lib == "hf":
        import tokenizers as tk

        if algo == "bpe":
            tok = tk.Tokenizer(tk.models.BPE())
            tok.pre_tokenizer = tk.pre_tokenizers.ByteLevel(add_prefix_space=False)
            trainer = tk.trainers.BpeTrainer(
                vocab_size=vocab, min_frequency=2, special_tokens=["<|endoftext|>"], show_progress=False,
                initial_alphabet=tk.pre_tokenizers.ByteLevel.alphabet(),
            )  # fmt: skip
        elif algo == "wordpiece":
            tok = tk.Tokenizer(tk.models.WordPiece(unk_token="[UNK]"))
            tok.pre_tokenizer = tk.pre_tokenizers.Whitespace()
            specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
            trainer = tk.trainers.WordPieceTrainer(vocab_size=vocab, special_tokens=specials, show_progress=False)
        else:
            tok = tk.Tokenizer(tk.models.Unigram())
            tok.pre_tokenizer = tk.pre_tokenizers.Metaspace()
            trainer = tk.trainers.UnigramTrainer(vocab_size=vocab, special_tokens=["<unk>"], show_progress=False)
        tok.train_from_iterator(lines, trainer)
        return tok.get_vocab_size()
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter([x.strip() for x in lines if x.strip()]), model_writer=model, vocab_size=vocab,
        model_type=algo, normalization_rule_name="identity", num_threads=threads, minloglevel=2,
        split_by_unicode_script=False, split_by_number=False, max_sentence_length=1 << 20,
    )  # fmt: skip
    return spm.SentencePieceProcessor(model_proto=model.getvalue()).get_piece_size()


def worker(args: argparse.Namespace) -> None:
    lib, algo = args.worker.split(":")
    lines = read_lines(require(data_dir(args.data), ELTEC), args.mb)
    if lib == "tokvec":
        train(lib, algo, lines[:200], 1000 if algo == "unigram" else 2000, args.threads)  # load cached machine code
    base = (proc_status("VmRSS") or 0) / 1e6
    start = time.perf_counter()
    made = train(lib, algo, lines, args.vocab, args.threads)
    seconds = time.perf_counter() - start
    peak = (proc_status("VmHWM") or 0) / 1e6  # MB; VmHWM, not ru_maxrss, which survives exec
    print(json.dumps({"lib": lib, "algo": algo, "seconds": seconds, "peak_mb": peak - base, "vocab": made}))


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__.split("example:")[1],
                                formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    p.add_argument("--mb", type=float, default=64.0, help="MB of ELTeC to train on (default: all 64)")
    p.add_argument("--vocab", type=int, default=32000)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--families", default="bpe,wordpiece,unigram")
    p.add_argument("--hf-unigram", action="store_true", help="also time HF's UnigramTrainer (minutes)")
    p.add_argument("--data", default=None)
    p.add_argument("--json", default=None, help="also write the results here")
    p.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    args = p.parse_args()
    try:
        if args.worker:
            worker(args)
            return 0
        require(data_dir(args.data), ELTEC)
        env = {**os.environ, "RAYON_NUM_THREADS": str(args.threads), "NUMBA_NUM_THREADS": str(args.threads)}
        results = []
        for family in args.families.split(","):
            jobs = list(JOBS[family]) + ([("hf", "unigram")] if family == "unigram" and args.hf_unigram else [])
            for lib, algo in jobs:
                progress(f"{family}: {lib} {algo} on {args.mb:g} MB, vocab {args.vocab}")
                cmd = [sys.executable, __file__, "--worker", f"{lib}:{algo}", "--mb", str(args.mb),
                       "--vocab", str(args.vocab), "--threads", str(args.threads)]  # fmt: skip
                if args.data:
                    cmd += ["--data", args.data]
                done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
                if done.returncode != 0:
                    raise BenchError(f"{lib} {algo} failed:\n{done.stderr[-2000:]}")
                results.append({"family": family, **json.loads(done.stdout.strip().splitlines()[-1])})
    except BenchError as e:
        print(f"bench/train.py: {e}", file=sys.stderr)
        return 2
    print(f"ELTeC first {args.mb:g} MB, vocab {args.vocab}, {args.threads} thread(s); ratio = time / reference time")
    print(f"{'family':10} {'library':8} {'algorithm':22} {'seconds':>8} {'peak MB':>8} {'vocab':>6} {'time ratio':>10}")
    for r in results:
        ref = next(x for x in results if (x["lib"], x["algo"]) == REFERENCE[r["family"]] and x["family"] == r["family"])
        ratio = r["seconds"] / ref["seconds"]
        print(f"{r['family']:10} {r['lib']:8} {r['algo']:22} {r['seconds']:8.2f} {r['peak_mb']:8.0f} {r['vocab']:6d} "
              f"{ratio:10.2f}x")  # fmt: skip
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(results, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
