"""Plot rules: draw one paper figure from its tidy tables (no model is fitted here)."""

from lassonet_bench.figures.plots import draw_figure

draw_figure(snakemake.wildcards.figure, dict(snakemake.input), snakemake.output.png, snakemake.output.pdf)
