"""The report module on a synthetic runs table whose summaries are known by construction."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lassonet_bench.reporting import report
from lassonet_bench.reporting import misses
from lassonet_bench.reporting import results
from lassonet_bench.reporting import tables
from lassonet_bench.plots.figure5 import plot_figure5
from lassonet_bench.plots.style import save_figure

TITLES = {
    "mice": "Mice Protein",
    "isolet": "ISOLET",
    "isolet1560": "ISOLET (1560-row subset)",
}
METHODS = ["fisher", "hsic", "pfa", "lassonet"]
AVAILABILITY = {
    "mice": {"available": True, "reason": ""},
    "isolet": {"available": False, "reason": "isolet5.data is in no mirror and the download failed"},
    "isolet1560": {"available": True, "reason": ""},
}


def synthetic_runs(accuracies):
    """Runs whose accuracies per (dataset, method, learner, k) are the given lists over seeds 0, 1, ..."""
    rows = []
    for (dataset, method, learner, k), values in accuracies.items():
        for seed, accuracy in enumerate(values):
            rows.append(
                dict(dataset=dataset, method=method, k=k, seed=seed, learner=learner, accuracy=accuracy,
                     dataset_n_samples=300, dataset_n_features=77, dataset_n_classes=8)
            )
    return pd.DataFrame(rows)


@pytest.fixture
def runs():
    accuracies = {}
    for learner in ["decoder", "extra_trees"]:
        accuracies[("mice", "all", learner, 77)] = [0.99, 0.98, 1.0]
        accuracies[("mice", "fisher", learner, 50)] = [0.90, 0.92, 0.94]
        accuracies[("mice", "hsic", learner, 50)] = [0.50, 0.52, 0.51]  # far below the paper's 0.958 / 0.996
        accuracies[("mice", "pfa", learner, 50)] = [0.93, 0.94, 0.95]
        accuracies[("mice", "lassonet", learner, 50)] = [0.95, 0.96, 0.97]
        accuracies[("isolet1560", "all", learner, 617)] = [0.9, 0.91, 0.92]
        for method in METHODS + ["trace_ratio"]:
            for k in [10, 50]:
                accuracies[("isolet1560", method, learner, k)] = [0.6 + k / 200, 0.62 + k / 200, 0.64 + k / 200]
    return synthetic_runs(accuracies)


def test_summarize_gives_mean_sample_std_and_count(runs):
    summary = results.summarize(runs)
    cell = summary[(summary.dataset == "mice") & (summary.method == "fisher") & (summary.learner == "decoder")]
    assert len(cell) == 1
    assert cell["mean"].iloc[0] == pytest.approx(0.92)
    assert cell["std"].iloc[0] == pytest.approx(0.02)  # ddof = 1
    assert cell["n"].iloc[0] == 3


def test_build_table_marks_unavailable_and_extra_rows(runs):
    table = tables.build_table(runs, "decoder", ["mice", "isolet", "isolet1560"], METHODS, 50, AVAILABILITY, TITLES,
                               extra_datasets=["isolet1560"])
    assert list(table["dataset"]) == ["mice", "isolet", "isolet1560"]
    assert list(table["status"]) == ["available", "unavailable", "available"]
    assert list(table["extra"]) == [False, False, True]
    mice = table.iloc[0]
    assert mice["lassonet_mean"] == pytest.approx(0.96)
    assert mice["all_mean"] == pytest.approx(0.99)
    assert mice["n_samples"] == 300 and mice["n_features"] == 77
    assert np.isnan(table.iloc[1]["lassonet_mean"])
    markdown = tables.table_markdown(table, METHODS, "Table 1")
    assert "| Mice Protein | (300, 77) | 8 | 0.990 ± 0.010 | 0.920 ± 0.020 |" in markdown
    assert "ISOLET: unavailable (isolet5.data is in no mirror" in markdown
    assert "*ISOLET (1560-row subset)* (extra)" in markdown
    latex = tables.table_latex(table, METHODS, "Table 1", "tab:1")
    assert r"$0.920 \pm 0.020$" in latex and latex.count(r"\\") == 4  # header + 3 rows


def test_methods_beyond_the_paper_are_marked_columns_after_the_papers(runs):
    extra = runs[runs["method"] == "lassonet"].assign(method="mrmr", accuracy=0.5)
    both = pd.concat([runs, extra], ignore_index=True)
    columns = tables.table_methods(METHODS, ["mrmr", "lassonet"])
    assert columns == [*METHODS, "mrmr"]
    table = tables.build_table(both, "decoder", ["mice"], columns, 50, AVAILABILITY, TITLES)
    markdown = tables.table_markdown(table, columns, "Table 1", extra_methods=["mrmr"])
    paper, beyond = markdown.split("| Dataset |")[1:]  # the methods beyond the paper in a table of their own
    assert paper.split("\n")[0].endswith("| LassoNet |") and "mRMR" not in paper
    assert beyond.startswith(" mRMR† |") and "| Mice Protein | 0.500 ± 0.000 |" in beyond
    assert "Columns marked † are methods beyond the paper" in markdown
    latex = tables.table_latex(table, columns, "Table 1", "tab:1", extra_methods=["mrmr"])
    assert r"mRMR$^\dagger$" in latex and "†" not in latex
    paper, beyond = latex.split(r"\begin{tabular}")[1:]  # the methods beyond the paper in a tabular of their own
    assert "mRMR" not in paper and "LassoNet" in paper.split(r"\midrule")[0]
    assert beyond.split(r"\midrule")[0].strip().endswith(r"Dataset & mRMR$^\dagger$ \\")
    assert r"Mice Protein & $0.500 \pm 0.000$ \\" in beyond
    assert tables._latex_header("L1 logistic regression") == r"\shortstack[r]{L1 logistic\\regression}"


def test_build_table_requires_a_fetch_status_for_every_dataset(runs):
    with pytest.raises(ValueError, match="no fetch status for data set 'coil20'"):
        tables.build_table(runs, "decoder", ["mice", "coil20"], METHODS, 50, AVAILABILITY, {**TITLES, "coil20": "COIL-20"})


def test_check_runs_names_the_bad_row_and_missing_columns(runs):
    with pytest.raises(ValueError, match="lacks columns \\['accuracy'\\]"):
        results.check_runs(runs.drop(columns="accuracy"))
    bad = runs.copy()
    bad.loc[3, "accuracy"] = 1.5
    with pytest.raises(ValueError, match="row 3 .* has 1.5"):
        results.check_runs(bad)


def test_format_cell():
    assert results.format_cell(0.95812, 0.0123, 5) == "0.958 ± 0.012"
    assert results.format_cell(0.95812, np.nan, 1) == "0.958"
    assert results.format_cell(np.nan, np.nan, 0) == ""


def test_interval_prediction_is_wider_than_mean_and_none_for_one_seed():
    low, high = results.interval(0.9, 0.02, 5, 0.95, "prediction")
    mean_low, mean_high = results.interval(0.9, 0.02, 5, 0.95, "mean")
    # t(0.975, 4) = 2.776
    assert high - 0.9 == pytest.approx(2.7764451 * 0.02 * np.sqrt(1 + 1 / 5), rel=1e-6)
    assert mean_high - 0.9 == pytest.approx(2.7764451 * 0.02 / np.sqrt(5), rel=1e-6)
    assert low < mean_low < mean_high < high
    assert results.interval(0.9, np.nan, 1) is None


def test_comparison_checks_every_published_cell(runs):
    published = results.load_published()
    assert len(published) == 60 and set(published["method"]) == {"all", "fisher", "hsic", "pfa", "lassonet"}
    assert set(published["learner"]) == {"decoder", "extra_trees"}
    compared = results.comparison(runs, published, ["mice", "isolet", "isolet1560"], TITLES, AVAILABILITY, 50)
    assert len(compared) == 60
    mice = compared[compared["title"] == "Mice Protein"].set_index(["learner", "method"])
    assert mice.loc[("decoder", "lassonet"), "status"] == "inside"  # 0.958 within 0.96 ± t·0.01·√(4/3)
    assert mice.loc[("decoder", "lassonet"), "difference"] == pytest.approx(0.96 - 0.958)
    assert mice.loc[("decoder", "hsic"), "status"] == "outside"
    assert (compared[compared["title"] == "ISOLET"]["status"] == "unavailable").all()  # why: once, in the report
    # the subset is never matched to the paper's ISOLET row
    assert not (compared["dataset"] == "isolet1560").any()
    assert (compared[compared["title"] == "MNIST"]["status"] == "not configured").all()


def test_figure5_choice_labels_the_fallback():
    dataset, note = results.figure5_choice(["isolet", "isolet1560"], AVAILABILITY, TITLES)
    assert dataset == "isolet1560"
    assert "in place of ISOLET, which is unavailable (isolet5.data" in note
    _, short = results.figure5_choice(["isolet", "isolet1560"], AVAILABILITY, TITLES, with_reason=False)
    assert short == "ISOLET (1560-row subset) drawn in place of ISOLET, which is unavailable"
    nothing = {d: {"available": False, "reason": "gone"} for d in TITLES}
    dataset, note = results.figure5_choice(["isolet", "isolet1560"], nothing, TITLES)
    assert dataset is None and "no data set for Figure 5" in note


def test_figure5_and_report_files(runs, tmp_path):
    figure = plot_figure5(results.summarize(runs), "isolet1560", METHODS + ["trace_ratio"], ["decoder", "extra_trees"],
                          TITLES["isolet1560"], "subset in place of ISOLET")
    png, pdf = tmp_path / "f.png", tmp_path / "f.pdf"
    save_figure(figure, png, pdf)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    assert pdf.read_bytes()[:5] == b"%PDF-"
    text = report.replication_report(runs, results.load_published(), report.ReportParameters(
        {"table1": "decoder", "table2": "extra_trees"}, ["mice", "isolet", "isolet1560"], ["isolet1560"], TITLES,
        AVAILABILITY, METHODS, ["decoder", "extra_trees"], 50, "isolet1560", "subset in place of ISOLET",
    ))
    assert "| Mice Protein | HSIC-Lasso | 0.958 | 0.510 ± 0.010 | 3 | -0.448 |" in text
    assert "**ISOLET** (`isolet`, paper's data set): **unavailable**: isolet5.data" in text
    assert "![Figure 5](figures/figure5.png)" in text
    assert "paper's value outside our interval: Mice Protein / HSIC-Lasso / decoder network" in text
    assert "not comparable with the paper" not in text
    smaller_k = runs.assign(k=runs["k"].where(runs["method"] == "all", 5))
    text = report.replication_report(smaller_k, results.load_published(), report.ReportParameters(
        {"table1": "decoder"}, ["mice"], [], TITLES, AVAILABILITY, METHODS, ["decoder"], 5, None,
        "no data set for Figure 5 is available",
    ))
    assert "This run selects k = 5 features; the paper selects k = 50" in text
    assert "Not drawn: no data set for Figure 5 is available." in text
    assert "![Figure 5](figures/figure5.png)" in text  # the figure that says so, still shown


def test_figure5_section_names_the_tables_methods_it_does_not_draw():
    params = dict(tables={"table1": "decoder"}, datasets=["mice"], extra_datasets=[], titles=TITLES,
                  availability=AVAILABILITY, methods=METHODS, learners=["decoder"], n_features_to_select=50,
                  figure5_dataset="isolet1560", figure5_note="")
    drawn = report.ReportParameters(**params, figure5_methods=tuple(METHODS))
    assert not any(line.startswith("Not drawn") for line in report.figure5_lines(drawn))
    some = report.ReportParameters(**params, figure5_methods=tuple(m for m in METHODS if m != "pfa"))
    assert ("Not drawn here, though in the tables: PFA (not listed in config.yaml's `figure5.methods`, whose comment "
            "gives the reason).") in report.figure5_lines(some)


def test_read_availability_rejects_a_malformed_status(tmp_path):
    good = tmp_path / "mice" / "fetch.json"
    good.parent.mkdir()
    good.write_text(json.dumps({"available": True, "reason": "", "files": []}))
    assert results.read_availability([good]) == {"mice": {"available": True, "reason": "", "files": []}}
    bad = tmp_path / "mnist" / "fetch.json"
    bad.parent.mkdir()
    bad.write_text(json.dumps({"available": "yes"}))
    with pytest.raises(ValueError, match="mnist/fetch.json: 'available' must be true or false"):
        results.read_availability([bad])


def _compared(runs):
    return results.comparison(runs, results.load_published(), ["mice"], TITLES, AVAILABILITY, 50)


def test_lassonet_rank_counts_the_methods_above_it_ours_and_the_papers(runs):
    ranks = report.lassonet_ranks(_compared(runs), ["all"] + METHODS).set_index("table")
    # Ours: LassoNet 0.96 beats Fisher 0.92, HSIC 0.51 and PFA 0.94; the paper's Table 1 has LassoNet and HSIC-Lasso
    # tied at 0.958 (both first), its Table 2 LassoNet and PFA tied at 0.997 (both first).
    assert ranks.loc[1, "ours"] == 1 and ranks.loc[1, "paper"] == 1
    assert ranks.loc[2, "n_methods"] == 4 and ranks.loc[2, "min_seeds"] == 3


def test_lassonet_rank_skips_a_row_with_a_method_not_run(runs):
    compared = _compared(runs[runs["method"] != "pfa"])
    assert report.lassonet_ranks(compared, METHODS).empty


def test_an_experiment_that_lands_on_the_paper_is_shown_beside_our_miss(runs):
    compared = _compared(runs)
    hsic = compared[(compared["method"] == "hsic") & (compared["learner"] == "decoder")].iloc[0]
    assert hsic["status"] == "outside"
    experiment = pd.DataFrame(dict(dataset="mice", method="hsic", learner="decoder", seed=[0, 1, 2],
                                   accuracy=[0.95, 0.96, 0.965]))
    lines = misses.experiment_lines(compared, {"authors-decoder": experiment})
    [row] = [line for line in lines if line.startswith("| Mice Protein | HSIC-Lasso")]
    cells = [cell.strip() for cell in row.split("|")[1:-1]]
    assert cells[5] == "**no**"  # ours: the paper's 0.958 is outside our interval
    assert cells[6] == "0.958 ± 0.008 (3)" and cells[9] == "yes"  # the experiment's interval holds it
    assert cells[7] == "+0.448"  # and it moved the cell from ours (0.510) to the paper's
    assert lines[-2].startswith("Of the 1 cell here whose paper value lies outside our interval, the experiment's "
                                "interval holds it for 1;")
    status = misses.experiment_status_lines(compared, {"authors-decoder": experiment})
    [line] = [line for line in status if line.startswith("- the decoder trained")]
    assert "for 1 of the 1 misses it covers; on them the distance to the paper's value changes by -0.448" in line
    others = [line for line in status if line.startswith("- no experiment's interval holds")]
    assert all("HSIC-Lasso / decoder" not in line for line in others)  # the miss the experiment explains is not left


def test_the_mean_change_of_an_experiment_leaves_out_cells_we_have_not_run(runs):
    compared = _compared(runs[~((runs["method"] == "hsic") & (runs["learner"] == "extra_trees"))])
    experiment = pd.DataFrame(dict(dataset="mice", method="hsic", learner=["decoder"] * 2 + ["extra_trees"] * 2,
                                   seed=[0, 1] * 2, accuracy=[0.52, 0.52, 0.9, 0.9]))
    lines = misses.experiment_lines(compared, {"authors-decoder": experiment})
    [row] = [line for line in lines if line.startswith("| Mice Protein | HSIC-Lasso | ExtraTrees")]
    assert [cell.strip() for cell in row.split("|")[1:-1]][5:8] == ["not run", "0.900 ± 0.000 (2)", "–"]
    assert lines[-2].endswith("over the 1 of its 2 cells that have our value too, the experiment moves our mean by "
                              "+0.010 on average.")


def test_a_cell_whose_seeds_all_agree_is_counted_in_test_rows(runs):
    runs = runs.assign(n_test=216)
    pfa = (runs["method"] == "pfa") & (runs["learner"] == "extra_trees") & (runs["dataset"] == "mice")
    runs.loc[pfa, "accuracy"] = 1.0  # every seed right on every test row: zero spread, zero-width interval
    compared = _compared(runs)
    assert compared.set_index(["dataset", "method", "learner"]).loc[("mice", "pfa", "extra_trees"), "status"] == "outside"
    [row] = [line for line in report.unanimous_lines(runs, compared, 50) if line.startswith("| Mice Protein | PFA")]
    cells = [cell.strip() for cell in row.split("|")[1:-1]]
    paper = float(cells[3])
    errors = round((1 - paper) * 216)
    assert cells[4] == "648 / 648" and cells[6] == f"{errors} / 216"
    assert cells[5].startswith("[0.99") and cells[5].endswith("1.0000]")
    assert 0 < float(cells[8]) <= 1


def test_the_official_experiment_stands_for_our_lassonet_cell(runs):
    experiment = pd.DataFrame(dict(dataset="mice", method="lassonet_official", learner="extra_trees", seed=[0, 1],
                                   accuracy=[0.99, 0.995]))
    lines = misses.experiment_lines(_compared(runs), {"official": experiment})
    assert any(line.startswith("| Mice Protein | LassoNet | ExtraTrees classifier | 0.997 |") for line in lines)


def test_a_figure5_experiment_is_shown_beside_our_lassonet_and_the_best_of_the_others(runs):
    lassonet = (runs["dataset"] == "isolet1560") & (runs["method"] == "lassonet")
    runs.loc[lassonet, "accuracy"] -= 0.05  # ours below the others at every k
    experiment = runs[lassonet].assign(accuracy=runs.loc[lassonet, "accuracy"] + 0.15, git_commit="abc1234def")
    lines = misses.figure5_experiment_lines(runs, {"authors-width": experiment}, "isolet1560",
                                            METHODS + ["trace_ratio"], ["decoder", "extra_trees"])
    assert lines[1].startswith("*Experiment `authors-width`*") and "(commit abc1234)" in lines[1]
    assert "| 10 | decoder network | 0.620 ± 0.020 | 0.770 ± 0.020 (3) | 0.670 ± 0.020 (Fisher) |" in lines
    assert lines[-1] == ("LassoNet's mean is the best of the paper's methods at 0 of these 4 points, and with the "
                         "experiment's change at 4.")
    assert misses.experiment_lines(_compared(runs), {"authors-width": experiment})[-1].startswith("No experiment")
    assert misses.figure5_experiment_lines(runs, {"authors-width": experiment}, "mice", METHODS, ["decoder"]) == []


def test_an_accuracy_interval_stays_within_0_and_1():
    low, high = results.interval(0.98, 0.03, 5, 0.95, "prediction")
    assert high == 1.0 and 0.0 < low < 0.98
    assert results.interval(0.02, 0.03, 5, 0.95, "prediction")[0] == 0.0


def test_the_record_report_opens_with_the_papers_claims_and_their_verdicts():
    text = (Path(__file__).resolve().parents[1] / "replication" / "replication_report.md").read_text(encoding="utf-8")
    sections = [line for line in text.splitlines() if line.startswith("## ")]
    assert sections[0] == "## The paper's claims"
    claims = text.split("## The paper's claims")[1].split("\n## ")[0]
    assert claims.count("- **") == 4 and all(v in claims for v in ("holds", "cells", "data sets", "Nemenyi"))
    assert "(#lassonets-rank-in-each-row)" in claims and "## LassoNet's rank in each row" in text


def test_the_verdict_across_data_sets_tells_a_consistent_gap_from_noise():
    from lassonet_bench.reporting import statistics

    order = {"lassonet": 0.95, "fisher": 0.94, "hsic": 0.90, "pfa": 0.85}  # the same order on every block
    rows = [dict(dataset=f"d{b}", method=m, k=50, seed=s, learner="decoder", accuracy=a + 0.001 * s)
            for b in range(6) for m, a in order.items() for s in range(3)]
    result = statistics.verdict(pd.DataFrame(rows), [f"d{b}" for b in range(6)], list(order), ["decoder"], 50)
    assert list(result.mean_ranks.index) == list(order) and result.friedman_p < 0.001
    beaten = statistics.outperformed(result)
    assert beaten == {"fisher": False, "hsic": True, "pfa": True}  # Nemenyi's critical difference at 6 blocks: 1.9
    lines = statistics.claim_lines(result, {})
    assert "outperforms PFA: **holds**" in lines[2] and "outperforms Fisher: **not shown**" in lines[0]
    assert statistics.verdict(pd.DataFrame(rows[:12]), ["d0"], list(order), ["decoder"], 50) is None  # one block


def test_cost_beside_quality_counts_each_selection_job_once():
    from lassonet_bench.reporting import costs

    record = pd.read_csv(Path(__file__).resolve().parents[1] / "replication" / "runs.csv")
    table = costs.method_costs(record, ["mice"], 50)
    assert table.loc["lassonet", "jobs"] == 5  # five seeds, one job each for both learners
    mice = record[(record["dataset"] == "mice") & (record["method"] == "lassonet")]
    assert table.loc["lassonet", "select_cpu_s"] == pytest.approx(mice.drop_duplicates("seed")["select_cpu_s"].sum())
    assert costs.cost_lines(record.drop(columns=["select_cpu_s"]), ["mice"], 50, {})[-1].startswith("The record's")


def test_cost_beside_quality_is_drawn_from_the_runs_job_figures(tmp_path):
    import matplotlib.pyplot as plt

    from lassonet_bench.plots.costs import plot_cost_quality
    from lassonet_bench.record import rendering
    from lassonet_bench.reporting import costs

    record = Path(__file__).resolve().parents[1] / "replication"
    runs, params = pd.read_csv(record / "runs.csv"), json.loads((record / "params.json").read_text())
    table = costs.method_costs(runs, ["mice"], 50)
    figure = plot_cost_quality(table)
    [drawn, memory] = figure.axes
    assert len(drawn.lines) == len(table) and "all" in table.index  # a point per selection, All-Features' level
    assert drawn.get_xscale() == memory.get_xscale() == "log" and figure.legends
    plt.close(figure)
    png = tmp_path / "cost.png"
    assert rendering.render_cost_figure(runs, params, png, tmp_path / "cost.pdf") == png and png.stat().st_size
    assert rendering.render_cost_figure(runs.drop(columns=["select_cpu_s"]), params, png, tmp_path / "x.pdf") is None
    assert costs.cost_lines(runs, ["mice"], 50, {}, "cost.png")[-1] == "![Cost beside quality](cost.png)"


def test_selections_at_chance_level_are_listed():
    rows = pd.DataFrame([
        dict(dataset="mice", method="lassonet", seed=0, learner="decoder", accuracy=0.2,
             selection_details=json.dumps({"validation_score_": 0.125, "chance_score_": 0.14, "at_chance_level_": True})),
        dict(dataset="mice", method="lassonet", seed=1, learner="decoder", accuracy=0.9,
             selection_details=json.dumps({"validation_score_": 0.9, "chance_score_": 0.14, "at_chance_level_": False})),
        dict(dataset="mice", method="fisher", seed=0, learner="decoder", accuracy=0.9, selection_details="{}"),
    ])
    lines = report.chance_level_lines(rows, {"mice": "Mice Protein"})
    assert lines[-1] == "| Mice Protein | LassoNet | 0 | decoder | 0.125 | 0.140 |" and len(lines) == 6
    assert "none of them" in report.chance_level_lines(rows.iloc[1:], {})[-1]


def test_selections_on_a_subsample_are_named_per_method_and_data_set(runs):
    from lassonet_bench.reporting.report import subsample_lines

    sampled = runs.assign(selection_details=json.dumps({"n_samples_used": 20, "n_samples_given": 70, "subsampled": True}))
    lines = subsample_lines(sampled.assign(method="relieff"), {"mice": "Mice Protein"})
    assert any("ReliefF on Mice Protein: 20 of 70 training rows" in line for line in lines)
    assert subsample_lines(runs, {}) == []


def test_stage_costs_list_every_stage_and_the_figures_with_a_total():
    from lassonet_bench.reporting.costs import stage_cost_lines

    benchmarks = pd.DataFrame({"rule": ["select fisher", "evaluate decoder", "total"], "jobs": [2, 4, 6],
                               "wall_h": [0.5, 1.0, 1.5], "cpu_h": [0.25, 2.0, 2.25], "peak_rss_mb": [100, 300, 300]})
    figures = pd.DataFrame({"figure": ["figure1"], "compute_wall_s": [3600.0], "compute_cpu_s": [1800.0],
                            "compute_max_rss_mb": [500.0]})
    lines = stage_cost_lines(benchmarks, figures)
    rows = [line for line in lines if line.startswith("| ") and not line.startswith("| Stage")]
    assert [row.split(" | ")[0] for row in rows] == ["| evaluate decoder", "| compute figure1", "| select fisher",
                                                     "| **total**"]  # by CPU time, then the total
    assert rows[-1] == "| **total** | 7 | 2.50 | 2.75 | 500 |"
