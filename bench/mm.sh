#!/bin/sh
# mm.sh: PV memory management costs on Paravane and on Xen 4.17, in the same
# QEMU (TCG): the mmbench guest kernel boots as the initial domain on each
# and prints medians in TSC cycles. Ratios from one run.
#
#   sh bench/mm.sh PARAVANE_ELF XEN_ELF MMBENCH_ELF
set -u
pv=$1 xen=$2 guest=$3
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

. "$(dirname "$0")/guest-run.sh"
run() {  # name hypervisor extra-args
	bench_boot "$1" mmbench 600 "" "$2" "$3"
}
num() {  # log sed-pattern
	tr -d '\r' <"$1" | sed -n "s/.*$2.*/\1/p" | head -n 1
}

run paravane "$pv" qemu_debug_exit || exit 1
run xen "$xen" "" || exit 1
printf '%-40s %12s %12s %8s\n' "measure" paravane "xen-4.17" ratio
row() {  # label value-paravane value-xen
	r=$(awk -v p="$2" -v x="$3" 'BEGIN { if (x > 0) printf "%.2f", p / x; else print "-" }')
	printf '%-40s %12s %12s %8s\n' "$1" "$2" "$3" "$r"
}
for h in paravane xen; do
	eval "${h}_khz=\$(num \$out/$h.log 'tsc_khz \([0-9]*\)')"
	eval "${h}_pin=\$(num \$out/$h.log 'pin tree median \([0-9]*\) cycles')"
	eval "${h}_unpin=\$(num \$out/$h.log 'unpin tree median \([0-9]*\) cycles')"
	eval "${h}_npt=\$(num \$out/$h.log 'cycles for \([0-9]*\) pages')"
	eval "${h}_ptwr=\$(num \$out/$h.log 'ptwr store median \([0-9]*\) cycles')"
	eval "${h}_mmu=\$(num \$out/$h.log 'mmu_update batch median \([0-9]*\) cycles')"
done
per() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%d", a / b }'; }
pps() { awk -v khz="$1" -v c="$2" -v n="$3" 'BEGIN { printf "%d", khz * 1000 * n / c }'; }
row "pin 4-level tree (cycles per page)" "$(per "$paravane_pin" "$paravane_npt")" "$(per "$xen_pin" "$xen_npt")"
row "pin 4-level tree (pages per second)" "$(pps "$paravane_khz" "$paravane_pin" "$paravane_npt")" \
	"$(pps "$xen_khz" "$xen_pin" "$xen_npt")"
row "unpin 4-level tree (cycles per page)" "$(per "$paravane_unpin" "$paravane_npt")" \
	"$(per "$xen_unpin" "$xen_npt")"
row "emulated PTE store (cycles)" "$paravane_ptwr" "$xen_ptwr"
row "mmu_update, batch of 512 (cycles/update)" "$(per "$paravane_mmu" 512)" "$(per "$xen_mmu" 512)"
