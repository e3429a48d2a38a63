#!/usr/bin/env bash
# Debian's real mdevctl (1.2.0) manages umdevd through `umdevd --sysfs`,
# end to end, reading only mdevctl's own output and exit statuses; and
# umdevctl's output is compared byte for byte with mdevctl's on the same
# devices.  Then the restarts: kill -9 under load, definitions intact,
# auto devices back; a malformed definition skipped and left alone; one
# UUID defined on two parents.
#
# mdevctl cannot be pointed at another root, so everything runs in a
# private mount namespace (unshare -m): the FUSE tree is bind-mounted over
# /sys and a scratch directory over /etc/mdevctl.d there, and the machine's
# own /sys and /etc/mdevctl.d are never touched.  Needs root, /dev/fuse and
# mdevctl (scripts/bootstrap mgmt).  Prints TAP.  $1 = build dir.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)

if [ "${UMDEV_MDEVCTL_NS:-}" != 1 ]; then
	why=
	[ "$(id -u)" -eq 0 ] || why="not root"
	# Debian's mdevctl: installed (only if missing) as the other suites
	# install what they need.
	if [ -z "$why" ] && ! command -v mdevctl >/dev/null; then
		"$top/scripts/bootstrap" mgmt >/tmp/umdev-bootstrap-mgmt.log 2>&1
	fi
	[ -c /dev/fuse ] || why="${why:+$why, }no /dev/fuse"
	command -v mdevctl >/dev/null || why="${why:+$why, }no mdevctl (scripts/bootstrap mgmt)"
	command -v unshare >/dev/null || why="${why:+$why, }no unshare"
	if [ -n "$why" ]; then
		echo "not ok 1 - mdevctl end-to-end cannot run: $why"
		exit 1
	fi
	UMDEV_MDEVCTL_NS=1 exec unshare -m --propagation private \
		bash "$0" "$build"
fi

tmp=$(mktemp -d /tmp/umdev-mdevctl.XXXXXX)
sys=$tmp/sys etc=$tmp/etc run=$tmp/run
mkdir -p "$sys" "$etc/scripts.d/callouts" "$etc/scripts.d/notifiers" "$run"
umdevd=$build/src/daemon/umdevd
umdevctl=$build/src/cli/umdevctl
demo=$build/src/cli/umdev-demo-client
daemon=
loader=
n=0
failed=0

U1=8a4b1f3e-0c2d-4e5f-9a6b-7c8d9e0f1a2b
U2=1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9
U3=c0ffee00-1234-4abc-8def-0123456789ab
U4=4d4d4d4d-0000-4000-8000-000000000004
U5=5e5e5e5e-0000-4000-8000-000000000005
U6=6f6f6f6f-0000-4000-8000-000000000006
U7=7a7a7a7a-0000-4000-8000-000000000007
U8=8b8b8b8b-0000-4000-8000-000000000008

cleanup() {
	[ -n "$loader" ] && kill "$loader" 2>/dev/null && wait "$loader" 2>/dev/null
	if [ -n "$daemon" ] && kill -0 "$daemon" 2>/dev/null; then
		kill -TERM "$daemon"
		wait "$daemon" 2>/dev/null
	fi
	umount -l /sys /etc/mdevctl.d "$sys" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

ok() { # ok STATUS NAME [DIAGNOSTIC FILE...]
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
		return
	fi
	echo "not ok $n - $2"
	failed=$((failed + 1))
	shift 2
	for f in "$@"; do
		[ -f "$f" ] && sed "s|^|# $(basename "$f"): |" "$f" | tail -25
	done
}

ctl() { "$umdevctl" --runtime-dir "$run" "$@"; }

# Start umdevd and (again) bind its tree over /sys: after a kill -9 the
# old binding points at a dead FUSE connection.
start_daemon() {
	: >"$tmp/ready"
	"$umdevd" --runtime-dir "$run" --config-dir "$etc" --sysfs "$sys" \
		>"$tmp/ready" 2>>"$tmp/umdevd.log" &
	daemon=$!
	for _ in $(seq 200); do
		grep -q "umdevd: ready" "$tmp/ready" && break
		kill -0 "$daemon" 2>/dev/null || break
		sleep 0.05
	done
	grep -q "umdevd: ready" "$tmp/ready" || return 1
	umount -l /sys 2>/dev/null
	mount --bind "$sys" /sys
}

# expect NAME FILE TEXT: FILE holds exactly TEXT (printf format).
expect() {
	# shellcheck disable=SC2059
	printf "$3" >"$tmp/expected"
	cmp -s "$tmp/expected" "$2"
	ok $? "$1" "$tmp/expected" "$2"
}

# same ARGS...: mdevctl ARGS and umdevctl ARGS print the same bytes and
# agree on success.
same() {
	mdevctl "$@" >"$tmp/mdevctl.out" 2>"$tmp/mdevctl.err"
	local rm=$?
	ctl "$@" >"$tmp/umdevctl.out" 2>"$tmp/umdevctl.err"
	local ru=$?
	cmp -s "$tmp/mdevctl.out" "$tmp/umdevctl.out" &&
		[ $((rm == 0)) -eq $((ru == 0)) ]
	ok $? "same output as mdevctl: $* (exit $rm / $ru)" \
		"$tmp/mdevctl.out" "$tmp/umdevctl.out" "$tmp/mdevctl.err" \
		"$tmp/umdevctl.err"
}

same_all() {
	same types
	same types -p mtty
	same types -p nope
	same types --dumpjson
	same list
	same list -v
	same list --dumpjson
	same list -d
	same list -dv
	same list -d --dumpjson
	same list -p mtty
	same list -p nope
	same list -u "$U1" --dumpjson
	same list -d -u "$U1" --dumpjson
	same list -d -u "$U2"
	same list -u "$U5" --dumpjson
}

mount --bind "$etc" /etc/mdevctl.d
start_daemon
ok $? "umdevd --sysfs $sys starts" "$tmp/umdevd.log"

# ---- types ----
mdevctl types >"$tmp/out" 2>"$tmp/err"
expect "mdevctl types: mtty-1 24 instances, mtty-2 12" "$tmp/out" \
'mtty\n  mtty-1\n    Available instances: 24\n    Device API: vfio-pci\n    Name: Single port serial\n  mtty-2\n    Available instances: 12\n    Device API: vfio-pci\n    Name: Dual port serial\n\n'
same_all

# ---- start, list, a client ----
mdevctl start -p mtty -t mtty-2 -u "$U1" 2>"$tmp/err"
ok $? "mdevctl start -p mtty -t mtty-2 -u U1" "$tmp/err"
[ -L "/sys/bus/mdev/devices/$U1" ] && [ -S "$run/$U1.sock" ]
ok $? "U1 is in bus/mdev/devices and served on its socket"
mdevctl list >"$tmp/out"
expect "mdevctl list" "$tmp/out" "$U1 mtty mtty-2 manual\n\n"
mdevctl list --dumpjson >"$tmp/out"
expect "mdevctl list --dumpjson" "$tmp/out" \
"[\n  {\n    \"mtty\": [\n      {\n        \"$U1\": {\n          \"mdev_type\": \"mtty-2\",\n          \"start\": \"manual\",\n          \"attrs\": []\n        }\n      }\n    ]\n  }\n]\n"
"$demo" "$run/$U1.sock" >"$tmp/out" 2>&1 && grep -q "every byte came back" "$tmp/out"
ok $? "a vfio-user client on U1's socket loops bytes through both ports" "$tmp/out"
mdevctl start -p mtty -t mtty-2 -u "$U1" 2>"$tmp/err"
[ $? -ne 0 ] && grep -q "Device already exists" "$tmp/err"
ok $? "mdevctl start of a running UUID: Device already exists" "$tmp/err"

# ---- definitions, both ways ----
mdevctl define -u "$U1" 2>"$tmp/err" && [ -f "$etc/mtty/$U1" ]
ok $? "mdevctl define -u U1 (running) writes $etc/mtty/U1" "$tmp/err"
ctl list -d >"$tmp/out" 2>&1
expect "umdevd knows mdevctl's definition at once" "$tmp/out" \
	"$U1 mtty mtty-2 manual (active)\n\n"
mdevctl modify -u "$U1" --addattr foo --value bar 2>"$tmp/err"
ok $? "mdevctl modify --addattr foo --value bar" "$tmp/err"
mdevctl list --defined -v >"$tmp/out"
expect "mdevctl list --defined -v shows the attribute" "$tmp/out" \
	"$U1 mtty mtty-2 manual (active)\n  Attrs:\n    @{0}: {\"foo\":\"bar\"}\n\n"
ctl define -u "$U2" -p mtty -t mtty-1 --auto 2>"$tmp/err"
ok $? "umdevctl define -u U2 -p mtty -t mtty-1 --auto" "$tmp/err"
mdevctl define -u "$U4" -p mtty -t mtty-1 --auto 2>"$tmp/err"
cmp "$etc/mtty/$U2" "$etc/mtty/$U4" >"$tmp/cmp" 2>&1
ok $? "umdevd writes a definition byte for byte as mdevctl does" "$tmp/cmp"
mdevctl undefine -u "$U4" 2>"$tmp/err" && [ ! -e "$etc/mtty/$U4" ]
ok $? "mdevctl undefine -u U4" "$tmp/err"
mdevctl list -d >"$tmp/out"
expect "mdevctl list -d: umdevd's definition too" "$tmp/out" \
	"$U2 mtty mtty-1 auto\n$U1 mtty mtty-2 manual (active)\n\n"
same_all

# ---- stop, start-parent-mdevs ----
mdevctl stop -u "$U1" 2>"$tmp/err" && [ ! -e "/sys/bus/mdev/devices/$U1" ] &&
	[ ! -e "$run/$U1.sock" ]
ok $? "mdevctl stop -u U1: gone from the tree and its socket removed" "$tmp/err"
mdevctl list >"$tmp/out"
expect "mdevctl list: empty" "$tmp/out" "\n"
mdevctl start-parent-mdevs mtty 2>"$tmp/err"
ok $? "mdevctl start-parent-mdevs mtty" "$tmp/err"
mdevctl list >"$tmp/out"
expect "the auto definition U2 runs, the manual U1 does not" "$tmp/out" \
	"$U2 mtty mtty-1 auto (defined)\n\n"
ctl start-parent-mdevs mtty 2>"$tmp/err"
ok $? "umdevctl start-parent-mdevs mtty: nothing more to start, no error" "$tmp/err"
mdevctl start -u "$U1" 2>"$tmp/err"
[ $? -ne 0 ] && grep -q "foo" "$tmp/err" && [ ! -e "/sys/bus/mdev/devices/$U1" ]
ok $? "mdevctl start -u U1: mtty has no attribute foo, the device is removed again" "$tmp/err"
same_all

# ---- bad writes get the kernel's errnos ----
( printf %s "$U2" >"/sys/class/mdev_bus/mtty/mdev_supported_types/mtty-1/create" ) 2>"$tmp/err"
grep -q "File exists" "$tmp/err"
ok $? "create with a running UUID: EEXIST" "$tmp/err"
( printf %s "not-a-uuid" >"/sys/class/mdev_bus/mtty/mdev_supported_types/mtty-1/create" ) 2>"$tmp/err"
grep -q "Invalid argument" "$tmp/err"
ok $? "create with a malformed UUID: EINVAL" "$tmp/err"
( printf %s "yes" >"/sys/bus/mdev/devices/$U2/remove" ) 2>"$tmp/err"
grep -q "Invalid argument" "$tmp/err" && [ -e "/sys/bus/mdev/devices/$U2" ]
ok $? "remove with 'yes': EINVAL, the device stays" "$tmp/err"
( printf %s "0" >"/sys/bus/mdev/devices/$U2/nosuchattr" ) 2>"$tmp/err"
[ -s "$tmp/err" ] && [ -e "/sys/bus/mdev/devices/$U2" ]
ok $? "an unknown attribute cannot be written" "$tmp/err"

# ---- capacity: 24 ports ----
i=0
for i in $(seq 11); do
	mdevctl start -p mtty -t mtty-2 -u "00000000-0000-4000-8000-0000000002$(printf %02d "$i")" || break
done
ok $? "mdevctl starts 11 mtty-2 (22 ports; U2 has one more)"
mdevctl start -p mtty -t mtty-2 2>"$tmp/err"
[ $? -ne 0 ] && grep -q "No available instances" "$tmp/err"
ok $? "mdevctl start of a 12th mtty-2 is refused: No available instances" "$tmp/err"
same types
mdevctl start -p mtty -t mtty-1 -u "$U3" 2>"$tmp/err"
ok $? "the 24th port as mtty-1" "$tmp/err"
mdevctl start -p mtty -t mtty-1 2>"$tmp/err"
[ $? -ne 0 ] && grep -q "No available instances" "$tmp/err"
ok $? "mdevctl start with the 24 ports used is refused" "$tmp/err"
ctl start -p mtty -t mtty-1 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "available" "$tmp/err"
ok $? "umdevctl start refused the same way, naming it" "$tmp/err"
same_all
for i in $(seq 11); do
	mdevctl stop -u "00000000-0000-4000-8000-0000000002$(printf %02d "$i")"
done
mdevctl stop -u "$U3"
mdevctl undefine -u "$U2" 2>"$tmp/err" && [ ! -e "$etc/mtty/$U2" ] &&
	[ -e "/sys/bus/mdev/devices/$U2" ]
ok $? "mdevctl undefine -u U2: definition gone, the running device stays" "$tmp/err"
mdevctl stop -u "$U2"

# ---- remove blocks while a client holds the device, as the kernel's ----
mdevctl start -p mtty -t mtty-2 -u "$U3" 2>"$tmp/err"
# The holder is a VMM that ignores REQ: connected, never letting go
# (umdevctl console would leave at once on REQ).
python3 -c 'import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); time.sleep(600)' \
	"$run/$U3.sock" &
holder=$!
keeper=$holder
for _ in $(seq 200); do
	ctl info -u "$U3" 2>/dev/null | grep -q "a client is attached" && break
	sleep 0.05
done
ctl info -u "$U3" >"$tmp/out" 2>&1 && grep -q "a client is attached" "$tmp/out"
ok $? "umdevctl info works while a client holds U3" "$tmp/out"
mdevctl stop -u "$U3" 2>"$tmp/stop.err" &
stopper=$!
for _ in $(seq 200); do
	grep -q "device $U3: stop: client attached: asked it" "$tmp/umdevd.log" && break
	sleep 0.05
done
grep -q "device $U3: stop: client attached: asked it" "$tmp/umdevd.log" &&
	kill -0 "$stopper" 2>/dev/null && [ -e "/sys/bus/mdev/devices/$U3" ]
ok $? "mdevctl stop of a held device waits (its write to remove blocks)" "$tmp/umdevd.log"
ctl stop -u "$U3" --force 2>"$tmp/err"
ok $? "umdevctl stop --force disconnects the client" "$tmp/err"
wait "$stopper"
ok $? "and mdevctl stop returns 0 (the device is gone)" "$tmp/stop.err"
[ ! -e "/sys/bus/mdev/devices/$U3" ]
ok $? "U3 is gone from the tree"
kill "$keeper" 2>/dev/null
wait "$keeper" "$holder" 2>/dev/null

# ---- restarts ----
printf '{"mdev_type": "mtty-1", "start": "auto", "attrs": [' >"$etc/mtty/$U5"
cp "$etc/mtty/$U5" "$tmp/malformed"
ctl define -u "$U6" -p mtty -t mtty-2 --auto 2>"$tmp/err" &&
	ctl define -u "$U7" -p mtty -t mtty-1 2>>"$tmp/err" &&
	ctl start -u "$U6" 2>>"$tmp/err"
ok $? "umdevctl define U6 (auto, running) and U7 (manual)" "$tmp/err"
cp "$etc/mtty/$U6" "$tmp/U6.before"
# Load: definitions rewritten and a client looping bytes, then kill -9.
(
	while :; do
		ctl modify -u "$U7" --addattr a --value "x" >/dev/null 2>&1
		ctl modify -u "$U7" --delattr >/dev/null 2>&1
	done
) &
loader=$!
"$demo" "$run/$U6.sock" >/dev/null 2>&1 &
client=$!
sleep 1
kill -9 "$daemon"
wait "$daemon" 2>/dev/null
kill "$loader"
wait "$loader" 2>/dev/null
loader=
wait "$client" 2>/dev/null
[ -S "$run/$U6.sock" ]
ok $? "after kill -9: U6's socket is left behind"
start_daemon
ok $? "umdevd starts again over the stale mount and sockets" "$tmp/umdevd.log"
cmp -s "$etc/mtty/$U6" "$tmp/U6.before"
ok $? "U6's definition byte for byte as before"
ctl list -d -u "$U7" --dumpjson >"$tmp/out" 2>"$tmp/err" &&
	grep -q '"mdev_type": "mtty-1"' "$tmp/out" &&
	! ls -A "$etc/mtty" | grep -q '^\.'
ok $? "U7's definition, rewritten under load, is whole; no temporary file left" "$tmp/out" "$tmp/err"
mdevctl list >"$tmp/out"
expect "the auto definition U6 is running again" "$tmp/out" \
	"$U6 mtty mtty-2 auto (defined)\n\n"
"$demo" "$run/$U6.sock" >"$tmp/out" 2>&1
ok $? "and serves a client" "$tmp/out"
cmp -s "$etc/mtty/$U5" "$tmp/malformed" &&
	grep -q "definition $etc/mtty/$U5 skipped" "$tmp/umdevd.log"
ok $? "the malformed definition is reported by name and left as it is" "$tmp/umdevd.log"
# A deliberate difference: mdevctl refuses the whole listing.
ctl list -d >"$tmp/out" 2>"$tmp/err" && grep -q "$U6 mtty mtty-2 auto" "$tmp/out"
ok $? "umdevctl list -d lists the other definitions (mdevctl stops at it)" "$tmp/out" "$tmp/err"
n_reported=$(grep -c "definition $etc/mtty/$U5 skipped" "$tmp/umdevd.log")
ctl list -d >/dev/null; ctl list -d >/dev/null
[ "$(grep -c "definition $etc/mtty/$U5 skipped" "$tmp/umdevd.log")" -eq "$n_reported" ]
ok $? "and reported once, not at every read"
rm -f "$etc/mtty/$U5"

# ---- one UUID on two parents ----
mkdir -p "$etc/other"
ctl define -u "$U8" -p mtty -t mtty-1 2>"$tmp/err" &&
	ctl define -u "$U8" -p other -t other-1 2>>"$tmp/err"
ok $? "umdevctl defines U8 on two parents" "$tmp/err"
same list -d
mdevctl start -u "$U8" 2>"$tmp/m.err"; rm_=$?
ctl start -u "$U8" 2>"$tmp/u.err"; ru=$?
[ $rm_ -ne 0 ] && [ $ru -eq 1 ] && grep -q "several parents" "$tmp/u.err"
ok $? "start -u U8 without a parent: refused by both (ambiguous)" "$tmp/m.err" "$tmp/u.err"
ctl start -u "$U8" -p mtty 2>"$tmp/err" && [ -e "/sys/bus/mdev/devices/$U8" ]
ok $? "umdevctl start -u U8 -p mtty" "$tmp/err"
same list
same list -d
# Both auto, then a restart: the registered parent's definition starts,
# the other waits for its parent; nothing is reported as failed.
ctl stop -u "$U8" 2>"$tmp/err" &&
	ctl modify -u "$U8" -p mtty --auto 2>>"$tmp/err" &&
	ctl modify -u "$U8" -p other --auto 2>>"$tmp/err"
ok $? "both definitions of U8 made auto" "$tmp/err"
kill -TERM "$daemon"
wait "$daemon"
start_daemon
ok $? "umdevd restarts" "$tmp/umdevd.log"
mdevctl list >"$tmp/out"
expect "U8 runs on mtty after the restart (and U6, auto too)" "$tmp/out" \
	"$U6 mtty mtty-2 auto (defined)\n$U8 mtty mtty-1 auto (defined)\n\n"
! grep -q "device $U8: autostart: .*not started" "$tmp/umdevd.log"
ok $? "no failure reported for the other parent's definition" "$tmp/umdevd.log"
same list
same list -d
ctl stop -u "$U8" 2>"$tmp/err"
ctl undefine -u "$U8" 2>"$tmp/err" && [ ! -e "$etc/mtty/$U8" ] &&
	[ ! -e "$etc/other/$U8" ]
ok $? "umdevctl undefine -u U8: both definitions, as mdevctl" "$tmp/err"

# ---- a parent registering later (load-driver): its auto definitions ----
U9=9c9c9c9c-0000-4000-8000-000000000009
cc=${CC:-cc}
$cc -std=gnu11 -shared -fPIC -O2 -I"$top/include" \
	"$top/examples/doorbell/doorbell.c" -o "$tmp/doorbell.so" 2>"$tmp/cc.log" &&
	$cc -std=gnu11 -O2 "$top/tests/e2e/driver-abi/ctl.c" -o "$tmp/ctl" 2>>"$tmp/cc.log"
ok $? "the doorbell driver and a control client build" "$tmp/cc.log"
ctl define -u "$U9" -p doorbell -t doorbell-1 --auto 2>"$tmp/err"
ok $? "umdevctl define -u U9 -p doorbell (not registered yet) --auto" "$tmp/err"
"$tmp/ctl" "$run/control.sock" "{\"op\":\"load-driver\",\"path\":\"$tmp/doorbell.so\"}" >"$tmp/out" 2>&1
grep -q '"ok":true' "$tmp/out"
ok $? "load-driver doorbell.so registers the parent doorbell" "$tmp/out"
mdevctl list -p doorbell >"$tmp/out"
expect "U9 was started when its parent registered" "$tmp/out" \
	"$U9 doorbell doorbell-1 auto (defined)\n\n"
same list
# Two parents, one type with a description.
same types
same types --dumpjson
same types -p doorbell
ctl stop -u "$U9" 2>"$tmp/err" && ctl undefine -u "$U9" 2>>"$tmp/err"
ok $? "stop and undefine U9" "$tmp/err"

# ---- the end: a clean exit, nothing reported by the sanitizers ----
kill -TERM "$daemon"
wait "$daemon"
rc=$?
daemon=
! grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$tmp/umdevd.log" &&
	[ "$rc" -eq 0 ]
ok $? "umdevd exits 0 on SIGTERM, unmounting its tree; no sanitizer report (exit $rc)" "$tmp/umdevd.log"
! grep -q " $sys " /proc/self/mounts
ok $? "the tree is unmounted"

echo "1..$n"
[ "$failed" -eq 0 ]
