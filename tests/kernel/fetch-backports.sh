#!/usr/bin/env bash
# Fetch a newer Linux series for Debian 12 from bookworm-backports without
# touching the machine's apt configuration: a private sources file and
# private apt state/cache directories (Debian's archive key is on the
# machine already).  The version is the newest linux-headers-SERIES.N+deb12
# in the archive's lists, never pinned.  Unpacks, into CACHE_DIR:
#   headers-KVER/     linux-headers-KVER + -common + linux-kbuild-SERIES.N
#                     (KDIR: headers-KVER/usr/src/linux-headers-KVER)
#   image-KVER/       boot/vmlinuz-KVER and drivers/vfio/*.ko (decompressed)
#   mtty-src-KVER/    samples/vfio-mdev/mtty.c from linux-source-SERIES
# Nothing is installed.  Prints KVER on stdout; progress and errors on
# stderr.  No archive (no network, no such series): exit 1 with a message.
# Usage: tests/kernel/fetch-backports.sh SERIES CACHE_DIR   (SERIES: 6.12)
set -euo pipefail

series=$1
cache=$(mkdir -p "$2" && cd "$2" && pwd)
suite=bookworm-backports
mirror=${UMDEV_DEBIAN_MIRROR:-http://deb.debian.org/debian}
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

die() {
	echo "fetch-backports: $*" >&2
	exit 1
}

[ -f "$keyring" ] || die "no $keyring (package debian-archive-keyring)"

# The private apt configuration.
apt="$cache/apt-$suite"
mkdir -p "$apt/parts" "$apt/lists/partial" "$apt/archives/partial" \
	"$apt/cache"
echo "deb [signed-by=$keyring] $mirror $suite main" >"$apt/sources.list"
aptopt=(-o "Dir::Etc::sourcelist=$apt/sources.list"
	-o "Dir::Etc::sourceparts=$apt/parts"
	-o "Dir::State::Lists=$apt/lists"
	-o "Dir::Cache=$apt/cache"
	-o "Dir::Cache::Archives=$apt/archives"
	-o "Acquire::Languages=none"
	-o "APT::Sandbox::User=root")

# Always refresh: the archive keeps only the current point release, and a
# failing update must fail the run rather than test a stale cache.
if ! apt-get "${aptopt[@]}" -q update >"$apt/update.log" 2>&1 ||
	grep -qE '^(W|E): ' "$apt/update.log"; then
	sed 's/^/fetch-backports: /' "$apt/update.log" >&2
	die "cannot read $suite from $mirror (no network or no archive)"
fi

kver=$(apt-cache "${aptopt[@]}" pkgnames "linux-headers-$series." |
	grep -E "^linux-headers-${series//./\\.}\\.[0-9]+\\+deb12-amd64\$" |
	sed 's/^linux-headers-//' | sort -V | tail -1)
[ -n "$kver" ] || die "no linux-headers-$series.*+deb12-amd64 in $suite"
abi=${kver%-amd64} # 6.12.95+deb12

# The archive keeps one point release: drop what older ones left here.
for old in "$cache"/headers-"$series".* "$cache"/image-"$series".* \
	"$cache"/mtty-src-"$series".*; do
	[ -e "$old" ] && [ "${old##*-"$series".}" != "${kver#"$series".}" ] &&
		rm -rf "$old"
done

# download PACKAGE...: into the private archive directory.
download() {
	(cd "$apt/archives" && apt-get "${aptopt[@]}" -q download "$@") \
		>"$apt/download.log" 2>&1 || {
		sed 's/^/fetch-backports: /' "$apt/download.log" >&2
		die "cannot download $*"
	}
}
deb() { # PACKAGE -> its downloaded .deb
	ls "$apt/archives/$1"_*.deb 2>/dev/null | head -1
}

hdr="$cache/headers-$kver"
if [ ! -f "$hdr/.done" ]; then
	echo "fetch-backports: headers and kbuild for $kver" >&2
	download "linux-headers-$kver" "linux-headers-$abi-common" \
		"linux-kbuild-$abi"
	rm -rf "$hdr"
	mkdir -p "$hdr"
	for p in "linux-headers-$kver" "linux-headers-$abi-common" \
		"linux-kbuild-$abi"; do
		dpkg-deb --fsys-tarfile "$(deb "$p")" | tar -x -C "$hdr"
	done
	# The flavour's Makefile includes the common tree by absolute path.
	mk="$hdr/usr/src/linux-headers-$kver/Makefile"
	sed -i "s|/usr/src/linux-headers-$abi-common|$hdr/usr/src/linux-headers-$abi-common|" "$mk"
	grep -q "$hdr" "$mk" || die "unexpected $mk: $(cat "$mk")"
	rm -f "$apt/archives/"linux-headers-*.deb "$apt/archives/"linux-kbuild-*.deb
	touch "$hdr/.done"
fi

img="$cache/image-$kver"
if [ ! -f "$img/.done" ]; then
	echo "fetch-backports: linux-image-$kver-unsigned" >&2
	download "linux-image-$kver-unsigned"
	rm -rf "$img"
	mkdir -p "$img"
	dpkg-deb --fsys-tarfile "$(deb "linux-image-$kver-unsigned")" |
		tar -x -C "$img" "./boot/vmlinuz-$kver" "./boot/config-$kver" \
			"./lib/modules/$kver/kernel/drivers/vfio/"
	# Modules are xz-compressed; busybox insmod wants plain .ko.
	find "$img/lib/modules" -name '*.ko.xz' -exec xz -d {} +
	rm -f "$apt/archives/"linux-image-*.deb
	touch "$img/.done"
fi

src="$cache/mtty-src-$kver"
if [ ! -f "$src/mtty.c" ]; then
	echo "fetch-backports: linux-source-$series (samples/vfio-mdev/mtty.c)" >&2
	download "linux-source-$series"
	tmp="$cache/dl-source-$series"
	rm -rf "$tmp"
	mkdir -p "$tmp" "$src"
	inner="./usr/src/linux-source-$series.tar.xz"
	dpkg-deb --fsys-tarfile "$(deb "linux-source-$series")" |
		tar -x -C "$tmp" "$inner"
	tar -xJ -C "$tmp" -f "$tmp/$inner" \
		"linux-source-$series/samples/vfio-mdev/mtty.c"
	cp "$tmp/linux-source-$series/samples/vfio-mdev/mtty.c" "$src/mtty.c.tmp"
	mv "$src/mtty.c.tmp" "$src/mtty.c"
	rm -rf "$tmp" "$apt/archives/"linux-source-*.deb
fi
echo "$kver"
