#!/bin/sh
# /init of the DomU in images-split-xl (busybox sh, PID 1; built with
# build-dom0-initramfs.sh's INITRAMFS_INIT, modules xen-blkfront,
# xen-netfront, ext4). What it sees of its devices goes to its console
# as "split-domu: ..." lines, which the Dom0 side (xl-check.sh) reads in
# xenconsoled's log:
#   xvda (rw, ext4): the marker read, a file written and synced, unmounted
#   eth0: 10.0.0.2/24, ping of Dom0 (10.0.0.1) over xenbr0
#   xvdc (ro): writing refused
#   xvdb: appears after Dom0's block-attach, goes after its block-detach
export PATH=/sbin:/bin:/usr/sbin:/usr/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
exec 0<>/dev/console 1>&0 2>&0
say() { echo "split-domu: $*"; }
wait_dev() { i=0; while [ ! -b "$1" ] && [ $i -lt $2 ]; do usleep 100000; i=$((i + 1)); done; [ -b "$1" ]; }

while read -r mod; do
	[ -n "$mod" ] && { modprobe "$mod" || say "modprobe $mod failed"; }
done </etc/paravane/modules
say "up"

# paravane.honest (images-split-hostile): the honest DomU beside a hostile
# one; each round writes and syncs its disk, reads the marker and the round
# back, pings Dom0, and says "honest: round N ok" (or what failed).
if grep -q paravane.honest /proc/cmdline; then
	wait_dev /dev/xvda 300 || echo "honest: FAIL no xvda"
	mkdir -p /mnt
	mount -t ext4 /dev/xvda /mnt || echo "honest: FAIL mount"
	i=0
	while [ ! -e /sys/class/net/eth0 ] && [ $i -lt 100 ]; do usleep 100000; i=$((i + 1)); done
	ip link set eth0 up && ip addr add 10.0.0.2/24 dev eth0
	n=0
	while :; do
		n=$((n + 1))
		why=""
		echo "$n" >/mnt/round && sync || why="$why write"
		[ "$(cat /mnt/round)" = "$n" ] || why="$why readback"
		[ "$(cat /mnt/marker)" = "hello-paravane" ] || why="$why marker"
		ping -c 1 -W 3 10.0.0.1 >/dev/null 2>&1 || ping -c 1 -W 3 10.0.0.1 >/dev/null 2>&1 || why="$why ping"
		if [ -z "$why" ]; then echo "honest: round $n ok"; else echo "honest: round $n FAIL$why"; fi
		sleep 1
	done
fi

if wait_dev /dev/xvda 300; then
	mkdir -p /mnt
	if mount -t ext4 /dev/xvda /mnt; then
		say "marker $(cat /mnt/marker 2>/dev/null || echo none)"
		say "previous $(cat /mnt/from-domu 2>/dev/null || echo none)"
		echo "written by the DomU" >/mnt/from-domu && sync && umount /mnt && say "wrote"
	else
		say "mount xvda failed"
	fi
else
	say "no xvda"
fi
if wait_dev /dev/xvdc 100; then
	if dd if=/dev/zero of=/dev/xvdc bs=512 count=1 2>/dev/null; then
		say "xvdc written (read-only not enforced)"
	else
		say "xvdc refused writing"
	fi
	dd if=/dev/xvdc of=/dev/null bs=512 count=1 2>/dev/null && say "xvdc readable"
else
	say "no xvdc"
fi
i=0
while [ ! -e /sys/class/net/eth0 ] && [ $i -lt 100 ]; do usleep 100000; i=$((i + 1)); done
ip link set eth0 up && ip addr add 10.0.0.2/24 dev eth0
if ping -c 3 -W 5 10.0.0.1 >/dev/null 2>&1; then say "ping ok"; else say "ping failed"; fi
say "waiting for xvdb"
if wait_dev /dev/xvdb 3000; then
	say "xvdb appeared ($(cat /sys/block/xvdb/size) sectors)"
	i=0
	while [ -b /dev/xvdb ] && [ $i -lt 3000 ]; do usleep 100000; i=$((i + 1)); done
	[ -b /dev/xvdb ] && say "xvdb stayed" || say "xvdb gone"
else
	say "xvdb never appeared"
fi
while :; do sleep 3600; done
