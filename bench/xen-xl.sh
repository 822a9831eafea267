#!/bin/sh
# xen-xl.sh: Debian's own xl (Xen 4.17's user space, unmodified: the
# xen-userspace image) timing the lifecycle of a PV DomU on Paravane and
# on Xen 4.17, the same image in the same QEMU (TCG, -smp 2, Dom0 2 vCPUs),
# ROUNDS (default 2) interleaved boots, Paravane first, LIFECYCLES (default
# 2) per boot (bench/dom0/xu-bench.sh, sourced by the scenario's check.sh).
# Prints each figure as "paravane / xen (ratio)" per boot pair, then the
# mean ratio. Environment from bench/module.mk: the image's files (XU_FILES).
#
#   sh bench/xen-xl.sh PARAVANE_ELF XEN_ELF
set -u
pv=$1 xen=$2
rounds=${ROUNDS:-2} n=${LIFECYCLES:-2}
names="create returned create_elf returned_elf list list0 xl_help exec_xsread exec_static pause unpause destroy"
boot() {  # name mode hv
	BOOT_NAME=$1 BOOT_SCRIPT=tests/integration/xen-userspace/check.sh:/tests/xu-check.sh \
	BOOT_PASS='^xubench: DONE' BOOT_SHOW='^xubench:' IMAGES_BOOT_TIMEOUT=1500 \
	BOOT_KARGS="xu.bench=$n" XEN_SMP=2 BOOT_EXTRA="$XU_FILES" \
	sh tests/integration/images_boot_test.sh "$2" build/images/kernel.env build/images "$3" >/dev/null 2>&1
	if ! tr -d '\r' <"build/images/$1-test.log" | grep -q '^xubench: DONE'; then
		echo "$1: the benchmark did not complete; console tail:" >&2
		tr -d '\r' <"build/images/$1-test.log" | tail -n 20 >&2
		return 1
	fi
}
# mean of the figure over the boot's lifecycles
num() {
	tr -d '\r' <"build/images/$1-test.log" | sed -n "s/^xubench: $2 \([0-9]*\)$/\1/p" |
		awk '{ s += $1; k++ } END { if (k) printf "%d", s / k }'
}
r=1
while [ "$r" -le "$rounds" ]; do
	echo "round $r: paravane $(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg)"
	boot xubench-paravane-$r paravane "$pv" || exit 1
	echo "round $r: xen $(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg)"
	boot xubench-xen-$r xen "$xen" || exit 1
	r=$((r + 1))
done
echo "done $(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-13s %s\n' "ms" "paravane / xen (ratio) by round; mean ratio"
for f in $names; do
	printf '%-13s' "$f"
	r=1 sum=0
	while [ "$r" -le "$rounds" ]; do
		p=$(num xubench-paravane-$r "$f") x=$(num xubench-xen-$r "$f")
		ratio=$(echo "$p $x" | awk '{ if ($2 > 0) printf "%.2f", $1 / $2; else print "0" }')
		sum=$(echo "$sum $ratio" | awk '{ print $1 + $2 }')
		printf ' %s / %s (%s)' "$p" "$x" "$ratio"
		r=$((r + 1))
	done
	echo "$sum $rounds" | awk '{ printf "; %.2f\n", $1 / $2 }'
done
# Paravane's counters (debug key 'p') around 10 `xl list`, around nothing
# (the cost of asking), and around each `xl destroy`: hypercalls by number,
# time in each (total/max us)
r=1
while [ "$r" -le "$rounds" ]; do
	tr -d '\r' <"build/images/xubench-paravane-$r-test.log" | sed -n "s/^xubench: hv-/round $r: /p"
	r=$((r + 1))
done
