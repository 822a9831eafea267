#!/bin/sh
# xencommons_test.sh ROOT: the installed ROOT/etc/init.d/xencommons run
# with XENCOMMONS_ROOT=ROOT over fake xenstored, xenconsoled and
# xenstore-write (each records its arguments in ROOT/calls and forks a
# sleeping child as its daemon, writing the pid file as the real ones do).
set -u
R=$1
S=$R/etc/init.d/xencommons
fails=0
fail() { echo "test-install-initscripts: FAIL $*"; fails=$((fails + 1)); }
[ -x "$S" ] || { echo "test-install-initscripts: FAIL $S not installed executable"; exit 1; }
mkdir -p "$R/usr/sbin" "$R/usr/bin" "$R/proc/xen" "$R/etc/default"
cat >"$R/usr/sbin/xenstored" <<'FAKE'
#!/bin/sh
echo "xenstored $*" >>"$XENCOMMONS_ROOT/calls"
[ -e "$XENCOMMONS_ROOT/xenstored-fails" ] && exit 1
[ "$1" = --pid-file ] || exit 2
sleep 60 >/dev/null 2>&1 &
echo $! >"$2"
FAKE
cat >"$R/usr/sbin/xenconsoled" <<'FAKE'
#!/bin/sh
echo "xenconsoled $*" >>"$XENCOMMONS_ROOT/calls"
for a; do case $a in --pid-file=*) pf=${a#--pid-file=} ;; esac; done
sleep 60 >/dev/null 2>&1 &
echo $! >"$pf"
FAKE
cat >"$R/usr/bin/xenstore-write" <<'FAKE'
#!/bin/sh
echo "xenstore-write $*" >>"$XENCOMMONS_ROOT/calls"
FAKE
chmod 755 "$R/usr/sbin/xenstored" "$R/usr/sbin/xenconsoled" "$R/usr/bin/xenstore-write"
export XENCOMMONS_ROOT="$R"
cleanup() {
	for p in "$R/run/xenstored.pid" "$R/run/xenconsoled.pid"; do
		[ -s "$p" ] && kill "$(cat "$p")" 2>/dev/null
	done
}
trap cleanup EXIT

# not Dom0: nothing started, success
out=$("$S" start 2>&1) || fail "start outside Dom0 exited $?"
echo "$out" | grep -q 'not Dom0' || fail "start outside Dom0 said: $out"
[ -e "$R/calls" ] && fail "start outside Dom0 ran: $(cat "$R/calls")"
"$S" status >/dev/null 2>&1
[ $? = 3 ] || fail "status with nothing running is not 3"

# Dom0: both daemons, in order, with Xen's paths and Dom0's nodes
echo "control_d" >"$R/proc/xen/capabilities"
echo 'XENCONSOLED_ARGS="--timestamp=all"' >"$R/etc/default/xencommons"
out=$("$S" start 2>&1) || fail "start in Dom0 exited $?: $out"
want="xenstored --pid-file $R/run/xenstored.pid
xenstore-write /local/domain/0/name Domain-0 /local/domain/0/domid 0 /local/pool/0/name Pool-0
xenconsoled --log=all --log-dir=$R/var/log/xen/console --pid-file=$R/run/xenconsoled.pid --timestamp=all"
[ "$(cat "$R/calls")" = "$want" ] || fail "start in Dom0 ran:
$(cat "$R/calls")
want:
$want"
[ -d "$R/var/log/xen/console" ] || fail "no $R/var/log/xen/console"
"$S" status >/dev/null 2>&1 || fail "status with both running is not 0"

# a second start starts nothing
: >"$R/calls"
out=$("$S" start 2>&1) || fail "second start exited $?"
[ -s "$R/calls" ] && fail "second start ran: $(cat "$R/calls")"
echo "$out" | grep -q 'xenconsoled already running' || fail "second start said: $out"

# stop: xenconsoled gone, xenstored kept
cpid=$(cat "$R/run/xenconsoled.pid")
"$S" stop >/dev/null 2>&1 || fail "stop exited $?"
kill -0 "$cpid" 2>/dev/null && fail "xenconsoled still alive after stop"
kill -0 "$(cat "$R/run/xenstored.pid")" 2>/dev/null || fail "stop killed xenstored"
"$S" status >/dev/null 2>&1
[ $? = 3 ] || fail "status after stop is not 3"
cleanup

# xenstored failing: the start fails and xenconsoled is not tried
rm -f "$R/run/xenstored.pid" "$R/run/xenconsoled.pid"
: >"$R/calls"
touch "$R/xenstored-fails"
out=$("$S" start 2>&1) && fail "start with a failing xenstored exited 0"
echo "$out" | grep -q 'xenstored failed to start' || fail "failing xenstored said: $out"
grep -q xenconsoled "$R/calls" && fail "xenconsoled started without xenstored"

"$S" bogus >/dev/null 2>&1
[ $? = 2 ] || fail "an unknown action does not exit 2"

[ $fails = 0 ] || exit 1
echo "test-install-initscripts: PASS"
