"""rule plot_figure: draw one figure from its tidy tables (no model is fitted here)."""

from lassonet_bench.plots import draw_figure
from lassonet_bench.experiments.registry import table_paths

name = snakemake.wildcards.figure
draw_figure(name, table_paths(name, snakemake.input.tables), snakemake.output.png, snakemake.output.pdf)
