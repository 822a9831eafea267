#!/bin/sh
# sched-total.sh LOG CPUS SECONDS TOLERANCE WEIGHTS [DOMAIN=CPULIST...]:
# check a sched_report run on several CPUs.
#  - The domains together ran on all CPUS for at least 90% of SECONDS: the
#    shares add up to several CPUs, not one.
#  - Domain i's share of what ran is weight i / sum of WEIGHTS (a comma
#    list), within TOLERANCE percent (relative). Each test domain has one
#    vCPU, so the weights must ask for at most one CPU each.
#  - Each DOMAIN=CPULIST names exactly the CPUs that domain's vCPUs ran on
#    (hard affinity), e.g. d0=0. A pinned domain competes only on its own
#    CPUs, so its share is not checked against the weights (the others' are).
# The tolerance is wider than sched-shares.sh's 5%: on a 2-core host, QEMU's
# emulated CPUs are threads the host schedules unevenly.
set -u
log=$1 cpus=$2 secs=$3 tol=$4 weights=$5
shift 5
rc=0
total=$(sed -n 's/.*sched-report d[0-9]* .*ran_ms=\([0-9]*\).*/\1/p' "$log" | awk '{s += $1} END {print s + 0}')
want=$((cpus * secs * 1000 * 9 / 10))
if [ "$total" -lt "$want" ]; then
	echo "domains ran ${total} ms in all; expected at least ${want} ms (${cpus} CPUs x ${secs} s, 90%)"
	rc=1
else
	echo "domains ran ${total} ms in all on ${cpus} CPUs over ${secs} s: ok"
fi
sum=0
for w in $(echo "$weights" | tr , ' '); do sum=$((sum + w)); done
id=0
for w in $(echo "$weights" | tr , ' '); do
	got=$(sed -n "s/.*sched-report d$id weight=[0-9]* cap=[0-9]* ran_ms=[0-9]* share_permille=\([0-9]*\).*/\1/p" "$log")
	exp=$((w * 1000 / sum))
	case " $* " in
	*" d$id="*) echo "d$id: share ${got} permille (pinned: not checked)"; id=$((id + 1)); continue ;;
	esac
	if [ -z "$got" ]; then
		echo "d$id: no sched-report line"
		rc=1
	elif [ $(( (got - exp) * 100 )) -gt $((exp * tol)) ] || [ $(( (exp - got) * 100 )) -gt $((exp * tol)) ]; then
		echo "d$id: share ${got} permille, expected ${exp} (weight $w of $sum) within ${tol}%"
		rc=1
	else
		echo "d$id: share ${got} permille, expected ${exp}: ok"
	fi
	id=$((id + 1))
done
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
