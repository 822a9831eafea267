#!/bin/sh
# sched-shares.sh: two CPU-bound test domains (tests/guests/spin.c, never
# yielding) at weights 256:512 on Paravane for 10 s (test_domains,
# test_weights, sched_report=10); prints each domain's share of the CPU and
# whether the pair is within 5 % of 1:2 (issue 5). Paravane only: Xen would
# need a toolstack to start the second domain.
#
#   sh bench/sched-shares.sh PARAVANE_ELF SPIN_ELF [SECONDS]
set -u
pv=$1 spin=$2 secs=${3:-10}
QEMU=${QEMU:-qemu-system-x86_64}
out=${BENCH_OUT:-build/bench}
mkdir -p "$out"
log=$out/sched-shares.log
: >"$log"
timeout $((secs + 120)) "$QEMU" -machine q35 -cpu qemu64,-vmx,-svm -m 512M -display none -monitor none \
	-serial "file:$log" -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-kernel "$pv" \
	-append "console=com1 com1=115200,8n1 noreboot qemu_debug_exit test_domains test_weights=256,512 sched_report=$secs" \
	-initrd "$spin,$spin" </dev/null >"$log.qemu" 2>&1
lines=$(tr -d '\r' <"$log" | grep '^sched-report d')
if [ -z "$lines" ]; then
	echo "sched-shares: no sched-report lines; console tail ($log):" >&2
	tr -d '\r' <"$log" | tail -n 20 >&2
	exit 1
fi
echo "$lines"
echo "$lines" | awk -v secs="$secs" '
	{ for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
	  id = substr($2, 2); w[id] = f["weight"]; s[id] = f["share_permille"]; ms[id] = f["ran_ms"] }
	END {
		want = w[1] / w[0]; got = (s[0] > 0) ? s[1] / s[0] : 0
		dev = (got - want) / want * 100
		ok = (dev <= 5 && dev >= -5)
		printf "sched-shares: weights %d:%d over %d s: shares %.1f%% : %.1f%% (ran %d ms : %d ms), ratio %.3f (want %.3f, %+.1f%%): %s\n",
			w[0], w[1], secs, s[0] / 10, s[1] / 10, ms[0], ms[1], got, want, dev,
			ok ? "within 5% of 1:2" : "NOT within 5% of 1:2"
		exit !ok
	}'
