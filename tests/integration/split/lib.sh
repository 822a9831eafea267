# Sourced as /tests/split-lib.sh (tests/images/module.mk DOM0_SPLIT_FILES)
# by the Dom0 check scripts of images-split-xl, -hostile, -xl-pair and
# -xl-cycles (busybox sh in the Dom0 initramfs). $T is the
# test's prefix in its output lines: "$T: PASS|FAIL name", "$T| ..." for
# transcripts. The DomUs run domu-agent-init.sh: a shell on TCP port 7000.
XL=/usr/sbin/xl
CONSLOG=/var/log/xen/console
BE=/local/domain/0/backend
passed=0
failed=0
up_s() { read -r u _ </proc/uptime; echo "${u%.*}"; }
ok() { echo "$T: PASS $1 ($(up_s)s)"; passed=$((passed + 1)); }
bad() { echo "$T: FAIL $1: $2"; failed=$((failed + 1)); }
check() { if [ "$2" = "$3" ]; then ok "$1"; else bad "$1" "got '$2', want '$3'"; fi; }
# check_le NAME GOT MAX
check_le() { if [ "$2" -le "$3" ] 2>/dev/null; then ok "$1"; else bad "$1" "got '$2', want <= $3"; fi; }
check_ge() { if [ "$2" -ge "$3" ] 2>/dev/null; then ok "$1"; else bad "$1" "got '$2', want >= $3"; fi; }
run() {
	echo "$T| \$ $*"
	"$@" >/tmp/out 2>&1 </dev/null
	rc=$?
	sed "s/^/$T| /" /tmp/out
	echo "$T| [exit $rc]"
}
has() { grep -q -- "$1" /tmp/out; }
wait_for() {
	end=$(($(up_s) + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		[ "$(up_s)" -ge $end ] && return 1
		usleep 200000
	done
}
xs() { xenstore-read "$1" 2>/dev/null; }
loops() { losetup -a 2>/dev/null | wc -l; }
loops_are() { [ "$(loops)" = "$1" ]; }
vifs() { ls /sys/class/net 2>/dev/null | grep -c '^vif'; }
node_is() { [ "$(xs "$1")" = "$2" ]; }
dev_nodes() { xenstore-ls -f $BE 2>/dev/null | grep -c '/vbd/[0-9]\|/vif/[0-9]'; }
no_dev_nodes() { [ "$(dev_nodes)" = 0 ]; }
free_kb() { $XL info 2>/dev/null | awk '/^free_memory/ { print $3 * 1024 }'; }
# Dom0's user-space grant mappings: the gntdev mappings of all processes
gntdev_maps() { cat /proc/[0-9]*/maps 2>/dev/null | grep -c gntdev; }
# the grant mappings Dom0 holds, as the hypervisor counts them (its
# maptrack entries in use): debug key 'g' reports them to its log
maptrack_dom0() {
	$XL debug-keys g >/dev/null 2>&1 || { echo "debug-keys failed"; return; }
	$XL dmesg 2>/dev/null | sed -n 's/.* d0: \([0-9]*\) grant mappings held.*/\1/p' | tail -n 1
}

# rsh IP COMMAND: COMMAND run by the DomU's shell, its output on stdout
rsh() { echo "$2" | timeout "${RSH_TIMEOUT:-60}" nc -w 10 "$1" 7000 2>/dev/null; }
agent_answers() { [ "$(rsh "$1" 'echo agent-here')" = agent-here ]; }
# the DomU's boot id, once its agent answers
boot_id() { rsh "$1" 'cat /proc/sys/kernel/random/boot_id'; }
# agent_up TEST NAME IP SECS: wait until the DomU NAME answers at IP
agent_up() {
	if wait_for "$4" agent_answers "$3"; then ok "$1"; else
		bad "$1" "the agent of $2 at $3 did not answer in $4 s"
		tail -n 20 "$CONSLOG/guest-$2.log" 2>/dev/null | sed "s/^/$T| console $2: /"
	fi
}

start_xenconsoled() {
	mkdir -p /etc/xen /var/log/xen "$CONSLOG"
	xcons="env PARAVANE_LOGLVL=info /usr/sbin/xenconsoled"
	[ -x /usr/lib/xen-4.17/bin/xenconsoled ] &&
		xcons="env LD_LIBRARY_PATH=/usr/lib/xen-4.17/lib /usr/lib/xen-4.17/bin/xenconsoled"
	$xcons --log=guest --log-dir="$CONSLOG" --pid-file=/run/xenconsoled.pid ||
		echo "$T: xenconsoled did not start"
	xenstore-write /vm "" /libxl "" /local/domain/0/backend/console ""
}

# domu_cfg NAME IP MAC DISKS: /etc/xen/NAME.cfg for an agent DomU of
# DOMU_MEM MiB (default 128)
domu_cfg() {
	cat >/etc/xen/$1.cfg <<CFG
name = "$1"
memory = ${DOMU_MEM:-128}
kernel = "/usr/share/paravane/domu-vmlinuz"
ramdisk = "/tests/split-agent-initrd.gz"
cmdline = "console=hvc0 split.ip=$2 \"sysctl.kernel.poweroff_cmd=/bin/busybox poweroff -f\""
on_reboot = "restart"
disk = [ $4 ]
vif = [ 'mac=$3, bridge=xenbr0' ]
CFG
}

finish() {
	for f in /var/log/xen/xl-*.log; do
		[ -f "$f" ] && sed "s/^/$T| monitor ${f##*/}: /" "$f"
	done
	read -r up _ </proc/uptime
	echo "$T: $passed passed, $failed failed (Dom0 up ${up}s)"
	[ $failed = 0 ] && [ $passed -gt 0 ] && echo "$T: DONE"
}
