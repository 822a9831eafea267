#!/bin/sh
# run-suite.sh MAKE_CMD TEST...
#
# Run each test target, keep going on failure, print "--- PASS name (Ns)"
# or "--- FAIL name (Ns)" for each and close with one "N passed, N failed"
# line. Exit 1 if any failed.
#
# Environment:
#   JOBS      how many tests may run at once (default 1: one after the other)
#   UNPAIRED  tests that never run beside another: QEMU with several CPUs,
#             several threads, whole-tree builds (the Makefile's UNPAIRED_TESTS)
#
# With JOBS=1 every test runs in the order given, its output streamed. With
# more, the unpaired tests run first, in order and streamed as above; then
# the prerequisites of all the others are built once (two tests must not
# build the same file at once), and those run JOBS at a time: each test's
# output is kept and printed whole, under its "=== name" line, when it ends.
make_cmd=$1
shift
jobs=${JOBS:-1}
case $jobs in
'' | *[!0-9]* | 0) echo "run-suite: JOBS=$jobs is not a positive number" >&2; exit 2 ;;
esac
pass=0
fail=0
failed=""

# One test, its output to stdout as it comes; counts it.
run_streamed() {
	echo "=== $1"
	start=$(date +%s)
	if $make_cmd "$1"; then
		pass=$((pass + 1))
		echo "--- PASS $1 ($(( $(date +%s) - start ))s)"
	else
		fail=$((fail + 1))
		failed="$failed $1"
		echo "--- FAIL $1 ($(( $(date +%s) - start ))s)"
	fi
}

if [ "$jobs" -eq 1 ]; then
	for t in "$@"; do
		run_streamed "$t"
	done
	[ -n "$failed" ] && echo "failed:$failed"
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit
fi

is_unpaired() {
	case " $UNPAIRED " in
	*" $1 "*) return 0 ;;
	esac
	return 1
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/run-suite.XXXXXX") || exit 2
lanes=""
# Background commands ignore SIGINT (sh without a terminal's job control), so
# an interrupt reaches the lanes through this trap: TERM to each lane, then to
# the make it runs (make passes TERM on to its recipe); a QEMU left over
# ends at its own hard timeout.
stop() {
	for p in $lanes; do kill -TERM "$p" 2>/dev/null; done
	for f in "$tmp"/make.*; do [ -f "$f" ] && kill -TERM "$(cat "$f")" 2>/dev/null; done
	rm -rf "$tmp"
	exit 130
}
trap stop INT TERM HUP
trap 'rm -rf "$tmp"' EXIT

paired=""
for t in "$@"; do
	if is_unpaired "$t"; then
		run_streamed "$t"
	else
		paired="$paired $t"
	fi
done

if [ -n "$paired" ]; then
	# Every file the paired tests depend on, from make's database (-p);
	# the tests themselves and other phony targets are left out.
	# shellcheck disable=SC2086
	prereqs=$($make_cmd -pq --eval 'run-suite-nothing:' run-suite-nothing 2>/dev/null | awk -v tests="$paired" '
		BEGIN { n = split(tests, t, " "); for (i = 1; i <= n; i++) { want[t[i] ":"] = 1; test[t[i]] = 1 } }
		/^\.PHONY:/ { for (i = 2; i <= NF; i++) phony[$i] = 1 }
		/^# Not a target:/ { skip = 1; next }
		/^[^#\t ].*:/ { if (!skip && ($1 in want)) { delete want[$1]; for (i = 2; i <= NF; i++) if ($i != "|") dep[$i] = 1 } }
		{ skip = 0 }
		END { for (d in dep) if (!(d in phony) && !(d in test)) print d }' | sort)
	if [ -n "$prereqs" ]; then
		start=$(date +%s)
		# shellcheck disable=SC2086
		if $make_cmd -k -j"$jobs" $prereqs >"$tmp/prereqs.log" 2>&1; then
			echo "=== prerequisites of the tests below built ($(( $(date +%s) - start ))s)"
		else
			echo "=== prerequisites of the tests below: some failed ($(( $(date +%s) - start ))s; each test retries its own)"
			cat "$tmp/prereqs.log"
		fi
	fi

	# Lane $1 takes the next test nobody has claimed (mkdir is atomic),
	# runs it into a file and prints it whole under a lock.
	lane() {
		i=0
		for t in $paired; do
			i=$((i + 1))
			mkdir "$tmp/claim.$i" 2>/dev/null || continue
			start=$(date +%s)
			$make_cmd "$t" >"$tmp/out.$i" 2>&1 &
			echo $! >"$tmp/make.$1"
			if wait $!; then r=PASS; else r=FAIL; fi
			rm -f "$tmp/make.$1"
			echo "$r $t" >"$tmp/result.$i"
			until mkdir "$tmp/print" 2>/dev/null; do sleep 1; done
			echo "=== $t"
			cat "$tmp/out.$i"
			echo "--- $r $t ($(( $(date +%s) - start ))s)"
			rmdir "$tmp/print"
		done
	}
	n=0
	while [ "$n" -lt "$jobs" ]; do
		n=$((n + 1))
		lane "$n" &
		lanes="$lanes $!"
	done
	for p in $lanes; do wait "$p"; done
	lanes=""
	i=0
	for t in $paired; do
		i=$((i + 1))
		if [ "$(cat "$tmp/result.$i" 2>/dev/null)" = "PASS $t" ]; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
			failed="$failed $t"
		fi
	done
fi

[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
