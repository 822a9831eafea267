#!/bin/sh
# sched-shares.sh LOG WEIGHT0 WEIGHT1...: check the sched-report lines of a
# run against the weights: each domain's share within 5% (relative) of
# weight / sum of weights.
set -u
log=$1
shift
sum=0
for w in "$@"; do sum=$((sum + w)); done
id=0
rc=0
for w in "$@"; do
	got=$(sed -n "s/.*sched-report d$id weight=[0-9]* cap=[0-9]* ran_ms=[0-9]* share_permille=\([0-9]*\).*/\1/p" "$log")
	want=$((w * 1000 / sum))
	if [ -z "$got" ]; then
		echo "d$id: no sched-report line"
		rc=1
	elif [ $(( (got - want) * 100 )) -gt $((want * 5)) ] || [ $(( (want - got) * 100 )) -gt $((want * 5)) ]; then
		echo "d$id: share ${got} permille, expected ${want} (weight $w of $sum) within 5%"
		rc=1
	else
		echo "d$id: share ${got} permille, expected ${want}: ok"
	fi
	id=$((id + 1))
done
exit $rc
