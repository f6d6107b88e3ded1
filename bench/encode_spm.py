"""Single-thread encoding throughput of tokvec against sentencepiece (Llama-2, Mistral) and HF tokenizers (T5).

Llama-2 and Mistral-7B (v0.1): the SentencePiece ``tokenizer.model`` files (BPE, byte fallback),
``tokvec.load(path).encode_batch(lines, add_special_tokens=False, num_threads=1)`` (ids, offsets and
tokens; the ids equal sentencepiece's) against ``sentencepiece``'s ``encode`` with ``num_threads=1``.
T5 (t5-small, Unigram with the NFKC character map): there is no T5 ``.model`` file in the shared
data, so tokvec's tokenizer.json pipeline is compared with Hugging Face ``tokenizers`` (``encode_batch``
with RAYON_NUM_THREADS=1) on the same tokenizer.json. Texts are the lines of ELTeC (``--mb`` of it); ids
(and T5's character offsets) are compared line by line (a mismatch prints MISMATCH and exits 1);
each figure is the best of ``--repeat`` runs.

example:
  python bench/encode_spm.py --mb 2 --repeat 1        # a quick look
  python bench/encode_spm.py                          # 16 MB of ELTeC, best of 3
"""

from __future__ import annotations

import argparse
import os
import sys

os.environ.setdefault("RAYON_NUM_THREADS", "1")  # before tokenizers starts its thread pool

from _common import MB, BenchError, data_dir, progress, read_eltec, require, split_lines, table, timed

LLAMA2 = "tokenizers/llama2_spm/tokenizer.model"
MISTRAL = "tokenizers/mistral_spm/tokenizer.model.v1"  # Mistral-7B v0.1 (v3 adds control tokens only)
T5 = "tokenizers/ortx/tokenizer/t5-small/tokenizer.json"


def best(fn, repeat: int):
    runs = [timed(fn) for _ in range(repeat)]
    return min(t for t, _ in runs), runs[0][1]


def spm(lines: list[str], data, repeat: int, rel: str) -> tuple[float, float, bool]:
    """A SentencePiece ``.model`` file: tokvec against sentencepiece, ids compared."""
    import sentencepiece

    import tokvec

    path = require(data, rel)
    ours = tokvec.load(path)
    ref = sentencepiece.SentencePieceProcessor(model_file=str(path))
    ours.encode_batch(lines[:1000], add_special_tokens=False, num_threads=1)  # JIT warm-up
    t_ours, got = best(lambda: ours.encode_batch(lines, add_special_tokens=False, num_threads=1), repeat)
    t_ref, want = best(lambda: ref.encode(lines, num_threads=1), repeat)
    same = got.tolist() == want
    return t_ours, t_ref, same


def t5(lines: list[str], data, repeat: int) -> tuple[float, float, bool]:
    import tokenizers

    import tokvec

    path = require(data, T5)
    ours = tokvec.load(path)
    ref = tokenizers.Tokenizer.from_file(str(path))
    ours.encode_batch(lines[:1000], num_threads=1)
    t_ours, got = best(lambda: ours.encode_batch(lines, num_threads=1), repeat)
    t_ref, want = best(lambda: ref.encode_batch(lines), repeat)
    same = got.tolist() == [w.ids for w in want]
    offsets = got.offsets.tolist()  # the batch's flat offsets, each text's from 0
    same = same and offsets == [list(o) for w in want for o in w.offsets]
    return t_ours, t_ref, same


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=16.0, help="MB of ELTeC to encode (default 16)")
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs (default 3)")
    parser.add_argument("--data", help="the shared data folder (default $TOKVEC_TEST_DATA or ../shared/data)")
    parser.add_argument("--only", choices=["llama2", "mistral", "t5"], help="run one of the three")
    args = parser.parse_args(argv)
    try:
        data = data_dir(args.data)
        text = read_eltec(data, args.mb)
        lines = split_lines(text)
        size = len(text.encode("utf-8")) / MB
        rows, ok = [], True
        runs = [
            ("Llama-2", lambda: spm(lines, data, args.repeat, LLAMA2), "sentencepiece"),
            ("Mistral-7B", lambda: spm(lines, data, args.repeat, MISTRAL), "sentencepiece"),
            ("T5 (t5-small)", lambda: t5(lines, data, args.repeat), "HF tokenizers"),
        ]
        for name, fn, ref_name in runs:
            if args.only and not name.lower().replace("-", "").startswith(args.only):
                continue
            progress(f"{name}: {size:.1f} MB, {len(lines)} lines")
            t_ours, t_ref, same = fn()
            ok &= same
            rows.append([name, ref_name, f"{size / t_ours:.2f} MB/s", f"{size / t_ref:.2f} MB/s",
                         f"{t_ref / t_ours:.2f}x", "identical" if same else "MISMATCH"])  # fmt: skip
        print(table(["tokenizer", "reference", "tokvec 1 thread", "reference 1 thread", "ratio", "ids"], rows))
        return 0 if ok else 1
    except BenchError as e:
        print(f"encode_spm.py: error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
