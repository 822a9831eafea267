#!/bin/bash
# profile-fork-exec.sh: where the instructions of fork+exec in Dom0 go, by
# function, for the hypervisor and the guest kernel (docs/benchmarks.md,
# "Why fork+exec stays above 2x bare"). QEMU runs with -icount shift=0, so
# the guest's clock follows its instructions and timer interrupts fall at
# the same points however slowly logging makes QEMU run. Logging
# (-d exec,nochain,in_asm) is switched on from the QEMU monitor only around
# N iterations of forkbench; bench/tools/tbprof weights each block run by
# its instruction count and charges it to a symbol.
#
#   bash bench/profile-fork-exec.sh paravane|bare HYPERVISOR_ELF FORKBENCH VMLINUX TBPROF [N]
# Prints the totals and the top functions; the log (about 45 MB per
# iteration) is deleted afterwards unless KEEP_LOG=1.
set -u
what=$1 hv=$2 prog=$3 vmlinux=$4 tbprof=$5 n=${6:-20}
QEMU=${QEMU:-qemu-system-x86_64}
TIMEOUT=${TIMEOUT:-900}
out=${BENCH_OUT:-build/bench}/profile
mkdir -p "$out"
eval "$(sh tests/images/fetch-kernel.sh)" || { echo "profile: cannot fetch the kernel" >&2; exit 1; }
script=$out/profile.sh
cat >"$script" <<SCRIPT
#!/bin/sh
/bin/forkbench 20 /bin/true >/dev/null
echo "PROFILE KSYMS BEGIN"
grep -i ' t ' /proc/kallsyms
echo "PROFILE KSYMS END"
echo "PROFILE READY"
sleep 2
/bin/forkbench $n /bin/true
echo "PROFILE DONE"
sleep 1
SCRIPT
sh tests/images/build-dom0-initramfs.sh "$out/initrd.gz" "$prog:/bin/forkbench" "$script:/tests/profile.sh" \
	>/dev/null || exit 1
console=$out/$what.console log=$out/$what.qemu.log port=$((40000 + $$ % 20000))
rm -f "$console" "$log"
T="paravane.test=/tests/profile.sh panic=-1"
case $what in
bare)
	set -- -kernel "$vmlinuz" -initrd "$out/initrd.gz" -append "console=ttyS0 nokaslr $T" ;;
paravane)
	set -- -device isa-debug-exit,iobase=0xf4,iosize=0x04 -kernel "$hv" \
		-append "console=com1 com1=115200 dom0_mem=512M noreboot qemu_debug_exit" \
		-initrd "$vmlinux console=hvc0 $T,$out/initrd.gz" ;;
*)
	echo "profile: paravane or bare, not '$what'" >&2; exit 2 ;;
esac
timeout "$TIMEOUT" "$QEMU" -icount shift=0,sleep=on -machine q35 -cpu qemu64,-vmx,-svm -m 1G \
	-nographic -no-reboot -monitor tcp:127.0.0.1:$port,server,nowait -D "$log" "$@" \
	</dev/null >"$console" 2>&1 &
qpid=$!
monitor() {  # command
	exec 3<>/dev/tcp/127.0.0.1/$port && printf '%s\n' "$1" >&3 && sleep 0.5 && exec 3>&-
}
wait_for() {  # pattern
	while ! grep -aq "$1" "$console" 2>/dev/null; do
		kill -0 $qpid 2>/dev/null || return 1
		sleep 0.2
	done
}
if ! wait_for "PROFILE READY" || ! monitor "log exec,nochain,in_asm" || ! wait_for "PROFILE DONE" ||
   ! monitor "log none"; then
	echo "profile: the $what run did not reach its markers; console tail:" >&2
	tail -n 15 "$console" >&2
	kill $qpid 2>/dev/null
	exit 1
fi
wait $qpid
tr -d '\r' <"$console" | sed -n '/PROFILE KSYMS BEGIN/,/PROFILE KSYMS END/p' | grep -v PROFILE >"$out/$what.kallsyms"
if [ "$what" = bare ]; then : >"$out/hv.nm"; else nm -n "$hv" >"$out/hv.nm"; fi
grep -a 'forkbench: fork+exec' "$console" | tail -n 1
"$tbprof" "$out/hv.nm" "$out/$what.kallsyms" "${TOP:-40}" <"$log"
[ "${KEEP_LOG:-0}" = 1 ] || rm -f "$log"
