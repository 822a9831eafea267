#!/bin/sh
# /init of the DomU of the xen-userspace scenario (busybox sh, PID 1;
# build-dom0-initramfs.sh with INITRAMFS_INIT and the modules xen-blkfront
# and xen-netfront). It prints the marker "paravane-domU: init reached" on
# hvc0 first (the time to it is what the scenario measures), then, for
# the devices the toolstack gave it (xenbus lists them before /init runs),
# what it sees as "xu-domu: " lines: xvda's size, xvdb's (written to
# as well), Dom0 pinged over the vif. Then a shell on the console, for `xl console`.
export PATH=/sbin:/bin:/usr/sbin:/usr/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
exec 0<>/dev/console 1>&0 2>&0
echo "paravane-domU: init reached (kernel $(uname -r), $(grep MemTotal /proc/meminfo | tr -s ' '))"
say() { echo "xu-domu: $*"; }
while read -r mod; do
	[ -n "$mod" ] && { modprobe "$mod" || say "modprobe $mod failed"; }
done </etc/paravane/modules
# waited for at most $2 tenths of a second
wait_for() { i=0; while ! [ -e "$1" ] && [ $i -lt "$2" ]; do usleep 100000; i=$((i + 1)); done; [ -e "$1" ]; }
if [ -e /sys/bus/xen/devices/vbd-51712 ]; then
	if wait_for /dev/xvda 200; then
		say "xvda $(cat /sys/block/xvda/size) sectors, $(dd if=/dev/xvda bs=512 count=1 2>/dev/null | head -c 15)"
	else
		say "no xvda"
	fi
fi
# xvdb, the phy: disk: its marker, and one written back for Dom0 to find
if [ -e /sys/bus/xen/devices/vbd-51728 ]; then
	if wait_for /dev/xvdb 200; then
		printf 'XU-PHY-WRITTEN' | dd of=/dev/xvdb bs=512 seek=1 conv=sync 2>/dev/null && sync
		say "xvdb $(cat /sys/block/xvdb/size) sectors, $(dd if=/dev/xvdb bs=512 count=1 2>/dev/null | head -c 13)"
	else
		say "no xvdb"
	fi
fi
if [ -e /sys/bus/xen/devices/vif-0 ]; then
	if wait_for /sys/class/net/eth0 200 && ip link set eth0 up && ip addr add 10.0.0.2/24 dev eth0; then
		if ping -c 2 -W 5 10.0.0.1 >/dev/null 2>&1; then say "ping ok"; else say "ping failed"; fi
	else
		say "no eth0"
	fi
fi
say "ready"
poweroff() { sync; busybox poweroff -f; }
while :; do
	setsid cttyhack sh -l || sleep 1
done
