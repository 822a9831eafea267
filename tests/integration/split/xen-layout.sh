# Run inside the Dom0 initramfs on Xen 4.17 by /init (paravane.test=):
# Debian's own xl (/usr/lib/xen-4.17/bin/xl) creates a paused PV DomU
# with two disks (image files, one read-only) and two vifs on xenbr0 (one
# with ip, rate, mtu, vifname, untrusted), with our hotplug helper as
# /etc/xen/scripts/block and vif-bridge. Prints, with the prefix
# "layout: ", what libxl, the backend drivers and the helper left in
# xenstore (xenstore-ls -f -p of the DomU's device directory and Dom0's
# backend directories) and the helper's calls (arguments and
# environment), then destroys the DomU and checks that the loop devices,
# the vifs and the backend nodes are gone. run-layout.sh compares the
# lines with xen-4.17-layout.golden: the layout the device library
# (dom0-tools/libs/device, unit-device) is checked against. Also checked:
# the backend modules and xenbr0 are there on Xen 4.17 as on Paravane.
# Debian's libraries for xl only: our xenstore commands keep ours.
XL="env LD_LIBRARY_PATH=/usr/lib/xen-4.17/lib /usr/lib/xen-4.17/bin/xl"
mkdir -p /var/lib/xen /var/lock /var/log/xen /etc/xen /var/run/xen
: >/etc/xen/xl.conf
# what Xen's xen-init-dom0 writes besides Dom0's name (rc-xenstored.sh)
xenstore-write /local/pool/0/name Pool-0
fails=0
fail() { echo "split-layout: FAIL $*"; fails=$((fails + 1)); }

# The helper records how libxl calls it (a wrapper in front of it).
for s in block vif-bridge; do
	mv /etc/xen/scripts/$s /etc/xen/scripts/$s.real
	cat >/etc/xen/scripts/$s <<EOF
#!/bin/sh
echo "call: $s \$* XENBUS_PATH=\$XENBUS_PATH XENBUS_TYPE=\$XENBUS_TYPE XENBUS_BASE_PATH=\$XENBUS_BASE_PATH vif=\${vif-} netdev=\${netdev-}" >>/tmp/calls
exec /etc/xen/scripts/$s.real "\$@"
EOF
	chmod 755 /etc/xen/scripts/$s
done

for m in xen_blkback xen_netback loop bridge; do
	grep -q "^$m " /proc/modules || fail "module $m not loaded on Xen 4.17"
done
ip link show xenbr0 >/dev/null 2>&1 || fail "no xenbr0 in Dom0"
dd if=/dev/zero of=/tmp/disk.img bs=1M count=16 2>/dev/null
dd if=/dev/zero of=/tmp/disk2.img bs=1M count=4 2>/dev/null
cat >/tmp/domu.cfg <<EOF
name = "splitlayout"
kernel = "/tests/domu-kernel"
memory = 192
disk = [ 'format=raw, vdev=xvda, access=rw, target=/tmp/disk.img',
	 'file:/tmp/disk2.img,xvdb,r' ]
vif = [ 'mac=00:16:3e:12:34:56, bridge=xenbr0',
	'mac=00:16:3e:00:00:02, bridge=xenbr0, ip=10.0.0.5, rate=10Mb/s, mtu=1400, vifname=guestnet, untrusted' ]
EOF
# libxl waits for the console daemon to publish the DomU's pty; there is
# none in this image: a stand-in answers for the first DomU.
(i=0; while [ $i -lt 300 ]; do
	if xenstore-exists /local/domain/1/console/ring-ref 2>/dev/null; then
		xenstore-write /local/domain/1/console/tty /dev/null; break
	fi
	usleep 100000; i=$((i + 1))
done) &
if ! $XL create -p /tmp/domu.cfg >/tmp/create.out 2>&1; then
	sed 's/^/split-layout: xl: /' /tmp/create.out
	fail "xl create -p"
fi
dom=$($XL domid splitlayout 2>/dev/null)
echo "split-layout: DomU is domain $dom"
sleep 1
dump() {
	for p in /local/domain/$dom/device /local/domain/0/backend/vbd/$dom /local/domain/0/backend/vif/$dom; do
		xenstore-ls -f -p "$p" 2>&1
	done
}
dump | sed "s/^/layout: /"
loop=$(xenstore-read /local/domain/0/backend/vbd/$dom/51712/node 2>/dev/null)
echo "split-layout: loop device $loop, $(cat /sys/block/${loop#/dev/}/loop/backing_file 2>/dev/null)"
[ -e /sys/class/net/xenbr0/brif/vif$dom.0 ] || fail "vif$dom.0 is not on xenbr0"
[ -e /sys/class/net/xenbr0/brif/guestnet ] || fail "vif$dom.1 (vifname guestnet) is not on xenbr0"
[ "$(cat /sys/class/net/guestnet/mtu)" = 1400 ] || fail "guestnet's MTU is $(cat /sys/class/net/guestnet/mtu), not 1400"
loop2=$(xenstore-read /local/domain/0/backend/vbd/$dom/51728/node 2>/dev/null)
[ "$(cat /sys/block/${loop2#/dev/}/ro 2>/dev/null)" = 1 ] || fail "xvdb's loop device $loop2 is not read-only"
[ "$(xenstore-read /local/domain/0/backend/vbd/$dom/51712/hotplug-status)" = connected ] || fail "vbd hotplug-status"
[ "$(xenstore-read /local/domain/0/backend/vif/$dom/0/hotplug-status)" = connected ] || fail "vif hotplug-status"

$XL destroy splitlayout >/tmp/destroy.out 2>&1 || { sed 's/^/split-layout: xl: /' /tmp/destroy.out; fail "xl destroy"; }
sleep 1
for l in $loop $loop2; do
	[ ! -e /sys/block/${l#/dev/}/loop/backing_file ] || fail "$l still set up after destroy"
done
[ -n "$loop" ] && [ -n "$loop2" ] || fail "no loop devices recorded in the backends"
[ ! -e /sys/class/net/vif$dom.0 ] || fail "vif$dom.0 still there after destroy"
left=$(xenstore-ls -f /local/domain/0/backend 2>/dev/null | grep "/$dom/")
[ -z "$left" ] || fail "backend nodes left after destroy: $left"
sed 's/^/layout: /' /tmp/calls
grep -h . /var/log/xen/xen-hotplug.log 2>/dev/null | sed 's/^/split-layout: log: /'
[ $fails = 0 ] && echo "split-layout: PASS" || echo "split-layout: FAIL ($fails)"
echo "split-layout: DONE"
