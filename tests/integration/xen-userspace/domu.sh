# Sourced by check.sh (xu.domu=1): xl create of a PV DomU made of Debian's
# stock bzImage and the scenario's DomU initramfs (domu-init.sh: the marker
# "paravane-domU: init reached" on hvc0, then what it sees of its devices as
# "xu-domu: " lines, then a shell), with a file: disk, a phy: disk (a loop
# device set up beforehand) and a vif on xenbr0
# set up by the hotplug scripts libxl runs (/etc/xen/scripts/block,
# vif-bridge: Paravane's POSIX helper, or Xen's own with xu.hotplug=xen),
# then the domain commands. The DomU's console reaches us through
# xenconsoled's guest log; `xl console` is driven through a pseudo-terminal
# (xu-pty). Uses check.sh's helpers. The same script serves every run
# (Xen 4.17 or Paravane, Debian's xl or ours): only $XL differs.
DOMU_K=/usr/share/paravane/domu-vmlinuz
DOMU_I=/usr/share/paravane/xu-domu-initrd.gz
CONLOG=/var/log/xen/console/guest-xudomu.log
MARK='^paravane-domU: init reached'
DISK=/tmp/xu-disk.img
# the disk: a marker in its first sector, 4 MiB
printf 'XU-DISK-MARKER' >$DISK
truncate -s 4M $DISK
DISKS="'file:$DISK,xvda,w'"
# A phy: disk: a loop device Dom0 set up itself, named by its /dev path as
# an administrator would; the block script only checks it and publishes
# its numbers, and leaves it attached when the DomU goes. Only with
# xu.phy=1 (images-xen-userspace-domu-phy-paravane / -xen, make test-all),
# and then beside the file: disk: libxl starts a block script for each at
# once and kills one still running after 40 s. Xen's bash scripts take
# turns on one lock and, on a loaded host, take 20-30 s each in a Dom0
# under TCG (on Xen 4.17 and Paravane alike): with xu.hotplug=xen the
# second disk's script may be killed (and a file: one killed after its
# losetup leaves the loop device behind). Paravane's helper (the default)
# does the same work in a few forks.
PHY_IMG=/tmp/xu-phy.img PHY_DEV=
phy_attached() { [ -b "$PHY_DEV" ] && [ "$(losetup -a 2>/dev/null | grep -c "$PHY_IMG")" = 1 ]; }
if [ -n "$xu_phy" ]; then
	printf 'XU-PHY-MARKER' >$PHY_IMG
	truncate -s 2M $PHY_IMG
	PHY_DEV=$(losetup -f) && losetup "$PHY_DEV" $PHY_IMG
	check phy_loop_set_up phy_attached
	DISKS="$DISKS, 'phy:$PHY_DEV,xvdb,w'"
fi
# A poweroff from the toolstack runs the kernel's poweroff_cmd, by default
# /sbin/poweroff, which the DomU initramfs lacks: name busybox's forced one.
cat >/etc/xen/xudomu.cfg <<EOF
name = "xudomu"
type = "pv"
kernel = "$DOMU_K"
ramdisk = "$DOMU_I"
extra = 'console=hvc0 "sysctl.kernel.poweroff_cmd=/bin/busybox poweroff -f"'
memory = 128
vcpus = 2
disk = [ $DISKS ]
vif = [ 'bridge=xenbr0' ]
on_poweroff = "destroy"
on_reboot = "restart"
on_crash = "destroy"
EOF
domid() { $XL domid xudomu 2>/dev/null; }
# (grep -c prints 0 and fails when nothing matches; nothing when no log yet)
marks() { _n=$(grep -c "$MARK" "$CONLOG" 2>/dev/null); echo "${_n:-0}"; }
# state: xl list's State column of xudomu
state() { $XL list xudomu 2>/dev/null | awk 'NR == 2 { print $5 }'; }
mem() { $XL list xudomu 2>/dev/null | awk 'NR == 2 { print $3 }'; }
free_mem() { $XL info 2>/dev/null | awk '/^free_memory/ { print $3 }'; }
seen() { grep -q "^xu-domu: $1" "$CONLOG" 2>/dev/null; }
# the devices in Dom0: loop devices, vifs on the bridge, backend nodes
loops() { losetup -a 2>/dev/null | grep -c "$DISK"; }
brifs() { ls /sys/class/net/xenbr0/brif 2>/dev/null | grep -c '^vif'; }
be_nodes() { xenstore-ls -f /local/domain/0/backend 2>/dev/null | grep -c '/vbd/[0-9]\|/vif/[0-9]'; }
no_devices() { [ "$(loops)" = 0 ] && [ "$(brifs)" = 0 ] && [ "$(be_nodes)" = 0 ]; }
hotplug_log() { sed 's/^/xu: hotplug: /' /var/log/xen/xen-hotplug.log 2>/dev/null | tail -n 20; }
free0=$(free_mem)

t0=$(centis)
run /tmp/create create /etc/xen/xudomu.cfg
rc=$?
t1=$(centis)
check domu_create_exit0 [ $rc = 0 ]
# without a domain the rest can only time out
if [ $rc != 0 ]; then
	$XL -vvv create /etc/xen/xudomu.cfg >/tmp/create-v 2>&1
	grep -E 'libxl' /tmp/create-v | grep -v 'libxl_event.c\|libxl_aoutils.c' | sed 's/^/xu: -vvv: /' | tail -n 50
	hotplug_log
	ls -l /var/log/xen/console | sed 's/^/xu: ls: /'
	if [ -f /tmp/xs-trace ]; then
		grep -n -A4 -E 'INTRODUCE|@introduceDomain' /tmp/xs-trace | grep -v 'wrl:' | sed 's/^/xu: trace: /' | head -n 40
	fi
	return 0
fi
marked() { [ "$(marks)" -ge "$1" ]; }
# A boot takes from 15 s (Paravane, quiet host) to minutes (Xen 4.17 on a
# loaded one): later boots are waited for in proportion to the first.
boot_wait=120
if wait_for 600 marked 1; then
	t2=$(centis)
	boot_wait=$(( (t2 - t0) * 3 / 100 + 60 ))
	[ $boot_wait -ge 120 ] || boot_wait=120
	pass domu_init_reached
	echo "xu-time: xl create $(( (t1 - t0) * 10 )) ms, xl create -> DomU /init $(( (t2 - t0) * 10 )) ms"
else
	fail domu_init_reached "no '$MARK' in $CONLOG after 600 s"
	sed 's/^/xu: domU: /' "$CONLOG" 2>/dev/null | tail -n 30
fi
id=$(domid)
run /tmp/list list
has domu_listed /tmp/list '^xudomu[[:space:]]+[1-9][0-9]*[[:space:]]+12[0-9][[:space:]]+2[[:space:]]+[-rb]'
check domu_xenstore_name [ "$(xenstore-read "/local/domain/$id/name" 2>&1)" = xudomu ]

# Devices: the hotplug scripts attached the image to a loop device (its
# name in node and physical-device-path, its number in physical-device,
# which blkback reads) and the vif to xenbr0; the DomU sees the disk's
# marker and pings Dom0.
be=/local/domain/0/backend/vbd/$id/51712
check domu_disk_hotplug_connected [ "$(xenstore-read "$be/hotplug-status" 2>&1)" = connected ]
check domu_disk_loop_device [ "$(loops)" = 1 ]
node=$(xenstore-read "$be/node" 2>&1)
check domu_disk_node_is_loop sh -c "losetup -a | grep -q '^$node: .*$DISK'"
check domu_disk_physical_device [ "$(xenstore-read "$be/physical-device" 2>&1)" = "$(stat -L -c '%t:%T' "$node" 2>&1)" ]
check domu_disk_physical_device_path [ "$(xenstore-read "$be/physical-device-path" 2>&1)" = "$node" ]
if [ -n "$PHY_DEV" ]; then
	check domu_phy_hotplug_connected [ "$(xenstore-read "/local/domain/0/backend/vbd/$id/51728/hotplug-status" 2>&1)" = connected ]
	check domu_phy_physical_device [ "$(xenstore-read "/local/domain/0/backend/vbd/$id/51728/physical-device" 2>&1)" = "$(stat -L -c '%t:%T' "$PHY_DEV")" ]
	check domu_phy_physical_device_path [ "$(xenstore-read "/local/domain/0/backend/vbd/$id/51728/physical-device-path" 2>&1)" = "$PHY_DEV" ]
fi
check domu_vif_hotplug_connected [ "$(xenstore-read "/local/domain/0/backend/vif/$id/0/hotplug-status" 2>&1)" = connected ]
check domu_vif_on_bridge [ -e "/sys/class/net/xenbr0/brif/vif$id.0" ]
check domu_devices_ready wait_for 60 seen ready
has domu_sees_xvda "$CONLOG" '^xu-domu: xvda 8192 sectors, XU-DISK-MARKER'
if [ -n "$PHY_DEV" ]; then
	has domu_sees_xvdb "$CONLOG" '^xu-domu: xvdb 4096 sectors, XU-PHY-MARKER'
	check domu_wrote_xvdb sh -c "dd if=$PHY_IMG bs=512 skip=1 count=1 2>/dev/null | grep -q XU-PHY-WRITTEN"
fi
has domu_pings_dom0 "$CONLOG" '^xu-domu: ping ok'
check dom0_pings_domu ping -c 1 -W 5 10.0.0.2
if [ $failed != 0 ]; then
	hotplug_log
	grep '^xu-domu' "$CONLOG" | sed 's/^/xu: domU: /'
fi

# xl console on a terminal: a fresh prompt, a command typed, its output,
# Ctrl-] back (xenconsole's escape)
/tests/xu-pty -t 30 send:'\r' expect:'# ' send:'echo XU_CONSOLE_$((6 * 7))\r' expect:XU_CONSOLE_42 \
	sleep:200 send:'\035' -- $XL console xudomu >/tmp/console 2>&1
rc=$?
tr -d '\r' </tmp/console | sed 's/^/xu: console: /' | tail -n 5
check domu_console_typed [ $rc = 0 ]

run /tmp/out pause xudomu
check domu_pause_exit0 [ $? = 0 ]
check domu_paused_state [ "$(state | cut -c3)" = p ]
run /tmp/out unpause xudomu
check domu_unpause_exit0 [ $? = 0 ]
check domu_unpaused_state [ "$(state | cut -c3)" = - ]

run /tmp/vcpus vcpu-list xudomu
check domu_vcpu_list_exit0 [ $? = 0 ]
has domu_vcpu_list_0 /tmp/vcpus '^xudomu[[:space:]]+[0-9]+[[:space:]]+0[[:space:]]+[0-9]+[[:space:]]+[-rb]{2}-'
has domu_vcpu_list_1 /tmp/vcpus '^xudomu[[:space:]]+[0-9]+[[:space:]]+1[[:space:]]+[0-9]+[[:space:]]+[-rb]{2}-'
run /tmp/out vcpu-set xudomu 1
check domu_vcpu_set_exit0 [ $? = 0 ]
v1_off() { $XL vcpu-list xudomu 2>/dev/null | grep -Eq '^xudomu[[:space:]]+[0-9]+[[:space:]]+1[[:space:]]+-[[:space:]]+--p'; }
check domu_vcpu_1_offline wait_for 20 v1_off
# Back to 2: Linux only marks the CPU present again (onlining it is left
# to udev, which the DomU initramfs lacks), so the check is the request.
run /tmp/out vcpu-set xudomu 2
check domu_vcpu_set_2_exit0 [ $? = 0 ]
check domu_vcpu_1_available [ "$(xenstore-read "/local/domain/$id/cpu/1/availability" 2>&1)" = online ]

# With the phy: disk's second blkfront (its rings and grant pages) 96 MiB
# is too little for the DomU's init to fork on xl reboot (OOM panic): 112.
mem_to=96
[ -z "$PHY_DEV" ] || mem_to=112
run /tmp/out mem-set xudomu ${mem_to}m
check domu_mem_set_exit0 [ $? = 0 ]
mem_down() { [ "$(mem)" -le $((mem_to + 1)) ] 2>/dev/null; }
check domu_mem_ballooned wait_for 30 mem_down
run /tmp/list list xudomu

# xu.quick=1 (make test): one DomU boot only; reboot and shutdown -w,
# which need a second, are left to the full runs.
if [ -z "$xu_quick" ]; then
# reboot: on_reboot="restart" makes a new domain that boots again, its
# devices set up anew
run /tmp/out reboot xudomu
check domu_reboot_exit0 [ $? = 0 ]
# The console marker first: `xl domid` every 0.2 s (a whole libxl context
# each time) would take Dom0 CPU from the restart's hotplug scripts, which
# libxl kills after 40 s (a killed block script fails the restart and, if
# it had attached its loop device, leaves it behind).
rebooted() { marked 2 && _id=$(domid) && [ -n "$_id" ] && [ "$_id" != "$id" ]; }
check domu_rebooted_new_domain wait_for $boot_wait rebooted
# if it did not come back, why: its console up to the reboot
rebooted || sed 's/^/xu: domU: /' "$CONLOG" 2>/dev/null | tail -n 40
id=$(domid)
check domu_rebooted_one_loop_device [ "$(loops)" = 1 ]
if [ -n "$PHY_DEV" ]; then
	# the same phy: device again, read and written by the new DomU
	check domu_rebooted_phy_connected [ "$(xenstore-read "/local/domain/0/backend/vbd/$id/51728/hotplug-status" 2>&1)" = connected ]
	xvdb_twice() { [ "$(grep -c '^xu-domu: xvdb 4096 sectors, XU-PHY-MARKER' "$CONLOG")" -ge 2 ]; }
	check domu_rebooted_sees_xvdb wait_for 60 xvdb_twice
	check domu_rebooted_phy_one_loop phy_attached
fi
check domu_rebooted_vif_on_bridge [ -e "/sys/class/net/xenbr0/brif/vif$id.0" ]

t0=$(centis)
run /tmp/out shutdown -w xudomu
check domu_shutdown_w_exit0 [ $? = 0 ]
t1=$(centis)
echo "xu-time: xl shutdown -w $(( (t1 - t0) * 10 )) ms"
gone() { ! $XL domid xudomu >/dev/null 2>&1; }
check domu_gone_after_shutdown wait_for 60 gone
check domu_shutdown_devices_released wait_for 30 no_devices
else
	# the running DomU goes with destroy, as below
	run /tmp/out destroy xudomu
	check domu_destroy_running_exit0 [ $? = 0 ]
	gone() { ! $XL domid xudomu >/dev/null 2>&1; }
	check domu_gone_after_destroy wait_for 60 gone
	check domu_destroy_running_devices_released wait_for 30 no_devices
fi

# destroy of a DomU still booting leaves nothing: no domain, no device,
# no xenstore node, the memory back
: >"$CONLOG"
run /tmp/create create /etc/xen/xudomu.cfg
check domu_create_again_exit0 [ $? = 0 ]
t0=$(centis)
run /tmp/out destroy xudomu
check domu_destroy_exit0 [ $? = 0 ]
t1=$(centis)
echo "xu-time: xl destroy $(( (t1 - t0) * 10 )) ms"
run /tmp/list list
only_dom0() { [ "$($XL list 2>/dev/null | wc -l)" = 2 ]; }
check domu_destroy_only_dom0 wait_for 30 only_dom0
check domu_destroy_devices_released wait_for 30 no_devices
no_domu_nodes() { [ "$(xenstore-list /local/domain 2>&1)" = 0 ]; }
check domu_destroy_xenstore_clean wait_for 10 no_domu_nodes
back() { [ "$(free_mem)" -ge "$free0" ]; }
wait_for 10 back
echo "xu: free memory before $free0 MiB, after $(free_mem) MiB"
check domu_destroy_memory_back back
# the phy: device is the administrator's: still attached, then detached by us
if [ -n "$PHY_DEV" ]; then
	check domu_phy_loop_kept phy_attached
	losetup -d "$PHY_DEV"
fi
# no loop device at all left behind (a hotplug script killed half-way
# would leave one)
check domu_no_loop_device_left [ -z "$(losetup -a 2>/dev/null)" ]
if [ $failed != 0 ]; then
	hotplug_log
	losetup -a | sed 's/^/xu: losetup: /'
	# xl's own log (the process that stays with the domain: its restarts)
	sed 's/^/xu: xl-log: /' /var/log/xen/xl-xudomu.log* 2>/dev/null | tail -n 60
	grep 'scripts/block\|libxl' /var/log/messages | sed 's/^/xu: hotplug-syslog: /' | tail -n 60
fi
# what the hotplug scripts did, for the log (Paravane's helper: one line
# per device event, stamped when it finished)
sed 's/^/xu: hotplug-log: /' /var/log/xen/xen-hotplug.log 2>/dev/null | tail -n 40
