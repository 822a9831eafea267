#!/bin/sh
# mkiso.sh OUT.iso "HYPERVISOR OPTIONS" [MODULE "MODULE ARGS"]...
# A GRUB rescue CD that boots build/hypervisor.elf with Multiboot 2, for real
# machines (write it to a USB stick) and for the ISO boot test.
set -eu
out=$1
opts=$2
shift 2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/boot/grub"
cp build/hypervisor.elf "$dir/boot/hypervisor.elf"
{
	echo "set timeout=1"
	echo "serial --unit=0 --speed=115200"
	echo "terminal_input serial console"
	echo "terminal_output serial console"
	echo "menuentry 'Paravane' {"
	echo "  multiboot2 /boot/hypervisor.elf $opts"
	i=0
	while [ $# -ge 2 ]; do
		cp "$1" "$dir/boot/module$i"
		echo "  module2 /boot/module$i $2"
		i=$((i + 1))
		shift 2
	done
	echo "}"
} > "$dir/boot/grub/grub.cfg"
grub-mkrescue -o "$out" "$dir" >/dev/null 2>&1 || {
	echo "mkiso: grub-mkrescue failed (are grub-pc-bin, xorriso and mtools installed?)" >&2
	exit 1
}
