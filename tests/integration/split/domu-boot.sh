# Run inside the Dom0 initramfs by /init (paravane.test=): boot the Debian
# DomU (build-domu-rootfs.sh) with Xen 4.17's own toolstack, its root file
# system being QEMU's virtio disk (/dev/vda in Dom0, a throw-away snapshot
# of rootfs.img) handed over as phy:/dev/vda on xvda, a vif on xenbr0.
# Xen's xenconsoled logs the DomU's console; the DomU must reach its
# login prompt on hvc0 and answer ping on 10.0.0.2 over the bridge. This
# checks the root file system image (docs/split-drivers.md "The Debian
# DomU"); on Paravane the same needs our xl create (issue 16).
XLDIR=/usr/lib/xen-4.17
export LD_LIBRARY_PATH=$XLDIR/lib
mkdir -p /var/lib/xen /var/lock /var/log/xen/console /etc/xen /var/run/xen
: >/etc/xen/xl.conf
# our xenstore commands with our libxenstore (Debian's lacks a symbol they use)
xsc() { env -u LD_LIBRARY_PATH "$@"; }
xsc xenstore-write /local/pool/0/name Pool-0
fails=0
fail() { echo "domu-boot: FAIL $*"; fails=$((fails + 1)); }

[ -b /dev/vda ] || fail "no /dev/vda (QEMU's virtio disk with rootfs.img)"
$XLDIR/bin/xenconsoled --log=guest --log-dir=/var/log/xen/console ||
	fail "xenconsoled did not start"
cat >/tmp/debian.cfg <<CFG
name = "debian"
memory = 256
kernel = "/tests/domu-kernel"
ramdisk = "/tests/domu-initrd"
root = "/dev/xvda"
extra = "console=hvc0"
disk = [ 'phy:/dev/vda,xvda,w' ]
vif = [ 'mac=00:16:3e:00:00:10, bridge=xenbr0' ]
CFG
t0=$(date +%s)
$XLDIR/bin/xl create /tmp/debian.cfg 2>&1 | sed 's/^/domu-boot: xl: /'
dom=$($XLDIR/bin/xl domid debian 2>/dev/null)
[ -n "$dom" ] || fail "xl create"
log=/var/log/xen/console/guest-debian.log
# A deadline in seconds (paravane.domu_wait= on Dom0's command line: the boot
# takes minutes under TCG, more on a busy machine).
wait=480
for arg in $(cat /proc/cmdline); do
	case $arg in paravane.domu_wait=*) wait=${arg#paravane.domu_wait=} ;; esac
done
while [ $(( $(date +%s) - t0 )) -lt "$wait" ] && ! grep -q 'login:' "$log" 2>/dev/null; do sleep 2; done
t1=$(date +%s)
grep -q 'login:' "$log" 2>/dev/null && echo "domu-boot: login prompt after $((t1 - t0)) s" ||
	fail "no login prompt after $((t1 - t0)) s"
t2=$(date +%s)
while [ $(( $(date +%s) - t2 )) -lt 60 ] && ! ping -c 1 -W 1 10.0.0.2 >/dev/null 2>&1; do :; done
ping -c 3 10.0.0.2 | sed 's/^/domu-boot: /'
ping -c 1 -W 2 10.0.0.2 >/dev/null 2>&1 || fail "10.0.0.2 does not answer ping"
for d in vbd/51712 vif/0; do
	s=$(xsc xenstore-read /local/domain/$dom/device/$d/state 2>/dev/null)
	[ "$s" = 4 ] || fail "frontend $d state $s, not 4 (Connected)"
done
echo "domu-boot: console, the lines about the root, the network and logins:"
tr -d '\r' <"$log" | grep -a -e xvda -e eth0 -e etwork -e hvc0 -e login -e 'Reached target' |
	cut -c1-160 | sed 's/^/domu-boot: | /'
echo "domu-boot: console tail:"
tail -n 15 "$log" | tr -d '\r' | cut -c1-160 | sed 's/^/domu-boot: | /'
$XLDIR/bin/xl destroy debian
[ $fails = 0 ] && echo "domu-boot: PASS" || echo "domu-boot: FAIL ($fails)"
