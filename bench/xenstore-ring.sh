#!/bin/sh
# xenstore-ring.sh: in Dom0, one xenstore request over the kernel's store
# ring and back (docs/xenstore.md, "Dom0 ring round trip").
#
# Boots Debian's Linux 6.1 as Dom0 under the same QEMU (TCG, 1 GiB), on
# Paravane and on Xen 4.17, with our xenstored and (on Xen) with Xen's own
# C xenstored from Debian's xen-utils-4.17, with 1 and with 2 Dom0 vCPUs
# (Paravane's scheduler runs every vCPU on one physical CPU for now; Xen
# gets as many physical CPUs as Dom0 vCPUs, plus one overcommitted case).
# Each time tests/integration/xenstore-dom0/check.sh runs
# `xenstore-ring -n N` (bench/xenstore_ring.c): N XS_READ round trips
# through /dev/xen/xenbus, which Linux forwards over its ring; then the
# same over the daemon's Unix socket (no ring, no hypervisor), and a
# ping-pong between two processes over pipes: the floor for any
# request/reply between two processes in that Dom0.
#
# Environment: BUILD (build), XEN_ELF (Xen 4.17 ELF), DOM0_XS_FILES (the
# initramfs files, from tests/images/module.mk), XS_RING_N (1000),
# XS_RING_ONLY (a shell pattern: run only the setups it matches),
# XS_RING_ROUNDS (1: each round boots every setup once, Paravane's and
# Xen's alternately, so that both meet the same host load; a setup's name
# gets "#R" from round 2 on). Each setup's line also says the TSC rate its
# hypervisor calibrated (about 2596 MHz on our host): a rate far off means
# Dom0's clock, and so its figures, were off by as much.
set -u
BUILD=${BUILD:-build}
XEN_ELF=${XEN_ELF:-$BUILD/images/xen-4.17.elf}
N=${XS_RING_N:-1000}
env_file=$BUILD/images/kernel.env
work=$BUILD/images

# Xen's own daemon and the shared libraries it needs, from Debian's
# packages (the C library's runtime is in DOM0_XS_FILES already).
xen_daemon_files() {
	utils=$(sh tests/images/fetch-deb.sh xen-utils-4.17) || return 1
	echo "$utils/usr/lib/xen-4.17/bin/xenstored:/usr/lib/xen-4.17/bin/xenstored"
	for pkg in libxenevtchn1 libxengnttab1 libxenmisc4.17 libxentoollog1 \
		libxentoolcore1 libxencall1 libxenforeignmemory1 libxendevicemodel1; do
		d=$(sh tests/images/fetch-deb.sh "$pkg") || return 1
		for so in "$d"/usr/lib/x86_64-linux-gnu/*.so.*; do
			# Only the sonames (libfoo.so.N), not libfoo.so.N.M copies.
			case $(basename "$so") in *.so.[0-9]|*.so.4.17) ;; *) continue ;; esac
			echo "$so:/usr/lib/x86_64-linux-gnu/$(basename "$so")"
		done
	done
}

# The TSC rate the hypervisor calibrated, from a boot's log.
tsc_of() {
	sed -n 's/^time: TSC \([0-9.]*\) MHz.*/TSC \1 MHz/p; s/^(XEN) Detected \([0-9.]*\) MHz processor.*/TSC \1 MHz/p' "$1" | head -n 1
}

# run NAME MODE HYPERVISOR_ELF [EXTRA_FILES [EXTRA_KARGS]]; DOM0_VCPUS
# (Paravane) and XEN_SMP (Xen) come from the environment.
run() {
	name=$1
	case $name in ${XS_RING_ONLY:-*}) ;; *) return 0 ;; esac
	BOOT_NAME=xsring-$name BOOT_SCRIPT=tests/integration/xenstore-dom0/check.sh:/tests/xenstore-dom0.sh \
	BOOT_PASS='^xenstore-ring: via pipes' BOOT_SHOW='^xenstore-ring:\|^xenstored:' \
	BOOT_EXTRA="$DOM0_XS_FILES ${4:-}" BOOT_KARGS="paravane.xsbench=$N ${5:-}" \
		sh tests/integration/images_boot_test.sh "$2" "$env_file" "$work" "$3" >"$work/xsring-$name.out" 2>&1
	log=$work/xsring-$name-test.log.txt
	echo "$name: $(grep -o 'xenstored: started [^ ]*' "$log" | head -n 1), $(tsc_of "$log")"
	grep '^xenstore-dom0: FAIL' "$log" | head -n 5
	for via in xenbus socket pipes; do
		line=$(grep "^xenstore-ring: via $via " "$log" | tail -n 1)
		if [ -z "$line" ]; then
			echo "xenstore-ring: $name: no figures via $via (see $log)"
			continue
		fi
		# "xenstore-ring: via V n N min_us A median_us B mean_us C p99_us D max_us E"
		set -- $line
		printf '%-32s %-7s %6s %8s %9s %8s %8s %8s\n' "$name$tag" "$3" "$5" "$7" "$9" "${11}" "${13}" "${15}" >>"$work/xsring.table"
	done
}

table=$work/xsring.table
printf '%-32s %-7s %6s %8s %9s %8s %8s %8s\n' setup via n min_us median_us mean_us p99_us max_us >"$table"
xfiles=$(xen_daemon_files) || { echo "xenstore-ring: cannot fetch Xen's xenstored"; xfiles=; }
xargs=paravane.xenstored_bin=/usr/lib/xen-4.17/bin/xenstored
rounds=${XS_RING_ROUNDS:-1}
round=1
while [ "$round" -le "$rounds" ]; do
	tag=
	[ "$round" -gt 1 ] && tag="#$round"
	DOM0_VCPUS=1 run paravane-1vcpu-ours paravane "$BUILD/hypervisor.elf"
	XEN_SMP=1 run xen-1cpu-1vcpu-ours xen "$XEN_ELF"
	DOM0_VCPUS=2 run paravane-2vcpu-ours paravane "$BUILD/hypervisor.elf"
	XEN_SMP=2 run xen-2cpu-2vcpu-ours xen "$XEN_ELF"
	if [ -n "$xfiles" ]; then
		XEN_SMP=1 run xen-1cpu-1vcpu-cxenstored xen "$XEN_ELF" "$xfiles" "$xargs"
		XEN_SMP=2 run xen-2cpu-2vcpu-cxenstored xen "$XEN_ELF" "$xfiles" "$xargs"
	fi
	round=$((round + 1))
done
echo
cat "$table"
echo "(one XS_READ of /local/domain/0/name per round trip, N=$N; the target for Paravane: median <= 300 us via xenbus)"
