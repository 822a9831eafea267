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
# Before the lifecycles, once per boot, where the time goes (xubench.split;
# docs/benchmarks.md "Where Debian's xl spends its time"):
#   exec_static  a static program's fork+exec+exit (busybox true), mean of 10
#   exec_xsread  a small dynamic Debian program (xenstore-read of one node)
#   xl_help      `xl help`: xl's dynamic loading and libxl's context
#                (xenstore connection, privcmd), no domain looked at
#   list0        `xl list` with Dom0 alone, mean of 10
#   create_elf / returned_elf   one lifecycle's create with the ELF vmlinux
#                (/usr/share/paravane/domu-vmlinux when present: nothing
#                to unpack), then destroyed
# and, on Paravane only (Xen's own 'p' prints no such lines), the
# hypervisor's counters (debug key 'p', cleared by 'P') around 10 `xl list`
# and around one `xl destroy`: "xubench: hv-list ..." / "hv-destroy ...",
# hypercalls by number and the time spent in each (hold_us total/max).
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
	$XL debug-keys P >/dev/null 2>&1
	a=$(now_ms); $XL destroy xubench || return 1; b=$(now_ms)
	echo "xubench: destroy $((b - a))"
	xub_hv destroy
	# the next create starts from the same state: this one gone
	wait_for 30 xub_gone
}
xub_gone() { [ "$($XL list 2>/dev/null | wc -l)" = 2 ]; }
# mean ms of 10 runs of a command
xub_mean10() {
	a=$(now_ms) i=0
	while [ $i -lt 10 ]; do "$@" >/dev/null 2>&1; i=$((i + 1)); done
	echo $((($(now_ms) - a) / 10))
}
# hypervisor counters since the last 'P', as "xubench: hv-TAG" lines
xub_hv() {
	$XL debug-keys p >/dev/null 2>&1
	$XL dmesg >/tmp/xub.dmesg 2>/dev/null
	grep 'wake-stats \(hypercalls\|hold_us\|cpus\)' /tmp/xub.dmesg | tail -n 3 |
		sed "s/^.*wake-stats /xubench: hv-$1 /"
	# the teardown's own report: its continuations and time, first call to last
	[ "$1" != destroy ] || grep ': destroyed in \|: dying; ' /tmp/xub.dmesg | tail -n 1 |
		sed "s/^/xubench: hv-$1 /"
}
echo "xubench: exec_static $(xub_mean10 /bin/busybox true)"
echo "xubench: exec_xsread $(xub_mean10 xenstore-read /local/domain/0/name)"
echo "xubench: xl_help $(xub_mean10 $XL help)"
echo "xubench: list0 $(xub_mean10 $XL list)"
$XL debug-keys P >/dev/null 2>&1
xub_mean10 $XL list >/dev/null
xub_hv list10
$XL debug-keys P >/dev/null 2>&1
xub_hv none
if [ -f /usr/share/paravane/domu-vmlinux ]; then
	sed 's|domu-vmlinuz|domu-vmlinux|' /etc/xen/xubench.cfg >/etc/xen/xubench-elf.cfg
	: >"$XUB_LOG"
	a=$(now_ms)
	if $XL create /etc/xen/xubench-elf.cfg >/tmp/xub.out 2>&1; then
		b=$(now_ms)
		if wait_for 300 xub_inited; then
			c=$(now_ms)
			echo "xubench: returned_elf $((b - a))"
			echo "xubench: create_elf $((c - a))"
		fi
		$XL destroy xubench
		wait_for 30 xub_gone
	else
		echo "xubench: create_elf failed: $(tail -n 3 /tmp/xub.out)"
	fi
fi
xub_i=0
while [ $xub_i -lt "$xu_bench" ]; do
	xub_one || break
	xub_i=$((xub_i + 1))
done
[ $xub_i = "$xu_bench" ] && echo "xubench: DONE"
