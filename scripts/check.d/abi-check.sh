#!/usr/bin/env bash
# The driver ABI check (docs/driver-abi.md, "Versioning" and "Growing the
# ABI"): compare the built libumdev.so with every committed baseline
# tests/abi/libumdev-X.Y.abi of the current major (abidw's XML of the
# public headers' types and the exported symbols).
#   baseline of the version in <umdev/mdev.h> (UMDEV_DRIVER_ABI_MAJOR.MINOR)
#       -> the ABI must be identical;
#   baseline of an older minor -> additions only: new symbols, and members
#       appended to the structs a driver hands the core (GROWABLE below,
#       checked member by member by tests/abi/abi_growth.py); nothing
#       removed or changed;
#   major bumped -> anything goes; commit a new baseline (--update).
# Prints TAP; appends "PASS FAIL" to $UMDEV_TOTALS when set.
# Usage: abi-check.sh BUILD_DIR          run the check
#        abi-check.sh BUILD_DIR --update write the baseline for the
#                                        current version
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$top/build}
so=$build/libumdev.so
headers=$top/include/umdev
growth=$top/tests/abi/abi_growth.py
# The structs a driver hands the core, read by the driver's own size.
GROWABLE="umdev_device_ops mdev_driver mdev_type_desc umdev_driver_entry umdev_abi_sizes"
tmp=$(mktemp -d /tmp/umdev-abi-check.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
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
		[ -n "${3:-}" ] && [ -f "$3" ] && sed 's/^/# /' "$3" | head -60
	fi
}
finish() {
	echo "1..$n"
	[ -n "${UMDEV_TOTALS:-}" ] && echo "$pass $fail" >>"$UMDEV_TOTALS"
	[ "$fail" -eq 0 ]
	exit
}

abi_dump() { # abi_dump LIB OUT
	abidw --headers-dir "$headers" --drop-private-types --no-corpus-path \
		--no-comp-dir-path --no-show-locs --type-id-style hash "$1" >"$2"
}

version_of() { # MAJOR.MINOR from <umdev/mdev.h>
	local major minor
	major=$(awk '$2 == "UMDEV_DRIVER_ABI_MAJOR" {print $3}' "$headers/mdev.h")
	minor=$(awk '$2 == "UMDEV_DRIVER_ABI_MINOR" {print $3}' "$headers/mdev.h")
	echo "$major.$minor"
}

if ! command -v abidw >/dev/null || ! command -v abidiff >/dev/null; then
	"$top/scripts/bootstrap" abi >"$tmp/bootstrap.log" 2>&1
fi
command -v abidw >/dev/null && command -v abidiff >/dev/null
ok $? "abigail-tools (abidw, abidiff) are installed" "$tmp/bootstrap.log"
[ -f "$so" ]
ok $? "the build has libumdev.so ($so)"
[ "$fail" -eq 0 ] || finish

cur=$(version_of)
abi_dump "$so" "$tmp/current.abi" 2>"$tmp/abidw.log"
ok $? "abidw reads libumdev.so with the public headers" "$tmp/abidw.log"

if [ "${2:-}" = "--update" ]; then
	cp "$tmp/current.abi" "$top/tests/abi/libumdev-$cur.abi"
	echo "# wrote tests/abi/libumdev-$cur.abi"
	finish
fi

additions_only() { # additions_only OLD.abi NEW.abi LOG: 0 if NEW only adds
	python3 "$growth" "$1" "$2" "$tmp/trimmed.abi" $GROWABLE >"$3" 2>&1 &&
		abidiff --no-added-syms "$1" "$tmp/trimmed.abi" >>"$3" 2>&1
}

cmaj=${cur%.*} cmin=${cur#*.}
nbase=0
for base in $(ls "$top"/tests/abi/libumdev-*.abi 2>/dev/null | sort -V); do
	bver=$(basename "$base" .abi)
	bver=${bver#libumdev-}
	bmaj=${bver%.*} bmin=${bver#*.}
	if [ "$bmaj" -lt "$cmaj" ]; then
		echo "# baseline $bver: an older major, not compared"
		continue
	fi
	nbase=$((nbase + 1))
	if [ "$bmaj" -gt "$cmaj" ] || [ "$bmin" -gt "$cmin" ]; then
		ok 1 "ABI version $cur is older than the baseline $bver"
	elif [ "$bmin" -eq "$cmin" ]; then
		abidiff "$base" "$tmp/current.abi" >"$tmp/diff.log" 2>&1
		ok $? "ABI identical to the $bver baseline (else bump UMDEV_DRIVER_ABI_MINOR for additions, MAJOR for changes, and --update)" "$tmp/diff.log"
	else
		additions_only "$base" "$tmp/current.abi" "$tmp/diff.log"
		st=$?
		sed -n 's/^\([a-z_]*: [0-9]* members\{0,1\} appended\)/# \1/p' "$tmp/diff.log"
		ok $st "ABI $cur only adds to $bver (anything removed or changed needs a major bump)" "$tmp/diff.log"
	fi
done
if [ "$nbase" -eq 0 ]; then
	echo "# major $cmaj has no baseline yet: run scripts/check.d/abi-check.sh BUILD --update"
	ok 0 "ABI major $cmaj is new: incompatible changes allowed"
fi

# Every export is in a UMDEV_<major>.<minor> node no newer than the headers.
nm -D --defined-only --with-symbol-versions "$so" | awk '{print $3}' |
	grep -v '^UMDEV_[0-9]*\.[0-9]*$' >"$tmp/syms"
bad=$(awk -v cmaj="$cmaj" -v cmin="$cmin" '{
	n = split($0, a, "@@");
	if (n != 2 || a[1] !~ /^(mdev_|umdev_)/ ||
	    a[2] !~ /^UMDEV_[0-9]+\.[0-9]+$/) { print; next }
	split(substr(a[2], 7), v, ".");
	if (v[1] != cmaj || v[2] > cmin) print
}' "$tmp/syms")
[ -z "$bad" ] && [ -s "$tmp/syms" ]
ok $? "exports are only mdev_*/umdev_* in UMDEV_$cmaj.x nodes <= $cur${bad:+ (bad: $(echo $bad))}"

# The checker itself must see a change: a struct that grows, a symbol
# that goes away.
sed -E "/<class-decl name='umdev_driver_entry'/ s/size-in-bits='[0-9]+'/size-in-bits='99999'/" \
	"$tmp/current.abi" >"$tmp/grown.abi"
if cmp -s "$tmp/current.abi" "$tmp/grown.abi"; then
	ok 1 "self-test: a grown struct umdev_driver_entry is detected (could not mutate)"
else
	abidiff "$tmp/current.abi" "$tmp/grown.abi" >"$tmp/self.log" 2>&1
	[ $? -ne 0 ]
	ok $? "self-test: a grown struct umdev_driver_entry is detected" "$tmp/self.log"
fi
# ... a member of a growable struct moved or retyped is not growth.
sed -E "/<var-decl name='get_info'/ s/type-id='[0-9a-f]+'/type-id='00000000'/" \
	"$tmp/current.abi" >"$tmp/retyped.abi"
if cmp -s "$tmp/current.abi" "$tmp/retyped.abi"; then
	ok 1 "self-test: a retyped member of umdev_device_ops is not growth (could not mutate)"
else
	python3 "$growth" "$tmp/current.abi" "$tmp/retyped.abi" "$tmp/t.abi" \
		$GROWABLE >"$tmp/self.log" 2>&1
	[ $? -ne 0 ]
	ok $? "self-test: a retyped member of umdev_device_ops is not growth" "$tmp/self.log"
fi
grep -v "elf-symbol name='mdev_uuid'" "$tmp/current.abi" >"$tmp/removed.abi"
abidiff --no-added-syms "$tmp/current.abi" "$tmp/removed.abi" >"$tmp/self.log" 2>&1
[ $(($? & 8)) -ne 0 ]
ok $? "self-test: a removed function is an incompatible change" "$tmp/self.log"
finish
