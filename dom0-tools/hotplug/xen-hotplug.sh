#!/bin/sh
# xen-hotplug - the hotplug helper for split block and network devices
# (docs/split-drivers.md "Hotplug"), in POSIX sh for busybox: Dom0's image
# has no bash. Installed as /etc/xen/scripts/block and
# /etc/xen/scripts/vif-bridge, the names libxl runs, and called as Xen's
# scripts are:
#
#   XENBUS_PATH=backend/vbd/DOMID/DEVID block add|remove
#   XENBUS_PATH=backend/vif/DOMID/DEVID vif=vifDOMID.DEVID \
#       vif-bridge online|offline|add|remove [type_if=vif]
#
# XENBUS_PATH may be relative (to Dom0's /local/domain/0). The helper
# reads the backend's nodes (params, mode, bridge, ...), does the Dom0 side
# (a loop device for an image file, the device number for blkback, the
# vif on its bridge) and answers in the backend directory:
# hotplug-status "connected", or "error" (a missing file or bridge) or
# "busy" (a device in use) with hotplug-error saying what, naming the
# device. Exit status 0 on success, 1 on failure. Which job it does is
# taken from its name (block*, vif*), else from XENBUS_TYPE (vbd, vif).
#
# The xenstore commands are found on PATH (xenstore-read, xenstore-write,
# xenstore-list, xenstore-exists), so tests can put fakes first.

LOG=${XEN_HOTPLUG_LOG:-/var/log/xen/xen-hotplug.log}
LOCKDIR=${XEN_HOTPLUG_LOCK:-/run/xen-hotplug.lock}
me=${0##*/}

# What was done goes to the log only (libxl passes the script's stderr on
# to the user); errors go to stderr too (errlog).
log() {
	if [ -d "${LOG%/*}" ]; then
		echo "$(date '+%F %T') ${me}[$$]: $*" >>"$LOG" 2>/dev/null
	fi
}
errlog() {
	log "$@"
	echo "$me: $*" >&2
}

# The first argument without '=' is the command; name=value arguments
# set the few variables Xen's callers pass that way.
command=
for arg in "$@"; do
	case $arg in
	type_if=*) type_if=${arg#type_if=} ;;
	vif=*) vif=${arg#vif=} ;;
	bridge=*) bridge_arg=${arg#bridge=} ;;
	*=*) ;;
	*) [ -n "$command" ] || command=$arg ;;
	esac
done

if [ -z "${XENBUS_PATH:-}" ]; then
	errlog "XENBUS_PATH is not set (run by the toolstack with the backend's path)"
	exit 1
fi
BE=$XENBUS_PATH

xs_read() { xenstore-read "$1" 2>/dev/null; }
xs_write() { xenstore-write "$@" >/dev/null 2>&1; }

locked=
unlock() { [ -z "$locked" ] || rmdir "$LOCKDIR" 2>/dev/null; locked=; }

# Reports an error to the toolstack and stops. $1: the status (error, or
# busy for a device in use); the rest: the message.
fail() {
	status=$1
	shift
	unlock
	xs_write "$BE/hotplug-error" "$*" "$BE/hotplug-status" "$status" ||
		errlog "cannot write hotplug-status to $BE either"
	errlog "$*"
	exit 1
}

# One device operation at a time (finding a free loop device and checking
# sharing must not interleave); mkdir is atomic, busybox has no flock.
waited=
lock() {
	i=0
	while ! mkdir "$LOCKDIR" 2>/dev/null; do
		i=$((i + 1)) waited=1
		[ $i -lt 300 ] || fail error "$what: timed out waiting for $LOCKDIR (stale? remove it)"
		sleep 0.1 2>/dev/null || sleep 1
	done
	locked=1
}

# "major:minor" in hex, as blkback reads physical-device ("%x:%x"): from
# sysfs when the kernel names the device there (no fork), else stat.
dev_mm() {
	if [ -r "/sys/class/block/${1##*/}/dev" ] && read -r _mm <"/sys/class/block/${1##*/}/dev"; then
		printf '%x:%x\n' "${_mm%%:*}" "${_mm#*:}"
	else
		stat -L -c '%t:%T' "$1" 2>/dev/null
	fi
}

# Another domain's vbd that uses the device MM ("maj:min"), in a way that
# conflicts with MODE (w: any use; r: a writable use): its path, or empty.
vbd_user() {
	mm=$1 mode=$2
	base=backend/vbd
	for dom in $(xenstore-list "$base" 2>/dev/null); do
		[ "$dom" = "$frontend_id" ] && continue
		for d in $(xenstore-list "$base/$dom" 2>/dev/null); do
			[ "$(xs_read "$base/$dom/$d/physical-device")" = "$mm" ] || continue
			case $mode,$(xs_read "$base/$dom/$d/mode") in
			w*,* | r*,w*) echo "domain $dom's vbd $d"; return ;;
			esac
		done
	done
}

# Whether Dom0 has the device MM mounted in a way that conflicts with MODE.
mounted_in_dom0() {
	mm=$1 mode=$2
	while read -r src mnt _ opts _; do
		[ -b "$src" ] || continue
		[ "$(dev_mm "$src")" = "$mm" ] || continue
		case $mode,$opts in
		w*,* | r*,rw*) echo "$src on $mnt"; return ;;
		esac
	done </proc/mounts
}

# Refuses (status busy) when device DEV (MM) is in use against MODE.
check_sharing() {
	dev=$1 mm=$2 mode=$3
	[ "$mode" = "w!" ] && return 0	# the administrator forces sharing
	user=$(mounted_in_dom0 "$mm" "$mode")
	[ -z "$user" ] || fail busy "$what: $dev is in use: mounted in Dom0 ($user)"
	user=$(vbd_user "$mm" "$mode")
	[ -z "$user" ] || fail busy "$what: $dev is in use by $user"
}

# Loop devices already backed by FILE, as "/dev/loopN" words.
loops_of() {
	for b in /sys/block/loop*/loop/backing_file; do
		[ -r "$b" ] || continue
		read -r _f <"$b" && [ "$_f" = "$1" ] || continue
		n=${b#/sys/block/}
		echo "/dev/${n%%/*}"
	done
}

our_loop=
undo_loop() { [ -z "$our_loop" ] || losetup -d "$our_loop" 2>/dev/null; }

block_add() {
	# The backend's nodes in one xenstore-read (each command is a process:
	# on a loaded host libxl's 40 s for every disk's script at once go
	# mostly on starting them). It prints the values in order and stops at
	# a missing node: physical-device, last, is there only when a second
	# call (both udev and the toolstack) finds the work done.
	vals=$(xenstore-read "$BE/params" "$BE/mode" "$BE/frontend-id" "$BE/state" \
		"$BE/physical-device" 2>/dev/null) && exit 0
	n=0 params= mode= frontend_id= state=
	while IFS= read -r v; do
		case $n in
		0) params=$v ;; 1) mode=$v ;; 2) frontend_id=$v ;; 3) state=$v ;;
		esac
		n=$((n + 1))
	done <<VALS
$vals
VALS
	[ -n "$params" ] || fail error "$what: no params node in $BE"
	case $mode in r | w | w!) ;; *) fail error "$what: mode \"$mode\" is not r, w or w!" ;; esac
	case $params in /*) path=$params ;; *) path=/dev/$params ;; esac
	[ -e "$path" ] || fail error "$what: $path: no such file or device"
	path=$(readlink -f "$path") || fail error "$what: $params: cannot resolve the link"

	lock
	if [ -b "$path" ]; then
		mm=$(dev_mm "$path")
		check_sharing "$path" "$mm" "$mode"
		dev=$path
	elif [ -f "$path" ]; then
		# The file's mode, not access(): root may write anything.
		case $mode,$(stat -c %A "$path") in
		r,* | *,*w*) ;;
		*) fail error "$what: $path is read-only, and the disk asks for write access" ;;
		esac
		for l in $(loops_of "$path"); do
			check_sharing "$path (through $l)" "$(dev_mm "$l")" "$mode"
		done
		# A disk taken away while we waited is not set up.
		[ -z "$waited" ] || state=$(xs_read "$BE/state")
		[ "$state" = 2 ] || fail error "$what: backend state is \"$state\", not 2 (InitWait): removed meanwhile?"
		dev=$(losetup -f 2>/dev/null)
		[ -n "$dev" ] || fail error "$what: no free loop device for $path (is the loop module loaded?)"
		ro=
		[ "$mode" = r ] && ro=-r
		err=$(losetup $ro "$dev" "$path" 2>&1) ||
			fail error "$what: losetup $ro $dev $path failed: $err"
		our_loop=$dev
		mm=$(dev_mm "$dev")
	else
		fail error "$what: $path is neither a block device nor a regular file"
	fi
	# A loop device of ours is not left behind when the answer fails.
	[ -n "$mm" ] || { undo_loop; fail error "$what: cannot read the device number of $dev"; }
	# node (the loop device remove detaches) in the same write
	xs_write ${our_loop:+"$BE/node" "$dev"} "$BE/physical-device" "$mm" \
		"$BE/physical-device-path" "$dev" "$BE/hotplug-status" connected ||
		{ undo_loop; fail error "$what: cannot write physical-device to $BE"; }
	unlock
	log "$what: $params -> $dev ($mm)"
}

block_remove() {
	# Only what block_add set up is undone: the loop device it recorded,
	# if it still backs the disk's file (removed or not).
	node=$(xs_read "$BE/node")
	[ -n "$node" ] || exit 0
	params=$(xs_read "$BE/params")
	lock
	backing=$(cat "/sys/block/${node#/dev/}/loop/backing_file" 2>/dev/null)
	backing=${backing% (deleted)}	# the image may be gone meanwhile
	file=$(readlink -f "$params" 2>/dev/null)
	if [ -z "$backing" ]; then
		log "$what: $node is not set up any more"
	elif [ "$backing" != "$file" ] && [ "$backing" != "$params" ]; then
		errlog "$what: $node now backs $backing, not $params: left alone"
	else
		err=$(losetup -d "$node" 2>&1) || fail error "$what: losetup -d $node failed: $err"
	fi
	unlock
	log "$what: released $node${params:+ ($params)}"
}

vif_online() {
	bridge=$(xs_read "$BE/bridge")
	[ -n "$bridge" ] || bridge=${bridge_arg:-}
	if [ -z "$bridge" ]; then
		for b in /sys/class/net/*/bridge; do
			[ -d "$b" ] || continue
			b=${b%/bridge}
			bridge=${b##*/}
			break
		done
	fi
	[ -n "$bridge" ] || fail error "$what: no bridge given and Dom0 has none"
	[ -d "/sys/class/net/$bridge/bridge" ] ||
		fail error "$what: bridge $bridge missing (create it: brctl addbr $bridge; ip link set $bridge up)"
	[ -e "/sys/class/net/$dev" ] || fail error "$what: no network device $dev in Dom0 (is xen-netback loaded?)"
	vifname=$(xs_read "$BE/vifname")
	if [ -n "$vifname" ] && [ "$vifname" != "$dev" ]; then
		[ ! -e "/sys/class/net/$vifname" ] ||
			fail error "$what: cannot rename $dev: $vifname exists"
		ip link set "$dev" name "$vifname" || fail error "$what: renaming $dev to $vifname failed"
		dev=$vifname
	fi
	# The guest's MAC is the frontend's: the backend end gets one the
	# bridge never picks as its own (the largest non-broadcast).
	ip link set dev "$dev" down
	ip link set dev "$dev" address fe:ff:ff:ff:ff:ff 2>/dev/null
	mtu=$(xs_read "$BE/mtu")
	[ -n "$mtu" ] || mtu=$(cat "/sys/class/net/$bridge/mtu")
	if [ -n "$mtu" ] && [ "$mtu" -gt 0 ]; then
		ip link set dev "$dev" mtu "$mtu" || fail error "$what: cannot set MTU $mtu on $dev"
		xs_write "/local/domain/$domid/device/vif/$devid/mtu" "$mtu"
	fi
	if [ ! -e "/sys/class/net/$bridge/brif/$dev" ]; then
		err=$(brctl addif "$bridge" "$dev" 2>&1) || fail error "$what: adding $dev to $bridge failed: $err"
	fi
	ip link set dev "$dev" up || fail error "$what: cannot bring $dev up"
	xs_write "$BE/hotplug-status" connected || fail error "$what: cannot write $BE/hotplug-status"
	log "$what: $dev on $bridge, MTU $mtu"
}

vif_offline() {
	vifname=$(xs_read "$BE/vifname")
	[ -z "$vifname" ] || dev=$vifname
	[ -e "/sys/class/net/$dev" ] || exit 0	# netback removed it already
	ip link set dev "$dev" down 2>/dev/null
	for b in /sys/class/net/*/brif/"$dev"; do
		[ -e "$b" ] || continue
		b=${b%/brif/*}
		brctl delif "${b##*/}" "$dev" 2>/dev/null
	done
	log "$what: $dev off its bridge"
}

# backend/KIND/DOMID/DEVID, absolute or relative
rest=${BE#*backend/}
kind=${rest%%/*}
rest=${rest#*/}
domid=${rest%%/*}
devid=${rest#*/}

job=$me
case $job in
block* | vif*) ;;
*) job=${XENBUS_TYPE:-$kind} ;;
esac

case $job in
block* | vbd)
	what="vbd $devid of domain $domid"
	case $command in
	add) block_add ;;
	remove) block_remove ;;
	*) errlog "$what: unknown command \"$command\" (add or remove)"; exit 1 ;;
	esac
	;;
vif*)
	dev=${vif:-vif$domid.$devid}
	what="vif $devid of domain $domid ($dev)"
	# Xen's convention: a netback vif is handled at online/offline, a
	# device model's tap (type_if=tap) at add/remove; we serve vifs only.
	case ${type_if:-vif},$command in
	vif,online) vif_online ;;
	vif,offline) vif_offline ;;
	vif,add | vif,remove | tap,*) exit 0 ;;
	*) errlog "$what: unknown command \"$command\" (online, offline, add or remove)"; exit 1 ;;
	esac
	;;
*)
	errlog "cannot tell the device kind from $me and XENBUS_TYPE=${XENBUS_TYPE:-}"
	exit 1
	;;
esac
exit 0
