"""The property-based tests of tests/test_fuzz.py with many more examples than CI runs, and random ones.

    python benchmarks/fuzz.py [--examples 1000] [-- extra pytest arguments, e.g. -k lassonet]

CI runs each property on a few fixed examples (seconds); this draws `--examples` fresh ones per property
(LASSONET_BENCH_FUZZ_EXAMPLES), so each run explores new input. A failure prints the falsifying example and a
`@reproduce_failure` line to replay it.
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=1000, help="examples per property (default 1000)")
    args, pytest_args = parser.parse_known_args()
    env = {**os.environ, "LASSONET_BENCH_FUZZ_EXAMPLES": str(args.examples)}
    command = [sys.executable, "-m", "pytest", "-p", "no:randomly", "-n", "0", "-q", "tests/test_fuzz.py",
               *[a for a in pytest_args if a != "--"]]
    return subprocess.call(command, cwd=REPO, env=env)


if __name__ == "__main__":
    sys.exit(main())
