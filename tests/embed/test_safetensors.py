"""tokvec's safetensors reader: round trips, the reference's files, and every crafted bad header refused."""

from __future__ import annotations

import json
import pathlib
import struct

import numpy as np
import pytest

import tokvec
from tokvec.embed.safetensors import SafetensorsFile, write_safetensors


def test_round_trip_and_dtypes(tmp_path: pathlib.Path) -> None:
    tensors = {"a": np.arange(12, dtype=np.float32).reshape(3, 4), "b": np.array([1, -2], np.int64),
               "c": np.zeros((0, 5), np.float16), "d": np.array(3.5, np.float64)}  # fmt: skip
    write_safetensors(tmp_path / "t.safetensors", tensors, metadata={"format": "pt"})
    f = SafetensorsFile(tmp_path / "t.safetensors")
    assert f.names() == ["a", "b", "c", "d"] and f.metadata == {"format": "pt"}
    for name, value in tensors.items():
        assert f.tensor(name).dtype == value.dtype
        np.testing.assert_array_equal(f.tensor(name), value)
    assert not f.tensor("a").flags.writeable


def test_reference_library_reads_ours_and_we_read_its(tmp_path: pathlib.Path) -> None:
    st = pytest.importorskip("safetensors.numpy", reason="the safetensors package (test-only reference) is missing")
    ours = {"x": np.random.default_rng(1).standard_normal((5, 7)).astype(np.float32)}
    write_safetensors(tmp_path / "ours.safetensors", ours)
    np.testing.assert_array_equal(st.load_file(str(tmp_path / "ours.safetensors"))["x"], ours["x"])
    st.save_file({"y": np.arange(6, dtype=np.int32).reshape(2, 3)}, str(tmp_path / "theirs.safetensors"))
    assert SafetensorsFile(tmp_path / "theirs.safetensors").tensor("y").tolist() == [[0, 1, 2], [3, 4, 5]]


def test_bf16_is_widened(tmp_path: pathlib.Path) -> None:
    values = np.array([1.0, -2.5, 3.140625], np.float32)
    raw = (values.view(np.uint32) >> 16).astype("<u2").tobytes()
    header = json.dumps({"w": {"dtype": "BF16", "shape": [3], "data_offsets": [0, 6]}}).encode()
    (tmp_path / "b.safetensors").write_bytes(struct.pack("<Q", len(header)) + header + raw)
    np.testing.assert_array_equal(SafetensorsFile(tmp_path / "b.safetensors").tensor("w"), values)


def _file(tmp_path: pathlib.Path, header: bytes | dict, data: bytes = b"", length: int | None = None) -> pathlib.Path:
    raw = header if isinstance(header, bytes) else json.dumps(header).encode()
    path = tmp_path / "bad.safetensors"
    path.write_bytes(struct.pack("<Q", len(raw) if length is None else length) + raw + data)
    return path


@pytest.mark.parametrize(
    ("header", "data", "length", "message"),
    [
        (b"", b"", 2**62, "header claims"),
        (b"{not json", b"", None, "not JSON"),
        (b"[1, 2]", b"", None, "JSON object"),
        (b"\xff\xfe", b"", None, "not JSON"),
        ({"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}, b"1234", None, "outside the file"),
        ({"w": {"dtype": "F32", "shape": [3], "data_offsets": [0, 8]}}, b"12345678", None, "needs 12 bytes"),
        ({"w": {"dtype": "Q4", "shape": [1], "data_offsets": [0, 1]}}, b"1", None, "dtype 'Q4'"),
        ({"w": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]}}, b"1234", None, "non-negative"),
        ({"w": {"dtype": "F32", "shape": [1], "data_offsets": [4, 0]}}, b"1234", None, "outside"),
        ({"w": {"dtype": "F32", "shape": [1], "data_offsets": "0-4"}}, b"1234", None, "two integers"),
        ({"w": [1]}, b"", None, "expected an object"),
        ({"w": {"dtype": "F32", "shape": [2**40, 2**40], "data_offsets": [0, 4]}}, b"1234", None, "needs"),
    ],
)
def test_bad_files_are_refused(tmp_path: pathlib.Path, header, data, length, message) -> None:
    with pytest.raises(tokvec.FormatError, match=message):
        SafetensorsFile(_file(tmp_path, header, data, length))


def test_short_and_missing_files(tmp_path: pathlib.Path) -> None:
    (tmp_path / "short").write_bytes(b"abc")
    with pytest.raises(tokvec.FormatError, match="too short"):
        SafetensorsFile(tmp_path / "short")
    with pytest.raises(tokvec.TokvecFileError, match="cannot read"):
        SafetensorsFile(tmp_path / "missing")
    write_safetensors(tmp_path / "ok", {"w": np.zeros(2, np.float32)})
    with pytest.raises(tokvec.UnknownNameError, match="no tensor 'v'"):
        SafetensorsFile(tmp_path / "ok").tensor("v")
