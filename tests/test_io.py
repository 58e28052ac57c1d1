"""Outputs are atomic: a failed write leaves nothing half-written."""

import json

import numpy as np
import pytest

from orbitsim import io
from orbitsim.timeutil import parse_utc


def test_json_serialises_arrays_and_aware_times(tmp_path):
    path = tmp_path / "r.json"
    io.write_json(path, {"alt_km": np.array([415.0, 414.5]), "t": parse_utc("2022-03-01T12:00+03:00"),
                         "t64": np.datetime64("2022-03-01T09:00:00.4", "us"),
                         "times": np.array(["2022-03-01T09:00"], dtype="datetime64[us]")})
    data = json.loads(path.read_text())
    assert data == {"alt_km": [415.0, 414.5], "t": "2022-03-01T09:00:00Z", "t64": "2022-03-01T09:00:00Z",
                    "times": ["2022-03-01T09:00:00Z"]}


def test_failed_serialisation_leaves_no_file(tmp_path):
    path = tmp_path / "r.json"
    with pytest.raises(ValueError):
        io.write_json(path, {"x": float("nan")})
    assert list(tmp_path.iterdir()) == []


def test_failed_write_keeps_previous_file(tmp_path):
    path = tmp_path / "r.txt"
    io.write_text(path, "old")
    with pytest.raises(RuntimeError):
        with io.atomic_path(path) as tmp:
            tmp.write_text("half")
            raise RuntimeError("boom")
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.txt"]


def test_staged_dir_replaces_only_when_complete(tmp_path):
    out = tmp_path / "out"
    with io.staged_dir(out) as stage:
        (stage / "a.txt").write_text("1")
    assert (out / "a.txt").read_text() == "1"
    with pytest.raises(RuntimeError):
        with io.staged_dir(out) as stage:
            (stage / "b.txt").write_text("2")
            raise RuntimeError("boom")
    assert sorted(p.name for p in out.iterdir()) == ["a.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_files_are_written_with_the_usual_permissions(tmp_path):
    import os
    old = os.umask(0o022)
    try:
        io.write_text(tmp_path / "a.txt", "x")
        with io.staged_dir(tmp_path / "d"):
            pass
    finally:
        os.umask(old)
    assert (tmp_path / "a.txt").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "d").stat().st_mode & 0o777 == 0o755
