#!/bin/sh
# xl.sh: the toolstack's everyday commands timed in Dom0
# (bench/dom0/xl-bench.sh), ours on Paravane against Debian's xl on Xen
# 4.17, in the same QEMU (TCG, -smp 2), ROUNDS (default 1) alternating
# boots, Paravane first. Environment from bench/module.mk: the boot
# arguments for each side (PV_FILES, XEN_FILES) and the hypervisors.
#
#   sh bench/xl.sh PARAVANE_ELF XEN_ELF
#
# With BASE_FILES (a PV_FILES list naming older builds of xl, xenstored...)
# each round also boots Paravane with those, between ours and Xen's, and
# the table adds them (BASE_HV: another hypervisor for that boot): an A/B
# comparison in the same minutes, the only fair one on a busy host.
set -u
pv=$1 xen=$2
rounds=${ROUNDS:-1}
names="list0 returned create list1 destroy returned_elf create_elf destroy_elf"
boot() {  # name mode hv files
	BOOT_NAME=$1 BOOT_SCRIPT=bench/dom0/xl-bench.sh:/tests/xl-bench.sh \
	BOOT_PASS='^xlbench: DONE' BOOT_SHOW='^xlbench:' IMAGES_BOOT_TIMEOUT=900 \
	XEN_SMP=2 BOOT_EXTRA="$4" \
	sh tests/integration/images_boot_test.sh "$2" build/images/kernel.env build/images "$3" >/dev/null 2>&1
	log=build/images/$1-test.log
	if ! grep -q '^xlbench: DONE' "$log"; then
		echo "$1: the benchmark did not complete; console tail:" >&2
		tr -d '\r' <"$log" | tail -n 20 >&2
		return 1
	fi
}
num() { tr -d '\r' <"build/images/$1-test.log" | sed -n "s/^xlbench: $2 \([0-9]*\)$/\1/p" | head -n 1; }
r=1
while [ "$r" -le "$rounds" ]; do
	boot xlbench-paravane-$r paravane "$pv" "$PV_FILES" || exit 1
	if [ -n "${BASE_FILES:-}" ]; then
		boot xlbench-base-$r paravane "${BASE_HV:-$pv}" "$BASE_FILES" || exit 1
	fi
	boot xlbench-xen-$r xen "$xen" "$XEN_FILES" || exit 1
	r=$((r + 1))
done
ratio() { echo "$1 $2" | awk '{ if ($2 > 0) printf "%.2f", $1 / $2; else print "-" }'; }
printf '%-13s %s\n' "ms" "paravane / xen (ratio)${BASE_FILES:+, base (paravane / base)} by round"
for n in $names; do
	printf '%-13s' "$n"
	r=1
	while [ "$r" -le "$rounds" ]; do
		p=$(num xlbench-paravane-$r "$n") x=$(num xlbench-xen-$r "$n")
		printf ' %s / %s (%s)' "$p" "$x" "$(ratio "$p" "$x")"
		if [ -n "${BASE_FILES:-}" ]; then
			b=$(num xlbench-base-$r "$n")
			printf ', base %s (%s)' "$b" "$(ratio "$p" "$b")"
		fi
		r=$((r + 1))
	done
	printf '\n'
done
