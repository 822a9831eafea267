#!/bin/sh
# campaign.sh HOURS JOBS LEDGER OUTDIR SLICE KEEP HARNESS...
#   HARNESS = name:binary:corpus:max_len[:dict]
# A long fuzzing campaign that shares the machine: JOBS workers, each running
# the harnesses round-robin (each from its own place in the list) for SLICE seconds of
# wall time each, all under SCHED_IDLE (`chrt --idle 0`: they get a CPU only
# when nothing else wants it), until HOURS of wall time have passed. The
# binaries are copied first, so a rebuild meanwhile does not change what runs.
# Per run, one line is appended to LEDGER:
#   date commit harness cpu_s execs cov=A->B new=N result
# (new: inputs the run added to the campaign corpus, cov: libFuzzer's cov
# at the start and the end of the run)
# cpu_s is user+system time from /usr/bin/time (not wall time, which counts
# every second someone else had the CPU); commit is HEAD at the start, with
# "+" when the tree differed from it outside the corpora and the ledger.
# Each harness fuzzes from its own campaign corpus (OUTDIR/corpus/NAME, kept
# across slices and runs); at the end at most KEEP of its inputs, those that
# add the most coverage to the harness's corpus in the tree (libFuzzer
# -merge=1's feature lists, campaign_pick.py), are copied into it. A finding
# (crash, leak, timeout, out of memory) is copied to OUTDIR/findings/ and
# named in its ledger line; the campaign goes on with the other harnesses.
# `campaign.sh --sum LEDGER` adds up the CPU hours per harness and commit.
set -u
if [ "${1:-}" = "--sum" ]; then
	awk '$1 !~ /^#/ && NF >= 6 { cpu[$2 " " $3] += $4; ex[$2 " " $3] += $5; n[$2 " " $3]++;
	     if ($NF != "ok") bad[$2 " " $3]++ }
	     END { for (k in cpu) { c = substr(k, 1, index(k, " ") - 1); all[c] += cpu[k]; nall[c] += n[k]
	           printf "%-12s %-18s %7.2f CPU h %12d execs %4d runs %d findings\n",
	           c, substr(k, index(k, " ") + 1), cpu[k] / 3600, ex[k], n[k], bad[k] }
	           for (c in all) printf "%-12s %-18s %7.2f CPU h %17s %4d runs\n", c, "(all)", all[c] / 3600, "", nall[c] }' \
		"$2" | sort
	exit 0
fi
hours=$1 jobs=$2 ledger=$3 out=$4 slice=$5 keep=$6
shift 6
# CAMPAIGN_IDLE= (empty) runs at the caller's priority: e.g. HOURS=0, only the
# merge of an earlier campaign's corpora, on a machine too busy for SCHED_IDLE
idle=${CAMPAIGN_IDLE-chrt --idle 0}
end=$(( $(date +%s) + $(awk "BEGIN { printf \"%d\", $hours * 3600 }") ))
commit=$(git rev-parse --short HEAD)
git diff --quiet HEAD -- . ':!tests/fuzz/*_corpus' ':!tests/fuzz/campaign-ledger.txt' || commit="$commit+"
mkdir -p "$out/bin" "$out/findings" "$out/corpus"
for h in "$@"; do
	name=${h%%:*} rest=${h#*:}
	cp "${rest%%:*}" "$out/bin/$name" || exit 1
done
echo "campaign: $# harnesses, $jobs workers, ${slice}s slices, until $(date -u -d @$end +%H:%M) UTC, commit $commit"

# run NAME CORPUS MAXLEN DICT WORKER: one slice of one harness, from and into
# its campaign corpus (OUTDIR/corpus/NAME, which starts as the tree's), then its ledger line
run() {
	name=$1 corpus=$2 maxlen=$3 dict=$4 w=$5
	left=$(( end - $(date +%s) ))
	[ $left -gt $slice ] && left=$slice
	[ $left -lt 10 ] && return 1
	dir=$out/w$w/$name work=$out/corpus/$name
	rm -rf "$dir" && mkdir -p "$dir"
	[ -d "$work" ] || { mkdir -p "$work" && cp "$corpus"/* "$work/"; }
	before=$(ls "$work" | wc -l)
	$idle /usr/bin/time -f '%U %S' -o "$dir/time" "$out/bin/$name" -seed=0 -max_total_time=$left \
		-timeout=120 -max_len="$maxlen" ${dict:+-dict=$dict} -print_final_stats=1 -artifact_prefix="$dir/" \
		"$work" >"$dir/log" 2>&1
	rc=$?
	cpu=$(awk 'NF == 2 { printf "%.0f", $1 + $2 }' "$dir/time")
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log")
	cov0=$(sed -n 's/.*INITED cov: \([0-9]*\).*/\1/p' "$dir/log" | head -1)
	cov1=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' "$dir/log" | tail -1)
	result=ok
	if [ $rc -ne 0 ]; then
		result="exit$rc"
		for f in "$dir"/crash-* "$dir"/leak-* "$dir"/timeout-* "$dir"/oom-* "$dir"/slow-unit-*; do
			[ -e "$f" ] || continue
			cp "$f" "$out/findings/$name-$(basename "$f")"
			cp "$dir/log" "$out/findings/$name-$(basename "$f").log"
			result="FINDING:$out/findings/$name-$(basename "$f")"
		done
	fi
	flock "$out/ledger.lock" sh -c 'echo "$1" >>"$2"' sh \
		"$(date -u +%Y-%m-%dT%H:%M) $commit $name ${cpu:-0} ${execs:-0} cov=${cov0:-?}->${cov1:-?} new=$(( $(ls "$work" | wc -l) - before )) $result" \
		"$ledger"
	return 0
}

# merge NAME CORPUS MAXLEN: at most $keep of the campaign corpus's inputs, those
# adding the most coverage to the tree's corpus (campaign_pick.py), go into it.
merge() {
	name=$1 corpus=$2 maxlen=$3 m=$out/merge/$1
	[ -d "$out/corpus/$name" ] || return 0
	rm -rf "$m" && mkdir -p "$m/seeds" && cp "$corpus"/* "$m/seeds/"
	$idle "$out/bin/$name" -merge=1 -max_len="$maxlen" -merge_control_file="$m/control" \
		"$m/seeds" "$out/corpus/$name" >"$m/log" 2>&1 || { echo "$name: merge failed ($m/log)"; return 0; }
	echo "$name: $(python3 "$(dirname "$0")/campaign_pick.py" "$m/control" "$corpus" "$keep") inputs added to $corpus"
}

# worker J: starts J/JOBS of the way round the list, so that workers seldom run one harness together
worker() {
	w=$1
	shift
	i=$(( w * $# / jobs ))
	while [ "$(date +%s)" -lt $(( end - 10 )) ]; do
		eval "h=\${$(( i % $# + 1 ))}"
		name=${h%%:*} rest=${h#*:}
		rest=${rest#*:}
		corpus=${rest%%:*} rest=${rest#*:}
		maxlen=${rest%%:*} dict=
		[ "$rest" != "$maxlen" ] && dict=${rest#*:}
		run "$name" "$corpus" "$maxlen" "$dict" "$w" || break
		i=$(( i + 1 ))
	done
}

pids=
j=0
while [ $j -lt "$jobs" ]; do
	worker $j "$@" &
	pids="$pids $!"
	j=$(( j + 1 ))
done
for p in $pids; do wait "$p"; done
for h in "$@"; do
	name=${h%%:*} rest=${h#*:}
	rest=${rest#*:}
	merge "$name" "${rest%%:*}" "$(echo "${rest#*:}" | cut -d: -f1)"
done
echo "campaign: done at $(date -u +%H:%M) UTC"
sh "$0" --sum "$ledger"
ls "$out/findings" | grep -v '\.log$' && exit 1
exit 0
