#!/bin/sh
# bench/unpack-time.sh [HV...]
#
# QEMU CPU seconds a hypervisor spends booting until it has unpacked
# Debian's bzImage (Dom0's kernel): the boot runs with dom0_mem=2M, too
# little for the kernel, so the Dom0 build gives up right after the unpack
# and the hypervisor halts. Everything before the unpack (the hypervisor's
# own start, about a tenth of the figure) is the same in every row, so this
# isolates the decoders (LZMA2 + BCJ + CRC32) far better than a whole Dom0
# boot. Each HV (default build/hypervisor.elf) is booted RUNS times,
# interleaved, and each row prints its runs and their median. A benchmark, not a test: TCG, no KVM.
#
# Environment: BUILD (build), QEMU, RUNS (3), TIMEOUT (120 s per boot).
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
BUILD=${BUILD:-build}
QEMU=${QEMU:-qemu-system-x86_64}
RUNS=${RUNS:-3}
TIMEOUT=${TIMEOUT:-120}
# what the hypervisor prints when it cannot build Dom0 (after the unpack)
DONE='No initial domain'
QEMU_ARGS="-machine q35 -cpu qemu64,-vmx,-svm -m 1G -nographic -no-reboot"
out=$BUILD/bench/unpack-time
mkdir -p "$out"

die() {
	echo "unpack-time: $*" >&2
	exit 1
}

eval "$(sh tests/images/fetch-kernel.sh)" || die "cannot fetch the Debian kernel"
[ $# -gt 0 ] || set -- "$BUILD/hypervisor.elf"
for hv in "$@"; do
	[ -f "$hv" ] || die "$hv does not exist"
done

# boot_once LOG HV: QEMU CPU seconds until $DONE, or nothing (console tail
# on stderr) if it did not come within TIMEOUT seconds
boot_once() {
	log=$1
	: >"$log"
	"$QEMU" $QEMU_ARGS -kernel "$2" -append "console=com1 com1=115200 dom0_mem=2M noreboot" \
		-initrd "$vmlinuz console=hvc0" </dev/null >>"$log" 2>&1 &
	pid=$!
	deadline=$(($(date +%s) + TIMEOUT))
	cpu=
	while [ "$(date +%s)" -lt "$deadline" ] && kill -0 "$pid" 2>/dev/null; do
		if grep -q "$DONE" "$log"; then
			cpu=$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null)
			break
		fi
		sleep 0.05
	done
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	if [ -z "$cpu" ]; then
		echo "unpack-time: $2: no \"$DONE\" within ${TIMEOUT}s; console tail:" >&2
		tr -d '\r' <"$log" | tail -n 20 >&2
		return
	fi
	awk -v c="$cpu" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f\n", c / hz }'
}

n=0
for hv in "$@"; do
	n=$((n + 1))
	: >"$out/$n.cpu"
done
for i in $(seq 1 "$RUNS"); do
	n=0
	for hv in "$@"; do
		n=$((n + 1))
		s=$(boot_once "$out/$n.$i.log" "$hv")
		echo "${s:--}" >>"$out/$n.cpu"
	done
done
echo "unpack-time: QEMU CPU s from start to the unpacked Dom0 bzImage (kernel $kernel_version), $RUNS runs interleaved, load average $(cut -d' ' -f1-3 /proc/loadavg)"
n=0
for hv in "$@"; do
	n=$((n + 1))
	runs=$(tr '\n' ' ' <"$out/$n.cpu")
	med=$(if grep -q -- - "$out/$n.cpu"; then echo -; else
		sort -n "$out/$n.cpu" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; fi)
	printf '%-40s median %5s s  (runs: %s)\n' "$hv" "$med" "$runs"
done
