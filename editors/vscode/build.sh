#!/usr/bin/env bash
# Packages the VS Code extension into a .vsix: the npm packages exactly as package-lock.json pins
# them (npm ci; the npm registry is all it reaches), then vsce package. The same sources give the
# same bytes: the archive's dates are SOURCE_DATE_EPOCH (by default the time of the last commit
# that touched this folder), taken in UTC, and its entries sorted.
#
#   editors/vscode/build.sh [OUTDIR]   writes OUTDIR/impactdsl-VERSION.vsix (default OUTDIR: build/vscode
#                                      at the top of the checkout, which git ignores)
#
# It also leaves editors/vscode/node_modules in place, with the TextMate engine that
# tests/test_vscode_grammar.py runs the grammar with: run this before the tests (.ci/run does).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/../../build/vscode}"
command -v npm >/dev/null 2>&1 || { echo "build.sh: npm (Node.js 20 or later) is needed" >&2; exit 1; }
mkdir -p "$out"
out="$(cd "$out" && pwd)"
cd "$here"
npm ci --no-audit --no-fund --loglevel=error
version="$(node -p 'require("./package.json").version')"
epoch="$(git log -1 --format=%ct -- . 2>/dev/null || true)"
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-${epoch:-315532800}}" TZ=UTC
vsix="$out/impactdsl-$version.vsix"
npx --no-install vsce package --skip-license --allow-missing-repository --out "$vsix"
echo "$vsix ($(wc -c <"$vsix") bytes)"
