#!/bin/sh
# compare.sh A B GOLDEN: the lines where transcript A and transcript B
# differ ("- " only in A, "+ " only in B, in diff's order, no positions)
# must be GOLDEN's: the recorded, understood differences between the two
# runs. A new difference, or one that went away, fails and is shown.
# XU_RECORD=1 writes GOLDEN from this pair instead.
set -u
a=$1 b=$2 golden=$3
for f in "$a" "$b"; do
	[ -s "$f" ] || { echo "xu-compare: FAIL: no transcript $f"; exit 1; }
done
out=$(mktemp)
trap 'rm -f "$out"' EXIT
diff "$a" "$b" | sed -n 's/^< /- /p; s/^> /+ /p' >"$out"
name=$(basename "$golden" .golden)
if [ "${XU_RECORD:-}" = 1 ]; then
	cp "$out" "$golden"
	echo "xu-compare: $name recorded ($(wc -l <"$golden") lines)"
	exit 0
fi
if diff -u "$golden" "$out" >/dev/null; then
	echo "xu-compare: PASS $name ($(wc -l <"$golden") known differences)"
	exit 0
fi
echo "xu-compare: FAIL $name: the differences between $a and $b changed:"
diff -u "$golden" "$out" | tail -n +3
exit 1
