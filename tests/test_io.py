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
