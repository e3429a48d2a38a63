#!/usr/bin/env bash
# The driver ABI check (docs/driver-abi.md, "Versioning"): compare the
# built libumdev.so with the committed baseline tests/abi/libumdev-X.Y.abi
# (abidw's XML of the public headers' types and the exported symbols).
#   version (UMDEV_DRIVER_ABI_MAJOR.MINOR in <umdev/mdev.h>) unchanged
#       -> the ABI must be identical;
#   minor bumped -> additions only (nothing removed or changed);
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

base=$(ls "$top"/tests/abi/libumdev-*.abi 2>/dev/null | sort -V | tail -1)
[ -n "$base" ]
ok $? "a committed baseline exists in tests/abi/"
[ -n "$base" ] || finish
bver=$(basename "$base" .abi)
bver=${bver#libumdev-}
echo "# driver ABI in the headers: $cur; baseline: $bver"

bmaj=${bver%.*} bmin=${bver#*.} cmaj=${cur%.*} cmin=${cur#*.}
if [ "$cmaj" -eq "$bmaj" ] && [ "$cmin" -eq "$bmin" ]; then
	abidiff "$base" "$tmp/current.abi" >"$tmp/diff.log" 2>&1
	ok $? "ABI identical to the $bver baseline (else bump UMDEV_DRIVER_ABI_MINOR for additions, MAJOR for changes)" "$tmp/diff.log"
elif [ "$cmaj" -eq "$bmaj" ] && [ "$cmin" -gt "$bmin" ]; then
	abidiff --no-added-syms "$base" "$tmp/current.abi" >"$tmp/diff.log" 2>&1
	ok $? "ABI $cur only adds to $bver (anything removed or changed needs a major bump)" "$tmp/diff.log"
elif [ "$cmaj" -gt "$bmaj" ]; then
	echo "# major bump $bver -> $cur: run scripts/check.d/abi-check.sh BUILD --update"
	ok 0 "ABI major bumped ($bver -> $cur): incompatible changes allowed"
else
	ok 1 "ABI version $cur is older than the baseline $bver"
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
grep -v "elf-symbol name='mdev_uuid'" "$tmp/current.abi" >"$tmp/removed.abi"
abidiff --no-added-syms "$tmp/current.abi" "$tmp/removed.abi" >"$tmp/self.log" 2>&1
[ $(($? & 8)) -ne 0 ]
ok $? "self-test: a removed function is an incompatible change" "$tmp/self.log"
finish
