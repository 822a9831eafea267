# Run inside the Dom0 initramfs by /init (paravane.test=): `xl create` and
# the domain's life, with our xl, xenstored and xenconsoled, checked one
# Dom0 boot at a time. Sections (kernel argument paravane.xlcreate=A+B;
# default all; QEMU's Multiboot module list forbids commas, hence +):
#   errors  what is refused before or while the domain is made: a bad
#           file (file:line:column), no file, a kernel that cannot be read
#           or built, more memory than is free, a duplicate name, a
#           non-root user; the dry run; a domain's shutdown fires
#           @releaseDomain (xenstored's VIRQ_DOM_EXC); nothing left behind
#   life    the stock kernel and the DomU initramfs as two DomUs at once:
#           xl list, the xenstore nodes, /init on the console, xl reboot
#           (a new id, the same name and UUID), a crash (on_crash
#           preserve), xl shutdown -w, everything gone after
#   cycles  20 create/destroy cycles of a small PV kernel: free memory and
#           xenstored's node count back where they started
#   foreign PV kernels unlike Linux as DomUs: one linked at VA 0 with none
#           of the address notes (lowaddr-bare), one described only by the
#           old __xen_guest section (xenguest), one whose notes are only in
#           a section, with no note segment (notesec); each prints its checks
#           through its console ring and powers off; everything gone after
#   nostore xenstored killed: xl says so (last: it takes xenstored away)
# Each check prints "xlcreate-test: PASS name" or "... FAIL name: why";
# the last line is "xlcreate-test: N passed, M failed".
XL=/usr/sbin/xl
xl_ref=
DOMU_K=/usr/share/paravane/domu-vmlinuz
DOMU_I=/usr/share/paravane/domu-initrd.gz
SMALL_K=/tests/hello.elf
CONSLOG=/var/log/xen/console
sections="errors life cycles foreign nostore"
for arg in $(cat /proc/cmdline); do
	case $arg in
	paravane.xlcreate=*) sections=$(echo "${arg#*=}" | tr + ' ') ;;
	# Debian's own xl (the image carries it: xen-xl-files.sh), for the
	# reference run of a section on Xen 4.17 (images-xlcreate-foreign-xen-reference)
	paravane.xlcreate_xl=xen)
		xl_ref=1
		XL="env LD_LIBRARY_PATH=/usr/lib/xen-4.17/lib /usr/lib/xen-4.17/bin/xl"
		mkdir -p /var/lib/xen /var/lock /var/run/xen /etc/xen
		: >/etc/xen/xl.conf
		xenstore-write /local/pool/0/name Pool-0
		;;
	esac
done
passed=0
failed=0
ok() { echo "xlcreate-test: PASS $1"; passed=$((passed + 1)); }
bad() { echo "xlcreate-test: FAIL $1: $2"; failed=$((failed + 1)); }
check() { if [ "$2" = "$3" ]; then ok "$1"; else bad "$1" "got '$2', want '$3'"; return 1; fi; }
# free memory in MB: within 1 MB (Xen 4.17 frees a dead domain's last
# pages after an RCU grace period; Paravane gives them back at once)
check_free() {
	d=$(($2 - $3))
	if [ $d -ge -1 ] && [ $d -le 1 ]; then ok "$1"; else bad "$1" "got $2 MB, want $3 MB"; fi
}
# run CMD...: its output (both streams) in /tmp/out, shown, status in $rc
run() {
	echo "xlc| \$ $*"
	"$@" >/tmp/out 2>&1 </dev/null
	rc=$?
	sed 's/^/xlc| /' /tmp/out
	echo "xlc| [exit $rc]"
}
has() { grep -q -- "$1" /tmp/out; }
nodes() { xenstore-ls -f / 2>/dev/null | wc -l; }
free_mb() { $XL info | sed -n 's/^free_memory *: //p'; }
ndoms() { $XL list | tail -n +2 | wc -l; }
domid() { $XL domid "$1" 2>/dev/null; }
# wait_for SECONDS CMD...: until CMD succeeds; 1 after SECONDS of Dom0's
# clock (not a count of tries: under TCG each try costs a fork and more)
up_s() { read -r u _ </proc/uptime; echo "${u%.*}"; }
wait_for() {
	end=$(($(up_s) + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		[ "$(up_s)" -ge $end ] && return 1
		usleep 200000
	done
	return 0
}
gone() { ! $XL domid "$1" >/dev/null 2>&1; }
init_seen() { grep -q 'paravane-domU: init reached' "$CONSLOG/guest-$1.log"; }
# what a failure needs to be understood: the domains, the guest's
# console log and nodes, the daemons
diag() {
	run $XL list -v
	run ls -l "$CONSLOG" /var/log/xen
	[ -f "$CONSLOG/guest-$1.log" ] && run tail -n 20 "$CONSLOG/guest-$1.log"
	run xenstore-ls -fp "/local/domain/$(domid "$1")"
	run ps
	p=$(cat /run/xenconsoled.pid 2>/dev/null)
	[ -n "$p" ] && run cat /proc/$p/wchan /proc/$p/stack /proc/$p/status
}

mkdir -p /etc/xen /var/log/xen "$CONSLOG"
# The console daemon: Xen 4.17's own where the image carries it (the
# reference run: it also shows that Xen's daemon takes our nodes), else
# ours. Its guest logs show each DomU's console.
XCONS="env PARAVANE_LOGLVL=info /usr/sbin/xenconsoled"
if [ -x /usr/lib/xen-4.17/bin/xenconsoled ]; then
	XCONS="env LD_LIBRARY_PATH=/usr/lib/xen-4.17/lib /usr/lib/xen-4.17/bin/xenconsoled"
fi
if [ ! -s /run/xenconsoled.pid ]; then
	$XCONS --log=guest --log-dir="$CONSLOG" --pid-file=/run/xenconsoled.pid ||
		echo "xlcreate-test: xenconsoled did not start"
fi
echo "xlcreate-test: console daemon $XCONS"
# The DomU's kernel: its console on hvc0; power off and reboot without
# the /sbin programs the tiny initramfs lacks (kernel sysctls).
cat >/etc/xen/domu.cfg <<EOF
name = "domu"
memory = 128
vcpus = 2
kernel = "$DOMU_K"
ramdisk = "$DOMU_I"
cmdline = "console=hvc0 sysctl.kernel.ctrl-alt-del=1 \"sysctl.kernel.poweroff_cmd=/bin/busybox poweroff -f\""
on_poweroff = "destroy"
on_reboot = "restart"
on_crash = "preserve"
EOF
cat >/etc/xen/small.cfg <<EOF
name = "small"
memory = 4
kernel = "$SMALL_K"
EOF
# /vm, /libxl and Dom0's backend/console, parents of every domain's
# trees, stay once made (as with Xen's xl): made first, so that the count
# compares the domains' own nodes.
xenstore-write /vm "" /libxl "" /local/domain/0/backend/console ""
nodes0=$(nodes)
free0=$(free_mb)
echo "xlcreate-test: sections: $sections; $nodes0 nodes, $free0 MB free"

section_errors() {
	printf 'name = "x"\nmemory = = 3\n' >/etc/xen/bad.cfg
	run $XL create /etc/xen/bad.cfg
	check bad_cfg_exit "$rc" 1
	has '^/etc/xen/bad.cfg:2:10: ' && has 'Failed to parse config' && ok bad_cfg_message ||
		bad bad_cfg_message "no file:line:column line"
	run $XL create /etc/xen/nonexistent.cfg
	check no_file_exit "$rc" 3
	has 'Failed to read config file: /etc/xen/nonexistent.cfg: No such file' && ok no_file_message ||
		bad no_file_message "$(tail -n 1 /tmp/out)"
	run $XL create /etc/xen/small.cfg 'kernel="/nonexistent"'
	check no_kernel_exit "$rc" 3
	has 'cannot open kernel /nonexistent: No such file' && ok no_kernel_message ||
		bad no_kernel_message "$(tail -n 1 /tmp/out)"
	printf 'garbage\n' >/tmp/bad-kernel
	run $XL create /etc/xen/small.cfg 'kernel="/tmp/bad-kernel"'
	check bad_kernel_exit "$rc" 3
	has 'building failed: /tmp/bad-kernel' && ok bad_kernel_message ||
		bad bad_kernel_message "$(tail -n 1 /tmp/out)"
	# the stock bzImage with four bytes of its xz data overwritten: the
	# decoder finds it (bad LZMA2 data or the block's CRC32) and says so
	cp "$DOMU_K" /tmp/bad-bz
	printf '\001\002\003\004' | dd of=/tmp/bad-bz bs=1 seek=4000000 conv=notrunc 2>/dev/null
	run $XL create /etc/xen/small.cfg 'kernel="/tmp/bad-bz"'
	check bad_bzimage_exit "$rc" 3
	has 'building failed: /tmp/bad-bz: bzImage: xz payload: ' && ok bad_bzimage_message ||
		bad bad_bzimage_message "$(tail -n 1 /tmp/out)"
	rm -f /tmp/bad-bz
	run $XL create /etc/xen/small.cfg memory=100000
	check too_big_exit "$rc" 3
	has "needs 100000 MB of memory, only $free0 MB are free" && ok too_big_message ||
		bad too_big_message "$(tail -n 1 /tmp/out)"
	if dup=$(/tests/xl-testdom dup); then
		run $XL create /etc/xen/small.cfg 'name="dup"'
		check dup_exit "$rc" 3
		has "Domain with name \"dup\" already exists (domain $dup)" && ok dup_message ||
			bad dup_message "$(tail -n 1 /tmp/out)"
		$XL destroy dup
	else
		bad dup "xl-testdom could not make the domain"
	fi
	grep -q '^nobody:' /etc/passwd 2>/dev/null ||
		echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >>/etc/passwd
	chmod 755 /	# the initramfs's root comes as its staging directory's 0700
	run su -s /bin/sh nobody -c "$XL create /etc/xen/small.cfg"
	check nonroot_exit "$rc" 1
	has 'Permission denied' && has 'cannot init xl context' && ok nonroot_message ||
		bad nonroot_message "$(tail -n 1 /tmp/out)"
	run $XL create -n /etc/xen/domu.cfg 'name="dry"' memory=64
	check dryrun_exit "$rc" 0
	has '"name": "dry"' && has '"target_memkb": 65536' && ok dryrun_output ||
		bad dryrun_output "no JSON"
	# xenstored turns the hypervisor's VIRQ_DOM_EXC into @releaseDomain:
	# a domain with no monitor (-e) whose test kernel ends (shutdown) makes
	# it fire though no toolstack released anything
	run $XL create -e -p /etc/xen/small.cfg 'name="rel"'
	check release_create "$rc" 0
	xenstore-watch -n 2 @releaseDomain >/tmp/rel 2>&1 &
	wpid=$!
	wait_for 10 test -s /tmp/rel
	run $XL unpause rel
	rel_fired() { [ "$(wc -l </tmp/rel)" -ge 2 ]; }
	wait_for 30 rel_fired && ok release_on_shutdown || bad release_on_shutdown "watch saw: $(cat /tmp/rel)"
	kill $wpid 2>/dev/null
	run $XL destroy rel
	check errors_no_domain "$(ndoms)" 1
	check errors_nodes "$(nodes)" "$nodes0"
	check_free errors_free "$(free_mb)" "$free0"
}

section_life() {
	run $XL create /etc/xen/domu.cfg
	check create_exit "$rc" 0
	has 'Waiting for domain domu (domid [0-9]*) to die' && ok create_monitor ||
		bad create_monitor "no monitor line"
	# the second from make run's example (the image's /etc/xen/example.cfg)
	run $XL create /etc/xen/example.cfg 'name="domu2"' 'on_crash="preserve"'
	check create2_exit "$rc" 0
	d1=$(domid domu)
	d2=$(domid domu2)
	if wait_for 120 init_seen domu; then ok domu_init; else bad domu_init "no /init marker"; diag domu; fi
	wait_for 120 init_seen domu2 && ok domu2_init || bad domu2_init "no /init marker"
	run $XL list
	line=$(grep '^domu ' /tmp/out)
	check list_mem "$(echo "$line" | awk '{print $3}')" 128
	check list_vcpus "$(echo "$line" | awk '{print $4}')" 2
	check list_two "$(ndoms)" 3
	run xenstore-ls -fp /local/domain/$d1
	has "^/local/domain/$d1/name = \"domu\"  (n0,r$d1)" && ok node_name || bad node_name "missing"
	has "^/local/domain/$d1/memory/target = \"131072\"" && ok node_target || bad node_target "missing"
	has "^/local/domain/$d1/control/shutdown = \"\"  (n$d1)" && ok node_shutdown_perms ||
		bad node_shutdown_perms "missing or wrong permissions"
	has "^/local/domain/$d1/console/tty = \"/dev/pts/" && ok node_tty || bad node_tty "no tty"
	has "^/local/domain/$d1/store/ring-ref = \"[0-9]" && ok node_store || bad node_store "missing"
	vm=$(xenstore-read /local/domain/$d1/vm)
	check vm_name "$(xenstore-read "$vm/name")" domu
	check libxl_type "$(xenstore-read /libxl/$d1/type)" pv
	uuid=$($XL list -v domu | awk 'NR == 2 {print $7}')
	# reboot: the monitor makes the domain again, new id, same name and uuid
	rm -f "$CONSLOG/guest-domu.log"
	run $XL reboot domu
	check reboot_exit "$rc" 0
	new_id() {
		id=$($XL domid domu 2>/dev/null) && [ -n "$id" ] && [ "$id" != "$d1" ] &&
			echo "$id" >/tmp/d1b
	}
	rm -f /tmp/d1b
	wait_for 60 new_id && ok reboot_new_id || bad reboot_new_id "still $(domid domu)"
	d1b=$(cat /tmp/d1b 2>/dev/null)
	echo "xlcreate-test: domu rebooted from domain $d1 to domain $d1b"
	# the hypervisor's handle (xl list -v) and the vm path both
	uuid_now() { $XL list -v domu | awk 'NR == 2 {print $7}'; }
	wait_for 10 sh -c "[ \"\$($XL list -v domu | awk 'NR == 2 {print \$7}')\" = $uuid ]"
	check reboot_same_uuid "$(uuid_now)" "$uuid" || run $XL list -v
	check reboot_same_vm "$(xenstore-read /local/domain/$d1b/vm)" "$vm"
	check reboot_old_nodes "$(xenstore-ls /local/domain/$d1 2>/dev/null | wc -l)" 0
	wait_for 120 init_seen domu && ok reboot_init || bad reboot_init "no /init marker"
	# crash domu2 from its console: on_crash preserve keeps it, renamed
	tty=$(xenstore-read /local/domain/$d2/console/tty)
	printf 'echo c >/proc/sysrq-trigger\n' >"$tty"
	wait_for 60 gone domu2 && ok crash_renamed || bad crash_renamed "domu2 still named so"
	run $XL list
	grep -q "^domu2-[0-9]\{8\}T[0-9]\{4\}Z  *$d2 .*c-" /tmp/out && ok crash_preserved ||
		bad crash_preserved "no crashed domu2-DATE with id $d2"
	run $XL destroy $d2
	check destroy_crashed "$rc" 0
	# shutdown -w: returns once the guest has powered off
	run $XL shutdown -w domu
	check shutdown_exit "$rc" 0
	has "Domain $d1b has been shut down, reason code 0\|Domain $d1b has been destroyed" &&
		ok shutdown_waited || bad shutdown_waited "no wait line"
	wait_for 30 gone domu && ok shutdown_destroyed || bad shutdown_destroyed "still there"
	wait_for 10 sh -c "[ \$($XL list | tail -n +2 | wc -l) = 1 ]"
	check life_no_domain "$(ndoms)" 1
	check life_nodes "$(nodes)" "$nodes0" || run xenstore-ls -f /
	check_free life_free "$(free_mb)" "$free0"
}

section_cycles() {
	i=0
	errs=0
	while [ $i -lt 20 ]; do
		$XL create -q -p -e /etc/xen/small.cfg >/tmp/cyc 2>&1 || { errs=$((errs + 1)); cat /tmp/cyc; }
		$XL destroy small >/tmp/cyc 2>&1 || { errs=$((errs + 1)); cat /tmp/cyc; }
		i=$((i + 1))
	done
	check cycles_errors "$errs" 0
	check cycles_no_domain "$(ndoms)" 1
	check cycles_nodes "$(nodes)" "$nodes0"
	check_free cycles_free "$(free_mb)" "$free0"
}

# The test kernel's summary line in its console log, once it is there
summary_of() {
	tr -d '\r' <"$CONSLOG/guest-$1.log" 2>/dev/null |
		grep -a -o "guest-test $1: [0-9]* passed, [0-9]* failed" | tail -n 1
}
has_summary() { [ -n "$(summary_of "$1")" ]; }

section_foreign() {
	for k in lowaddr-bare xenguest notesec; do
		rm -f "$CONSLOG/guest-$k.log"
		run $XL create /etc/xen/small.cfg "name=\"$k\"" "kernel=\"/tests/$k.elf\"" memory=16
		check "${k}_create" "$rc" 0 || continue
		wait_for 60 has_summary "$k"
		s=$(summary_of "$k")
		echo "xlcreate-test: $k's console: $s"
		case $s in
		*" 0 passed"* | "") bad "${k}_checks" "summary '$s'"; diag "$k" ;;
		*", 0 failed") ok "${k}_checks" ;;
		*) bad "${k}_checks" "$s"; run grep -a FAIL "$CONSLOG/guest-$k.log" ;;
		esac
		wait_for 30 gone "$k" && ok "${k}_powered_off_gone" || bad "${k}_powered_off_gone" "still there"
	done
	check foreign_no_domain "$(ndoms)" 1
	# Debian's xl leaves other parent nodes than ours (two fewer): not compared
	[ -n "$xl_ref" ] || check foreign_nodes "$(nodes)" "$nodes0"
	check_free foreign_free "$(free_mb)" "$free0"
}

section_nostore() {
	kill "$(cat /run/xenstored.pid)"
	wait_for 10 sh -c '! [ -S /run/xenstored/socket ] || ! kill -0 $(cat /run/xenstored.pid)'
	run $XL create /etc/xen/small.cfg
	check nostore_exit "$rc" 1
	has 'cannot connect to xenstore' && has 'is xenstored running' && ok nostore_message ||
		bad nostore_message "$(head -n 1 /tmp/out)"
}

for s in $sections; do
	read -r up _ </proc/uptime
	echo "xlcreate-test: section $s (Dom0 up ${up}s)"
	"section_$s"
done
for f in /var/log/xen/xl-*.log; do
	[ -f "$f" ] && sed "s#^#xlc| ${f##*/}: #" "$f"
done
read -r up _ </proc/uptime
echo "xlcreate-test: $passed passed, $failed failed (Dom0 up ${up}s)"
[ $failed = 0 ] && echo "xlcreate-test: DONE"
