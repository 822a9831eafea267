# /etc/init.d/rc.paravane.d/10-xenstored: start xenstored in Dom0 (run by
# /init, busybox sh). Dom0 mode: the daemon maps the kernel's own store
# ring (/proc/xen/xsd_kva), binds its port (/proc/xen/xsd_port) through
# /dev/xen/evtchn, and serves local commands on /run/xenstored/socket.
# It forks only once both are up, so Linux's xenbus is connected (or the
# start failed) when this script returns. Not in Dom0 on a hypervisor
# (bare QEMU): nothing to do.
for c in read write ls rm exists list chmod watch; do
	[ -e /usr/bin/xenstore-$c ] || ln -s xenstore /usr/bin/xenstore-$c
done
if [ ! -r /proc/xen/xsd_port ] || ! grep -q control_d /proc/xen/capabilities 2>/dev/null; then
	echo "xenstored: not Dom0 on a hypervisor (no /proc/xen/xsd_port), not started"
	exit 0
fi
# Kernel arguments: paravane.xenstored=ARG,ARG... adds daemon options;
# paravane.xenstored_bin=PATH runs another daemon with the same interface
# (Xen's own cxenstored, for bench/xenstore-ring.sh's reference figures).
mkdir -p /run/xenstored /var/log/xen /var/lib/xenstored /var/run
[ -e /var/run/xenstored ] || ln -s /run/xenstored /var/run/xenstored
args=
bin=/usr/sbin/xenstored
for arg in $(cat /proc/cmdline); do
	case $arg in
	paravane.xenstored=*) args=$(echo "${arg#paravane.xenstored=}" | tr , ' ') ;;
	paravane.xenstored_bin=*) bin=${arg#paravane.xenstored_bin=} ;;
	esac
done
if ! "$bin" --pid-file /run/xenstored.pid $args; then
	echo "xenstored: failed to start"
	exit 1
fi
# The pid file is written by the forked daemon: wait for it.
i=0
while [ ! -s /run/xenstored.pid ] && [ $i -lt 50 ]; do usleep 100000; i=$((i + 1)); done
# What Xen's toolstack writes for Dom0 at start (xen-init-dom0).
xenstore-write /local/domain/0/name Domain-0 /local/domain/0/domid 0 /local/pool/0/name Pool-0
echo "xenstored: started $bin (pid $(cat /run/xenstored.pid 2>/dev/null)), port $(cat /proc/xen/xsd_port)"
