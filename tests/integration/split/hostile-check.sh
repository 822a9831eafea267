# Run inside the Dom0 initramfs on Paravane by /init (paravane.test=):
# images-split-hostile. An honest DomU (domu-xl-init.sh with
# paravane.honest: a disk and a vif; it writes, syncs and reads back its
# disk and pings Dom0 every second) and, beside it, our hostile test
# kernel (tests/guests/hostile.c) as a DomU with a disk and three vifs,
# which does the xenbus handshake itself and sends blkback and netback
# garbage, then tries to reach the honest DomU's and Dom0's xenstore nodes,
# grants, frames and ports and exhausts its own limits. Its checks come
# from its console log; here: the backends' log lines for the attacks that
# make them stop serving it, the honest DomU's rounds before, during and
# after, Dom0's own health, the honest DomU's data and nodes intact, and
# nothing of the hostile DomU left after it is gone.
# Lines "split-hostile: PASS|FAIL name"; "split-hostile: DONE" when all passed.
T=split-hostile
. /tests/split-lib.sh
HLOG=$CONSLOG/guest-honest.log
XLOG=$CONSLOG/guest-hostile.log
rounds_ok() { cat "$HLOG" 2>/dev/null | grep -c 'round [0-9]* ok'; }
rounds_at_least() { [ "$(rounds_ok)" -ge "$1" ]; }
hostile_done() { grep -q 'guest-test hostile: [0-9]* passed' "$XLOG"; }
no_domain() { ! $XL domid "$1"; }
show_tail() { tail -n "$2" "$1" 2>/dev/null | sed "s/^/shs| $3: /"; }

start_xenconsoled
cp /tests/split-disk.img /tmp/honest.img
dd if=/dev/zero of=/tmp/hostile.img bs=1M count=4 2>/dev/null
loops0=$(loops)

# paravane.hostile=short (make test): no honest DomU; Dom0 stands for the
# other domain, and does the rounds itself (a file, xenstore, xl list)
short=0
grep -q 'paravane.hostile=short' /proc/cmdline && short=1
if [ $short = 1 ]; then
	h=0
	HLOG=/tmp/dom0-rounds.log
	dom0_round() {
		why=""
		echo "$1" >/tmp/dom0-round && [ "$(cat /tmp/dom0-round)" = "$1" ] || why="$why file"
		xenstore-read /local/domain/0/backend >/dev/null 2>&1 || why="$why xenstore"
		$XL list >/dev/null 2>&1 || why="$why xl-list"
	}
	(n=0; while [ ! -f /tmp/stop-rounds ]; do
		n=$((n + 1))
		dom0_round $n
		if [ -z "$why" ]; then echo "dom0: round $n ok"; else echo "dom0: round $n FAIL$why"; fi
		sleep 1
	done) >$HLOG 2>&1 &
else
cat >/etc/xen/honest.cfg <<CFG
name = "honest"
memory = 128
kernel = "/usr/share/paravane/domu-vmlinuz"
ramdisk = "/tests/split-domu-initrd.gz"
cmdline = "console=hvc0 paravane.honest \"sysctl.kernel.poweroff_cmd=/bin/busybox poweroff -f\""
disk = [ 'file:/tmp/honest.img,xvda,w' ]
vif = [ 'bridge=xenbr0' ]
CFG
$XL create /etc/xen/honest.cfg >/tmp/out 2>&1
check honest_create "$?" 0
h=$($XL domid honest 2>/dev/null)
if wait_for 150 rounds_at_least 2; then ok honest_running; else
	bad honest_running "no honest rounds in 150 s"
	show_tail "$HLOG" 20 honest
fi
fi

cat >/etc/xen/hostile.cfg <<CFG
name = "hostile"
memory = 32
kernel = "/tests/hostile.elf"
cmdline = "honest=$h"
disk = [ 'file:/tmp/hostile.img,xvda,w' ]
vif = [ 'bridge=xenbr0', 'bridge=xenbr0', 'bridge=xenbr0' ]
CFG
before=$(rounds_ok)
$XL create /etc/xen/hostile.cfg >/tmp/out 2>&1
rc=$?
check hostile_create "$rc" 0
[ "$rc" = 0 ] || sed 's/^/shs| create: /' /tmp/out
x=$($XL domid hostile 2>/dev/null)
# (on Xen 4.17 under TCG its xenstore part alone takes minutes)
if wait_for 500 hostile_done; then ok hostile_finished; else
	bad hostile_finished "no summary from the hostile DomU in 500 s"
fi
# its own checks, one line each
sed -n 's/^.*\<\(PASS\|FAIL\) \(.*\)/\1 \2/p' "$XLOG" | while read -r v rest; do
	echo "split-hostile: hostile $v $rest"
done
grep 'hostile: ' "$XLOG" | grep -v guest-test | sed 's/^/shs| /'
summary=$(grep -o 'guest-test hostile:.*failed' "$XLOG")
case "$summary" in
*" 0 failed") ok hostile_checks ;;
*) bad hostile_checks "${summary:-no summary}"; show_tail "$XLOG" 30 hostile ;;
esac
npass=$(cat "$XLOG" | grep -c '\<PASS ')
[ "$npass" -ge 40 ] && ok hostile_ran_all || bad hostile_ran_all "only $npass checks passed"

# the backends' answers to the attacks that make them stop serving it
dmesg >/tmp/dmesg
klog() { if grep -q "$2" /tmp/dmesg; then ok "$1"; else bad "$1" "no '$2' in Dom0's log"; fi; }
klog blkback_bogus_ring "Frontend provided bogus ring requests"
klog netback_cross_page "Cross page boundary, txreq.offset: 4000, size: 200"
klog netback_impossible_prod "Impossible number of requests"
n=$(grep -c "vif$x\.[0-2]: fatal error; disabling device" /tmp/dmesg)
check netback_disabled_3_vifs "$n" 3
grep -i "vif$x\|blkback\|blkif\|xen-blkback" /tmp/dmesg | tail -n 20 | sed 's/^/shs| dmesg: /'
grep -q "BUG\|Oops\|general protection\|Call Trace" /tmp/dmesg && bad dom0_no_oops "$(grep -m1 'BUG\|Oops\|Call Trace' /tmp/dmesg)" || ok dom0_no_oops

# the honest DomU kept going: rounds during the attacks, none failed, more after
during=$(rounds_ok)
echo "shs| rounds: $before when the hostile DomU was created, $during when it had finished"
[ "$during" -gt "$before" ] && ok honest_rounds_during || bad honest_rounds_during "$before then $during"
if wait_for 60 rounds_at_least $((during + 3)); then ok honest_rounds_after; else
	bad honest_rounds_after "stuck at $(rounds_ok) rounds"
	show_tail "$HLOG" 10 honest
fi
nfail=$(cat "$HLOG" | grep -c 'round [0-9]* FAIL')
check honest_no_failed_round "$nfail" 0
[ "$nfail" = 0 ] || grep 'round [0-9]* FAIL' "$HLOG" | head -n 5 | sed 's/^/shs| /'
touch /tmp/stop-rounds
if [ $short = 0 ]; then
if ping -c 2 -W 5 10.0.0.2 >/dev/null 2>&1; then ok dom0_pings_honest; else bad dom0_pings_honest "no answer"; fi
$XL list >/tmp/out 2>&1
check xl_list_works "$?" 0
grep -q '^honest ' /tmp/out && ok xl_list_honest || bad xl_list_honest "$(cat /tmp/out)"
check honest_name_intact "$(xs /local/domain/$h/name)" honest
check no_node_planted "$(xs /local/domain/$h/evil)$(xs /local/domain/0/evil)$(xs /evil)" ""
check honest_vbd_connected "$(xs /local/domain/0/backend/vbd/$h/51712/state)" 4
check honest_vif_connected "$(xs /local/domain/0/backend/vif/$h/0/state)" 4
else
$XL list >/tmp/out 2>&1
check xl_list_works "$?" 0
check no_node_planted "$(xs /local/domain/0/evil)$(xs /evil)" ""
loops0=$((loops0 - 1))   # no honest disk
fi

# the hostile DomU powered itself off: the monitor destroys it, its devices go
wait_for 60 no_domain hostile
no_domain hostile && ok hostile_gone || { bad hostile_gone "still there"; $XL destroy hostile; }
wait_for 30 loops_are $((loops0 + 1))
check hostile_loop_released "$(loops)" $((loops0 + 1))
check hostile_no_backend "$(xenstore-ls -f /local/domain/0/backend 2>/dev/null | grep -c "/vbd/$x/\|/vif/$x/")" 0
check hostile_no_vif "$(ls /sys/class/net | grep -c "^vif$x\.")" 0
check hostile_no_domain_dir "$(xs /local/domain/$x/name)" ""

# the honest DomU's data: its marker and last round on its disk
[ $short = 0 ] && {
$XL destroy honest >/tmp/out 2>&1
check honest_destroy "$?" 0
wait_for 30 loops_are "$loops0"
mkdir -p /mnt
if mount -t ext4 -o ro,noload /tmp/honest.img /mnt; then
	check honest_marker_intact "$(cat /mnt/marker)" hello-paravane
	r=$(cat /mnt/round 2>/dev/null)
	[ -n "$r" ] && [ "$r" -ge "$during" ] && ok honest_rounds_on_disk || bad honest_rounds_on_disk "round '$r'"
	umount /mnt
else
	bad honest_marker_intact "cannot mount /tmp/honest.img"
fi
}
check hostile_disk_written "$(dd if=/tmp/hostile.img bs=512 skip=8 count=1 2>/dev/null | od -An -tx1 | head -n 1 | tr -d ' ')" \
	5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a

echo "split-hostile: $passed passed, $failed failed"
[ "$failed" = 0 ] && echo "split-hostile: DONE"
