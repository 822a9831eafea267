# Run inside the Dom0 initramfs (paravane.test=/tests/images_irq_check.sh),
# on Paravane or Xen 4.17, with a virtio-blk disk whose first sector starts
# with IRQ_PATTERN (images_irq_test.sh attaches it, INTx only). Checks that
# physical interrupts reach Dom0: the RTC (edge, ISA IRQ 8), the disk (level
# PCI INTx), no GSI setup errors in dmesg, xen-pirq lines in
# /proc/interrupts that count. Prints one "images-irq: PASS" or
# "images-irq: FAIL <why>".
IRQ_PATTERN=PARAVANE-IRQ-TEST-PATTERN-7
why=
dmesg >/tmp/dmesg.txt
echo "images-irq: --- dmesg (interrupt lines)"
grep -i -e 'xen map irq' -e 'setup GSI' -e 'GSI' -e 'SCI' -e 'i8042' -e 'rtc_cmos' \
	-e 'virtio' -e 'vda' -e 'pirq' /tmp/dmesg.txt | sed 's/^/images-irq: dmesg: /' | head -n 60
grep -q 'xen map irq failed' /tmp/dmesg.txt && why="$why xen-map-irq-failed"
grep -q 'Failed to setup GSI' /tmp/dmesg.txt && why="$why failed-to-setup-gsi"
grep -q 'SCI .* not registered' /tmp/dmesg.txt && why="$why sci-not-registered"
grep -q 'probe of .* failed with error -38' /tmp/dmesg.txt && why="$why probe-enosys"
# COM1's line (GSI 4) is the hypervisor's console on both: Linux's setup_gsi
# for the serial port's PNP entry is told "already set up" (-EEXIST).
grep -q 'Already setup the GSI :4$' /tmp/dmesg.txt || why="$why gsi-4-not-kept-by-the-hypervisor"
[ -e /dev/vda ] || why="$why no-/dev/vda"
/tests/dom0-irq-test /dev/rtc0 /dev/vda "$IRQ_PATTERN" >/tmp/irq-test.txt 2>&1 ||
	why="$why dom0-irq-test"
sed 's/^/images-irq: /' /tmp/irq-test.txt
echo "images-irq: --- /proc/interrupts"
sed 's/^/images-irq: /' /proc/interrupts
# A xen-pirq line whose per-CPU counts add up to more than zero, per device.
pirq_count() {
	awk -v dev="$1" '/xen-pirq/ && $0 ~ dev {
		for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) n += $i
	} END { print n + 0 }' /proc/interrupts
}
for dev in rtc0 virtio; do
	n=$(pirq_count "$dev")
	echo "images-irq: xen-pirq $dev: $n interrupts"
	[ "$n" -gt 0 ] || why="$why no-xen-pirq-$dev"
done
if [ -z "$why" ]; then
	echo "images-irq: PASS"
else
	echo "images-irq: FAIL$why"
fi
