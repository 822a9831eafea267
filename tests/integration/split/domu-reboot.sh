#!/bin/sh
# /sbin/reboot of the agent DomU (domu-agent-init.sh): the kernel runs it
# when the toolstack asks for a reboot (xl reboot). busybox's own reboot
# would only signal PID 1, a shell that ignores it: here the filesystems
# are unmounted (their data written) and the kernel restarts.
/bin/busybox sync
/bin/busybox umount -a -r 2>/dev/null
exec /bin/busybox reboot -f
