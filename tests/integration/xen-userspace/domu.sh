# Sourced by check.sh (xu.domu=1): xl create of a PV DomU made of Debian's
# stock bzImage and the DomU initramfs (its /init prints "paravane-domU:
# init reached" on hvc0), then the domain commands. The DomU's console
# reaches us through xenconsoled's guest log. Uses check.sh's helpers.
DOMU_K=/usr/share/paravane/domu-vmlinuz
DOMU_I=/usr/share/paravane/domu-initrd.gz
CONLOG=/var/log/xen/console/guest-xudomu.log
MARK='^paravane-domU: init reached'
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
on_poweroff = "destroy"
on_reboot = "restart"
on_crash = "destroy"
EOF
domid() { $XL domid xudomu 2>/dev/null; }
marks() { grep -c "$MARK" "$CONLOG" 2>/dev/null || echo 0; }
# state FIELD: xl list's State column of xudomu
state() { $XL list xudomu 2>/dev/null | awk 'NR == 2 { print $5 }'; }
mem() { $XL list xudomu 2>/dev/null | awk 'NR == 2 { print $3 }'; }
free0=$($XL info 2>/dev/null | awk '/^free_memory/ { print $3 }')

t0=$(centis)
run /tmp/create create /etc/xen/xudomu.cfg
rc=$?
t1=$(centis)
check domu_create_exit0 [ $rc = 0 ]
# without a domain the rest can only time out
if [ $rc != 0 ]; then
	$XL -vvv create /etc/xen/xudomu.cfg >/tmp/create-v 2>&1
	grep -E 'libxl' /tmp/create-v | grep -v 'libxl_event.c\|libxl_aoutils.c' | sed 's/^/xu: -vvv: /' | tail -n 50
	ls -l /var/log/xen/console | sed 's/^/xu: ls: /'
	if [ -f /tmp/xs-trace ]; then
		grep -n -A4 -E 'INTRODUCE|@introduceDomain' /tmp/xs-trace | grep -v 'wrl:' | sed 's/^/xu: trace: /' | head -n 40
		grep -n 'domain/2/console' /tmp/xs-trace | grep -v ' WRITE \| SET_PERMS \|WATCH_EVENT' |
			sed 's/^/xu: trace: /' | head -n 20
	fi
	return 0
fi
marked() { [ "$(marks)" -ge "$1" ]; }
if wait_for 120 marked 1; then
	t2=$(centis)
	pass domu_init_reached
	echo "xu-time: xl create $(( (t1 - t0) * 10 )) ms, xl create -> DomU /init $(( (t2 - t0) * 10 )) ms"
else
	fail domu_init_reached "no '$MARK' in $CONLOG after 120 s"
	sed 's/^/xu: domU: /' "$CONLOG" 2>/dev/null | tail -n 30
fi
id=$(domid)
run /tmp/list list
has domu_listed /tmp/list '^xudomu[[:space:]]+[1-9][0-9]*[[:space:]]+12[0-9][[:space:]]+2[[:space:]]+[-rb]'
check domu_xenstore_name [ "$(xenstore-read "/local/domain/$id/name" 2>&1)" = xudomu ]

# xl console: a command typed in, its output seen
# (repeated: busybox's line editing may take a line as the answer to its
# cursor-position query, and a slow DomU may not read the first ones)
(for i in 1 2 3 4; do sleep 2; echo 'echo XU_CONSOLE_$((6 * 7))'; done; sleep 3) |
	timeout 14 $XL console xudomu >/tmp/console 2>&1
sed 's/^/xu: console: /' /tmp/console | tail -n 5
has domu_console /tmp/console 'XU_CONSOLE_42'

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
run /tmp/vcpus vcpu-list xudomu

run /tmp/out mem-set xudomu 96m
check domu_mem_set_exit0 [ $? = 0 ]
mem_down() { [ "$(mem)" -le 97 ] 2>/dev/null; }
check domu_mem_ballooned wait_for 30 mem_down
run /tmp/list list xudomu

# reboot: on_reboot="restart" makes a new domain that boots again
run /tmp/out reboot xudomu
check domu_reboot_exit0 [ $? = 0 ]
rebooted() { _id=$(domid); [ -n "$_id" ] && [ "$_id" != "$id" ] && marked 2; }
check domu_rebooted_new_domain wait_for 120 rebooted
id=$(domid)

t0=$(centis)
run /tmp/out shutdown -w xudomu
check domu_shutdown_w_exit0 [ $? = 0 ]
t1=$(centis)
echo "xu-time: xl shutdown -w $(( (t1 - t0) * 10 )) ms"
gone() { ! $XL domid xudomu >/dev/null 2>&1; }
check domu_gone_after_shutdown wait_for 10 gone

# destroy of a running DomU leaves nothing
: >"$CONLOG"
run /tmp/create create /etc/xen/xudomu.cfg
check domu_create_again_exit0 [ $? = 0 ]
wait_for 120 marked 1 || true
id=$(domid)
t0=$(centis)
run /tmp/out destroy xudomu
check domu_destroy_exit0 [ $? = 0 ]
t1=$(centis)
echo "xu-time: xl destroy $(( (t1 - t0) * 10 )) ms"
run /tmp/list list
only_dom0() { [ "$($XL list 2>/dev/null | wc -l)" = 2 ]; }
check domu_destroy_only_dom0 wait_for 10 only_dom0
if ! only_dom0; then
	# Who keeps the destroyed domains? Each holder's mappings go with it.
	for d in xenconsoled xl xenstored; do
		echo "xu: lingering domains: stopping $d ($(pidof $d))"
		kill $(pidof $d) 2>/dev/null
		sleep 2
		timeout 5 $XL list 2>&1 | sed 's/^/xu: after: /'
	done
fi
no_domu_nodes() { [ "$(xenstore-list /local/domain 2>&1)" = 0 ]; }
check domu_destroy_xenstore_clean wait_for 10 no_domu_nodes
free1=$($XL info 2>/dev/null | awk '/^free_memory/ { print $3 }')
echo "xu: free memory before $free0 MiB, after $free1 MiB"
check domu_destroy_memory_back [ "$free1" -ge "$free0" ]
