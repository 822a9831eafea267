#!/bin/sh
# images_boot_test.sh MODE KERNEL_ENV WORKDIR [XEN_ELF]
#
# Boot Debian's kernel with the Dom0 initramfs, have /init run
# images_boot_smoke.sh through paravane.test=, and expect its PASS line.
#   MODE bare: the bzImage straight from QEMU, no hypervisor; checks the
#              image pipeline on its own.
#   MODE xen:  as Dom0 of Xen 4.17 (XEN_ELF), kernel module = the ELF
#              vmlinux in WORKDIR/../dom0-vmlinux; the reference that a
#              Paravane Dom0 boot is compared with.
#   MODE paravane: the same, on build/hypervisor.elf (XEN_ELF names it), with
#              DOM0_VCPUS vCPUs (default 2) on QEMU's -smp 2, and the Dom0 ABI
#              test program (tests/images/dom0-abi-test) run by the smoke script;
#              DOM0_KERNEL names another kernel module (e.g. the bzImage;
#              MODE xen takes it too); DOM0_HCFUZZ: the Dom0 hypercall fuzzer
#              (tests/images/dom0-hcfuzz), run by the smoke script too.
# Other tests reuse the same boots with their own script (environment):
#   BOOT_NAME   name in messages and logs (default: MODE)
#   BOOT_SCRIPT SRC:DEST of the script /init runs (default: the smoke script)
#   BOOT_PASS   the line that means success (default: '^images-boot: PASS')
#   BOOT_SHOW   lines of the log to print on success (grep pattern)
#   BOOT_EXTRA  more SRC:DEST files for the initramfs (space-separated)
#   BOOT_KARGS  more arguments for the Dom0 kernel's command line
#   XEN_SMP     MODE xen: QEMU CPUs and Dom0 vCPUs (default: QEMU's 1)
#   XEN_ARGS    MODE xen: more arguments for Xen's command line
#   HV_ARGS     MODE paravane: more arguments for the hypervisor's command line
#   BOOT_CPU    QEMU -cpu (default qemu64,-vmx,-svm)
#   QEMU_EXTRA  more QEMU arguments (devices), word-split
#   BOOT_EXIT   QEMU's exit status the run must end with (default: any)
#   HV_EXIT     MODE paravane: how the hypervisor ends QEMU (default
#               qemu_debug_exit; empty: the machine's own power-off)
# The console log is WORKDIR/NAME-test.log.txt.
set -u
mode=$1
env_file=$2
work=$3
xen=${4:-}
QEMU=${QEMU:-qemu-system-x86_64}
TIMEOUT=${IMAGES_BOOT_TIMEOUT:-240}
. "./$env_file"
mkdir -p "$work"
name=${BOOT_NAME:-$mode}
initrd=$work/$name-test-initrd.gz
log=$work/$name-test.log
script_spec=${BOOT_SCRIPT:-tests/integration/images_boot_smoke.sh:/tests/images_boot_smoke.sh}
script=${script_spec#*:}
pass=${BOOT_PASS:-'^images-boot: PASS'}
show=${BOOT_SHOW:-'^images-boot:'}
kargs=${BOOT_KARGS:-}

extra=${BOOT_EXTRA:-}
[ -x "${DOM0_ABI_TEST:-}" ] && extra="$extra $DOM0_ABI_TEST:/tests/dom0-abi-test"
[ -x "${DOM0_HCFUZZ:-}" ] && extra="$extra $DOM0_HCFUZZ:/tests/dom0-hcfuzz tests/integration/dom0_hcfuzz.sh:/tests/dom0_hcfuzz.sh"
sh tests/images/build-dom0-initramfs.sh "$initrd" "$script_spec" $extra >/dev/null || exit 1

set -- -machine q35 -cpu "${BOOT_CPU:-qemu64,-vmx,-svm}" -m 1G -nographic -no-reboot
case $mode in
bare)
	set -- "$@" -kernel "$vmlinuz" -initrd "$initrd" \
		-append "console=ttyS0 panic=-1 paravane.test=$script $kargs"
	;;
xen)
	vmlinux=${DOM0_KERNEL:-$(dirname "$env_file")/../dom0-vmlinux}
	[ -f "$xen" ] && [ -f "$vmlinux" ] || { echo "images-boot-xen: need $xen and $vmlinux"; exit 1; }
	# XEN_SMP=N: N physical CPUs (QEMU's default is 1) and dom0_max_vcpus=N.
	[ -n "${XEN_SMP:-}" ] && set -- "$@" -smp "$XEN_SMP"
	set -- "$@" -kernel "$xen" -append "console=com1 com1=115200 dom0_mem=512M noreboot${XEN_SMP:+ dom0_max_vcpus=$XEN_SMP}${XEN_ARGS:+ $XEN_ARGS}" \
		-initrd "$vmlinux console=hvc0 panic=-1 paravane.test=$script $kargs,$initrd"
	;;
paravane)
	vmlinux=${DOM0_KERNEL:-$(dirname "$env_file")/../dom0-vmlinux}
	[ -f "$xen" ] && [ -f "$vmlinux" ] || { echo "images-boot-paravane: need $xen and $vmlinux"; exit 1; }
	set -- "$@" -smp 2 -device isa-debug-exit,iobase=0xf4,iosize=0x04 -kernel "$xen" \
		-append "console=com1 com1=115200 dom0_mem=512M dom0_max_vcpus=${DOM0_VCPUS:-2} noreboot ${HV_EXIT-qemu_debug_exit}${HV_ARGS:+ $HV_ARGS}" \
		-initrd "$vmlinux console=hvc0 panic=-1 paravane.test=$script paravane.vcpus=${DOM0_VCPUS:-2} $kargs,$initrd"
	;;
*)
	echo "usage: $0 bare|xen|paravane KERNEL_ENV WORKDIR [XEN_ELF]" >&2
	exit 2
	;;
esac

# shellcheck disable=SC2086 # word splitting of QEMU_EXTRA is the point
set -- "$@" ${QEMU_EXTRA:-}
start=$(date +%s)
timeout "$TIMEOUT" "$QEMU" "$@" </dev/null >"$log" 2>&1
rc=$?
secs=$(( $(date +%s) - start ))
# Serial output carries CRs.
tr -d '\r' <"$log" >"$log.txt"
if grep -q "$pass" "$log.txt" && grep -q '^paravane-dom0: init reached' "$log.txt" &&
	{ [ -z "${BOOT_EXIT:-}" ] || [ "$rc" = "$BOOT_EXIT" ]; }; then
	grep -e "$show" -e '^paravane-dom0:' "$log.txt"
	echo "images-boot-$name: PASS (${secs}s)"
	exit 0
fi
[ "$rc" -eq 124 ] && echo "images-boot-$name: timed out after ${TIMEOUT}s"
[ -n "${BOOT_EXIT:-}" ] && [ "$rc" != "$BOOT_EXIT" ] && echo "images-boot-$name: QEMU exit $rc, expected $BOOT_EXIT"
echo "images-boot-$name: FAIL (qemu exit $rc after ${secs}s); console tail ($log):"
tail -n 40 "$log.txt"
exit 1
