#!/usr/bin/env bash
# Run each fuzz target for SECONDS, starting from its committed seed corpus
# (fuzz/corpus/<target>/, read only) plus what earlier runs found (kept in
# OUT_DIR/corpus/<target>/).  Prints one TAP line per target; a crash,
# leak, timeout or sanitizer report is a failure, its reproducer is kept in
# OUT_DIR/artifacts/<target>/ and the log in OUT_DIR/logs/<target>.log.
# Usage: fuzz/run-fuzzers.sh OUT_DIR SECONDS TARGET...
#   FUZZ_SEED  libFuzzer's random seed (default: a new one each run)
# Exit status: 0 if every target passed.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=$1
seconds=$2
shift 2
mkdir -p "$out/logs"
n=0
failed=0
for t in "$@"; do
	n=$((n + 1))
	mkdir -p "$out/corpus/$t" "$out/artifacts/$t"
	log="$out/logs/$t.log"
	# -close_fd_mask=2: the server's per-message log lines would swamp
	# the run; libFuzzer still prints its own and the sanitizers' reports.
	timeout -k 10 $((seconds + 120)) "$out/$t" \
		-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-max_len=4096 -close_fd_mask=2 -print_final_stats=1 \
		${FUZZ_SEED:+-seed="$FUZZ_SEED"} \
		-artifact_prefix="$out/artifacts/$t/" \
		"$out/corpus/$t" "$top/fuzz/corpus/$t" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	if [ "$rc" -eq 0 ] && [ -n "$runs" ] &&
		! grep -qE 'ERROR: (libFuzzer|AddressSanitizer|LeakSanitizer)|runtime error:|FUZZ:' "$log"; then
		echo "ok $n - $t: ${runs} runs in ${seconds}s, no crash, leak or sanitizer report"
	else
		failed=$((failed + 1))
		echo "not ok $n - $t (exit $rc; log: $log)"
		grep -E 'ERROR|runtime error|FUZZ:|SUMMARY|Test unit written' "$log" |
			head -20 | sed 's/^/# /'
	fi
done
echo "1..$n"
[ "$failed" -eq 0 ]
