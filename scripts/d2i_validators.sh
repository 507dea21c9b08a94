#!/usr/bin/env bash
# Data to Insight's validators, the outside oracle for our DfE rules and exports, each in a venv of its own
# (they pin pandas<2 and older numpy, which Line of Sight does not use): var/d2i/903 with csc-validator-be-903
# and var/d2i/cin with csc-validator-be-cin, at the versions in requirements-d2i-*.txt. Safe to run again: a
# venv is rebuilt only when its requirements change. Used by `make test` and bench/run.sh; prints nothing on
# stdout. The tests and benchmarks find them through D2I_903_VENV and D2I_VENV (scripts/test.sh sets both).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '==> %s\n' "$*" >&2; }
PYTHON="${PYTHON:-python3}"

build() {  # venv folder, requirements file, module to import
    local venv="$1" reqs="$2" module="$3"
    local want have
    want="$(sha256sum "$reqs" | cut -d' ' -f1)"
    have="$(cat "$venv/requirements.stamp" 2>/dev/null || true)"
    if [ "$want" = "$have" ] && "$venv/bin/python" -c "import $module" 2>/dev/null; then
        return 0
    fi
    say "Installing Data to Insight's validator into $venv from $reqs"
    rm -rf "$venv"
    "$PYTHON" -m venv "$venv"
    "$venv/bin/python" -m pip install --disable-pip-version-check --quiet -r "$reqs" >&2
    "$venv/bin/python" -c "import $module"
    printf '%s\n' "$want" > "$venv/requirements.stamp"
}

mkdir -p var/d2i
build var/d2i/903 requirements-d2i-903.txt lac_validator
build var/d2i/cin requirements-d2i-cin.txt cin_validator
