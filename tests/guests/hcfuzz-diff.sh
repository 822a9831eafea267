#!/bin/sh
# hcfuzz-diff.sh PARAVANE_ELF XEN_ELF HCFUZZ_ELF SEED ITERS
#
# Run the in-guest fuzzer with the same seed on both hypervisors, tracing
# every call, and print where their answers differ: one line per distinct
# (hypercall, Paravane's result, Xen's result), with the iteration and both
# calls, until the call sequences part (a result that changed what the
# generator does next, or frame numbers that differ between the machines).
# A tool for finding ABI differences, not a test: many differences come
# from the two machines' different memory (which frames are free, whose
# they are), not from a different rule.
set -u
pv=$1 xen=$2 elf=$3 seed=$4 iters=$5
out=$(dirname "$elf")/logs
mkdir -p "$out"
for hv in "$pv" "$xen"; do
	n=$(basename "$hv" .elf)
	extra=""
	[ "$hv" = "$pv" ] && extra=qemu_debug_exit
	GUEST_LOG=$out/hcfuzz-diff-$n.log GUEST_CMDLINE="seed=$seed iters=$iters secs=600 trace=1" \
		sh "$(dirname "$0")/run-guest.sh" "$hv" "$elf" $extra dom0_max_vcpus=2 >/dev/null 2>&1
	# "iteration nr rc call" per hypercall
	tr -d '\r' <"$out/hcfuzz-diff-$n.log" | grep -a '^hcfuzz [0-9]*: \(hc \|  = \)' | paste - - |
		awk '{split($4, a, "("); x = $4; sub(/,$/, "", x); print $2, a[1], $NF, x ")"}' >"$out/hcfuzz-diff-$n.tr"
done
paste -d' ' "$out/hcfuzz-diff-$(basename "$pv" .elf).tr" "$out/hcfuzz-diff-$(basename "$xen" .elf).tr" |
	awk '$1 != $5 || $2 != $6 { print "calls part at iteration " $1; exit }
	     $3 != $7 { k = $2 " " $3 " " $7; if (!(k in seen)) { seen[k] = 1;
	       print "iteration " $1 " hypercall " $2 ": Paravane " $3 ", Xen " $7 "   (call " $4 " / " $8 ")" } }'
