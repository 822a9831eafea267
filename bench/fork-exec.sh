#!/bin/sh
# fork-exec.sh: fork+exec of /bin/true 200 times in Debian's 6.1 kernel, by
# a static program of ours (bench/dom0/forkbench.c) in the Dom0 initramfs:
# booted bare (no hypervisor), as Dom0 of Xen 4.17 and as Dom0 of Paravane,
# in the same QEMU (TCG, -smp 1, one vCPU). Issue 4's target: Paravane at
# most 2x bare.
#
#   sh bench/fork-exec.sh PARAVANE_ELF XEN_ELF FORKBENCH VMLINUX
# The initramfs is built into build/bench/ by tests/images/build-dom0-initramfs.sh.
set -u
pv=$1 xen=$2 prog=$3 vmlinux=$4
QEMU=${QEMU:-qemu-system-x86_64}
TIMEOUT=${TIMEOUT:-300}
out=${BENCH_OUT:-build/bench}/fork-exec
mkdir -p "$out"
eval "$(sh tests/images/fetch-kernel.sh)" || { echo "fork-exec: cannot fetch the kernel" >&2; exit 1; }
initrd=$out/initrd.gz
sh tests/images/build-dom0-initramfs.sh "$initrd" "$prog:/bin/forkbench" \
	bench/dom0/forkbench.sh:/tests/forkbench.sh >/dev/null || exit 1
T="paravane.test=/tests/forkbench.sh panic=-1"
HV="console=com1 com1=115200 dom0_mem=512M noreboot"

boot() {  # name qemu-args...
	name=$1
	shift
	timeout "$TIMEOUT" "$QEMU" -machine q35 -cpu qemu64,-vmx,-svm -m 1G -nographic -no-reboot \
		"$@" </dev/null 2>&1 | tr -d '\r' >"$out/$name.log"
	if ! grep -q '^forkbench: done' "$out/$name.log"; then
		echo "fork-exec: $name did not finish; console tail:" >&2
		tail -n 15 "$out/$name.log" >&2
	fi
}
boot bare -kernel "$vmlinuz" -initrd "$initrd" -append "console=ttyS0 $T"
boot xen -kernel "$xen" -append "$HV" -initrd "$vmlinux console=hvc0 $T,$initrd"
boot paravane -device isa-debug-exit,iobase=0xf4,iosize=0x04 -kernel "$pv" \
	-append "$HV qemu_debug_exit" -initrd "$vmlinux console=hvc0 $T,$initrd"

us() {  # log what
	sed -n "s/^forkbench: $2.* \([0-9]*\) us each.*/\1/p" "$1" | head -n 1
}
printf '%-34s %9s %9s %9s %10s %10s\n' "per iteration (us)" bare xen-4.17 paravane "pv/bare" "pv/xen"
for what in "fork+exec+wait" "fork+exit+wait"; do
	b=$(us "$out/bare.log" "$what") x=$(us "$out/xen.log" "$what") p=$(us "$out/paravane.log" "$what")
	awk -v w="$what" -v b="$b" -v x="$x" -v p="$p" 'BEGIN {
		printf "%-34s %9s %9s %9s %10s %10s\n", w, b == "" ? "-" : b, x == "" ? "-" : x,
			p == "" ? "-" : p, (b > 0 && p > 0) ? sprintf("%.2fx", p / b) : "-",
			(x > 0 && p > 0) ? sprintf("%.2fx", p / x) : "-" }'
done
echo "console logs: $out/"
