"""Atomic writes: the file appears whole or not at all, and with the permissions the user's umask gives."""

import os
import stat

import pytest

from lassonet_bench.io import atomic_path


def test_the_file_appears_only_when_the_block_finishes(tmp_path):
    target = tmp_path / "sub" / "result.csv"
    with atomic_path(target) as tmp:
        tmp.write_text("a,b\n1,2\n")
        assert not target.exists()
    assert target.read_text() == "a,b\n1,2\n"
    assert list(target.parent.iterdir()) == [target]  # no temporary file left behind


def test_a_failing_block_keeps_the_previous_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "result.csv"
    target.write_text("finished earlier\n")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("crash half-way")
    assert target.read_text() == "finished earlier\n"
    assert list(tmp_path.iterdir()) == [target]


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_permissions_follow_the_umask_not_mkstemp(tmp_path, umask):
    previous = os.umask(umask)
    try:
        with atomic_path(tmp_path / "result.csv") as tmp:
            tmp.write_text("x\n")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "result.csv").stat().st_mode) == 0o666 & ~umask


def test_the_umask_is_never_set(tmp_path, monkeypatch):
    """Setting the umask, even for a moment, changes it for every thread of the process."""

    def refuse(mask):
        raise AssertionError(f"os.umask({mask:#o}) was called")

    monkeypatch.setattr(os, "umask", refuse)
    with atomic_path(tmp_path / "result.csv") as tmp:
        tmp.write_text("x\n")
    assert (tmp_path / "result.csv").read_text() == "x\n"


def test_temporaries_of_the_same_target_do_not_collide(tmp_path):
    target = tmp_path / "result.npz"
    with atomic_path(target) as first, atomic_path(target) as second:
        assert first != second and first.name.endswith(".tmp.npz") and second.exists()
        first.write_text("1")
        second.write_text("2")
    assert target.read_text() == "1"  # the outer block finishes last
    assert list(tmp_path.iterdir()) == [target]
