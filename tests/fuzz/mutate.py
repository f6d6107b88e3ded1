"""Mutations of fuzz inputs: structural where the format has structure (JSON nodes, .npz arrays, lines), else bytes.

>>> import random
>>> mutate(b'{"a": [1, 2]}', "json", random.Random(1)) != b'{"a": [1, 2]}'
True
"""

from __future__ import annotations

import contextlib
import io
import json
import random
import struct

import numpy as np

#: between the files of a multi-file input (vocab.json + merges.txt, a model2vec folder, an index folder)
SPLIT = b"\n\x00--merges--\x00\n"

_INTERESTING = [
    b"-1",
    b"0",
    b"4294967296",
    b"99999999999999999999",
    b"1e308",
    b"NaN",
    b"-0.0",
    b"1.5",
    b"\x00",
    b"\xff\xfe",
    b"\xed\xa0\x80",
    b"[[[[[[[[[[",
    b'"',
    b"\\",
    b"\n",
    b" ",
    b"\xf0\x9f\x99\x82",
    b"#version: 0.2",
    b"##",
]


def mutate(data: bytes, kind: str, rng: random.Random, max_size: int = 1 << 20) -> bytes:
    """Return a mutated copy of ``data``: a structural change for the target's kind, or byte edits."""
    if kind == "json" and rng.random() < 0.6:
        with contextlib.suppress(ValueError, RecursionError):
            return _mutate_json(data, rng)
    if kind == "npz" and rng.random() < 0.7:
        with contextlib.suppress(Exception):
            return _mutate_npz(data, rng)
    if kind == "lines" and rng.random() < 0.5:
        return _mutate_lines(data, rng)
    if kind == "safetensors" and rng.random() < 0.7:
        with contextlib.suppress(Exception):
            return _mutate_safetensors(data, rng)
    if kind == "npy" and rng.random() < 0.7:
        with contextlib.suppress(Exception):
            return _mutate_npy(data, rng)
    if kind.startswith("parts:"):  # one file of a multi-file input, with that file's mutator
        kinds = kind.removeprefix("parts:").split("+")
        parts = data.split(SPLIT)
        if len(parts) == len(kinds):
            i = rng.randrange(len(parts))
            parts[i] = mutate(parts[i], kinds[i], rng, max_size)
            return SPLIT.join(parts)
    return _mutate_bytes(data, rng, max_size)


def _mutate_bytes(data: bytes, rng: random.Random, max_size: int) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(6)
        pos = rng.randrange(len(b) + 1)
        if op == 0 and b:
            b[min(pos, len(b) - 1)] ^= 1 << rng.randrange(8)
        elif op == 1:
            b[pos:pos] = rng.choice(_INTERESTING)
        elif op == 2 and b:
            del b[pos : pos + rng.randint(1, 64)]
        elif op == 3 and b:
            n = rng.randint(1, 256)
            b[pos:pos] = b[pos : pos + n] * rng.randint(1, 8)
        elif op == 4:
            del b[pos:]
        else:
            b[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
    return bytes(b[:max_size])


def _mutate_lines(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    i = rng.randrange(len(lines))
    op = rng.randrange(5)
    if op == 0:
        words = lines[i].split(b" ")
        words[rng.randrange(len(words))] = rng.choice(_INTERESTING)
        lines[i] = b" ".join(words)
    elif op == 1:
        lines.insert(i, lines[rng.randrange(len(lines))])
    elif op == 2:
        del lines[i]
    elif op == 3:
        lines[0] = b" ".join(rng.choice(_INTERESTING) for _ in range(rng.randint(1, 3)))
    else:
        lines[i] = lines[i][: rng.randrange(len(lines[i]) + 1)]
    return b"\n".join(lines)


def _mutate_json(data: bytes, rng: random.Random) -> bytes:
    obj = json.loads(data)
    nodes: list[tuple[object, object]] = []

    def walk(node: object) -> None:
        if len(nodes) > 5000:
            return
        if isinstance(node, dict):
            for k in node:
                nodes.append((node, k))
                walk(node[k])
        elif isinstance(node, list):
            for k in range(len(node)):
                nodes.append((node, k))
                walk(node[k])

    walk(obj)
    if not nodes:
        return json.dumps(rng.choice([[], {}, 1, None])).encode()
    parent, key = rng.choice(nodes)
    value = parent[key]  # type: ignore[index]
    choices: list[object] = [None, -1, 0, 2**31, 10**12, 1.5, "", "x" * 300, [], {}, True, [[[[value]]]], "\ud800"]
    if isinstance(value, int | float) and not isinstance(value, bool):
        choices += [value + 1, -value, value * 1000]
    if isinstance(value, str):
        choices += [value * 2, value[:1], value.upper()]
    if rng.random() < 0.15 and isinstance(parent, dict):
        del parent[key]
    else:
        parent[key] = rng.choice(choices)  # type: ignore[index]
    return json.dumps(obj, ensure_ascii=rng.random() < 0.5).encode("utf-8", "surrogatepass")


def _mutate_npz(data: bytes, rng: random.Random) -> bytes:
    with np.load(io.BytesIO(data), allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    name = rng.choice(sorted(arrays))
    a = arrays[name]
    op = rng.randrange(8)
    if op == 0 and a.size and a.dtype.kind in "iuf":
        flat = a.copy().ravel()
        flat[rng.randrange(len(flat))] += rng.choice([1, -1, 10**6, -(10**6), 2**31 - 1])
        a = flat.reshape(a.shape)
    elif op == 1:
        a = a[: rng.randrange(len(a) + 1)] if a.ndim else a
    elif op == 2:
        a = np.concatenate([a, a[:1]]) if a.ndim and len(a) else a
    elif op == 3 and a.dtype.kind in "iufb":
        a = a.astype(rng.choice([np.int8, np.int64, np.uint64, np.float16, np.float64, np.bool_]))
    elif op == 4:
        a = a.reshape(-1) if a.ndim > 1 else a.reshape(1, -1) if a.ndim == 1 else a
    elif op == 5:
        del arrays[name]
        a = None
    elif op == 6:
        a = np.array(rng.choice(['{"format": 1}', "not json", "[]", ""]))
    elif op == 7 and a.size and a.dtype.kind == "f":
        a = a.copy()
        a.ravel()[0] = np.nan
    if a is not None:
        arrays[name] = a
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


def _mutate_safetensors(data: bytes, rng: random.Random) -> bytes:
    """Change the JSON header (dtypes, shapes, offsets) or cut the data; the length prefix follows the header."""
    (n,) = struct.unpack("<Q", data[:8])
    header, body = data[8 : 8 + n], data[8 + n :]
    if rng.random() < 0.2:
        body = body[: rng.randrange(len(body) + 1)]
    else:
        header = _mutate_json(header, rng)
    return struct.pack("<Q", len(header)) + header + body


def _mutate_npy(data: bytes, rng: random.Random) -> bytes:
    """Rewrite the .npy header (shape, dtype) over the same data, or change the array and save it again."""
    buf = io.BytesIO(data)
    version = np.lib.format.read_magic(buf)
    shape, fortran, dtype = np.lib.format._read_array_header(buf, version)
    body = data[buf.tell() :]
    if rng.random() < 0.5:
        shape = tuple(max(0, d + rng.choice([-1, 1, 10**6])) for d in shape) if shape else (rng.randrange(5),)
        if rng.random() < 0.3:
            dtype = np.dtype(rng.choice(["<f8", "<f2", "<i8", "|u1", ">f4"]))
        out = io.BytesIO()
        np.lib.format.write_array_header_1_0(out, {"descr": np.lib.format.dtype_to_descr(dtype),
                                                   "fortran_order": fortran, "shape": shape})  # fmt: skip
        return out.getvalue() + body
    array = np.load(io.BytesIO(data), allow_pickle=False)
    with contextlib.suppress(Exception):
        array = rng.choice([array[:-1], array.reshape(-1), array.astype(np.float64), array * np.nan, array.T])
    out = io.BytesIO()
    np.save(out, array, allow_pickle=False)
    return out.getvalue()
