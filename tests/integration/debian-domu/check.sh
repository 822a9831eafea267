# Run inside Dom0 by /init (paravane.test=) for images-domu-paravane: the
# Debian 12 DomU of `make run` (/etc/xen/debian.cfg), created by our xl on
# Paravane, its root file system being QEMU's virtio disk (/dev/vda, a
# throw-away snapshot of the built image). Our xenconsoled serves its
# console. Checks: xl create succeeds; the console log reaches systemd's
# login prompt; through `xl console` (fed from a FIFO) root logs in and
# pings Dom0 (10.0.0.1) over netfront, netback and xenbr0; Dom0 pings the
# DomU (10.0.0.2); both frontends are Connected; after xl destroy no vif,
# no backend node and no domain is left. Prints "debian-domu: PASS" or
# FAIL lines.
XL=/usr/sbin/xl
log=/var/log/xen/console/guest-debian.log
out=/tmp/console.out
fails=0
fail() { echo "debian-domu: FAIL $*"; fails=$((fails + 1)); }
mkdir -p /var/lib/xen /var/lock /var/log/xen /etc/xen /var/run/xen
now() { cut -d. -f1 /proc/uptime; }
# wait_for FILE PATTERN SECONDS
wait_for() {
	end=$(($(now) + $3))
	while [ "$(now)" -lt $end ]; do
		tr -d '\r' <"$1" 2>/dev/null | grep -q "$2" && return 0
		sleep 1
	done
	return 1
}
wait=480
for arg in $(cat /proc/cmdline); do
	case $arg in paravane.domu_wait=*) wait=${arg#paravane.domu_wait=} ;; esac
done

[ -b /dev/vda ] || fail "no /dev/vda (QEMU's virtio disk with rootfs.img)"
t0=$(now)
# (to a file: xl's monitor keeps its output open while the domain lives)
$XL create /etc/xen/debian.cfg >/tmp/create.out 2>&1
sed 's/^/debian-domu: xl: /' /tmp/create.out
dom=$($XL domid debian 2>/dev/null)
[ -n "$dom" ] || fail "xl create /etc/xen/debian.cfg made no domain"
if wait_for "$log" 'login:' "$wait"; then
	echo "debian-domu: login prompt in the console log after $(($(now) - t0)) s"
else
	fail "no login prompt after $(($(now) - t0)) s"
fi

# xl console, its input a FIFO kept open by fd 3 of this shell
mkfifo /tmp/console.in
$XL console debian </tmp/console.in >"$out" 2>&1 &
cons=$!
exec 3>/tmp/console.in
say() { printf '%s\r' "$1" >&3; }
say ''
wait_for "$out" 'login:' 60 || fail "xl console shows no login prompt"
say root
# a shell prompt, then a command whose answer cannot be the echo of its line
wait_for "$out" 'root@paravane-domu' 120 || fail "no shell prompt after logging in as root"
say 'ping -c 3 -W 2 10.0.0.1; echo "rc=$((40 + $?))"'
wait_for "$out" 'rc=4[0-9]' 60 || fail "the DomU's ping did not end"
tr -d '\r' <"$out" | grep -q 'rc=40' || fail "the DomU cannot ping Dom0 (10.0.0.1)"
tr -d '\r' <"$out" | grep -a -e 'packets transmitted' -e 'rc=4' | sed 's/^/debian-domu: DomU: /'
say 'exit'
printf '\035' >&3
exec 3>&-
sleep 2
kill $cons 2>/dev/null

ping -c 3 -W 2 10.0.0.2 >/tmp/ping.out 2>&1 || fail "Dom0 cannot ping the DomU (10.0.0.2)"
grep 'packets transmitted' /tmp/ping.out | sed 's/^/debian-domu: Dom0: /'
for d in vbd/51712 vif/0; do
	s=$(xenstore-read /local/domain/$dom/device/$d/state 2>/dev/null)
	[ "$s" = 4 ] || fail "frontend $d state '$s', not 4 (Connected)"
done
echo "debian-domu: console lines about the root, the network and logins:"
tr -d '\r' <"$log" | grep -a -e xvda -e eth0 -e 'Reached target' -e login | cut -c1-150 |
	tail -n 12 | sed 's/^/debian-domu: | /'

$XL destroy debian || fail "xl destroy debian"
$XL list | grep -q '^debian ' && fail "debian still listed after xl destroy"
ls /sys/class/net | grep -q '^vif' && fail "a vif is left: $(ls /sys/class/net | grep '^vif')"
xenstore-list /local/domain/0/backend/vbd 2>/dev/null | grep -qx "$dom" && fail "backend/vbd/$dom left"
xenstore-list /local/domain/0/backend/vif 2>/dev/null | grep -qx "$dom" && fail "backend/vif/$dom left"
echo "debian-domu: whole run $(($(now) - t0)) s"
[ $fails = 0 ] && echo "debian-domu: PASS" || echo "debian-domu: FAIL ($fails)"
