# Run inside the Dom0 initramfs on Paravane by /init (paravane.test=):
# two DomUs made by our xl, their disks and network (images-split-xl-pair).
# Both run domu-agent-init.sh (a shell on TCP port 7000), through which
# this script acts inside them.
#   domA 10.0.0.2: xvda a.img (rw), xvdb a2.img (rw), xvdc shared.img (ro)
#   domB 10.0.0.3: xvda b.img (rw), xvdc shared.img (ro)
# Checked: the shared image on two read-only loop devices, both DomUs read
# it; a read-write use of an image in use (and a read-only one of an image
# in use read-write) refused, named, nothing left; both rw disks of domA
# written, synced and read back after a remount; ping both ways between
# the DomUs; TCP (busybox nc, 4 MiB, md5sum) Dom0 -> domA, domA -> Dom0,
# domA -> domB, domB -> domA; MTU 1500 (a large ping arrives in
# fragments), then 9000 on vifs, bridge and eth0 (arrives whole); a disk
# detached while the DomU writes to it block by block with fsync: every
# acknowledged block is in the image; network-detach and -attach while
# Dom0 pings: the pings resume; xl reboot of domA: what it wrote and
# synced is there after the reboot; destroy: no loop device, vif or node
# left, the free memory back. "xl-pair: DONE" when all passed.
T=xl-pair
. /tests/split-lib.sh
start_xenconsoled
A=10.0.0.2
B=10.0.0.3
cp /tests/split-disk.img /tmp/a.img
cp /tests/split-disk.img /tmp/a2.img
cp /tests/split-disk.img /tmp/b.img
cp /tests/split-disk.img /tmp/shared.img
dd if=/dev/zero of=/tmp/w.img bs=1M count=0 seek=16 2>/dev/null
loops0=$(loops)
free0=$(free_kb)
mt0=$(maptrack_dom0)
case $mt0 in [0-9]*) ok maptrack_readable ;; *) bad maptrack_readable "xl debug-keys g / xl dmesg: '$mt0'" ;; esac
domu_cfg domA $A 00:16:3e:00:00:0a \
	"'file:/tmp/a.img,xvda,w', 'file:/tmp/a2.img,xvdb,w', 'file:/tmp/shared.img,xvdc,r'"
domu_cfg domB $B 00:16:3e:00:00:0b "'file:/tmp/b.img,xvda,w', 'file:/tmp/shared.img,xvdc,r'"

run $XL create /etc/xen/domA.cfg
check createA_exit "$rc" 0
run $XL create /etc/xen/domB.cfg
check createB_exit "$rc" 0
a=$($XL domid domA 2>/dev/null)
b=$($XL domid domB 2>/dev/null)
check loops_after_create "$(loops)" $((loops0 + 5))
# the shared image: two loop devices, both read-only
shared_loops=$(losetup -a | grep -c '/tmp/shared.img')
check shared_two_loops "$shared_loops" 2
ro=0
for l in $(losetup -a | grep '/tmp/shared.img' | cut -d: -f1); do
	[ "$(cat /sys/block/${l#/dev/}/ro)" = 1 ] && ro=$((ro + 1))
done
check shared_loops_ro "$ro" 2

# refused while in use: the image domA reads, read-write; domA's
# read-write disk, read-only; the message names the user
run $XL block-attach domB file:/tmp/shared.img,xvdd,w
check share_rw_exit "$rc" 1
has "vbd 51760 of domain $b: /tmp/shared.img (through /dev/loop[0-9]*) is in use by domain $a's vbd 51744" &&
	ok share_rw_named || bad share_rw_named "$(head -n 1 /tmp/out)"
check share_rw_no_node "$(xs $BE/vbd/$b/51760/state)$(xs /local/domain/$b/device/vbd/51760/state)" ""
run $XL block-attach domB file:/tmp/a.img,xvdd,r
check share_ro_of_rw_exit "$rc" 1
has "vbd 51760 of domain $b: /tmp/a.img (through /dev/loop[0-9]*) is in use by domain $a's vbd 51712" &&
	ok share_ro_of_rw_named || bad share_ro_of_rw_named "$(head -n 1 /tmp/out)"
wait_for 10 loops_are $((loops0 + 5))
check share_refused_no_loop "$(loops)" $((loops0 + 5))

agent_up agentA_up domA $A 150
agent_up agentB_up domB $B 150
bootA=$(boot_id $A)

# two disks on domA, both written, synced, read back after a remount
rsh $A 'mkdir -p /a /b && mount -t ext4 /dev/xvda /a && mount -t ext4 /dev/xvdb /b &&
	echo disk-one >/a/f1 && echo disk-two >/b/f2 && sync && umount /a /b &&
	mount -t ext4 /dev/xvda /a && mount -t ext4 /dev/xvdb /b &&
	echo "read $(cat /a/f1) $(cat /b/f2) $(cat /a/marker)"' >/tmp/r
check two_disks_rw "$(cat /tmp/r)" "read disk-one disk-two hello-paravane"
# the shared image, read by both (the whole of it, through their xvdc)
sum=$(md5sum </tmp/shared.img | cut -d' ' -f1)
check shared_read_A "$(rsh $A 'md5sum </dev/xvdc' | cut -d' ' -f1)" "$sum"
check shared_read_B "$(rsh $B 'md5sum </dev/xvdc' | cut -d' ' -f1)" "$sum"
check shared_ro_A "$(rsh $A 'dd if=/dev/zero of=/dev/xvdc bs=512 count=1 2>/dev/null && echo written || echo refused')" refused

# the network: DomU <-> DomU ping, TCP in all four directions
check ping_A_to_B "$(rsh $A "ping -c 3 -W 5 $B >/dev/null && echo ok")" ok
check ping_B_to_A "$(rsh $B "ping -c 3 -W 5 $A >/dev/null && echo ok")" ok
check ping_dom0_to_A "$(ping -c 2 -W 5 $A >/dev/null && echo ok)" ok
dd if=/dev/urandom of=/tmp/blob bs=1M count=4 2>/dev/null
blob=$(md5sum </tmp/blob | cut -d' ' -f1)
mkblob() { rsh $1 'dd if=/dev/urandom of=/tmp/blob bs=1M count=4 2>/dev/null; md5sum </tmp/blob' | cut -d' ' -f1; }
blobA=$(mkblob $A)
blobB=$(mkblob $B)
# listen IP PORT: a receiver in DomU IP writing /tmp/rx.PORT, then its
# sum. Its stdin is a FIFO opened read-write, which never ends: busybox's
# nc shuts its sending half at the end of its input, and the sender
# stops at that.
listen() {
	rsh $1 "rm -f /tmp/rx.$2 /tmp/rx.$2.sum; mkfifo /tmp/idle 2>/dev/null
		(nc -l -p $2 >/tmp/rx.$2 <>/tmp/idle; md5sum </tmp/rx.$2 >/tmp/rx.$2.sum) </dev/null >/dev/null 2>&1 &"
	usleep 500000
}
rxsum() { rsh $1 "cat /tmp/rx.$2.sum 2>/dev/null" | cut -d' ' -f1; }
has_rxsum() { [ -n "$(rxsum "$@")" ]; }
# send_from_dom0 IP PORT, retried while the receiver is not listening yet
send_dom0() {
	i=0
	until nc $1 $2 </tmp/blob >/dev/null 2>&1; do
		i=$((i + 1)); [ $i -lt 10 ] || return 1; usleep 300000
	done
}
t0=$(up_s)
listen $A 7101
send_dom0 $A 7101 || bad tcp_dom0_to_A "cannot connect to $A:7101"
wait_for 60 has_rxsum $A 7101
check tcp_dom0_to_A "$(rxsum $A 7101)" "$blob"
# domA -> Dom0
rm -f /tmp/rx.7102 /tmp/rx.7102.sum
mkfifo /tmp/idle
(nc -l -p 7102 >/tmp/rx.7102 <>/tmp/idle; md5sum </tmp/rx.7102 >/tmp/rx.7102.sum) &
usleep 500000
rsh $A "i=0; until nc 10.0.0.1 7102 </tmp/blob >/dev/null 2>&1; do i=\$((i + 1)); [ \$i -lt 10 ] || break; usleep 300000; done"
wait_for 60 test -s /tmp/rx.7102.sum
check tcp_A_to_dom0 "$(cut -d' ' -f1 /tmp/rx.7102.sum 2>/dev/null)" "$blobA"
# domA -> domB, domB -> domA
send_domu() {
	rsh $1 "i=0; until nc $2 $3 </tmp/blob >/dev/null 2>&1; do i=\$((i + 1)); [ \$i -lt 10 ] || break; usleep 300000; done"
}
listen $B 7103
send_domu $A $B 7103
wait_for 60 has_rxsum $B 7103
check tcp_A_to_B "$(rxsum $B 7103)" "$blobA"
listen $A 7104
send_domu $B $A 7104
wait_for 60 has_rxsum $A 7104
check tcp_B_to_A "$(rxsum $A 7104)" "$blobB"
echo "$T: four 4 MiB TCP transfers in $(($(up_s) - t0)) s"

# MTU: 1500 everywhere at first; a ping of 8000 bytes reaches domA in
# fragments (busybox's ping cannot forbid fragmenting: domA's received
# packet count tells). Then 9000 on the vifs, the bridge and both eth0:
# the same ping arrives whole, also between the DomUs.
rxp() { rsh $1 'cat /sys/class/net/eth0/statistics/rx_packets'; }
check mtu_A_1500 "$(rsh $A 'cat /sys/class/net/eth0/mtu')" 1500
check mtu_vifA_1500 "$(cat /sys/class/net/vif$a.0/mtu)" 1500
# (5 pings: 30 fragments at 1500; whole, 5 packets and the agent's few)
p0=$(rxp $A)
ping -c 5 -s 8000 -W 5 $A >/dev/null 2>&1 && ok big_ping_1500 || bad big_ping_1500 "no answer"
p1=$(rxp $A)
echo "$T: 5 pings of 8000 bytes at MTU 1500: domA received $((p1 - p0)) packets"
check_ge big_ping_1500_fragments $((p1 - p0)) 30
ip link set vif$a.0 mtu 9000 && ip link set vif$b.0 mtu 9000 && ip link set xenbr0 mtu 9000
check mtu_bridge_9000 "$(cat /sys/class/net/xenbr0/mtu)" 9000
check mtu_A_9000 "$(rsh $A 'ip link set eth0 mtu 9000 && cat /sys/class/net/eth0/mtu' 2>&1)" 9000
check mtu_B_9000 "$(rsh $B 'ip link set eth0 mtu 9000 && cat /sys/class/net/eth0/mtu' 2>&1)" 9000
p0=$(rxp $A)
ping -c 5 -s 8000 -W 5 $A >/dev/null 2>&1 && ok jumbo_ping || bad jumbo_ping "no answer"
p1=$(rxp $A)
echo "$T: 5 pings of 8000 bytes at MTU 9000: domA received $((p1 - p0)) packets"
check_le jumbo_ping_whole $((p1 - p0)) 20
p0=$(rxp $B)
check jumbo_ping_A_to_B "$(rsh $A "ping -c 5 -s 8000 -W 5 $B >/dev/null && echo ok")" ok
p1=$(rxp $B)
check_le jumbo_ping_A_to_B_whole $((p1 - p0)) 20
listen $B 7105
send_domu $A $B 7105
wait_for 60 has_rxsum $B 7105
check jumbo_tcp_A_to_B "$(rxsum $B 7105)" "$blobA"

# a disk detached while domA writes to it: one 4 KiB block after the
# other, each with fsync; the blocks acknowledged must all be in the image
run $XL block-attach domA file:/tmp/w.img,xvdd,w
check wattach_exit "$rc" 0
has_xvdd() { [ "$(rsh $A 'test -b /dev/xvdd && echo yes')" = yes ]; }
wait_for 60 has_xvdd && ok wattach_seen || bad wattach_seen "no xvdd in domA"
# (a block counts when dd, fsync included, succeeded and xvdd is still the
# device: dd would make a plain file of a vanished /dev/xvdd)
rsh $A '(i=0; while [ -b /dev/xvdd ] && printf "blk-%08d\n" $i |
	dd of=/dev/xvdd bs=4096 seek=$i count=1 conv=sync,fsync 2>/dev/null && [ -b /dev/xvdd ];
	do echo $i >/tmp/acked; i=$((i + 1)); done; echo stopped >/tmp/wstop) </dev/null >/dev/null 2>&1 &'
acked_some() { [ "$(rsh $A 'cat /tmp/acked 2>/dev/null')" -ge 20 ] 2>/dev/null; }
wait_for 60 acked_some || bad wdetach_writing "domA did not write 20 blocks"
run $XL block-detach domA xvdd
check wdetach_exit "$rc" 0
stopped() { [ "$(rsh $A 'cat /tmp/wstop 2>/dev/null')" = stopped ]; }
wait_for 30 stopped && ok wdetach_writer_stopped || bad wdetach_writer_stopped "the writer still runs"
n=$(rsh $A 'cat /tmp/acked')
wait_for 10 loops_are $((loops0 + 5))
check wdetach_loop_released "$(loops)" $((loops0 + 5))
check wdetach_no_node "$(xs $BE/vbd/$a/51760/state)" ""
missing=0
i=0
while [ $i -le "${n:-0}" ]; do
	got=$(dd if=/tmp/w.img bs=4096 skip=$i count=1 2>/dev/null | head -c 12)
	[ "$got" = "$(printf 'blk-%08d' $i)" ] || { missing=$((missing + 1)); [ $missing -le 3 ] && echo "$T| block $i: '$got'"; }
	i=$((i + 1))
done
echo "$T: $((n + 1)) blocks acknowledged before the detach"
check_ge wdetach_blocks_acked "${n:-0}" 20
check wdetach_acked_intact "$missing" 0

# network-detach and -attach of domA's vif while Dom0 pings it
ping -i 0.5 -c 80 $A >/tmp/ping.log 2>&1 &
pingpid=$!
sleep 3
last_seq() { sed -n 's/.*seq=\([0-9]*\).*/\1/p' /tmp/ping.log | tail -n 1; }
check_ge ping_before_detach "$(last_seq)" 1
run $XL network-detach domA 0
check ndetach_exit "$rc" 0
seq_detached=$(last_seq)
sleep 3
check ndetach_no_answers "$(last_seq)" "$seq_detached"
run $XL network-attach domA mac=00:16:3e:00:00:0a bridge=xenbr0
check nattach_exit "$rc" 0
resumed() { [ "$(last_seq)" -gt "${seq_detached:-0}" ] 2>/dev/null; }
wait_for 40 resumed && ok ping_resumed || bad ping_resumed "no answer after the attach (last before: seq=${seq_detached:-none})"
kill $pingpid 2>/dev/null
echo "$T: pings answered $(grep -c 'seq=' /tmp/ping.log), last before the detach seq=${seq_detached:-none}, last $(last_seq)"
agent_up agent_after_nattach domA $A 30

# xl reboot: what domA wrote and synced is there after the reboot
check reboot_write "$(rsh $A 'mount -t ext4 /dev/xvda /a 2>/dev/null; echo before-reboot >/a/rb && sync && cat /a/rb')" before-reboot
run $XL reboot domA
check reboot_exit "$rc" 0
new_boot() { b2=$(boot_id $A); [ -n "$b2" ] && [ "$b2" != "$bootA" ]; }
if wait_for 150 new_boot; then ok reboot_back; else
	bad reboot_back "domA did not come back after xl reboot"
	tail -n 20 "$CONSLOG/guest-domA.log" | sed "s/^/$T| console domA: /"
fi
a2=$($XL domid domA 2>/dev/null)
[ -n "$a2" ] && [ "$a2" != "$a" ] && ok reboot_new_domid || bad reboot_new_domid "domid '$a2' (before: $a)"
check reboot_data "$(rsh $A 'mkdir -p /a && mount -t ext4 /dev/xvda /a && cat /a/rb /a/f1')" "before-reboot
disk-one"
check reboot_old_nodes "$(xenstore-ls -f $BE 2>/dev/null | grep -c "/vbd/$a/\|/vif/$a/")" 0
check reboot_loops "$(loops)" $((loops0 + 5))
check reboot_vbd_connected "$(xs $BE/vbd/$a2/51712/state)" 4

run $XL destroy domA
check destroyA_exit "$rc" 0
run $XL destroy domB
check destroyB_exit "$rc" 0
wait_for 10 loops_are "$loops0"
check destroy_no_loop "$(loops)" "$loops0"
check destroy_no_vif "$(vifs)" 0
wait_for 10 no_dev_nodes
check destroy_no_backend "$(dev_nodes)" 0
check destroy_no_domain_dirs "$(xenstore-list /local/domain | grep -vc '^0$')" 0
free_back() { [ "$(free_kb)" -ge "$free0" ]; }
wait_for 20 free_back
check_ge destroy_free_memory "$(free_kb)" "$free0"
check destroy_maptrack_back "$(maptrack_dom0)" "$mt0"
finish
