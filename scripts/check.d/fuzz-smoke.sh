#!/usr/bin/env bash
# make check, extra suite: build the libFuzzer targets (fuzz/) with clang
# and fuzz each one briefly from its seed corpus.  Any crash, leak or
# sanitizer report fails.  Prints TAP; appends "PASS FAIL" to
# $UMDEV_TOTALS.
# Usage: scripts/check.d/fuzz-smoke.sh BUILD_DIR
#   FUZZ_SMOKE_SECONDS  per target (default 25; 7 targets)
#   FUZZ_SEED           libFuzzer seed (default 1: the same mutations every
#                       run, so a CI result is reproducible; `make fuzz`
#                       explores with a new seed each time)
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$(mkdir -p "${1:-$top/build}" && cd "${1:-$top/build}" && pwd)
seconds=${FUZZ_SMOKE_SECONDS:-25}
out="$build/fuzz"
totals=${UMDEV_TOTALS:-/dev/null}
targets="fuzz_dispatch fuzz_version fuzz_set_irqs fuzz_migration fuzz_mig_commands fuzz_control fuzz_client_reply"
nt=$(echo $targets | wc -w)

report() { echo "$1 $2" >>"$totals"; }

if ! "$top/scripts/bootstrap" fuzz >/dev/null ||
	! make -s -C "$top/fuzz" O="$out" -j"$(nproc)" >"$build/fuzz-build.log" 2>&1; then
	echo "not ok 1 - fuzz: build the fuzz targets (log: $build/fuzz-build.log)"
	tail -20 "$build/fuzz-build.log" | sed 's/^/# /'
	report 0 "$nt"
	exit 1
fi

result=$(FUZZ_SEED=${FUZZ_SEED:-1} "$top/fuzz/run-fuzzers.sh" "$out" "$seconds" $targets)
status=$?
echo "$result"
pass=$(echo "$result" | grep -cE '^ok [0-9]+')
# A target that reported nothing (runner killed) counts as failed.
fail=$((nt - pass))
printf '%-48s %4d passed %4d failed\n' "fuzz smoke (${seconds}s each)" "$pass" "$fail"
report "$pass" "$fail"
[ "$status" -eq 0 ] && [ "$fail" -eq 0 ]
