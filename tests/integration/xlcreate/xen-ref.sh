# Run inside a Dom0 on Xen 4.17 with Debian's own xl (xen-xl-files.sh):
# record what Xen's xl and libxl do for `xl create` of a PV guest, the
# reference our xl create follows (tests/integration/xlcreate/README).
# Every line of interest is printed with the prefix "xcr: ".
XL="env LD_LIBRARY_PATH=/usr/lib/xen-4.17/lib /usr/lib/xen-4.17/bin/xl"
mkdir -p /var/lib/xen /var/lock /var/log/xen /etc/xen /var/run/xen
: >/etc/xen/xl.conf
# what xen-init-dom0 writes besides the name (libxl needs the pool)
xenstore-write /local/pool/0/name Pool-0
# libxl waits for the console's tty node, which xenconsoled writes
env LD_LIBRARY_PATH=/usr/lib/xen-4.17/lib /usr/lib/xen-4.17/bin/xenconsoled --pid-file=/run/xenconsoled.pid
sleep 1
say() { echo "xcr: $*"; }
run() {
	say "\$ $*"
	"$@" >/tmp/out 2>&1 </dev/null
	rc=$?
	sed 's/^/xcr: /' /tmp/out
	say "[exit $rc]"
}
cat >/etc/xen/ref.cfg <<'EOF'
name = "ref"
uuid = "6a3b1e3c-2b5e-4a3e-9e41-0c4f1d2a7b10"
memory = 256
maxmem = 320
vcpus = 2
maxvcpus = 3
kernel = "/tests/domu-vmlinuz"
cmdline = "console=hvc0 panic=-1"
on_poweroff = "destroy"
on_reboot = "restart"
on_crash = "preserve"
EOF
run xenstore-ls -fp /
run $XL create -p /etc/xen/ref.cfg
run $XL list
run xenstore-ls -fp /local/domain/1
run xenstore-ls -fp /vm
run xenstore-ls -fp /libxl
run xenstore-ls -fp /local/domain/0
run ps
# the error paths
run $XL create -p /etc/xen/ref.cfg
run $XL create -p /etc/xen/ref.cfg 'name="big"' memory=100000 maxmem=100000
run $XL create -p /etc/xen/ref.cfg 'name="nokernel"' 'kernel="/nonexistent"'
printf 'garbage\n' >/tmp/bad-kernel
run $XL create -p /etc/xen/ref.cfg 'name="badkernel"' 'kernel="/tmp/bad-kernel"'
printf 'name = "x"\nmemory = = 3\n' >/etc/xen/bad.cfg
run $XL create /etc/xen/bad.cfg
run $XL create /etc/xen/nonexistent.cfg
run $XL create
run $XL create -n /etc/xen/ref.cfg 'name="dry"'
run $XL list
run xenstore-ls -fp /local/domain
# shutdown of a paused guest with no PV drivers up yet
run $XL shutdown ref
run xenstore-ls -fp /local/domain/1/control
run $XL reboot ref
run xenstore-ls -fp /local/domain/1/control
run $XL shutdown -F ref
run $XL shutdown nosuch
run $XL shutdown
run $XL destroy ref
sleep 1
run $XL list
run xenstore-ls -fp /
run ps
# a guest that runs: the kernel panics with no root (on_crash)
run $XL create /etc/xen/ref.cfg 'name="crashy"' 'on_crash="preserve"'
i=0
while [ $i -lt 90 ]; do
	sleep 2
	i=$((i + 2))
	$XL list crashy 2>/dev/null | grep -q 'c-' && break
done
say "waited ${i}s"
run $XL list
run xenstore-ls -fp /local/domain
run $XL shutdown -w crashy
run $XL destroy crashy
run $XL create /etc/xen/ref.cfg 'name="restarty"' 'on_crash="restart"'
sleep 60
run $XL list
run xenstore-ls -f /local/domain
run xenstore-ls -f /vm
run ps
run ls -l /var/log/xen
for f in /var/log/xen/*; do run cat "$f"; done
echo "xen-ref: DONE"
