# Sourced as /tests/bench-lib.sh by the in-Dom0 benchmark scripts
# (split-bench.sh, xl-bench.sh; busybox sh): the clock and the toolstack.
# Clock: Dom0's /proc/uptime (10 ms steps).
now_s() { cut -d. -f1 /proc/uptime; }
now_ms() { read -r u _ </proc/uptime; echo "$u" | awk '{ printf "%d", $1 * 1000 }'; }

# bench_toolstack TAG: XL is Debian's xl with Xen's xenconsoled (started
# here) when the image has them (/usr/lib/xen-4.17/bin/xl, on Xen 4.17),
# else ours (the image's rc script started our xenconsoled); says which
# as "TAG: ...". CONSLOG: where xenconsoled logs the guests' consoles.
CONSLOG=/var/log/xen/console
bench_toolstack() {
	mkdir -p /var/lib/xen /var/lock /var/log/xen /etc/xen /var/run/xen "$CONSLOG"
	if [ -x /usr/lib/xen-4.17/bin/xl ]; then
		XL="env LD_LIBRARY_PATH=/usr/lib/xen-4.17/lib /usr/lib/xen-4.17/bin/xl"
		: >/etc/xen/xl.conf
		xenstore-write /local/pool/0/name Pool-0
		env LD_LIBRARY_PATH=/usr/lib/xen-4.17/lib /usr/lib/xen-4.17/bin/xenconsoled \
			--log=guest --log-dir="$CONSLOG" --pid-file=/run/xenconsoled.pid
		echo "$1: Debian's xl (libxl) and xenconsoled"
	else
		XL=/usr/sbin/xl
		echo "$1: our xl and xenconsoled"
	fi
}
