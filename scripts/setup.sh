#!/usr/bin/env bash
# Prepare a checkout: Python virtual environment with the pinned packages, and
# the GOV.UK Frontend assets. Safe to run again: it only reinstalls what changed.
# Used by `make run`, `make test` and `make setup`.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

PYTHON="${PYTHON:-python3}"
command -v "$PYTHON" >/dev/null 2>&1 || die "$PYTHON not found. Line of Sight needs Python 3.11 or newer."

version_ok() {
    "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null
}
version_ok "$PYTHON" || die "Line of Sight needs Python 3.11 or newer; $PYTHON is $("$PYTHON" -V 2>&1). Install Python 3.11+ or run: make PYTHON=/path/to/python3.11 ..."

# A virtual environment made by an older Python (or a broken one) is rebuilt.
if [ -x .venv/bin/python ] && ! version_ok .venv/bin/python; then
    say "Rebuilding .venv: it was made with $(.venv/bin/python -V 2>&1)"
    rm -rf .venv
fi
if [ ! -x .venv/bin/python ]; then
    say "Creating virtual environment .venv with $("$PYTHON" -V 2>&1)"
    if ! "$PYTHON" -m venv .venv; then
        rm -rf .venv
        # Debian splits venv (ensurepip) into its own package.
        if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
            say "Installing python3-venv with apt-get"
            pyver="$("$PYTHON" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
            export DEBIAN_FRONTEND=noninteractive
            apt-get update -q >&2
            apt-get install -y -q --no-install-recommends "python$pyver-venv" >&2 \
                || apt-get install -y -q --no-install-recommends python3-venv >&2
            "$PYTHON" -m venv .venv || die "could not create .venv"
        else
            die "could not create .venv (on Debian: sudo apt-get install python3-venv)"
        fi
    fi
fi

# Reinstall only when requirements*.txt changed since the last successful install.
STAMP=.venv/requirements.stamp
want="$(cat requirements.txt requirements-dev.txt | sha256sum | cut -d' ' -f1)"
have="$(cat "$STAMP" 2>/dev/null || true)"
if [ "$want" != "$have" ]; then
    say "Installing Python packages from requirements-dev.txt"
    .venv/bin/python -m pip install --disable-pip-version-check --quiet -r requirements-dev.txt
    printf '%s\n' "$want" > "$STAMP"
else
    say "Python packages up to date"
fi

scripts/assets.sh
