#!/bin/sh
# split.sh: the split block and network drivers (issue 17), a DomU
# against Dom0-local, on Paravane with our xl and on Xen 4.17 with
# Debian's xl, in the same QEMU (TCG, -smp 2, Dom0 2 vCPUs and 512 MiB,
# the DomU 1 vCPU and 256 MiB), ROUNDS (default 2) alternating boots,
# Paravane first. In each boot bench/dom0/split-bench.sh measures Dom0
# first, then the DomU (bench/domu/split-init.sh), with the same commands
# (bench/dom0/split-measure.sh). Prints, per measurement, the medians
# over the rounds: DomU, Dom0-local and their ratio on each system, and
# Paravane's ratio over Xen's. Environment from bench/module.mk: PV_FILES,
# XEN_FILES (the boot images' extra files), DOMU_IMG (the Debian root
# file system, QEMU's virtio disk in snapshot mode), SPLIT_RUNTIME
# (seconds per fio/iperf3 run, default 5), SPLIT_MB (MiB of the disks and
# of each dd, default 128); SPLIT_REPORT_ONLY=1 prints the table of the
# logs there without booting. Logs: build/images/splitbench-*-test.log.txt.
# make bench-split-sweep sets SPLIT_NAME=splitsweep (its logs:
# build/images/splitsweep-*) and SWEEP_RW, SWEEP_BS, SWEEP_IODEPTH (lists):
# fio over all their combinations and iperf3 -P 1 and 4 both ways
# (split-measure.sh's sweep_blk, sweep_net); the table then also goes to
# build/images/splitsweep-table.txt and, with gnuplot, a plot of the
# ratios to build/images/splitsweep.svg.
#
# Each row says whether the point meets issue 17's targets: DomU /
# Dom0-local >= 0.45 for block, >= 0.75 for network, and Paravane's
# ratio above Xen 4.17's (ping has no target of its own).
#
#   sh bench/split.sh PARAVANE_ELF XEN_ELF
set -u
pv=$1 xen=$2
rounds=${ROUNDS:-2}
N=${SPLIT_NAME:-splitbench}
kargs="splitbench.runtime=${SPLIT_RUNTIME:-5} splitbench.mb=${SPLIT_MB:-128}"
plus() { echo "$*" | tr -s ' ' '+'; }  # (not commas: QEMU's -initrd separates multiboot modules with them)
[ -n "${SWEEP_RW:-}" ] &&
	kargs="$kargs splitbench.rw=$(plus $SWEEP_RW) splitbench.bs=$(plus ${SWEEP_BS:-4k 1m}) splitbench.qd=$(plus ${SWEEP_IODEPTH:-1 32})"
# SPLIT_COUNTERS=1: Paravane's wake-up counters per sweep point
# ("splitbench: counters POINT: ..." in the logs)
[ "${SPLIT_COUNTERS:-0}" = 1 ] && kargs="$kargs splitbench.counters=1"
# SPLIT_COUNT=1 (make bench-split-count): the counted points of
# split-measure.sh's count_blk/count_net, Dom0-local and DomU
[ "${SPLIT_COUNT:-0}" = 1 ] && kargs="$kargs splitbench.count=1"
boot() {  # name mode hv files
	echo "bench-split: $1 ($(date +%H:%M:%S), uptime: $(uptime))" >&2
	BOOT_NAME=$1 BOOT_SCRIPT=bench/dom0/split-bench.sh:/tests/split-bench.sh \
	BOOT_PASS='^splitbench: DONE' BOOT_SHOW='^splitbench:' IMAGES_BOOT_TIMEOUT=1800 \
	XEN_SMP=2 BOOT_EXTRA="$4" BOOT_KARGS="$kargs" INITRAMFS_EXTRA_MODULES="ext4 crc32c_generic" \
	QEMU_EXTRA="-drive file=$DOMU_IMG,if=virtio,format=raw,snapshot=on" \
	sh tests/integration/images_boot_test.sh "$2" build/images/kernel.env build/images "$3" >/dev/null 2>&1
	log=build/images/$1-test.log.txt
	if ! grep -q '^splitbench: DONE' "$log" 2>/dev/null || grep -q '^splitbench: FAIL' "$log"; then
		echo "$1: the benchmark did not complete; console tail:" >&2
		tail -n 40 "$log" >&2
		return 1
	fi
	echo "bench-split: $1 done ($(date +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
}
# A boot that fails (e.g. libxl's 10 s limit on a hotplug script, hit on
# Xen under heavy host load) is reported and left out of the medians.
# SPLIT_REPORT_ONLY=1: no boots, the table from the logs already there.
# SPLIT_FIRST_ROUND=N (default 1) keeps the logs of the rounds before N
# and starts there; SPLIT_SYSTEMS (default "paravane xen") picks the boots
# (to redo a failed one: SPLIT_FIRST_ROUND=2 ROUNDS=2 SPLIT_SYSTEMS=xen).
if [ -z "${SPLIT_REPORT_ONLY:-}" ]; then
	r=${SPLIT_FIRST_ROUND:-1}
	[ "$r" = 1 ] && rm -f build/images/$N-*-test.log.txt
	while [ "$r" -le "$rounds" ]; do
		for sys in ${SPLIT_SYSTEMS:-paravane xen}; do
			case $sys in paravane) hv=$pv files=$PV_FILES ;; *) hv=$xen files=$XEN_FILES ;; esac
			boot $N-$sys-$r "$sys" "$hv" "$files" ||
				mv build/images/$N-$sys-$r-test.log.txt build/images/$N-$sys-$r-failed.log.txt
		done
		r=$((r + 1))
	done
fi
# "system kind name value" rows, then medians and ratios
table=build/images/$N-table.txt
for f in build/images/$N-*-test.log.txt; do
	sys=${f#build/images/$N-}
	round=${sys#*-}
	round=${round%%-*}
	sys=${sys%%-*}
	sed -n "s/^splitbench: \(local\|domu\) \([a-z_0-9]*\) \([0-9.]*\)$/$sys \1 \2 \3 $round/p" "$f"
done | awk '
function median(key,    n, i, j, t, a) {
	n = split(vals[key], a, " ")
	if (n == 0) return -1
	for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > t + 0; j--) a[j + 1] = a[j]; a[j + 1] = t }
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
{ k = $1 " " $2 " " $3; vals[k] = vals[k] " " $4; one[k " " $5] = $4; rounds[$1 " " $5] = 1
  if (!($3 in seen)) { seen[$3] = 1; order[++m] = $3 } }
# the ratio of each boot (its DomU against its own Dom0-local), into vals[SYS ratio NAME]
function ratios(sys, name,    r, d, l) {
	for (r = 1; r <= 99; r++) {
		if (!((sys " " r) in rounds)) continue
		d = one[sys " domu " name " " r]; l = one[sys " local " name " " r]
		if (d == "" || l == "" || d + 0 <= 0 || l + 0 <= 0) continue
		vals[sys " ratio " name] = vals[sys " ratio " name] " " (name == "ping" ? l / d : d / l)
	}
	return median(sys " ratio " name)
}
END {
	for (k in rounds) maxn[substr(k, 1, index(k, " ") - 1)]++
	printf "medians of %d Paravane and %d Xen round(s); ratio = median over boots of DomU / Dom0-local in the same boot (ping: local / DomU, so higher is better everywhere)\n", maxn["paravane"], maxn["xen"]
	printf "%-22s %-6s | %9s %9s %6s | %9s %9s %6s | %6s | %s\n", "measure", "unit", "Pv DomU", "Pv local", "ratio", "Xen DomU", "Xen local", "ratio", "Pv/Xen", "target: met?"
	unit["dd_read"] = unit["seqread"] = unit["seqwrite"] = unit["ddnc"] = "MB/s"
	unit["randread1"] = unit["randread32"] = unit["randwrite32"] = "IOPS"
	unit["iperf_tx"] = unit["iperf_rx"] = "Mbit/s"; unit["ping"] = "us"
	for (i = 1; i <= m; i++) {
		n = order[i]
		u = unit[n]
		if (n ~ /^fio_/) u = "MB/s"
		if (n ~ /^iperf_/) u = "Mbit/s"
		# issue 17: block >= 0.45, network >= 0.75, and ahead of Xen
		t = n ~ /^(dd_read|seq|rand|fio_)/ ? 0.45 : n ~ /^(ddnc|iperf)/ ? 0.75 : 0
		pd = median("paravane domu " n); pl = median("paravane local " n)
		xd = median("xen domu " n); xl = median("xen local " n)
		pr = ratios("paravane", n); xr = ratios("xen", n)
		v = ""
		if (pr < 0) v = "no figure"
		else {
			if (t > 0) v = (pr >= t ? "" : "below " t)
			if (xr < 0) v = v (v == "" ? "" : ", ") "no Xen figure"
			else if (pr <= xr) v = v (v == "" ? "" : ", ") "behind Xen"
			if (v == "") v = "yes"
			if (t > 0 && v != "yes") missed++
			if (t > 0) points++
		}
		printf "%-22s %-6s | %9s %9s %6.2f | %9s %9s %6.2f | %6.2f | %s\n", n, u, pd, pl, pr, xd, xl, xr, (xr > 0 && pr > 0 ? pr / xr : 0), v
	}
	printf "targets met at %d of %d points\n", points - missed, points
}' | tee "$table"
echo "host: uptime: $(uptime)"
echo "per round: grep '^splitbench:' build/images/$N-*-test.log.txt"
# the ratios as bars, Paravane beside Xen, with the two targets as lines
# (gnuplot installed when missing, as other benchmarks' tools are)
command -v gnuplot >/dev/null 2>&1 ||
	apt-get install -y gnuplot-nox >/dev/null 2>&1 ||
	{ apt-get update -q >/dev/null 2>&1 && apt-get install -y gnuplot-nox >/dev/null 2>&1; }
if command -v gnuplot >/dev/null 2>&1; then
	awk -F'|' 'NR > 2 && NF >= 5 { split($1, a, " "); split($2, p, " "); split($3, x, " ")
		print a[1], p[3], x[3] }' "$table" >"$table.dat"
	gnuplot <<GP && echo "plot: build/images/$N.svg"
set terminal svg size 1200,600
set output "build/images/$N.svg"
set title "DomU / Dom0-local in the same boot (higher is better)"
set style data histograms
set style histogram clustered
set style fill solid 0.8
set xtics rotate by -60 noenhance
set yrange [0:*]
set grid ytics
plot "$table.dat" using 2:xtic(1) title "Paravane", "" using 3 title "Xen 4.17", \
	0.45 with lines title "block target 0.45", 0.75 with lines title "network target 0.75"
GP
else
	echo "no gnuplot: no plot"
fi
