#!/usr/bin/env bash
# Every tests/scenario/*.scn against the real daemon over vfio-user: start
# umdevd in a private runtime directory, create one device per scenario
# with umdevctl, run umdev-scenario --socket on it, stop it.
# Prints TAP.  Usage: tests/e2e/run-scenarios-umdevd.sh BUILD_DIR
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
umdevd="$build/src/daemon/umdevd"
umdevctl="$build/src/cli/umdevctl"
scenario="$build/tests/scenario/umdev-scenario"
n=0

tap() { # ok|fail NAME
	n=$((n + 1))
	if [ "$1" = ok ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}

for exe in "$umdevd" "$umdevctl" "$scenario"; do
	if [ ! -x "$exe" ]; then
		tap fail "$(basename "$exe") is built"
		echo "1..$n"
		exit 1
	fi
done

rt=$(mktemp -d /tmp/umdev-scn.XXXXXX)
"$umdevd" --runtime-dir "$rt" --quiet >"$rt/umdevd.log" 2>&1 &
daemon=$!
cleanup() {
	kill "$daemon" 2>/dev/null
	wait "$daemon" 2>/dev/null
	rm -rf "$rt"
}
trap cleanup EXIT

# Wait for the control socket: umdevctl answers once umdevd is ready.
for _ in $(seq 1 100); do
	"$umdevctl" --runtime-dir "$rt" types >/dev/null 2>&1 && break
	kill -0 "$daemon" 2>/dev/null || break
	sleep 0.05
done
if "$umdevctl" --runtime-dir "$rt" types >/dev/null 2>&1; then
	tap ok "umdevd is up"
else
	tap fail "umdevd is up"
	sed 's/^/# /' "$rt/umdevd.log" | tail -20
	echo "1..$n"
	exit 1
fi

for f in "$top"/tests/scenario/*.scn; do
	name=$(basename "$f" .scn)
	type=$(sed -n 's/^type[ \t]*\(mtty-[12]\).*/\1/p' "$f")
	[ -n "$type" ] || type=mtty-2
	uuid=$(cat /proc/sys/kernel/random/uuid)
	if ! "$umdevctl" --runtime-dir "$rt" start -u "$uuid" -p mtty \
		-t "$type" >"$rt/start.log" 2>&1; then
		tap fail "umdevd: scenario $name (start $type)"
		sed 's/^/# /' "$rt/start.log"
		continue
	fi
	"$scenario" --socket "$rt/$uuid.sock" "$f" >"$rt/out.log" 2>&1
	rc=$?
	grep -E '^# FAIL|^not ok' "$rt/out.log" | sed 's/^/# /'
	if [ $rc -eq 0 ]; then
		tap ok "umdevd: scenario $name"
	else
		tap fail "umdevd: scenario $name (exit $rc)"
	fi
	if ! "$umdevctl" --runtime-dir "$rt" stop -u "$uuid" >"$rt/stop.log" 2>&1; then
		tap fail "umdevd: stop after $name"
		sed 's/^/# /' "$rt/stop.log"
	fi
done

if kill -0 "$daemon" 2>/dev/null; then
	tap ok "umdevd still running after every scenario"
else
	tap fail "umdevd still running after every scenario"
	sed 's/^/# /' "$rt/umdevd.log" | tail -20
fi
echo "1..$n"
