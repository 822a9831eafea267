# Run inside the Dom0 initramfs by /init (kernel argument
# paravane.test=/tests/images_boot_smoke.sh), on bare QEMU or on a
# hypervisor. Prints one "images-boot: PASS" or "images-boot: FAIL <why>".
why=
grep -q ' /proc proc' /proc/mounts || why="$why no-/proc"
grep -q ' /sys sysfs' /proc/mounts || why="$why no-/sys"
grep -q ' /dev devtmpfs' /proc/mounts || why="$why no-devtmpfs"
# Modules that load everywhere (the xen ones need a hypervisor).
for m in loop bridge; do
	grep -q "^$m " /proc/modules || why="$why no-module-$m"
done
if [ "$(cat /sys/hypervisor/type 2>/dev/null)" = xen ]; then
	for m in xen_evtchn xen_privcmd xen_gntdev xen_gntalloc xenfs; do
		grep -q "^$m " /proc/modules || why="$why no-module-$m"
	done
	grep -q control_d /proc/xen/capabilities 2>/dev/null || why="$why not-control_d"
	# Dom0's machine-check log (the mca hypercall) and the virtual MCE banks.
	if grep -q control_d /proc/xen/capabilities 2>/dev/null; then
		dmesg | grep -q 'xen_mcelog: /dev/mcelog registered by Xen' || why="$why no-xen-mcelog"
		dmesg | grep -q 'mce: Unable to init MCE device' && why="$why mce-init-failed"
	fi
fi
# On Paravane: the Dom0 ABI program, the vCPU count asked for, and time.
if [ -x /tests/dom0-abi-test ]; then
	/tests/dom0-abi-test || why="$why dom0-abi-test"
fi
# The Dom0 hypercall fuzzer, a short seeded run (kernel arguments
# paravane.hcfuzz=SEED:ROUNDS:SECONDS change it; tests/integration/dom0_hcfuzz.sh).
if [ -x /tests/dom0-hcfuzz ]; then
	sh /tests/dom0_hcfuzz.sh || why="$why dom0-hcfuzz"
fi
for arg in $(cat /proc/cmdline); do
	case $arg in
	paravane.vcpus=*)
		want=${arg#paravane.vcpus=}
		got=$(grep -c ^processor /proc/cpuinfo)
		[ "$got" = "$want" ] || why="$why cpus-$got-not-$want"
		;;
	esac
done
t0=$(cut -d' ' -f1 /proc/uptime)
sleep 1
t1=$(cut -d' ' -f1 /proc/uptime)
ms=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%d", (b - a) * 1000 }')
echo "images-boot: sleep 1 took ${ms} ms of uptime"
[ "$ms" -ge 900 ] && [ "$ms" -le 1600 ] || why="$why sleep-1-took-${ms}ms"

# The time of day (from the hypervisor's wallclock, which it reads from the CMOS clock).
year=$(date +%Y)
echo "images-boot: date $(date)"
[ "$year" -ge 2024 ] 2>/dev/null || why="$why clock-says-$year"

echo "images-boot: uname $(uname -r), $(grep -c ^processor /proc/cpuinfo) cpu(s), $(sed -n 's/MemTotal: *//p' /proc/meminfo)"
if [ -z "$why" ]; then
	echo "images-boot: PASS"
else
	echo "images-boot: FAIL$why"
fi
