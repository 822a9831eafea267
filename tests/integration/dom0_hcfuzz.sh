# Run inside Dom0 (on Paravane or Xen 4.17): the hypercall fuzzer
# /tests/dom0-hcfuzz (tests/images/dom0-hcfuzz.c) from a seed, for some
# rounds or seconds. Kernel argument paravane.hcfuzz=SEED:ROUNDS:SECONDS[:ROUND[:N]]
# (default 1:3:20: the short run of images-boot-paravane; ROUND: print that
# round's calls and results, for replaying a finding; N: that round makes
# only its first N calls, for bisecting). Prints
# "dom0-hcfuzz-run: PASS" or "dom0-hcfuzz-run: FAIL" and exits 0 or 1.
seed=1 rounds=3 secs=20 trace=-1
for arg in $(cat /proc/cmdline); do
	case $arg in
	paravane.hcfuzz=*)
		IFS=: read -r seed rounds secs trace ncalls <<-EOF
			${arg#paravane.hcfuzz=}
		EOF
		;;
	esac
done
t0=$(cut -d' ' -f1 /proc/uptime)
if /tests/dom0-hcfuzz -s "$seed" -r "$rounds" -t "$secs" -T "${trace:--1}" -c "${ncalls:-256}"; then
	r=PASS
else
	r=FAIL
fi
# the CPU time Dom0 spent in the fuzzer (user, and kernel with the hypercalls inside)
t1=$(cut -d' ' -f1 /proc/uptime)
echo "dom0-hcfuzz-run: $(awk -v a="$t0" -v b="$t1" '{ printf "%.1f s, CPU user %.2f s, system %.2f s", b - a, $16 / 100, $17 / 100 }' /proc/$$/stat 2>/dev/null)"
echo "dom0-hcfuzz-run: $r"
[ "$r" = PASS ]
