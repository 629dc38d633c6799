#!/usr/bin/env bash
# Debian's Chromium for the browser test of the HTML report (tests/test_workflow.py), installed with apt-get if
# missing; Playwright drives it (executable_path), so no browser is ever downloaded.
#
#   tests/browser/install.sh    print the path of the chromium executable, installing it first if needed
#
# Exit status 11: not root and chromium missing; 12: no apt-get, or apt-get failed (its log is printed).
set -euo pipefail

say() { echo "install.sh: $*" >&2; }

if ! command -v chromium >/dev/null 2>&1; then
    if [[ $(id -u) -ne 0 ]]; then
        say "chromium is not installed and installing it needs root"
        exit 11
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        say "chromium is not installed and there is no apt-get to install it"
        exit 12
    fi
    log=$(mktemp)
    say "installing Debian's chromium (apt-get)"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; } \
        >"$log" 2>&1 || { cat "$log" >&2; rm -f "$log"; exit 12; }
    rm -f "$log"
fi
command -v chromium
