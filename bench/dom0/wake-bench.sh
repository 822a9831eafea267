# Run inside Dom0 by /init (paravane.test=), for bench/wake.sh: what one
# DomU <-> Dom0 round trip costs. Our xl (Debian's xl and xenconsoled on
# Xen 4.17) makes an agent DomU (tests/integration/split/domu-agent-init.sh:
# 1 vCPU, a shell on TCP port 7000, eth0 10.0.0.4 on xenbr0); then
#   ping over Dom0's loopback, Dom0 -> DomU and DomU -> Dom0 (WAKE_PINGS
#   pings 0.2 s apart each, the mean round trip), and 4 MiB of TCP DomU ->
#   Dom0 (busybox dd | nc, timed in the DomU);
#   on Paravane each DomU measurement between debug keys 'P' and 'p', so
#   the hypervisor's wake-up counters (wake_stats.h) cover exactly it.
# Prints "wakebench: NAME VALUE" and "wakebench: counters NAME: <line>",
# then "wakebench: DONE".
T=wakebench
. /tests/split-lib.sh
pings=20
for arg in $(cat /proc/cmdline); do
	case $arg in wakebench.pings=*) pings=${arg#*=} ;; esac
done
# a failure says why, with the end of the DomU's console (when it has one)
stop() {
	echo "$T: FAIL $*"
	tr -d '\r' <"$CONSLOG/guest-domC.log" 2>/dev/null | tail -n 30 | sed "s/^/$T: DomU console: /"
	finish_quick
}
finish_quick() { echo "$T: DONE"; exit 0; }
if [ -x /usr/lib/xen-4.17/bin/xl ]; then
	XL="env LD_LIBRARY_PATH=/usr/lib/xen-4.17/lib /usr/lib/xen-4.17/bin/xl"
	mkdir -p /var/lib/xen /var/lock /var/log/xen /etc/xen /var/run/xen
	: >/etc/xen/xl.conf
	xenstore-write /local/pool/0/name Pool-0
	hv=xen
else
	hv=paravane
fi
start_xenconsoled
C=10.0.0.4
dd if=/dev/zero of=/tmp/c.img bs=1M count=0 seek=16 2>/dev/null
DOMU_MEM=96 domu_cfg domC $C 00:16:3e:00:00:0c "'file:/tmp/c.img,xvda,w'"
# mean round trip in us from ping's summary (busybox: "min/avg/max = a/b/c ms")
rtt_us() { sed -n 's#.*= [0-9.]*/\([0-9.]*\)/.*#\1#p' | awk '{ printf "%d", $1 * 1000 }'; }
counters() {  # NAME: the hypervisor's counters since the last 'P'
	[ $hv = paravane ] || return 0
	$XL debug-keys p >/dev/null 2>&1
	$XL dmesg 2>/dev/null | grep "wake-stats " | tail -n 10 | sed "s/^.*wake-stats /$T: counters $1: /"
}
reset() { [ $hv = paravane ] && $XL debug-keys P >/dev/null 2>&1; }

ip link set lo up
echo "$T: $hv, $pings pings per direction"
echo "$T: loadavg-at-start $(cat /proc/loadavg)"
echo "$T: ping_local $(ping -c "$pings" -i 0.2 127.0.0.1 | rtt_us)"
$XL create /etc/xen/domC.cfg >/tmp/create.out 2>&1 || { cat /tmp/create.out; stop "xl create"; }
wait_for 600 agent_answers $C || stop "the DomU's agent did not answer in 600 s"
ping -c 3 -W 5 $C >/dev/null 2>&1   # ARP and the bridge's table settled first
# the receiver's stdin is a FIFO that never ends: busybox's nc shuts its
# sending half at the end of its input (xl-pair-check.sh)
mkfifo /tmp/idle
(nc -l -p 5001 >/dev/null <>/tmp/idle 2>&1) &
reset
echo "$T: ping_dom0_domu $(ping -c "$pings" -i 0.2 $C | rtt_us)"
counters ping_dom0_domu
# the DomU's ping runs inside the agent: its output comes back over TCP,
# which the counters then include (a few round trips, against $pings)
reset
echo "$T: ping_domu_dom0 $(rsh $C "ping -c $pings -i 0.2 10.0.0.1" | rtt_us)"
counters ping_domu_dom0
reset
t=$(rsh $C 'read a _ </proc/uptime; dd if=/dev/zero bs=64k count=64 2>/dev/null | nc 10.0.0.1 5001;
	read b _ </proc/uptime; echo "$a $b"')
echo "$T: tcp_domu_dom0_kBps $(echo "$t" | awk '{ d = $2 - $1; if (d > 0) printf "%d", 4096 / d }')"
counters tcp_domu_dom0
$XL destroy domC >/dev/null 2>&1
echo "$T: DONE"
