# Run inside the Dom0 initramfs on Paravane by /init (paravane.test=):
# the split drivers' Dom0 side without a DomU. The backend modules are
# loaded and registered with xenbus, the bridge xenbr0 is up with Dom0's
# address, and the hotplug helper (/etc/xen/scripts/block, vif-bridge)
# works against the real xenstored: an image on a loop device and released,
# a missing image refused with the device named, a vif (a dummy device
# standing in for netback's) put on xenbr0 under its vifname with the
# bridge's MTU, and taken off. The backend nodes live under
# test-backend/ so that the real backends do not probe them.
fails=0
pass() { echo "split-dom0: ok - $*"; }
fail() { echo "split-dom0: FAIL - $*"; fails=$((fails + 1)); }
check() { d=$1; shift; if "$@"; then pass "$d"; else fail "$d"; fi; }

for m in xen_blkback xen_netback loop bridge; do
	check "module $m loaded" grep -q "^$m " /proc/modules
done
for d in vbd vif; do
	check "xenbus backend driver $d registered" [ -d /sys/bus/xen-backend/drivers/$d ]
done
check "xenbr0 is a bridge" [ -d /sys/class/net/xenbr0/bridge ]
check "xenbr0 is up" [ $(( $(cat /sys/class/net/xenbr0/flags) & 1 )) = 1 ]
check "xenbr0 has 10.0.0.1/24 ($(ip -o -4 addr show dev xenbr0 | awk '{print $4}'))" \
	[ "$(ip -o -4 addr show dev xenbr0 | awk '{print $4}')" = 10.0.0.1/24 ]

xs() { xenstore-read "$1" 2>/dev/null; }
be=test-backend/vbd/9/51712
dd if=/dev/zero of=/tmp/disk.img bs=1M count=4 2>/dev/null
xenstore-write $be/params /tmp/disk.img $be/mode w $be/frontend-id 9 $be/state 2
XENBUS_PATH=$be /etc/xen/scripts/block add; rc=$?
loop=$(xs $be/node)
check "block add: exit 0, connected ($rc, $(xs $be/hotplug-status))" [ $rc = 0 ] && [ "$(xs $be/hotplug-status)" = connected ]
check "block add: $loop backed by the image" [ "$(cat /sys/block/${loop#/dev/}/loop/backing_file 2>/dev/null)" = /tmp/disk.img ]
check "block add: physical-device $(xs $be/physical-device) is $loop's number in hex" \
	[ "$(xs $be/physical-device)" = "$(stat -L -c '%t:%T' "$loop")" ]
XENBUS_PATH=$be /etc/xen/scripts/block remove; rc=$?
check "block remove: exit 0, $loop released" [ $rc = 0 ] && [ ! -e /sys/block/${loop#/dev/}/loop/backing_file ]
be=test-backend/vbd/9/51728
xenstore-write $be/params /tmp/none.img $be/mode r $be/frontend-id 9 $be/state 2
XENBUS_PATH=$be /etc/xen/scripts/block add 2>/dev/null; rc=$?
check "missing image: exit 1, error, named ($(xs $be/hotplug-error))" [ $rc = 1 ] && [ "$(xs $be/hotplug-status)" = error ] &&
	[ "$(xs $be/hotplug-error)" = "vbd 51728 of domain 9: /tmp/none.img: no such file or device" ]

be=test-backend/vif/9/0
xenstore-write $be/bridge xenbr0 $be/vifname guest9 $be/frontend-id 9 $be/state 2
if ip link add vif9.0 type dummy; then
	XENBUS_PATH=$be vif=vif9.0 /etc/xen/scripts/vif-bridge online type_if=vif; rc=$?
	check "vif online: exit 0, connected ($rc, $(xs $be/hotplug-status))" [ $rc = 0 ] && [ "$(xs $be/hotplug-status)" = connected ]
	check "vif online: renamed to its vifname, on xenbr0" [ -e /sys/class/net/xenbr0/brif/guest9 ]
	check "vif online: up" [ $(( $(cat /sys/class/net/guest9/flags 2>/dev/null || echo 0) & 1 )) = 1 ]
	check "vif online: the frontend's mtu is the bridge's ($(xs /local/domain/9/device/vif/0/mtu))" \
		[ "$(xs /local/domain/9/device/vif/0/mtu)" = "$(cat /sys/class/net/xenbr0/mtu)" ]
	XENBUS_PATH=$be vif=vif9.0 /etc/xen/scripts/vif-bridge offline type_if=vif; rc=$?
	check "vif offline: exit 0, off the bridge" [ $rc = 0 ] && [ ! -e /sys/class/net/xenbr0/brif/guest9 ]
else
	fail "cannot make a dummy network device for the vif"
fi
xenstore-write $be/bridge xenbr7
XENBUS_PATH=$be vif=vif9.0 /etc/xen/scripts/vif-bridge online type_if=vif 2>/dev/null; rc=$?
check "vif online with no such bridge: exit 1 ($(xs $be/hotplug-error))" [ $rc = 1 ] && [ "$(xs $be/hotplug-status)" = error ]
xenstore-rm test-backend
xenstore-rm /local/domain/9

[ $fails = 0 ] && echo "split-dom0: PASS" || echo "split-dom0: FAIL ($fails)"
