#!/bin/sh
# tb-lookups.sh: which translated blocks (TBs) QEMU TCG must look up on the
# null hypercall and bounced exception paths, and which of them collide in
# its jump cache (see docs/benchmarks.md, "Issue 3").
#
#   sh bench/tb-lookups.sh HYPERVISOR_ELF PVTRACE_ELF [hypervisor args...]
#
# PVTRACE_ELF is pvbench built with 1 000 runs per loop (make
# bench-tb-lookups builds it). QEMU logs every TB it translates and runs
# (-d in_asm,exec,nochain) into a pipe; we keep the 500th iteration of each
# loop and classify every transition into a TB by how the previous one ended:
#   chain   a direct jump or fall-through within the page: chained, cheap
#   XPAGE   a direct jump or call to another page: a jump-cache lookup
#   IND     a return or an indirect jump or call: a jump-cache lookup
#   EOB     an instruction that leaves translated code (SYSCALL, SYSRET,
#           IRETQ, an exception): QEMU's main loop looks the TB up
# QEMU 7.2's jump cache is indexed by pc bits 12-17 XOR 18-23 (6 bits) and
# 0-5 XOR 6-11 (6 bits): the TBs of one page share 64 slots. Two looked-up
# TBs in one slot evict each other on every iteration and each then costs a
# hash-table lookup (about 150 TSC cycles on our host).
set -u
if [ $# -lt 2 ]; then
	echo "usage: $0 HYPERVISOR_ELF PVTRACE_ELF [hypervisor args...]" >&2
	exit 2
fi
hv=$1 guest=$2
shift 2
qemu=${QEMU:-qemu-system-x86_64}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sysenter=$(nm "$hv" | sed -n 's/^\([0-9a-f]*\) T syscall_enter$/\1/p')
stub3=$(nm "$guest" | sed -n 's/^\([0-9a-f]*\) T trap_stub_3$/\1/p')
if [ -z "$sysenter" ] || [ -z "$stub3" ]; then
	echo "tb-lookups: no syscall_enter in $hv or no trap_stub_3 in $guest" >&2
	exit 2
fi
{ nm "$hv"; nm "$guest"; } | awk '$2 ~ /^[tTwW]$/ { print $1, $3 }' | sort >"$tmp/syms"
mkfifo "$tmp/log"
: >"$tmp/console"
"$qemu" -machine q35 -cpu qemu64,-vmx,-svm -m 512M -display none -monitor none \
	-serial "file:$tmp/console" -no-reboot -kernel "$hv" -initrd "$guest" \
	-append "console=com1 dom0_mem=64M noreboot qemu_debug_exit $*" \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-d in_asm,exec,nochain -D "$tmp/log" </dev/null >/dev/null 2>&1 &
qpid=$!
# Stop QEMU once the guest is done (or after 5 minutes): the pipe then ends.
(
	for _ in $(seq 600); do
		grep -aq "guest-test pvbench: " "$tmp/console" && grep -aq "bounced exception median" "$tmp/console" && break
		kill -0 $qpid 2>/dev/null || exit 0
		sleep 0.5
	done
	kill $qpid 2>/dev/null
) &
watcher=$!

awk -v sysenter="$sysenter" -v stub3="$stub3" -v symfile="$tmp/syms" '
function norm(h) {   # "0x00ab" or "00ab" -> "ab", 16 digits, zero-padded
	sub(/^0x/, "", h)
	while (length(h) < 16) h = "0" h
	return tolower(h)
}
function hexval(h,    v, i) {   # the low 6 hex digits: 24 bits, exact in a double
	h = substr(h, length(h) - 5)
	v = 0
	for (i = 1; i <= 6; i++) v = v * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1
	return v
}
function xor6(a, b,    r, bit) {
	r = 0
	for (bit = 1; bit < 64; bit *= 2)
		if ((int(a / bit) % 2) != (int(b / bit) % 2)) r += bit
	return r
}
function jc_index(h,    v) {   # QEMU 7.2 tb_jmp_cache_hash_func, for 4 KiB pages
	v = hexval(h)
	return xor6(int(v / 4096) % 64, int(v / 262144) % 64) * 64 + xor6(v % 64, int(v / 64) % 64)
}
function sym(h,    i, best) {
	best = ""
	for (i = 1; i <= nsym; i++) {
		if (saddr[i] > h) break
		best = i
	}
	if (best == "") return "?"
	return sprintf("%s+0x%x", sname[best], hexval(h) - hexval(saddr[best]))
}
function kind(prev, pc,    ins, samepage) {
	ins = last[prev]
	samepage = substr(prev, 1, 13) == substr(pc, 1, 13)
	if (ins ~ /^retq?/) return "IND"
	# these end the TB without chaining (or raise an exception)
	if (ins == "" || ins ~ /^(iretq|sysretq|syscall|int3|ud2|hlt|wrmsr|sti|popfq)/ || ins ~ /^mov.*, %cr/)
		return "EOB"
	if (ins ~ /\*/) return "IND"
	return samepage ? "chain" : "XPAGE"
}
function report(name, n, seq,    i, k, pc, c, slot, nlook, coll) {
	printf "\n== %s: one iteration, %d TBs run\n", name, n
	nlook = 0; coll = 0
	delete slot
	for (i = 2; i <= n; i++) {
		pc = seq[i]
		k = kind(seq[i - 1], pc)
		if (k == "chain") continue
		nlook++
		c = jc_index(pc)
		printf "  %-6s %s %-34s slot %4d\n", k, pc, sym(pc), c
		if ((c in slot) && index(slot[c], pc) == 0) {
			coll++
			collisions = collisions sprintf("  %s: slot %d: %s and %s\n", name, c, slot[c], pc " " sym(pc))
		}
		slot[c] = slot[c] pc " " sym(pc) " "
	}
	printf "  %d lookups; %d jump-cache collisions\n", nlook, coll
}
BEGIN {
	while ((getline line < symfile) > 0) {
		split(line, f, " ")
		nsym++; saddr[nsym] = norm(f[1]); sname[nsym] = f[2]
	}
	sysenter = norm(sysenter); stub3 = norm(stub3)
}
/^IN:/ { inblk = 1; first = ""; next }
inblk && /^0x[0-9a-f]+:/ {
	a = $1; sub(/:$/, "", a)
	if (first == "") first = norm(a)
	m = ""
	for (i = 2; i <= NF; i++) if ($i !~ /^[0-9a-f][0-9a-f]$/) { m = $i; break }
	rest = ""
	for (j = i + 1; j <= NF; j++) rest = rest " " $j
	last[first] = m rest
	next
}
inblk { inblk = 0 }
/^Trace / {
	split($0, f, "/")
	pc = norm(f[2])
	if (pc == stub3) nstub++
	if (pc == sysenter && nstub == 0) nsys++
	if (nstub == 0 && nsys == 500) hc[++nhc] = pc
	if (nstub == 0 && nsys == 501 && !hcdone) { hc[++nhc] = pc; hcdone = 1 }
	if (nstub == 500) bo[++nbo] = pc
	if (nstub == 501 && !bodone) { bo[++nbo] = pc; bodone = 1 }
}
END {
	if (!hcdone || !bodone) {
		print "tb-lookups: the trace ended before 501 iterations of both loops" > "/dev/stderr"
		exit 1
	}
	report("null hypercall (from syscall_enter)", nhc, hc)
	report("bounced exception (from the guest trap_stub_3)", nbo, bo)
	if (collisions != "") printf "\ncollisions (each pair costs two hash-table lookups per iteration):\n%s", collisions
}' <"$tmp/log"
rc=$?
kill $qpid $watcher 2>/dev/null
wait $qpid 2>/dev/null
exit $rc
