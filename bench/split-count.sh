#!/bin/sh
# split-count.sh LOG: make bench-split-count's counters per unit of work.
# For each counted point (Dom0-local and DomU: "splitbench: [local ]counters
# POINT: ..." lines, window_cs its length), the counts less the idle
# window's rate over the same length (the background: the other domain's
# timers, Dom0's own polling loop; not for idle halts, which the idle
# window has because nothing else runs), divided by the point's work: MiB for
# dd (NAME_mib), requests for fio (NAME_ios), MB for iperf3 (Mbit/s x
# SPLIT_RUNTIME / 8, read from the kernel command line). Prints one row
# per point and side: hypercalls in all and the largest by number, events
# sent, wake-ups by event, their mean wake-to-run latency, idle halts,
# switches, event-check IPIs, contended big-lock acquisitions and the time
# waited for the lock and for TLB-flush answers (us).
set -u
log=$1
tr -d '\r' <"$log" | awk '
function val(line, key,    i, n, f) {
	n = split(line, f, " ")
	for (i = 1; i <= n; i++)
		if (index(f[i], key "=") == 1)
			return substr(f[i], length(key) + 2) + 0
	return 0
}
/splitbench.runtime=/ && !runtime { match($0, /splitbench.runtime=[0-9]+/); runtime = substr($0, RSTART + 19, RLENGTH - 19) }
/^splitbench: (local|domu) [a-z_0-9]+ [0-9.]+$/ {
	side = $2 == "local" ? "local" : "domu"
	work[side, $3] = $4
}
/^splitbench: (local )?counters [a-z_0-9]+: / {
	side = $2 == "local" ? "local" : "domu"
	p = side == "local" ? $4 : $3
	sub(/:$/, "", p)
	line = $0
	sub(/^.*counters [a-z_0-9]+: /, "", line)
	grp = line
	sub(/:.*/, "", grp)
	if (!((side, p) in seen)) { seen[side, p] = 1; order[++np] = side SUBSEP p }
	if (grp ~ /^window_cs=/) { win[side, p] = val(line, "window_cs"); next }
	if (grp == "hypercalls") {
		n = split(line, f, " ")
		for (i = 2; i <= n; i++) { split(f[i], kv, "="); hc[side, p, kv[1]] = kv[2]; hcall[side, p] += kv[2]; nrs[kv[1]] = 1 }
		next
	}
	c[side, p, "send"] += val(line, "send")
	c[side, p, "wake_event"] += grp == "wakes" ? val(line, "event") : 0
	if (grp == "latency") { c[side, p, "lat_n"] = val(line, "n"); c[side, p, "lat_mean"] = val(line, "mean_us") }
	if (grp == "lock") { c[side, p, "contended"] = val(line, "contended"); c[side, p, "lock_us"] = val(line, "waited_us") }
	if (grp == "cpus") {
		c[side, p, "idle"] = val(line, "idle"); c[side, p, "switches"] = val(line, "switches")
		c[side, p, "ipi"] = val(line, "ipi_sent"); c[side, p, "flush_us"] = val(line, "tlb_flush_wait_us")
	}
}
END {
	split("send wake_event idle switches ipi contended lock_us flush_us", keys, " ")
	printf "%-6s %-10s %-8s %9s %8s %7s %7s %8s %7s %9s %7s %8s %9s %9s  %s\n", "side", "point", "per", "units",
		"hcalls", "sends", "wakes", "lat_us", "halts", "switches", "IPIs", "lockwait", "lock_us", "flush_us", "largest hypercalls (number=count)"
	for (o = 1; o <= np; o++) {
		split(order[o], sp, SUBSEP); side = sp[1]; p = sp[2]
		if (p == "idle" || !win[side, p]) continue
		if (p == "dd_read") { u = work[side, "dd_read_mib"]; per = "MiB" }
		else if (p == "randread1") { u = work[side, "randread1_ios"]; per = "request" }
		else if (p ~ /^iperf/) { u = work[side, p] * runtime / 8; per = "MB" }
		else continue
		if (u <= 0) continue
		bw = win[side, "idle"] ? win[side, p] / win[side, "idle"] : 0
		bh = hcall[side, "idle"] * bw
		printf "%-6s %-10s %-8s %9.0f %8.1f", side, p, per, u, (hcall[side, p] - bh) / u
		for (k = 1; k <= 8; k++) {
			key = keys[k]
			v = (c[side, p, key] - (key == "idle" ? 0 : c[side, "idle", key] * bw)) / u
			if (k == 2) { printf " %7.2f %8d", v, c[side, p, "lat_mean"]; continue }
			printf (key ~ /_us$/ ? " %9.0f" : (k == 5 ? " %9.2f" : " %7.2f")), v
		}
		top = ""
		for (nr in nrs) {
			v = (hc[side, p, nr] - hc[side, "idle", nr] * bw) / u
			if (v >= 0.05 * (hcall[side, p] - bh) / u && v > 0.1) top = top sprintf(" %s=%.1f", nr, v)
		}
		printf " %s\n", top
	}
}'
