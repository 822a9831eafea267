# /etc/init.d/rc.paravane.d/20-xenbr0: the bridge xenbr0 for the DomUs'
# vifs (run by /init, busybox sh, after the modules are loaded). Dom0 is
# 10.0.0.1/24 on it, the address the Debian DomU (10.0.0.2) expects;
# paravane.xenbr0=CIDR on the kernel command line gives another, and
# paravane.xenbr0=none no bridge. The hotplug helper
# (/etc/xen/scripts/vif-bridge) adds each vif to it.
addr=10.0.0.1/24
for arg in $(cat /proc/cmdline); do
	case $arg in paravane.xenbr0=*) addr=${arg#paravane.xenbr0=} ;; esac
done
[ "$addr" != none ] || { echo "xenbr0: not made (paravane.xenbr0=none)"; exit 0; }
if [ ! -d /sys/class/net/xenbr0/bridge ]; then
	brctl addbr xenbr0 || { echo "xenbr0: brctl addbr failed (is the bridge module loaded?)"; exit 1; }
fi
# No spanning tree and no forwarding delay: a vif forwards as soon as it
# is on the bridge.
echo 0 >/sys/class/net/xenbr0/bridge/stp_state
echo 0 >/sys/class/net/xenbr0/bridge/forward_delay
ip addr add "$addr" dev xenbr0 || { echo "xenbr0: cannot add address $addr"; exit 1; }
ip link set xenbr0 up || { echo "xenbr0: cannot bring it up"; exit 1; }
echo "xenbr0: up, Dom0 $addr"
