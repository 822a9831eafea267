# split-measure.sh: the measurements of bench-split (bench/split.sh),
# sourced by Dom0's script (bench/dom0/split-bench.sh, the Dom0-local
# baseline) and by the DomU's /init (bench/domu/split-init.sh), so both
# sides run the very same commands. The programs are Debian's (fio,
# iperf3, GNU dd, nc.openbsd, ping) from the Debian DomU's root file
# system mounted read-only at $ROOT, run by chroot. Each prints
# "$TAG NAME VALUE" lines (VALUE a number, "-" when the command failed).
#   blk_all DEV       on a block device, O_DIRECT (nothing cached):
#     dd_read     MB/s  dd if=DEV bs=1M iflag=direct (the anchor)
#     seqread     MB/s  fio read, 1 MiB, libaio, queue depth 4
#     seqwrite    MB/s  fio write, 1 MiB, libaio, queue depth 4
#     randread1   IOPS  fio randread, 4 KiB, queue depth 1
#     randread32  IOPS  fio randread, 4 KiB, queue depth 32
#     randwrite32 IOPS  fio randwrite, 4 KiB, queue depth 32
#   net_all HOST      against Dom0's servers (iperf3 -s, nc -lk 5001):
#     ddnc        MB/s  dd if=/dev/zero bs=1M | nc HOST 5001 (the anchor)
#     iperf_tx    Mbit/s iperf3 -c HOST (this side sends)
#     iperf_rx    Mbit/s iperf3 -c HOST -R (HOST sends)
#     ping        us    mean round trip of ping -c 20 -i 0.2 HOST
#   sweep_blk DEV     (make bench-split-sweep) the dd_read anchor, then fio
#     over SWEEP_RW x SWEEP_BS x SWEEP_IODEPTH (space-separated lists):
#     fio_RW_BS_qdN  MB/s  fio --rw=RW --bs=BS --iodepth=N, libaio
#   sweep_net HOST    the ddnc anchor, iperf3 with 1 and 4 streams each
#     way, ping:
#     iperf_tx_pN / iperf_rx_pN  Mbit/s  iperf3 -c HOST -P N [-R]
# With splitbench.counters=1 (make bench-split-sweep COUNTERS=1) the DomU
# prints "TAG mark NAME" before each sweep point and "TAG mark end" after
# the last, then waits 3 s: Dom0 (split-bench.sh) then prints Paravane's
# wake-up counters (debug key 'p') for the point before and clears them.
# With splitbench.count=1 (make bench-split-count) both sides run
# count_blk and count_net instead: a few points, each between two calls
# of cpoint (Dom0 reads the counters itself; the DomU marks, as above),
# with an idle window first (the background to subtract) and the work per
# point printed (NAME_mib, NAME_ios) to divide by.
# SPLIT_RUNTIME (s, default 5) is each fio/iperf3 run's length; SPLIT_MB
# the MiB dd moves (default 64). split_args reads all of these from the
# kernel's command line (splitbench.NAME=VALUE, lists joined by +),
# where Dom0's script and the DomU's config put them.
ROOT=${ROOT:-/debian}
SPLIT_RUNTIME=${SPLIT_RUNTIME:-5}
SPLIT_MB=${SPLIT_MB:-64}
# (absolute paths: busybox's chroot prefers its own applets, dd, sh, ping
# and nc among them, to the programs of the same names in the new root)
D() { chroot "$ROOT" "$@"; }

split_args() {
	for arg in $(cat /proc/cmdline); do
		case $arg in
		splitbench.runtime=*) SPLIT_RUNTIME=${arg#*=} ;;
		splitbench.mb=*) SPLIT_MB=${arg#*=} ;;
		splitbench.rw=*) SWEEP_RW=$(echo "${arg#*=}" | tr + ' ') ;;
		splitbench.bs=*) SWEEP_BS=$(echo "${arg#*=}" | tr + ' ') ;;
		splitbench.qd=*) SWEEP_IODEPTH=$(echo "${arg#*=}" | tr + ' ') ;;
		splitbench.counters=*) SPLIT_COUNTERS=${arg#*=} ;;
		splitbench.count=*) SPLIT_COUNT=${arg#*=} ;;
		esac
	done
}

# chroot_setup: what the programs need inside the read-only root
chroot_setup() {
	mount -t proc proc "$ROOT/proc" &&
	mount -t sysfs sysfs "$ROOT/sys" &&
	mount -o bind /dev "$ROOT/dev" &&
	mount -t tmpfs tmpfs "$ROOT/tmp" &&
	mount -t tmpfs tmpfs "$ROOT/run"
}

# dd_rate: GNU dd's summary on stdin -> MB/s (bytes / seconds / 10^6)
dd_rate() {
	awk '/copied/ { for (i = 1; i <= NF; i++) if ($i == "s,") s = $(i - 1); b = $1 }
		END { if (s > 0) printf "%.1f\n", b / s / 1000000; else print "-" }'
}

# fio_run NAME FIELD DEV ARGS...: one fio job, FIELD of its terse (v3)
# line: 7 read KiB/s, 8 read IOPS, 48 write KiB/s, 49 write IOPS
fio_run() {
	name=$1 field=$2 dev=$3
	shift 3
	v=$(D /usr/bin/fio --name="$name" --filename="$dev" --direct=1 --ioengine=libaio --time_based \
		--runtime="$SPLIT_RUNTIME" --ramp_time=1 --output-format=terse --terse-version=3 "$@" 2>/dev/null |
		awk -F';' -v f="$field" '$1 == 3 { print $f }')
	case $field in
	7 | 48) v=$(echo "$v" | awk '$1 > 0 { printf "%.2f\n", $1 * 1024 / 1000000; exit } { print "-" }') ;;
	esac
	echo "$TAG $name ${v:--}"
}

# dd_report NAME: GNU dd's summary in /tmp/dd.out -> the rate line, or
# what dd said when there is no rate
dd_report() {
	v=$(dd_rate </tmp/dd.out)
	echo "$TAG $1 ${v:--}"
	[ "${v:--}" = - ] && tail -n 3 /tmp/dd.out | sed "s/^/$TAG $1: /"
}

dd_read() {
	D /usr/bin/dd if="$1" of=/dev/null bs=1M count="$SPLIT_MB" iflag=direct >/tmp/dd.out 2>&1
	dd_report dd_read
}

blk_all() {
	dev=$1
	dd_read "$dev"
	fio_run seqread 7 "$dev" --rw=read --bs=1M --iodepth=4
	fio_run seqwrite 48 "$dev" --rw=write --bs=1M --iodepth=4
	fio_run randread1 8 "$dev" --rw=randread --bs=4k --iodepth=1
	fio_run randread32 8 "$dev" --rw=randread --bs=4k --iodepth=32
	fio_run randwrite32 49 "$dev" --rw=randwrite --bs=4k --iodepth=32
}

ddnc() {
	D /bin/sh -c "dd if=/dev/zero bs=1M count=$SPLIT_MB 2>/tmp/dd.err | nc -N $1 5001; cat /tmp/dd.err" >/tmp/dd.out 2>&1
	dd_report ddnc
}

# iperf NAME HOST ARGS...: iperf3's receiver-side rate in Mbit/s (the
# last "receiver" line: the [SUM] one with -P > 1)
iperf() {
	name=$1 host=$2
	shift 2
	v=$(D /usr/bin/iperf3 -c "$host" -t "$SPLIT_RUNTIME" -f m "$@" 2>/dev/null |
		awk '/receiver/ { for (i = 1; i <= NF; i++) if ($i == "Mbits/sec") v = $(i - 1) } END { print v }')
	echo "$TAG $name ${v:--}"
	sleep 1
}

ping_rtt() {
	v=$(D /usr/bin/ping -q -c 20 -i 0.2 "$1" 2>/dev/null |
		awk -F'/' '/^rtt/ { printf "%d\n", $5 * 1000 }')
	echo "$TAG ping ${v:--}"
}

net_all() {
	ddnc "$1"
	iperf iperf_tx "$1"
	iperf iperf_rx "$1" -R
	ping_rtt "$1"
}

# mark NAME: the start of a point, for Dom0's counters (the DomU only)
mark() {
	[ "${SPLIT_MARK:-0}" = 1 ] || return 0
	echo "$TAG mark $1"
	sleep 3
}

sweep_blk() {
	dev=$1
	dd_read "$dev"
	for rw in ${SWEEP_RW:-read randread write randwrite}; do
		case $rw in *write) f=48 ;; *) f=7 ;; esac
		for bs in ${SWEEP_BS:-4k 1m}; do
			for qd in ${SWEEP_IODEPTH:-1 32}; do
				mark "fio_${rw}_${bs}_qd$qd"
				fio_run "fio_${rw}_${bs}_qd$qd" $f "$dev" --rw="$rw" --bs="$bs" --iodepth="$qd"
			done
		done
	done
}

sweep_net() {
	mark ddnc
	ddnc "$1"
	for p in 1 4; do
		mark iperf_tx_p$p
		iperf iperf_tx_p$p "$1" -P $p
		mark iperf_rx_p$p
		iperf iperf_rx_p$p "$1" -P $p -R
	done
	mark ping
	ping_rtt "$1"
	mark end
}

# cpoint NAME: the DomU's counted window starts (Dom0's split-bench.sh
# replaces this for its own baseline); 2 s for Dom0's 1 s poll to see it
cpoint() {
	echo "$TAG mark $1"
	sleep 2
}

# count_blk DEV: idle, dd (4 x SPLIT_MB MiB, 1 MiB O_DIRECT) and fio
# randread 4 KiB QD1 (its I/O count from fio's terse field 6, KiB read)
count_blk() {
	cpoint idle
	sleep 5
	cpoint dd_read
	for i in 1 2 3 4; do dd_read "$1"; done
	echo "$TAG dd_read_mib $((4 * SPLIT_MB))"
	cpoint randread1
	v=$(D /usr/bin/fio --name=randread1 --filename="$1" --direct=1 --ioengine=libaio --time_based \
		--runtime="$SPLIT_RUNTIME" --output-format=terse --terse-version=3 --rw=randread --bs=4k \
		--iodepth=1 2>/dev/null | awk -F';' '$1 == 3 { print $8, $6 / 4 }')
	echo "$TAG randread1 ${v% *}"
	echo "$TAG randread1_ios ${v#* }"
}

# count_net HOST: iperf3 each way (the bytes: Mbit/s x SPLIT_RUNTIME)
count_net() {
	cpoint iperf_tx
	iperf iperf_tx "$1"
	cpoint iperf_rx
	iperf iperf_rx "$1" -R
	cpoint end
}
