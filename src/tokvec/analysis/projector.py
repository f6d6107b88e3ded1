"""Write vectors for the TensorFlow Embedding Projector (projector.tensorflow.org, or TensorBoard).

Three files in one folder, as the Projector's "Load" dialog and its standalone config read them:

- ``vectors.tsv``: one vector a line, its numbers separated by tabs, no header;
- ``metadata.tsv``: one line per vector, in the same order; a single column has NO header, several
  columns have a header line naming them (the Projector's rule);
- ``projector_config.json``: ``{"embeddings": [{"tensorName", "tensorShape": [n, D], "tensorPath",
  "metadataPath"}]}`` with paths relative to the folder, for the standalone projector.

Tabs and line breaks inside labels would shift the columns, so they become spaces. Each file is
written atomically.

>>> import numpy as np, os, tempfile
>>> folder = tempfile.mkdtemp()
>>> export_projector(folder, np.eye(2, dtype=np.float32), {"title": ["One", "Two"], "artist": ["A", "B"]})
>>> open(os.path.join(folder, "metadata.tsv")).read()
'title\\tartist\\nOne\\tA\\nTwo\\tB\\n'
>>> open(os.path.join(folder, "vectors.tsv")).read()
'1\\t0\\n0\\t1\\n'
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Mapping, Sequence

import numpy as np

from .._io import atomic_write
from ..errors import TokvecError, TokvecFileError

VECTORS, METADATA, CONFIG = "vectors.tsv", "metadata.tsv", "projector_config.json"


def _cell(value: object) -> str:
    text = str(value)
    return text.replace("\t", " ").replace("\r\n", " ").replace("\n", " ").replace("\r", " ")


def metadata_tsv(metadata: Sequence[str] | Mapping[str, Sequence[str]], rows: int) -> str:
    """Return the text of ``metadata.tsv``: one column without header, several with one."""
    if isinstance(metadata, Mapping):
        columns = {str(k): list(v) for k, v in metadata.items()}
    else:
        columns = {"label": list(metadata)}
    for name, values in columns.items():
        if len(values) != rows:
            raise TokvecError(
                f"projector: {rows} vectors need {rows} values in metadata column {name!r}, got {len(values)}"
            )
    lines = []
    if len(columns) > 1:
        lines.append("\t".join(_cell(name) for name in columns))
    for i in range(rows):
        lines.append("\t".join(_cell(values[i]) or " " for values in columns.values()))
    return "".join(line + "\n" for line in lines)


def vectors_tsv(vectors: np.ndarray) -> str:
    """Return the text of ``vectors.tsv`` (8 significant digits: what the Projector's float32 can tell apart)."""
    x = np.asarray(vectors, dtype=np.float32)
    if x.ndim != 2:
        raise TokvecError(f"projector: expected a 2-D array of vectors, got shape {x.shape}")
    buf = io.StringIO()
    np.savetxt(buf, x, fmt="%.8g", delimiter="\t", newline="\n")
    return buf.getvalue()


def export_projector(
    folder: str | os.PathLike[str],
    vectors: np.ndarray,
    metadata: Sequence[str] | Mapping[str, Sequence[str]],
    *,
    name: str = "tokvec",
) -> None:
    """Write ``vectors.tsv``, ``metadata.tsv`` and ``projector_config.json`` into ``folder`` (made if missing)."""
    folder = os.fspath(folder)
    x = np.asarray(vectors, dtype=np.float32)
    if x.ndim != 2 or x.shape[0] == 0:
        raise TokvecError(f"projector: nothing to export (vectors of shape {x.shape})")
    meta = metadata_tsv(metadata, x.shape[0])
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as e:
        raise TokvecFileError(f"cannot make the folder {folder}: {e.strerror}") from None
    config = {
        "embeddings": [
            {
                "tensorName": name,
                "tensorShape": [int(x.shape[0]), int(x.shape[1])],
                "tensorPath": VECTORS,
                "metadataPath": METADATA,
            }
        ]
    }
    atomic_write(os.path.join(folder, VECTORS), vectors_tsv(x).encode("utf-8"))
    atomic_write(os.path.join(folder, METADATA), meta.encode("utf-8"))
    atomic_write(os.path.join(folder, CONFIG), (json.dumps(config, indent=2) + "\n").encode("utf-8"))
