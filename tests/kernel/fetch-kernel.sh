#!/usr/bin/env bash
# Fetch what the kernel tests need without installing a kernel: Debian's
# vmlinuz and VFIO/mdev modules (from linux-image-$KVER) and the kernel's own
# samples/vfio-mdev/mtty.c (from linux-source-$MAJ).  Everything is cached in
# CACHE_DIR, so a re-run only checks that the files are there.
# Usage: tests/kernel/fetch-kernel.sh KVER CACHE_DIR
# Prints nothing on success except progress on stderr.
set -euo pipefail

# apt-get download, refreshing the package lists once if the first try
# fails (stale lists on a machine installed long ago).
download() { # PACKAGE (into the current directory)
	apt-get download -q "$1" >/dev/null 2>&1 && return 0
	echo "fetch-kernel: apt-get update, then retry $1" >&2
	apt-get update -q >/dev/null 2>&1 || true
	apt-get download -q "$1" 2>&1 | grep -v '^W: Download is performed unsandboxed' >&2 || true
	ls ./*.deb >/dev/null 2>&1
}

kver=$1
cache=$2
mkdir -p "$cache"
cd "$cache"

# linux-image-6.1.0-56-amd64 -> vmlinuz + drivers/vfio
img="$cache/image-$kver"
if [ ! -f "$img/.done" ]; then
	echo "fetch-kernel: downloading linux-image-$kver" >&2
	rm -rf "$img" dl-image
	mkdir -p dl-image "$img"
	(cd dl-image && download "linux-image-$kver")
	# Unsigned and signed packages have the same content layout.
	deb=$(ls dl-image/linux-image-"$kver"*.deb | head -1)
	dpkg-deb --fsys-tarfile "$deb" |
		tar -x -C "$img" "./boot/vmlinuz-$kver" \
			"./lib/modules/$kver/kernel/drivers/vfio/"
	rm -rf dl-image
	touch "$img/.done"
fi

# linux-source-X.Y -> samples/vfio-mdev/mtty.c only
maj=$(echo "$kver" | cut -d. -f1-2)
src="$cache/mtty-src-$kver"
if [ ! -f "$src/mtty.c" ]; then
	echo "fetch-kernel: downloading linux-source-$maj" >&2
	rm -rf dl-source
	mkdir -p dl-source "$src"
	(cd dl-source && download "linux-source-$maj")
	deb=$(ls dl-source/linux-source-"$maj"*.deb | head -1)
	inner="./usr/src/linux-source-$maj.tar.xz"
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C dl-source "$inner"
	tar -xJ -C dl-source -f "dl-source/$inner" \
		"linux-source-$maj/samples/vfio-mdev/mtty.c"
	cp "dl-source/linux-source-$maj/samples/vfio-mdev/mtty.c" "$src/mtty.c.tmp"
	mv "$src/mtty.c.tmp" "$src/mtty.c"
	rm -rf dl-source
fi
