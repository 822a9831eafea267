# Run inside the Dom0 initramfs by /init (paravane.test=): the transcript
# of the xl commands of issue 16 beyond create/shutdown/reboot (dmesg,
# vcpu-list, vcpu-pin, vcpu-set, mem-set, mem-max, sched-credit, top,
# console). Each line of /tests/xlops.cmds is "xl LINE", or, after "!",
# a shell line run with $XL set (for what needs a pipe or a look at
# xenstore). Output (stdout and stderr together) and exit status go to the
# console with the prefix "xlt: ", which run.sh extracts. The xl is ours,
# or Debian's Xen 4.17 xl when the image carries it (the reference); for
# the reference "top ARGS" runs xentop ARGS, which is what Xen's `xl top`
# runs (without arguments: it has no batch mode of its own). $REF is set
# for the reference, for "!" lines that only make sense with ours (they
# print "(ours only)" there).
XL=/usr/sbin/xl
ref=
export REF=
if [ -x /usr/lib/xen-4.17/bin/xl ]; then
	ref=1
	REF=1
	XL=/usr/lib/xen-4.17/bin/xl
	export LD_LIBRARY_PATH=/usr/lib/xen-4.17/lib
	export PATH=/usr/lib/xen-4.17/bin:$PATH
	mkdir -p /var/lib/xen /var/lock /var/log/xen /etc/xen /var/run/xen
	: >/etc/xen/xl.conf
fi
export XL
if ! dom=$(/tests/xl-testdom xltest); then
	echo "xl-test: FAIL (xl-testdom could not make the test domain)"
	exit 1
fi
echo "xl-test: xltest is domain $dom, xl is $XL"
while read -r line; do
	case $line in '' | '#'*) continue ;; esac
	case $line in
	'!'*)
		echo "xlt: \$ ${line#!}"
		timeout 20 sh -c "${line#!}" >/tmp/xl.out 2>&1 </dev/null
		;;
	top\ -b*)
		echo "xlt: \$ xl $line"
		if [ -n "$ref" ]; then
			# shellcheck disable=SC2086 # the line's words are the arguments
			timeout 20 xentop ${line#top} >/tmp/xl.out 2>&1 </dev/null
		else
			# shellcheck disable=SC2086
			timeout 20 $XL $line >/tmp/xl.out 2>&1 </dev/null
		fi
		;;
	*)
		echo "xlt: \$ xl $line"
		# shellcheck disable=SC2086 # the line's words are the arguments
		timeout 20 $XL $line >/tmp/xl.out 2>&1 </dev/null
		;;
	esac
	rc=$?
	tr '\000' '@' </tmp/xl.out | sed 's/^/xlt: /'
	echo "xlt: [exit $rc]"
done </tests/xlops.cmds
echo "xl-test: DONE"
