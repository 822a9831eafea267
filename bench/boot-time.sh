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
#   unpack      build/hypervisor.elf with the bzImage and dom0_mem=2M, too
#               little for the kernel: it stops right after unpacking ("No
#               initial domain"), so the row is the decoders' cost (LZMA2,
#               BCJ, CRC32) plus the hypervisor's own start, without Dom0
# and print each median with its ratio to bare. The runs are interleaved. A benchmark, not a test:
# numbers depend on the host; QEMU runs in TCG (no KVM).
#
# Inputs come from `make bench-boot-time` ($BUILD/dom0-initrd.gz and
# $BUILD/dom0-vmlinux); Xen comes from Debian's xen-hypervisor-4.17-amd64.
# Environment: BUILD (build), QEMU, RUNS (3), TIMEOUT (180 s per boot),
# PARAVANE_TIMEOUT (TIMEOUT), XEN_ELF, CACHE; BASE_HV, another hypervisor
# ELF (an older build) booted from the bzImage as one more interleaved row
# ("base-bz", and "base-unpack" for the unpack-only boot), for a
# before/after of a change in the same run; WAYS, the rows to run (default
# all but the unpack-only ones; `make bench-unpack` runs those).
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
BUILD=${BUILD:-build}
QEMU=${QEMU:-qemu-system-x86_64}
RUNS=${RUNS:-3}
TIMEOUT=${TIMEOUT:-180}
PARAVANE_TIMEOUT=${PARAVANE_TIMEOUT:-$TIMEOUT}
MARKER='paravane-dom0: init reached'
# what the hypervisor prints when it cannot build Dom0 (after the unpack)
UNPACKED='No initial domain'
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

# The boots are interleaved (run 1 of each, then run 2 of each, ...), so
# that a change in the host's load touches every row alike.
names="bare xen-elf xen-bz"
[ -f "$BUILD/hypervisor.elf" ] && names="$names paravane paravane-bz" ||
	echo "boot-time: $BUILD/hypervisor.elf does not exist" >&2
[ -n "${BASE_HV:-}" ] && names="$names base-bz"
[ -n "${WAYS:-}" ] && names=$WAYS
uses() {
	case " $names " in *" $1"*) return 0 ;; esac
	return 1
}

eval "$(sh tests/images/fetch-kernel.sh)" || die "cannot fetch the Debian kernel"
initrd=$BUILD/dom0-initrd.gz
vmlinux=$BUILD/dom0-vmlinux
if uses bare || uses xen || uses paravane || uses base-bz; then
	[ -f "$initrd" ] && [ -f "$vmlinux" ] ||
		die "$initrd or $vmlinux missing: run 'make bench-boot-time'"
fi

# Debian ships Xen gzip-compressed; QEMU's Multiboot loader wants the ELF.
# `make bench-boot-time` passes the one it unpacked as XEN_ELF.
xen=${XEN_ELF:-$out/xen-4.17.elf}
if uses xen && [ ! -f "$xen" ]; then
	xen_dir=$(sh tests/images/fetch-deb.sh xen-hypervisor-4.17-amd64) ||
		die "cannot fetch xen-hypervisor-4.17-amd64"
	xen_gz=$(ls "$xen_dir"/boot/xen-4.17*-amd64.gz 2>/dev/null | head -n 1)
	[ -n "$xen_gz" ] || die "no boot/xen-4.17*-amd64.gz in $xen_dir"
	{ gunzip -c "$xen_gz" >"$xen.tmp" && mv "$xen.tmp" "$xen"; } ||
		die "cannot gunzip $xen_gz"
fi

# boot_once LOG LIMIT QEMU-ARGS...: seconds to the line $stop (the marker,
# or $UNPACKED for the unpack-only ways) on stdout, wall clock and QEMU's
# CPU time, or nothing if it did not come within LIMIT seconds or QEMU
# stopped first. On a busy host the CPU time says more: a
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
		if grep -q "$stop" "$log"; then
			t=$(date +%s%N)
			# QEMU's CPU time so far (utime + stime, in clock ticks)
			cpu=$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null)
			break
		fi
		kill -0 "$pid" 2>/dev/null || break
		# the unpack-only ways' stop line comes just before "System halted"
		if grep -Eq "$DEAD" "$log"; then
			grep -q "$stop" "$log" || break
			continue
		fi
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
	stop=$MARKER
	case $name in *unpack) stop=$UNPACKED ;; esac
	s=$(boot_once "$out/$name.$i.log" "$limit" "$@")
	if [ -z "$s" ]; then
		echo "boot-time: $name run $i: no \"$stop\" (limit ${limit}s); console tail:" >&2
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

ALL_WAYS="bare xen-elf xen-bz paravane paravane-bz base-bz unpack base-unpack"
for n in $ALL_WAYS; do
	: >"$out/$n.times"
	: >"$out/$n.cpu"
done
UNPACK_ARGS="console=com1 com1=115200 dom0_mem=2M noreboot"
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
		unpack) run_one unpack "$PARAVANE_TIMEOUT" $QEMU_ARGS -kernel "$BUILD/hypervisor.elf" \
			-append "$UNPACK_ARGS" -initrd "$vmlinuz console=hvc0" ;;
		base-unpack) run_one base-unpack "$PARAVANE_TIMEOUT" $QEMU_ARGS -kernel "$BASE_HV" \
			-append "$UNPACK_ARGS" -initrd "$vmlinuz console=hvc0" ;;
		*) die "unknown way '$n' (ways: $ALL_WAYS)" ;;
		esac
	done
done
for n in $ALL_WAYS; do
	eval "wall_$(echo $n | tr - _)=\$(median \"\$out/$n.times\")"
	eval "cpu_$(echo $n | tr - _)=\$(median \"\$out/$n.cpu\")"
done

# row NAME LABEL WALL CPU: both medians, each with its ratio to bare's (when
# bare ran), and every run's CPU seconds
row() {
	runs=$(tr '\n' ' ' <"$out/$1.cpu")
	if [ "$3" = - ]; then
		printf '%-36s %s\n' "$2" "not reached"
	elif [ "$wall_bare" = - ]; then
		printf '%-36s %6.2f s  (CPU %6.2f s; runs %s)\n' "$2" "$3" "$4" "$runs"
	else
		awk -v n="$2" -v t="$3" -v c="$4" -v b="$wall_bare" -v bc="$cpu_bare" -v r="$runs" \
			'BEGIN { printf "%-36s %6.2f s  %5.2fx bare   CPU %6.2f s  %5.2fx bare  (runs %s)\n", n, t, t / b, c, c / bc, r }'
	fi
}
echo "boot-time: QEMU start -> \"$MARKER\" (unpack rows: -> \"$UNPACKED\"), median of $RUNS (interleaved), TCG, -m 1G, kernel $kernel_version, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for n in $names; do
	case $n in
	bare) label="bare (bzImage, no hypervisor)" ;;
	xen-elf) label="xen-4.17 (Dom0 = ELF vmlinux)" ;;
	xen-bz) label="xen-4.17 (Dom0 = bzImage)" ;;
	paravane) label="paravane (Dom0 = ELF vmlinux)" ;;
	paravane-bz) label="paravane (Dom0 = bzImage)" ;;
	base-bz) label="base $(basename "$BASE_HV") (bzImage)" ;;
	unpack) label="paravane, unpack only" ;;
	base-unpack) label="base $(basename "$BASE_HV"), unpack only" ;;
	esac
	eval "row $n \"\$label\" \"\$wall_$(echo $n | tr - _)\" \"\$cpu_$(echo $n | tr - _)\""
done
# the bzImage boots' own unpacking time, as the hypervisor logged it
for n in paravane-bz base-bz; do
	uses $n || continue
	grep -ah 'is a bzImage' "$out"/$n.*.log 2>/dev/null | sed "s/.* unpacked/  $n: unpacked/" >&2
done
exit 0
