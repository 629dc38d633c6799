"""Every figure other than Figure 5, declared once: its settings, its compute function (the experiment side, writing
tidy tables), its plot function (the report side, reading them), its report text and its resources.

The package's figures are the entries of figures.yaml beside this module. One wildcard rule computes any figure
(`figure_compute`, workflow/scripts/figure_compute.py) and one draws it (`plot_figure`); the rules, the config check
and the report read this registry, so a new figure is its module and one registration (an entry of figures.yaml, or
`register(Figure(...))` from the module that defines it). Functions are named as "module:function" and imported only when called: this module
loads neither torch nor matplotlib, so the Snakefile and the report side import it freely.

- `compute(figure, options, data, device)` -> {role: table}: a DataFrame for a ".csv" role, a dict of arrays for
  an ".npz" one; `options` are its merged settings, `data` a FigureData, `device` where its networks train.
- `plot(**tables)` -> a matplotlib figure; `numbers(**tables)` -> Markdown, our numbers for the report.
"""

import dataclasses
import importlib
import typing
from importlib import resources

import yaml

TABLE_FORMATS = ("csv", "npz")
DATA_INPUTS = ("split", "dataset", None)


class FigureData(typing.NamedTuple):
    """What a compute function is given: the data layer's Dataset (or None) and the split of the figure's seed."""

    dataset: typing.Any = None
    split: dict | None = None


@dataclasses.dataclass(frozen=True)
class Figure:
    name: str
    title: str
    description: str  # what the figure shows: the paper's figure, or ours beyond it
    tables: dict  # role -> "csv" or "npz"; written to results/figures/data/<name>/<role>.<format>
    compute: str  # "module:function" (see the module)
    plot: str  # "module:function"
    defaults: dict  # its settings; config["figures"][settings] overrides them key by key
    settings: str = ""  # the config section (default: the name); Figures 7-9 share "digits"
    data: str | None = "split"  # "split": the data set and its split at settings' seed; "dataset": the data set alone
    numbers: str = ""  # "module:function", or "" for no numbers in the report
    beyond_the_paper: bool = False
    gpu: bool = True  # trains networks: figures.device applies and the job holds one GPU; False: always the CPU
    threads: int = 1

    def __post_init__(self):
        where = f"figure {self.name!r}"
        if not self.settings:
            object.__setattr__(self, "settings", self.name)
        if not self.tables or set(self.tables.values()) - set(TABLE_FORMATS):
            raise ValueError(f"{where}: tables must map each role to one of {TABLE_FORMATS}, got {self.tables!r}")
        for field in ("compute", "plot") + (("numbers",) if self.numbers else ()):
            if ":" not in getattr(self, field):
                raise ValueError(f"{where}: {field} must be 'module:function', got {getattr(self, field)!r}")
        if self.data not in DATA_INPUTS:
            raise ValueError(f"{where}: data must be one of {DATA_INPUTS}, got {self.data!r}")
        if (self.data and "dataset" not in self.defaults) or (self.data == "split" and "seed" not in self.defaults):
            raise ValueError(f"{where}: data={self.data!r} needs 'dataset' (and for a split 'seed') in its defaults")


FIGURES = {}


def register(figure):
    """Add `figure` to the registry; a second figure of the same name is an error."""
    if figure.name in FIGURES:
        raise ValueError(f"a figure named {figure.name!r} is already registered")
    FIGURES[figure.name] = figure
    return figure


def figure(name):
    if name not in FIGURES:
        raise ValueError(f"no figure named {name!r}; known: {list(FIGURES)}")
    return FIGURES[name]


def resolve(reference):
    """The function a "module:function" reference names."""
    module, _, function = reference.partition(":")
    return getattr(importlib.import_module(module), function)


def table_paths(name, folder):
    """{role: path} of figure `name`'s tables in `folder` (its results/figures/data/<name> folder)."""
    return {role: f"{folder}/{role}.{fmt}" for role, fmt in figure(name).tables.items()}


def _register_package_figures():
    declarations = yaml.safe_load(resources.files(__package__).joinpath("figures.yaml").read_text(encoding="utf-8"))
    for entry in declarations["figures"]:
        register(Figure(**entry))


_register_package_figures()
