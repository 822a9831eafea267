# Run inside the Dom0 initramfs by /init (paravane.test=): Debian's own Xen
# 4.17 user space (files.sh), started as Debian's xencommons starts it, then
# checked. Every check prints "xu-check: PASS|FAIL NAME"; the last line is
# "xen-userspace: PASS" only if none failed. Lines "xu: " are the commands'
# own output, for the log. With xu.domu=1 on the kernel command line (and
# the DomU kernel and initramfs in /usr/share/paravane) it goes on to xl
# create of a PV DomU and the domain commands.
XEN_BIN=/usr/lib/xen-4.17/bin
XL=$XEN_BIN/xl
passed=0 failed=0
pass() { echo "xu-check: PASS $1"; passed=$((passed + 1)); }
fail() { echo "xu-check: FAIL $1${2:+: $2}"; failed=$((failed + 1)); }
# check NAME COMMAND...: the command's status
check() { _name=$1; shift; if "$@"; then pass "$_name"; else fail "$_name"; fi; }
# has NAME FILE ERE: FILE has a line matching ERE
has() { if grep -Eq -- "$3" "$2"; then pass "$1"; else fail "$1" "no line /$3/ in $2"; fi; }
hasnt() { if grep -Eq -- "$3" "$2"; then fail "$1" "line /$3/ in $2"; else pass "$1"; fi; }
show() { sed 's/^/xu: /' "$1"; }
centis() { read -r up _ </proc/uptime; echo "${up%.*}${up#*.}"; }
# run FILE ARGS...: xl ARGS with output to FILE, exit status returned; the
# command, its output and status go to the console as "xut: " lines, the
# transcript the runs with other toolstacks and hypervisors are compared by
run() {
	f=$1; shift
	echo "xut: \$ xl $*"; $XL "$@" >"$f" 2>&1 </dev/null; rc=$?
	sed 's/^/xut: /' "$f"; echo "xut: [exit $rc]"; return $rc
}
# wait_for SECONDS COMMAND...: until the command succeeds (tried every 0.2 s)
wait_for() {
	_until=$(( $(centis) + $1 * 100 )); shift
	while :; do
		"$@" && return 0
		[ "$(centis)" -lt $_until ] || return 1
		sleep 0.2
	done
}

# As on a Debian host, /var/run is /run: Xen's daemons use the one path,
# other programs (Paravane's libxenstore) the other.
if [ ! -L /var/run ]; then
	mkdir -p /var /run
	cp -a /var/run/. /run/ 2>/dev/null
	rm -rf /var/run && ln -s /run /var/run
fi
# What xen-utils-common's packaging and xencommons would have made.
mkdir -p /var/lib/xen /var/lib/xenstored /var/run/xen /var/run/xenstored /var/log/xen/console \
	/var/lock /etc/xen
: >/etc/xen/xl.conf
# What udev would have made: Xen's hotplug scripts lock with
# `stat /dev/stdin` (locking.sh), and bash's process substitution uses /dev/fd.
for n in 0:stdin 1:stdout 2:stderr; do
	[ -e /dev/${n#*:} ] || ln -s /proc/self/fd/${n%%:*} /dev/${n#*:}
done
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
# the daemons report through syslog
syslogd -O /var/log/messages

domu= XU_TRACE= xu_bench= xu_quick= xu_phy= xu_hotplug=ours
for arg in $(cat /proc/cmdline); do
	case $arg in
	xu.domu=1) domu=1 ;;
	xu.trace=1) XU_TRACE=1 ;;
	# Paravane's own xl (dom0-tools/xl) in place of Debian's, the rest the same
	xu.xl=ours) XL=/usr/sbin/xl ;;
	# the DomU scenario with one DomU boot (domu.sh)
	xu.quick=1) xu_quick=1 ;;
	# a phy: disk (a loop device set up beforehand) beside the file: one
	xu.phy=1) xu_phy=1 ;;
	# whose hotplug scripts libxl runs: Paravane's POSIX helper (ours, the
	# default) or Xen's own bash scripts from xen-utils-common (xen)
	xu.hotplug=*) xu_hotplug=${arg#xu.hotplug=} ;;
	# bench/xen-xl.sh: N timed lifecycles of a DomU (bench/dom0/xu-bench.sh)
	xu.bench=*) xu_bench=${arg#xu.bench=} ;;
	esac
done
# Paravane's hotplug helper in place of Xen's block and vif-bridge (Xen's
# kept beside them as block.xen, vif-bridge.xen); the rest of Xen's
# scripts stay, unused.
if [ "$xu_hotplug" = ours ]; then
	for s in block vif-bridge; do
		mv /etc/xen/scripts/$s /etc/xen/scripts/$s.xen
		cp /usr/lib/paravane/xen-hotplug /etc/xen/scripts/$s
		chmod 755 /etc/xen/scripts/$s
	done
fi
ours_installed() { cmp -s /etc/xen/scripts/block /usr/lib/paravane/xen-hotplug &&
	cmp -s /etc/xen/scripts/vif-bridge /usr/lib/paravane/xen-hotplug; }
case $xu_hotplug in
ours) check hotplug_scripts_ours ours_installed ;;
xen) check hotplug_scripts_xen eval '! ours_installed && head -n 1 /etc/xen/scripts/block | grep -q bash' ;;
*) fail hotplug_scripts "xu.hotplug=$xu_hotplug: neither ours nor xen" ;;
esac
echo "xu: hotplug scripts: $xu_hotplug"

t0=$(centis)
echo "xu: starting xenstored"
$XEN_BIN/xenstored --pid-file /var/run/xenstored.pid ${XU_TRACE:+-T /tmp/xs-trace} >/tmp/xenstored.out 2>&1
xs_up() { xenstore-read -s / >/dev/null 2>&1; }
check xenstored_started wait_for 20 xs_up
show /tmp/xenstored.out
echo "xu: running xen-init-dom0"
$XEN_BIN/xen-init-dom0 >/tmp/init-dom0.out 2>&1
rc=$?
show /tmp/init-dom0.out
check xen_init_dom0_exit0 [ $rc = 0 ]
check dom0_name [ "$(xenstore-read /local/domain/0/name 2>&1)" = Domain-0 ]
check dom0_domid [ "$(xenstore-read /local/domain/0/domid 2>&1)" = 0 ]
check pool0_name [ "$(xenstore-read /local/pool/0/name 2>&1)" = Pool-0 ]
echo "xu: starting xenconsoled"
$XEN_BIN/xenconsoled --pid-file=/var/run/xenconsoled.pid --log=guest --verbose >/tmp/xenconsoled.out 2>&1
rc=$?
show /tmp/xenconsoled.out
check xenconsoled_started [ $rc = 0 ] && [ -s /var/run/xenconsoled.pid ] &&
	kill -0 "$(cat /var/run/xenconsoled.pid)"
check xenstored_running kill -0 "$(cat /var/run/xenstored.pid 2>/dev/null)"
t1=$(centis)
echo "xen-userspace: daemons up in $(( (t1 - t0) * 10 )) ms"

run /tmp/info info
check xl_info_exit0 [ $? = 0 ]
has xl_info_nr_cpus /tmp/info '^nr_cpus +: 2$'
has xl_info_caps /tmp/info '^xen_caps +:.*xen-3\.0-x86_64'
has xl_info_virt_caps /tmp/info '^virt_caps +:.*pv.*gnttab-v1'
has xl_info_version /tmp/info '^xen_major +: 4$'
has xl_info_scheduler /tmp/info '^xen_scheduler +: credit2?$'
has xl_info_total_memory /tmp/info '^total_memory +: [1-9][0-9]+$'
has xl_info_free_memory /tmp/info '^free_memory +: [0-9]+$'
hasnt xl_info_no_errors /tmp/info 'failed|error|ERROR'

run /tmp/list list
check xl_list_exit0 [ $? = 0 ]
has xl_list_header /tmp/list '^Name +ID +Mem VCPUs[[:space:]]+State[[:space:]]+Time\(s\)$'
has xl_list_dom0 /tmp/list '^Domain-0[[:space:]]+0[[:space:]]+[0-9]+[[:space:]]+2[[:space:]]+r-----[[:space:]]+[0-9]+\.[0-9]$'
check xl_list_only_dom0 [ "$(wc -l </tmp/list)" = 2 ]

echo "xu: \$ xl dmesg (first and last 5 lines)"
$XL dmesg >/tmp/dmesg 2>&1 </dev/null
rc=$?
head -n 5 /tmp/dmesg | sed 's/^/xu: /'
tail -n 5 /tmp/dmesg | sed 's/^/xu: /'
check xl_dmesg_exit0 [ $rc = 0 ]
has xl_dmesg_banner /tmp/dmesg '^(\(XEN\) )?(Xen version 4\.17|Paravane )'
check xl_dmesg_lines [ "$(wc -l </tmp/dmesg)" -ge 10 ]
$XL dmesg >/tmp/dmesg2 2>&1 </dev/null
check xl_dmesg_again_same_start [ "$(head -n 3 /tmp/dmesg)" = "$(head -n 3 /tmp/dmesg2)" ]

if [ -n "$domu" ] && [ -f /tests/xu-domu.sh ]; then
	. /tests/xu-domu.sh
fi
if [ -n "$xu_bench" ] && [ -f /tests/xu-bench.sh ]; then
	. /tests/xu-bench.sh
fi

if [ $failed != 0 ]; then
	sed 's/^/xu: syslog: /' /var/log/messages | tail -n 40
fi
echo "xen-userspace: $passed passed, $failed failed"
if [ $failed = 0 ] && [ $passed -gt 0 ]; then
	echo "xen-userspace: PASS"
else
	echo "xen-userspace: FAIL"
fi
