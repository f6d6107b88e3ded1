"""A .npz (a zip of .npy files) is checked against its own zip directory before any array is read."""

from __future__ import annotations

import pathlib
import zipfile

import numpy as np
import pytest

from tokvec import _checks
from tokvec.errors import FormatError, TokvecError


def _member(path: pathlib.Path, shape: tuple[int, ...], payload: bytes, *, deflate: bool = False) -> None:
    mode = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
    with zipfile.ZipFile(path, "w", mode) as z, z.open("a.npy", "w", force_zip64=True) as f:
        np.lib.format.write_array_header_1_0(f, {"descr": "<f8", "fortran_order": False, "shape": shape})
        f.write(payload)


def test_a_zip_bomb_is_refused_before_it_is_inflated(tmp_path: pathlib.Path, monkeypatch) -> None:
    monkeypatch.setattr(_checks, "_BOMB_FLOOR", 2**20)  # the real floor is 64 MiB; a small bomb keeps the test quick
    bomb = tmp_path / "bomb.npz"
    _member(bomb, (2**20,), bytes(8 * 2**20), deflate=True)
    assert bomb.stat().st_size < 64 * 2**10
    with pytest.raises(FormatError, match=r"member a\.npy expands from .* \(a zip bomb\?\)"):
        _checks.npz_arrays(str(bomb), "vectors")


def test_a_header_that_claims_more_than_the_member_holds_is_refused(tmp_path: pathlib.Path) -> None:
    liar = tmp_path / "liar.npz"
    _member(liar, (10**9,), bytes(80))
    claim = r"says shape \(1000000000,\) of float64 \(8,000,000,000 bytes\) but holds 80"
    with pytest.raises(FormatError, match=claim):
        _checks.npz_arrays(str(liar), "vectors")


def test_arrays_above_the_memory_limit_are_refused(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "big.npz"
    np.savez(path, a=np.zeros(1000))
    with pytest.raises(FormatError, match="above the 4,000 bytes of memory here"):
        _checks.check_npz_sizes(str(path), limit=4000)


def test_honest_files_load_as_before(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "ok.npz"
    arrays = {"a": np.arange(10), "b": np.ones((3, 4), np.float32), "c": np.array("héllo")}
    np.savez_compressed(path, **arrays)
    got = _checks.npz_arrays(str(path), "vectors")
    assert sorted(got) == ["a", "b", "c"]
    for name, want in arrays.items():
        np.testing.assert_array_equal(got[name], want)


def test_a_bomb_through_the_recommender_loader_is_a_tokvec_error(tmp_path: pathlib.Path, monkeypatch) -> None:
    from tokvec.recommend.store import load_recommender

    monkeypatch.setattr(_checks, "_BOMB_FLOOR", 2**20)
    bomb = tmp_path / "songs.npz"
    _member(bomb, (2**20,), bytes(8 * 2**20), deflate=True)
    with pytest.raises(TokvecError, match="zip bomb"):
        load_recommender(str(bomb))
