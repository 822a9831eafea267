#!/bin/sh
# hotplug_test.sh HELPER BUSYBOX - the hotplug helper
# (dom0-tools/hotplug/xen-hotplug.sh) on the host, as root, under busybox's
# sh with busybox's applets first on PATH (as in Dom0's image), real loop
# devices, and a fake xenstore (fake-xenstore.sh, beside this script) holding the
# backend nodes libxl would have written. Checks: a file image set up on a
# loop device with its number in hex and released on remove, read-only
# disks on read-only loops, a second call doing nothing, a block device
# handed over as is, the sharing rules (busy), and the errors (missing
# file, read-only file, backend gone, no bridge, bad calls) with
# hotplug-status and a hotplug-error naming the device. The vif's bridge
# membership needs Linux's bridge, which a container host may lack: the
# Dom0 boot (images-split-paravane) and Xen's own toolstack
# (images-split-xen-layout) check it.
set -u
helper=$1
busybox=$2
here=$(cd "$(dirname "$0")" && pwd)
fails=0
n=0

[ "$(id -u)" = 0 ] || { echo "hotplug-test: FAIL: needs root (loop devices)"; exit 1; }
[ -e /dev/loop-control ] || { echo "hotplug-test: FAIL: no /dev/loop-control (modprobe loop)"; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/hotplug-test.XXXXXX")
cleanup() {
	# Release every loop device still backed by one of our files.
	for b in /sys/block/loop*/loop/backing_file; do
		[ -r "$b" ] || continue
		case $(cat "$b") in "$work"/*)
			d=${b#/sys/block/}; losetup -d "/dev/${d%%/*}" 2>/dev/null ;;
		esac
	done
	rm -rf "$work"
}
trap cleanup EXIT

# busybox's applets, then the fake xenstore, and the helper under its two names
mkdir -p "$work/bin" "$work/scripts" "$work/log"
for a in $("$busybox" --list); do ln -s "$busybox" "$work/bin/$a"; done
for c in read write list exists rm; do
	ln -sf "$here/fake-xenstore.sh" "$work/bin/xenstore-$c"
done
cp "$helper" "$work/scripts/block"
cp "$helper" "$work/scripts/vif-bridge"
export FAKE_XS="$work/xs" PATH="$work/bin:$PATH"
export XEN_HOTPLUG_LOG="$work/log/hotplug.log" XEN_HOTPLUG_LOCK="$work/lock"

ok() { n=$((n + 1)); echo "ok $n - $*"; }
bad() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }
check() { # check DESCRIPTION COMMAND...
	d=$1; shift
	if "$@"; then ok "$d"; else bad "$d"; fi
}
xs() { xenstore-read "$1" 2>/dev/null; }

# A vbd backend as libxl writes it: domain, devid, params, mode.
vbd() {
	be=backend/vbd/$1/$2
	rm -rf "$FAKE_XS/local/domain/0/$be"
	xenstore-write "$be/params" "$3" "$be/mode" "$4" "$be/frontend-id" "$1" \
		"$be/state" 2 "$be/type" phy "$be/online" 1
}
block() { # block DOMID DEVID COMMAND
	XENBUS_PATH=backend/vbd/$1/$2 XENBUS_TYPE=vbd XENBUS_BASE_PATH=backend \
		"$work/bin/sh" "$work/scripts/block" "$3" >"$work/out" 2>&1
}
# What libxl does to take a disk away: the script's remove, then the
# backend directory deleted.
unplug() {
	block "$1" "$2" remove; rc=$?
	xenstore-rm "backend/vbd/$1/$2"
	return $rc
}
backing() { cat "/sys/block/${1#/dev/}/loop/backing_file" 2>/dev/null; }
hexmm() { printf '%x:%x' "$(stat -L -c '%t' "$1" | sed 's/^/0x/')" "$(stat -L -c '%T' "$1" | sed 's/^/0x/')"; }

dd if=/dev/zero of="$work/disk.img" bs=1M count=4 2>/dev/null
dd if=/dev/zero of="$work/ro.img" bs=1M count=1 2>/dev/null
chmod 444 "$work/ro.img"

# 1. a writable image: a loop device, its number, the status
vbd 3 51712 "$work/disk.img" w
block 3 51712 add; rc=$?
loop=$(xs backend/vbd/3/51712/node)
check "block add exits 0 (rc $rc: $(cat "$work/out"))" [ $rc = 0 ]
check "hotplug-status connected" [ "$(xs backend/vbd/3/51712/hotplug-status)" = connected ]
check "node names a loop device ($loop)" [ -b "$loop" ]
check "the loop device is backed by the image" [ "$(backing "$loop")" = "$work/disk.img" ]
check "the loop device is writable" [ "$(cat "/sys/block/${loop#/dev/}/ro" 2>/dev/null)" = 0 ]
check "physical-device is its major:minor in hex ($(xs backend/vbd/3/51712/physical-device))" \
	[ "$(xs backend/vbd/3/51712/physical-device)" = "$(hexmm "$loop")" ]
check "physical-device-path is the loop device" [ "$(xs backend/vbd/3/51712/physical-device-path)" = "$loop" ]

# 2. called again: nothing more
before=$(ls /sys/block | grep -c loop)
block 3 51712 add; rc=$?
check "a second add exits 0 and sets up no second loop device" \
	[ $rc = 0 ] && [ "$(ls /sys/block | grep -c loop)" = "$before" ] && [ "$(xs backend/vbd/3/51712/node)" = "$loop" ]

# 3. the same image writable for another domain: busy, naming both
vbd 4 51712 "$work/disk.img" w
block 4 51712 add; rc=$?
err=$(xs backend/vbd/4/51712/hotplug-error)
check "a second writer of the image is refused (rc $rc)" [ $rc = 1 ]
check "hotplug-status busy" [ "$(xs backend/vbd/4/51712/hotplug-status)" = busy ]
check "hotplug-error names the device and the user ($err)" \
	[ "$err" = "vbd 51712 of domain 4: $work/disk.img (through $loop) is in use by domain 3's vbd 51712" ]
check "no physical-device for the refused disk" [ -z "$(xs backend/vbd/4/51712/physical-device)" ]

# 4. the loop device itself as a block device (phy:) to a third domain: busy too
vbd 5 51728 "$loop" r
block 5 51728 add; rc=$?
check "phy: of a device another domain writes is refused, even read-only (rc $rc)" \
	[ $rc = 1 ] && [ "$(xs backend/vbd/5/51728/hotplug-status)" = busy ]

# 5. remove: the loop device released
unplug 3 51712; rc=$?
check "block remove exits 0" [ $rc = 0 ]
check "the loop device is released ($loop)" [ -z "$(backing "$loop")" ]

# 6. read-only image, shared read-only by two domains, not writable by a third
vbd 6 51712 "$work/ro.img" r
block 6 51712 add
l6=$(xs backend/vbd/6/51712/node)
check "a read-only disk gets a read-only loop device" \
	[ "$(xs backend/vbd/6/51712/hotplug-status)" = connected ] && [ "$(cat "/sys/block/${l6#/dev/}/ro")" = 1 ]
vbd 7 51712 "$work/ro.img" r
block 7 51712 add
l7=$(xs backend/vbd/7/51712/node)
check "two domains may read one image" \
	[ "$(xs backend/vbd/7/51712/hotplug-status)" = connected ] && [ "$l7" != "$l6" ] && [ -n "$l7" ]
chmod 644 "$work/ro.img"
vbd 8 51712 "$work/ro.img" w
block 8 51712 add; rc=$?
check "nobody may write an image others read (rc $rc: $(xs backend/vbd/8/51712/hotplug-error))" \
	[ $rc = 1 ] && [ "$(xs backend/vbd/8/51712/hotplug-status)" = busy ]
chmod 444 "$work/ro.img"
unplug 6 51712
unplug 7 51712
check "both read-only loop devices released" [ -z "$(backing "$l6")" ] && [ -z "$(backing "$l7")" ]

# 7. a phy: block device nobody uses: handed over as it is
l=$(losetup -f)
losetup "$l" "$work/disk.img"
vbd 9 51712 "$l" w
block 9 51712 add; rc=$?
check "phy: a free block device is connected with its number ($(xs backend/vbd/9/51712/physical-device))" \
	[ $rc = 0 ] && [ "$(xs backend/vbd/9/51712/physical-device)" = "$(hexmm "$l")" ] && \
	[ "$(xs backend/vbd/9/51712/hotplug-status)" = connected ]
unplug 9 51712
check "remove leaves a phy: device alone" [ "$(backing "$l")" = "$work/disk.img" ]
losetup -d "$l"

# 7b. remove releases only its own file's loop device, even once the image is deleted
vbd 15 51712 "$work/disk.img" w
block 15 51712 add
l15=$(xs backend/vbd/15/51712/node)
xenstore-write backend/vbd/15/51712/params "$work/other.img"
block 15 51712 remove
check "remove leaves alone a loop device that backs another file" [ "$(backing "$l15")" = "$work/disk.img" ]
xenstore-write backend/vbd/15/51712/params "$work/disk.img"
cp "$work/disk.img" "$work/disk2.img"
rm "$work/disk.img"
unplug 15 51712
check "remove releases the loop device of a deleted image" [ -z "$(backing "$l15")" ]
mv "$work/disk2.img" "$work/disk.img"

# 8. errors, each with hotplug-status error and the device in the message
vbd 10 51712 "$work/missing.img" w
block 10 51712 add; rc=$?
check "missing image: exit 1, status error" [ $rc = 1 ] && [ "$(xs backend/vbd/10/51712/hotplug-status)" = error ]
check "missing image: the message ($(xs backend/vbd/10/51712/hotplug-error))" \
	[ "$(xs backend/vbd/10/51712/hotplug-error)" = "vbd 51712 of domain 10: $work/missing.img: no such file or device" ]
vbd 11 51712 "$work/ro.img" w
block 11 51712 add; rc=$?
check "writable disk on a read-only image refused ($(xs backend/vbd/11/51712/hotplug-error))" \
	[ $rc = 1 ] && [ "$(xs backend/vbd/11/51712/hotplug-error)" = \
	"vbd 51712 of domain 11: $work/ro.img is read-only, and the disk asks for write access" ]
vbd 12 51712 "$work/disk.img" w
xenstore-write backend/vbd/12/51712/state 5
block 12 51712 add; rc=$?
check "a backend no longer in InitWait is not set up ($(xs backend/vbd/12/51712/hotplug-error))" \
	[ $rc = 1 ] && [ -z "$(xs backend/vbd/12/51712/node)" ]
vbd 13 51712 "$work/disk.img" rw
block 13 51712 add; rc=$?
check "a bad mode is refused ($(xs backend/vbd/13/51712/hotplug-error))" [ $rc = 1 ]
vbd 14 51712 "$work" r
block 14 51712 add; rc=$?
check "a directory is refused ($(xs backend/vbd/14/51712/hotplug-error))" \
	[ $rc = 1 ] && [ "$(xs backend/vbd/14/51712/hotplug-status)" = error ]
block 3 51712 frobnicate; rc=$?
check "an unknown command exits 1" [ $rc = 1 ]
"$work/bin/sh" "$work/scripts/block" add >/dev/null 2>&1; rc=$?
check "no XENBUS_PATH exits 1" [ $rc = 1 ]
check "no loop device left on our images" \
	[ -z "$(for b in /sys/block/loop*/loop/backing_file; do grep -l "^$work/" "$b" 2>/dev/null; done)" ]

# 9. vif: a missing bridge is an error naming the vif and the bridge
be=backend/vif/3/0
xenstore-write $be/bridge xenbr9 $be/mac 00:16:3e:00:00:01 $be/state 2 $be/frontend-id 3
XENBUS_PATH=$be XENBUS_TYPE=vif vif=vif3.0 "$work/bin/sh" "$work/scripts/vif-bridge" online type_if=vif \
	>"$work/out" 2>&1; rc=$?
check "vif online with a missing bridge: exit 1, status error" [ $rc = 1 ] && [ "$(xs $be/hotplug-status)" = error ]
check "vif: the message ($(xs $be/hotplug-error))" \
	[ "$(xs $be/hotplug-error)" = "vif 0 of domain 3 (vif3.0): bridge xenbr9 missing (create it: brctl addbr xenbr9; ip link set xenbr9 up)" ]
XENBUS_PATH=$be vif=vif3.0 "$work/bin/sh" "$work/scripts/vif-bridge" add type_if=vif >/dev/null 2>&1; rc=$?
check "vif add (the device model's event) is not ours: exit 0" [ $rc = 0 ]
XENBUS_PATH=$be vif=vif3.0 "$work/bin/sh" "$work/scripts/vif-bridge" offline type_if=vif >/dev/null 2>&1; rc=$?
check "vif offline of a device already gone: exit 0" [ $rc = 0 ]
check "the lock is released" [ ! -e "$work/lock" ]

if [ $fails = 0 ]; then
	echo "hotplug-test: PASS ($n checks)"
else
	echo "hotplug-test: FAIL ($fails of $n checks); the helper's log:"
	cat "$work/log/hotplug.log" 2>/dev/null
	exit 1
fi
