# Run inside Dom0 by /init (paravane.test=), for bench/split.sh: the
# split block and network drivers measured from a DomU against the same
# commands run in Dom0 (the Dom0-local baseline), in one boot. With
# Debian's xl in the image (/usr/lib/xen-4.17/bin/xl, on Xen 4.17) that
# xl and Xen's xenconsoled; else ours (Paravane).
#   1. Dom0 mounts the Debian DomU's root file system (QEMU's virtio disk,
#      /dev/vda) read-only at /debian for Debian's fio, iperf3, dd, nc
#      and ping, and starts iperf3 -s and nc -lk 5001 (to /dev/null).
#   2. baseline: split-measure.sh's blk_all on a loop device of a file in
#      Dom0's tmpfs (/tmp/local.img, SPLIT_MB MiB of zeros), net_all
#      over Dom0's loopback (127.0.0.1).
#   3. a DomU (1 vCPU, 256 MiB) with xvda = phy:/dev/vda read-only (the
#      same root file system), xvdb = file:/tmp/bench.img (the same size,
#      in tmpfs, on a loop device the hotplug helper sets up: blkback ->
#      loop -> tmpfs, so the backing store is not the bottleneck) and a
#      vif on xenbr0; its /init (split-init.sh) runs blk_all on xvdb and
#      net_all against 10.0.0.1 and powers off.
# Prints "splitbench: local NAME VALUE", "splitbench: domu NAME VALUE",
# the negotiated features, then "splitbench: DONE".
. /tests/bench-lib.sh
bench_toolstack splitbench
TAG="splitbench: local"
. /tests/split-measure.sh
SPLIT_RUNTIME=5 SPLIT_MB=64 SWEEP_RW= SWEEP_BS="4k 1m" SWEEP_IODEPTH="1 32"
split_args
runtime=$SPLIT_RUNTIME mb=$SPLIT_MB
# make bench-split-sweep (splitbench.rw= given): sweep_blk and sweep_net,
# else blk_all and net_all; the DomU gets the same arguments
blk=blk_all net=net_all sweepargs=
if [ -n "$SWEEP_RW" ]; then
	blk=sweep_blk net=sweep_net
	sweepargs=$(tr ' ' '\n' </proc/cmdline | grep '^splitbench\.\(rw\|bs\|qd\|counters\)=' | tr '\n' ' ')
fi
# make bench-split-count (splitbench.count=1, Paravane): count_blk and
# count_net on both sides; Dom0's own windows read here, between cpoints,
# with their length (cs: hundredths of a second)
cprev= ct0=
cs() { tr -d . </proc/uptime | cut -d' ' -f1; }
# counters_dump LABEL: the counters since the last `P`, as "splitbench: LABEL: ..."
counters_dump() {
	$XL debug-keys p >/dev/null 2>&1
	echo "splitbench: $1: window_cs=$(($(cs) - ct0))"
	$XL dmesg 2>/dev/null | grep "wake-stats " | tail -n 10 |
		sed "s/^.*wake-stats /splitbench: $1: /"
}
cpoint() {
	[ -n "$cprev" ] && counters_dump "local counters $cprev"
	$XL debug-keys P >/dev/null 2>&1
	cprev=$1 ct0=$(cs)
}
if [ "${SPLIT_COUNT:-0}" = 1 ]; then
	blk=count_blk net=count_net
	sweepargs="splitbench.count=1 splitbench.counters=1"
	SPLIT_COUNTERS=1
fi
log=
# a failure says why, with the end of the DomU's console when there is one
stop() {
	echo "splitbench: FAIL $*"
	[ -n "$log" ] && tr -d '\r' <"$log" 2>/dev/null | tail -n 30 | sed 's/^/splitbench: DomU console: /'
	echo "splitbench: DONE"
	exit 1
}

mkdir -p /debian
mount -t ext4 -o ro,noload /dev/vda /debian || stop "cannot mount /dev/vda (the Debian root file system)"
chroot_setup || stop "chroot set-up"
ip link set lo up
D /usr/bin/iperf3 -s -D >/dev/null 2>&1 || stop "iperf3 -s"
D /bin/sh -c 'nc -lk 5001 >/dev/null 2>&1' &
sleep 1

t0=$(now_s)
dd if=/dev/zero of=/tmp/local.img bs=1M count="$mb" 2>/dev/null
loop=$(losetup -f) && losetup "$loop" /tmp/local.img || stop "losetup"
$blk "$loop"
losetup -d "$loop"
rm -f /tmp/local.img
$net 127.0.0.1
echo "splitbench: local took $(($(now_s) - t0)) s"

dd if=/dev/zero of=/tmp/bench.img bs=1M count="$mb" 2>/dev/null
cat >/etc/xen/splitbench.cfg <<CFG
name = "splitbench"
memory = 256
vcpus = 1
kernel = "/tests/domu-kernel"
ramdisk = "/tests/splitbench-domu.gz"
extra = "console=hvc0 splitbench.runtime=$runtime splitbench.mb=$mb $sweepargs"
disk = [ 'phy:/dev/vda,xvda,r', 'file:/tmp/bench.img,xvdb,w' ]
vif = [ 'mac=00:16:3e:00:00:20, bridge=xenbr0' ]
on_poweroff = "destroy"
on_crash = "destroy"
CFG
t0=$(now_s)
# (to a file: xl's monitor keeps its output open while the domain lives)
$XL create /etc/xen/splitbench.cfg >/tmp/create.out 2>&1
sed 's/^/splitbench: xl: /' /tmp/create.out
log=$CONSLOG/guest-splitbench.log
dom=$($XL domid splitbench 2>/dev/null)
[ -n "$dom" ] || stop "xl create made no domain"
# the DomU's time limit: 900 s for its boot and the fixed measurements,
# plus 20 s over each fio point's run (a sweep's DomU on Xen 4.17 took
# over 800 s for 16 points of 3 s at a host load of 18)
n=5
[ -n "$SWEEP_RW" ] && n=$(($(set -- $SWEEP_RW; echo $#) * $(set -- $SWEEP_BS; echo $#) * $(set -- $SWEEP_IODEPTH; echo $#)))
limit=$((900 + n * (runtime + 20)))
# the negotiated features, once both frontends are connected
end=$(($(now_s) + limit))
until grep -q 'splitbench-domu: ready' "$log" 2>/dev/null; do
	[ "$(now_s)" -lt $end ] || break
	grep -q 'splitbench-domu: DONE' "$log" 2>/dev/null && break
	sleep 1
done
be=/local/domain/0/backend fe=/local/domain/$dom/device
for n in "$be/vbd/$dom/51728/feature-persistent" "$fe/vbd/51728/feature-persistent" \
	"$be/vbd/$dom/51728/feature-max-indirect-segments" "$fe/vbd/51728/multi-queue-num-queues" \
	"$fe/vbd/51728/ring-page-order" "$be/vif/$dom/0/feature-gso-tcpv4" "$fe/vif/0/feature-gso-tcpv4" \
	"$fe/vif/0/feature-sg" "$fe/vif/0/multi-queue-num-queues" "$fe/vif/0/request-rx-copy"; do
	echo "splitbench: feature ${n#/local/domain/} = $(xenstore-read "$n" 2>/dev/null || echo -)"
done
# COUNTERS=1 on Paravane: at each of the DomU's marks, the hypervisor's
# wake-up counters since the mark before (the DomU waits 3 s after each)
counting=
[ "${SPLIT_COUNTERS:-0}" = 1 ] && [ "$XL" = /usr/sbin/xl ] && counting=1
point=
counters_at_mark() {
	m=$(tr -d '\r' <"$log" | sed -n 's/^splitbench-domu: mark //p' | tail -n 1)
	[ -n "$m" ] && [ "$m" != "$point" ] || return 0
	[ -n "$point" ] && counters_dump "counters $point"
	$XL debug-keys P >/dev/null 2>&1
	point=$m ct0=$(cs)
}
until grep -q 'splitbench-domu: DONE' "$log" 2>/dev/null; do
	[ "$(now_s)" -lt $end ] || stop "the DomU did not finish in $limit s"
	if [ -n "$counting" ]; then
		counters_at_mark
		sleep 1
	else
		sleep 2
	fi
done
[ -n "$counting" ] && counters_at_mark
grep -q 'splitbench-domu: FAIL' "$log" && stop "the DomU: $(tr -d '\r' <"$log" | grep -a -m1 'splitbench-domu: FAIL')"
echo "splitbench: domu took $(($(now_s) - t0)) s (with its boot)"
tr -d '\r' <"$log" | grep -a '^splitbench-domu: ' | sed 's/^splitbench-domu: /splitbench: domu /'
sleep 2
$XL destroy splitbench >/dev/null 2>&1
echo "splitbench: DONE"
