#!/bin/sh
# split-ab.sh ROUNDS NAME=ELF[:HV_ARGS] ...: interleaved before/after boots
# of make bench-split-count (one Paravane boot per variant per round, the
# variants alternating), for a change's figure under a shared host's
# drifting load. Each boot's DomU / Dom0-local ratios (dd 1 MiB direct, the
# mean of its four runs; fio randread 4 KiB QD1; iperf3 each way) on one
# line with the load average, then the counters per unit of work
# (split-count.sh). HV_ARGS (spaces as commas) go on the hypervisor's
# command line, e.g. `idle_poll_us=50`. Environment as bench-split-count's
# recipe (bench/module.mk: PV_FILES, DOMU_IMG, SPLIT_RUNTIME, SPLIT_MB).
#   sh bench/split-ab.sh 2 before=/tmp/a.elf after=build/hypervisor.elf:idle_poll_us=50
set -u
rounds=$1
shift
ratios() {  # LOG -> "dd x randread x tx x rx x"
	tr -d '\r' <"$1" | awk '
	/^splitbench: (local|domu) (dd_read|randread1|iperf_tx|iperf_rx) [0-9.]+$/ { s[$2, $3] += $4; n[$2, $3]++ }
	END {
		split("dd_read randread1 iperf_tx iperf_rx", k, " ")
		for (i = 1; i <= 4; i++) {
			l = n["local", k[i]] ? s["local", k[i]] / n["local", k[i]] : 0
			d = n["domu", k[i]] ? s["domu", k[i]] / n["domu", k[i]] : 0
			printf "%s %.1f/%.1f=%.2f  ", k[i], d, l, (l > 0 ? d / l : 0)
		}
		printf "\n"
	}'
}
r=1
while [ $r -le "$rounds" ]; do
	for v in "$@"; do
		name=${v%%=*} spec=${v#*=}
		elf=${spec%%:*} args=
		[ "$elf" != "$spec" ] && args=$(echo "${spec#*:}" | tr , ' ')
		n=splitab-$name-$r
		HV_ARGS=$args SPLIT_NAME=$n ROUNDS=1 SPLIT_SYSTEMS=paravane SPLIT_COUNT=1 \
			sh bench/split.sh "$elf" - >/dev/null 2>&1
		log=build/images/$n-paravane-1-test.log.txt
		if [ -f "$log" ]; then
			echo "$name round $r ($(cut -d' ' -f1-3 /proc/loadavg)): $(ratios "$log")"
			sh bench/split-count.sh "$log" | sed "s/^/$name $r: /"
		else
			echo "$name round $r: failed (build/images/$n-paravane-1-failed.log.txt)"
		fi
	done
	r=$((r + 1))
done
