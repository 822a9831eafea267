#!/bin/sh
# run.sh NAME GOLDEN MODE KERNEL_ENV WORKDIR HV_ELF [EXTRA_SPEC...]
#
# Boot Dom0 (images_boot_test.sh MODE) once with CASE/check.sh, which runs
# the xl transcript CASE/CASE.cmds; take its "xlt: " lines from the console
# log, mask the fields that change from run to run (xl/mask.sed, then the
# case's own mask.sed if it has one) and compare them with GOLDEN.
# XL_RECORD=1 writes GOLDEN instead (to record a new reference).
# XL_CASE names the case directory under tests/integration (default: xl);
# xlops uses it.
set -u
name=$1 golden=$2 mode=$3 env_file=$4 work=$5 hv=$6
shift 6
case=${XL_CASE:-xl}
dir=tests/integration/$case
masks="-f tests/integration/xl/mask.sed"
[ "$case" != xl ] && [ -f "$dir/mask.sed" ] && masks="$masks -f $dir/mask.sed"
BOOT_NAME=$name BOOT_SCRIPT=$dir/check.sh:/tests/$case-test.sh \
	BOOT_PASS='^xl-test: DONE' BOOT_SHOW='^xl-test:' \
	BOOT_EXTRA="$* $dir/$case.cmds:/tests/$case.cmds" \
	sh tests/integration/images_boot_test.sh "$mode" "$env_file" "$work" "$hv" || exit 1
out=$work/$name.transcript
# shellcheck disable=SC2086 # $masks is a list of sed options
sed -n 's/^xlt: \{0,1\}//p' "$work/$name-test.log.txt" | sed $masks >"$out"
if [ "${XL_RECORD:-}" = 1 ]; then
	cp "$out" "$golden"
	echo "$name: recorded $golden ($(wc -l <"$golden") lines)"
	exit 0
fi
if diff -au "$golden" "$out"; then
	echo "$name: PASS (transcript equals $golden)"
else
	echo "$name: FAIL (transcript differs from $golden: the diff above; $out)"
	exit 1
fi
