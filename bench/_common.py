"""Shared helpers of the benchmarks: data paths, the tokvec/tiktoken pair, timing, tables, JSON.

Standard library only at import time: the memory benchmark re-runs ``encode.py`` in a fresh process for
tiktoken alone, and that process must not pay for importing numpy or numba.
"""

from __future__ import annotations

import base64
import gc
import gzip
import json
import math
import os
import pathlib
import platform
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

ROOT = pathlib.Path(__file__).resolve().parents[1]
ELTEC = "text/eltec-eng/eltec-eng.txt.gz"
MB = 1_000_000  # throughput is in MB/s of UTF-8 text, 1 MB = 10**6 bytes

# name -> (rank file inside the data folder, pattern constant in tokvec.tokens.pre_tokenizers, bundled copy)
ENCODINGS: dict[str, tuple[str, str, str | None]] = {
    "r50k": ("tokenizers/tiktoken/r50k_base.tiktoken", "R50K_PATTERN", "r50k_base.tiktoken"),
    "cl100k": ("tokenizers/tiktoken/cl100k_base.tiktoken", "CL100K_PATTERN", "cl100k_base.tiktoken"),
    "o200k": ("tokenizers/tiktoken/o200k_base.tiktoken", "O200K_PATTERN", "o200k_base.tiktoken"),
    "llama3": ("tokenizers/llama3_tiktoken/tokenizer.model", "LLAMA3_PATTERN", None),
}
ALIASES = {"gpt2": "r50k", "r50k_base": "r50k", "cl100k_base": "cl100k", "o200k_base": "o200k", "llama-3": "llama3"}

T = TypeVar("T")


class BenchError(Exception):
    """A problem the user can fix (missing data, unknown name); the script prints it and exits 2."""


def progress(message: str) -> None:
    """Print one progress line on stderr (results go to stdout)."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def data_dir(option: str | None) -> pathlib.Path:
    """Return the shared data folder: ``--data``, else $TOKVEC_TEST_DATA, else ../shared/data from the repo."""
    if option:
        return pathlib.Path(option)
    return pathlib.Path(os.environ.get("TOKVEC_TEST_DATA", ROOT.parent / "shared" / "data"))


def require(data: pathlib.Path, relative: str) -> pathlib.Path:
    """Return ``data/relative``, or raise BenchError saying how to point the script at the data."""
    path = data / relative
    if not path.is_file():
        raise BenchError(
            f"data file {path} is missing. Point --data or the environment variable TOKVEC_TEST_DATA at the "
            f"shared data folder (the one holding text/ and tokenizers/); the default is {ROOT.parent}/shared/data."
        )
    return path


def encoding_names(values: Sequence[str]) -> list[str]:
    """Resolve ``['cl100k,o200k', 'llama3']`` to known short names, in order, without repeats."""
    names: list[str] = []
    for value in values:
        for part in value.split(","):
            part = part.strip().lower()
            if not part:
                continue
            name = ALIASES.get(part, part)
            if name not in ENCODINGS:
                raise BenchError(f"unknown encoding {part!r}; choose from {', '.join(ENCODINGS)}")
            if name not in names:
                names.append(name)
    if not names:
        raise BenchError(f"no encoding given; choose from {', '.join(ENCODINGS)}")
    return names


def rank_file(name: str, data: pathlib.Path) -> pathlib.Path:
    """Return the rank file of ``name``: the shared copy, else (r50k, cl100k, o200k) the one bundled with tokvec."""
    relative, _, bundled = ENCODINGS[name]
    path = data / relative
    if path.is_file() or bundled is None:
        return require(data, relative)
    return ROOT / "src" / "tokvec" / "data" / "tokenizers" / bundled


def pattern_of(name: str) -> str:
    """Return the split pattern of ``name`` (imports tokvec)."""
    from tokvec.tokens import pre_tokenizers

    return getattr(pre_tokenizers, ENCODINGS[name][1])


def plain_ranks(path: pathlib.Path) -> dict[bytes, int]:
    """Read a tiktoken rank file with the standard library (what tokvec's ``load_ranks`` returns)."""
    with open(path, "rb") as f:
        return {base64.b64decode(t): int(r) for t, r in (line.split() for line in f if line.strip())}


def load_ours(name: str, data: pathlib.Path):
    """Return the tokvec tokenizer of ``name``, read from the same rank file as the reference."""
    import tokvec

    return tokvec.load(rank_file(name, data))


def load_reference(name: str, data: pathlib.Path, pattern: str | None = None):
    """Return tiktoken built offline from the same rank file and pattern, without special tokens."""
    import tiktoken

    ranks = plain_ranks(rank_file(name, data))
    return tiktoken.Encoding(name, pat_str=pattern or pattern_of(name), mergeable_ranks=ranks, special_tokens={})


def read_eltec(data: pathlib.Path, mb: float | None) -> str:
    """Return ELTeC as one string; with ``mb``, only its first ``mb`` MB, cut after a whole line."""
    path = require(data, ELTEC)
    with gzip.open(path, "rb") as f:
        raw = f.read() if mb is None else f.read(int(mb * MB))
    if mb is not None and len(raw) >= int(mb * MB):
        end = raw.rfind(b"\n")
        raw = raw[: end + 1] if end >= 0 else raw
    return raw.decode("utf-8", errors="ignore" if mb is not None else "strict")


def split_lines(text: str) -> list[str]:
    """Split at ``\\n`` only, keeping it (``str.splitlines`` would also split at U+2028, \\x0c, ...)."""
    parts = text.split("\n")
    lines = [p + "\n" for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    """Run ``fn`` once after a garbage collection; return (seconds, result)."""
    gc.collect()
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def first_difference(ours: Sequence[int], want: Sequence[int]) -> int | None:
    """Return the first index where two id sequences differ (the shorter length if one is a prefix), else None."""
    import numpy as np

    a = np.asarray(ours, dtype=np.int64)
    b = np.fromiter(want, dtype=np.int64, count=len(want))
    n = min(len(a), len(b))
    diff = np.flatnonzero(a[:n] != b[:n])
    if len(diff):
        return int(diff[0])
    return None if len(a) == len(b) else n


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """Format rows as an aligned text table (numbers right-aligned)."""
    cells = [[str(c) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[k]) for r in cells)) if cells else len(h) for k, h in enumerate(headers)]
    numeric = [all(_is_number(r[k]) for r in cells) and bool(cells) for k in range(len(headers))]

    def line(values: Sequence[str]) -> str:
        return " | ".join(v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric, strict=True))

    return "\n".join([line(headers), "-+-".join("-" * w for w in widths), *(line(r) for r in cells)])


def _is_number(text: str) -> bool:
    try:
        float(text.rstrip("x"))
    except ValueError:
        return text in {"-", "skip"}
    return True


def exponent(sizes: Sequence[float], seconds: Sequence[float]) -> float | None:
    """Return the growth exponent log(t_last/t_first) / log(s_last/s_first) (1 = linear), or None."""
    if len(sizes) < 2 or sizes[-1] <= sizes[0] or min(seconds[0], seconds[-1]) <= 0:
        return None
    return math.log(seconds[-1] / seconds[0]) / math.log(sizes[-1] / sizes[0])


def machine() -> dict[str, Any]:
    """Describe the run: versions, CPU count, time (for the JSON output)."""
    import numba
    import tiktoken

    import tokvec

    return {
        "date": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "tokvec": tokvec.__version__,
        "tiktoken": getattr(tiktoken, "__version__", "?"),
        "numba": numba.__version__,
    }


def proc_status(field: str) -> int | None:
    """Return a ``kB`` field of /proc/self/status (``VmHWM``: peak, ``VmRSS``: now) in bytes, or None off Linux.

    subtle: ``ru_maxrss`` survives exec, so a worker started by a parent that holds a big input would report the
    parent's size; VmHWM belongs to this program alone and starts afresh at exec.
    """
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def peak_mib() -> float:
    """Peak resident memory of this process (VmHWM) in MiB, NaN off Linux."""
    value = proc_status("VmHWM")
    return float("nan") if value is None else value / 2**20


def reset_peak() -> bool:
    """Reset the peak RSS to the current RSS (Linux >= 4.0: write 5 to /proc/self/clear_refs)."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        return False
    return True


def rss_mib() -> float:
    """Resident memory of this process now (VmRSS) in MiB, NaN off Linux."""
    value = proc_status("VmRSS")
    return float("nan") if value is None else value / 2**20


def write_json(path: str, payload: dict[str, Any]) -> None:
    """Write ``payload`` to ``path`` atomically (a temporary file, then a rename)."""
    target = pathlib.Path(path)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, target)
    progress(f"wrote {target}")
