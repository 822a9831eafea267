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
fi
echo "images-boot: uname $(uname -r), $(grep -c ^processor /proc/cpuinfo) cpu(s), $(sed -n 's/MemTotal: *//p' /proc/meminfo)"
if [ -z "$why" ]; then
	echo "images-boot: PASS"
else
	echo "images-boot: FAIL$why"
fi
