#!/bin/sh
# fetch-deb.sh PACKAGE
#
# Download one Debian package with `apt-get download` into $CACHE/debs and
# unpack it into $CACHE/pkg/PACKAGE (done once; later calls only print the
# directory). Prints the unpacked directory on stdout.
set -eu
pkg=$1
CACHE=${CACHE:-$HOME/.cache/paravane}
dir=$CACHE/pkg/$pkg
# Two builds fetching the same package at once would unpack over each other
# (rm -rf of a tree the other is reading): one at a time per package.
mkdir -p "$CACHE/pkg"
if command -v flock >/dev/null 2>&1; then
	exec 9>"$CACHE/pkg/.$pkg.lock"
	flock 9
fi
if [ ! -f "$dir/.unpacked" ]; then
	mkdir -p "$CACHE/debs"
	(cd "$CACHE/debs" && ls "${pkg}"_*.deb >/dev/null 2>&1 ||
		apt-get download "$pkg" >/dev/null 2>&1 ||
		{ apt-get update -q >/dev/null 2>&1 && apt-get download "$pkg" >/dev/null; }) || {
		echo "fetch-deb: cannot download $pkg" >&2
		exit 1
	}
	rm -rf "$dir"
	mkdir -p "$dir"
	dpkg-deb -x "$(ls "$CACHE/debs/${pkg}"_*.deb | sort -V | tail -n 1)" "$dir"
	touch "$dir/.unpacked"
fi
echo "$dir"
