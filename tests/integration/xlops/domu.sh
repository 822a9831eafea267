# The DomU's test script (run by its /init, paravane.test=): report, once a
# second on its console (hvc0), what the xl commands change from outside:
# how many vCPUs are online and how much memory the balloon left, with a
# counter (n=) that stops while the domain is paused. Never ends; the
# domain is destroyed from Dom0. A line "spin" on the console sends it
# into a busy loop on every vCPU (for `xl destroy` of a stuck guest).
echo "domu: ready"
# the report, once a second, in the background
(
	n=0
	while :; do
		n=$((n + 1))
		# what a distribution's udev rule does: Linux's Xen hotplug makes a
		# vCPU that `xl vcpu-set` brings back present, user space onlines it
		for c in /sys/devices/system/cpu/cpu[1-9]*/online; do
			[ -f "$c" ] && [ "$(cat "$c")" = 0 ] && echo 1 >"$c" 2>/dev/null
		done
		online=$(cat /sys/devices/system/cpu/online 2>/dev/null)
		mem=$(sed -n 's/^MemTotal: *\([0-9]*\) kB/\1/p' /proc/meminfo)
		echo "domu: n=$n cpus=$online memtotal=$mem"
		sleep 1
	done
) &
report=$!
# console input: each line read is echoed back, so `xl console` can be
# checked both ways. A blocking read: busybox's `read -t` drops the bytes
# it took when the time runs out in the middle of a line, which a slow
# guest under TCG hits.
cr=$(printf '\r')
while read -r line; do
	line=${line%"$cr"}
	echo "domu: got '$line'"
	# a guest stuck in a loop on every vCPU, for `xl destroy`
	if [ "$line" = spin ]; then
		kill $report
		echo "domu: spinning"
		(while :; do :; done) &
		while :; do :; done
	fi
done
# the console closed (it should not): keep the domain alive
wait
