# Run inside the Dom0 initramfs on Paravane by /init (paravane.test=):
# a DomU's disk and network end to end with our xl (images-split-xl).
# xl create with disk = [rw file image, ro file image] and vif = [xenbr0];
# the DomU (domu-xl-init.sh) reads the image's marker, writes a file,
# pings Dom0; block-list / network-list; block-attach of a second image
# (xvdb in the DomU) and block-detach; network-detach and -attach; refused specs named; xl destroy
# leaves no loop device, no vif, no backend node; the file the DomU wrote
# is in the image; created again, the data is there, and xl shutdown (the
# monitor's destroy) releases the devices too. Lines "split-xl: PASS|FAIL name"; the last
# "split-xl: DONE" when all passed.
T=split-xl
. /tests/split-lib.sh
seen() { grep -q "split-domu: $1" "$CONSLOG/guest-domu.log"; }
# wait for the DomU's console line $2 (test $1, $3 seconds)
expect() {
	if wait_for "$3" seen "$2"; then ok "$1"; else
		bad "$1" "no 'split-domu: $2' on the DomU's console in $3 s"
		tail -n 15 "$CONSLOG/guest-domu.log" 2>/dev/null | sed 's/^/split-xl| console: /'
	fi
}

start_xenconsoled
# the images: a tmpfs copy, so the DomU may write
cp /tests/split-disk.img /tmp/disk.img
cp /tests/split-disk.img /tmp/ro.img
dd if=/dev/zero of=/tmp/second.img bs=1M count=4 2>/dev/null
loops0=$(loops)

cat >/etc/xen/domu.cfg <<CFG
name = "domu"
memory = 128
kernel = "/usr/share/paravane/domu-vmlinuz"
ramdisk = "/tests/split-domu-initrd.gz"
cmdline = "console=hvc0 \"sysctl.kernel.poweroff_cmd=/bin/busybox poweroff -f\""
disk = [ 'file:/tmp/disk.img,xvda,w', 'format=raw, vdev=xvdc, access=ro, target=/tmp/ro.img' ]
vif = [ 'bridge=xenbr0' ]
CFG

# a refused disk: the missing image named, nothing left behind
run $XL create /etc/xen/domu.cfg "disk=['file:/tmp/none.img,xvda,w']"
check create_missing_exit "$rc" 3
has 'vbd 51712 of domain [0-9]*: .*/tmp/none.img' && ok create_missing_named ||
	bad create_missing_named "$(grep -v Parsing /tmp/out | head -n 1)"
check create_missing_no_domain "$($XL list | tail -n +2 | wc -l)" 1
check create_missing_no_backend "$(xenstore-ls -f /local/domain/0/backend 2>/dev/null | grep -c '/vbd/[0-9]\|/vif/[0-9]')" 0
wait_for 10 loops_are "$loops0"
check create_missing_no_loop "$(loops)" "$loops0"

run $XL create /etc/xen/domu.cfg
check create_exit "$rc" 0
d=$($XL domid domu 2>/dev/null)
be=/local/domain/0/backend
check vbd_hotplug "$(xs $be/vbd/$d/51712/hotplug-status)" connected
check vif_hotplug "$(xs $be/vif/$d/0/hotplug-status)" connected
check loops_after_create "$(loops)" $((loops0 + 2))
[ -e /sys/class/net/xenbr0/brif/vif$d.0 ] && ok vif_on_bridge || bad vif_on_bridge "no vif$d.0 on xenbr0"

expect domu_up "up" 120
expect domu_marker "marker hello-paravane" 120
expect domu_first_write "previous none" 60
expect domu_wrote "wrote" 60
expect domu_ro_refused "xvdc refused writing" 60
expect domu_ro_readable "xvdc readable" 30
expect domu_ping "ping ok" 90
wait_for 30 node_is $be/vbd/$d/51712/state 4
check vbd_connected "$(xs $be/vbd/$d/51712/state)" 4
check vif_connected "$(xs $be/vif/$d/0/state)" 4
if ping -c 2 -W 5 10.0.0.2 >/dev/null 2>&1; then ok dom0_ping; else bad dom0_ping "no answer from 10.0.0.2"; fi

# what the frontends and backends negotiated (docs/split-drivers.md)
for k in feature-persistent feature-max-indirect-segments multi-queue-max-queues \
	feature-flush-cache feature-discard; do
	echo "split-xl: vbd backend $k=$(xs $be/vbd/$d/51712/$k)"
done
fe=/local/domain/$d/device
for k in feature-persistent ring-page-order multi-queue-num-queues event-channel ring-ref; do
	echo "split-xl: vbd frontend $k=$(xs $fe/vbd/51712/$k)"
done
for k in feature-gso-tcpv4 feature-gso-tcpv6 feature-sg multi-queue-max-queues feature-split-event-channels; do
	echo "split-xl: vif backend $k=$(xs $be/vif/$d/0/$k)"
done
for k in feature-gso-tcpv4 feature-sg multi-queue-num-queues request-rx-copy; do
	echo "split-xl: vif frontend $k=$(xs $fe/vif/0/$k)"
done

run $XL block-list domu
check blocklist_exit "$rc" 0
check blocklist_header "$(head -n 1 /tmp/out)" \
	"$(printf '%-5s %-3s %-6s %-5s %-6s %-8s %-30s' Vdev BE handle state evt-ch ring-ref BE-path)"
has "^51712 0   $d *4 " && ok blocklist_xvda || bad blocklist_xvda "no connected 51712 row"
has "^51744 0   $d *4 .*$be/vbd/$d/51744" && ok blocklist_xvdc || bad blocklist_xvdc "no connected 51744 row"
run $XL network-list domu
check networklist_exit "$rc" 0
check networklist_header "$(head -n 1 /tmp/out)" \
	"$(printf '%-3s %-2s %-17s %-6s %-5s %-6s %5s/%-5s %-30s' Idx BE 'Mac Addr.' handle state evt-ch tx- rx-ring-ref BE-path)"
has "^0   0  00:16:3e:..:..:..     0     4 " && ok networklist_row || bad networklist_row "no connected vif 0 row"

run $XL block-attach domu file:/tmp/second.img,xvdb,w
check attach_exit "$rc" 0
expect attach_seen "xvdb appeared (8192 sectors)" 90
run $XL block-list domu
has "^51728 " && ok attach_listed || bad attach_listed "no 51728 row"
run $XL block-attach domu file:/tmp/second.img,xvdb,w
check attach_twice_exit "$rc" 1
has 'vbd 51728 of domain' && has 'already exists' && ok attach_twice_named || bad attach_twice_named "$(head -n 1 /tmp/out)"
run $XL block-attach domu file:/tmp/none.img,xvdd,w
check attach_missing_exit "$rc" 1
has 'vbd 51760 of domain [0-9]*: .*none.img' && ok attach_missing_named || bad attach_missing_named "$(head -n 1 /tmp/out)"
check attach_missing_no_node "$(xs $be/vbd/$d/51760/state)" ""
run $XL block-detach domu xvdb
check detach_exit "$rc" 0
expect detach_seen "xvdb gone" 90
check detach_no_node "$(xs $be/vbd/$d/51728/state)$(xs $fe/vbd/51728/state)" ""
wait_for 10 loops_are $((loops0 + 2))
check detach_loop_released "$(loops)" $((loops0 + 2))
# the vif taken away from the running DomU and given back
run $XL network-detach domu 0
check netdetach_exit "$rc" 0
check netdetach_no_node "$(xs $be/vif/$d/0/state)$(xs $fe/vif/0/state)" ""
check netdetach_off_bridge "$(ls /sys/class/net/xenbr0/brif 2>/dev/null | grep -c vif)" 0
run $XL network-attach domu bridge=xenbr0
check netattach_exit "$rc" 0
wait_for 60 node_is $be/vif/$d/0/state 4
check netattach_connected "$(xs $be/vif/$d/0/state)" 4
[ -e /sys/class/net/xenbr0/brif/vif$d.0 ] && ok netattach_on_bridge || bad netattach_on_bridge "no vif$d.0 on xenbr0"
run $XL network-list domu
has "^0   0  00:16:3e:..:..:..     0     4 " && ok netattach_listed || bad netattach_listed "no connected vif 0 row"

run $XL block-detach domu xvdq
check detach_unknown_exit "$rc" 1
check detach_unknown_msg "$(cat /tmp/out)" "Error: Device xvdq not connected."
run $XL network-detach domu 7
check netdetach_unknown_exit "$rc" 1
check netdetach_unknown_msg "$(cat /tmp/out)" "Unknown device 7."

run $XL destroy domu
check destroy_exit "$rc" 0
wait_for 10 loops_are "$loops0"
check destroy_no_loop "$(loops)" "$loops0"
check destroy_no_vif "$(ls /sys/class/net/xenbr0/brif 2>/dev/null | grep -c vif)" 0
check destroy_no_backend "$(xenstore-ls -f $be 2>/dev/null | grep -c "/vbd/$d\|/vif/$d")" 0
mkdir -p /mnt
if mount -t ext4 -o ro /tmp/disk.img /mnt; then
	check data_intact "$(cat /mnt/from-domu 2>/dev/null)" "written by the DomU"
	umount /mnt
else
	bad data_intact "cannot mount /tmp/disk.img in Dom0"
fi

# made again from the same image: the data is there; then its end through
# xl shutdown and the monitor's destroy, which releases the devices too
rm -f "$CONSLOG/guest-domu.log"
run $XL create /etc/xen/domu.cfg
check recreate_exit "$rc" 0
expect recreate_data "previous written by the DomU" 120
expect recreate_wrote "wrote" 60
run $XL shutdown -w domu
check shutdown_exit "$rc" 0
wait_for 30 loops_are "$loops0"
check shutdown_no_loop "$(loops)" "$loops0"
wait_for 10 no_dev_nodes
check shutdown_no_backend "$(xenstore-ls -f $be 2>/dev/null | grep -c '/vbd/[0-9]\|/vif/[0-9]')" 0
check shutdown_no_vif "$(ls /sys/class/net/xenbr0/brif 2>/dev/null | grep -c vif)" 0

[ -f /var/log/xen/xl-domu.log ] && sed 's/^/split-xl| monitor: /' /var/log/xen/xl-domu.log
tail -n 30 "$CONSLOG/guest-domu.log" 2>/dev/null | grep 'split-domu' | sed 's/^/split-xl| console: /'
read -r up _ </proc/uptime
echo "split-xl: $passed passed, $failed failed (Dom0 up ${up}s)"
[ $failed = 0 ] && echo "split-xl: DONE"
