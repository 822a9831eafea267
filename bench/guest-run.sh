# guest-run.sh: sourced by the benchmarks that boot a bench guest kernel as
# the initial domain (dom.sh, events.sh, mm.sh, pv-core.sh); the caller sets
# $out (where the logs go) and $guest (the kernel).
#
# bench_boot NAME TEST TIMEOUT SMP HYPERVISOR [ARGS]: $guest on HYPERVISOR,
# ARGS on its command line, in a QEMU of SMP CPUs (empty: one), its console
# in $out/NAME.log; returns 1, printing the console's tail, unless guest
# test TEST passed.
bench_boot() {
	GUEST_SMP=$4 GUEST_LOG=$out/$1.log GUEST_TIMEOUT=$3 sh tests/guests/run-guest.sh "$5" "$guest" ${6:-} >/dev/null 2>&1
	if ! grep -q "guest-test $2: [1-9][0-9]* passed, 0 failed" "$out/$1.log"; then
		echo "$1: the benchmark did not complete; console tail:" >&2
		tr -d '\r' <"$out/$1.log" | tail -n 20 >&2
		return 1
	fi
}
