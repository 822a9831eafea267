#!/bin/sh
# events.sh: event-channel latency, vCPU/domain switches, yield and timer
# wake-up, measured by the evbench guest kernel (bench/guests/evbench.c) with
# the TSC, on Paravane and on Xen 4.17 in the same QEMU (TCG, -smp 1).
#
#   sh bench/events.sh PARAVANE_ELF XEN_ELF EVBENCH_ELF
#
# Run 1 (both hypervisors): evbench as Dom0 with dom0_max_vcpus=2, so the
# vCPU ping-pong and yield force a switch on the one physical CPU.
# Run 2 (Paravane only, test_domains): evbench as Dom0 (role=x0) and as
# domain 1 (role=x1), ping-ponging over an interdomain channel; Xen would
# need a toolstack to start the second domain. Ratios from one run.
set -u
pv=$1 xen=$2 guest=$3
QEMU=${QEMU:-qemu-system-x86_64}
out=${BENCH_OUT:-build/bench/events}
mkdir -p "$out"

. "$(dirname "$0")/guest-run.sh"
single() {  # name hypervisor extra-args
	bench_boot "$1" evbench 300 "" "$2" "$3"
}

# Two domains on Paravane: Dom0 prints the summary, domain 1 spins until the
# machine stops with Dom0.
cross() {
	log=$out/paravane-domains.log
	: >"$log"
	"$QEMU" -machine q35 -cpu qemu64,-vmx,-svm -m 512M -display none -monitor none \
		-serial "file:$log" -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-kernel "$pv" \
		-append "console=com1 com1=115200,8n1 dom0_mem=64M noreboot qemu_debug_exit test_domains" \
		-initrd "$guest role=x0,$guest role=x1" </dev/null >"$log.qemu" 2>&1 &
	qpid=$!
	i=0
	while [ $i -lt 300 ] && kill -0 $qpid 2>/dev/null &&
		! grep -aq "^guest-test evbench: [0-9]* passed" "$log"; do
		sleep 1
		i=$((i + 1))
	done
	sleep 1
	kill $qpid 2>/dev/null
	wait $qpid 2>/dev/null
	if ! grep -aq "^guest-test evbench: [1-9][0-9]* passed, 0 failed" "$log"; then
		echo "paravane (two domains): the benchmark did not complete; console tail:" >&2
		tr -d '\r' <"$log" | tail -n 20 >&2
		return 1
	fi
}

# value LOG WHAT FIELD: the number after FIELD on Dom0's "bench WHAT:" line
value() {
	tr -d '\r' <"$1" | sed -n "s/^bench $2: .*$3 \([0-9]*\).*/\1/p" | head -n 1
}
row() {  # label paravane xen unit
	r=$(awk -v p="$2" -v x="$3" 'BEGIN { if (x > 0 && p != "") printf "%.2f", p / x; else print "-" }')
	printf '%-48s %10s %10s %6s  %s\n' "$1" "${2:--}" "${3:--}" "$r" "$4"
}

single paravane "$pv" "qemu_debug_exit dom0_max_vcpus=2" || exit 1
single xen "$xen" "dom0_max_vcpus=2" || exit 1
cross || exit 1
P=$out/paravane.log X=$out/xen.log D=$out/paravane-domains.log

printf '%-48s %10s %10s %6s\n' "measure (one vCPU per domain unless said)" paravane xen-4.17 ratio
row "event loopback: send -> own callback" "$(value $P "event loopback send to callback" median)" \
	"$(value $X "event loopback send to callback" median)" "cycles, median"
row "event send, port masked (no upcall)" "$(value $P "event send masked port" median)" \
	"$(value $X "event send masked port" median)" "cycles, median"
row "2 vCPUs: send -> other vCPU's callback" "$(value $P "vcpu event send to other vcpu callback" median)" \
	"$(value $X "vcpu event send to other vcpu callback" median)" "cycles, median (1 switch)"
row "2 vCPUs: event ping-pong round trip" "$(value $P "vcpu ping-pong round trip" median)" \
	"$(value $X "vcpu ping-pong round trip" median)" "cycles, median (2 switches)"
row "2 vCPUs: yield round trip" "$(value $P "vcpu yield round trip" median)" \
	"$(value $X "vcpu yield round trip" median)" "cycles, median"
printf '    vCPU1 ran during the timed yields: paravane %s, xen %s of 2000\n' \
	"$(value $P "vcpu yield round trip" ran)" "$(value $X "vcpu yield round trip" ran)"
for w in "vcpu1 idle" "vcpu1 spinning"; do
	for f in median p90 max; do
		row "timer wake, $w: $f" "$(value $P "timer wake $w" $f)" "$(value $X "timer wake $w" $f)" "us late"
	done
done
row "2 domains: event ping-pong round trip" "$(value $D "domain ping-pong round trip" median)" "" \
	"cycles, median (Xen: needs a toolstack)"
for w in "domain1 idle" "domain1 spinning"; do
	for f in median p90 max; do
		row "timer wake, $w: $f" "$(value $D "timer wake $w" $f)" "" "us late (tick 10 ms)"
	done
done
echo "console logs: $out/"
