#!/usr/bin/env bash
# Run every benchmark in bench/ in turn (make bench). Helpers (common.py, _*.py) are skipped.
# Extra arguments are passed to each benchmark.
set -euo pipefail
cd "$(dirname "$0")/.."
# Data to Insight's validators, the alternative several benchmarks run beside ours.
scripts/d2i_validators.sh
export D2I_903_VENV="${D2I_903_VENV:-$PWD/var/d2i/903}" D2I_VENV="${D2I_VENV:-$PWD/var/d2i/cin}"
status=0
for script in bench/*.py; do
    name=$(basename "$script")
    case "$name" in common.py|_*) continue ;; esac
    echo "== $name"
    .venv/bin/python "$script" "$@" || status=1
done
exit $status
