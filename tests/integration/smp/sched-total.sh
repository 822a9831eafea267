#!/bin/sh
# sched-total.sh LOG CPUS SECONDS [DOMAIN=CPULIST...]: check a sched_report
# run on several CPUs. The domains together ran on all CPUS for (at least
# 90% of) SECONDS, so shares add up to several CPUs, not one; and each
# DOMAIN=CPULIST names the exact CPUs that domain's vCPUs ran on (hard
# affinity), e.g. d0=0.
set -u
log=$1 cpus=$2 secs=$3
shift 3
rc=0
total=$(sed -n 's/.*sched-report d[0-9]* .*ran_ms=\([0-9]*\).*/\1/p' "$log" | awk '{s += $1} END {print s + 0}')
want=$((cpus * secs * 1000 * 9 / 10))
if [ "$total" -lt "$want" ]; then
	echo "domains ran ${total} ms in all; expected at least ${want} ms (${cpus} CPUs x ${secs} s, 90%)"
	rc=1
else
	echo "domains ran ${total} ms in all on ${cpus} CPUs over ${secs} s: ok"
fi
for pin in "$@"; do
	dom=${pin%%=*} list=${pin#*=}
	got=$(sed -n "s/.*sched-report $dom .*cpus=\([0-9,-]*\).*/\1/p" "$log")
	if [ "$got" = "$list" ]; then
		echo "$dom ran on CPUs $got: ok"
	else
		echo "$dom ran on CPUs '${got}', expected exactly '${list}'"
		rc=1
	fi
done
grep '^sched-report cpus=' "$log"
exit $rc
