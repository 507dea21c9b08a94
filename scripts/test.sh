#!/usr/bin/env bash
# What `make test` runs: set everything up, lint, then run every test on SQLite
# and on PostgreSQL. PostgreSQL comes from $TEST_POSTGRES_URL when given, or else
# scripts/local_postgres.sh starts a throwaway local one (installing it if need be)
# and stops it again at the end. Extra arguments go to both pytest runs.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\n==> %s\n' "$*"; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

START=$SECONDS
export LOS_INSECURE_LOCAL=1
export DJANGO_ALLOW_ASYNC_UNSAFE=true
export PYTHONDONTWRITEBYTECODE=1
unset DJANGO_DEBUG  # tests run with production-like DEBUG=False

scripts/setup.sh
# Data to Insight's validators, which the export tests check our returns against (issue 17 point 6).
scripts/d2i_validators.sh
export D2I_903_VENV="$PWD/var/d2i/903" D2I_VENV="$PWD/var/d2i/cin"

# Browser tests drive Debian's Chromium; Playwright never downloads its own.
CHROMIUM="${LOS_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ]; then
    if [ "$(id -u)" -eq 0 ]; then
        say "Installing Chromium from Debian with apt-get"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -q
        apt-get install -y -q --no-install-recommends chromium fonts-liberation
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        say "Installing Chromium from Debian with sudo apt-get"
        sudo -n env DEBIAN_FRONTEND=noninteractive apt-get update -q
        sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium fonts-liberation
    else
        die "Chromium is not installed at $CHROMIUM. Install Debian's chromium package (sudo apt-get install chromium) and run make test again."
    fi
    [ -x "$CHROMIUM" ] || die "Chromium was installed but $CHROMIUM is missing"
fi
export LOS_CHROMIUM="$CHROMIUM"

mkdir -p var/test-results
rm -f var/test-results/*.xml

say "Lint: ruff check ."
lint_rc=0
.venv/bin/ruff check . || lint_rc=$?
say "Lint: ruff format --check ."
.venv/bin/ruff format --check . || lint_rc=$?
say "Types: mypy on the domain apps"
.venv/bin/mypy || lint_rc=$?  # the domain apps, as pyproject.toml lists them

# With DEBUG off, WhiteNoise serves static files from STATIC_ROOT (var/static).
say "Collecting static files into var/static"
.venv/bin/python manage.py collectstatic --noinput --verbosity 0

run_pytest() {  # name, database URL, extra pytest args...
    local name="$1" url="$2"
    shift 2
    say "Tests on $name"
    local rc=0
    DATABASE_URL="$url" .venv/bin/python -m pytest -q -rfEs \
        --junitxml="var/test-results/$name.xml" -o junit_suite_name="$name" "$@" || rc=$?
    return "$rc"
}

PG_STARTED_HERE=0
cleanup() {
    if [ "$PG_STARTED_HERE" = 1 ]; then
        scripts/local_postgres.sh stop || true
    fi
}
trap cleanup EXIT

sqlite_start=$SECONDS
sqlite_rc=0
run_pytest sqlite "sqlite:///var/test.sqlite3" "$@" || sqlite_rc=$?
sqlite_secs=$((SECONDS - sqlite_start))

pg_start=$SECONDS
pg_rc=0
if [ -n "${TEST_POSTGRES_URL:-}" ]; then
    PG_URL="$TEST_POSTGRES_URL"
else
    scripts/local_postgres.sh status >/dev/null 2>&1 || PG_STARTED_HERE=1
    PG_URL="$(scripts/local_postgres.sh)" || die "could not start a local PostgreSQL"
fi
run_pytest postgresql "$PG_URL" "$@" || pg_rc=$?
pg_secs=$((SECONDS - pg_start))

# Summary from the JUnit XML files: a run that ran no test is a failure.
say "Summary"
status=0
summarise() {  # name rc seconds
    .venv/bin/python - "$@" <<'PY'
import sys
import xml.etree.ElementTree as ET

name, rc, secs = sys.argv[1], int(sys.argv[2]), sys.argv[3]
try:
    root = ET.parse(f"var/test-results/{name}.xml").getroot()
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    total = sum(int(s.get("tests", 0)) for s in suites)
    failed = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
    skipped = sum(int(s.get("skipped", 0)) for s in suites)
except (OSError, ET.ParseError):
    total = failed = skipped = 0
passed = total - failed - skipped
ok = rc == 0 and passed > 0
verdict = "OK" if ok else ("FAILED: no test ran" if rc in (0, 5) and passed == 0 else f"FAILED (pytest exit {rc})")
print(f"  {name:<11} {passed:>5} passed, {failed:>3} failed or errored, {skipped:>3} skipped in {secs:>4}s  {verdict}")
sys.exit(0 if ok else 1)
PY
}
summarise sqlite "$sqlite_rc" "$sqlite_secs" || status=1
summarise postgresql "$pg_rc" "$pg_secs" || status=1
if [ "$lint_rc" -eq 0 ]; then
    echo "  lint        ruff check, ruff format and mypy: no problems"
else
    echo "  lint        FAILED: ruff check, ruff format or mypy (see above)"
    status=1
fi
echo "  total time  $((SECONDS - START))s"
if [ "$status" -eq 0 ]; then
    echo "ALL TESTS PASSED on SQLite and PostgreSQL"
else
    echo "TESTS FAILED"
fi
exit "$status"
