"""The SLURM profile on a live single-node SLURM cluster (tests/slurm/cluster.sh: Debian's slurm-wlm and munge).

Three Snakemake runs of a reduced smoke configuration (one data set, LassoNet and All-Features, ExtraTrees, k=5, one
seed) go at once, because the SLURM runs mostly wait for the executor's status checks:

- through `workflow/profiles/slurm`, with only its partitions and account replaced by the test cluster's;
- the same configuration with the local CI profile, the reference for the tables;
- through the SLURM profile again, with one job made to fail: the data are prepared first (local rules), then the
  split file the evaluation job reads is overwritten with garbage, its modification time kept, so Snakemake sees
  nothing to redo and the job itself crashes on SLURM. This run alone adds `--retries 0` (the profile's one retry
  would submit the doomed job twice and cost the test another 30-40 s).

GPU rules: the test node advertises one *placeholder* GPU (a GRES backed by /dev/null), so the LassoNet jobs are
submitted with the profile's GPU request unchanged (`--gpus=1`), SLURM allocates it, and LassoNet runs on the CPU.

The cluster needs root and the Debian packages (installed by cluster.sh with apt-get when missing). Elsewhere the
module is skipped with the reason; with CI=true anything missing is a failure.
"""

import copy
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
SNAKEFILE = REPO / "Snakefile"
CLUSTER = REPO / "tests" / "slurm" / "cluster.sh"
SLURM_PROFILE = REPO / "workflow" / "profiles" / "slurm" / "config.yaml"
CI_PROFILE = REPO / "workflow" / "profiles" / "ci"
SMOKE_CONFIG = REPO / "tests" / "smoke" / "config.yaml"
MIRROR = Path(os.environ.get("LASSONET_BENCH_MIRROR") or REPO.parent / "shared" / "datasets")
ON_CI = os.environ.get("CI", "").lower() == "true"

PARTITION = "debug"  # the test cluster's only partition (cluster.sh)
ACCOUNT = "lassonet-ci"  # any name: the test cluster has no accounting, so sbatch takes every account
# The rules the profile sends to the GPU partition (LassoNet's selection and the figures' networks).
GPU_RULES = {rule for rule, entry in yaml.safe_load(SLURM_PROFILE.read_text())["set-resources"].items()
             if entry.get("gpu")}
RUN_TIMEOUT = 420  # seconds per Snakemake run before it is interrupted (SIGINT: it then cancels its SLURM jobs)

# The smoke configuration cut to one data set, LassoNet (a GPU rule) and All-Features, one learner, and Figure 4
# (another GPU rule, on Boston): four SLURM jobs.
REDUCED = {
    "datasets": ["mice"],
    "extra_datasets": [],
    "methods": ["lassonet"],
    "extra_methods": [],
    "learners": ["extra_trees"],
    "figure5": {"dataset": "mice", "fallback_dataset": None, "methods": ["lassonet"], "n_features_grid": [5]},
    "figures": {"draw": ["figure4"]},  # merged over the smoke config's figure settings (write_config)
}
FAILING_TARGET = "results/runs/mice/all/seed-0/k-all/extra_trees.csv"
FAILING_SPLIT = "results/data/mice/split-0.npz"
FAILING_LOG = "logs/evaluate/mice/all/seed-0/k-all/extra_trees.log"


def unavailable(message):
    if ON_CI:
        pytest.fail(message + " (CI=true: the SLURM test is required)")
    pytest.skip(message)


def prerequisites():
    """Why the cluster cannot be started here, or None."""
    if sys.platform != "linux":
        return "a SLURM test cluster needs Linux"
    if os.geteuid() != 0:
        return "starting munged, slurmctld and slurmd needs root (run as root, as CI does)"
    installed = all(shutil.which(tool) or Path("/usr/sbin", tool).exists()
                    for tool in ["slurmctld", "slurmd", "sbatch", "munged"])
    if not installed and not shutil.which("apt-get"):
        return "slurm-wlm and munge are not installed and there is no apt-get to install them"
    if not MIRROR.is_dir():
        return f"the data mirror {MIRROR} is missing (set LASSONET_BENCH_MIRROR or place it beside the repository)"
    return None


def read_pids(directory):
    pids = {}
    for name, path in [("munged", "munge/munged.pid"), ("slurmctld", "run/slurmctld.pid"), ("slurmd", "run/slurmd.pid")]:
        file = directory / path
        if file.exists() and file.read_text().strip().isdigit():
            pids[name] = int(file.read_text())
    return pids


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A running single-node cluster; every daemon it started is stopped by PID afterwards, even on failure."""
    reason = prerequisites()
    if reason:
        unavailable(reason)
    # Not under pytest's own temporary directory: that one is closed to other users, and munged runs as munge.
    directory = Path(tempfile.mkdtemp(prefix="lassonet-slurm-", dir="/tmp"))
    directory.chmod(0o755)
    env = {**os.environ, "LASSONET_SLURM_DIR": str(directory)}
    started = time.perf_counter()
    result = subprocess.run(["bash", str(CLUSTER), "start"], env=env, capture_output=True, text=True, timeout=600)
    start_seconds = time.perf_counter() - started
    pids = read_pids(directory)
    try:
        if result.returncode in (10, 11, 12):  # busy or foreign slurm.conf, not root, no packages and no apt-get
            unavailable(f"tests/slurm/cluster.sh start: {result.stderr.strip()}")
        assert result.returncode == 0, f"cluster.sh start failed ({result.returncode}):\n{result.stderr}"
        yield {"dir": directory, "env": {**env, "SLURM_CONF": str(directory / "slurm.conf")},
               "start_seconds": start_seconds}
    finally:
        pids.update(read_pids(directory))
        stop = subprocess.run(["bash", str(CLUSTER), "stop"], env=env, capture_output=True, text=True, timeout=120)
        alive = [f"{name} (PID {pid})" for name, pid in pids.items() if Path(f"/proc/{pid}").exists()]
        assert stop.returncode == 0 and not alive, f"daemons left running: {alive}\n{stop.stderr}"
        shutil.rmtree(directory, ignore_errors=True)


def make_test_profile(directory):
    """The SLURM profile with its partitions and account replaced by the test cluster's, and nothing else changed."""
    profile = yaml.safe_load(SLURM_PROFILE.read_text())
    changed = copy.deepcopy(profile)
    entries = [changed["default-resources"], *changed.get("set-resources", {}).values()]
    for entry in entries:
        for key, value in [("slurm_partition", PARTITION), ("slurm_account", ACCOUNT)]:
            if key in entry:
                entry[key] = value
    changed["set-resources"] = {rule: dict(entry) for rule, entry in changed.get("set-resources", {}).items()}
    path = directory / "profile"
    path.mkdir()
    (path / "config.yaml").write_text(yaml.safe_dump(changed, sort_keys=False))
    return path, profile, changed


def write_config(path, overrides):
    config = yaml.safe_load(SMOKE_CONFIG.read_text())
    reduced = copy.deepcopy(REDUCED)
    reduced["figures"] = {**config.get("figures", {}), **reduced["figures"]}  # the smoke's small figure settings
    config.update(reduced)
    for key, value in overrides.items():
        config[key] = value
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def run_snakemake(args, directory, env, log_name="snakemake.log"):
    """Run Snakemake in `directory`; (exit status, output, seconds). Interrupted with SIGINT past RUN_TIMEOUT."""
    command = [sys.executable, "-m", "snakemake", "-s", str(SNAKEFILE), "--directory", str(directory), *map(str, args)]
    started = time.perf_counter()
    with open(directory / log_name, "w") as log:
        process = subprocess.Popen(command, cwd=directory, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            process.wait(timeout=RUN_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGINT)  # Snakemake cancels its SLURM jobs on SIGINT
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    output = (directory / log_name).read_text()
    return process.returncode, output, time.perf_counter() - started


@pytest.fixture(scope="module")
def runs(cluster, tmp_path_factory):
    """The three runs, side by side: SLURM, local reference, SLURM with a failing job."""
    root = tmp_path_factory.mktemp("slurm-runs")
    profile, original, changed = make_test_profile(root)
    config = write_config(root / "config.yaml", {})
    directories = {name: root / name for name in ["slurm", "local", "failing"]}
    for directory in directories.values():
        directory.mkdir()
    env = cluster["env"]
    jobs = {
        # --verbose: the executor logs each generated sbatch command line
        "slurm": (["--workflow-profile", profile, "--configfile", config, "--verbose"], directories["slurm"]),
        "local": (["--workflow-profile", CI_PROFILE, "--configfile", config, "--cores", 1], directories["local"]),
    }
    started = time.perf_counter()
    with ThreadPoolExecutor(len(jobs) + 1) as pool:
        futures = {name: pool.submit(run_snakemake, args, directory, env) for name, (args, directory) in jobs.items()}
        futures["failing"] = pool.submit(run_failing, profile, config, directories["failing"], env)
        results = {name: future.result() for name, future in futures.items()}
    seconds = time.perf_counter() - started
    print(f"\ncluster start {cluster['start_seconds']:.0f} s; runs side by side {seconds:.0f} s: "
          + ", ".join(f"{name} {result[2]:.0f} s" for name, result in results.items()))
    return {"dirs": directories, "results": results, "profile": (original, changed), "env": env}


def run_failing(profile, config, directory, env):
    """Prepare the data (local rules only), break the split file the evaluation reads, run the evaluation on SLURM."""
    args = ["--workflow-profile", profile, "--configfile", config]
    code, output, seconds = run_snakemake([FAILING_SPLIT, *args], directory, env, "prepare.log")
    assert code == 0 and not submissions(output), output[-4000:]
    split = directory / FAILING_SPLIT
    stat = split.stat()
    split.write_bytes(b"not a NumPy archive\n")
    os.utime(split, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    code, output, more_seconds = run_snakemake([FAILING_TARGET, *args, "--retries", 0], directory, env)
    return code, output, seconds + more_seconds


# ---------------------------------------------------------------------------------------------------------------
# Parsing what Snakemake and SLURM say


def submissions(output):
    """[(snakemake job id, SLURM job id, SLURM log path)] from the executor's 'has been submitted' lines."""
    return [(int(job), slurm_id, Path(log)) for job, slurm_id, log in
            re.findall(r"Job (\d+) has been submitted with SLURM jobid (\d+) \(log: (.+?)\)\.", output)]


def job_rules(output):
    """{snakemake job id: (rule, local?)} from the job blocks Snakemake prints ('rule x:' ... 'jobid: n')."""
    rules, current = {}, None
    for line in output.splitlines():
        header = re.match(r"^\s*(local)?(?:rule|checkpoint) (\w+):$", line)
        if header:
            current = (header.group(2), header.group(1) is not None)
            continue
        jobid = re.match(r"^\s*jobid: (\d+)$", line)
        if jobid and current is not None:
            rules[int(jobid.group(1))] = current
            current = None
    return rules


def scontrol_job(slurm_id, env):
    """`scontrol show job` of one job as a dict (finished jobs stay visible for MinJobAge=300 s)."""
    result = subprocess.run(["scontrol", "--oneliner", "show", "job", slurm_id], env=env, capture_output=True,
                            text=True, timeout=30)
    assert result.returncode == 0, f"scontrol show job {slurm_id}: {result.stderr}"
    return dict(re.findall(r"(\S+?)=(\S*)", result.stdout))


def sbatch_lines(output):
    """{SLURM comment (rule_<rule>_wildcards_...): the sbatch command line the executor generated}."""
    return {comment: line for line in re.findall(r"^sbatch call: (sbatch .*)$", output, re.M)
            for comment in re.findall(r"--comment (\S+)", line)}


def slurm_run(runs):
    code, output, _ = runs["results"]["slurm"]
    assert code == 0, output[-8000:]
    return output


# ---------------------------------------------------------------------------------------------------------------
# The checks


def test_only_partition_and_account_differ_from_the_repository_profile(tmp_path):
    path, original, changed = make_test_profile(tmp_path)
    assert yaml.safe_load((path / "config.yaml").read_text()) == changed
    assert changed["executor"] == "slurm"

    def flatten(value, prefix=""):
        if isinstance(value, dict):
            return {k: v for key, item in value.items() for k, v in flatten(item, f"{prefix}{key}.").items()}
        return {prefix.rstrip("."): value}

    before, after = flatten(original), flatten(changed)
    assert before.keys() == after.keys()
    differing = {key for key in before if before[key] != after[key]}
    assert differing and all(key.rsplit(".", 1)[-1] in {"slurm_partition", "slurm_account"} for key in differing)


@pytest.mark.slow
def test_every_compute_job_went_through_sbatch(runs):
    output = slurm_run(runs)
    rules = job_rules(output)
    submitted = submissions(output)
    compute = {job for job, (_, local) in rules.items() if not local}
    local = {job for job, (_, is_local) in rules.items() if is_local}
    by_job = {job: slurm_id for job, slurm_id, _ in submitted}
    assert compute, output[-4000:]
    assert compute == set(by_job), f"compute jobs not submitted: {sorted(compute - set(by_job))}"
    assert not local & set(by_job), "a local rule was submitted to SLURM"
    # Which rules these are: the LassoNet selection (a GPU rule) and the evaluations; data and report stay local.
    assert {rules[job][0] for job in compute} == {"select_lassonet_ranking", "evaluate", "figure_compute"}
    assert {"fetch_dataset", "prepare_dataset", "split_dataset", "collect_runs", "render_tables", "plot_figure"} <= {
        rules[job][0] for job in local}
    for job, slurm_id in by_job.items():
        info = scontrol_job(slurm_id, runs["env"])
        rule = rules[job][0]
        assert info["JobState"] == "COMPLETED", (rule, info)
        assert info["Partition"] == PARTITION and info["Account"] == ACCOUNT, (rule, info)
        assert info["Comment"].startswith(f"rule_{rule}"), (rule, info)
        assert info["WorkDir"] == str(runs["dirs"]["slurm"]), info
    # and their outputs are there
    assert (runs["dirs"]["slurm"] / "results" / "selections" / "mice" / "lassonet" / "seed-0.json").exists()


@pytest.mark.slow
def test_tables_equal_those_of_a_local_run(runs):
    slurm_run(runs)
    code, output, _ = runs["results"]["local"]
    assert code == 0, output[-8000:]
    slurm, local = runs["dirs"]["slurm"], runs["dirs"]["local"]
    tables = sorted(path.relative_to(local) for path in (local / "results" / "tables").glob("*.csv"))
    assert tables == [Path("results/tables/table2.csv")]
    for table in tables:
        pd.testing.assert_frame_equal(pd.read_csv(slurm / table), pd.read_csv(local / table))
        assert (slurm / table.with_suffix(".md")).read_text() == (local / table.with_suffix(".md")).read_text()
    keys = ["dataset", "method", "k", "seed", "learner"]
    columns = keys + ["selected", "n_features", "accuracy", "selection_device", "learner_device"]
    runs_slurm = pd.read_csv(slurm / "results" / "runs.csv")[columns].sort_values(keys, ignore_index=True)
    runs_local = pd.read_csv(local / "results" / "runs.csv")[columns].sort_values(keys, ignore_index=True)
    pd.testing.assert_frame_equal(runs_slurm, runs_local)
    assert set(runs_slurm["method"]) == {"all", "lassonet"}
    for table in ["coefficients.csv", "errors.csv"]:  # the figure's network, trained on SLURM
        path = Path("results") / "figures" / "data" / "figure4" / table
        drop = ["seconds"]  # wall time of each path step
        slurm_table, local_table = (pd.read_csv(root / path) for root in (slurm, local))
        pd.testing.assert_frame_equal(slurm_table.drop(columns=drop, errors="ignore"),
                                      local_table.drop(columns=drop, errors="ignore"))


@pytest.mark.slow
def test_gpu_rules_request_a_gpu_as_the_profile_says(runs):
    output = slurm_run(runs)
    rules = job_rules(output)
    lines = sbatch_lines(output)
    changed = runs["profile"][1]
    gpus = {rule: changed["set-resources"][rule]["gpu"] for rule in GPU_RULES}
    seen_gpu_job = False
    for job, slurm_id, _ in submissions(output):
        rule = rules[job][0]
        info = scontrol_job(slurm_id, runs["env"])
        line = lines[info["Comment"]]
        if rule in GPU_RULES:
            seen_gpu_job = True
            # the generated command and what SLURM recorded and allocated
            assert f" --gpus={gpus[rule]}" in line, line
            assert re.fullmatch(rf"gres[:/]gpu[:=]{gpus[rule]}", info.get("TresPerJob", "")), info
            assert f" -p {PARTITION}" in line and f"--mem {changed['set-resources'][rule]['mem_mb']}" in line, line
        else:
            assert "--gpus" not in line and "gpu" not in info.get("TresPerJob", ""), (rule, line, info)
    assert seen_gpu_job, "no GPU rule was submitted"
    devices = pd.read_csv(runs["dirs"]["slurm"] / "results" / "runs.csv")
    lassonet = devices[devices["method"] == "lassonet"]
    assert set(lassonet["selection_device"]) == {"cpu"}
    warnings.warn(
        "SLURM test: the GPU rules were submitted with the profile's request (--gpus=1) and SLURM allocated the test "
        "node's placeholder GPU (a GRES backed by /dev/null); LassoNet itself ran on the CPU "
        "(selection_device=cpu). No real GPU was used.",
        stacklevel=1,
    )


@pytest.mark.slow
def test_a_failing_job_fails_the_run_and_its_log_is_named(runs):
    code, output, _ = runs["results"]["failing"]
    directory = runs["dirs"]["failing"]
    assert code != 0, output[-4000:]
    submitted = submissions(output)
    rules = job_rules(output)
    assert submitted and {rules[job][0] for job, _, _ in submitted} == {"evaluate"}, output[-4000:]
    assert len(submitted) == 1, submitted  # --retries 0
    for _, slurm_id, slurm_log in submitted:
        assert scontrol_job(slurm_id, runs["env"])["JobState"] == "FAILED"
        assert re.search(rf"SLURM-job '{slurm_id}' failed", output), output[-4000:]
        # the SLURM log of a failed job is kept, and named in the error
        assert slurm_log.exists() and str(slurm_log) in output
    assert "Error in rule evaluate:" in output
    assert FAILING_LOG in output, output[-4000:]
    log = (directory / FAILING_LOG).read_text()
    assert "Traceback" in log and "Error" in log.splitlines()[-1], log  # the job's own error, in the rule's log
    assert not (directory / FAILING_TARGET).exists()
