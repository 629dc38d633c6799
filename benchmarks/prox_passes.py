"""Where Hier-Prox's time goes on a real path, and what three ways to cut its Newton passes give.

    python benchmarks/prox_passes.py --dataset mnist --steps 10

Trains LassoNet's four-width search (split seed 0, model seed 0, one torch thread) for the dense fit and `--steps`
path steps, timing every prox call, and keeps the inputs of every 100th call and of the call after it. Printed:

- the prox's share of the fit's CPU time, and its Newton passes per call (a pass is one sweep over |W|);
- after each pass, how many (network, feature) pairs are still moving (their m changed);
- on the kept inputs: passes per call as the prox does them (Newton from ‖v‖ − λ/(1 + M²)), from ‖v‖ (the
  start it had before) and from the previous call's solution (warm start); the CPU time of a call, of a call
  whose later passes read only the columns still moving, and of a call from either start; the time of one pass,
  eager and under `torch.compile` (and the compile time, which inductor's cache in /tmp shortens on later runs).
"""

import argparse
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import path_vs_reference  # noqa: E402 (the data loading of the other path benchmark)

from lassonet_bench.core import prox
from lassonet_bench.core.path import fit_paths  # noqa: E402
from lassonet_bench.core.settings import PathSettings  # noqa: E402

WIDTH_FRACTIONS = (1 / 3, 2 / 3, 1, 4 / 3)


def capture(dataset, steps, clip_sums_compiled=False):
    """Fit the search; (fit CPU s, prox CPU s, prox calls, passes, kept [(inputs, solution)] in call order).

    `clip_sums_compiled`: the fit with the passes (`prox._clip_sums`) under torch.compile."""
    X, y, split = path_vs_reference.load(dataset)
    train, val = split["train"], split["val"]
    state = dict(calls=0, passes=0, seconds=0.0, kept=[])
    optimal_norm, clip_sums = prox._optimal_norm, prox._clip_sums
    passes = torch.compile(clip_sums, dynamic=True) if clip_sums_compiled else clip_sums

    def counting_clip_sums(*args):
        state["passes"] += 1
        return passes(*args)

    def timed_optimal_norm(*args):
        state["calls"] += 1
        started = time.process_time()
        solution = optimal_norm(*args)
        state["seconds"] += time.process_time() - started
        if state["calls"] % 100 in (0, 1):
            state["kept"].append(([a.clone() if torch.is_tensor(a) else a for a in args], solution.clone()))
        return solution

    prox._optimal_norm, prox._clip_sums = timed_optimal_norm, counting_clip_sums
    d = X.shape[1]
    started = time.process_time()
    try:
        fit_paths(X[train], y[train], X[val], y[val], task="classification",
                  hidden_dims_grid=[(round(d * f),) for f in WIDTH_FRACTIONS], settings=PathSettings(max_steps=steps))
    finally:
        prox._optimal_norm, prox._clip_sums = optimal_norm, clip_sums
    return time.process_time() - started, state


def newton(start, norm_theta, W_abs, widths, penalty):
    """The prox's Newton iteration from `start`; (t, passes, pairs still moving after each pass)."""
    target = norm_theta - penalty.lam
    t, previous, passes, moving = start, None, 0, []
    for _ in range(max(widths) + 2):
        clip = penalty.M * t
        excess_sum, m = prox._clip_sums(W_abs, widths, clip)
        passes += 1
        if previous is not None:
            moving.append(int((m != previous).sum()))
            if not moving[-1]:
                break
        step = prox._newton_step(target, excess_sum, m, clip, penalty)
        t, previous = (step if previous is None else torch.maximum(t, step)), m
    return t, passes, moving


def prox_start(inputs):
    """Where the prox's Newton iteration starts for one kept call's inputs."""
    norm_theta, _, _, penalty = inputs
    return prox._newton_start(norm_theta, penalty)


def moving_columns(norm_theta, W_abs, widths, penalty):
    """The same iteration, each later pass reading only the columns of the features still moving."""
    target = norm_theta - penalty.lam
    clip = penalty.M * prox._newton_start(norm_theta, penalty)
    excess_sum, m = prox._clip_sums(W_abs, widths, clip)
    t = prox._newton_step(target, excess_sum, m, clip, penalty)
    columns = torch.arange(W_abs.shape[1])
    for _ in range(max(widths) + 1):
        part = W_abs.index_select(1, columns)
        clip = penalty.M * t[:, columns]
        excess_sum, m_new = prox._clip_sums(part, widths, clip)
        moving = (m_new != m[:, columns]).any(0)
        if not bool(moving.any()):
            break
        step = prox._newton_step(target[:, columns], excess_sum, m_new, clip, penalty)
        keep = torch.nonzero(moving).squeeze(1)
        columns = columns[keep]
        t[:, columns] = torch.maximum(t[:, columns], step[:, keep])
        m[:, columns] = m_new[:, keep]
    return t


def cpu_per_call(function, calls, repeats=3):
    started = time.process_time()
    for _ in range(repeats):
        for args in calls:
            function(*args)
    return (time.process_time() - started) / repeats / len(calls)


def pass_times(args, repeats=20, rounds=7):
    """CPU s of one pass over |W| (`prox._clip_sums`), eager and under torch.compile; and the compile time."""
    norm_theta, W_abs, widths, penalty = args
    clip = penalty.M * norm_theta
    started = time.process_time()
    compiled = torch.compile(prox._clip_sums, dynamic=True)
    compiled(W_abs, widths, clip)
    compile_seconds = time.process_time() - started
    times = {"eager": [], "compiled": []}
    for _ in range(rounds):  # interleaved, the best round of each: the machine's load varies
        for name, function in (("eager", prox._clip_sums), ("compiled", compiled)):
            started = time.process_time()
            for _ in range(repeats):
                function(W_abs, widths, clip)
            times[name].append((time.process_time() - started) / repeats)
    return {name: min(values) for name, values in times.items()}, compile_seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", default="mnist")
    parser.add_argument("--steps", type=int, default=10, help="path steps after the dense fit")
    parser.add_argument("--no-compile", action="store_true", help="skip the torch.compile timings")
    args = parser.parse_args()
    torch.set_num_threads(1)

    fit_seconds, state = capture(args.dataset, args.steps)
    print(f"{args.dataset}, four-width search, dense fit + {args.steps} path steps: {fit_seconds:.1f} CPU s, "
          f"prox {state['seconds']:.1f} CPU s ({state['seconds'] / fit_seconds:.0%}), {state['calls']} calls, "
          f"{state['passes'] / state['calls']:.2f} passes per call")
    kept = state["kept"]
    pairs = [(kept[i], kept[i + 1]) for i in range(len(kept) - 1)
             if kept[i][0][1].shape == kept[i + 1][0][1].shape]  # consecutive calls on the same features
    calls = [inputs for inputs, _ in kept]
    middle = calls[len(calls) // 2]
    _, _, moving = newton(prox_start(middle), *middle)
    print(f"pairs still moving after each pass (a call half-way, of {middle[0].numel()} pairs): {moving}")
    starts = {
        "from ‖v‖ − λ/(1 + M²) (the prox's)": lambda inputs, previous: prox_start(inputs),
        "from ‖v‖": lambda inputs, previous: inputs[0],
        "from the previous call's solution": lambda inputs, previous: previous,
    }
    passes = {name: [newton(start(inputs, previous), *inputs)[1] for (_, previous), (inputs, _) in pairs]
              for name, start in starts.items()}
    print(f"passes per call on {len(pairs)} kept calls: "
          + ", ".join(f"{name} {sum(counts) / len(counts):.2f}" for name, counts in passes.items()))
    full = cpu_per_call(prox._optimal_norm, calls)
    narrowed = cpu_per_call(moving_columns, calls)
    from_norm = cpu_per_call(lambda *inputs: newton(inputs[0], *inputs), calls)
    from_start = cpu_per_call(lambda *inputs: newton(prox_start(inputs), *inputs), calls)
    print(f"CPU ms per call: every column each pass {full * 1e3:.2f}, only the moving columns {narrowed * 1e3:.2f}; "
          f"this script's Newton loop from the prox's start {from_start * 1e3:.2f}, from ‖v‖ {from_norm * 1e3:.2f}")
    if not args.no_compile:
        compiled_seconds, compiled_state = capture(args.dataset, args.steps, clip_sums_compiled=True)
        print(f"the same fit with the passes under torch.compile: {compiled_seconds:.1f} CPU s, prox "
              f"{compiled_state['seconds']:.1f} CPU s (compiling included)")
        times, compile_seconds = pass_times(middle)
        print(f"CPU ms per pass: eager {times['eager'] * 1e3:.2f}, torch.compile {times['compiled'] * 1e3:.2f} "
              f"(compiled in {compile_seconds:.1f} CPU s)")


if __name__ == "__main__":
    main()
