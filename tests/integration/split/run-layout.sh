#!/bin/sh
# run-layout.sh NAME GOLDEN KERNEL_ENV WORKDIR XEN_ELF [EXTRA_SPEC...]
#
# Boot Dom0 on Xen 4.17 (images_boot_test.sh xen) with xen-layout.sh,
# which has Debian's xl create a DomU with a disk and a vif; take its
# "layout: " lines (the xenstore dump and the hotplug calls), mask the
# domain's UUID, and compare them with GOLDEN. SPLIT_RECORD=1 writes
# GOLDEN instead.
set -u
name=$1 golden=$2 env_file=$3 work=$4 hv=$5
shift 5
dir=tests/integration/split
BOOT_NAME=$name BOOT_SCRIPT=$dir/xen-layout.sh:/tests/split-layout.sh \
	BOOT_PASS='^split-layout: PASS' BOOT_SHOW='^split-layout:' BOOT_EXTRA="$*" \
	sh tests/integration/images_boot_test.sh xen "$env_file" "$work" "$hv" || exit 1
out=$work/$name.layout
# Disks are set up in parallel: which gets which loop device, and the
# order of the hotplug calls, change from run to run.
mask() {
	sed -e 's/[0-9a-f]\{8\}-[0-9a-f]\{4\}-[0-9a-f]\{4\}-[0-9a-f]\{4\}-[0-9a-f]\{12\}/UUID/g' \
		-e 's#/dev/loop[0-9]*#/dev/loopN#g' -e 's#^\(.*/physical-device = "7:\)[0-9a-f]*"#\1N"#'
}
sed -n 's/^layout: //p' "$work/$name-test.log.txt" | mask >"$out.all"
grep -v '^call: ' "$out.all" >"$out"
grep '^call: ' "$out.all" | LC_ALL=C sort >>"$out"
if [ "${SPLIT_RECORD:-}" = 1 ]; then
	cp "$out" "$golden"
	echo "$name: recorded $golden ($(wc -l <"$golden") lines)"
	exit 0
fi
if diff -u "$golden" "$out"; then
	echo "$name: PASS (layout equals $golden)"
else
	echo "$name: FAIL (layout differs from $golden: the diff above; $out)"
	exit 1
fi
