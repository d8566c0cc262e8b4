#!/usr/bin/env bash
# The workflow over the demo content, run on a scratch copy so the repository stays clean.
# Usage: ./demo.sh [DIR]   (default: ./demo-run)
set -u
command -v translate >/dev/null || { echo "demo.sh: the translate command is not installed; run: pip install -e ." >&2; exit 1; }
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-"$here/demo-run"}
rm -rf "$dir" && mkdir -p "$dir"
cp -r "$here/content" "$here/po" "$here/glossary.yaml" "$here/pyproject.toml" "$dir/"
rm -rf "$dir/content/en"   # so that publish shows what it writes
export LIBRETRANSLATE_URL=${LIBRETRANSLATE_URL:-http://127.0.0.1:5000/}

step() { printf '\n\033[1m$ translate %s\033[0m\n' "$*"; translate -C "$dir" "$@"; echo "(exit code $?)"; }

step status
step extract
step draft
step review list --article ulthera-before-after-care --state draft
step publish
step status
printf '\nThe published English page: %s/content/en/emface-lifting.md\n' "$dir"
