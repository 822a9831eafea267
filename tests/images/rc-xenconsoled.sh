# /etc/init.d/rc.paravane.d/20-xenconsoled: start the console daemon in
# Dom0 after xenstored (run by /init, busybox sh), as Xen's xencommons
# does: every guest's console ring logged to
# /var/log/xen/console/guest-NAME.log and offered on a pty whose path it
# writes to /local/domain/N/console/tty, where `xl console` finds it; the
# hypervisor's own log to /var/log/xen/console/hypervisor.log.
# Kernel argument paravane.xenconsoled=ARG,ARG... adds daemon options.
if [ ! -S /run/xenstored/socket ] || [ ! -s /run/xenstored.pid ]; then
	echo "xenconsoled: xenstored is not running, not started"
	exit 0
fi
args=
for arg in $(cat /proc/cmdline); do
	case $arg in
	paravane.xenconsoled=*) args=$(echo "${arg#paravane.xenconsoled=}" | tr , ' ') ;;
	esac
done
mkdir -p /var/log/xen/console
# shellcheck disable=SC2086 # the options are words
if ! /usr/sbin/xenconsoled --log=all --log-dir=/var/log/xen/console \
	--pid-file=/run/xenconsoled.pid $args; then
	echo "xenconsoled: failed to start"
	exit 1
fi
i=0
while [ ! -s /run/xenconsoled.pid ] && [ $i -lt 50 ]; do usleep 100000; i=$((i + 1)); done
echo "xenconsoled: started (pid $(cat /run/xenconsoled.pid 2>/dev/null))"
