"""Where the HTML report's results go: their category, their place and title, and the caption fragments the
workflow writes for them. Light on purpose (no plotting library): the workflow's rule files import it when they
are parsed."""

from lassonet_bench.experiments.registry import FIGURES
from lassonet_bench.experiments.settings import figures_to_draw

# Where the caption fragments lie: workflow/report/figure.rst names a figure's as <this folder>/<figure>.html.
CAPTIONS_DIR = "results/report/captions"

# Snakemake's report lists its categories by name and each category's results by their labels' values, so the
# categories carry their number and every result a zero-padded "No.": the menu then reads in the paper's order.
TABLES_CATEGORY = "1. Tables 1-2"
PAPER_CATEGORY = "2. The paper's figures"
BEYOND_CATEGORY = "3. Beyond the paper"
COST_CATEGORY = "4. Run times"
FIGURE5_TITLE = "Figure 5 (Section 5): accuracy against the number of selected features"
CRITICAL_DIFFERENCE_TITLE = "Beyond the paper: the methods' mean ranks across data sets (critical-difference diagram)"


def report_titles():
    """{result name: human title} of every result of the HTML report, in the report's order: Tables 1-2 and the
    replication report, the paper's figures by number, what goes beyond the paper, the run times."""
    titles = {
        "table1": "Table 1: test accuracy of the decoder network on the k selected features",
        "table2": "Table 2: test accuracy of ExtraTrees on the k selected features",
        "replication_report": "The replication report: every published cell beside ours",
    }
    paper = {name: figure.title for name, figure in FIGURES.items() if not figure.beyond_the_paper}
    paper["figure5"] = FIGURE5_TITLE
    titles.update(sorted(paper.items(), key=lambda item: _figure_number(item[0])))  # stable: a new one goes last
    titles.update((name, figure.title) for name, figure in FIGURES.items() if figure.beyond_the_paper)
    titles["critical_difference"] = CRITICAL_DIFFERENCE_TITLE
    titles["runtimes"] = "Run times: wall time, CPU time and peak memory per rule"
    return titles


def _figure_number(name):
    number = name.removeprefix("figure")
    return int(number) if number.isdigit() else float("inf")


def report_labels(name):
    """The labels of result `name` in the HTML report: its place (the menu sorts by it) and its title."""
    titles = report_titles()
    if name not in titles:
        raise ValueError(f"no result of the HTML report named {name!r}; known: {', '.join(titles)}")
    return {"No.": f"{list(titles).index(name) + 1:02d}", "Result": titles[name]}


def report_category(name):
    """The report category of result `name`: the tables' (and the replication report's), the paper's figures
    (Figure 5 and the registry's), those beyond the paper, or the run times."""
    if name in ("table1", "table2", "replication_report"):
        return TABLES_CATEGORY
    if name == "runtimes":
        return COST_CATEGORY
    if name == "figure5":
        return PAPER_CATEGORY
    if name == "critical_difference":
        return BEYOND_CATEGORY
    if name not in FIGURES:
        raise ValueError(f"no result of the HTML report named {name!r}; known: {', '.join(report_titles())}")
    return BEYOND_CATEGORY if FIGURES[name].beyond_the_paper else PAPER_CATEGORY


def figure_caption_targets(config):
    """The caption fragments of Figure 5 and of every figure figures.draw asks for."""
    return [f"{CAPTIONS_DIR}/{name}.html" for name in ["figure5", *figures_to_draw(config)]]
