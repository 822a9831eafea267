#!/bin/sh
# wake.sh: what a DomU <-> Dom0 round trip costs (issue 17), Paravane (our
# xl; "paravane-old" as before the wake-up work, idle_poll_us=0
# lock_spin_us=0; "paravane" as built; "paravane-poll" with idle_poll_us=200;
# "paravane-spin" without late kicks and lazy shoot-downs, "paravane-kicks"
# with late kicks only)
# and Xen 4.17 (Debian's xl) in the same QEMU (TCG, -smp 2, Dom0 2 vCPUs,
# the DomU 1 vCPU), ROUNDS (default 2) alternating boots (WAKE_SYSTEMS,
# default "paravane-old paravane xen"); bench/dom0/wake-bench.sh in Dom0. Prints each boot's figures with
# the host's load average, and Paravane's wake-up counters per ping.
# Environment from bench/module.mk: PV_FILES, XEN_FILES; WAKE_PINGS
# (default 20). Logs: build/images/wakebench-*-test.log.txt. A boot that
# fails prints the end of its console (with the DomU's console's end).
#
#   sh bench/wake.sh PARAVANE_ELF XEN_ELF
set -u
pv=$1 xen=$2
rounds=${ROUNDS:-2}
pings=${WAKE_PINGS:-20}
r=1
while [ "$r" -le "$rounds" ]; do
	for sys in ${WAKE_SYSTEMS:-paravane-old paravane xen}; do
		# paravane-old: as before this work (no idle polling, the big lock's
		# waiters sleep after 100 turns); paravane-poll: with idle polling
		case $sys in
		paravane) hv=$pv files=$PV_FILES mode=paravane hvargs= ;;
		paravane-old) hv=$pv files=$PV_FILES mode=paravane hvargs="idle_poll_us=0 lock_spin_us=0" ;;
		paravane-poll) hv=$pv files=$PV_FILES mode=paravane hvargs="idle_poll_us=200" ;;
		# the lock work of issue 17 off one part at a time: kicks sent while the
		# big lock is held, shoot-downs waiting for CPUs that wait for the lock
		paravane-spin) hv=$pv files=$PV_FILES mode=paravane hvargs="late_kicks=0 lazy_flush=0" ;;
		paravane-kicks) hv=$pv files=$PV_FILES mode=paravane hvargs="lazy_flush=0" ;;
		*) hv=$xen files=$XEN_FILES mode=xen hvargs= ;;
		esac
		name=wakebench-$sys-$r
		echo "bench-wake: $name ($(date +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
		BOOT_NAME=$name BOOT_SCRIPT=bench/dom0/wake-bench.sh:/tests/wake-bench.sh \
		BOOT_PASS='^wakebench: DONE' BOOT_SHOW='^wakebench:' IMAGES_BOOT_TIMEOUT=1500 \
		XEN_SMP=2 HV_ARGS="$hvargs" BOOT_EXTRA="$files" BOOT_KARGS="wakebench.pings=$pings" \
		INITRAMFS_EXTRA_MODULES="ext4 crc32c_generic" \
		sh tests/integration/images_boot_test.sh "$mode" build/images/kernel.env build/images "$hv" >build/images/$name.out 2>&1
		log=build/images/$name-test.log.txt
		echo "== $name (host load after: $(cut -d' ' -f1-3 /proc/loadavg))"
		# a boot that did not finish or failed: the end of its console, with
		# the DomU's (wake-bench.sh prints it after its FAIL line)
		if ! grep -q '^wakebench: DONE' "$log" 2>/dev/null || grep -q '^wakebench: FAIL' "$log"; then
			echo "$name: the benchmark did not complete; console tail:"
			tail -n 40 "$log" 2>/dev/null || tail -n 40 build/images/$name.out
		fi
		grep -a '^wakebench:' "$log" | grep -v counters
		# the counters of each measurement, per ping (Paravane only)
		grep -a '^wakebench: counters' "$log" | sed 's/^wakebench: counters //'
	done
	r=$((r + 1))
done
