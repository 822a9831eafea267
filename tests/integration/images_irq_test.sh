#!/bin/sh
# images_irq_test.sh MODE KERNEL_ENV WORKDIR HYPERVISOR_ELF IRQ_TEST_BIN
#
# Physical interrupts in Dom0 (issue 7), MODE paravane or xen (the
# reference, Xen 4.17): boot Dom0 with a virtio-blk disk that has MSI-X off
# (vectors=0) and Dom0's pci=nomsi, so the disk interrupts through a
# level-triggered PCI INTx line routed by ACPI _PRT; the RTC's update
# interrupt is ISA IRQ 8 (edge). images_irq_check.sh runs inside Dom0.
set -u
mode=$1 env_file=$2 work=$3 hv=$4 bin=$5
mkdir -p "$work"
disk=$work/irq-$mode-disk.img
# The pattern images_irq_check.sh expects at the start of the disk.
{ printf 'PARAVANE-IRQ-TEST-PATTERN-7'; head -c 1048549 /dev/zero; } >"$disk"
BOOT_NAME=irq-$mode \
BOOT_SCRIPT=tests/integration/images_irq_check.sh:/tests/images_irq_check.sh \
BOOT_PASS='^images-irq: PASS' \
BOOT_SHOW='^images-irq: \(PASS\|FAIL\|PASS \|FAIL \|xen-pirq\|dmesg: .*\(GSI\|map irq\)\)' \
BOOT_EXTRA="$bin:/tests/dom0-irq-test" \
BOOT_KARGS=pci=nomsi \
QEMU_EXTRA="-drive file=$disk,if=none,id=irqdisk,format=raw -device virtio-blk-pci,drive=irqdisk,vectors=0" \
	sh tests/integration/images_boot_test.sh "$mode" "$env_file" "$work" "$hv"
