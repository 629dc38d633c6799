"""One entry per data set: its raw files (mirror path, canonical URLs, checksums), Table 1's shape, and how to build it.

Checksums are written "sha256:<hex>" or "md5:<hex>"; a file passes when it matches any of them. An empty tuple
means no published sum exists (the UCI archives): such files are accepted as downloaded and their shape is
checked when the data set is prepared.
"""

import inspect
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import parsers, preprocess

UCI = "https://archive.ics.uci.edu/ml/machine-learning-databases"


@dataclass(frozen=True)
class RawFile:
    """A raw file as it lands in `results/raw/<dataset>/<name>`.

    `mirror_path` is relative to the mirror's root (the layout of ../shared/datasets). Each URL serves either the
    file itself, a zip archive holding it (`archive_member`, matched by base name), or a Unix-compressed `.Z`
    copy of it (`compression="Z"`).
    """

    name: str
    mirror_path: str | None
    urls: tuple[str, ...]
    checksums: tuple[str, ...] = ()
    archive_member: str | None = None
    compression: str | None = None


@dataclass(frozen=True)
class DatasetOption:
    """A preprocessing option of one data set: the workflow's `data.<config_key>` sets the build function's
    keyword `argument`, whose default in the build function's signature is the option's default."""

    config_key: str
    argument: str
    choices: tuple[str, ...]
    description: str


@dataclass(frozen=True)
class DatasetSpec:
    name: str
    title: str  # the paper's name
    task: str  # "classification" or "regression"
    n_samples: int
    n_features: int
    n_classes: int | None
    files: tuple[RawFile, ...]
    build: Callable[..., tuple] = field(repr=False)  # build(raw_dir, **options) -> (X, y, feature_names, info)
    preprocessing: str
    sums_file: RawFile | None = None  # a SHA256SUMS file listing per-file sums of `files` (COIL-20)
    notes: str = ""
    options: tuple[DatasetOption, ...] = ()

    def option_default(self, option):
        return inspect.signature(self.build).parameters[option.argument].default

    def build_options(self, data_config):
        """The build function's keyword arguments set by the workflow's `data` config section."""
        return {o.argument: data_config.get(o.config_key, self.option_default(o)) for o in self.options}

    def options_schema(self):
        """JSON schema of this data set's keys in the `data` config section (workflow/schemas/config.schema.yaml)."""
        return {
            o.config_key: {"description": o.description, "type": "string", "enum": list(o.choices),
                           "default": self.option_default(o)}
            for o in self.options
        }


def _mice(raw_dir, missing_fill="class_mean"):
    frame = parsers.read_mice_table(Path(raw_dir) / "Data_Cortex_Nuclear.xls")
    return preprocess.preprocess_mice(frame, missing_fill=missing_fill)


def _idx(raw_dir):
    images = parsers.read_idx(Path(raw_dir) / "t10k-images-idx3-ubyte.gz")
    labels = parsers.read_idx(Path(raw_dir) / "t10k-labels-idx1-ubyte.gz")
    return preprocess.preprocess_idx_images(images, labels)


def _isolet(raw_dir):
    parts = [parsers.read_uci_rows(Path(raw_dir) / name, 618) for name in ("isolet1+2+3+4.data", "isolet5.data")]
    return preprocess.preprocess_labelled_rows([p[:, :617] for p in parts], [p[:, 617] for p in parts])


def _isolet1560(raw_dir):
    X, labels = parsers.read_isolet_mat(Path(raw_dir) / "Isolet.mat")
    return preprocess.preprocess_labelled_rows([X], [labels])


def _coil20(raw_dir):
    return preprocess.preprocess_coil(*parsers.read_coil_images(Path(raw_dir)))


def _activity(raw_dir):
    raw_dir = Path(raw_dir)
    parts_X = [parsers.read_uci_rows(raw_dir / f"final_X_{part}.txt", 561) for part in ("train", "test")]
    parts_y = [parsers.read_uci_rows(raw_dir / f"final_y_{part}.txt", 1) for part in ("train", "test")]
    return preprocess.preprocess_labelled_rows(parts_X, parts_y)


def _boston(raw_dir):
    return preprocess.preprocess_boston(parsers.read_boston_csv(Path(raw_dir) / "boston_house_prices.csv"))


def _idx_files(folder, urls_for, sums):
    return tuple(
        RawFile(name, f"{folder}/{name}", urls_for(name), sums[name])
        for name in ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
    )


MNIST_FILES = _idx_files(
    "mnist",
    lambda name: (f"https://ossci-datasets.s3.amazonaws.com/mnist/{name}", f"http://yann.lecun.com/exdb/mnist/{name}"),
    {
        "t10k-images-idx3-ubyte.gz": ("sha256:8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",),
        "t10k-labels-idx1-ubyte.gz": ("sha256:f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",),
    },
)

FASHION_FILES = _idx_files(
    "fashion-mnist",
    lambda name: (
        f"http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/{name}",
        f"https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/{name}",
    ),
    {
        # The mirror's copy was re-gzipped by Debian (same images, other bytes); the md5 is upstream's published .gz.
        "t10k-images-idx3-ubyte.gz": (
            "sha256:cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa",
            "md5:bef4ecab320f06d8554ea6380940ec79",
        ),
        "t10k-labels-idx1-ubyte.gz": ("sha256:67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",),
    },
)

COIL_ZIP_URL = "https://www.cs.columbia.edu/CAVE/databases/SLAM_coil-20_coil-100/coil-20/coil-20-proc.zip"
COIL_FILES = tuple(
    RawFile(
        parsers.coil_file_name(obj, pose),
        f"coil20/coil-20-proc/{parsers.coil_file_name(obj, pose)}",
        (COIL_ZIP_URL,),
        archive_member=parsers.coil_file_name(obj, pose),
    )
    for obj in range(1, 21)
    for pose in range(72)
)

# The UCI page of this data set is
# https://archive.ics.uci.edu/ml/datasets/Smartphone+Dataset+for+Human+Activity+Recognition+%28HAR%29+in+Ambient+Assisted+Living+%28AAL%29
# (UCI id 364). The archive URLs below follow UCI's two URL patterns for that id; neither could be checked from
# this project's machines (no internet), so they are the best knowledge, not verified addresses.
ACTIVITY_URLS = (
    "https://archive.ics.uci.edu/static/public/364/"
    "smartphone+dataset+for+human+activity+recognition+har+in+ambient+assisted+living+aal.zip",
    f"{UCI}/00364/dataset_uci.zip",
)
ACTIVITY_FILES = tuple(
    RawFile(name, f"activity/{name}", ACTIVITY_URLS, archive_member=name)
    for name in ("final_X_train.txt", "final_X_test.txt", "final_y_train.txt", "final_y_test.txt")
)

REGISTRY = {}


def register(spec):
    """Add a data set's spec to the registry under `spec.name`; the workflow, its schemas and the report take the
    data sets from here. Refuses a taken or malformed name, an unknown task and an option its build lacks."""
    if not spec.name.replace("_", "").isalnum() or not spec.name.islower() or not spec.name[0].isalpha():
        raise ValueError(f"data set name {spec.name!r} must be lower-case letters, digits and '_'")
    if REGISTRY.get(spec.name, spec) is not spec:
        raise ValueError(f"data set name {spec.name!r} is taken")
    if spec.task not in ("classification", "regression"):
        raise ValueError(f"data set {spec.name!r}: task must be 'classification' or 'regression', got {spec.task!r}")
    arguments = inspect.signature(spec.build).parameters
    for option in spec.options:
        if option.argument not in arguments:
            raise ValueError(f"data set {spec.name!r}: option {option.config_key!r} sets {option.argument!r}, "
                             f"which its build function does not take")
    REGISTRY[spec.name] = spec
    return spec


for _spec in (
    DatasetSpec(
        name="mice",
        title="Mice Protein",
        task="classification",
        n_samples=1080,
        n_features=77,
        n_classes=8,
        files=(
            RawFile(
                "Data_Cortex_Nuclear.xls",
                "mice-protein/Data_Cortex_Nuclear.xls",
                (f"{UCI}/00342/Data_Cortex_Nuclear.xls",),
                ("sha256:109dd25f4cc717d26cd47a546ad521ae58ae850c21a46da2fc874198de4cb664",),
            ),
        ),
        build=_mice,
        preprocessing="77 proteins; missing values filled with the protein's mean within the class; "
        "each column min-max scaled to [0, 1]; labels: the 8 `class` values in sorted order",
        notes="The canonical UCI .xls is read; the CSV export in the mirror holds identical values.",
        options=(
            DatasetOption(
                "mice_missing_fill",
                "missing_fill",
                ("class_mean", "authors_code"),
                "How Mice Protein's missing values are filled: \"class_mean\" (the mean of the protein within the "
                "sample's class, as the replication notes describe) or \"authors_code\" (a literal reproduction of "
                "the authors' code).",
            ),
        ),
    ),
    DatasetSpec(
        name="mnist",
        title="MNIST",
        task="classification",
        n_samples=10000,
        n_features=784,
        n_classes=10,
        files=MNIST_FILES,
        build=_idx,
        preprocessing="the 10,000 test images, flattened, divided by the global max (min 0, max 255)",
        notes="The IDX test files hold the same images as Keras' mnist.npz x_test/y_test.",
    ),
    DatasetSpec(
        name="fashion",
        title="MNIST-Fashion",
        task="classification",
        n_samples=10000,
        n_features=784,
        n_classes=10,
        files=FASHION_FILES,
        build=_idx,
        preprocessing="the 10,000 test images, flattened, divided by the global max (min 0, max 255)",
    ),
    DatasetSpec(
        name="isolet",
        title="ISOLET",
        task="classification",
        n_samples=7797,
        n_features=617,
        n_classes=26,
        files=tuple(
            RawFile(name, f"isolet/{name}", (f"{UCI}/isolet/{name}.Z",), compression="Z")
            for name in ("isolet1+2+3+4.data", "isolet5.data")
        ),
        build=_isolet,
        preprocessing="isolet1+2+3+4 then isolet5 concatenated; each column min-max scaled; labels 1..26 -> 0..25",
        notes="UCI publishes no checksum; the files are accepted as downloaded and their row counts checked.",
    ),
    DatasetSpec(
        name="isolet1560",
        title="ISOLET (1560-row subset)",
        task="classification",
        n_samples=1560,
        n_features=617,
        n_classes=26,
        files=(
            RawFile(
                "Isolet.mat",
                "isolet-partial-skfeature/Isolet.mat",
                (
                    "https://raw.githubusercontent.com/jundongl/scikit-feature/"
                    "48cffad4e88ff4b9d2f1c7baffb314d1b3303792/skfeature/data/Isolet.mat",
                ),
                ("sha256:ea73c69b1342a7def8199458e53a70307a83d557eceb2579863dda57c3ccd2b1",),
            ),
        ),
        build=_isolet1560,
        preprocessing="scikit-feature's Isolet.mat (values in [-1, 1]); each column min-max scaled; labels 1..26 -> 0..25",
        notes="Not the paper's ISOLET: 1560 of its 7797 rows (very likely speaker group isolet1), 60 per letter.",
    ),
    DatasetSpec(
        name="coil20",
        title="COIL-20",
        task="classification",
        n_samples=1440,
        n_features=400,
        n_classes=20,
        files=COIL_FILES,
        sums_file=RawFile(
            "coil-20-proc.SHA256SUMS",
            "coil20/coil-20-proc.SHA256SUMS",
            (),
            ("sha256:ab9e6dbb37c6eb4b8619ecdb27d71f8853a5fd3f646184f82ca4d361ce88d56f",),
        ),
        build=_coil20,
        preprocessing="each 128x128 PNG resized to 20x20 with PIL (Image.resize, default bicubic filter), "
        "the 1440 x 400 matrix scaled by its global min and max; objects 1..20 -> labels 0..19",
    ),
    DatasetSpec(
        name="activity",
        title="Activity",
        task="classification",
        n_samples=5744,
        n_features=561,
        n_classes=6,
        files=ACTIVITY_FILES,
        build=_activity,
        preprocessing="final_X_train then final_X_test concatenated; each column min-max scaled; labels 1..6 -> 0..5",
        notes="UCI 'Smartphone Dataset for HAR in AAL' (id 364), not the 10,299-row 'UCI HAR' set. "
        "The archive URLs are inferred from UCI's URL patterns and could not be verified here; "
        "UCI publishes no checksum.",
    ),
    DatasetSpec(
        name="boston",
        title="Boston housing",
        task="regression",
        n_samples=506,
        n_features=26,
        n_classes=None,
        files=(
            RawFile(
                "boston_house_prices.csv",
                "boston-housing/boston_house_prices.csv",
                (
                    "https://raw.githubusercontent.com/scikit-learn/scikit-learn/1.1.3/"
                    "sklearn/datasets/data/boston_house_prices.csv",
                ),
                ("sha256:d98212636026544fc9b9c0f372e5f819872e6fa6fa757ab025efdda22180f2d6",),
            ),
        ),
        build=_boston,
        preprocessing=f"13 features + 13 standard-Gaussian noise columns (numpy default_rng seed "
        f"{preprocess.BOSTON_NOISE_SEED}), all 26 standardised over the 506 rows; y = MEDV unscaled",
    ),
):
    register(_spec)

PAPER_DATASETS = ("mice", "mnist", "fashion", "isolet", "coil20", "activity")  # Tables 1-2, in the paper's order


def get_spec(name):
    """The registry entry of `name`, or a ValueError listing the known names."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise ValueError(f"unknown data set {name!r}: known data sets are {sorted(REGISTRY)}") from None
