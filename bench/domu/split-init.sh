#!/bin/sh
# /init of bench-split's DomU (busybox sh, PID 1; bench/split.sh): load
# the Xen frontends and ext4, mount the Debian root file system from xvda
# read-only at /debian (for fio, iperf3, dd, nc, ping), give eth0
# 10.0.0.2/24, wait until Dom0 (10.0.0.1) answers, then run the same
# measurements as Dom0's baseline (split-measure.sh's blk_all and
# net_all, or for make bench-split-sweep its sweep_blk and sweep_net) on
# xvdb (the disk under test) and against Dom0, print them on the console (hvc0) as
# "splitbench-domu: NAME VALUE" and power off.
export PATH=/sbin:/bin:/usr/sbin:/usr/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
exec 0<>/dev/console 1>&0 2>&0
TAG=splitbench-domu:
end() {
	echo "$TAG $*"
	echo "$TAG DONE"
	sync
	poweroff -f
	while :; do sleep 60; done
}
while read -r mod; do
	[ -n "$mod" ] && modprobe "$mod"
done </etc/paravane/modules
i=0
while { [ ! -b /dev/xvda ] || [ ! -b /dev/xvdb ]; } && [ $i -lt 300 ]; do usleep 100000; i=$((i + 1)); done
[ -b /dev/xvdb ] || end "FAIL no /dev/xvda and /dev/xvdb after 30 s"
mkdir -p /debian /tmp
mount -t ext4 -o ro,noload /dev/xvda /debian || end "FAIL mounting xvda"
. /etc/split-measure.sh
SWEEP_RW=
split_args
chroot_setup || end "FAIL setting up the chroot"
ip link set lo up
ip addr add 10.0.0.2/24 dev eth0 && ip link set eth0 up || end "FAIL no eth0"
i=0
until ping -c 1 -W 1 10.0.0.1 >/dev/null 2>&1; do
	i=$((i + 1))
	[ $i -lt 60 ] || end "FAIL Dom0 does not answer ping"
done
echo "$TAG ready"
grep -h . /sys/block/xvdb/queue/max_hw_sectors_kb /sys/block/xvdb/queue/nr_requests 2>/dev/null |
	tr '\n' ' ' | sed "s/^/$TAG queue (max_hw_sectors_kb nr_requests): /"
echo
# (make bench-split-sweep: splitbench.rw= and its lists on the command line)
if [ "${SPLIT_COUNT:-0}" = 1 ]; then
	count_blk /dev/xvdb
	count_net 10.0.0.1
elif [ -n "$SWEEP_RW" ]; then
	SPLIT_MARK=${SPLIT_COUNTERS:-0}
	sweep_blk /dev/xvdb
	sweep_net 10.0.0.1
else
	blk_all /dev/xvdb
	net_all 10.0.0.1
fi
end "measured"
