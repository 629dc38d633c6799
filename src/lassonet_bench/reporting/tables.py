"""Tables 1-2 as the paper prints them (data sets by rows, methods by columns), in Markdown, LaTeX and CSV."""


import numpy as np
import pandas as pd

from lassonet_bench.io import atomic_path
from lassonet_bench.reporting.results import (
    LEARNER_TITLES, METHOD_TITLES, cell_statistics, check_runs, format_cell, shape_of, summarize,
)


def table_methods(methods, extra_methods=()):
    """The tables' method columns: the paper's methods, then those beyond the paper."""
    return [*methods, *[m for m in extra_methods if m not in methods]]


def build_table(runs, learner, datasets, methods, n_features_to_select, availability, titles, extra_datasets=()):
    """One row per data set, laid out as the paper's Table 1/2: shape, classes, then All-Features and each method.

    Columns: dataset, title, extra, status ("available", "unavailable", "not run"), reason, n_samples, n_features,
    n_classes, and per method (All-Features first) `<method>_mean`, `<method>_std`, `<method>_n`.
    """
    runs = check_runs(runs)
    summary = summarize(runs)
    rows = []
    for dataset in datasets:
        status = availability.get(dataset)
        if status is None:
            raise ValueError(f"no fetch status for data set {dataset!r} (have {sorted(availability)})")
        row = {
            "dataset": dataset,
            "title": titles[dataset],
            "extra": dataset in extra_datasets,
            "status": "available" if status["available"] else "unavailable",
            "reason": "" if status["available"] else status.get("reason", ""),
            **shape_of(runs, dataset),
        }
        any_run = False
        for method in ["all", *methods]:
            cell = cell_statistics(summary, dataset, method, learner, n_features_to_select) if status["available"] else None
            row[f"{method}_mean"] = np.nan if cell is None else cell["mean"]
            row[f"{method}_std"] = np.nan if cell is None else cell["std"]
            row[f"{method}_n"] = 0 if cell is None else int(cell["n"])
            any_run |= cell is not None
        if status["available"] and not any_run:
            row["status"] = "not run"
        rows.append(row)
    return pd.DataFrame(rows)



def _shape_text(row):
    if row["n_samples"] is None or pd.isna(row["n_samples"]):
        return ""
    return f"({int(row['n_samples'])}, {int(row['n_features'])})"



def _seed_counts(table, methods):
    counts = sorted({int(table[f"{m}_n"][i]) for m in ["all", *methods] for i in table.index} - {0})
    return ", ".join(str(c) for c in counts) if counts else "0"



def table_caption(number, learner, n_features_to_select, table, methods):
    return (
        f"Table {number}: test accuracy with the {LEARNER_TITLES.get(learner, learner)} as the learner, "
        f"k = {n_features_to_select} selected features; mean ± standard deviation over the split seeds "
        f"(n = {_seed_counts(table, methods)}). All-Features uses every feature."
    )



def _notes(table, reasons=True, extra_methods=()):
    """The table's notes; without `reasons`, an unavailable data set's reason is left to the text around it."""
    notes = []
    if extra_methods:
        notes.append("Columns marked † are methods beyond the paper, run on the same splits and never compared with "
                     f"the paper's numbers: {', '.join(METHOD_TITLES[m] for m in extra_methods)}")
    for _, row in table.iterrows():
        if row["status"] == "unavailable":
            notes.append(f"{row['title']}: unavailable ({row['reason']})" if reasons else f"{row['title']}: unavailable")
        elif row["status"] == "not run":
            notes.append(f"{row['title']}: available but not run in this configuration")
    if table["extra"].any():
        extra = ", ".join(table.loc[table["extra"], "title"])
        notes.append(f"Extra rows, not in the paper and not compared with it: {extra}")
    return notes



def _row_cells(row, columns, empty):
    """A data set's cell for each method of `columns` (All-Features is "all"): mean ± std, or its status."""
    if row["status"] != "available":
        return [row["status"]] * len(columns)
    return [format_cell(row[f"{m}_mean"], row[f"{m}_std"], row[f"{m}_n"]) or empty for m in columns]



def _column_groups(methods, extra_methods):
    """The table's methods in its two blocks: the paper's (with All-Features first), then those beyond the paper."""
    return ["all", *[m for m in methods if m not in extra_methods]], [m for m in methods if m in extra_methods]


def _classes_text(row):
    return "" if row["n_classes"] is None or pd.isna(row["n_classes"]) else str(int(row["n_classes"]))


def _column_title(method, extra_methods):
    return METHOD_TITLES[method] + ("†" if method in extra_methods else "")


def table_markdown(table, methods, caption, reasons=True, extra_methods=()):
    """The table as Markdown; with methods beyond the paper, their columns in a second table under the paper's (as
    `table_latex` lays them out: in one, they ran past the width of a page and of a 1280-pixel window)."""
    paper, beyond = _column_groups(methods, extra_methods)
    lines = [f"**{caption}**", ""] + _markdown_rows(table, paper, extra_methods, with_shape=True)
    if beyond:
        lines += [""] + _markdown_rows(table, beyond, extra_methods, with_shape=False)
    notes = _notes(table, reasons, extra_methods)
    if notes:
        lines += [""] + [f"- {note}" for note in notes]
    return "\n".join(lines) + "\n"


def _markdown_rows(table, columns, extra_methods, with_shape):
    """One Markdown table: a row per data set (with its shape and classes when `with_shape`), a column per method."""
    shape = ["(n, d)", "# Classes"] if with_shape else []
    header = ["Dataset", *shape, *[_column_title(m, extra_methods) for m in columns]]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] * (1 + len(shape)) + ["---:"] * len(columns)) + "|"]
    for _, row in table.iterrows():
        title = f"*{row['title']}* (extra)" if row["extra"] else row["title"]
        cells = _row_cells(row, columns, "–")
        if with_shape:
            cells = [_shape_text(row), _classes_text(row), *cells]
        lines.append("| " + " | ".join([title, *cells]) + " |")
    return lines



def _latex_escape(text):
    for char, escaped in [("\\", r"\textbackslash{}"), ("&", r"\&"), ("%", r"\%"), ("_", r"\_"), ("#", r"\#")]:
        text = text.replace(char, escaped)
    return text



def table_latex(table, methods, caption, label, extra_methods=()):
    """The table as LaTeX (booktabs). With methods beyond the paper, their columns go in a second tabular under the
    paper's: fifteen columns of "mean ± std" side by side were about twice a page's width."""
    paper, beyond = _column_groups(methods, extra_methods)
    lines = [r"\begin{table}[t]", r"\centering", r"\small"]
    lines += _latex_tabular(table, paper, extra_methods, with_shape=True)
    if beyond:
        lines += [r"\par\medskip"] + _latex_tabular(table, beyond, extra_methods, with_shape=False)
    notes = _notes(table, extra_methods=extra_methods)
    if notes:
        lines.append(r"\par\smallskip{\footnotesize " + "; ".join(_latex_escape(n).replace("†", r"$^\dagger$") for n in notes) + "}")
    lines += [rf"\caption{{{_latex_escape(caption)}}}".replace("±", r"$\pm$"), rf"\label{{{label}}}", r"\end{table}"]
    return "\n".join(lines) + "\n"


def _latex_tabular(table, columns, extra_methods, with_shape):
    """One tabular: a row per data set (with its shape and classes when `with_shape`), a column per method."""
    shape_columns = 2 if with_shape else 0
    header = ["Dataset", *(["$(n, d)$", r"\# Classes"] if with_shape else []),
              *[_latex_header(_latex_escape(_column_title(m, extra_methods)).replace("†", r"$^\dagger$"))
                for m in columns]]
    lines = [r"\begin{tabular}{l" + "r" * (shape_columns + len(columns)) + "}", r"\toprule",
             " & ".join(header) + r" \\", r"\midrule"]
    for _, row in table.iterrows():
        cells = [c.replace(" ± ", r" \pm ") for c in _row_cells(row, columns, "--")]
        cells = [f"${c}$" if c and c[0].isdigit() else _latex_escape(c) for c in cells]
        title = _latex_escape(row["title"]) + (r"$^\dagger$" if row["extra"] else "")
        shape = []
        if with_shape:
            shape = [f"${_shape_text(row)}$" if _shape_text(row) else "", _classes_text(row)]
        lines.append(" & ".join([title, *shape, *cells]) + r" \\")
    return lines + [r"\bottomrule", r"\end{tabular}"]


def _latex_header(title, longest=12):
    """A column title of more than `longest` characters on two lines, split at the space nearest its middle."""
    spaces = [i for i, char in enumerate(title) if char == " "]
    if len(title) <= longest or not spaces:
        return title
    middle = min(spaces, key=lambda i: abs(i - len(title) / 2))
    return rf"\shortstack[r]{{{title[:middle]}\\{title[middle + 1:]}}}"



def write_table(table, methods, caption, label, markdown_path, latex_path, csv_path, extra_methods=()):
    """Write the table as Markdown, LaTeX and CSV (the CSV holds the unrounded numbers), each atomically."""
    for path, text in [
        (markdown_path, table_markdown(table, methods, caption, extra_methods=extra_methods)),
        (latex_path, table_latex(table, methods, caption, label, extra_methods)),
    ]:
        with atomic_path(path) as tmp:
            tmp.write_text(text, encoding="utf-8")
    with atomic_path(csv_path) as tmp:
        table.to_csv(tmp, index=False)

