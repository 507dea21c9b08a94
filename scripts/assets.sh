#!/usr/bin/env bash
# Install GOV.UK Frontend from the committed package-lock.json and copy its
# compiled CSS, JavaScript, fonts and images into static/govuk/ (not committed).
# The compiled CSS refers to /assets/...; we serve them from /static/govuk/assets/.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

SRC=node_modules/govuk-frontend/dist/govuk
DEST=static/govuk
want="$(sha256sum package-lock.json | cut -d' ' -f1)"

# node_modules is reinstalled when package-lock.json changed.
if [ "$(cat node_modules/.los-lock.stamp 2>/dev/null || true)" != "$want" ] || [ ! -f "$SRC/govuk-frontend.min.css" ]; then
    command -v npm >/dev/null 2>&1 || die "npm not found: install Node.js 18+ (on Debian: apt-get install nodejs npm)"
    say "Installing GOV.UK Frontend with npm ci"
    npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >&2
    printf '%s\n' "$want" > node_modules/.los-lock.stamp
fi

# static/govuk is recopied when node_modules changed or the copy is incomplete.
if [ "$(cat "$DEST/.stamp" 2>/dev/null || true)" != "$want" ] || [ ! -f "$DEST/govuk-frontend.min.css" ]; then
    say "Copying GOV.UK Frontend assets into $DEST"
    rm -rf "$DEST"
    mkdir -p "$DEST"
    cp -R "$SRC/assets" "$DEST/assets"
    # Rewrite url(/assets/...) so fonts and images resolve under STATIC_URL.
    sed -e 's#url(/assets/#url(/static/govuk/assets/#g' \
        -e 's#url("/assets/#url("/static/govuk/assets/#g' \
        -e "s#url('/assets/#url('/static/govuk/assets/#g" \
        -e 's#/\*\# sourceMappingURL=[^*]*\*/##' \
        "$SRC/govuk-frontend.min.css" > "$DEST/govuk-frontend.min.css"
    sed -e 's#//\# sourceMappingURL=[^ ]*$##' "$SRC/govuk-frontend.min.js" > "$DEST/govuk-frontend.min.js"
    if grep -q 'url(/assets/' "$DEST/govuk-frontend.min.css"; then
        die "GOV.UK Frontend CSS still refers to /assets/ after rewriting"
    fi
    printf '%s\n' "$want" > "$DEST/.stamp"
else
    say "GOV.UK Frontend assets up to date"
fi
