#!/bin/sh
# /init of the DomUs in images-split-xl-pair and images-split-xl-cycles
# (busybox sh, PID 1; built with build-dom0-initramfs.sh's INITRAMFS_INIT,
# modules xen-blkfront, xen-netfront, ext4). It does no test of its own:
# it loads the frontends, gives eth0 the address split.ip= of its command
# line (again whenever a new eth0 appears: network-detach and -attach),
# reads its disks once (a few blocks of each xvd*, so that blkfront has
# talked to blkback), and serves a shell on TCP port 7000 (busybox nc -e),
# through which Dom0's check script runs its commands. Console lines:
#   split-agent: up IP BOOT_ID    ready (the boot id tells boots apart)
#   split-agent: eth0 IP          eth0 (re)configured
export PATH=/sbin:/bin:/usr/sbin:/usr/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
exec 0<>/dev/console 1>&0 2>&0
say() { echo "split-agent: $*"; }

while read -r mod; do
	[ -n "$mod" ] && { modprobe "$mod" || say "modprobe $mod failed"; }
done </etc/paravane/modules
ip=
for arg in $(cat /proc/cmdline); do
	case $arg in split.ip=*) ip=${arg#split.ip=} ;; esac
done
ip link set lo up
i=0
while [ ! -e /sys/class/net/eth0 ] && [ $i -lt 100 ]; do usleep 100000; i=$((i + 1)); done
for d in /sys/block/xvd*; do
	[ -e "$d" ] && dd if="/dev/${d##*/}" of=/dev/null bs=4k count=4 2>/dev/null
done

# eth0 keeps its address: a new eth0 (after network-attach) gets it too
(
	while :; do
		if [ -e /sys/class/net/eth0 ] && ! ip -4 addr show dev eth0 | grep -q inet; then
			ip link set eth0 up && ip addr add "$ip/24" dev eth0 && say "eth0 $ip"
		fi
		usleep 200000
	done
) </dev/null &
i=0
while ! ip -4 addr show dev eth0 2>/dev/null | grep -q inet && [ $i -lt 100 ]; do usleep 100000; i=$((i + 1)); done
nc -ll -p 7000 -e /bin/sh </dev/null &
say "up $ip $(cat /proc/sys/kernel/random/boot_id)"
while :; do sleep 3600; done
