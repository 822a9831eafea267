#!/bin/bash
# qemu-run.sh: boot Paravane under QEMU (software emulation, no VT-x), capture
# the serial console with a hard timeout, and assert on what it printed.
#
#   -n NAME     test name; the console goes to build/test-logs/NAME.log
#   -m MACHINE  q35 (default) or pc
#   -k KERNEL   the -kernel image (default build/hypervisor.elf)
#   -c ISO      boot this CD image instead of -kernel
#   -a ARGS     hypervisor command line (qemu_debug_exit is added unless -R)
#   -i INITRD   QEMU's -initrd string: "file args,file2 args" = boot modules
#   -M MEM      guest RAM (default 256M)
#   -t SECS     hard timeout (default 120: several times a normal boot)
#   -e REGEX    a console line that must appear; several -e must appear in order
#   -x REGEX    a line that must not appear
#   -s RESULT   how the run must end: pass (hypervisor reported success),
#               fail (hypervisor reported failure), reset (machine restarted),
#               any (default pass)
#   -R          no debug-exit: the hypervisor halts or reboots by itself
#   -q ARGS     extra QEMU arguments
set -u
name=boot machine=q35 kernel=build/hypervisor.elf iso="" append="" initrd="" mem=256M
timeout_s=120 result=pass debug_exit=1 extra=""
expects=() rejects=()
while getopts "n:m:k:c:a:i:M:t:e:x:s:Rq:" opt; do
	case $opt in
	n) name=$OPTARG ;;
	m) machine=$OPTARG ;;
	k) kernel=$OPTARG ;;
	c) iso=$OPTARG ;;
	a) append=$OPTARG ;;
	i) initrd=$OPTARG ;;
	M) mem=$OPTARG ;;
	t) timeout_s=$OPTARG ;;
	e) expects+=("$OPTARG") ;;
	x) rejects+=("$OPTARG") ;;
	s) result=$OPTARG ;;
	R) debug_exit=0 ;;
	q) extra=$OPTARG ;;
	*) echo "qemu-run.sh: bad option" >&2; exit 2 ;;
	esac
done

mkdir -p build/test-logs
log=build/test-logs/$name.log
args=(-machine "$machine" -cpu qemu64,-vmx,-svm -m "$mem" -nographic -no-reboot
      -device isa-debug-exit,iobase=0xf4,iosize=0x04)
[ "$debug_exit" = 1 ] && append="qemu_debug_exit $append"
if [ -n "$iso" ]; then
	args+=(-cdrom "$iso")
else
	args+=(-kernel "$kernel" -append "$append")
	[ -n "$initrd" ] && args+=(-initrd "$initrd")
fi
# shellcheck disable=SC2206
[ -n "$extra" ] && args+=($extra)

start=$(date +%s%N)
timeout -k 5 "$timeout_s" ${QEMU:-qemu-system-x86_64} "${args[@]}" </dev/null >"$log" 2>&1
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
elapsed="$((ms / 1000)).$(printf %03d $((ms % 1000)))"
# SeaBIOS and GRUB paint the screen with escape sequences; drop them and CRs.
sed -i -e 's/\x1b\[[0-9;?]*[a-zA-Z]//g' -e 's/\x1bc//g' -e 's/\r//g' "$log"

problems=()
case $rc in
124|137) problems+=("timed out after ${timeout_s}s") ;;
esac
case $result in
pass) [ $rc -eq 1 ] || problems+=("expected the hypervisor to report success (QEMU exit 1), got exit $rc") ;;
fail) [ $rc -eq 3 ] || problems+=("expected the hypervisor to report failure (QEMU exit 3), got exit $rc") ;;
reset) [ $rc -eq 0 ] || problems+=("expected a machine reset (QEMU exit 0 with -no-reboot), got exit $rc") ;;
any) ;;
esac

# Expected lines, in order: each search starts after the previous match.
line=0
for re in "${expects[@]}"; do
	found=$(tail -n +$((line + 1)) "$log" | grep -n -E -m1 -- "$re" | cut -d: -f1)
	if [ -z "$found" ]; then
		if grep -q -E -- "$re" "$log"; then
			problems+=("line /$re/ appeared, but out of order")
		else
			problems+=("missing line /$re/")
		fi
	else
		line=$((line + found))
	fi
done
for re in "${rejects[@]}"; do
	grep -q -E -- "$re" "$log" && problems+=("unexpected line /$re/: $(grep -m1 -E -- "$re" "$log")")
done

if [ ${#problems[@]} -eq 0 ]; then
	echo "PASS $name (${elapsed}s)"
	exit 0
fi
echo "FAIL $name (${elapsed}s):"
printf '  - %s\n' "${problems[@]}"
echo "  console tail ($log):"
tail -n 40 "$log" | sed 's/^/  | /'
exit 1
