#!/bin/sh
# run-guest.sh HYPERVISOR_ELF GUEST_ELF [extra hypervisor args...]
#
# Boot HYPERVISOR_ELF in QEMU (TCG) with GUEST_ELF as the initial domain's
# kernel, wait for the guest's summary line
#   guest-test <name>: N passed, M failed
# and stop QEMU.  Exit 0 only if the line appeared with M = 0 and N > 0.
# Prints the guest's PASS/FAIL lines; on failure also the console tail.
#
# Environment: QEMU (default qemu-system-x86_64), GUEST_TIMEOUT (seconds,
# default 150), GUEST_LOG (console log path, default build/guests/logs/...),
# GUEST_CPU (QEMU -cpu, default qemu64,-vmx,-svm), GUEST_CMDLINE (the test
# kernel's own command line), GUEST_LOG_TAG (added to the default log name),
# GUEST_SMP (QEMU's CPU count, default 1), GUEST_EXPECT (extended regular
# expressions separated by "%%", each of which must match a console line
# after the summary line before the timeout: what a guest leaves to the
# hypervisor to report, such as a watchdog's expiry).
# The same command line works for Xen and Paravane; isa-debug-exit is
# present for hypervisors that use it (Paravane's qemu_debug_exit option).
set -u
if [ $# -lt 2 ]; then
	echo "usage: $0 HYPERVISOR_ELF GUEST_ELF [hypervisor args...]" >&2
	exit 2
fi
hv=$1
guest=$2
shift 2
extra="$*"
name=$(basename "$guest" .elf)
timeout=${GUEST_TIMEOUT:-150}
qemu=${QEMU:-qemu-system-x86_64}
logdir=$(dirname "$guest")/logs
cpu=${GUEST_CPU:-qemu64,-vmx,-svm}
log=${GUEST_LOG:-$logdir/$name${GUEST_LOG_TAG:-}.$(basename "$hv" .elf).log}

for f in "$hv" "$guest"; do
	[ -f "$f" ] || { echo "run-guest: $f: no such file" >&2; exit 2; }
done
mkdir -p "$(dirname "$log")"
: >"$log"

start=$(date +%s)
"$qemu" -machine q35 -cpu "$cpu" ${GUEST_SMP:+-smp $GUEST_SMP} -m 512M -display none \
	-monitor none -serial "file:$log" -no-reboot \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-kernel "$hv" \
	-append "console=com1 com1=115200,8n1 dom0_mem=64M noreboot loglvl=all guest_loglvl=all $extra" \
	-initrd "$guest${GUEST_CMDLINE:+ $GUEST_CMDLINE}" </dev/null >"$log.qemu" 2>&1 &
qpid=$!

summary=""
reason="timeout after ${timeout}s"
while :; do
	summary=$(tr -d '\r' 2>/dev/null <"$log" | grep -a -o "guest-test $name: [0-9]* passed, [0-9]* failed" | tail -n 1)
	[ -n "$summary" ] && { reason=""; break; }
	if ! kill -0 "$qpid" 2>/dev/null; then
		reason="QEMU exited without a summary line"
		break
	fi
	[ $(( $(date +%s) - start )) -ge "$timeout" ] && break
	sleep 1
done
# What must follow the summary (GUEST_EXPECT), each pattern in turn.
missing=""
if [ -n "$summary" ] && [ -n "${GUEST_EXPECT:-}" ]; then
	missing=$(printf '%s\n' "$GUEST_EXPECT" | sed 's/%%/\n/g' | while IFS= read -r pat; do
		[ -z "$pat" ] && continue
		while ! tr -d '\r' <"$log" | sed -n "/guest-test $name: [0-9]* passed/,\$p" | grep -a -q -E "$pat"; do
			if ! kill -0 "$qpid" 2>/dev/null || [ $(( $(date +%s) - start )) -ge "$timeout" ]; then
				echo "$pat"
				break
			fi
			sleep 1
		done
	done)
fi
# Let the shutdown message reach the log, then stop QEMU.
[ -n "$summary" ] && sleep 1
kill "$qpid" 2>/dev/null
wait "$qpid" 2>/dev/null
secs=$(( $(date +%s) - start ))

tr -d '\r' <"$log" | grep -a -E '(PASS|FAIL) [A-Za-z0-9_]' | sed 's/^.*\(PASS\|FAIL\) /\1 /'
if [ -z "$summary" ]; then
	echo "run-guest: $name on $(basename "$hv"): $reason; console tail ($log):"
	tr -d '\r' <"$log" | tail -n 40
	cat "$log.qemu" 2>/dev/null | tail -n 5
	exit 1
fi
echo "$summary (${secs}s on $(basename "$hv"))"
if [ -n "$missing" ]; then
	echo "run-guest: $name: after the summary, no console line matched: $missing; console tail ($log):"
	tr -d '\r' <"$log" | tail -n 25
	exit 1
fi
npass=$(echo "$summary" | sed 's/.*: \([0-9]*\) passed.*/\1/')
nfail=$(echo "$summary" | sed 's/.* \([0-9]*\) failed/\1/')
if [ "$nfail" -ne 0 ] || [ "$npass" -eq 0 ]; then
	echo "run-guest: $name failed; console tail ($log):"
	tr -d '\r' <"$log" | tail -n 25
	exit 1
fi
exit 0
