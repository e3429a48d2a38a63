#!/usr/bin/env bash
# Kernel host test on the newer kernel Debian builds for Debian 12 in
# bookworm-backports (series UMDEV_BACKPORTS_SERIES, default 6.12): fetched
# at test time through a private apt configuration (fetch-backports.sh; the
# machine's apt setup is left alone), then tests/kernel/test-kernel.sh
# builds, boots and compares as for Debian's own kernel.  No network or no
# archive: a failed test, never a skip.
# Prints TAP, every name prefixed with the kernel series ("6.12: ...").
# Usage: tests/kernel/run-kernel-backports.sh BUILD_DIR
# Environment: UMDEV_KERNEL_CACHE (default BUILD_DIR/kernel-cache).
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
build=$(mkdir -p "${1:-$top/build}" && cd "${1:-$top/build}" && pwd)
here="$top/tests/kernel"
cache=${UMDEV_KERNEL_CACHE:-$build/kernel-cache}
series=${UMDEV_BACKPORTS_SERIES:-6.12}

fail() { # NAME [log]
	echo "not ok 1 - $1"
	[ -n "${2:-}" ] && [ -f "$2" ] && tail -30 "$2" | sed 's/^/# /'
	echo "1..1"
	exit 1
}

"$top/scripts/bootstrap" kernel >&2 || fail "$series: bootstrap kernel packages"

mkdir -p "$cache" "$build/kernel-test"
log="$build/kernel-test/fetch-$series.log"
kver=$("$here/fetch-backports.sh" "$series" "$cache" 2>"$log") && [ -n "$kver" ] ||
	fail "$series: fetch Linux $series from bookworm-backports" "$log"

exec "$here/test-kernel.sh" "$series" "$kver" \
	"$cache/headers-$kver/usr/src/linux-headers-$kver" "$cache/image-$kver" \
	"$cache/mtty-src-$kver/mtty.c" "$build/kernel-test/$series"
