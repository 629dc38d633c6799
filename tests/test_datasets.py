"""The data layer: parsers on real-format fixtures, checksums, mirror and download failures, splits, full shapes.

Fixtures are under tests/data/datasets (see make_fixtures.py there). Tests that need the real staged data read the
mirror at <repo>/../shared/datasets or $LASSONET_BENCH_MIRROR; without it they skip, except under CI=true.
"""

import gzip
import hashlib
import io
import os
import shutil
import urllib.error
import urllib.request
import zipfile
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from lassonet_bench.datasets import (
    REGISTRY,
    ChecksumMismatch,
    Dataset,
    DatasetSpec,
    DatasetUnavailable,
    RawFile,
    check_table1_shape,
    fetch,
    fetch_report,
    load_dataset,
    load_split,
    make_split,
    prepare,
    prepare_options,
    read_fetch_report,
    resolve_mirror,
    save_dataset,
    save_split,
    split_sizes,
    subsample,
    write_fetch_report,
)
from lassonet_bench.datasets import fetching
from lassonet_bench.datasets import registry
from lassonet_bench.datasets.sources import boston, coil20, common, idx, isolet, mice

FIXTURES = Path(__file__).parent / "data" / "datasets"
REPO = Path(__file__).resolve().parents[1]


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """No test reaches the network: a test that wants a download serves it itself (see `serve`)."""
    monkeypatch.setattr(urllib.request, "urlopen", refuse_network)


# ---------------------------------------------------------------- parsers and preprocessing on the fixtures


def test_mice_csv_slice_parses_and_fills_missing_values_with_the_class_mean():
    frame = mice.read_mice_table(FIXTURES / "Data_Cortex_Nuclear.head.csv")
    assert frame.shape == (32, 82) and frame.isna().to_numpy().any()
    X, y, names, info = mice.preprocess_mice(frame)
    assert X.shape == (32, 77) and X.dtype == np.float32 and names[0] == "DYRK1A_N"
    assert np.isfinite(X).all() and X.min() == 0.0 and X.max() == 1.0
    assert info["class_names"] == sorted(frame["class"].unique()) and np.bincount(y).tolist() == [4] * 8
    # one missing cell, recomputed by hand: mean of the observed values of its protein within its class
    values = frame.iloc[:, 1:78]
    row, col = np.argwhere(values.isna().to_numpy())[0]
    same_class = frame["class"] == frame["class"].iloc[row]
    filled = values.iloc[:, col].where(values.iloc[:, col].notna(), values.iloc[:, col][same_class].mean())
    column = filled.to_numpy()
    expected = (column[row] - column.min()) / (column.max() - column.min())
    assert X[row, col] == pytest.approx(expected, abs=1e-6)


def test_mice_authors_code_fill_matches_their_loop_literally():
    frame = mice.read_mice_table(FIXTURES / "Data_Cortex_Nuclear.head.csv")
    X, _, _, info = mice.preprocess_mice(frame, missing_fill="authors_code")
    # the loop of the authors' load_mice(), transcribed: placeholder -100000, mean over the rows of the same class
    values = np.nan_to_num(frame.iloc[:, 1:78].to_numpy(dtype=float), nan=-100000.0)
    classes = frame[["Genotype", "Treatment", "Behavior"]].to_numpy()
    for i, row in enumerate(values):
        for j, val in enumerate(row):
            if val == -100000.0:
                values[i, j] = np.mean([values[k, j] for k in range(len(classes)) if np.all(classes[i] == classes[k])])
    expected = (values - values.min(0)) / np.where(values.max(0) > values.min(0), values.max(0) - values.min(0), 1)
    np.testing.assert_allclose(X, expected, atol=1e-6)
    assert info["missing_fill"] == "authors_code"
    with pytest.raises(ValueError, match="missing_fill must be one of"):
        mice.preprocess_mice(frame, missing_fill="zero")


def test_mice_table_rejects_a_sheet_without_the_class_column(tmp_path):
    bad = tmp_path / "mice.csv"
    pd.read_csv(FIXTURES / "Data_Cortex_Nuclear.head.csv").drop(columns="class").to_csv(bad, index=False)
    with pytest.raises(ValueError, match="mice.csv.*82 columns"):
        mice.read_mice_table(bad)


@pytest.mark.parametrize("prefix, n_items", [("mnist", 20), ("fashion", 10)])
def test_idx_slices_parse_to_images_and_labels(prefix, n_items):
    images = idx.read_idx(FIXTURES / f"{prefix}-t10k-images-idx3-ubyte.gz")
    labels = idx.read_idx(FIXTURES / f"{prefix}-t10k-labels-idx1-ubyte.gz")
    assert images.shape == (n_items, 28, 28) and images.dtype == np.uint8 and labels.shape == (n_items,)
    X, y, names, _ = idx.preprocess_idx_images(images, labels)
    assert X.shape == (n_items, 784) and X.max() == 1.0 and X.min() == 0.0 and names[29] == "pixel_1_1"
    np.testing.assert_allclose(X, images.reshape(n_items, -1) / 255.0, atol=1e-7)  # global max of the pixels: 255
    if prefix == "mnist":
        assert y[:10].tolist() == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]  # the well-known first MNIST test labels


def test_idx_reader_names_the_file_of_a_truncated_or_fake_copy(tmp_path):
    real = gzip.open(FIXTURES / "mnist-t10k-images-idx3-ubyte.gz").read()
    truncated = tmp_path / "truncated.gz"
    truncated.write_bytes(gzip.compress(real[:-100]))
    with pytest.raises(ValueError, match="truncated.gz: IDX header declares"):
        idx.read_idx(truncated)
    html = tmp_path / "page.gz"
    html.write_bytes(b"<html>Not Found</html>")
    with pytest.raises(ValueError, match="page.gz"):
        idx.read_idx(html)


def test_coil_pngs_are_resized_exactly_as_pil_default_and_scaled_globally():
    pixels, labels = coil20.read_coil_images(FIXTURES / "coil-20-proc", n_objects=2, n_poses=2)
    assert pixels.shape == (4, 400) and labels.tolist() == [1, 1, 2, 2]
    with Image.open(FIXTURES / "coil-20-proc" / "obj2__1.png") as image:
        authors = np.asarray(image.resize((20, 20)), dtype=np.float64).ravel()  # the authors' call, default filter
    np.testing.assert_array_equal(pixels[3], authors)
    X, y, names, _ = coil20.preprocess_coil(pixels, labels)
    np.testing.assert_allclose(X, (pixels - pixels.min()) / (pixels.max() - pixels.min()), atol=1e-7)
    assert y.tolist() == [0, 0, 1, 1] and len(names) == 400


def test_uci_isolet_rows_parse_and_scale_per_column():
    rows = common.read_uci_rows(FIXTURES / "isolet-rows.data", 618)
    assert rows.shape == (6, 618) and rows[0, 0] == -0.4394 and rows[:, 617].tolist() == [1, 1, 1, 2, 2, 2]
    X, y, _, info = common.preprocess_labelled_rows([rows[:4, :617], rows[4:, :617]], [rows[:4, 617], rows[4:, 617]])
    assert X.shape == (6, 617) and y.tolist() == [0, 0, 0, 1, 1, 1] and info["rows_per_part"] == [4, 2]
    varying = rows[:, :617].max(0) > rows[:, :617].min(0)
    np.testing.assert_allclose(X.min(0)[varying], 0.0)
    np.testing.assert_allclose(X.max(0)[varying], 1.0)
    with pytest.raises(ValueError, match="isolet-rows.data: expected 561 columns"):
        common.read_uci_rows(FIXTURES / "isolet-rows.data", 561)


def test_activity_text_files_build_through_the_registry(tmp_path):
    for path in (FIXTURES / "activity-synthetic").iterdir():
        shutil.copyfile(path, tmp_path / path.name)
    X, y, names, info = REGISTRY["activity"].build(tmp_path)
    raw_labels = np.concatenate([np.loadtxt(tmp_path / f"final_y_{p}.txt") for p in ("train", "test")])
    assert X.shape == (6, 561) and info["rows_per_part"] == [4, 2] and y.tolist() == (raw_labels - 1).tolist()


def test_isolet_mat_slice_matches_the_text_rows():
    X, labels = isolet.read_isolet_mat(FIXTURES / "Isolet.mat")
    rows = common.read_uci_rows(FIXTURES / "isolet-rows.data", 618)
    np.testing.assert_allclose(X, rows[:, :617], atol=5e-5)
    np.testing.assert_array_equal(labels, rows[:, 617])


def test_boston_gets_13_seeded_noise_columns_standardised():
    frame = boston.read_boston_csv(FIXTURES / "boston_house_prices.head.csv")
    X, y, names, info = boston.preprocess_boston(frame)
    X_again, *_ = boston.preprocess_boston(frame)
    assert X.shape == (30, 26) and y.dtype == np.float32 and y[0] == np.float32(24.0)
    assert names[:2] == ["CRIM", "ZN"] and names[13:] == [f"noise_{j}" for j in range(1, 14)]
    np.testing.assert_array_equal(X, X_again)
    np.testing.assert_allclose(X.mean(0), 0.0, atol=1e-5)
    X_other, *_ = boston.preprocess_boston(frame, noise_seed=1)
    np.testing.assert_array_equal(X_other[:, :13], X[:, :13])
    assert not np.allclose(X_other[:, 13:], X[:, 13:])


# ---------------------------------------------------------------- fetching: mirror, checksums, downloads


def tiny_spec(name="tiny", checksum=None, urls=("https://example.invalid/tiny/mnist-labels.gz",), **extra):
    source = FIXTURES / "mnist-t10k-labels-idx1-ubyte.gz"
    raw = RawFile("labels.gz", "tiny/labels.gz", urls, (checksum or f"sha256:{sha256(source)}",))
    return DatasetSpec(name, "Tiny", "classification", 20, 1, 10, (raw,), build=lambda d: None, preprocessing="", **extra)


@pytest.fixture
def tiny_mirror(tmp_path, monkeypatch):
    mirror = tmp_path / "mirror"
    (mirror / "tiny").mkdir(parents=True)
    shutil.copyfile(FIXTURES / "mnist-t10k-labels-idx1-ubyte.gz", mirror / "tiny" / "labels.gz")
    monkeypatch.setitem(registry.REGISTRY, "tiny", tiny_spec())
    monkeypatch.setattr(urllib.request, "urlopen", refuse_network)
    return mirror


def refuse_network(url, *args, **kwargs):
    refuse_network.calls.append(url)
    raise urllib.error.URLError("simulated: no network")


refuse_network.calls = []


def test_fetch_copies_a_verified_file_from_the_mirror_and_reuses_it(tiny_mirror, tmp_path):
    raw_dir = tmp_path / "raw"
    [path] = fetch("tiny", raw_dir, tiny_mirror)
    assert path == raw_dir / "labels.gz" and sha256(path) == sha256(tiny_mirror / "tiny" / "labels.gz")
    (tiny_mirror / "tiny" / "labels.gz").unlink()  # a good cached copy needs no source at all
    report = fetch_report("tiny", raw_dir, tiny_mirror)
    assert report["available"] and report["files"][0]["source"] == "cached" and report["files"][0]["verified"]
    assert sorted(p.name for p in raw_dir.iterdir()) == ["labels.gz"]  # no temporary file left behind


def test_checksum_mismatch_names_file_and_sums_moves_the_copy_aside_and_writes_nothing(tiny_mirror, tmp_path):
    bad = tiny_mirror / "tiny" / "labels.gz"
    bad.write_bytes(b"<html>Not Found</html>")
    raw_dir = tmp_path / "raw"
    expected = REGISTRY["tiny"].files[0].checksums[0]
    with pytest.raises(ChecksumMismatch) as error:
        fetch_report("tiny", raw_dir, tiny_mirror)
    message = str(error.value)
    assert "labels.gz" in message and expected in message and f"sha256:{sha256(bad)}" in message
    assert not (raw_dir / "labels.gz").exists()
    [rejected] = (raw_dir / "rejected").iterdir()
    assert rejected.read_bytes() == b"<html>Not Found</html>" and str(rejected) in message
    assert sorted(p.name for p in raw_dir.iterdir()) == ["rejected"]


def test_a_corrupt_cached_file_is_moved_aside_and_replaced_from_the_mirror(tiny_mirror, tmp_path):
    raw_dir = tmp_path / "raw"
    raw_dir.mkdir()
    (raw_dir / "labels.gz").write_bytes(b"truncated")
    [path] = fetch("tiny", raw_dir, tiny_mirror)
    assert sha256(path) == sha256(tiny_mirror / "tiny" / "labels.gz")
    assert [p.read_bytes() for p in (raw_dir / "rejected").iterdir()] == [b"truncated"]


def test_missing_mirror_and_failing_download_make_the_data_set_unavailable(tiny_mirror, tmp_path, caplog):
    refuse_network.calls.clear()
    absent = tmp_path / "no-such-mirror"
    with pytest.raises(DatasetUnavailable) as error, caplog.at_level("WARNING"):
        fetch("tiny", tmp_path / "raw", absent, retries=3, backoff_s=0)
    message = str(error.value)
    # In words, once per file; no machine path, no raw exception: those go to the log.
    assert message == ("data set 'tiny' is unavailable: labels.gz: not in the offline mirror; "
                       "the download from example.invalid failed: an unexpected error (see the log)")
    assert str(tmp_path) not in message and error.value.missing_files == ["labels.gz"]
    assert "simulated: no network" in caplog.text
    assert refuse_network.calls == ["https://example.invalid/tiny/mnist-labels.gz"] * 3  # retried, then given up
    report = fetch_report("tiny", tmp_path / "raw", None, backoff_s=0)
    assert report["available"] is False and "no offline mirror configured" in report["reason"]
    assert report["files"] == [{"name": "labels.gz", "mirror_path": "tiny/labels.gz", "urls": list(REGISTRY["tiny"].files[0].urls)}]
    write_fetch_report(report, tmp_path / "fetch.json")
    assert read_fetch_report(tmp_path / "fetch.json") == report


def test_http_404_is_not_retried(tiny_mirror, tmp_path, monkeypatch):
    calls = []

    def not_found(url, *args, **kwargs):
        calls.append(url)
        raise urllib.error.HTTPError(url, 404, "Not Found", {}, None)

    monkeypatch.setattr(urllib.request, "urlopen", not_found)
    with pytest.raises(DatasetUnavailable, match="404"):
        fetch("tiny", tmp_path / "raw", None, retries=3, backoff_s=0)
    assert len(calls) == 1


class FakeResponse(io.BytesIO):
    def __init__(self, content):
        super().__init__(content)
        self.headers = {"Content-Length": str(len(content))}


def serve(monkeypatch, content_by_url):
    monkeypatch.setattr(urllib.request, "urlopen", lambda url, *a, **k: FakeResponse(content_by_url[url]))


def test_download_is_verified_and_renamed_into_place(tiny_mirror, tmp_path, monkeypatch):
    serve(monkeypatch, {"https://example.invalid/tiny/mnist-labels.gz": (tiny_mirror / "tiny" / "labels.gz").read_bytes()})
    report = fetch_report("tiny", tmp_path / "raw", None)
    assert report["available"] and report["files"][0]["source"] == "https://example.invalid/tiny/mnist-labels.gz"
    assert not (tmp_path / "raw" / ".downloads").exists()


def test_a_bad_download_is_rejected_like_a_bad_mirror_file(tiny_mirror, tmp_path, monkeypatch):
    serve(monkeypatch, {"https://example.invalid/tiny/mnist-labels.gz": b"x" * 21000})
    with pytest.raises(ChecksumMismatch, match="labels.gz from https://example.invalid/tiny/mnist-labels.gz"):
        fetch("tiny", tmp_path / "raw", None)
    assert not (tmp_path / "raw" / "labels.gz").exists() and len(list((tmp_path / "raw" / "rejected").iterdir())) == 1


@pytest.fixture
def unpublished_mirror(tiny_mirror, monkeypatch):
    """The tiny data set as ISOLET and Activity are declared: no published checksum and no sums file."""
    spec = tiny_spec()
    monkeypatch.setitem(registry.REGISTRY, "tiny", replace(spec, files=(replace(spec.files[0], checksums=()),)))
    return tiny_mirror


def test_a_file_without_a_published_sum_has_its_first_copy_recorded(unpublished_mirror, tmp_path):
    raw_dir = tmp_path / "raw"
    report = fetch_report("tiny", raw_dir, unpublished_mirror)
    digest = sha256(unpublished_mirror / "tiny" / "labels.gz")
    assert (raw_dir / "labels.gz.sha256").read_text() == f"{digest}  labels.gz\n"
    assert report["available"] and report["files"][0]["verified"] is False
    again = fetch_report("tiny", raw_dir, unpublished_mirror)  # the cached copy, checked against the record
    assert again["files"][0]["source"] == "cached" and again["files"][0]["verified"] is False


def test_a_later_copy_that_differs_from_the_recorded_first_is_refused(unpublished_mirror, tmp_path):
    raw_dir = tmp_path / "raw"
    fetch("tiny", raw_dir, unpublished_mirror)
    recorded = (raw_dir / "labels.gz.sha256").read_text()
    (raw_dir / "labels.gz").write_bytes(b"changed upstream")
    (unpublished_mirror / "tiny" / "labels.gz").write_bytes(b"changed upstream")
    with pytest.raises(ChecksumMismatch, match=r"recorded when labels.gz was first obtained .*labels\.gz\.sha256"):
        fetch("tiny", raw_dir, unpublished_mirror)
    assert not (raw_dir / "labels.gz").exists() and len(list((raw_dir / "rejected").iterdir())) == 2
    assert (raw_dir / "labels.gz.sha256").read_text() == recorded  # the record is not rewritten


def test_isolet_and_activity_are_the_paper_data_sets_checked_by_first_use():
    first_use = {name for name, spec in REGISTRY.items()
                 if spec.sums_file is None and any(not f.checksums for f in spec.files)}
    assert first_use == {"isolet", "activity"}


def test_every_url_is_https():
    urls = [url for spec in REGISTRY.values() for f in (*spec.files, spec.sums_file) if f for url in f.urls]
    assert urls and [url for url in urls if not url.startswith("https://")] == []


def coil_fixture_spec(url, listing_checksum):
    files = tuple(
        RawFile(name, f"coil/{name}", (url,), archive_member=name)
        for name in ("obj1__0.png", "obj1__1.png", "obj2__0.png", "obj2__1.png")
    )
    sums = RawFile("coil-20-proc.SHA256SUMS", "coil/coil-20-proc.SHA256SUMS", (), (listing_checksum,))
    return DatasetSpec("tinycoil", "Tiny COIL", "classification", 4, 400, 2, files, build=None, preprocessing="", sums_file=sums)


def test_pngs_from_a_nested_zip_are_checked_against_the_listing_digest(tmp_path, monkeypatch):
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        for png in sorted((FIXTURES / "coil-20-proc").iterdir()):
            archive.write(png, f"coil-20-proc/{png.name}")
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w") as archive:
        archive.writestr("coil-20-proc.zip", inner.getvalue())
    url = "https://example.invalid/coil-20-proc.zip"
    serve(monkeypatch, {url: outer.getvalue()})
    listing_sha = f"sha256:{sha256(FIXTURES / 'coil-20-proc.SHA256SUMS')}"
    monkeypatch.setitem(registry.REGISTRY, "tinycoil", coil_fixture_spec(url, listing_sha))
    report = fetch_report("tinycoil", tmp_path / "raw", None)
    assert report["available"] and all(f["verified"] for f in report["files"])
    assert (tmp_path / "raw" / "coil-20-proc.SHA256SUMS").read_text() == (FIXTURES / "coil-20-proc.SHA256SUMS").read_text()
    monkeypatch.setitem(registry.REGISTRY, "tinycoil", coil_fixture_spec(url, "sha256:" + "0" * 64))
    with pytest.raises(ChecksumMismatch, match="tinycoil files"):
        fetch("tinycoil", tmp_path / "raw2", None)


def test_pngs_from_the_mirror_are_checked_one_by_one_against_sha256sums(tmp_path, monkeypatch):
    mirror = tmp_path / "mirror"
    shutil.copytree(FIXTURES / "coil-20-proc", mirror / "coil")
    shutil.copyfile(FIXTURES / "coil-20-proc.SHA256SUMS", mirror / "coil" / "coil-20-proc.SHA256SUMS")
    listing_sha = f"sha256:{sha256(FIXTURES / 'coil-20-proc.SHA256SUMS')}"
    monkeypatch.setitem(registry.REGISTRY, "tinycoil", coil_fixture_spec("https://example.invalid/c.zip", listing_sha))
    monkeypatch.setattr(urllib.request, "urlopen", refuse_network)
    assert len(fetch("tinycoil", tmp_path / "raw", mirror)) == 4
    shutil.copyfile(mirror / "coil" / "obj1__0.png", mirror / "coil" / "obj2__1.png")  # a wrong image under a right name
    with pytest.raises(ChecksumMismatch, match="obj2__1.png from mirror"):
        fetch("tinycoil", tmp_path / "raw-again", mirror, backoff_s=0)


def test_the_environment_variable_overrides_the_configured_mirror(monkeypatch, tmp_path):
    monkeypatch.delenv("LASSONET_BENCH_MIRROR", raising=False)
    assert resolve_mirror(None) is None and resolve_mirror("some/dir") == Path("some/dir")
    assert resolve_mirror("some/dir", "/repo") == Path("/repo/some/dir")
    assert resolve_mirror("/abs/dir", "/repo") == Path("/abs/dir")
    assert resolve_mirror(None, "/work/repo") == Path("/work/shared/datasets")  # the default: beside the repository
    monkeypatch.setenv("LASSONET_BENCH_MIRROR", str(tmp_path))
    assert resolve_mirror("some/dir", "/repo") == tmp_path


def test_prepare_options_come_from_the_data_config():
    assert prepare_options("mice", {}) == {"missing_fill": "class_mean"}
    assert prepare_options("mice", {"mice_missing_fill": "authors_code"}) == {"missing_fill": "authors_code"}
    assert prepare_options("mnist", {"mice_missing_fill": "authors_code"}) == {}


def unix_compress(data):
    """A minimal Unix `compress` (.Z) writer for short inputs: LZW with 9-bit codes only, so at most 255 codes
    (the code width would grow after that). Enough to exercise the .Z download path without a real ISOLET file."""
    table, next_code, word, codes = {bytes([i]): i for i in range(256)}, 257, b"", []
    for byte in data:
        candidate = word + bytes([byte])
        if candidate in table:
            word = candidate
        else:
            codes.append(table[word])
            table[candidate], next_code, word = next_code, next_code + 1, bytes([byte])
    codes.append(table[word])
    assert len(codes) <= 255, "input too long for 9-bit codes"
    packed = sum(code << (9 * i) for i, code in enumerate(codes))
    return b"\x1f\x9d\x90" + packed.to_bytes((9 * len(codes) + 7) // 8, "little")


def test_isolet_arrives_as_unix_z_files_and_is_reported_unverified(tmp_path, monkeypatch):
    rows = {name: f"0.1, -0.2, 0.3, {i}.\n0.4, 0.5, -0.6, {i}.\n".encode() for i, name in enumerate(("isolet1+2+3+4.data", "isolet5.data"), 1)}
    serve(monkeypatch, {f.urls[0]: unix_compress(rows[f.name]) for f in registry.get_spec("isolet").files})
    report = fetch_report("isolet", tmp_path, None)
    assert report["available"] and "no published checksum for isolet1+2+3+4.data, isolet5.data" in report["reason"]
    assert all((tmp_path / name).read_bytes() == content for name, content in rows.items())
    assert not report["files"][0]["verified"]


def test_decompressing_something_that_is_not_a_unix_z_file_fails_naming_it(tmp_path):
    fake = tmp_path / "isolet5.data.Z"
    fake.write_bytes(b"<html>moved</html>")
    with pytest.raises(OSError, match="isolet5.data.Z"):
        fetching.decompress_unix_z(fake, tmp_path / "out")


# ---------------------------------------------------------------- registry, Table 1 check, saved files


def test_registry_holds_the_papers_data_sets_with_table1_shapes():
    expected = {
        "mice": (1080, 77, 8), "mnist": (10000, 784, 10), "fashion": (10000, 784, 10), "isolet": (7797, 617, 26),
        "coil20": (1440, 400, 20), "activity": (5744, 561, 6), "boston": (506, 26, None), "isolet1560": (1560, 617, 26),
    }  # fmt: skip
    assert {name: (s.n_samples, s.n_features, s.n_classes) for name, s in REGISTRY.items()} == expected
    for spec in REGISTRY.values():
        assert spec.files and all(f.urls for f in spec.files), spec.name
        assert all(c.split(":")[0] in ("sha256", "md5") for f in spec.files for c in f.checksums)
    assert REGISTRY["isolet1560"].title != REGISTRY["isolet"].title


def test_table1_check_rejects_a_wrong_shape_or_class_count():
    spec = REGISTRY["mice"]
    with pytest.raises(ValueError, match=r"mice: expected X of shape \(1080, 77\).*got \(1079, 77\)"):
        check_table1_shape(spec, np.zeros((1079, 77)), np.arange(1079) % 8)
    with pytest.raises(ValueError, match="mice: expected labels 0..7"):
        check_table1_shape(spec, np.zeros((1080, 77)), np.arange(1080) % 7)


def test_dataset_round_trips_through_npz_with_and_without_labels(tmp_path):
    dataset = Dataset(np.eye(3, dtype=np.float32), np.array([0, 1, 1]), np.array(["a", "b", "c"]), {"task": "classification"})
    save_dataset(dataset, tmp_path / "d.npz")
    again = load_dataset(tmp_path / "d.npz")
    assert again.X.dtype == np.float32 and again.y.dtype == np.int64 and again.feature_names.tolist() == ["a", "b", "c"]
    assert again.meta == {"task": "classification"}
    save_dataset(Dataset(dataset.X, None, dataset.feature_names, {}), tmp_path / "u.npz")
    assert load_dataset(tmp_path / "u.npz").y is None and "y" not in np.load(tmp_path / "u.npz").files


def test_subsample_is_stratified_seeded_and_keeps_row_order():
    y = np.repeat(np.arange(4), [100, 50, 30, 20])
    dataset = Dataset(np.arange(200, dtype=np.float32)[:, None], y, np.array(["f"]), {"name": "toy", "task": "classification"})
    small = subsample(dataset, 40)
    assert len(small.X) == 40 and np.bincount(small.y).tolist() == [20, 10, 6, 4]
    assert np.all(np.diff(small.X[:, 0]) > 0) and small.meta["subsample"]["n_samples_full"] == 200
    np.testing.assert_array_equal(subsample(dataset, 40).X, small.X)
    assert subsample(dataset, None) is dataset and subsample(dataset, 500) is dataset
    with pytest.raises(ValueError, match="data.max_samples"):
        subsample(dataset, 1.5)


# ---------------------------------------------------------------- splits


def test_split_sizes_are_70_10_20():
    assert split_sizes(1080) == (756, 108, 216) and split_sizes(5744) == (4021, 574, 1149)


def test_splits_are_determined_by_the_seed_alone_disjoint_and_complete():
    y = np.repeat(np.arange(8), [150, 135, 150, 135, 135, 105, 135, 135])
    first, again, other = make_split(y, 3, True), make_split(y, 3, True), make_split(y, 4, True)
    for key in ("train", "val", "test"):
        np.testing.assert_array_equal(first[key], again[key])
        assert first[key].dtype == np.int64
    assert not np.array_equal(first["test"], other["test"])
    together = np.concatenate([first["train"], first["val"], first["test"]])
    assert sorted(together.tolist()) == list(range(len(y)))
    assert [len(first[k]) for k in ("train", "val", "test")] == list(split_sizes(len(y)))


def test_splits_are_stratified_for_classification():
    y = np.repeat(np.arange(8), [150, 135, 150, 135, 135, 105, 135, 135])
    split = make_split(y, 0, stratify=True)
    overall = np.bincount(y) / len(y)
    for key, fraction in (("train", 0.7), ("val", 0.1), ("test", 0.2)):
        counts = np.bincount(y[split[key]], minlength=8)
        assert np.all(np.abs(counts - overall * len(split[key])) <= 1), (key, counts)
        assert np.all(np.abs(counts - fraction * np.bincount(y)) <= 1.5), (key, counts)


def test_regression_split_and_a_too_small_stratified_split(tmp_path):
    split = make_split(np.linspace(0, 1, 506), 0, stratify=False)
    assert [len(split[k]) for k in ("train", "val", "test")] == [354, 51, 101]
    save_split(split, tmp_path / "split-0.npz", seed=0)
    loaded = load_split(tmp_path / "split-0.npz")
    assert all(np.array_equal(loaded[k], split[k]) for k in ("train", "val", "test"))
    np.savez(tmp_path / "overlap.npz", train=np.array([0, 1]), val=np.array([1]), test=np.array([2]))
    with pytest.raises(ValueError, match="overlap.npz: train, val and test indices overlap"):
        load_split(tmp_path / "overlap.npz")
    with pytest.raises(ValueError, match="cannot split 30 rows with 26 classes"):
        make_split(np.arange(30) % 26, 0, stratify=True)


# ---------------------------------------------------------------- the real staged data (mirror-gated)


def staged_mirror():
    configured = os.environ.get("LASSONET_BENCH_MIRROR")
    mirror = Path(configured) if configured else REPO.parent / "shared" / "datasets"
    if not (mirror / "MANIFEST.md").is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but the staged data mirror {mirror} is missing")
        pytest.skip(f"staged data mirror {mirror} not found")
    return mirror


STAGED = ["mice", "mnist", "fashion", "isolet1560", "coil20", "boston"]


@pytest.fixture(scope="module")
def staged_raw(tmp_path_factory):
    mirror = staged_mirror()
    root = tmp_path_factory.mktemp("raw")
    for name in STAGED:
        fetch(name, root / name, mirror, allow_download=False)
    return mirror, root


@pytest.mark.slow
@pytest.mark.parametrize("name", STAGED)
def test_every_staged_data_set_has_table1_shape(staged_raw, name):
    _, root = staged_raw
    dataset = prepare(name, root / name)
    spec = REGISTRY[name]
    assert dataset.X.shape == (spec.n_samples, spec.n_features) and dataset.X.dtype == np.float32
    assert len(dataset.feature_names) == spec.n_features and np.isfinite(dataset.X).all()
    assert [f["sha256"] for f in dataset.meta["source_files"]] == [sha256(root / name / f.name) for f in spec.files]
    if spec.task == "classification":
        assert dataset.y.dtype == np.int64 and len(np.unique(dataset.y)) == spec.n_classes
        assert dataset.X.min() == 0.0 and dataset.X.max() == 1.0
    else:
        assert dataset.y.dtype == np.float32 and dataset.y.mean() == pytest.approx(22.5328, abs=1e-4)  # MEDV


@pytest.mark.slow
def test_prepare_passes_options_to_mice_and_rejects_unknown_ones(staged_raw):
    _, root = staged_raw
    authors = prepare("mice", root / "mice", missing_fill="authors_code")
    assert authors.X.shape == (1080, 77) and authors.meta["missing_fill"] == "authors_code"
    with pytest.raises(ValueError, match="boston: unknown preprocessing option"):
        prepare("boston", root / "boston", missing_fill="class_mean")


@pytest.mark.slow
def test_mice_xls_and_its_csv_export_give_the_same_data(staged_raw):
    mirror, _ = staged_raw
    from_xls = mice.preprocess_mice(mice.read_mice_table(mirror / "mice-protein/Data_Cortex_Nuclear.xls"))
    from_csv = mice.preprocess_mice(mice.read_mice_table(mirror / "mice-protein/Data_Cortex_Nuclear.csv"))
    np.testing.assert_array_equal(from_xls[0], from_csv[0])
    np.testing.assert_array_equal(from_xls[1], from_csv[1])
    assert from_xls[3]["n_missing_filled"] == 1396


@pytest.mark.slow
@pytest.mark.parametrize("name", ["isolet", "activity"])
def test_data_sets_missing_from_the_mirror_are_reported_unavailable(staged_raw, tmp_path, name):
    mirror, _ = staged_raw
    report = fetch_report(name, tmp_path, mirror, allow_download=False)
    assert report["available"] is False
    for raw_file in REGISTRY[name].files:
        assert raw_file.name in report["reason"]
    assert "not in the offline mirror" in report["reason"] and "downloads disabled" in report["reason"]
    assert str(mirror) not in report["reason"]


def test_a_data_set_declaration_with_a_fault_is_refused_by_name():
    entry = dict(name="toy", title="Toy", task="classification", shape=dict(n_samples=4, n_features=2, n_classes=2),
                 files=[dict(folder="toy", names=["a.csv"], urls=["https://example.invalid/{name}"])],
                 build="mice.build", preprocessing="none")
    spec = registry.spec_from_declaration(entry)
    assert spec.files[0].mirror_path == "toy/a.csv" and spec.files[0].urls == ("https://example.invalid/a.csv",)
    with pytest.raises(ValueError, match="'toy'.*unknown keys \\['shapes'\\]"):
        registry.spec_from_declaration({**entry, "shapes": {}})
    with pytest.raises(ValueError, match="'toy': datasets.yaml: build 'nothing' must be <module>.<function>"):
        registry.spec_from_declaration({**entry, "build": "nothing"})
    with pytest.raises(ValueError, match="'toy': .*datasets.sources.mice has no function 'nothing'"):
        registry.spec_from_declaration({**entry, "build": "mice.nothing"})
    with pytest.raises(ValueError, match="checksums for \\['b.csv'\\]"):
        registry.spec_from_declaration({**entry, "files": [{**entry["files"][0], "checksums": {"b.csv": ["md5:0"]}}]})


def test_a_download_failure_is_said_in_words():
    import socket

    from lassonet_bench.datasets.fetching import failure_in_words

    no_dns = urllib.error.URLError(socket.gaierror(-2, "Name or service not known"))
    assert failure_in_words(no_dns) == "no network (the host name could not be resolved)"
    assert failure_in_words(urllib.error.HTTPError("https://x", 404, "Not Found", {}, None)) == "the server answered HTTP 404"
    assert failure_in_words(urllib.error.URLError(TimeoutError())) == "the connection timed out"
