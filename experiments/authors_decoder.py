"""The record's selections scored again by a decoder trained as the authors' evaluation script trains it, to test
whether the decoder's training budget explains the cells where our decoder scores above the paper.

    python experiments/authors_decoder.py --dataset mice --methods all fisher hsic pfa lassonet \
        --out replication/experiments/authors-decoder-mice.csv

The authors' `experiments/evaluate.py` (lasso-net/lassonet) trains its decoder with full-batch Adam (learning rate
1e-3) for at most 3000 steps and stops after 50 steps without a lower validation loss, keeping the weights of the
last step; ours (`lassonet_bench.learners.decoder`) takes minibatches of 256 for up to 1000 epochs with patience 20 epochs and
restores the best epoch. Everything else is the record's: the same selections (read from `runs.csv`), the same
splits (`results/data/`), the paper's hidden-width search over [k/3, 2k/3, k, 4k/3] by validation accuracy, and the
same seeds for the initialisation. Written here, not imported, because the authors' script is not a package.
"""

import argparse
import math
import time
from pathlib import Path

import pandas as pd
import torch

from lassonet_bench.learners.decoder import make_decoder
from lassonet_bench.learners.decoder import derive_seed, hidden_width_grid
from lassonet_bench.record import write_experiment
from lassonet_bench.runs.runner import load_run_data, stable_seed

REPO_ROOT = Path(__file__).resolve().parent.parent
AUTHORS_MAX_STEPS = 3000
AUTHORS_PATIENCE = 50


def train_authors_decoder(X_train, y_train, X_val, y_val, width, n_classes, seed):
    """Full-batch Adam until 50 steps pass without a lower validation loss (at most 3000); the last step's model."""
    generator = torch.Generator().manual_seed(int(seed))
    model = make_decoder(X_train.shape[1], width, n_classes, generator)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    best, since_best, step = math.inf, 0, 0
    for step in range(1, AUTHORS_MAX_STEPS + 1):
        model.train()
        optimizer.zero_grad()
        loss_fn(model(X_train), y_train).backward()
        optimizer.step()
        model.eval()
        with torch.no_grad():
            val_loss = float(loss_fn(model(X_val), y_val))
        if val_loss < best:
            best, since_best = val_loss, 0
        else:
            since_best += 1
            if since_best >= AUTHORS_PATIENCE:
                break
    return model, step


def accuracy(model, X, y):
    with torch.no_grad():
        return float((model(X).argmax(1) == y).float().mean())


def score_selection(X, y, split, selected, dataset, seed):
    parts = {p: (torch.as_tensor(X[rows][:, selected], dtype=torch.float32), torch.as_tensor(y[rows]))
             for p, rows in split.items()}
    n_classes = int(y.max()) + 1
    random_state = stable_seed(dataset, "learner:decoder", seed)  # the record's decoder seed for this run
    fits = []
    for width in hidden_width_grid(len(selected)):
        model, steps = train_authors_decoder(*parts["train"], *parts["val"], width, n_classes,
                                             derive_seed(random_state, width))
        fits.append((accuracy(model, *parts["val"]), width, steps, model))
    val_accuracy, width, steps, model = max(fits, key=lambda fit: fit[0])  # max keeps the narrowest of ties
    return dict(accuracy=accuracy(model, *parts["test"]), validation_accuracy=val_accuracy, hidden_width=width,
                steps=steps)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", required=True)
    parser.add_argument("--methods", nargs="+", default=["all", "fisher", "hsic", "pfa", "lassonet"])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--k", type=int, default=50, help="k of the selections (All-Features runs use every feature)")
    parser.add_argument("--runs", type=Path, default=REPO_ROOT / "replication" / "runs.csv")
    parser.add_argument("--data", type=Path, default=REPO_ROOT / "results" / "data")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    torch.set_num_threads(1)
    runs = pd.read_csv(args.runs)
    runs = runs[(runs["dataset"] == args.dataset) & (runs["learner"] == "decoder")]
    rows = []
    for method in args.methods:
        for seed in args.seeds:
            run = runs[(runs["method"] == method) & (runs["seed"] == seed)]
            if method != "all":
                run = run[run["k"] == args.k]
            if run.empty:
                print(f"{args.dataset} {method} seed {seed}: not in {args.runs}, skipped", flush=True)
                continue
            _, X, y, split = load_run_data(args.data / f"{args.dataset}.npz",
                                           args.data / args.dataset / f"split-{seed}.npz")
            selected = [int(i) for i in str(run["selected"].iloc[0]).split()]
            started = time.process_time()
            result = score_selection(X, y, split, selected, args.dataset, seed)
            rows.append(dict(dataset=args.dataset, method=method, seed=seed, k=len(selected), learner="decoder",
                             decoder="authors", record_accuracy=float(run["accuracy"].iloc[0]),
                             cpu_s=time.process_time() - started, **result))
            print(f"{args.dataset} {method} seed {seed}: authors' decoder {result['accuracy']:.4f} "
                  f"(record {rows[-1]['record_accuracy']:.4f}, {result['steps']} steps)", flush=True)
    write_experiment(rows, args.out)


if __name__ == "__main__":
    main()
