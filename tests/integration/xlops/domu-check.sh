# Run inside Dom0 on Xen 4.17 (images-xlops-domu-xen): a real DomU, made
# by Debian's xl (libxl's create, until ours is merged), driven by our xl.
# Debian's stock kernel (the bzImage) boots as the DomU with a small
# initramfs whose script (domu.sh) prints its online CPUs and MemTotal
# every second; our xenconsoled serves its console, so its log
# (/var/log/xen/console/guest-xlopsdomu.log) shows what the guest saw.
# Checks: the log reaches "domu: ready"; vcpu-list shows two vCPUs;
# vcpu-set 1 takes cpu 1 offline in the guest and vcpu-set 2 brings it
# back; mem-set 96m shrinks the guest through its balloon driver (xl list
# and the guest's MemTotal); sched-credit and vcpu-pin act on it; console
# relays a line both ways; destroy (ours) removes it. Prints
# "xlops-domu: PASS" or a FAIL line per failed check.
XL=/usr/sbin/xl
XENXL=/usr/lib/xen-4.17/bin/xl
log=/var/log/xen/console/guest-xlopsdomu.log
fails=0
fail() {
	echo "xlops-domu: FAIL $*"
	tail -n 4 "$log" 2>/dev/null | sed 's/^/xlops-domu: guest log: /'
	fails=$((fails + 1))
}
# wait_log PATTERN SECONDS: the guest's log gets a line matching PATTERN
# (after the lines already there when the wait began)
wait_log() {
	start=$(wc -l <"$log" 2>/dev/null || echo 0)
	i=0
	while [ $i -lt "$2" ]; do
		tail -n +"$((start + 1))" "$log" 2>/dev/null | grep -q "$1" && return 0
		sleep 1
		i=$((i + 1))
	done
	return 1
}
mkdir -p /var/lib/xen /var/lock /var/log/xen /etc/xen /var/run/xen
: >/etc/xen/xl.conf
cat >/tmp/domu.cfg <<CFG
name = "xlopsdomu"
kernel = "/tests/domu-vmlinuz"
ramdisk = "/tests/domu-initrd.gz"
extra = "console=hvc0 paravane.test=/tests/domu.sh"
memory = 128
maxmem = 128
vcpus = 2
on_poweroff = "destroy"
on_crash = "destroy"
CFG
if [ -n "${XLOPS_DEBUG:-}" ] || grep -q xlops.debug /proc/cmdline; then
	p=$(cat /run/xenconsoled.pid)
	echo "xlops-domu: debug: xenconsoled $p wchan $(cat /proc/$p/wchan) state $(grep State /proc/$p/status)"
	ls -l /proc/$p/fd | sed 's/^/xlops-domu: debug: fd /'
	ls -la /var/log/xen/console | sed 's/^/xlops-domu: debug: /'
	cat /proc/$p/stack 2>/dev/null | sed 's/^/xlops-domu: debug: stack /'
fi
t0=$(cut -d' ' -f1 /proc/uptime)
if ! LD_LIBRARY_PATH=/usr/lib/xen-4.17/lib $XENXL create /tmp/domu.cfg; then
	echo "xlops-domu: FAIL (Xen's xl create)"
	xenstore-ls /local/domain/1 | sed 's/^/xlops-domu: /' | head -40
	exit 1
fi
echo "xlops-domu: created ($XL list:)"
$XL list
if wait_log 'domu: ready' 120; then
	echo "xlops-domu: the DomU reached its script ($(cut -d' ' -f1 /proc/uptime) s, created at $t0 s)"
else
	fail "(the guest log never showed 'domu: ready')"
	tail -n 20 "$log" 2>/dev/null | sed 's/^/xlops-domu: log: /'
	exit 1
fi
n=$($XL vcpu-list xlopsdomu | grep -c '^xlopsdomu ')
[ "$n" = 2 ] || fail "(vcpu-list shows $n vCPUs, not 2)"
$XL vcpu-list xlopsdomu | sed 's/^/xlops-domu: /'
wait_log 'cpus=0-1 ' 20 || fail "(the guest does not have cpus 0-1 online)"
$XL vcpu-set xlopsdomu 1 || fail "(vcpu-set 1 exited $?)"
wait_log 'cpus=0 ' 30 || fail "(vcpu-set 1: the guest still has cpu 1 online)"
$XL vcpu-list xlopsdomu | grep -q '^xlopsdomu .* 1 .*   --p ' || fail "(vcpu-list: vCPU 1 not shown offline)"
$XL vcpu-set xlopsdomu 2 || fail "(vcpu-set 2 exited $?)"
wait_log 'cpus=0-1 ' 60 || fail "(vcpu-set 2: the guest did not bring cpu 1 back)"
xenstore-ls /local/domain/$($XL domid xlopsdomu)/cpu | tr '\n' ' ' | sed 's/^/xlops-domu: cpu nodes: /'; echo
before=$($XL list xlopsdomu | awk 'NR == 2 { print $3 }')
$XL mem-set xlopsdomu 96m || fail "(mem-set exited $?)"
i=0
while [ $i -lt 30 ]; do
	after=$($XL list xlopsdomu | awk 'NR == 2 { print $3 }')
	[ "$after" -le 97 ] && break
	sleep 1
	i=$((i + 1))
done
echo "xlops-domu: mem-set 96m: xl list's Mem $before -> $after MiB"
[ "$after" -le 97 ] && [ "$after" -ge 90 ] || fail "(mem-set 96m: Mem is $after MiB)"
[ "$(xenstore-read /local/domain/$($XL domid xlopsdomu)/memory/target)" = 98304 ] ||
	fail "(memory/target is not 98304)"
$XL mem-set xlopsdomu 200m 2>/dev/null && fail "(mem-set above static-max accepted)"
$XL sched-credit -d xlopsdomu -w 512 -c 50 || fail "(sched-credit set exited $?)"
$XL sched-credit -d xlopsdomu | grep -q '^xlopsdomu .* 512   50$' || fail "(sched-credit does not show 512 50)"
$XL vcpu-pin xlopsdomu 1 1 || fail "(vcpu-pin exited $?)"
$XL vcpu-list xlopsdomu | grep -q '^xlopsdomu .* 1 .*  1 / all$' || fail "(vcpu-list does not show vCPU 1 pinned to 1)"
# console: a line typed goes in, the guest's echo comes out, Ctrl-] ends
{ sleep 2; printf 'ping-xlops\r'; sleep 3; printf '\035'; } | $XL console xlopsdomu >/tmp/cons.out 2>&1
rc=$?
grep -q "domu: got 'ping-xlops" /tmp/cons.out || fail "(console: the echo of the typed line did not come back)"
[ $rc = 0 ] || fail "(console exited $rc)"
grep -q "domu: got 'ping-xlops" "$log" || fail "(the guest log lacks the console line)"
$XL top -b -i 2 -d 1 | grep -c '^ *xlopsdomu ' | grep -qx 2 || fail "(top -b -i 2 does not show the DomU twice)"
$XL destroy xlopsdomu || fail "(destroy exited $?)"
$XL list xlopsdomu >/dev/null 2>&1 && fail "(the DomU is still listed after destroy)"
if [ $fails = 0 ]; then
	echo "xlops-domu: PASS"
else
	echo "xlops-domu: $fails checks failed"
fi
