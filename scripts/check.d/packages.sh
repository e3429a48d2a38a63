#!/usr/bin/env bash
# The Debian packages, as a user gets them (issue 15, docs/packaging.md):
#   1. copy the tree (tracked and new files, nothing ignored) to /tmp and
#      build it with dpkg-buildpackage -us -uc -b; lintian reports no error;
#      in that copy, make install PREFIX=… DESTDIR=… installs everything
#      and leaves ./build configured as it was;
#   2. install the four packages with dpkg -i on this machine;
#   3. start umdevd exactly as the installed unit's ExecStart says, with
#      what systemd would add (RuntimeDirectory, ConfigurationDirectory,
#      UMask, NOTIFY_SOCKET), in a private mount namespace with its own /run
#      and /etc/mdevctl.d so nothing of the host's is touched; wait for
#      READY=1 (and, after a restart, find an auto definition running by
#      then); check the runtime directory and
#      socket modes; create, list, inspect and remove a device with the
#      installed umdevctl; the bash completion completes verbs, options,
#      UUIDs, parents and types; man finds and renders both pages, whose
#      options match --help; systemd-analyze security's score is printed;
#   4. purge the packages: nothing of theirs is left (every packaged path,
#      every *umdev* path under /etc /usr /lib /var, the systemd enablement
#      links, DKMS's tree).
# Installing on the machine rather than in a chroot: the packages' run-time
# dependencies (libc6, libjson-c5, libuuid1, libsystemd0, dkms) are the
# build's own, and a debootstrap'ed chroot would cost minutes and ~300 MB
# per run; the purge check below proves the machine is left as found.  A
# machine that already has any of these packages installed is left alone
# (the test says so and counts as failed: it cannot check a clean purge).
# Prints TAP; appends "PASS FAIL" to $UMDEV_TOTALS when set.
# Usage: packages.sh [BUILD_DIR]   (the build dir is not used: the packages
#                                   are built from a copy of the sources)
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d /tmp/umdev-packages.XXXXXX)
packages=(umdev libumdev0 libumdev-dev umdev-mtty-dkms)
daemon=
installed=0
n=0
pass=0
fail=0

ok() { # ok STATUS NAME [FILE to show on failure]
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
		pass=$((pass + 1))
	else
		echo "not ok $n - $2"
		fail=$((fail + 1))
		[ -n "${3:-}" ] && [ -f "$3" ] && tail -30 "$3" | sed 's/^/# /'
	fi
	return 0
}
finish() {
	echo "# packages test: ${SECONDS}s"
	echo "1..$n"
	[ -n "${UMDEV_TOTALS:-}" ] && echo "$pass $fail" >>"$UMDEV_TOTALS"
	[ "$fail" -eq 0 ]
	exit
}
stop_daemon() {
	[ -n "$daemon" ] || return 0
	kill -TERM "$daemon" 2>/dev/null
	wait "$daemon" 2>/dev/null
	local rc=$?
	daemon=
	return $rc
}
purge() {
	dpkg --purge "${packages[@]}" >"$tmp/purge.log" 2>&1
}
cleanup() {
	stop_daemon
	[ "$installed" -eq 1 ] && purge
	[ -n "${notify_pid:-}" ] && kill "$notify_pid" 2>/dev/null
	[ -n "${holder:-}" ] && kill "$holder" 2>/dev/null
	for c in ${made_conf:-}; do rmdir "$c"; done
	rm -rf "$tmp"
}
trap cleanup EXIT

# What the purge must leave as it was: every path named after umdev (the
# binaries, /usr/src/umdev-*, dpkg's lists, the systemd enablement links
# and deb-systemd-helper's state), DKMS's tree, the kernels' DKMS modules.
snapshot() { # snapshot OUT
	{
		find /etc /usr /lib /var /opt -xdev -iname '*umdev*' \
			-not -path '/var/cache/*' -not -path '/var/log/*' \
			-not -path '/var/tmp/*' 2>/dev/null
		# (DKMS's own signing key, made at its first build, stays with DKMS.)
		find /var/lib/dkms /lib/modules/*/updates 2>/dev/null |
			grep -v '^/var/lib/dkms/mok\.'
	} | sort -u >"$1"
}

# ---- 0. what it needs ----
"$top/scripts/bootstrap" build pkg >"$tmp/bootstrap.log" 2>&1
ok $? "build and packaging tools installed (scripts/bootstrap build pkg)" "$tmp/bootstrap.log"
[ "$(id -u)" -eq 0 ]
ok $? "running as root (dpkg -i, mount namespace)"
[ "$fail" -eq 0 ] || finish

# One run at a time on this machine: it installs and purges packages.
exec 9>/run/lock/umdev-packages-test.lock
flock 9

already=
for p in "${packages[@]}"; do
	s=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)
	[ -n "$s" ] && [ "$s" != not-installed ] && already="$already $p($s)"
done
[ -z "$already" ]
ok $? "none of ${packages[*]} is installed yet${already:+ (found:$already; purge them to run this test)}"
[ "$fail" -eq 0 ] || finish

# ---- 1. build from a clean copy ----
echo "# at ${SECONDS}s"
src=$tmp/src/umdev
# (No -dbgsym packages: nothing here uses them, and they double lintian's work.)
DEB_BUILD_OPTIONS=noddebs "$top/scripts/build-debs" "$tmp/src" >"$tmp/build.log" 2>&1
ok $? "scripts/build-debs: a clean copy built with dpkg-buildpackage -us -uc -b" "$tmp/build.log"
[ -f "$src/debian/control" ] && [ -z "$(ls -d "$src"/build "$src"/build-* 2>/dev/null)" ]
ok $? "the copy has the sources and none of the tree's build directories"
version=$(cd "$src" && dpkg-parsechangelog -S Version)
arch=$(dpkg --print-architecture)
debs=()
for p in "${packages[@]}"; do
	a=$arch
	[ "$p" = umdev-mtty-dkms ] && a=all
	debs+=("$tmp/src/${p}_${version}_$a.deb")
done
missing=
for d in "${debs[@]}"; do [ -f "$d" ] || missing="$missing $(basename "$d")"; done
[ -z "$missing" ]
ok $? "the four packages exist${missing:+ (missing:$missing)}"
[ "$fail" -eq 0 ] || finish

lintian --fail-on error --tag-display-limit 0 "$tmp/src/umdev_${version}_$arch.changes" \
	>"$tmp/lintian.log" 2>&1
ok $? "lintian: no error" "$tmp/lintian.log"
grep -E '^[EW]: ' "$tmp/lintian.log" | sed 's/^/# lintian /'

# ---- make install: into a DESTDIR for another prefix, ./build untouched ----
echo "# at ${SECONDS}s"
(cd "$src" && meson setup build --prefix=/usr/local >"$tmp/setup.log" 2>&1)
ok $? "meson setup build (the ./build of make demo / make check)" "$tmp/setup.log"
prefix_of() { meson introspect --buildoptions "$1" |
	/usr/bin/python3 -c 'import json, sys; print([o["value"] for o in json.load(sys.stdin) if o["name"] == "prefix"][0])'; }
sum_before=$(md5sum <"$src/build/build.ninja")
stage=$tmp/stage
make -C "$src" install PREFIX=/opt/umdev-test DESTDIR="$stage" \
	>"$tmp/make-install.log" 2>&1
ok $? "make install PREFIX=/opt/umdev-test DESTDIR=…" "$tmp/make-install.log"
[ "$(prefix_of "$src/build")" = /usr/local ] && [ "$(md5sum <"$src/build/build.ninja")" = "$sum_before" ]
ok $? "make install left ./build as configured (prefix $(prefix_of "$src/build"), build.ninja unchanged)"
p=$stage/opt/umdev-test
missing=
for f in bin/umdevd bin/umdevctl include/umdev/mdev.h lib/systemd/system/umdevd.service \
	share/man/man8/umdevd.8 share/man/man8/umdevctl.8 \
	share/bash-completion/completions/umdevctl; do
	[ -f "$p/$f" ] || missing="$missing $f"
done
ls "$p"/lib/*/libumdev.so.0 "$p"/lib/*/pkgconfig/umdev.pc >/dev/null 2>&1 || missing="$missing libumdev.so.0/umdev.pc"
[ -z "$missing" ]
ok $? "make install installed programs, library, headers, pkg-config file, unit, man pages, completion${missing:+ (missing:$missing)}" "$tmp/make-install.log"
grep -qx 'ExecStart=/opt/umdev-test/bin/umdevd --runtime-dir=/run/umdev' "$p/lib/systemd/system/umdevd.service"
ok $? "the installed unit starts the daemon of its prefix"

# ---- 2. install ----
echo "# at ${SECONDS}s"
snapshot "$tmp/before"
installed=1
dpkg -i "${debs[@]}" >"$tmp/install.log" 2>&1
ok $? "dpkg -i installs ${packages[*]}" "$tmp/install.log"
for p in "${packages[@]}"; do
	[ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" = installed ] ||
		{ ok 1 "$p is installed" "$tmp/install.log"; finish; }
done

# DKMS has the module's source, and built it for every kernel with headers.
dkms status umdev/"$version" >"$tmp/dkms.log" 2>&1
grep -q "^umdev/$version" "$tmp/dkms.log"
ok $? "DKMS knows umdev/$version" "$tmp/dkms.log"
sed 's/^/# dkms: /' "$tmp/dkms.log"
for kdir in /lib/modules/*/; do
	k=$(basename "$kdir")
	[ -e "$kdir/build/Makefile" ] || continue
	ko=$(find "$kdir/updates/dkms" -name 'umdev_mtty.ko*' 2>/dev/null | head -1)
	[ -n "$ko" ] && [ "$(modinfo -F vermagic "$ko" | awk '{print $1}')" = "$k" ]
	ok $? "DKMS built and installed umdev_mtty.ko for kernel $k (it has headers)" "$tmp/install.log"
done

# ---- 3. the installed daemon, started as the unit says ----
echo "# at ${SECONDS}s"
unit=/lib/systemd/system/umdevd.service
[ -f "$unit" ]
ok $? "the unit is installed at $unit"
unit_value() { sed -n "s/^$1=//p" "$unit" | tail -1; }
exec_start=$(unit_value ExecStart)
runtime_name=$(unit_value RuntimeDirectory)
runtime_mode=$(unit_value RuntimeDirectoryMode)
umask_value=$(unit_value UMask)
[ "$(unit_value Type)" = notify ] && [ -n "$runtime_name" ] &&
	[[ $exec_start != *%* ]] && [[ $exec_start != [-@:+!]* ]]
ok $? "the unit: Type=notify, RuntimeDirectory=$runtime_name, ExecStart=$exec_start (no specifier or prefix to interpret)"
systemd-analyze verify "$unit" >"$tmp/verify.log" 2>&1
grep -v "Command 'man " "$tmp/verify.log" >"$tmp/verify-real.log"
[ ! -s "$tmp/verify-real.log" ]
ok $? "systemd-analyze verify finds nothing wrong (besides man being absent in a minimal system)" "$tmp/verify-real.log"
if systemd-analyze security --offline=true "$unit" >"$tmp/security.log" 2>&1; then
	score=$(sed -n 's/.*Overall exposure level for umdevd.service: \([0-9.]*\) \([A-Z]*\).*/\1 \2/p' "$tmp/security.log")
	echo "# systemd-analyze security --offline=true: exposure $score"
	[ -n "$score" ] && awk -v s="${score%% *}" 'BEGIN { exit !(s <= 2.0) }'
	ok $? "systemd-analyze security: exposure $score (at most 2.0)" "$tmp/security.log"
fi

# A notification socket like systemd's: the first datagram lands in a file.
cat >"$tmp/notify.py" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
open(sys.argv[2] + ".bound", "w").close()
with open(sys.argv[2], "wb") as f:
	while True:
		f.write(s.recv(4096) + b"\n")
		f.flush()
EOF
/usr/bin/python3 "$tmp/notify.py" "$tmp/notify.sock" "$tmp/notify.out" &
notify_pid=$!
for _ in $(seq 100); do [ -e "$tmp/notify.out.bound" ] && break; sleep 0.1; done

# What systemd does around ExecStart, in a mount namespace of our own (a
# holder process keeps it): a fresh /run; ConfigurationDirectory= made if
# missing, here with a private tmpfs over it so that the host's definitions
# are neither seen nor changed; then per start RuntimeDirectory= with its
# mode, UMask=, $NOTIFY_SOCKET; after the stop RuntimeDirectory= goes.
read -r -a argv <<<"$exec_start"
conf_names=$(unit_value ConfigurationDirectory)
made_conf=
for c in $conf_names; do
	[ -d "/etc/$c" ] || { mkdir -m 0755 "/etc/$c" && made_conf="$made_conf /etc/$c"; }
done
unshare --mount --propagation private -- sh -c '
	mount -t tmpfs -o mode=0755 tmpfs /run || exit 1
	for c in $1; do mount -t tmpfs -o mode=0755 tmpfs "/etc/$c" || exit 1; done
	: >"$2" && exec sleep 3600' sh "$conf_names" "$tmp/holder.ready" &
holder=$!
for _ in $(seq 100); do [ -e "$tmp/holder.ready" ] && break; sleep 0.1; done
ns() { nsenter --target "$holder" --mount -- "$@"; }
rt=/run/$runtime_name
start_daemon() { # as systemctl start would
	NOTIFY_SOCKET=$tmp/notify.sock nsenter --target "$holder" --mount -- sh -c '
		mkdir -m "$1" "/run/$2" && umask "$3" && shift 3 && exec "$@"' \
		sh "${runtime_mode:-0755}" "$runtime_name" "${umask_value:-0022}" "${argv[@]}" \
		>>"$tmp/umdevd.out" 2>>"$tmp/umdevd.log" &
	daemon=$!
}
wait_ready() { # wait_ready N: until the Nth READY=1 (or the daemon ended)
	for _ in $(seq 300); do
		[ "$(grep -c '^READY=1' "$tmp/notify.out" 2>/dev/null)" -ge "$1" ] && return 0
		kill -0 "$daemon" 2>/dev/null || break
		sleep 0.1
	done
	[ "$(grep -c '^READY=1' "$tmp/notify.out" 2>/dev/null)" -ge "$1" ]
}
start_daemon
wait_ready 1
ok $? "umdevd (${argv[*]}) tells \$NOTIFY_SOCKET READY=1" "$tmp/umdevd.log"
grep -qx 'umdevd: ready' "$tmp/umdevd.out"
ok $? "umdevd prints 'umdevd: ready'" "$tmp/umdevd.log"
kill -0 "$daemon" 2>/dev/null || { ok 1 "umdevd is running" "$tmp/umdevd.log"; finish; }

[ "$(ns stat -c '%a %U' "$rt")" = "700 root" ]
ok $? "runtime directory $rt: mode 0700, owned by root ($(ns stat -c '%a %U' "$rt"))"
[ "$(ns stat -c '%F %a' "$rt/control.sock")" = "socket 600" ]
ok $? "control socket: a socket, mode 0600 ($(ns stat -c '%F %a' "$rt/control.sock"))"

[ "$(/usr/bin/umdevd --version)" = "umdevd $version" ] &&
	[ "$(/usr/bin/umdevctl --version)" = "umdevctl $version" ]
ok $? "umdevd --version and umdevctl --version print the package version $version"
dkms_version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' /usr/src/umdev-"$version"/dkms.conf 2>/dev/null)
[ "$dkms_version" = "$version" ]
ok $? "the DKMS module's version is $version too (${dkms_version:-none})"

uuid=$(ns /usr/bin/umdevctl start -p mtty -t mtty-2 2>"$tmp/ctl.log")
ok $? "installed umdevctl start -p mtty -t mtty-2 -> ${uuid:-nothing}" "$tmp/ctl.log"
[ "$(ns stat -c '%F %a' "$rt/$uuid.sock" 2>/dev/null)" = "socket 600" ]
ok $? "device socket $rt/$uuid.sock: a socket, mode 0600"
ns /usr/bin/umdevctl list >"$tmp/list.out" 2>&1
grep -q "^$uuid mtty mtty-2" "$tmp/list.out"
ok $? "umdevctl list shows it" "$tmp/list.out"
ns /usr/bin/umdevctl info -u "$uuid" >"$tmp/info.out" 2>&1
ok $? "umdevctl info -u talks vfio-user to the installed daemon's device" "$tmp/info.out"

# ---- bash completion: the installed file, the function bash would call ----
comp=/usr/share/bash-completion/completions/umdevctl
complete_line() { # complete_line WORD... (the last word is being completed)
	ns bash --norc --noprofile -c '
		. "$1"; shift
		complete -p umdevctl | grep -q -- "-F _umdevctl" || { echo "not registered"; exit 1; }
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		_umdevctl umdevctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		((${#COMPREPLY[@]} == 0)) || printf "%s\n" "${COMPREPLY[@]}"' bash "$comp" "$@" 2>&1 | sort
}
complete_line /usr/bin/umdevctl "" >"$tmp/c.verbs"
verbs=$(/usr/bin/umdevctl --help |
	awk '/^Commands/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { exit }' | sort)
[ -n "$verbs" ] && [ "$(cat "$tmp/c.verbs")" = "$verbs" ]
ok $? "completion of 'umdevctl <TAB>': every verb ($(echo $verbs))" "$tmp/c.verbs"
complete_line /usr/bin/umdevctl st >"$tmp/c.st"
[ "$(cat "$tmp/c.st")" = "$(printf 'start\nstart-parent-mdevs\nstop')" ]
ok $? "completion of 'umdevctl st<TAB>': start start-parent-mdevs stop" "$tmp/c.st"
complete_line /usr/bin/umdevctl stop -u "" >"$tmp/c.uuid"
[ "$(cat "$tmp/c.uuid")" = "$uuid" ]
ok $? "completion of 'umdevctl stop -u <TAB>': the device's UUID" "$tmp/c.uuid"
complete_line /usr/bin/umdevctl info --uuid "${uuid:0:4}" >"$tmp/c.uuid4"
[ "$(cat "$tmp/c.uuid4")" = "$uuid" ]
ok $? "completion of 'umdevctl info --uuid ${uuid:0:4}<TAB>': the UUID" "$tmp/c.uuid4"
complete_line /usr/bin/umdevctl --runtime-dir "$rt" stop -u "" >"$tmp/c.rt"
complete_line /usr/bin/umdevctl --runtime-dir "$tmp/nowhere" stop -u "" >"$tmp/c.rt-none"
[ "$(cat "$tmp/c.rt")" = "$uuid" ] && [ ! -s "$tmp/c.rt-none" ]
ok $? "UUID completion asks the daemon of the line's --runtime-dir (none from an empty one)" "$tmp/c.rt-none"
complete_line /usr/bin/umdevctl start -p "" >"$tmp/c.parent"
[ "$(cat "$tmp/c.parent")" = mtty ]
ok $? "completion of 'umdevctl start -p <TAB>': mtty" "$tmp/c.parent"
complete_line /usr/bin/umdevctl start -p mtty -t "" >"$tmp/c.type"
[ "$(cat "$tmp/c.type")" = "$(printf 'mtty-1\nmtty-2')" ]
ok $? "completion of 'umdevctl start -p mtty -t <TAB>': mtty-1 mtty-2" "$tmp/c.type"
complete_line /usr/bin/umdevctl list --d >"$tmp/c.opt"
[ "$(cat "$tmp/c.opt")" = "$(printf -- '--defined\n--dumpjson')" ]
ok $? "completion of 'umdevctl list --d<TAB>': --defined --dumpjson" "$tmp/c.opt"
complete_line /usr/bin/umdevctl --v >"$tmp/c.gopt"
[ "$(cat "$tmp/c.gopt")" = "--version" ]
ok $? "completion of 'umdevctl --v<TAB>': --version" "$tmp/c.gopt"

ns /usr/bin/umdevctl stop -u "$uuid" >"$tmp/stop.log" 2>&1 &&
	[ -z "$(ns /usr/bin/umdevctl list)" ] && ! ns test -e "$rt/$uuid.sock"
ok $? "umdevctl stop -u removes the device and its socket" "$tmp/stop.log"
complete_line /usr/bin/umdevctl stop -u "" >"$tmp/c.none"
[ ! -s "$tmp/c.none" ]
ok $? "completion of 'umdevctl stop -u <TAB>' with no device: nothing" "$tmp/c.none"

# An auto definition (in the unit's ConfigurationDirectory) is running by
# the time the restarted daemon says READY=1.
auto=$(ns /usr/bin/umdevctl define -p mtty -t mtty-1 --auto 2>"$tmp/define.log")
ns test -f "/etc/mdevctl.d/mtty/$auto"
ok $? "umdevctl define --auto stores ${auto:-nothing} in /etc/mdevctl.d (writable under the sandbox's ConfigurationDirectory)" "$tmp/define.log"

stop_daemon
ok $? "umdevd exits 0 on SIGTERM (as systemctl stop sends)" "$tmp/umdevd.log"
ns rm -rf "$rt"
grep -q '^STOPPING=1' "$tmp/notify.out"
ok $? "umdevd tells \$NOTIFY_SOCKET STOPPING=1" "$tmp/notify.out"

start_daemon
wait_ready 2
ok $? "restarted umdevd tells READY=1 again" "$tmp/umdevd.log"
ns /usr/bin/umdevctl list >"$tmp/list-auto.out" 2>&1
grep -q "^$auto mtty mtty-1" "$tmp/list-auto.out" && ns test -S "$rt/$auto.sock"
ok $? "at READY=1 the auto definition already runs (listed, socket there)" "$tmp/list-auto.out"
stop_daemon
ok $? "umdevd exits 0 on SIGTERM again" "$tmp/umdevd.log"
ns rm -rf "$rt"

# ---- man pages: found by man, rendered, options as in --help ----
echo "# at ${SECONDS}s"
for prog in umdevd umdevctl; do
	page=/usr/share/man/man8/$prog.8.gz
	man -aw "$prog" 2>/dev/null | grep -qx "$page"
	ok $? "man -w $prog finds $page"
	MANWIDTH=80 man --nh --nj -l "$page" >"$tmp/$prog.man" 2>"$tmp/$prog.manerr" &&
		grep -q "^NAME" "$tmp/$prog.man" && grep -q "$prog - " "$tmp/$prog.man" &&
		[ ! -s "$tmp/$prog.manerr" ]
	ok $? "man -l renders $prog(8) without warnings" "$tmp/$prog.manerr"
done
# Every long option a --help names is in the man page, and for umdevd
# every option of the man page is in --help.
options_of() { grep -oE -- '--[a-z][a-z-]+' | sort -u; }
/usr/bin/umdevd --help | options_of >"$tmp/umdevd.help-opts"
options_of <"$tmp/umdevd.man" >"$tmp/umdevd.man-opts"
diff "$tmp/umdevd.help-opts" "$tmp/umdevd.man-opts" >"$tmp/umdevd.optdiff"
ok $? "umdevd(8) documents exactly the options of umdevd --help" "$tmp/umdevd.optdiff"
: >"$tmp/umdevctl.undocumented"
for v in $verbs; do
	[ "$v" = help ] && continue # umdevctl help = umdevctl --help
	grep -qE "^       $v( |$)" "$tmp/umdevctl.man" || echo "verb $v" >>"$tmp/umdevctl.undocumented"
	/usr/bin/umdevctl "$v" --help 2>&1 | options_of | while read -r o; do
		grep -q -- "$o" "$tmp/umdevctl.man" || echo "$v $o"
	done >>"$tmp/umdevctl.undocumented"
done
/usr/bin/umdevctl --help | awk '/^Commands/ { exit } { print }' | options_of | while read -r o; do
	grep -q -- "$o" "$tmp/umdevctl.man" || echo "global $o"
done >>"$tmp/umdevctl.undocumented"
[ ! -s "$tmp/umdevctl.undocumented" ]
ok $? "umdevctl(8) documents every verb and every option of each --help" "$tmp/umdevctl.undocumented"

# ---- 4. purge: nothing left behind ----
echo "# at ${SECONDS}s"
dpkg -L "${packages[@]}" 2>/dev/null | grep -v '^/\.$' | sort -u >"$tmp/owned"
purge
ok $? "dpkg --purge ${packages[*]}" "$tmp/purge.log"
installed=0
left=
for p in "${packages[@]}"; do
	s=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)
	[ -z "$s" ] || [ "$s" = not-installed ] || left="$left $p($s)"
done
[ -z "$left" ]
ok $? "dpkg knows none of the packages any more${left:+ (left:$left)}"
while read -r f; do
	[ -e "$f" ] || [ -L "$f" ] || continue
	[ -d "$f" ] && continue # shared directories (/usr/bin, /lib -> usr/lib, ...)
	echo "$f"
done <"$tmp/owned" >"$tmp/owned-left"
[ ! -s "$tmp/owned-left" ]
ok $? "no file the packages shipped is left ($(wc -l <"$tmp/owned") paths checked)" "$tmp/owned-left"
snapshot "$tmp/after"
diff "$tmp/before" "$tmp/after" >"$tmp/snapshot.diff"
ok $? "the umdev paths, systemd enablement and DKMS trees are as before the install" "$tmp/snapshot.diff"
finish
