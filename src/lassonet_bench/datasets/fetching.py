"""Fetching raw files: the offline mirror first, then the canonical URLs; nothing unverified is ever renamed into place.

Every candidate is written to a temporary file beside its destination and renamed only once its checksum matched.
A candidate whose checksum does not match is moved to `<raw_dir>/rejected/`, never left where a later run would
take it, and the error names the file, the expected and the actual sums.
"""

import hashlib
import json
import logging
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

from tqdm import tqdm

from lassonet_bench.io import atomic_path
from lassonet_bench.datasets.registry import get_spec

MIRROR_ENV = "LASSONET_BENCH_MIRROR"
REJECTED_DIR = "rejected"
DOWNLOAD_CHUNK = 1 << 20
log = logging.getLogger(__name__)


class DatasetUnavailable(Exception):
    """A data set whose files are neither in the mirror nor downloadable; names the files and what was tried.

    `attempts`: (file name, where: "mirror" or a URL, what happened, in words) per source tried."""

    def __init__(self, dataset, missing_files, attempts):
        self.dataset = dataset
        self.missing_files = list(missing_files)
        self.attempts = list(attempts)
        super().__init__(f"data set {dataset!r} is unavailable: {self.in_words()}")

    def in_words(self):
        """Once per data set: which files are missing, and what each source said ("not in the offline mirror;
        the download from archive.ics.uci.edu failed: no network")."""
        stories = {}
        for name in self.missing_files:
            story = []
            for file, where, what in self.attempts:
                if file != name:
                    continue
                text = what if where == "mirror" else f"the download from {urllib.parse.urlsplit(where).netloc} {what}"
                if text not in story:
                    story.append(text)
            stories.setdefault("; ".join(story) or "no source to try", []).append(name)
        return "; ".join(f"{_names(names)}: {story}" for story, names in stories.items())


def _names(names):
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" and {names[-1]}"


class ChecksumMismatch(ValueError):
    """A file whose content does not match its expected checksum (it has been moved aside)."""


@dataclass(frozen=True)
class FetchedFile:
    name: str
    path: Path
    sha256: str
    source: str  # "cached", "mirror:<path>" or the URL
    verified: bool  # False where no published checksum exists


def resolve_mirror(configured=None, repo_root=None):
    """The mirror folder: $LASSONET_BENCH_MIRROR if set, else `configured` (relative to repo_root when given),
    else `shared/datasets` beside repo_root; None when none of these is given."""
    if os.environ.get(MIRROR_ENV):
        return Path(os.environ[MIRROR_ENV])
    if configured:
        return Path(repo_root or ".") / configured
    return Path(repo_root).parent / "shared" / "datasets" if repo_root else None


def mirror_label(configured=None):
    """How fetch.json names the mirror: as configured, never as this machine's absolute path."""
    if os.environ.get(MIRROR_ENV):
        return f"${MIRROR_ENV}"
    return str(configured) if configured else "../shared/datasets (beside the repository)"


def failure_in_words(error):
    """A download error as a reader of the report wants it; the raw exception goes to the log."""
    if isinstance(error, urllib.error.HTTPError):
        return f"the server answered HTTP {error.code}"
    reason = getattr(error, "reason", error)
    if isinstance(reason, socket.gaierror):
        return "no network (the host name could not be resolved)"
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return "the connection timed out"
    if isinstance(reason, ConnectionError):
        return "the connection was refused or reset"
    if isinstance(error, zipfile.BadZipFile):
        return "the archive was not a valid zip file"
    return "an unexpected error (see the log)"


def file_digest(path, algorithm="sha256"):
    digest = hashlib.new(algorithm)
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(DOWNLOAD_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def checksum_problem(path, checksums):
    """None when `path` matches one of `checksums` ("sha256:<hex>" / "md5:<hex>"), else a description of the mismatch."""
    actual = {}
    for expected in checksums:
        algorithm, _, hex_digest = expected.partition(":")
        actual.setdefault(algorithm, file_digest(path, algorithm))
        if actual[algorithm] == hex_digest.lower():
            return None
    expected_text = " or ".join(checksums)
    actual_text = ", ".join(f"{algorithm}:{digest}" for algorithm, digest in actual.items())
    return f"expected {expected_text}, got {actual_text}"


def verify_or_reject(candidate, checksums, label, raw_dir):
    """Raise ChecksumMismatch (after moving `candidate` into raw_dir/rejected/) unless it matches `checksums`."""
    problem = checksum_problem(candidate, checksums) if checksums else None
    if problem is None:
        return
    rejected = _rejected_path(Path(raw_dir) / REJECTED_DIR, label.rsplit("/", 1)[-1])
    shutil.move(candidate, rejected)
    raise ChecksumMismatch(f"checksum mismatch for {label}: {problem}; the file was moved aside to {rejected}")


def _rejected_path(folder, name):
    """A new path in `folder` for a rejected copy of `name`: two rejections in one instant keep both copies."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = time.time_ns()
    while (folder / f"{name}.{stamp}").exists():
        stamp += 1
    return folder / f"{name}.{stamp}"


def download(url, destination, retries=3, timeout_s=60, backoff_s=2.0):
    """Download `url` to `destination` with a progress bar, retrying on network errors with exponential backoff."""
    for attempt in range(1, retries + 1):
        try:
            with urllib.request.urlopen(url, timeout=timeout_s) as response, open(destination, "wb") as out:
                total = int(response.headers.get("Content-Length") or 0) or None
                with tqdm(total=total, unit="B", unit_scale=True, desc=url.rsplit("/", 1)[-1], mininterval=1) as bar:
                    for chunk in iter(lambda: response.read(DOWNLOAD_CHUNK), b""):
                        out.write(chunk)
                        bar.update(len(chunk))
            return
        except (urllib.error.URLError, OSError) as error:
            log.warning("download %s failed (attempt %d of %d): %s", url, attempt, retries, error)
            permanent = isinstance(error, urllib.error.HTTPError) and error.code < 500  # 404 will not heal
            if attempt == retries or permanent:
                raise
            time.sleep(backoff_s * 2 ** (attempt - 1))


class _Downloads:
    """Downloads each URL at most once per fetch (COIL-20's 1440 PNGs come from one zip) and removes them after."""

    def __init__(self, folder, retries, timeout_s, backoff_s):
        self.folder, self.retries, self.timeout_s, self.backoff_s = Path(folder), retries, timeout_s, backoff_s
        self.done, self.failed = {}, {}

    def get(self, url):
        if url in self.failed:
            raise self.failed[url]
        if url not in self.done:
            self.folder.mkdir(parents=True, exist_ok=True)
            target = self.folder / f"{len(self.done)}-{url.rsplit('/', 1)[-1]}"
            try:
                with atomic_path(target) as tmp:
                    download(url, tmp, self.retries, self.timeout_s, self.backoff_s)
            except (urllib.error.URLError, OSError) as error:
                self.failed[url] = error
                raise
            self.done[url] = target
        return self.done[url]

    def cleanup(self):
        shutil.rmtree(self.folder, ignore_errors=True)


def extract_member(archive, member, destination):
    """Copy the zip member whose base name is `member` to `destination`, looking one level into nested zips
    (UCI's newer download links wrap the original zip in another)."""
    with zipfile.ZipFile(archive) as outer:
        if _copy_member(outer, member, destination):
            return
        for inner_name in (n for n in outer.namelist() if n.lower().endswith(".zip")):
            with outer.open(inner_name) as inner_file, zipfile.ZipFile(inner_file) as inner:
                if _copy_member(inner, member, destination):
                    return
    raise OSError(f"{archive} holds no member named {member!r}")


def _copy_member(archive, member, destination):
    for name in archive.namelist():
        if name.rsplit("/", 1)[-1] == member:
            with archive.open(name) as source, open(destination, "wb") as out:
                shutil.copyfileobj(source, out)
            return True
    return False


def decompress_unix_z(source, destination):
    """Decompress a Unix `compress` (.Z) file. Python's standard library has no LZW decoder; GNU gzip reads .Z."""
    with open(destination, "wb") as out:
        result = subprocess.run(["gzip", "-dc", str(source)], stdout=out, stderr=subprocess.PIPE)
    if result.returncode != 0:
        raise OSError(f"gzip could not decompress {source}: {result.stderr.decode(errors='replace').strip()}")


def _from_url(raw_file, url, tmp, downloads):
    fetched = downloads.get(url)
    if raw_file.archive_member:
        extract_member(fetched, raw_file.archive_member, tmp)
    elif raw_file.compression == "Z":
        decompress_unix_z(fetched, tmp)
    else:
        shutil.copyfile(fetched, tmp)


def obtain(raw_file, checksums, raw_dir, mirror, downloads, allow_download=True):
    """Put one verified raw file at raw_dir/<name>: reuse a good cached copy, else the mirror, else each URL.

    Returns a FetchedFile. Raises ChecksumMismatch if every copy found was bad, DatasetUnavailable-style
    `_Unobtainable` if no copy was found.
    """
    destination = Path(raw_dir) / raw_file.name
    attempts, mismatches = [], []
    if destination.exists():
        try:
            verify_or_reject(destination, checksums, str(destination), raw_dir)
            return FetchedFile(raw_file.name, destination, file_digest(destination), "cached", bool(checksums))
        except ChecksumMismatch as error:
            mismatches.append(str(error))
    sources = []
    if mirror is not None and raw_file.mirror_path:
        mirror_file = Path(mirror) / raw_file.mirror_path
        if mirror_file.is_file():
            sources.append((f"mirror:{raw_file.mirror_path}", lambda tmp: shutil.copyfile(mirror_file, tmp)))
        else:
            attempts.append((raw_file.name, "mirror", "not in the offline mirror"))
    elif raw_file.mirror_path:
        attempts.append((raw_file.name, "mirror", "no offline mirror configured"))
    if allow_download:
        sources += [(url, lambda tmp, url=url: _from_url(raw_file, url, tmp, downloads)) for url in raw_file.urls]
    else:
        attempts += [(raw_file.name, url, "was not tried (downloads disabled)") for url in raw_file.urls]
    for label, write_to in sources:
        try:
            with atomic_path(destination) as tmp:
                write_to(tmp)
                verify_or_reject(tmp, checksums, f"{raw_file.name} from {label}", raw_dir)
            return FetchedFile(raw_file.name, destination, file_digest(destination), label, bool(checksums))
        except ChecksumMismatch as error:
            mismatches.append(str(error))
        except (urllib.error.URLError, OSError, zipfile.BadZipFile) as error:
            log.warning("%s from %s: %s", raw_file.name, label, error)
            attempts.append((raw_file.name, label, f"failed: {failure_in_words(error)}"))
    if mismatches:
        raise ChecksumMismatch("; ".join(mismatches))
    raise _Unobtainable(raw_file, attempts)


class _Unobtainable(Exception):
    def __init__(self, raw_file, attempts):
        super().__init__(raw_file.name)
        self.raw_file, self.attempts = raw_file, attempts


def parse_sums_file(path):
    """{file name: sha256} from a `sha256sum` listing."""
    sums = {}
    for line in Path(path).read_text().splitlines():
        digest, _, name = line.partition("  ")
        if len(digest) != 64 or not name:
            raise ValueError(f"{path}: not a sha256sum line: {line!r}")
        sums[name] = digest
    return sums


def sums_listing(fetched_files):
    """The `sha256sum` listing of fetched files, in the registry's order (that of COIL-20's SHA256SUMS)."""
    return "".join(f"{f.sha256}  {f.name}\n" for f in fetched_files)


def recorded_checksum_name(name):
    return f"{name}.sha256"


def recorded_checksum(raw_dir, name):
    """The checksum recorded beside a file without a published one when it was first obtained (trust on first use):
    ("sha256:<hex>",), or () when none is recorded yet."""
    record = Path(raw_dir) / recorded_checksum_name(name)
    if not record.exists():
        return ()
    sums = parse_sums_file(record)
    if set(sums) != {name}:
        raise ValueError(f"{record}: expected one sha256sum line for {name}, got {sorted(sums)}")
    return (f"sha256:{sums[name]}",)


def record_checksum(raw_dir, fetched_file):
    with atomic_path(Path(raw_dir) / recorded_checksum_name(fetched_file.name)) as tmp:
        tmp.write_text(sums_listing([fetched_file]))


def fetch_files(name, raw_dir, mirror=None, allow_download=True, retries=3, timeout_s=60, backoff_s=2.0):
    """Obtain every raw file of data set `name` under raw_dir; returns [FetchedFile]. See `fetch`."""
    spec = get_spec(name)
    raw_dir = Path(raw_dir)
    raw_dir.mkdir(parents=True, exist_ok=True)
    downloads = _Downloads(raw_dir / ".downloads", retries, timeout_s, backoff_s)
    per_file_sums = {}
    if spec.sums_file is not None:
        try:
            sums = obtain(spec.sums_file, spec.sums_file.checksums, raw_dir, mirror, downloads, allow_download)
            per_file_sums = parse_sums_file(sums.path)
        except _Unobtainable:
            log.info("%s: no per-file sums; the whole listing is checked against %s instead", name, spec.sums_file.name)
    fetched, unobtainable = [], []
    try:
        for raw_file in spec.files:
            checksums = raw_file.checksums or (
                (f"sha256:{per_file_sums[raw_file.name]}",) if raw_file.name in per_file_sums else ()
            )
            first_use = not checksums and spec.sums_file is None
            if first_use:
                checksums = recorded_checksum(raw_dir, raw_file.name)
            try:
                fetched.append(obtain(raw_file, checksums, raw_dir, mirror, downloads, allow_download))
            except _Unobtainable as missing:
                unobtainable.append(missing)
                continue
            except ChecksumMismatch as error:
                if not first_use:
                    raise
                raise ChecksumMismatch(
                    f"{error}; the expected sum is the one recorded when {raw_file.name} was first obtained "
                    f"({raw_dir / recorded_checksum_name(raw_file.name)}; no checksum is published): delete that "
                    "file only if the new copy is known to be good"
                ) from error
            if first_use:
                fetched[-1] = replace(fetched[-1], verified=False)  # consistent with its first copy; not published
                if not checksums:
                    record_checksum(raw_dir, fetched[-1])
    finally:
        downloads.cleanup()
    if unobtainable:
        attempts = [a for missing in unobtainable for a in missing.attempts]
        raise DatasetUnavailable(name, [m.raw_file.name for m in unobtainable], attempts)
    if spec.sums_file is not None and not per_file_sums:
        _check_listing(spec, fetched, raw_dir)
        fetched = [replace(f, verified=True) for f in fetched]
    return fetched


def _check_listing(spec, fetched, raw_dir):
    listing = raw_dir / spec.sums_file.name
    with atomic_path(listing) as tmp:
        tmp.write_text(sums_listing(fetched))
        verify_or_reject(tmp, spec.sums_file.checksums, f"{spec.name} files (their {spec.sums_file.name} listing)", raw_dir)


def fetch(name, raw_dir, mirror=None, **options):
    """Fetch data set `name` into raw_dir; returns the raw files' paths.

    Raises DatasetUnavailable naming the files and the mirror paths and URLs tried, or ChecksumMismatch
    (a ValueError) when the only copies found were corrupt. `options`: allow_download, retries, timeout_s, backoff_s.
    """
    return [f.path for f in fetch_files(name, raw_dir, mirror, **options)]


def fetch_report(name, raw_dir, mirror=None, mirror_name=None, **options):
    """Fetch and describe the outcome as the `fetch.json` dict: {"available", "reason", "files", ...}.

    An unavailable data set is a normal outcome (available=False, the reason says what was tried); a checksum
    mismatch is not and raises, so a corrupt mirror or download stops the run instead of hiding as "unavailable".
    """
    spec = get_spec(name)
    report = {"dataset": name, "title": spec.title, "mirror": (mirror_name or str(mirror)) if mirror else None}
    try:
        fetched = fetch_files(name, raw_dir, mirror, **options)
    except DatasetUnavailable as error:
        log.warning("%s", error)
        needed = [{"name": f.name, "mirror_path": f.mirror_path, "urls": list(f.urls)} for f in spec.files]
        return report | {"available": False, "reason": error.in_words(), "files": needed}
    files = [
        {"name": f.name, "path": str(f.path), "sha256": f.sha256, "source": f.source, "verified": f.verified}
        for f in fetched
    ]
    unverified = [f.name for f in fetched if not f.verified]
    reason = f"all {len(files)} files obtained and verified" if not unverified else (
        f"all {len(files)} files obtained; no published checksum for {', '.join(unverified[:4])}"
    )
    return report | {"available": True, "reason": reason, "files": files}


def write_fetch_report(report, path):
    with atomic_path(path) as tmp:
        Path(tmp).write_text(json.dumps(report, indent=1) + "\n")


def read_fetch_report(path):
    report = json.loads(Path(path).read_text())
    for key in ("available", "reason", "files"):
        if key not in report:
            raise ValueError(f"{path}: fetch report lacks the key {key!r}")
    return report
