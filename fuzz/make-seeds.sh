#!/usr/bin/env bash
# Regenerate the seed corpora in fuzz/corpus/<target>/ (committed): builds
# fuzz/make_seeds.c with the library code and runs it.
# Usage: fuzz/make-seeds.sh [BUILD_DIR]   (fuzz objects go in BUILD_DIR/fuzz)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(mkdir -p "${1:-$top/build}" && cd "${1:-$top/build}" && pwd)
"$top/scripts/bootstrap" fuzz >/dev/null
make -s -C "$top/fuzz" O="$build/fuzz" seeds
find "$top/fuzz/corpus" -type f | sort | sed "s|^$top/||"
