#!/usr/bin/env bash
# The Linux uapi headers umdev builds against.  umdev takes every VFIO
# struct and constant from <linux/vfio.h>, and VFIO migration PRE_COPY
# (VFIO_MIGRATION_PRE_COPY, VFIO_DEVICE_STATE_PRE_COPY(_P2P),
# struct vfio_precopy_info, VFIO_MIG_GET_PRECOPY_INFO) came with Linux
# 6.2; Debian 12's linux-libc-dev is 6.1's.  When the machine's header
# lacks them, this unpacks linux-libc-dev from bookworm-backports (through
# the private apt configuration of scripts/lib/backports-apt.sh: nothing
# is installed) into CACHE_DIR/uapi, which meson puts before /usr/include
# (meson.build, option uapi_include).  Once unpacked it needs no network.
# Prints the include directory to use ("" when the machine's will do) on
# stdout; progress and errors on stderr; exit 1 with a message when the
# archive cannot be reached.
# Usage: scripts/fetch-uapi.sh [CACHE_DIR]   (default: .cache next to scripts/)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cache=${1:-${UMDEV_UAPI_CACHE:-$top/.cache}}
cache=$(mkdir -p "$cache" && cd "$cache" && pwd)
dest="$cache/uapi"

has_precopy() { # INCLUDE_DIR: does its <linux/vfio.h> have PRE_COPY?
	grep -qs 'define VFIO_MIG_GET_PRECOPY_INFO' "$1/linux/vfio.h"
}

if has_precopy /usr/include; then
	echo ""
	exit 0
fi
if [ -f "$dest/.done" ] && has_precopy "$dest/usr/include"; then
	echo "$dest/usr/include"
	exit 0
fi

echo "fetch-uapi: /usr/include/linux/vfio.h has no VFIO PRE_COPY (Linux < 6.2): fetching linux-libc-dev from bookworm-backports" >&2
# shellcheck source=lib/backports-apt.sh
. "$top/scripts/lib/backports-apt.sh"
backports_apt_init "$cache" fetch-uapi || exit 1
rm -f "$BACKPORTS_ARCHIVES"/linux-libc-dev_*.deb
backports_download linux-libc-dev/bookworm-backports || exit 1
deb=$(backports_deb linux-libc-dev)
[ -n "$deb" ] || { echo "fetch-uapi: no linux-libc-dev downloaded" >&2; exit 1; }
rm -rf "$dest.tmp"
mkdir -p "$dest.tmp"
dpkg-deb -x "$deb" "$dest.tmp"
if ! has_precopy "$dest.tmp/usr/include"; then
	echo "fetch-uapi: $(basename "$deb") has no VFIO PRE_COPY either" >&2
	exit 1
fi
dpkg-deb -f "$deb" Version >"$dest.tmp/.done"
rm -rf "$dest"
mv "$dest.tmp" "$dest"
rm -f "$deb"
echo "fetch-uapi: linux-libc-dev $(cat "$dest/.done") in $dest" >&2
echo "$dest/usr/include"
