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
#
#   sh bench/split.sh PARAVANE_ELF XEN_ELF
set -u
pv=$1 xen=$2
rounds=${ROUNDS:-2}
kargs="splitbench.runtime=${SPLIT_RUNTIME:-5} splitbench.mb=${SPLIT_MB:-128}"
boot() {  # name mode hv files
	echo "bench-split: $1 ($(date +%H:%M:%S))" >&2
	BOOT_NAME=$1 BOOT_SCRIPT=bench/dom0/split-bench.sh:/tests/split-bench.sh \
	BOOT_PASS='^splitbench: DONE' BOOT_SHOW='^splitbench:' IMAGES_BOOT_TIMEOUT=1800 \
	XEN_SMP=2 BOOT_EXTRA="$4" BOOT_KARGS="$kargs" INITRAMFS_EXTRA_MODULES="ext4 crc32c_generic" \
	QEMU_EXTRA="-drive file=$DOMU_IMG,if=virtio,format=raw,snapshot=on" \
	sh tests/integration/images_boot_test.sh "$2" build/images/kernel.env build/images "$3" >/dev/null 2>&1
	log=build/images/$1-test.log.txt
	if ! grep -q '^splitbench: DONE' "$log" 2>/dev/null || grep -q '^splitbench: FAIL' "$log"; then
		echo "$1: the benchmark did not complete; console tail:" >&2
		tail -n 30 "$log" >&2
		return 1
	fi
}
# A boot that fails (e.g. libxl's 10 s limit on a hotplug script, hit on
# Xen under heavy host load) is reported and left out of the medians.
# SPLIT_REPORT_ONLY=1: no boots, the table from the logs already there.
# SPLIT_FIRST_ROUND=N (default 1) keeps the logs of the rounds before N
# and starts there; SPLIT_SYSTEMS (default "paravane xen") picks the boots
# (to redo a failed one: SPLIT_FIRST_ROUND=2 ROUNDS=2 SPLIT_SYSTEMS=xen).
if [ -z "${SPLIT_REPORT_ONLY:-}" ]; then
	r=${SPLIT_FIRST_ROUND:-1}
	[ "$r" = 1 ] && rm -f build/images/splitbench-*-test.log.txt
	while [ "$r" -le "$rounds" ]; do
		for sys in ${SPLIT_SYSTEMS:-paravane xen}; do
			case $sys in paravane) hv=$pv files=$PV_FILES ;; *) hv=$xen files=$XEN_FILES ;; esac
			boot splitbench-$sys-$r "$sys" "$hv" "$files" ||
				mv build/images/splitbench-$sys-$r-test.log.txt build/images/splitbench-$sys-$r-failed.log.txt
		done
		r=$((r + 1))
	done
fi
# "system kind name value" rows, then medians and ratios
for f in build/images/splitbench-*-test.log.txt; do
	sys=${f#build/images/splitbench-}
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
	printf "%-12s %-7s | %10s %10s %6s | %10s %10s %6s | %s\n", "measure", "unit", "Pv DomU", "Pv local", "ratio", "Xen DomU", "Xen local", "ratio", "Pv/Xen"
	unit["dd_read"] = unit["seqread"] = unit["seqwrite"] = unit["ddnc"] = "MB/s"
	unit["randread1"] = unit["randread32"] = unit["randwrite32"] = "IOPS"
	unit["iperf_tx"] = unit["iperf_rx"] = "Mbit/s"; unit["ping"] = "us"
	for (i = 1; i <= m; i++) {
		n = order[i]
		pd = median("paravane domu " n); pl = median("paravane local " n)
		xd = median("xen domu " n); xl = median("xen local " n)
		pr = ratios("paravane", n); xr = ratios("xen", n)
		printf "%-12s %-7s | %10s %10s %6.2f | %10s %10s %6.2f | %.2f\n", n, unit[n], pd, pl, pr, xd, xl, xr, (xr > 0 ? pr / xr : 0)
	}
}'
echo "per round: grep '^splitbench:' build/images/splitbench-*-test.log.txt"
