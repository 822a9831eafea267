# Run inside the Dom0 initramfs on Paravane by /init (paravane.test=):
# split.cycles=N (Dom0's command line) create/destroy cycles of a DomU with
# a disk and a vif, made by our xl (images-split-xl-cycles: 3 in make test,
# images-split-xl-cycles20: 20 in make test-all). In each cycle the DomU
# (domu-agent-init.sh) boots, its frontends connect, it writes 1 MiB to
# its disk with fsync and pings Dom0; then xl destroy. After each cycle:
# no loop device, no vif, no node under /local/domain/0/backend/vbd|vif,
# no /local/domain/N but Dom0's; after the last: xenstore's whole tree as
# after the first cycle (nothing grows), Dom0's gntdev mappings as before
# the first, the hypervisor's free memory back to where it started, and
# the hypervisor's count of grant mappings Dom0 holds (its maptrack,
# printed by debug key 'g' to the log `xl dmesg` reads) as before.
# "xl-cycles: DONE" when all passed.
T=xl-cycles
. /tests/split-lib.sh
start_xenconsoled
C=10.0.0.4
cycles=3
for arg in $(cat /proc/cmdline); do
	case $arg in split.cycles=*) cycles=${arg#split.cycles=} ;; esac
done
dd if=/dev/zero of=/tmp/c.img bs=1M count=0 seek=16 2>/dev/null
# 96 MiB: the kernel, initramfs and boot data take 81 (the builder refuses
# 64), and a smaller domain is quicker to build than 128
DOMU_MEM=96 domu_cfg domC $C 00:16:3e:00:00:0c "'file:/tmp/c.img,xvda,w'"
paths() { xenstore-ls -f / 2>/dev/null | sed 's/ = .*//' | sort; }
loops0=$(loops)
gnt0=$(gntdev_maps)
free0=$(free_kb)
mt0=$(maptrack_dom0)
echo "$T: start: $loops0 loops, $gnt0 gntdev mappings, free $free0 KiB, Dom0 maptrack $mt0"
case $mt0 in [0-9]*) ok maptrack_readable ;; *) bad maptrack_readable "xl debug-keys g / xl dmesg: '$mt0'" ;; esac

n=1
while [ $n -le "$cycles" ]; do
	t0=$(up_s)
	run $XL create /etc/xen/domC.cfg
	check "c${n}_create" "$rc" 0
	d=$($XL domid domC 2>/dev/null)
	agent_up "c${n}_agent" domC $C 150
	check "c${n}_vbd_connected" "$(xs $BE/vbd/$d/51712/state)" 4
	check "c${n}_vif_connected" "$(xs $BE/vif/$d/0/state)" 4
	check "c${n}_io" "$(rsh $C 'dd if=/dev/urandom of=/dev/xvda bs=64k count=16 conv=fsync 2>/dev/null &&
		ping -c 1 -W 5 10.0.0.1 >/dev/null && echo ok')" ok
	# the backends' mappings are seen (else "back to the start" proves nothing)
	if [ $n = 1 ]; then
		mt1=$(maptrack_dom0)
		echo "$T: while the DomU runs: Dom0 maptrack $mt1, $(gntdev_maps) gntdev mappings"
		check_ge c1_maptrack_in_use "$mt1" $((mt0 + 1))
	fi
	run $XL destroy domC
	check "c${n}_destroy" "$rc" 0
	wait_for 10 loops_are "$loops0"
	check "c${n}_no_loop" "$(loops)" "$loops0"
	check "c${n}_no_vif" "$(vifs)" 0
	wait_for 10 no_dev_nodes
	check "c${n}_no_backend" "$(dev_nodes)" 0
	check "c${n}_no_domain_dir" "$(xenstore-list /local/domain | grep -vc '^0$')" 0
	check "c${n}_gone" "$($XL list | tail -n +2 | wc -l)" 1
	echo "$T: cycle $n: domain $d, $(($(up_s) - t0)) s, free $(free_kb) KiB, $(gntdev_maps) gntdev mappings, Dom0 maptrack $(maptrack_dom0)"
	[ $n = 1 ] && paths >/tmp/paths1
	n=$((n + 1))
done

paths >/tmp/paths2
if diff /tmp/paths1 /tmp/paths2 >/tmp/pathdiff; then ok xenstore_same_tree; else
	bad xenstore_same_tree "the tree changed after cycle 1"
	sed "s/^/$T| /" /tmp/pathdiff | head -n 30
fi
check gntdev_back "$(gntdev_maps)" "$gnt0"
check maptrack_back "$(maptrack_dom0)" "$mt0"
free_back() { [ "$(free_kb)" -ge "$free0" ]; }
wait_for 20 free_back
check_ge free_memory_back "$(free_kb)" "$free0"
finish
