#!/bin/sh
# images_boot_bare_test.sh KERNEL_ENV WORKDIR
#
# Boot Debian's kernel with the Dom0 initramfs on bare QEMU (no hypervisor),
# have /init run images_boot_smoke.sh through paravane.test=, and expect its
# PASS line. Checks the image pipeline independently of any hypervisor.
set -u
env_file=$1
work=$2
QEMU=${QEMU:-qemu-system-x86_64}
TIMEOUT=${IMAGES_BOOT_TIMEOUT:-240}
. "./$env_file"
mkdir -p "$work"
initrd=$work/bare-test-initrd.gz
log=$work/bare-test.log

sh tests/images/build-dom0-initramfs.sh "$initrd" \
	tests/integration/images_boot_smoke.sh:/tests/images_boot_smoke.sh >/dev/null || exit 1

start=$(date +%s)
timeout "$TIMEOUT" "$QEMU" -machine q35 -cpu qemu64,-vmx,-svm -m 1G -nographic \
	-no-reboot -kernel "$vmlinuz" -initrd "$initrd" \
	-append "console=ttyS0 panic=-1 paravane.test=/tests/images_boot_smoke.sh" \
	</dev/null >"$log" 2>&1
rc=$?
secs=$(( $(date +%s) - start ))
# Serial output carries CRs.
tr -d '\r' <"$log" >"$log.txt"
if grep -q '^images-boot: PASS' "$log.txt" && grep -q '^paravane-dom0: init reached' "$log.txt"; then
	grep '^images-boot:\|^paravane-dom0:' "$log.txt"
	echo "images-boot-bare: PASS (${secs}s)"
	exit 0
fi
[ "$rc" -eq 124 ] && echo "images-boot-bare: timed out after ${TIMEOUT}s"
echo "images-boot-bare: FAIL (qemu exit $rc after ${secs}s); console tail ($log):"
tail -n 40 "$log.txt"
exit 1
