#!/bin/sh
# Start xenstored on a private socket and drive it with the xenstore-*
# commands: each line of xenstore_cli.cmds is run, its output and exit
# code recorded, and the transcript compared with xenstore_cli.golden.
# Then the things a transcript cannot show: watches, a daemon that is
# down, and the library test program.
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=${XS_BIN:-$here/../../build/bin}
bin=$(cd "$bin" && pwd)
tmp=$(mktemp -d)
export XENSTORED_PATH="$tmp/socket"
export PATH="$bin:$PATH"
pass=0
fail=0
check() { # name, condition-exit-code
	if [ "$2" -eq 0 ]; then pass=$((pass + 1)); echo "ok   $1"
	else fail=$((fail + 1)); echo "FAIL $1"; fi
}

"$bin/xenstored" --no-fork --no-domain-init --socket "$XENSTORED_PATH" \
	2>"$tmp/xenstored.log" &
daemon=$!
cleanup() { kill "$daemon" 2>/dev/null; wait "$daemon" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
i=0
while [ ! -S "$XENSTORED_PATH" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done

# 1. golden transcript
grep -v '^#' "$here/xenstore_cli.cmds" | while IFS= read -r cmd; do
	printf '$ %s\n' "$cmd"
	eval "$cmd" 2>&1
	echo "[exit $?]"
done >"$tmp/transcript"
diff -u "$here/xenstore_cli.golden" "$tmp/transcript"
check "golden transcript" $?

# 2. xenstore-watch: the initial event, then one per change, then exit.
xenstore-watch -n 3 /watched >"$tmp/watch.out" 2>&1 &
wpid=$!
i=0
while [ ! -s "$tmp/watch.out" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
xenstore-write /watched/a 1 /unrelated 2
xenstore-rm /watched
wait "$wpid"
wrc=$?
printf '/watched\n/watched/a\n/watched\n' | diff -u - "$tmp/watch.out"
check "xenstore-watch events" $?
check "xenstore-watch exit code" $wrc

# 3. the library against the daemon (permissions, transactions, ...)
"$bin/../xenstore/tests/xenstore_lib_test"
check "libxenstore integration" $?

# 4. a daemon that is not there: clear error, exit 1
XENSTORED_PATH="$tmp/none" xenstore-read -s /x >"$tmp/down.out" 2>&1
rc=$?
grep -q "could not connect to xenstored at $tmp/none" "$tmp/down.out" && [ $rc -eq 1 ]
check "no daemon: message and exit 1" $?

# 5. the daemon survived everything and says nothing alarming
kill -0 "$daemon"
check "xenstored still running" $?
"$bin/xenstored" --help | grep -q -- '--no-domain-init'
check "xenstored --help lists options" $?
"$bin/xenstored" --bogus >/dev/null 2>&1
[ $? -eq 2 ]
check "xenstored rejects unknown option" $?

# 6. without --no-domain-init on a host with no hypervisor: a clear refusal
if [ ! -e /dev/xen/evtchn ]; then
	"$bin/xenstored" --no-fork --socket "$tmp/dom0.sock" >"$tmp/dom0.out" 2>&1
	rc=$?
	grep -q 'cannot open /dev/xen/evtchn.*--no-domain-init' "$tmp/dom0.out" && [ $rc -eq 1 ]
	check "no hypervisor: xenstored explains and exits 1" $?
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
