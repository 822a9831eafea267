# Run inside the Dom0 initramfs by /init (paravane.test=), after the
# 10-xenstored hook started xenstored in Dom0 mode. Checks the three ways
# into the store and prints "xenstore-dom0: ok|FAIL <what>" per check, then
# one "xenstore-dom0: PASS" or "xenstore-dom0: FAIL <list>".
#   socket: xenstore-* commands on /run/xenstored/socket
#   kernel: Linux's own xenbus, over its ring (/proc/xen/xsd_kva), as it
#           registers watches, writes its nodes and answers control/sysrq
#   xenbus: user space through /dev/xen/xenbus, which the kernel forwards
#           over the same ring (libxenstore falls back to it when the
#           socket is absent: XENSTORED_PATH=/nonexistent)
# With paravane.xsbench=N it also times N round trips over the ring and
# over the socket, and a pipe ping-pong between two processes as the floor
# (bench/xenstore-ring.sh reads those lines).
failed=
ok() { echo "xenstore-dom0: ok $1"; }
bad() { echo "xenstore-dom0: FAIL $1${2:+ ($2)}"; failed="$failed $1"; }
check() { # NAME COMMAND...: pass if COMMAND succeeds
	n=$1
	shift
	if "$@" >/tmp/check.out 2>&1; then ok "$n"; else bad "$n" "$(head -c 200 /tmp/check.out | tr '\n' ' ')"; fi
}
eq() { # NAME GOT WANT
	if [ "$2" = "$3" ]; then ok "$1"; else bad "$1" "got '$2', want '$3'"; fi
}
# Wait up to $2 tenths of a second for command $1 (a string) to succeed.
wait_for() {
	i=0
	while [ $i -lt "$2" ]; do
		eval "$1" >/dev/null 2>&1 && return 0
		usleep 100000
		i=$((i + 1))
	done
	return 1
}
ring() { XENSTORED_PATH=/nonexistent "$@"; }

bench=
for arg in $(cat /proc/cmdline); do
	case $arg in paravane.xsbench=*) bench=${arg#paravane.xsbench=} ;; esac
done

# --- the daemon
pid=$(cat /run/xenstored.pid 2>/dev/null)
check daemon-running kill -0 "${pid:-0}"
check socket-exists test -S /run/xenstored/socket
echo "xenstore-dom0: store port $(cat /proc/xen/xsd_port), daemon $(readlink /proc/$pid/exe 2>/dev/null)"

# --- Linux's xenbus connected: its xenstore notifiers ran (manage.c writes
# control/feature-* through the ring once the store first answers).
check kernel-connected wait_for 'xenstore-exists /local/domain/0/control/feature-poweroff' 100
eq kernel-feature-poweroff "$(xenstore-read /local/domain/0/control/feature-poweroff 2>&1)" 1
eq kernel-feature-reboot "$(xenstore-read control/feature-reboot 2>&1)" 1
if dmesg | grep -qi 'xenbus.*\(fail\|error\|timeout\)\|xenstore.*\(fail\|error\)'; then
	bad kernel-dmesg "$(dmesg | grep -i 'xenbus\|xenstore' | tail -n 2 | tr '\n' ' ')"
else
	ok kernel-dmesg
fi

# --- socket: the commands
check sock-write xenstore-write /test/a 1 /test/b "two words" /test/dir/c 3
eq sock-read "$(xenstore-read /test/a /test/b 2>&1 | tr '\n' '|')" "1|two words|"
eq sock-ls "$(xenstore-ls /test 2>&1 | tr '\n' '|')" 'a = "1"|b = "two words"|dir = ""| c = "3"|'
eq sock-list "$(xenstore-list /test 2>&1 | tr '\n' ' ')" "a b dir "
check sock-exists xenstore-exists /test/dir/c
check sock-chmod xenstore-chmod /test/a n0 r1
eq sock-perms "$(xenstore-ls -p /test 2>&1 | sed -n 's/^a = "1" *//p')" "(n0,r1)"
check sock-rm xenstore-rm /test/dir
if xenstore-exists /test/dir/c 2>/dev/null; then bad sock-rm-gone; else ok sock-rm-gone; fi
if xenstore-read /test/nothing >/dev/null 2>&1; then bad sock-read-missing; else ok sock-read-missing; fi
# A watch over the socket: the initial event, then one per write.
xenstore-watch -n 3 /test/w >/tmp/watch.sock 2>&1 &
wpid=$!
wait_for 'test -s /tmp/watch.sock' 50
xenstore-write /test/w/x 1
xenstore-write /test/w 2
wait_for '! kill -0 $wpid' 50
eq sock-watch "$(tr '\n' ' ' </tmp/watch.sock)" "/test/w /test/w/x /test/w "
kill $wpid 2>/dev/null

# --- the ring, driven by the kernel: a watch Linux registered at connect
# time (manage.c: control/sysrq) fires for a write made over the socket;
# Linux reads the key over the ring and writes "" back in a transaction.
dmesg -c >/dev/null
check kernel-sysrq-write xenstore-write /local/domain/0/control/sysrq h
check kernel-sysrq-cleared wait_for '[ -z "$(xenstore-read /local/domain/0/control/sysrq)" ]' 100
check kernel-sysrq-handled wait_for 'dmesg | grep -q "sysrq: HELP"' 50

# --- the ring, driven by user space through /dev/xen/xenbus
check ring-write ring xenstore-write /test/r/x "via the ring"
eq ring-to-sock "$(xenstore-read /test/r/x 2>&1)" "via the ring"
xenstore-write /test/r/y "via the socket"
eq sock-to-ring "$(ring xenstore-read /test/r/y 2>&1)" "via the socket"
eq ring-ls "$(ring xenstore-ls /test/r 2>&1 | tr '\n' '|')" 'x = "via the ring"|y = "via the socket"|'
check ring-rm ring xenstore-rm /test/r/x
if xenstore-exists /test/r/x 2>/dev/null; then bad ring-rm-gone; else ok ring-rm-gone; fi
ring xenstore-watch -n 3 /test/rw >/tmp/watch.ring 2>&1 &
wpid=$!
wait_for 'test -s /tmp/watch.ring' 50
xenstore-write /test/rw/a 1
xenstore-rm /test/rw
wait_for '! kill -0 $wpid' 50
eq ring-watch "$(tr '\n' ' ' </tmp/watch.ring)" "/test/rw /test/rw/a /test/rw "
kill $wpid 2>/dev/null
check ring-roundtrips xenstore-ring -n 50

# Domain calls via libxenstore.so.4: Dom0 introduced; a missing domain
# cannot be (its page cannot be mapped) and leaves nothing behind; Dom0
# cannot be released, over the socket or over its own ring.
if [ -x /tests/xs-domains ]; then
	/tests/xs-domains >/tmp/xs-domains.out 2>&1
	rc=$?
	sed 's/^/  /' /tmp/xs-domains.out
	if [ $rc = 0 ]; then ok domains; else bad domains "$(grep FAIL /tmp/xs-domains.out | tr '\n' ' ')"; fi
fi

# The daemon is still there after all of it.
check daemon-alive kill -0 "${pid:-0}"

if [ -n "$bench" ]; then
	xenstore-ring -n "$bench" || bad bench-ring
	xenstore-ring -n "$bench" -s /run/xenstored/socket || bad bench-socket
	xenstore-ring -n "$bench" -p || bad bench-pipes
fi

if [ -z "$failed" ]; then
	echo "xenstore-dom0: PASS"
else
	echo "xenstore-dom0: FAIL$failed"
fi
