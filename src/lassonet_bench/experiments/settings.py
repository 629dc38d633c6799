"""The figures' settings: `config["figures"]` over each registered figure's defaults (lassonet_bench.experiments.registry),
so the workflow runs before the config schema knows the keys; the outputs `rule all` and the report ask for."""

import copy

from lassonet_bench.experiments.registry import FIGURES, figure

FIGURE_NAMES = list(FIGURES)  # the figures this package declares, in the report's order
DATA_FOLDER = "results/figures/data"
GLOBAL_KEYS = ("draw", "device")  # the figures to build, and where their networks train


def figure_settings(config, name):
    """Settings of the config section `name` (a figure's name, or the section several figures share, "digits"):
    the defaults, overridden key by key by config["figures"][name]."""
    sections = _sections()
    if name not in sections:
        raise ValueError(f"no figure settings named {name!r}; known: {sorted(sections)}")
    return _merge(sections[name], _figures_config(config).get(name) or {}, f"figures.{name}")


def check_figures_config(config):
    """Raise naming the first config["figures"] key that is neither `draw`, `device` nor a figure's section, or
    the first unknown key inside a section."""
    figures = _figures_config(config)
    unknown = sorted(set(figures) - set(GLOBAL_KEYS) - set(_sections()))
    if unknown:
        raise ValueError(f"figures: unknown key(s) {unknown}; known: {sorted(GLOBAL_KEYS) + sorted(_sections())}")
    for name in _sections():
        figure_settings(config, name)
    figures_to_draw(config)


def _figures_config(config):
    return (config or {}).get("figures") or {}


def _sections():
    """{config section: defaults}, one per figure or group of figures sharing a section."""
    return {entry.settings: entry.defaults for entry in FIGURES.values()}


def _merge(defaults, overrides, where):
    if not isinstance(defaults, dict):
        return copy.deepcopy(overrides)
    if not isinstance(overrides, dict):
        raise ValueError(f"{where} must be a mapping, got {overrides!r}")
    unknown = set(overrides) - set(defaults)
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {sorted(unknown)}; known: {sorted(defaults)}")
    merged = copy.deepcopy(defaults)
    for key, value in overrides.items():
        merged[key] = _merge(defaults[key], value, f"{where}.{key}") if isinstance(defaults[key], dict) else value
    return merged


def compute_options(config, name):
    """The merged settings figure `name` computes with."""
    return figure_settings(config, figure(name).settings)


def data_inputs(config, name):
    """The data layer's files figure `name` reads: {"dataset": ..., "split": ...}, {"dataset": ...} or {}."""
    declared = figure(name)
    if declared.data is None:
        return {}
    settings = compute_options(config, name)
    inputs = {"dataset": f"results/data/{settings['dataset']}.npz"}
    if declared.data == "split":
        inputs["split"] = f"results/data/{settings['dataset']}/split-{settings['seed']}.npz"
    return inputs


def tables_folder(name):
    """The folder figure `name`'s compute job writes its tables into."""
    return f"{DATA_FOLDER}/{name}"


def figures_to_draw(config):
    """The names of the figures config["figures"]["draw"] asks for (all of them by default), checked."""
    draw = _figures_config(config).get("draw", list(FIGURES))
    unknown = [name for name in draw if name not in FIGURES]
    if unknown:
        raise ValueError(f"figures.draw: unknown figure(s) {unknown}; known: {list(FIGURES)}")
    return [name for name in FIGURES if name in draw]


def figure_targets(config):
    """The PNG and PDF of every figure figures.draw asks for (for `rule all` and the report)."""
    return [f"results/figures/{name}.{ext}" for name in figures_to_draw(config) for ext in ("png", "pdf")]
