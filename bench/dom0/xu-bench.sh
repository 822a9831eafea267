# Sourced by tests/integration/xen-userspace/check.sh (xu.bench=N) after
# Debian's daemons are up, for bench/xen-xl.sh: the lifecycle of a PV DomU
# under Debian's own xl, N times, on whichever hypervisor this is. The
# DomU: Debian's stock bzImage (xz inside) with the scenario's initramfs
# (domu-init.sh; no devices here: the hotplug scripts are Dom0 user space
# and cost the same on both), 128 MiB, 2 vCPUs. Clock: Dom0's /proc/uptime
# (10 ms steps). Prints "xubench: NAME MS" for each lifecycle:
#   create    `xl create` until the DomU's console log (xenconsoled's)
#             shows its /init marker
#   returned  when `xl create` itself returned (the rest is the guest's boot)
#   list      `xl list` with the DomU running: mean of 10 runs
#   pause, unpause   `xl pause` / `xl unpause`, alternating: mean of 5 each
#   destroy   `xl destroy` of the running DomU, until xl returns
# then "xubench: DONE" (or "xubench: FAILED: ...").
XUB_LOG=/var/log/xen/console/guest-xubench.log
now_ms() { read -r u _ </proc/uptime; echo "$u" | awk '{ printf "%d", $1 * 1000 }'; }
cat >/etc/xen/xubench.cfg <<CFG
name = "xubench"
type = "pv"
kernel = "/usr/share/paravane/domu-vmlinuz"
ramdisk = "/usr/share/paravane/xu-domu-initrd.gz"
extra = "console=hvc0"
memory = 128
vcpus = 2
CFG
xub_inited() { grep -q '^paravane-domU: init reached' "$XUB_LOG" 2>/dev/null; }
xub_one() {
	: >"$XUB_LOG"
	a=$(now_ms)
	$XL create /etc/xen/xubench.cfg >/tmp/xub.out 2>&1 || { echo "xubench: FAILED: xl create: $(tail -n 3 /tmp/xub.out)"; return 1; }
	b=$(now_ms)
	wait_for 300 xub_inited || { echo "xubench: FAILED: no /init marker"; return 1; }
	c=$(now_ms)
	echo "xubench: returned $((b - a))"
	echo "xubench: create $((c - a))"
	a=$(now_ms)
	i=0
	while [ $i -lt 10 ]; do $XL list >/dev/null; i=$((i + 1)); done
	echo "xubench: list $((($(now_ms) - a) / 10))"
	# five of each, alternating: one is a single xl start-up, and the
	# clock has 10 ms steps
	i=0 p=0 u=0
	while [ $i -lt 5 ]; do
		a=$(now_ms); $XL pause xubench || return 1; b=$(now_ms)
		$XL unpause xubench || return 1; c=$(now_ms)
		p=$((p + b - a)) u=$((u + c - b)) i=$((i + 1))
	done
	echo "xubench: pause $((p / 5))"
	echo "xubench: unpause $((u / 5))"
	a=$(now_ms); $XL destroy xubench || return 1; b=$(now_ms)
	echo "xubench: destroy $((b - a))"
	# the next create starts from the same state: this one gone
	wait_for 30 xub_gone
}
xub_gone() { [ "$($XL list 2>/dev/null | wc -l)" = 2 ]; }
xub_i=0
while [ $xub_i -lt "$xu_bench" ]; do
	xub_one || break
	xub_i=$((xub_i + 1))
done
[ $xub_i = "$xu_bench" ] && echo "xubench: DONE"
