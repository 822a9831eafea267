#!/bin/sh
# dom.sh: building and starting a 256 MiB domain, and destroying it while it
# runs, from a Dom0 test kernel (bench/guests/dombench.c), on Paravane and on
# Xen 4.17 in the same QEMU (TCG, -smp 2: the domain runs beside Dom0).
#
#   sh bench/dom.sh PARAVANE_ELF XEN_ELF DOMBENCH_ELF
#
# ROUNDS (default 3) alternating boots of each hypervisor, Paravane first,
# each doing the guest's RUNS builds and destroys; every round's medians
# are printed, and the ratios of the medians over the rounds.
set -u
pv=$1 xen=$2 guest=$3
rounds=${ROUNDS:-3}
out=${BENCH_OUT:-build/bench/dom}
mkdir -p "$out"

. "$(dirname "$0")/guest-run.sh"
run() {  # name hypervisor extra-args
	bench_boot "$1" dombench 900 "2" "$2" "$3"
}
num() {  # log phase
	tr -d '\r' <"$1" | sed -n "s/.*bench: $2 median \([0-9]*\) us.*/\1/p" | head -n 1
}

phases="create populate tables pin start build destroy"
r=1
while [ $r -le "$rounds" ]; do
	run paravane-$r "$pv" qemu_debug_exit || exit 1
	run xen-$r "$xen" "" || exit 1
	r=$((r + 1))
done

printf '%-10s' "round"
for p in $phases; do printf ' %21s' "$p"; done
printf '\n'
for h in paravane xen; do
	r=1
	while [ $r -le "$rounds" ]; do
		printf '%-10s' "$h-$r"
		for p in $phases; do printf ' %18s us' "$(num "$out/$h-$r.log" "$p")"; done
		printf '\n'
		r=$((r + 1))
	done
done
# Median over the rounds of each hypervisor's per-round medians
mid() {  # hypervisor phase
	r=1
	while [ $r -le "$rounds" ]; do
		num "$out/$1-$r.log" "$2"
		r=$((r + 1))
	done | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
printf '\n%-10s %12s %12s %8s\n' "phase" "paravane us" "xen us" "ratio"
for p in $phases; do
	a=$(mid paravane "$p") b=$(mid xen "$p")
	printf '%-10s %12s %12s %8s\n' "$p" "$a" "$b" "$(awk -v a="$a" -v b="$b" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')"
done
echo "targets (issue 15): build <= 0.5x Xen, destroy <= 0.5x Xen; logs in $out"
