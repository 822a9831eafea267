#!/bin/sh
# with-hogs.sh CMD...: run CMD with two CPU hogs beside it on the host (as
# many as QEMU's two guest CPUs), at CMD's own niceness, so the hypervisor
# under test runs on a host CPU it gets only part of the time: timers fire
# late, vCPUs are descheduled mid-instruction by the host. Exits with CMD's
# status; the hogs are stopped, by their ids, whatever happens.
hogs=""
stop_hogs() {
	for p in $hogs; do kill "$p" 2>/dev/null; done
	hogs=""
}
trap stop_hogs EXIT
trap 'stop_hogs; exit 130' INT TERM
for _ in 1 2; do
	sh -c 'while :; do :; done' &
	hogs="$hogs $!"
done
echo "with-hogs: two CPU hogs ($hogs ) beside: $*"
"$@"
rc=$?
stop_hogs
exit $rc
