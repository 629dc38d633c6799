"""Atomic writes: a crash never leaves a half-written file, or a half-replaced folder, that looks finished."""

import contextlib
import os
import secrets
import shutil
from pathlib import Path


@contextlib.contextmanager
def atomic_path(path):
    """Yield a temporary path beside `path`; rename it onto `path` only if the block finishes without error."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _new_file_beside(path)
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


@contextlib.contextmanager
def replaced_folder(path):
    """Yield a fresh folder beside `path` (`<name>.new`) to fill; when the block finishes without error, the old
    folder is replaced by it whole. After an error the old folder stays as it was."""
    path = Path(path)
    fresh = path.with_name(path.name + ".new")
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir(parents=True)
    yield fresh
    shutil.rmtree(path, ignore_errors=True)
    fresh.rename(path)


def _new_file_beside(path, attempts=100):
    """Create an empty, uniquely named file beside `path` with mode 0666 less the umask, as `open` would.

    Results are for the whole team, and mkstemp makes files private (0600). Asking for 0666 at creation lets the
    kernel apply the umask; reading the umask instead means setting it, for every thread of the process.
    """
    for _ in range(attempts):
        tmp = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp{''.join(path.suffixes)}"
        try:
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            return tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {path} after {attempts} attempts")
