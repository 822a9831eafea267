# Run inside the Dom0 initramfs by /init (paravane.test=): the xl
# transcript. Each line of /tests/xl.cmds is run as "xl LINE"; its output
# (stdout and stderr together) and exit status are printed with the prefix
# "xlt: ", which run.sh extracts from the console log. The xl run is ours
# (/usr/sbin/xl), or Debian's Xen 4.17 xl when the image carries it
# (/usr/lib/xen-4.17/bin/xl with its libraries in /usr/lib/xen-4.17/lib:
# the reference transcript).
XL=/usr/sbin/xl
if [ -x /usr/lib/xen-4.17/bin/xl ]; then
	XL=/usr/lib/xen-4.17/bin/xl
	export LD_LIBRARY_PATH=/usr/lib/xen-4.17/lib
	# what Debian's xen-utils-common and xencommons would have made
	mkdir -p /var/lib/xen /var/lock /var/log/xen /etc/xen /var/run/xen
	: >/etc/xen/xl.conf
fi
if ! dom=$(/tests/xl-testdom xltest); then
	echo "xl-test: FAIL (xl-testdom could not make the test domain)"
	exit 1
fi
echo "xl-test: xltest is domain $dom, xl is $XL"
while read -r line; do
	case $line in '' | '#'*) continue ;; esac
	echo "xlt: \$ xl $line"
	# shellcheck disable=SC2086 # the line's words are the arguments
	$XL $line >/tmp/xl.out 2>&1 </dev/null
	rc=$?
	# Xen's xl prints a NUL byte for an unknown long option
	# ("option `\0' not supported."): shown as @
	tr '\000' '@' </tmp/xl.out | sed 's/^/xlt: /'
	echo "xlt: [exit $rc]"
done </tests/xl.cmds
# How long `xl list` takes (issue 16 sets a target): 20 runs, timed with
# /proc/uptime's hundredths; not part of the transcript.
centis() { read -r up _ </proc/uptime; echo "${up%.*}${up#*.}"; }
t0=$(centis)
i=0
while [ $i -lt 20 ]; do $XL list >/dev/null 2>&1; i=$((i + 1)); done
t1=$(centis)
echo "xl-test: xl list: $(( (t1 - t0) * 10 / 20 )) ms a run (20 runs)"
echo "xl-test: DONE"
