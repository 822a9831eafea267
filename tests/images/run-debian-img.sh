#!/bin/sh
# run-debian-img.sh DOMU_DIR IMAGE
#
# For `make run`: the disk of /etc/xen/debian.cfg. Builds the Debian DomU
# (build-domu-rootfs.sh into DOMU_DIR, as `make domu-rootfs`) when it is
# missing, then copies its rootfs.img to IMAGE (sparse), which make run
# gives QEMU as a virtio disk (Dom0's /dev/vda). The copy keeps what the
# DomU writes from one `make run` to the next; it is made again only when
# the built image is newer. A failed build is reported and make run goes
# on without the disk (the example DomU does not need it). RUN_DEBIAN=no
# skips all of it.
set -u
dir=$1 img=$2
here=$(cd "$(dirname "$0")" && pwd)
[ "${RUN_DEBIAN:-yes}" = no ] && exit 0
if [ ! -f "$dir/rootfs.img" ]; then
	echo "make run: building the Debian DomU (make domu-rootfs, into $dir; a minute or a few, once)"
	sh "$here/build-domu-rootfs.sh" "$dir" || {
		echo "make run: the Debian DomU could not be built; /etc/xen/debian.cfg will lack its disk"
		echo "make run: (make domu-rootfs to retry; RUN_DEBIAN=no to skip it)"
		exit 0
	}
fi
if [ ! -f "$img" ] || [ "$dir/rootfs.img" -nt "$img" ]; then
	mkdir -p "$(dirname "$img")"
	cp --sparse=always "$dir/rootfs.img" "$img.tmp" && mv "$img.tmp" "$img" || {
		echo "make run: cannot copy $dir/rootfs.img to $img"
		rm -f "$img.tmp"
		exit 0
	}
fi
echo "make run: the Debian DomU's disk is $img (Dom0's /dev/vda): xl create -c /etc/xen/debian.cfg"
