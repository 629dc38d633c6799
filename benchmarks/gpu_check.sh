#!/usr/bin/env bash
# The GPU check of the LassoNet core (benchmarks/gpu_check.py): one table in at most 6 minutes on one card.
#
#   bash benchmarks/gpu_check.sh                        # on a machine with a GPU: --device cuda
#   bash benchmarks/gpu_check.sh --device cpu --tiny    # the script itself, tested on a CPU (a few minutes;
#                                                       # GPU_CHECK_TIMEOUT=900 on a busy machine)
#
# Needs the project installed (pip install -e ., which brings the official package lassonet==0.0.21 too).
# The data come from the offline mirror (../shared/datasets, or LASSONET_BENCH_MIRROR).
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD/src${PYTHONPATH:+:$PYTHONPATH}" PYTHONUNBUFFERED=1
args=("$@")
[ ${#args[@]} -eq 0 ] && args=(--device cuda)
timeout "${GPU_CHECK_TIMEOUT:-360}" python3 benchmarks/gpu_check.py "${args[@]}"
