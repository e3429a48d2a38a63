# shellcheck shell=bash
# Debian bookworm-backports through a PRIVATE apt configuration: a private
# sources file and private apt state/cache directories under a cache
# directory, so the machine's apt configuration is never touched (Debian's
# archive key is on the machine already).  Nothing is installed: packages
# are downloaded and unpacked by the caller.  Sourced by
# tests/kernel/fetch-backports.sh (kernels) and scripts/fetch-uapi.sh
# (the uapi headers of linux-libc-dev).
#
#   backports_apt_init CACHE_DIR [PREFIX]   the configuration, and a fresh
#                        apt-get update (a failing update fails: no stale
#                        lists); PREFIX names the caller in messages
#   backports_download PACKAGE...           into "$BACKPORTS_ARCHIVES"
#   backports_deb PACKAGE                   the downloaded .deb's path
#   "${BACKPORTS_APTOPT[@]}"                the options, for apt-cache
# Each function prints why and returns 1 on failure.

backports_apt_init() {
	local cache=$1
	local suite=bookworm-backports
	local mirror=${UMDEV_DEBIAN_MIRROR:-http://deb.debian.org/debian}
	local keyring=/usr/share/keyrings/debian-archive-keyring.gpg
	local apt

	BACKPORTS_WHO=${2:-backports}
	if [ ! -f "$keyring" ]; then
		echo "$BACKPORTS_WHO: no $keyring (package debian-archive-keyring)" >&2
		return 1
	fi
	apt="$cache/apt-$suite"
	mkdir -p "$apt/parts" "$apt/lists/partial" "$apt/archives/partial" \
		"$apt/cache" || return 1
	echo "deb [signed-by=$keyring] $mirror $suite main" >"$apt/sources.list"
	BACKPORTS_DIR=$apt
	BACKPORTS_ARCHIVES="$apt/archives"
	BACKPORTS_APTOPT=(-o "Dir::Etc::sourcelist=$apt/sources.list"
		-o "Dir::Etc::sourceparts=$apt/parts"
		-o "Dir::State::Lists=$apt/lists"
		-o "Dir::Cache=$apt/cache"
		-o "Dir::Cache::Archives=$apt/archives"
		-o "Acquire::Languages=none"
		-o "APT::Sandbox::User=root")
	if ! apt-get "${BACKPORTS_APTOPT[@]}" -q update >"$apt/update.log" 2>&1 ||
		grep -qE '^(W|E): ' "$apt/update.log"; then
		sed "s/^/$BACKPORTS_WHO: /" "$apt/update.log" >&2
		echo "$BACKPORTS_WHO: cannot read $suite from $mirror (no network or no archive)" >&2
		return 1
	fi
}

backports_download() {
	(cd "$BACKPORTS_ARCHIVES" && apt-get "${BACKPORTS_APTOPT[@]}" -q download "$@") \
		>"$BACKPORTS_DIR/download.log" 2>&1 || {
		sed "s/^/$BACKPORTS_WHO: /" "$BACKPORTS_DIR/download.log" >&2
		echo "$BACKPORTS_WHO: cannot download $*" >&2
		return 1
	}
}

backports_deb() {
	ls "$BACKPORTS_ARCHIVES/$1"_*.deb 2>/dev/null | head -1
}
