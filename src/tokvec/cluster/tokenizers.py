"""Send a tokenizer to workers as its name or its files' bytes, and load it there once per process.

A tokenizer object need not be picklable: a :class:`TokenizerSpec` holds a preset name, or the
bytes of the tokenizer file(s) a path names (a file, plus a GPT-2 ``merges.txt`` beside a
``vocab.json``; or the files of a folder), so a worker on another machine needs no shared disk.
The worker writes the files to a private temporary folder, calls :func:`tokvec.load` on it, and
keeps the result for the next task (:func:`load_spec`). ``sha256`` identifies the tokenizer in
manifests: the hash of a preset's bundled file, or of the files sent.

>>> spec = TokenizerSpec.of("gpt2")
>>> spec.label, spec.sha256[:12], load_spec(spec).encode("Hi").ids.tolist()
('gpt2', '306cd27f03c1', [17250])
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from importlib import resources

from ..tokens import presets as _presets
from ..tokens.presets import load

MAX_BYTES = 512 << 20


@dataclass(frozen=True)
class TokenizerSpec:
    """What a worker needs to load a tokenizer: the name given, and the files when it is a path."""

    label: str
    sha256: str
    files: tuple[tuple[str, bytes], ...] = field(default=(), repr=False)
    main: str = ""  # the file (or "." for the folder) that tokvec.load is given, inside the files

    @classmethod
    def of(cls, name_or_path: str) -> TokenizerSpec:
        """Describe the preset or tokenizer path ``name_or_path`` (read here, once)."""
        bundled = _bundled_file(name_or_path)
        if bundled is not None:
            data = resources.files("tokvec.data.tokenizers").joinpath(bundled).read_bytes()
            return cls(name_or_path, hashlib.sha256(data).hexdigest())
        load(name_or_path)  # a bad name or file fails here, with load's own message, before any task runs
        path = os.path.abspath(name_or_path)
        if os.path.isdir(path):
            names = sorted(n for n in os.listdir(path) if os.path.isfile(os.path.join(path, n)))
            files, main = [(n, os.path.join(path, n)) for n in names], "."
        else:
            base = os.path.basename(path)
            files, main = [(base, path)], base
            folder = os.path.dirname(path)
            if base.endswith((".json", ".vocab")) and not base.endswith("tokenizer.json"):
                files += [(n, os.path.join(folder, n)) for n in sorted(os.listdir(folder)) if "merges" in n]
            if os.path.isfile(path + ".json"):  # a rank file's pattern and special tokens (formats/tiktoken.py)
                files.append((base + ".json", path + ".json"))
        blobs = tuple((n, _read(p)) for n, p in files)
        digest = hashlib.sha256()
        for n, b in blobs:
            digest.update(n.encode() + b"\0" + hashlib.sha256(b).digest())
        return cls(os.path.basename(os.path.normpath(name_or_path)), digest.hexdigest(), blobs, main)


def _bundled_file(name: str) -> str | None:
    if name in _presets.PIPELINE_PRESETS:
        return _presets.PIPELINE_PRESETS[name]
    key = _presets.ALIASES.get(name, name)
    known = _presets.PRESETS.get(key)
    return known.bundled if known is not None else None


def _read(path: str) -> bytes:
    if os.path.getsize(path) > MAX_BYTES:
        from ..errors import TokvecFileError

        raise TokvecFileError(f"{path} is over {MAX_BYTES >> 20} MB: not a tokenizer file to send to workers")
    with open(path, "rb") as f:
        return f.read()


_LOADED: dict[tuple[str, str], object] = {}


def load_spec(spec: TokenizerSpec):  # -> tokvec.Tokenizer
    """Load the tokenizer of ``spec`` (once per process: later calls return the same object)."""
    key = (spec.label, spec.sha256)
    if key not in _LOADED:
        if len(_LOADED) >= 8:
            _LOADED.clear()
        _LOADED[key] = _load(spec)
    return _LOADED[key]


def _load(spec: TokenizerSpec):
    if not spec.files:
        return load(spec.label)
    with tempfile.TemporaryDirectory(prefix="tokvec-tok-") as folder:
        # subtle: the folder is named after the label, so that a folder spec keeps its name as the tokenizer's name
        root = os.path.join(folder, spec.label)
        os.makedirs(root)
        for name, data in spec.files:
            with open(os.path.join(root, name), "wb") as f:
                f.write(data)
        tok = load(root if spec.main == "." else os.path.join(root, spec.main))
    return tok
