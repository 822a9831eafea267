#!/bin/sh
# run.sh NAME GOLDEN MODE KERNEL_ENV WORKDIR HV_ELF [EXTRA_SPEC...]
#
# Boot Dom0 (images_boot_test.sh MODE) once with check.sh, which runs the
# transcript of xlops.cmds; take its "xlt: " lines from the console log,
# mask what changes from run to run (xl's mask.sed, then ours) and compare
# with GOLDEN. XL_RECORD=1 writes GOLDEN instead.
set -u
name=$1 golden=$2 mode=$3 env_file=$4 work=$5 hv=$6
shift 6
dir=tests/integration/xlops
BOOT_NAME=$name BOOT_SCRIPT=$dir/check.sh:/tests/xlops-test.sh \
	BOOT_PASS='^xl-test: DONE' BOOT_SHOW='^xl-test:' \
	BOOT_EXTRA="$* $dir/xlops.cmds:/tests/xlops.cmds" \
	sh tests/integration/images_boot_test.sh "$mode" "$env_file" "$work" "$hv" || exit 1
out=$work/$name.transcript
sed -n 's/^xlt: \{0,1\}//p' "$work/$name-test.log.txt" |
	sed -f tests/integration/xl/mask.sed | sed -f $dir/mask.sed >"$out"
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
