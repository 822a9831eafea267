#!/bin/sh
# Run each test target given after the make command, keep going on failure,
# and close with one "N passed, N failed" line. Exit 1 if any failed.
make_cmd=$1
shift
pass=0
fail=0
failed=""
for t in "$@"; do
	echo "=== $t"
	start=$(date +%s)
	if $make_cmd "$t"; then
		pass=$((pass + 1))
		echo "--- PASS $t ($(( $(date +%s) - start ))s)"
	else
		fail=$((fail + 1))
		failed="$failed $t"
		echo "--- FAIL $t ($(( $(date +%s) - start ))s)"
	fi
done
[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
