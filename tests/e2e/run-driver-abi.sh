#!/usr/bin/env bash
# The driver ABI from the outside (docs/driver-abi.md): install umdev into a
# temporary DESTDIR, build examples/doorbell out of tree against that
# install only (pkg-config umdev), run the installed umdevd with it, create
# a doorbell device with umdevctl and drive it over vfio-user (registers,
# MSI).  Then the refusals (no entry point, ABI major too new, duplicate
# name, failing init) at start and through the control socket, while mtty
# devices keep being served; and unloading a driver whose device has a
# client (request, then the bounded wait).  Last, a driver written for ABI
# 1.0 (tests/abi/old-driver/: the doorbell with the frozen 1.0 headers),
# built against those headers only, loaded into this umdevd: its device
# passes the same client checks, and a host of this ABI sees every callback
# added after 1.0 as absent (old_host.c).  Prints TAP.  $1 = build dir.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
here=$top/tests/e2e/driver-abi
old=$top/tests/abi/old-driver
tmp=$(mktemp -d /tmp/umdev-driver-abi.XXXXXX)
daemon=
holder=
n=0
failed=0

cleanup() {
	[ -n "$holder" ] && kill "$holder" 2>/dev/null
	if [ -n "$daemon" ] && kill -0 "$daemon" 2>/dev/null; then
		kill -TERM "$daemon" 2>/dev/null
		wait "$daemon" 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

ok() { # ok STATUS NAME [DIAGNOSTIC FILE]
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
		[ -n "${3:-}" ] && [ -f "$3" ] && sed 's/^/# /' "$3" | tail -20
	fi
}
bail() {
	echo "not ok $((n + 1)) - $1"
	[ -n "${2:-}" ] && [ -f "$2" ] && sed 's/^/# /' "$2" | tail -20
	echo "1..$((n + 1))"
	exit 1
}
has() { grep -qF -- "$2" "$1"; } # has FILE STRING

# ---- install into a DESTDIR, build against it alone ----
root=$tmp/root
DESTDIR=$root meson install -C "$build" --no-rebuild --quiet \
	>"$tmp/install.log" 2>&1
pc=$(find "$root" -name umdev.pc | head -1)
so=$(find "$root" -name 'libumdev.so.0' | head -1)
umdevd=$(find "$root" -path '*/bin/umdevd' | head -1)
umdevctl=$(find "$root" -path '*/bin/umdevctl' | head -1)
[ -n "$pc" ] && [ -n "$so" ] && [ -n "$umdevd" ] && [ -n "$umdevctl" ] &&
	[ -n "$(find "$root" -path '*/include/umdev/driver.h')" ] ||
	bail "install into a temporary DESTDIR (umdev.pc, libumdev, umdevd, umdevctl, umdev/driver.h)" "$tmp/install.log"
ok 0 "install into a temporary DESTDIR"
libdir=$(dirname "$so")
export PKG_CONFIG_PATH=$(dirname "$pc")
export PKG_CONFIG_SYSROOT_DIR=$root
flags=$(pkg-config --cflags --libs umdev 2>"$tmp/pc.log")
case "$flags" in
*"-L$root"*) ok 0 "pkg-config umdev points into the DESTDIR" ;;
*) bail "pkg-config umdev points into the DESTDIR ($flags)" "$tmp/pc.log" ;;
esac

mkdir -p "$tmp/src" "$tmp/drivers" "$tmp/bin"
cp -r "$top/examples/doorbell" "$tmp/src/"
make -C "$tmp/src/doorbell" CFLAGS="-O2 -Werror" >"$tmp/make.log" 2>&1 ||
	bail "examples/doorbell builds out of tree with its own Makefile" "$tmp/make.log"
ok 0 "examples/doorbell builds out of tree with its own Makefile"
exports=$(nm -D --defined-only "$tmp/src/doorbell/doorbell.so" | awk '{print $3}')
[ "$exports" = "umdev_driver_entry" ]
ok $? "doorbell.so exports only umdev_driver_entry (got: $(echo $exports))"
cp "$tmp/src/doorbell/doorbell.so" "$tmp/drivers/"

cc=${CC:-cc}
# shellcheck disable=SC2086
$cc -std=gnu11 -Wall -Werror -I"$tmp/src/doorbell" -o "$tmp/bin/doorbell_client" \
	"$here/doorbell_client.c" $flags >"$tmp/cc.log" 2>&1 &&
	$cc -std=gnu11 -Wall -Werror -o "$tmp/bin/ctl" "$here/ctl.c" >>"$tmp/cc.log" 2>&1
ok $? "vfio-user test client builds against the install" "$tmp/cc.log"
bad_ok=0
for b in noentry abi dup init; do
	# shellcheck disable=SC2086
	$cc -std=gnu11 -Wall -Werror -fPIC -fvisibility=hidden -shared \
		-Wl,--no-undefined -o "$tmp/drivers/bad_$b.so" \
		"$here/bad_$b.c" $flags >>"$tmp/cc.log" 2>&1 || bad_ok=1
done
ok $bad_ok "the four bad drivers build against the install" "$tmp/cc.log"

# ---- the 1.0 driver: the frozen headers only, today's libumdev ----
cp -r "$old" "$tmp/old"
make -C "$tmp/old" CFLAGS="-O2 -Werror" UMDEV_CFLAGS="-I$tmp/old/include" \
	UMDEV_LIBS="-L$libdir -lumdev" doorbell.so >"$tmp/old-make.log" 2>&1 &&
	grep -q '^#define UMDEV_DRIVER_ABI_MINOR 0$' "$tmp/old/include/umdev/mdev.h"
ok $? "the 1.0 doorbell builds against the frozen 1.0 headers alone" "$tmp/old-make.log"
nm -D --undefined-only --with-symbol-versions "$tmp/old/doorbell.so" |
	awk '{print $2}' >"$tmp/old-syms"
has "$tmp/old-syms" "mdev_register_parent@UMDEV_1.0" &&
	! grep -q '@UMDEV_1\.[1-9]' "$tmp/old-syms"
ok $? "it links only UMDEV_1.0 symbols (the 1.0 mdev_register_parent)" "$tmp/old-syms"
# shellcheck disable=SC2086
$cc -std=gnu11 -Wall -Werror -I"$old" -o "$tmp/bin/old_host" \
	"$here/old_host.c" $flags -ldl >>"$tmp/cc.log" 2>&1
ok $? "old_host (a host of this ABI) builds against the install" "$tmp/cc.log"

# ---- start the installed umdevd with the driver directory ----
run=$tmp/run
mkdir -p "$run"
LD_LIBRARY_PATH=$libdir "$umdevd" --runtime-dir "$run" --driver-dir "$tmp/drivers" \
	--remove-timeout-ms 5000 >"$tmp/umdevd.out" 2>"$tmp/umdevd.log" &
daemon=$!
for _ in $(seq 100); do
	has "$tmp/umdevd.out" "umdevd: ready" && break
	kill -0 "$daemon" 2>/dev/null || break
	sleep 0.1
done
has "$tmp/umdevd.out" "umdevd: ready" ||
	bail "umdevd starts with the driver directory" "$tmp/umdevd.log"
ok 0 "umdevd starts with the driver directory"
grep -q "$libdir/libumdev.so" "/proc/$daemon/maps"
ok $? "umdevd runs on the installed libumdev.so"

log=$tmp/umdevd.log
has "$log" "driver $tmp/drivers/bad_noentry.so: refused: no entry point"
ok $? "at start: no entry point is refused, naming the file" "$log"
has "$log" "driver $tmp/drivers/bad_abi.so: refused: built for driver ABI 2.0"
ok $? "at start: a newer ABI major is refused, naming the file" "$log"
has "$log" "driver $tmp/drivers/bad_dup.so: refused: a driver or parent named \"mtty\" is already registered"
ok $? "at start: a duplicate name is refused, naming the file" "$log"
has "$log" "driver $tmp/drivers/bad_init.so: refused: init of \"badinit\" failed"
ok $? "at start: a failing init is refused, naming the file" "$log"
has "$log" "driver $tmp/drivers/doorbell.so: loaded \"doorbell\""
ok $? "at start: the doorbell driver is loaded despite the others" "$log"

ctl() { "$umdevctl" --runtime-dir "$run" "$@"; }
req() { # json-c writes "/" as "\/": undo it for the greps
	local st
	"$tmp/bin/ctl" "$run/control.sock" "$1" >"$tmp/raw.log"
	st=$?
	sed 's#\\/#/#g' "$tmp/raw.log"
	return $st
}
ctl types >"$tmp/types" 2>&1
has "$tmp/types" "doorbell-1" && has "$tmp/types" "mtty-1" &&
	! has "$tmp/types" "badinit"
ok $? "types: doorbell and mtty, nothing left of the failed init" "$tmp/types"

# ---- the doorbell device over vfio-user ----
uuid=$(ctl start -p doorbell -t doorbell-1 2>"$tmp/start.log")
[ -n "$uuid" ] && [ -S "$run/$uuid.sock" ]
ok $? "umdevctl start -p doorbell -t doorbell-1" "$tmp/start.log"
LD_LIBRARY_PATH=$libdir "$tmp/bin/doorbell_client" "$run/$uuid.sock" >"$tmp/client.log" 2>&1
ok $? "doorbell registers and MSI doorbell over vfio-user" "$tmp/client.log"
sed 's/^/# /' "$tmp/client.log"

mtty=$(ctl start -p mtty -t mtty-2 2>"$tmp/mtty.log")
[ -n "$mtty" ] && ctl info -u "$mtty" >"$tmp/mtty-info.log" 2>&1
ok $? "mtty devices are still served beside the loaded driver" "$tmp/mtty-info.log"

# ---- refusals through the control socket; the daemon goes on ----
for b in noentry:"no entry point" abi:"built for driver ABI 2.0" \
	dup:"\\\"mtty\\\" is already registered" init:"init of \\\"badinit\\\" failed"; do
	name=${b%%:*}
	why=${b#*:}
	req "{\"op\":\"load-driver\",\"path\":\"$tmp/drivers/bad_$name.so\"}" >"$tmp/req.log"
	[ $? -eq 1 ] && has "$tmp/req.log" "$tmp/drivers/bad_$name.so: refused: " &&
		has "$tmp/req.log" "$why"
	ok $? "load-driver bad_$name.so is refused with a message naming it" "$tmp/req.log"
done
cp "$tmp/drivers/doorbell.so" "$tmp/doorbell-copy.so"
req "{\"op\":\"load-driver\",\"path\":\"$tmp/doorbell-copy.so\"}" >"$tmp/req.log"
[ $? -eq 1 ] && has "$tmp/req.log" "doorbell-copy.so: refused: a driver or parent named \\\"doorbell\\\""
ok $? "a second copy of a loaded driver is refused" "$tmp/req.log"
req "{\"op\":\"load-driver\",\"path\":\"$build/src/drivers/mtty/mtty.so\"}" >"$tmp/req.log"
[ $? -eq 1 ] && has "$tmp/req.log" "already registered"
ok $? "mtty.so (mtty on the ABI alone) loads up to its duplicate name" "$tmp/req.log"
ctl info -u "$mtty" >"$tmp/mtty-info.log" 2>&1 && kill -0 "$daemon"
ok $? "after the refusals the daemon still serves the mtty device" "$tmp/mtty-info.log"

# ---- unload: the device's client is asked to let go first ----
LD_LIBRARY_PATH=$libdir "$tmp/bin/doorbell_client" --hold "$run/$uuid.sock" \
	>"$tmp/hold.log" 2>&1 &
holder=$!
for _ in $(seq 100); do
	has "$tmp/hold.log" "attached" && break
	sleep 0.1
done
req '{"op":"unload-driver","name":"doorbell"}' >"$tmp/req.log"
[ $? -eq 0 ] && has "$tmp/req.log" '"pending":true'
ok $? "unload-driver doorbell with a client attached is pending" "$tmp/req.log"
wait "$holder"
st=$?
holder=
[ $st -eq 0 ] && has "$tmp/hold.log" "release requested"
ok $? "the attached client was asked to release the device" "$tmp/hold.log"
for _ in $(seq 100); do
	req '{"op":"drivers"}' >"$tmp/drivers.log"
	has "$tmp/drivers.log" '"doorbell"' || break
	sleep 0.1
done
! has "$tmp/drivers.log" '"doorbell"' && [ ! -e "$run/$uuid.sock" ] &&
	ctl list >"$tmp/list.log" 2>&1 && ! has "$tmp/list.log" "$uuid" &&
	has "$tmp/list.log" "$mtty"
ok $? "the driver is gone with its device; the mtty device stays" "$tmp/list.log"
req '{"op":"unload-driver","name":"mtty"}' >"$tmp/req.log"
[ $? -eq 1 ] && has "$tmp/req.log" "built into umdevd"
ok $? "the built-in mtty cannot be unloaded" "$tmp/req.log"
req "{\"op\":\"load-driver\",\"path\":\"$tmp/drivers/doorbell.so\"}" >"$tmp/req.log" &&
	uuid=$(ctl start -p doorbell -t doorbell-1 2>"$tmp/start.log") &&
	LD_LIBRARY_PATH=$libdir "$tmp/bin/doorbell_client" "$run/$uuid.sock" \
		>"$tmp/client.log" 2>&1
ok $? "load-driver brings it back and its device works again" "$tmp/client.log"

# ---- the 1.0 driver in this umdevd ----
req '{"op":"unload-driver","name":"doorbell"}' >"$tmp/req.log" &&
	req "{\"op\":\"load-driver\",\"path\":\"$tmp/old/doorbell.so\"}" >"$tmp/req.log" &&
	has "$tmp/req.log" '"abi":"1.0"' &&
	has "$log" "driver $tmp/old/doorbell.so: loaded \"doorbell\" (ABI 1.0"
ok $? "umdevd (ABI $(awk '$2 ~ /^UMDEV_DRIVER_ABI_M/ {printf "%s%s", s, $3; s="."}' "$top/include/umdev/mdev.h")) loads the 1.0 driver in place of the current one" "$tmp/req.log"
uuid=$(ctl start -p doorbell -t doorbell-1 2>"$tmp/start.log") &&
	LD_LIBRARY_PATH=$libdir "$tmp/bin/doorbell_client" "$run/$uuid.sock" \
		>"$tmp/client.log" 2>&1
ok $? "the 1.0 driver's device passes the doorbell client checks" "$tmp/client.log"
ctl info -u "$mtty" >"$tmp/mtty-info.log" 2>&1
ok $? "the mtty device is still served beside the 1.0 driver" "$tmp/mtty-info.log"
LD_LIBRARY_PATH=$libdir "$tmp/bin/old_host" "$tmp/old/doorbell.so" >"$tmp/old-host.log" 2>&1
ok $? "a host of this ABI sees the 1.0 driver's migration callbacks as absent" "$tmp/old-host.log"
sed 's/^/# /' "$tmp/old-host.log"

kill -TERM "$daemon"
wait "$daemon"
st=$?
daemon=
[ $st -eq 0 ]
ok $? "umdevd shuts down cleanly with a loaded driver's device" "$log"

echo "1..$n"
[ "$failed" -eq 0 ]
