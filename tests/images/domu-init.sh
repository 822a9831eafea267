#!/bin/sh
# /init of the Debian DomU's initramfs (build-domu-rootfs.sh; busybox sh,
# PID 1): load the Xen frontends and ext4 (modules in Debian's kernel),
# wait for the root device named by root= (default /dev/xvda), mount it
# and hand over to its /sbin/init. On any failure a shell on the console,
# so that the reason can be read through `xl console`.
export PATH=/sbin:/bin:/usr/sbin:/usr/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
exec 0<>/dev/console 1>&0 2>&0

root=/dev/xvda
rootflags=rw
for arg in $(cat /proc/cmdline); do
	case $arg in
	root=*) root=${arg#root=} ;;
	ro) rootflags=ro ;;
	esac
done

rescue() {
	echo "paravane-domu: $*; a shell instead"
	exec sh
}

while read -r mod; do
	[ -n "$mod" ] && { modprobe "$mod" || echo "paravane-domu: modprobe $mod failed"; }
done </etc/paravane/modules

# xen-blkfront creates the disk once the backend has connected.
i=0
while [ ! -b "$root" ] && [ $i -lt 100 ]; do usleep 100000; i=$((i + 1)); done
[ -b "$root" ] || rescue "no $root after 10 s (is the disk attached? xenstore's backend state?)"
mkdir -p /newroot
mount -t ext4 -o "$rootflags" "$root" /newroot || rescue "mounting $root failed"
# (Debian's /sbin/init is an absolute link, to be read inside the new root.)
[ -L /newroot/sbin/init ] || [ -x /newroot/sbin/init ] || rescue "$root has no /sbin/init"
umount /sys /proc
mount -o move /dev /newroot/dev
exec switch_root /newroot /sbin/init
