"""A verdict across data sets: the Friedman test of the selection methods over the (data set x learner) blocks, the
Nemenyi post-hoc test, mean ranks, and each of the paper's comparative claims read from them.

The statistics are scipy's (Friedman) and scikit-posthocs' (Nemenyi, the critical-difference diagram's matrix), not
written here. A block is one data set with one learner; its value per method is the mean test accuracy over the
split seeds. Only blocks where every compared method has run count, and only the paper's data sets (an extra row
such as the ISOLET subset is not one of the paper's blocks).
"""

import dataclasses

import pandas as pd

from lassonet_bench.reporting.results import LEARNER_TITLES, METHOD_TITLES, summarize

ALPHA = 0.05


@dataclasses.dataclass(frozen=True)
class Verdict:
    blocks: pd.DataFrame  # (dataset, learner) x method: mean accuracy
    mean_ranks: pd.Series  # method -> mean rank over the blocks (1 = the most accurate)
    friedman_statistic: float
    friedman_p: float
    nemenyi_p: pd.DataFrame  # method x method: the post-hoc p-values


def block_table(runs, datasets, methods, learners, n_features_to_select):
    """(dataset, learner) x method of mean accuracies, for the blocks where every method has run."""
    summary = summarize(runs)
    summary = summary[summary["dataset"].isin(datasets) & summary["method"].isin(methods)
                      & summary["learner"].isin(learners) & (summary["k"] == n_features_to_select)]
    table = summary.pivot_table(index=["dataset", "learner"], columns="method", values="mean")
    return table.reindex(columns=list(methods)).dropna()


def verdict(runs, datasets, methods, learners, n_features_to_select):
    """The Friedman and Nemenyi tests over the blocks; None with fewer than 3 methods or 2 blocks."""
    import scikit_posthocs
    from scipy import stats

    blocks = block_table(runs, datasets, methods, learners, n_features_to_select)
    if blocks.shape[1] < 3 or blocks.shape[0] < 2:
        return None
    statistic, p = stats.friedmanchisquare(*(blocks[m].to_numpy() for m in blocks.columns))
    ranks = blocks.rank(axis=1, ascending=False).mean().sort_values()
    nemenyi = scikit_posthocs.posthoc_nemenyi_friedman(blocks.reset_index(drop=True))
    return Verdict(blocks, ranks, float(statistic), float(p), nemenyi)


HEADING = "Across data sets: Friedman and Nemenyi tests"
TOO_FEW_BLOCKS = "Too few blocks (data set x learner with every method run) or methods for the tests."


def outperformed(result, method="lassonet"):
    """{baseline: whether `method` outperforms it, by mean rank and the Nemenyi test at ALPHA}."""
    return {other: bool(result.mean_ranks[method] < result.mean_ranks[other]
                        and result.nemenyi_p.loc[method, other] < ALPHA)
            for other in result.blocks.columns if other != method}


def claim_lines(result, titles, method="lassonet"):
    """The paper's claim that `method` outperforms every baseline, read from the tests: one line per baseline with
    the post-hoc p-value and the blocks where the baseline is at least as accurate."""
    ours = METHOD_TITLES[method]
    lines = []
    for other in [m for m in result.blocks.columns if m != method]:
        p = float(result.nemenyi_p.loc[method, other])
        better = result.mean_ranks[method] < result.mean_ranks[other]
        losses = result.blocks[result.blocks[other] >= result.blocks[method]].index
        where = ", ".join(f"{titles.get(d, d)} / {LEARNER_TITLES.get(lr, lr)}" for d, lr in losses) or "none"
        holds = "holds" if better and p < ALPHA else "not shown" if better else "does not hold"
        lines.append(f"- {ours} outperforms {METHOD_TITLES[other]}: **{holds}** (mean rank "
                     f"{result.mean_ranks[method]:.2f} against {result.mean_ranks[other]:.2f}, Nemenyi p = {p:.3f}; "
                     f"{METHOD_TITLES[other]} at least as accurate on: {where})")
    return lines


def statistics_lines(result, titles, figure_path=None, benchmark=None):
    """The report's section: the paper's claim from `result` (verdict's over the paper's methods), then, with
    `benchmark` (verdict's over every method, the paper's and those beyond it), the mean ranks and the Friedman test
    of the whole benchmark; the critical-difference diagram is `benchmark`'s."""
    lines = ["", f"## {HEADING}", ""]
    if result is None:
        return lines + [TOO_FEW_BLOCKS]
    beyond = benchmark is not None and benchmark is not result
    lines += (["### The paper's methods", ""] if beyond else []) + _test_lines(result, titles)
    lines += ["", *claim_lines(result, titles)]
    if beyond:
        lines += ["", "### Every method, the paper's and those beyond it", "", *_test_lines(benchmark, titles)]
    if figure_path:
        lines += ["", f"![Critical-difference diagram]({figure_path})"]
    return lines


def _test_lines(result, titles):
    blocks = ", ".join(f"{titles.get(d, d)} / {LEARNER_TITLES.get(lr, lr)}" for d, lr in result.blocks.index)
    return [
        f"{len(result.blocks)} blocks ({blocks}), {result.blocks.shape[1]} selection methods, each block's value the mean "
        f"accuracy over the seeds; rank 1 is the most accurate. Friedman χ² = {result.friedman_statistic:.2f}, "
        f"p = {result.friedman_p:.3g}; the post-hoc test is Nemenyi's (scikit-posthocs), at α = {ALPHA}.",
        "",
        "| Method | Mean rank |",
        "|---|---:|",
        *[f"| {METHOD_TITLES[m]} | {r:.2f} |" for m, r in result.mean_ranks.items()],
    ]
