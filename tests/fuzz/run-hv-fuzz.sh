#!/bin/sh
# run-hv-fuzz.sh FUZZER CORPUS OUTDIR SECONDS
# Replay every input of the seed corpus, then fuzz for SECONDS from a scratch
# copy of it in OUTDIR (the tree is not modified). Exit 0 when nothing
# failed; else print the violation or sanitizer report and the reproducer's
# path. HV_FUZZ_SEED (default 1) fixes libFuzzer's mutation sequence, so that
# `make test` explores the same inputs run after run (only how many it
# reaches in SECONDS varies with the machine's speed); 0 picks a new one
# (`make fuzz`). HV_FUZZ_MAX_LEN (default 512) bounds an input's size.
set -u
fuzzer=$1 corpus=$2 out=$3 secs=$4
rm -rf "$out" && mkdir -p "$out/corpus"
cp "$corpus"/* "$out/corpus/"
log=$out/fuzz.log
# Each input on its own (a directory replay would not name the one that fails).
for f in "$corpus"/*; do
	if ! "$fuzzer" "$f" >"$out/replay.log" 2>&1; then
		grep -A3 'INVARIANT VIOLATED\|ERROR: \|SUMMARY' "$out/replay.log" | head -30
		echo "reproducer: $f (replay: HV_FUZZ_TRACE=1 $fuzzer $f)"
		echo "$(basename "$fuzzer"): corpus input $f fails (log: $out/replay.log)"
		exit 1
	fi
done
"$fuzzer" -seed="${HV_FUZZ_SEED:-1}" -max_total_time="$secs" -max_len="${HV_FUZZ_MAX_LEN:-512}" -print_final_stats=1 \
	-artifact_prefix="$out/" "$out/corpus" >"$log" 2>&1
rc=$?
if [ $rc -ne 0 ]; then
	grep -A3 'INVARIANT VIOLATED\|ERROR: \|SUMMARY' "$log" | head -30
	for f in "$out"/crash-* "$out"/leak-* "$out"/timeout-* "$out"/oom-*; do
		[ -e "$f" ] && echo "reproducer: $f (replay: HV_FUZZ_TRACE=1 $fuzzer $f)"
	done
fi
grep -E 'stat::number_of_executed_units|cov: ' "$log" | tail -2
echo "$(basename "$fuzzer"): exit $rc after ${secs}s (log: $log)"
exit $rc
