"""The data set registry: one DatasetSpec per data set, its raw files (mirror path, canonical URLs, checksums),
Table 1's shape, and how to build it.

The package's data sets are the entries of datasets.yaml beside this module (their build functions are in
`sources`); `register(spec)` adds another. Checksums are written "sha256:<hex>" or "md5:<hex>"; a file passes when
it matches any of them. An empty tuple means no published sum exists (the UCI archives): the sha256 of the first copy
obtained is recorded beside it and later copies must match it (`fetching.recorded_checksum`), and the data set's
shape is checked when it is prepared.
"""

import inspect
from dataclasses import dataclass, field
from importlib import resources
from typing import Callable

import yaml

from lassonet_bench.datasets import sources


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


def raw_files(group):
    """The RawFiles of one `files` group of datasets.yaml (see the file's header)."""
    names = group["names"] if "names" in group else sources.resolve(group["names_from"], "names_from")()
    sums = group.get("checksums", {})
    unknown = sorted(set(sums) - set(names))
    if unknown:
        raise ValueError(f"datasets.yaml: checksums for {unknown}, which folder {group['folder']!r} does not list")
    return tuple(
        RawFile(name, f"{group['folder']}/{name}", tuple(url.format(name=name) for url in group["urls"]),
                tuple(sums.get(name, ())), archive_member=name if group.get("archive") else None,
                compression=group.get("compression"))
        for name in names
    )


def spec_from_declaration(entry):
    """A DatasetSpec from one entry of datasets.yaml."""
    entry = dict(entry)
    name = entry.get("name")
    unknown = sorted(set(entry) - DECLARATION_KEYS)
    if unknown:
        raise ValueError(f"datasets.yaml: data set {name!r} has unknown keys {unknown}; known: {sorted(DECLARATION_KEYS)}")
    try:
        build = sources.resolve(str(entry.pop("build")))
    except ValueError as error:
        raise ValueError(f"data set {name!r}: {error}") from None
    constants = sources.constants()
    sums_file = entry.pop("sums_file", None)
    return DatasetSpec(
        **entry.pop("shape"),
        files=tuple(f for group in entry.pop("files") for f in raw_files(group)),
        sums_file=raw_files(sums_file)[0] if sums_file else None,
        build=build,
        preprocessing=entry.pop("preprocessing").format_map(constants),
        options=tuple(DatasetOption(**option) for option in entry.pop("options", ())),
        **entry,
    )


DECLARATION_KEYS = {"name", "title", "task", "shape", "files", "sums_file", "build", "preprocessing", "notes", "options"}


def _register_package_datasets():
    declarations = yaml.safe_load(resources.files(__package__).joinpath("datasets.yaml").read_text(encoding="utf-8"))
    for entry in declarations["datasets"]:
        register(spec_from_declaration(entry))


_register_package_datasets()

PAPER_DATASETS = ("mice", "mnist", "fashion", "isolet", "coil20", "activity")  # Tables 1-2, in the paper's order


def get_spec(name):
    """The registry entry of `name`, or a ValueError listing the known names."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise ValueError(f"unknown data set {name!r}: known data sets are {sorted(REGISTRY)}") from None
