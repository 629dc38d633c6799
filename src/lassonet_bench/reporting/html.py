"""The pages and captions of Snakemake's HTML report (`snakemake --report results/report.html`).

The report shows files the rules mark with `report()`; their captions (workflow/report/*.rst) pull in the HTML
fragments written here from the tidy tables, so every result-dependent sentence is computed, never typed:

- `markdown_page`: a self-contained HTML page (images embedded) of a Markdown file: Tables 1-2, the replication
  report;
- `table_caption`: what a table of the paper shows and how many of its cells ours matches;
- `figure_captions`: each figure's entry of the replication report's figures section (what the paper's figure
  shows, our numbers), keyed by figure name; `figure5_caption`: Figure 5's, from runs.csv;
- `critical_difference_caption`: the mean ranks' diagram, from the Friedman and Nemenyi tests;
- `runtime_page`: the wall time, CPU time and peak memory per rule, from the Snakemake benchmark files.
"""

import base64
import html
import mimetypes
import re
from pathlib import Path

from markdown_it import MarkdownIt

from lassonet_bench.reporting import results
from lassonet_bench.reporting.report import CLAIMS_HEADING, DATASETS_HEADING
from lassonet_bench.reporting import statistics
from lassonet_bench.reporting import tables
from lassonet_bench.reporting.costs import benchmark_summary
from lassonet_bench.reporting.figures_section import figures_report_section

# The replication report's figure entries end with their image: ![title](<folder>/<name>.png) ([PDF](...)).
FIGURE_IMAGE_LINE = re.compile(r"^!\[[^\]]*\]\([^)/]+/(?P<name>\w+)\.png\)")
STYLE = (
    "body{font-family:system-ui,sans-serif;font-size:14px;line-height:1.45;margin:1.5em;max-width:72em}"
    "table{border-collapse:collapse;margin:1em 0;display:block;max-width:100%;overflow-x:auto}"
    "th,td{border:1px solid #ccc;padding:.25em .6em}"
    "th{background:#f3f3f3}td{text-align:right}td:first-child{text-align:left}img{max-width:100%}"
)


def _escape(text):
    return html.escape(text, quote=False)


def _markdown():
    return MarkdownIt("commonmark").enable("table")


def markdown_html(text, base_dir=None):
    """HTML of Markdown `text`; with `base_dir`, images found relative to it are embedded as data URIs."""
    md = _markdown()
    tokens = md.parse(text)
    if base_dir is not None:
        for token in tokens:
            for child in token.children or []:
                if child.type == "image":
                    child.attrSet("src", _data_uri(Path(base_dir) / child.attrGet("src")))
    return md.renderer.render(tokens, md.options, {})


def _data_uri(path):
    if not path.is_file():
        raise FileNotFoundError(f"image {path} named in the Markdown does not exist")
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode()}"


def markdown_page(markdown_path, title):
    """A self-contained HTML page of the Markdown file at `markdown_path` (its images embedded)."""
    markdown_path = Path(markdown_path)
    body = markdown_html(markdown_path.read_text(encoding="utf-8"), markdown_path.parent)
    return html_page(title, body)


def html_page(title, body):
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{_escape(title)}</title>'
        f"<style>{STYLE}</style></head>\n<body>\n{body}</body></html>\n"
    )


def figure_captions(figures, report_dir, settings=None):
    """{figure name: caption HTML} for every figure of the replication report's figures section; `figures` and
    `report_dir` as `figures_report_section` takes them (the figures' PNGs must lie in a folder below report_dir);
    `settings`: {figure name: the settings it was computed with}, shown as a table below its caption."""
    settings = settings or {}
    captions = {}
    for title, lines in _sections(figures_report_section(figures, report_dir)):
        names = [m["name"] for m in map(FIGURE_IMAGE_LINE.match, lines) if m]
        if len(names) != 1:
            continue  # the section's own heading and introduction
        body = "\n".join(line for line in lines if not FIGURE_IMAGE_LINE.match(line))
        captions[names[0]] = f"<p><strong>{_escape(title)}</strong></p>\n{markdown_html(body)}"
        if names[0] in settings:
            captions[names[0]] += settings_table(settings[names[0]])
    return captions


MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\(#[^)]*\)")


def front_page(report_markdown, runs):
    """HTML of the report's front page: what ran, on what, the data sets unavailable here and why, and the paper's
    claims with their verdicts, all from the replication report's Markdown (`report_markdown`) and runs.csv."""
    sections = dict(_sections(report_markdown))
    claims = [line for line in sections.get(CLAIMS_HEADING, []) if line.startswith("- ")]
    unavailable = [line for line in sections.get(DATASETS_HEADING, []) if "**unavailable**" in line]
    parts = ["<h2>What ran</h2>", f"<p>{_escape(_what_ran(runs))}</p>"]
    if unavailable:
        parts += ["<h2>Not available here</h2>", markdown_html("\n".join(unavailable))]
    if claims:  # the report's links point into the report itself, not into this page
        claims = MARKDOWN_LINK.sub(r"\1 in the replication report", "\n".join(claims))
        parts += ["<h2>The paper's claims</h2>", markdown_html(claims)]
    return "\n".join(parts) + "\n"


def _what_ran(runs):
    def listed(column, shorten=str):
        return ", ".join(sorted({shorten(value) for value in runs[column].dropna()})) or "unknown"

    commits = listed("git_commit", lambda commit: str(commit)[:12])
    return (f"{len(runs)} runs of {runs['dataset'].nunique()} data sets and {runs['method'].nunique()} methods "
            f"(split seeds {listed('seed')}), at commit {commits}; on {listed('platform')} "
            f"(devices: {listed('device')}), torch {listed('torch_version')}.")


def settings_table(settings):
    """A small HTML table of a result's settings, one row each; nested settings' keys are joined by a dot."""
    cell = 'style="border:1px solid #ccc;padding:.1em .5em;text-align:left;vertical-align:top"'
    rows = "".join(f"<tr><th {cell}>{_escape(key)}</th><td {cell}>{_escape(value)}</td></tr>"
                   for key, value in _flat(settings))
    # Inline styles: the caption sits inside Snakemake's page, whose style sheet knows no class of ours.
    return (f'<table style="font-size:smaller;border-collapse:collapse;margin:.5em 0">'
            f'<caption style="text-align:left">Settings</caption>{rows}</table>\n')


def _flat(settings, prefix=""):
    for key, value in settings.items():
        if isinstance(value, dict):
            yield from _flat(value, f"{prefix}{key}.")
        else:
            shown = ", ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
            yield f"{prefix}{key}", shown


def _sections(markdown):
    """(heading text, lines below it) for each heading of `markdown`."""
    sections = []
    for line in markdown.splitlines():
        if line.startswith("#"):
            sections.append((line.lstrip("#").strip(), []))
        elif sections:
            sections[-1][1].append(line)
    return sections


def table_caption(runs, p, table_name, availability):
    """Caption HTML of Table 1 or 2: what it holds, and the paper's cells inside our interval, LassoNet's apart."""
    number = int(table_name.removeprefix("table"))
    learner = p["table_learners"][table_name]
    columns = tables.table_methods(p["methods"], p.get("extra_methods", []))
    table = tables.build_table(runs, learner, p["datasets"], columns, p["n_features_to_select"], availability,
                               p["titles"], p["extra_datasets"])
    compared = results.comparison(runs, results.load_published(), p["datasets"], p["titles"], availability,
                                 p["n_features_to_select"], confidence=p["confidence"], kind=p["interval"])
    compared = compared[(compared["table"] == number) & (compared["learner"] == learner)]
    what = tables.table_caption(number, learner, p["n_features_to_select"], table, columns)
    counts = _interval_counts(compared, f"{p['confidence'] * 100:g} % {p['interval']}")
    settings = {"learner": results.LEARNER_TITLES.get(learner, learner), "k": p["n_features_to_select"],
                "split seeds": p["n_seeds"], "methods": [results.METHOD_TITLES.get(m, m) for m in columns],
                "data sets": [p["titles"].get(d, d) for d in p["datasets"]]}
    return (
        f"<p>{_escape(what)} The replication report sets each of the paper's cells beside ours.</p>\n"
        f"<p>{_escape(counts)}</p>\n{settings_table(settings)}"
    )


def _interval_counts(compared, interval_name):
    with_interval = compared[compared["status"].isin(["inside", "outside"])]
    lassonet = with_interval[with_interval["method"] == "lassonet"]
    return (
        f"Of the paper's {len(compared)} cells of this table, {int((compared['n'] > 0).sum())} have our numbers; "
        f"the paper's value lies inside our {interval_name} interval on "
        f"{int((with_interval['status'] == 'inside').sum())} of the {len(with_interval)} cells with an interval "
        f"(two seeds or more); LassoNet within the interval on {int((lassonet['status'] == 'inside').sum())} of "
        f"{len(lassonet)}."
    )


def figure5_caption(runs, p, availability):
    """Caption HTML of Figure 5: the paper's claim, the data set drawn, and at how many k LassoNet leads here."""
    dataset, note = results.figure5_choice(p["figure5_candidates"], availability, p["titles"], with_reason=False)
    claim = ("The paper's Figure 5 (Section 5): accuracy on ISOLET against the number of selected features k, with "
             "the one-hidden-layer network and ExtraTrees; for every k and both learners LassoNet is the most accurate.")
    if dataset is None:
        return f"<p>{_escape(claim)}</p>\n<p>Not drawn here: {_escape(note)}.</p>\n"
    drawn = f"Ours: {note}" if note else f"Ours, on {p['titles'][dataset]}"
    leads = "; ".join(_figure5_leads(runs, dataset, p["figure5_methods"], learner) for learner in p["learners"])
    settings = {"data set": p["titles"][dataset], "split seeds": p["n_seeds"],
                "methods": [results.METHOD_TITLES.get(m, m) for m in p["figure5_methods"]],
                "learners": [results.LEARNER_TITLES.get(lr, lr) for lr in p["learners"]]}
    return f"<p>{_escape(claim)}</p>\n<p>{_escape(drawn)}: {_escape(leads)}.</p>\n{settings_table(settings)}"


def _figure5_leads(runs, dataset, methods, learner):
    part = runs[(runs["dataset"] == dataset) & (runs["learner"] == learner) & runs["method"].isin(methods)]
    means = part.groupby(["k", "method"])["accuracy"].mean().unstack("method")
    leads = int((means.idxmax(axis="columns") == "lassonet").sum()) if "lassonet" in means else 0
    return (f"with the {results.LEARNER_TITLES.get(learner, learner)}, LassoNet the most accurate at {leads} of "
            f"{len(means)} values of k")


def critical_difference_caption(result):
    """Caption HTML of the critical-difference diagram, from statistics.verdict's `result` (None: too few blocks)."""
    what = ("Beyond the paper: every selection method's mean rank over the (data set × learner) blocks, rank 1 the "
            "most accurate; a bar joins the methods that Nemenyi's post-hoc test does not tell apart (α = "
            f"{statistics.ALPHA}).")
    if result is None:
        return f"<p>{_escape(what)}</p>\n<p>{_escape(statistics.TOO_FEW_BLOCKS)}</p>\n"
    best = result.mean_ranks.index[0]
    ours = (f"Ours: {len(result.blocks)} blocks, {result.blocks.shape[1]} methods; Friedman χ² = "
            f"{result.friedman_statistic:.2f}, p = {result.friedman_p:.3g}; the best mean rank "
            f"{result.mean_ranks.iloc[0]:.2f} ({results.METHOD_TITLES.get(best, best)})")
    if "lassonet" in result.mean_ranks and best != "lassonet":
        ours += f", LassoNet's {result.mean_ranks['lassonet']:.2f}"
    return f"<p>{_escape(what)}</p>\n<p>{_escape(ours)}.</p>\n"


RUNTIME_COLUMNS = {"rule": "Rule (stage: method or learner)", "jobs": "Jobs", "wall_h": "Wall time (h)",
                   "cpu_h": "CPU time (h)", "peak_rss_mb": "Peak memory of one job (MB)"}


def runtime_page(results_dirs):
    """HTML page of benchmark_summary: wall time, CPU time and peak memory per rule, and in total."""
    summary = benchmark_summary(results_dirs).rename(columns=RUNTIME_COLUMNS)
    table = summary.to_html(index=False, border=0, float_format=lambda value: f"{value:g}")
    return html_page("Run times", f"<h1>Run times per rule</h1>\n{table}\n")


def runtime_caption(results_dirs):
    summary = benchmark_summary(results_dirs).set_index("rule")
    total = summary.loc["total"]
    return (
        f"<p>{int(total['jobs'])} benchmarked jobs: {total['wall_h']:g} h of wall time and {total['cpu_h']:g} h of "
        f"CPU time in all; the largest peak memory of one job {total['peak_rss_mb']:g} MB.</p>\n"
    )
