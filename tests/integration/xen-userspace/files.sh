#!/bin/sh
# files.sh - print the SRC:DEST specs (build-dom0-initramfs.sh) of Debian's
# own Xen 4.17 user space, unmodified, where Debian installs it: from
# xen-utils-4.17 the programs in /usr/lib/xen-4.17/bin (xl, xen-init-dom0,
# the C xenstored, xenconsoled, the xenconsole client), from xenstore-utils
# the xenstore-* commands, and their shared-library closure in
# /usr/lib/x86_64-linux-gnu (Debian's libxen* packages first, then this
# machine's, which is Debian 12 too: its glibc is the one the programs
# were linked against). glibc dlopens libgcc_s.so.1 for pthread_cancel and
# unwinding, which no NEEDED entry shows: it is added by name.
# The packages come from the cache (fetch-deb.sh: apt-get download, dpkg -x).
set -eu
fetch() { sh tests/images/fetch-deb.sh "$1"; }
XEN_BIN=/usr/lib/xen-4.17/bin
LIBDIR=/usr/lib/x86_64-linux-gnu

utils=$(fetch xen-utils-4.17)
xsutils=$(fetch xenstore-utils)
search=
for p in libxenmisc4.17 libxentoolcore1 libxentoollog1 libxenstore4 libxenevtchn1 \
	libxengnttab1 libxencall1 libxenforeignmemory1 libxendevicemodel1 libxenhypfs1; do
	search="$search $(fetch "$p")$LIBDIR"
done
search="$search /lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu"

progs=
for b in xl xen-init-dom0 xenstored xenconsoled xenconsole; do
	progs="$progs $utils$XEN_BIN/$b:$XEN_BIN/$b"
done
for b in xenstore xenstore-read xenstore-write xenstore-ls xenstore-list xenstore-rm \
	xenstore-exists xenstore-watch xenstore-chmod; do
	progs="$progs $xsutils/usr/bin/$b:/usr/bin/$b"
done

# Xen's hotplug scripts from xen-utils-common, as Debian installs them
# (libxl runs /etc/xen/scripts/block and vif-bridge itself), and what they
# run that busybox lacks or answers in another format: bash, util-linux's
# flock and losetup (`losetup -a`'s format is parsed), coreutils' stat.
common=$(fetch xen-utils-common)
for f in "$common"/etc/xen/scripts/*; do
	echo "$f:/etc/xen/scripts/${f##*/}"
done
for b in /bin/bash /usr/bin/flock /usr/sbin/losetup /usr/bin/stat; do
	progs="$progs $b:$b"
done
# Paravane's hotplug helper (dom0-tools/hotplug, POSIX sh): check.sh puts
# it in place of Xen's block and vif-bridge unless xu.hotplug=xen.
echo "dom0-tools/hotplug/xen-hotplug.sh:/usr/lib/paravane/xen-hotplug"

needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }
find_lib() {
	for d in $search; do
		[ -e "$d/$1" ] && { realpath "$d/$1"; return 0; }
	done
	echo "xen-userspace files.sh: library $1 not found (in$search)" >&2
	return 1
}

todo=libgcc_s.so.1
for spec in $progs; do
	echo "$spec"
	todo="$todo $(needed "${spec%%:*}")"
done
done_list=" "
while [ -n "$todo" ]; do
	set -- $todo
	lib=$1
	shift
	todo=$*
	case $done_list in *" $lib "*) continue ;; esac
	done_list="$done_list$lib "
	case $lib in
	ld-linux-x86-64.so.2) echo "/lib64/ld-linux-x86-64.so.2:/lib64/ld-linux-x86-64.so.2"; continue ;;
	esac
	src=$(find_lib "$lib")
	echo "$src:$LIBDIR/$lib"
	todo="$todo $(needed "$src")"
done
