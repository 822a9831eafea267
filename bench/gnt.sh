#!/bin/sh
# gnt.sh: grant-table costs (bench/guests/gntbench.c) on Paravane and Xen 4.17
# in the same QEMU (TCG). The self-grant set runs on both; the two-domain
# set only on Paravane (Xen cannot start a second domain without a
# toolstack here). One run; TCG figures compare hypervisors, not hardware.
#
#   sh bench/gnt.sh PARAVANE_ELF XEN_ELF GNTBENCH_ELF GRANTER_ELF
set -u
pv=$1 xen=$2 guest=$3 granter=$4
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

GUEST_LOG=$out/paravane.log GUEST_TIMEOUT=300 sh tests/guests/run-guest.sh "$pv" "$guest" qemu_debug_exit >/dev/null 2>&1
GUEST_LOG=$out/xen.log GUEST_TIMEOUT=300 sh tests/guests/run-guest.sh "$xen" "$guest" >/dev/null 2>&1
timeout 300 ${QEMU:-qemu-system-x86_64} -machine q35 -cpu qemu64,-vmx,-svm -m 512M -display none \
	-monitor none -serial "file:$out/two.log" -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-kernel "$pv" -append "console=com1 qemu_debug_exit noreboot test_domains" \
	-initrd "$guest,$granter" </dev/null >/dev/null 2>&1

val() {  # log set measure
	tr -d '\r' <"$1" | sed -n "s/^bench: $2 $3 \([0-9]*\) .*/\1/p" | head -n 1
}
printf '%-32s %12s %12s %14s\n' "measure" "paravane" "xen-4.17" "paravane 2-dom"
for m in map_unmap_single map_unmap_batch16 copy_4k copy_64k; do
	unit="pairs/s"
	case $m in copy_*) unit="MB/s" ;; esac
	printf '%-32s %12s %12s %14s\n' "$m ($unit)" "$(val $out/paravane.log self $m)" \
		"$(val $out/xen.log self $m)" "$(val $out/two.log peer $m)"
done
