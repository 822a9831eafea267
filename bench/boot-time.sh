#!/bin/sh
# bench/boot-time.sh
#
# Time from QEMU start to the Dom0 initramfs marker "paravane-dom0: init
# reached" for the same Debian kernel and initramfs booted
#   bare        directly by QEMU (-kernel bzImage), no hypervisor
#   xen-elf     as Dom0 of Debian's Xen 4.17, kernel module = ELF vmlinux
#   xen-bz      as Dom0 of Xen 4.17, kernel module = the bzImage itself
#   paravane    as Dom0 of build/hypervisor.elf, ELF vmlinux (when it exists)
#   paravane-bz the same with the bzImage, which the hypervisor unpacks
# and print each median with its ratio to bare. The runs are interleaved. A benchmark, not a test:
# numbers depend on the host; QEMU runs in TCG (no KVM).
#
# Inputs come from `make bench-boot-time` ($BUILD/dom0-initrd.gz and
# $BUILD/dom0-vmlinux); Xen comes from Debian's xen-hypervisor-4.17-amd64.
# Environment: BUILD (build), QEMU, RUNS (3), TIMEOUT (180 s per boot),
# PARAVANE_TIMEOUT (TIMEOUT), XEN_ELF, CACHE; BASE_HV, another hypervisor
# ELF (an older build) booted from the bzImage as one more interleaved row
# ("base-bz"), for a before/after of a change in the same run; WAYS, the
# rows to run (default all).
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
BUILD=${BUILD:-build}
QEMU=${QEMU:-qemu-system-x86_64}
RUNS=${RUNS:-3}
TIMEOUT=${TIMEOUT:-180}
PARAVANE_TIMEOUT=${PARAVANE_TIMEOUT:-$TIMEOUT}
MARKER='paravane-dom0: init reached'
# Console lines after which the marker can no longer come: stop waiting.
DEAD='Kernel panic - not syncing|Panic on CPU|System halted|Reboot in five seconds'
HV_ARGS="console=com1 com1=115200 dom0_mem=512M noreboot"
QEMU_ARGS="-machine q35 -cpu qemu64,-vmx,-svm -m 1G -nographic -no-reboot"
out=$BUILD/bench/boot-time
mkdir -p "$out"

die() {
	echo "boot-time: $*" >&2
	exit 1
}

eval "$(sh tests/images/fetch-kernel.sh)" || die "cannot fetch the Debian kernel"
initrd=$BUILD/dom0-initrd.gz
vmlinux=$BUILD/dom0-vmlinux
[ -f "$initrd" ] && [ -f "$vmlinux" ] ||
	die "$initrd or $vmlinux missing: run 'make bench-boot-time'"

# Debian ships Xen gzip-compressed; QEMU's Multiboot loader wants the ELF.
# `make bench-boot-time` passes the one it unpacked as XEN_ELF.
xen=${XEN_ELF:-$out/xen-4.17.elf}
if [ ! -f "$xen" ]; then
	xen_dir=$(sh tests/images/fetch-deb.sh xen-hypervisor-4.17-amd64) ||
		die "cannot fetch xen-hypervisor-4.17-amd64"
	xen_gz=$(ls "$xen_dir"/boot/xen-4.17*-amd64.gz 2>/dev/null | head -n 1)
	[ -n "$xen_gz" ] || die "no boot/xen-4.17*-amd64.gz in $xen_dir"
	{ gunzip -c "$xen_gz" >"$xen.tmp" && mv "$xen.tmp" "$xen"; } ||
		die "cannot gunzip $xen_gz"
fi

# boot_once LOG LIMIT QEMU-ARGS...: seconds to the marker on stdout, wall
# clock and QEMU's CPU time, or nothing if it did not come within LIMIT
# seconds or QEMU stopped first. On a busy host the CPU time says more: a
# TCG guest with one vCPU keeps one host thread busy, so its CPU seconds
# are about what its wall seconds would be on an idle host.
boot_once() {
	log=$1
	limit=$2
	shift 2
	# emptied here, not by the background QEMU's redirection: the loop below
	# could otherwise find the marker of the previous run's log (0.00 s)
	: >"$log"
	t0=$(date +%s%N)
	"$QEMU" "$@" </dev/null >>"$log" 2>&1 &
	pid=$!
	deadline=$((t0 + limit * 1000000000))
	t=
	while :; do
		if grep -q "$MARKER" "$log"; then
			t=$(date +%s%N)
			# QEMU's CPU time so far (utime + stime, in clock ticks)
			cpu=$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null)
			break
		fi
		kill -0 "$pid" 2>/dev/null || break
		grep -Eq "$DEAD" "$log" && break
		[ "$(date +%s%N)" -lt "$deadline" ] || break
		sleep 0.05
	done
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	[ -n "$t" ] && awk -v a="$t0" -v b="$t" -v c="${cpu:-0}" -v hz="$(getconf CLK_TCK)" \
		'BEGIN { printf "%.2f %.2f\n", (b - a) / 1e9, c / hz }'
}

# run_one NAME LIMIT QEMU-ARGS...: boot once (run $i), append the time to
# $out/NAME.times; a failed boot prints its console tail and records "-".
run_one() {
	name=$1
	limit=$2
	shift 2
	s=$(boot_once "$out/$name.$i.log" "$limit" "$@")
	if [ -z "$s" ]; then
		echo "boot-time: $name run $i: no \"$MARKER\" (limit ${limit}s); console tail:" >&2
		tr -d '\r' <"$out/$name.$i.log" | tail -n 25 >&2
		echo - >>"$out/$name.times"
		echo - >>"$out/$name.cpu"
	else
		echo "boot-time: $name run $i: ${s% *}s (QEMU CPU ${s#* }s)" >&2
		echo "${s% *}" >>"$out/$name.times"
		echo "${s#* }" >>"$out/$name.cpu"
	fi
}

# median FILE: of the recorded times, or "-" if any boot failed
median() {
	if grep -q -- - "$1" 2>/dev/null || [ ! -s "$1" ]; then
		echo -
		return
	fi
	sort -n "$1" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# The boots are interleaved (run 1 of each, then run 2 of each, ...), so
# that a change in the host's load touches every row alike.
names="bare xen-elf xen-bz"
[ -f "$BUILD/hypervisor.elf" ] && names="$names paravane paravane-bz" ||
	echo "boot-time: $BUILD/hypervisor.elf does not exist" >&2
[ -n "${BASE_HV:-}" ] && names="$names base-bz"
[ -n "${WAYS:-}" ] && names=$WAYS
for n in bare xen-elf xen-bz paravane paravane-bz base-bz; do
	: >"$out/$n.times"
	: >"$out/$n.cpu"
done
for i in $(seq 1 "$RUNS"); do
	for n in $names; do
		case $n in
		bare) run_one bare "$TIMEOUT" $QEMU_ARGS -kernel "$vmlinuz" -initrd "$initrd" \
			-append "console=ttyS0" ;;
		xen-elf) run_one xen-elf "$TIMEOUT" $QEMU_ARGS -kernel "$xen" -append "$HV_ARGS" \
			-initrd "$vmlinux console=hvc0,$initrd" ;;
		xen-bz) run_one xen-bz "$TIMEOUT" $QEMU_ARGS -kernel "$xen" -append "$HV_ARGS" \
			-initrd "$vmlinuz console=hvc0,$initrd" ;;
		paravane) run_one paravane "$PARAVANE_TIMEOUT" $QEMU_ARGS -kernel "$BUILD/hypervisor.elf" \
			-append "$HV_ARGS" -initrd "$vmlinux console=hvc0,$initrd" ;;
		paravane-bz) run_one paravane-bz "$PARAVANE_TIMEOUT" $QEMU_ARGS -kernel "$BUILD/hypervisor.elf" \
			-append "$HV_ARGS" -initrd "$vmlinuz console=hvc0,$initrd" ;;
		base-bz) run_one base-bz "$PARAVANE_TIMEOUT" $QEMU_ARGS -kernel "$BASE_HV" \
			-append "$HV_ARGS" -initrd "$vmlinuz console=hvc0,$initrd" ;;
		esac
	done
done
for n in bare xen-elf xen-bz paravane paravane-bz base-bz; do
	eval "wall_$(echo $n | tr - _)=\$(median \"\$out/$n.times\")"
	eval "cpu_$(echo $n | tr - _)=\$(median \"\$out/$n.cpu\")"
done

# row LABEL WALL CPU: both medians, each with its ratio to bare's
row() {
	if [ "$2" = - ]; then
		printf '%-36s %s\n' "$1" "not reached"
	elif [ "$wall_bare" = - ]; then
		printf '%-36s %6.2f s  (CPU %6.2f s)\n' "$1" "$2" "$3"
	else
		awk -v n="$1" -v t="$2" -v c="$3" -v b="$wall_bare" -v bc="$cpu_bare" \
			'BEGIN { printf "%-36s %6.2f s  %5.2fx bare   CPU %6.2f s  %5.2fx bare\n", n, t, t / b, c, c / bc }'
	fi
}
echo "boot-time: QEMU start -> \"$MARKER\", median of $RUNS (interleaved), TCG, -m 1G, kernel $kernel_version, load average $(cut -d' ' -f1-3 /proc/loadavg)"
row "bare (bzImage, no hypervisor)" "$wall_bare" "$cpu_bare"
row "xen-4.17 (Dom0 = ELF vmlinux)" "$wall_xen_elf" "$cpu_xen_elf"
row "xen-4.17 (Dom0 = bzImage)" "$wall_xen_bz" "$cpu_xen_bz"
row "paravane (Dom0 = ELF vmlinux)" "$wall_paravane" "$cpu_paravane"
row "paravane (Dom0 = bzImage)" "$wall_paravane_bz" "$cpu_paravane_bz"
[ -n "${BASE_HV:-}" ] && row "base $(basename "$BASE_HV") (bzImage)" "$wall_base_bz" "$cpu_base_bz"
# the bzImage boots' own unpacking time, as the hypervisor logged it
grep -ah 'is a bzImage' "$out"/paravane-bz.*.log 2>/dev/null | sed 's/.* unpacked/  paravane-bz: unpacked/' >&2
grep -ah 'is a bzImage' "$out"/base-bz.*.log 2>/dev/null | sed 's/.* unpacked/  base-bz: unpacked/' >&2
