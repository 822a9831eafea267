#!/bin/sh
# pv-core.sh: the PV guest core's costs on Paravane and on Xen 4.17, in the
# same QEMU (TCG, no VT-x): the pvbench guest kernel boots as the initial
# domain on each and prints medians in TSC cycles. Ratios from one run.
#
#   sh bench/pv-core.sh PARAVANE_ELF XEN_ELF PVBENCH_ELF
set -u
pv=$1 xen=$2 guest=$3
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

. "$(dirname "$0")/guest-run.sh"
run() {  # name hypervisor extra-args
	bench_boot "$1" pvbench 600 "" "$2" "$3"
}
value() {  # log style what
	sed -n "s/.*bench $2: $3 median \([0-9]*\) cycles.*/\1/p" "$1" | head -n 1
}

run paravane "$pv" qemu_debug_exit || exit 1
run xen "$xen" "" || exit 1
printf '%-34s %12s %12s %8s\n' "measure (median TSC cycles)" paravane "xen-4.17" ratio
for style in direct page; do
	for what in "null hypercall" "bounced exception"; do
		p=$(value "$out/paravane.log" $style "$what")
		x=$(value "$out/xen.log" $style "$what")
		r=$(awk -v p="$p" -v x="$x" 'BEGIN { if (x > 0) printf "%.2f", p / x; else print "-" }')
		printf '%-34s %12s %12s %8s\n' "$what ($style)" "$p" "$x" "$r"
	done
done
