"""Find the rank file of an encoding: bundled with tokvec, in a folder the user names, or in tiktoken's cache.

Nothing is downloaded. For a file tokvec does not bundle (p50k_base) it looks, in this order, in

1. every folder of ``$TOKVEC_TIKTOKEN_DIR`` (separated by ``os.pathsep``), for ``p50k_base.tiktoken``
   or the name tiktoken's cache gives it;
2. tiktoken's own cache, where a tiktoken user already has every encoding they used:
   ``$TIKTOKEN_CACHE_DIR``, else ``$DATA_GYM_CACHE_DIR``, else ``<temp dir>/data-gym-cache``; there
   each file is named by the SHA-1 of the URL it was downloaded from.

A file counts only if its SHA-256 is the published one. When none is found, the error names every
place it looked and what it found there.

>>> cache_name("https://openaipublic.blob.core.windows.net/encodings/p50k_base.tiktoken")
'ec7223a39ce59f226a68acc30dc1af2788490e15'
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from importlib import resources

from ..errors import TokvecFileError
from ..tokens.formats.tiktoken import read_ranks

URL = "https://openaipublic.blob.core.windows.net/encodings/{}.tiktoken"
#: SHA-256 of the published rank files (tiktoken's expected hashes)
SHA256 = {
    "r50k_base": "306cd27f03c1a714eca7108e03d66b7dc042abe8c258b44c199a7ed9838dd930",
    "p50k_base": "94b5ca7dff4d00767bc256fdd1b27e5b17361d7b8a5f968547f9f23eb70d2069",
    "cl100k_base": "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
    "o200k_base": "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
}
BUNDLED = ("r50k_base", "cl100k_base", "o200k_base")
FOLDER_VARIABLE = "TOKVEC_TIKTOKEN_DIR"


def cache_name(url: str) -> str:
    """Return the file name tiktoken's cache gives the download of ``url`` (its SHA-1)."""
    return hashlib.sha1(url.encode()).hexdigest()


def tiktoken_cache_dir() -> str | None:
    """Return tiktoken's cache folder as tiktoken chooses it, or None when the user switched caching off."""
    for variable in ("TIKTOKEN_CACHE_DIR", "DATA_GYM_CACHE_DIR"):
        if variable in os.environ:
            return os.environ[variable] or None
    return os.path.join(tempfile.gettempdir(), "data-gym-cache")


def candidates(file: str) -> list[tuple[str, str]]:
    """Return (path, where it comes from) for every place the rank file ``file`` (``p50k_base``) may be."""
    url = URL.format(file)
    out = []
    for folder in os.environ.get(FOLDER_VARIABLE, "").split(os.pathsep):
        if folder:
            for name in (f"{file}.tiktoken", cache_name(url)):
                out.append((os.path.join(folder, name), f"${FOLDER_VARIABLE}"))
    cache = tiktoken_cache_dir()
    if cache is not None:
        out.append((os.path.join(cache, cache_name(url)), "tiktoken's cache"))
    return out


def read_rank_file(file: str) -> dict[bytes, int]:
    """Return the ranks of the published rank file ``file`` (``cl100k_base``, ``p50k_base``, ...)."""
    if file in BUNDLED:
        with resources.files("tokvec.data.tokenizers").joinpath(f"{file}.tiktoken").open("rb") as f:
            return read_ranks(f, f"bundled {file}.tiktoken")
    looked = []
    for path, origin in candidates(file):
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as e:
            looked.append(f"{path} ({origin}): {e.strerror.lower() if e.strerror else 'cannot be read'}")
            continue
        digest = hashlib.sha256(data).hexdigest()
        if digest != SHA256[file]:
            looked.append(f"{path} ({origin}): sha256 {digest[:12]}..., not the published {SHA256[file][:12]}...")
            continue
        import io

        return read_ranks(io.BytesIO(data), path)
    raise TokvecFileError(
        f"{file}.tiktoken is not bundled with tokvec and was not found; looked in:\n  "
        + "\n  ".join(looked or ["(nowhere: tiktoken's cache is switched off and $TOKVEC_TIKTOKEN_DIR is not set)"])
        + f"\nPut {file}.tiktoken (from {URL.format(file)}) in a folder and set {FOLDER_VARIABLE} to it,"
        " or point TIKTOKEN_CACHE_DIR at a tiktoken cache that holds it (real tiktoken fills it on first use)."
    )
