#!/bin/sh
# fetch-kernel.sh
#
# Fetch Debian 12's current 6.1 amd64 kernel and busybox-static into $CACHE
# (through fetch-deb.sh) and print, one `name=value` per line, so callers
# can `eval` the output:
#   kernel_version=6.1.0-NN-amd64
#   vmlinuz=<path to the bzImage>
#   modules=<path to lib/modules/VERSION>
#   busybox=<path to the static busybox binary>
#
# linux-image-amd64 is only a metapackage; the real package name is its
# dependency. Set KERNEL_PKG to pin another one. Without a reachable archive
# the newest kernel already unpacked in $CACHE is used, so an offline
# rebuild keeps working.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
CACHE=${CACHE:-$HOME/.cache/paravane}
export CACHE

die() {
	echo "fetch-kernel: $*" >&2
	exit 1
}

resolve_kernel_pkg() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-6\.1\.0-[0-9]*-amd64\)$/\1/p' | head -n 1
}

pkg=${KERNEL_PKG:-}
if [ -z "$pkg" ]; then
	pkg=$(resolve_kernel_pkg)
	if [ -z "$pkg" ]; then
		# Fresh machine: the package lists may not be there yet.
		apt-get update -q >/dev/null 2>&1 || true
		pkg=$(resolve_kernel_pkg)
	fi
fi
if [ -z "$pkg" ]; then
	pkg=$(ls "$CACHE/pkg" 2>/dev/null | grep '^linux-image-6\.1\.0-[0-9]*-amd64$' |
		sort -V | tail -n 1) || true
	[ -n "$pkg" ] || die "cannot resolve linux-image-amd64 to a kernel package (no apt lists, nothing in $CACHE/pkg)"
fi

kdir=$(sh "$here/fetch-deb.sh" "$pkg") || die "cannot fetch $pkg"
version=${pkg#linux-image-}
vmlinuz=$kdir/boot/vmlinuz-$version
modules=$kdir/lib/modules/$version
[ -f "$vmlinuz" ] || die "$pkg: no $vmlinuz in the package"
[ -d "$modules/kernel" ] || die "$pkg: no $modules/kernel in the package"

bbdir=$(sh "$here/fetch-deb.sh" busybox-static) || die "cannot fetch busybox-static"
busybox=$bbdir/bin/busybox
[ -x "$busybox" ] || die "busybox-static: no executable $busybox in the package"

echo "kernel_version=$version"
echo "vmlinuz=$vmlinuz"
echo "modules=$modules"
echo "busybox=$busybox"
