"""The committed replication record renders again byte for byte, and the README's status is the record's."""

from pathlib import Path

import pytest

from lassonet_bench import record

ROOT = Path(__file__).resolve().parent.parent
RECORD = ROOT / "replication"
RENDERED = ["STATUS.md", "replication_report.md", *(f"tables/{t}.{e}" for t in ("table1", "table2")
                                                    for e in record.TABLE_FILES)]


def test_the_record_renders_again_byte_for_byte(tmp_path):
    assert (RECORD / "runs.csv").exists(), "the replication record (replication/runs.csv) is missing"
    record.render(RECORD, tmp_path)
    for name in RENDERED:
        assert (tmp_path / name).read_bytes() == (RECORD / name).read_bytes(), f"{name} differs from the record's"
    assert (tmp_path / "figure5.png").stat().st_size > 0


def test_the_readme_status_is_the_records():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    status = (RECORD / "STATUS.md").read_text(encoding="utf-8")
    assert record.readme_with_status(readme, status) == readme


def test_a_readme_without_the_markers_is_refused():
    with pytest.raises(ValueError, match="status markers"):
        record.readme_with_status("# no block here\n", "status\n")


def test_the_benchmark_summary_adds_up(tmp_path):
    for stage, name, cpu in [("select/mice/fisher", "seed-0", 2.0), ("evaluate/mice/all/seed-0/k-all", "decoder", 3.0)]:
        folder = tmp_path / "benchmarks" / stage
        folder.mkdir(parents=True)
        (folder / f"{name}.tsv").write_text(f"s\th:m:s\tmax_rss\tcpu_time\n{cpu * 2}\t0:00:01\t100.0\t{cpu}\n")
    summary = record.benchmark_summary([tmp_path]).set_index("rule")
    assert summary.loc["total", "cpu_h"] == pytest.approx(round(5.0 / 3600, 3))
    assert summary.loc["select fisher", "jobs"] == 1 and summary.loc["evaluate decoder", "peak_rss_mb"] == 100


def test_the_readme_scikit_learn_example_runs(monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    [example] = [block for block in readme.split("```python\n")[1:] if "LassoNetSelector" in block]
    exec(compile(example.split("```")[0], "README.md", "exec"), {})


def test_write_times_of_runs_already_recorded_survive_a_copy_of_their_files(tmp_path):
    import os

    import pandas as pd

    key = dict(dataset="mice", method="fisher", k=50, learner="decoder")
    old = pd.DataFrame([dict(git_commit="aaa", seed=0, **key)])  # runs.csv's own column order, not RUN_KEY's
    new = pd.DataFrame([dict(**key, seed=0, git_commit="aaa"), dict(**key, seed=1, git_commit="bbb")])
    record = tmp_path / "record"
    record.mkdir()
    old.to_csv(record / "runs.csv", index=False)
    pd.DataFrame([dict(commit="aaa", runs=1, first_written_utc="2026-01-01 10:00",
                       last_written_utc="2026-01-01 11:00")]).to_csv(record / "written.csv", index=False)
    results = tmp_path / "results"
    for seed, stamp in [(0, 1_800_000_000), (1, 1_790_000_000)]:  # seed 0's file was copied later: a newer time
        run = results / "runs" / "mice" / "fisher" / f"seed-{seed}" / "k-50" / "decoder.csv"
        run.parent.mkdir(parents=True)
        run.write_text("accuracy\n0.9\n")
        os.utime(run, (stamp, stamp))
    written = record_module_written(new, results, record)
    assert written["aaa"] == ("2026-01-01 10:00", "2026-01-01 11:00")
    assert written["bbb"] == ("2026-09-21 14:13", "2026-09-21 14:13")
    # An All-Features run's k column holds the number of features; its file is under k-all.
    everything = results / "runs" / "mice" / "all" / "seed-0" / "k-all" / "decoder.csv"
    everything.parent.mkdir(parents=True)
    everything.write_text("accuracy\n0.9\n")
    os.utime(everything, (1_780_000_000, 1_780_000_000))
    alone = pd.DataFrame([dict(dataset="mice", method="all", k=77, learner="decoder", seed=0, git_commit="ccc")])
    assert record_module_written(alone, results, record)["ccc"] == ("2026-05-28 20:26", "2026-05-28 20:26")


def record_module_written(runs, results, record_dir):
    table = record.written_ranges(runs, [results], record_dir)
    return {row.commit: (row.first_written_utc, row.last_written_utc) for row in table.itertuples()}


def test_the_record_report_becomes_one_web_page(tmp_path):
    record.main(["html", str(RECORD), "--out", str(tmp_path / "report.html")])
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<table>" in page and 'src="data:image/png;base64,' in page  # Figure 5 embedded, not linked


def test_figures_are_copied_into_the_record_with_their_commit_and_cost(tmp_path):
    import pandas as pd

    results, target = tmp_path / "results", tmp_path / "record"
    (results / "figures" / "data" / "figure1").mkdir(parents=True)
    (results / "benchmarks" / "figures").mkdir(parents=True)
    for name in ("figure1.png", "figure1.pdf", "figure4.png"):  # figure4 has no PDF: not a finished figure
        (results / "figures" / name).write_bytes(b"x")
    (results / "figures" / "data" / "figure1" / "path.csv").write_text("a\n1\n")
    (results / "benchmarks" / "figures" / "figure1_compute.tsv").write_text(
        "s\th:m:s\tmax_rss\tmax_vms\tmax_uss\tmax_pss\tio_in\tio_out\tmean_load\tcpu_time\n"
        "12.5\t0:00:12\t300\t1\t1\t1\t0\t0\t90\t11.0\n")
    assert record.export_figures(results, target, "abc") == ["figure1"]
    assert (target / "figures" / "data" / "figure1" / "path.csv").read_text() == "a\n1\n"
    index = pd.read_csv(target / "figures" / "figures.csv")
    assert index.to_dict("records")[0]["git_commit"] == "abc" and index["compute_cpu_s"].iloc[0] == 11.0
    with pytest.raises(ValueError, match="no figure"):
        record.export_figures(tmp_path / "empty", target, "abc")


def test_an_experiment_written_by_its_script_is_read_back_into_the_report(tmp_path, capsys):
    rows = [dict(dataset="mice", method="fisher", learner="decoder", seed=seed, accuracy=0.9 + seed / 100)
            for seed in range(3)]
    record.write_experiment(rows, tmp_path / "experiments" / "authors-split-mice.csv")
    assert "fisher decoder" in " ".join(capsys.readouterr().out.split())
    [(name, table)] = record.read_experiments(tmp_path).items()
    assert name == "authors-split" and table["accuracy"].tolist() == [0.90, 0.91, 0.92]
