#!/usr/bin/env bash
# Kernel host test on Debian's own kernel (linux-headers-amd64: 6.1 on
# Debian 12): finds the pieces, then tests/kernel/test-kernel.sh builds,
# boots and compares.  The newer kernel is run-kernel-backports.sh.
# Prints TAP, every name prefixed with the kernel series ("6.1: ...").
# Usage: tests/kernel/run-kernel.sh BUILD_DIR
# Environment: UMDEV_KERNEL_CACHE (default BUILD_DIR/kernel-cache) keeps the
# downloaded kernel image and mtty.c between runs.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
build=$(mkdir -p "${1:-$top/build}" && cd "${1:-$top/build}" && pwd)
here="$top/tests/kernel"
cache=${UMDEV_KERNEL_CACHE:-$build/kernel-cache}

fail() { # NAME [log]
	echo "not ok 1 - $1"
	[ -n "${2:-}" ] && [ -f "$2" ] && tail -30 "$2" | sed 's/^/# /'
	echo "1..1"
	exit 1
}

"$top/scripts/bootstrap" kernel >&2 || fail "Debian kernel: bootstrap kernel packages"

# The kernel version is whatever linux-headers-amd64 currently depends on.
kver=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null |
	sed -n 's/.*linux-headers-\([^ ,]*\).*/\1/p')
kdir=/usr/src/linux-headers-$kver
[ -n "$kver" ] && [ -d "$kdir" ] || fail "Debian kernel: find kernel headers (got '$kver')"
series=$(echo "$kver" | cut -d. -f1-2)

mkdir -p "$cache" "$build/kernel-test"
log="$build/kernel-test/fetch-$series.log"
"$here/fetch-kernel.sh" "$kver" "$cache" >"$log" 2>&1 ||
	fail "$series: fetch linux-image-$kver and mtty.c" "$log"

exec "$here/test-kernel.sh" "$series" "$kver" "$kdir" "$cache/image-$kver" \
	"$cache/mtty-src-$kver/mtty.c" "$build/kernel-test/$series"
