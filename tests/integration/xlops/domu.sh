# The DomU's test script (run by its /init, paravane.test=): report, once a
# second on its console (hvc0), what the xl commands change from outside:
# how many vCPUs are online and how much memory the balloon left. Never
# ends; the domain is destroyed from Dom0.
echo "domu: ready"
while :; do
	# what a distribution's udev rule does: Linux's Xen hotplug makes a
	# vCPU that `xl vcpu-set` brings back present, user space onlines it
	for c in /sys/devices/system/cpu/cpu[1-9]*/online; do
		[ -f "$c" ] && [ "$(cat "$c")" = 0 ] && echo 1 >"$c" 2>/dev/null
	done
	online=$(cat /sys/devices/system/cpu/online 2>/dev/null)
	mem=$(sed -n 's/^MemTotal: *\([0-9]*\) kB/\1/p' /proc/meminfo)
	echo "domu: cpus=$online memtotal=$mem"
	# console input: each line read is echoed back, so `xl console` can
	# be checked both ways
	if read -r -t 1 line 2>/dev/null; then
		echo "domu: got '$line'"
	fi
done
