#!/bin/sh
# /init of the Paravane Dom0 initramfs (busybox sh, PID 1).
#
# Order: pseudo file systems, console, xenfs, modules, hook scripts, then the
# marker line that tests and bench/boot-time.sh wait for, then either the test
# script named by paravane.test= (followed by a power-off) or a shell.
# PID 1 must never exit (the kernel panics), hence the loops at the end.
export PATH=/sbin:/bin:/usr/sbin:/usr/bin

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts /tmp /run
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /tmp

# The console the kernel gave us is /dev/console; re-open it now that
# devtmpfs is mounted, in case the initramfs node was missing.
exec 0<>/dev/console 1>&0 2>&0

cmdline=$(cat /proc/cmdline)
hypervisor=$(cat /sys/hypervisor/type 2>/dev/null)

# Console for the interactive shell: the last console= on the command line
# (that is the one /dev/console follows), else hvc0 on Xen, else ttyS0.
console=
test_script=
for arg in $cmdline; do
	case $arg in
	console=*) console=${arg#console=}; console=${console%%,*} ;;
	paravane.test=*) test_script=${arg#paravane.test=} ;;
	esac
done
if [ -z "$console" ] || [ ! -e "/dev/$console" ]; then
	if [ "$hypervisor" = xen ]; then console=hvc0; else console=ttyS0; fi
fi

echo "paravane-dom0: kernel $(uname -r), hypervisor ${hypervisor:-none}, console $console"

# Modules come with their own modules.dep (built by depmod at image build
# time), so modprobe pulls in dependencies. A failure is reported, not fatal:
# a bare boot has no Xen, and the xen* modules are skipped there.
if [ -f /etc/paravane/modules ]; then
	failed=
	skipped=
	while read -r mod; do
		[ -n "$mod" ] || continue
		case $mod in
		xen*) [ "$hypervisor" = xen ] || { skipped="$skipped $mod"; continue; } ;;
		esac
		modprobe "$mod" 2>/tmp/modprobe.err || {
			failed="$failed $mod"
			echo "paravane-dom0: modprobe $mod failed: $(head -n 1 /tmp/modprobe.err)"
		}
	done </etc/paravane/modules
	echo "paravane-dom0: modules loaded${failed:+, failed:$failed}${skipped:+, skipped (not on Xen):$skipped}"
fi

if grep -qw xenfs /proc/filesystems; then
	mkdir -p /proc/xen
	mount -t xenfs xenfs /proc/xen ||
		echo "paravane-dom0: mounting xenfs on /proc/xen failed"
fi

# Hooks for later work (xenstored, xenconsoled, test programs).
for hook in /etc/init.d/rc.paravane /etc/init.d/rc.paravane.d/*; do
	[ -f "$hook" ] || continue
	echo "paravane-dom0: running $hook"
	sh "$hook" || echo "paravane-dom0: $hook exited with $?"
done

# busybox's poweroff/reboot/halt without -f only signal PID 1, which is
# this script, busy in a foreground command: a login shell gets the -f forms
# (for poweroff, Linux then asks the hypervisor for ACPI S5).
cat >/etc/profile <<'PROFILE'
poweroff() { sync; busybox poweroff -f; }
reboot() { sync; busybox reboot -f; }
halt() { sync; busybox halt -f; }
PROFILE

echo "paravane-dom0: init reached"

if [ -n "$test_script" ]; then
	echo "paravane-test: running $test_script"
	if [ -f "$test_script" ]; then
		sh "$test_script"
		echo "paravane-test: $test_script exited with $?"
	else
		echo "paravane-test: $test_script: no such file in the initramfs"
	fi
	sync
	poweroff -f
	while :; do sleep 60; done
fi

while :; do
	setsid -c sh -l <"/dev/$console" >"/dev/$console" 2>&1
	echo "paravane-dom0: shell exited, starting another"
	sleep 1
done
