#!/bin/sh
# build-domu-rootfs.sh [OUTDIR]
#
# A real DomU (docs/split-drivers.md "The Debian DomU"): a Debian 12 root
# file system built with mmdebstrap from Debian's archive into an ext4
# image, and a small initramfs that mounts it from xvda. Written to OUTDIR
# (default $CACHE/domu, outside the repository, since the image is 1 GiB):
#
#   rootfs.img   ext4 (label paravane-domu), 1 GiB sparse: systemd, a root
#                login with no password on hvc0, eth0 10.0.0.2/24 through
#                systemd-networkd, fio, iperf3, netcat-openbsd, the Dom0
#                kernel's modules. The login is on /dev/console
#                (console-getty, the only getty on it: the one systemd's
#                generator adds for hvc0 waits for udev, which under TCG
#                can take longer than systemd waits); the kernel's interface names are kept (eth0, not
#                enX0); no gettys on virtual terminals (a PV DomU has none)
#                and no periodic jobs (scrubbing, apt, trim), which would
#                slow boots and disturb measurements
#   initrd.gz    busybox /init (domu-init.sh): loads xen-blkfront,
#                xen-netfront, ext4 and crc32c, mounts root= and switches to it
#   vmlinuz      the Dom0 kernel (fetch-kernel.sh), the DomU's kernel too
#   domu.cfg     an xl.cfg for it (disk on xvda, a vif on xenbr0)
#
# Slow (minutes; apt downloads are kept in $CACHE/domu-debs for the next
# run), so `make domu-rootfs` runs it, not `make test`. Needs root (mknod
# and chroot inside mmdebstrap) and mmdebstrap (installed when missing).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
CACHE=${CACHE:-$HOME/.cache/paravane}
out=${1:-$CACHE/domu}
size=${DOMU_ROOTFS_SIZE:-1G}
suite=${DOMU_SUITE:-bookworm}
packages=systemd-sysv,udev,kmod,iproute2,iputils-ping,netcat-openbsd,procps,fio,iperf3,e2fsprogs

die() {
	echo "build-domu-rootfs: $*" >&2
	exit 1
}

[ "$(id -u)" = 0 ] || die "needs root (mmdebstrap's root mode, mknod)"
if ! command -v mmdebstrap >/dev/null 2>&1; then
	apt-get install -y mmdebstrap >/dev/null ||
		{ apt-get update -q >/dev/null && apt-get install -y mmdebstrap >/dev/null; } ||
		die "cannot install mmdebstrap"
fi
command -v mkfs.ext4 >/dev/null || die "mkfs.ext4 (e2fsprogs) missing"

eval "$(sh "$here/fetch-kernel.sh")"
mkdir -p "$out" "$CACHE/domu-debs"
tree=$(mktemp -d "${TMPDIR:-/tmp}/paravane-domu.XXXXXX")
trap 'rm -rf "$tree" "$out/rootfs.img.tmp" "$out/initrd.gz.tmp"' EXIT
rmdir "$tree"	# mmdebstrap wants to create it (or find it empty)

start=$(date +%s)
# The customize hooks run outside the chroot with the tree as $1.
mmdebstrap --variant=minbase --include="$packages" \
	--setup-hook='mkdir -p "$1/var/cache/apt/archives"' \
	--setup-hook="sync-in '$CACHE/domu-debs' /var/cache/apt/archives" \
	--customize-hook="sync-out /var/cache/apt/archives '$CACHE/domu-debs'" \
	--customize-hook='echo paravane-domu >"$1/etc/hostname"' \
	--customize-hook='printf "127.0.0.1 localhost\n127.0.1.1 paravane-domu\n10.0.0.1 dom0\n" >"$1/etc/hosts"' \
	--customize-hook='printf "/dev/xvda / ext4 rw,errors=remount-ro 0 1\n" >"$1/etc/fstab"' \
	--customize-hook='chroot "$1" passwd -d root >/dev/null' \
	--customize-hook='mkdir -p "$1/etc/systemd/network" &&
		printf "[Match]\nName=eth0\n\n[Network]\nAddress=10.0.0.2/24\n" \
		>"$1/etc/systemd/network/10-eth0.network"' \
	--customize-hook='ln -s /dev/null "$1/etc/systemd/network/99-default.link"' \
	--customize-hook='chroot "$1" systemctl enable systemd-networkd console-getty.service' \
	--customize-hook='chroot "$1" systemctl mask getty@.service getty-static.service serial-getty@hvc0.service \
		e2scrub_reap.service apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer \
		e2scrub_all.timer fstrim.timer' \
	--customize-hook='rm -f "$1/var/cache/apt/archives/"*.deb' \
	"$suite" "$tree" || die "mmdebstrap failed"

# The kernel's modules, without the hardware a DomU never has, so that
# udev and modprobe inside the DomU find what they ask for.
mdest=$tree/lib/modules/$kernel_version
mkdir -p "$mdest"
(cd "$modules" && tar cf - --exclude=kernel/sound --exclude=kernel/drivers/gpu \
	--exclude=kernel/drivers/media --exclude=kernel/drivers/net/wireless \
	--exclude=kernel/drivers/infiniband --exclude=kernel/drivers/staging \
	--exclude=kernel/drivers/usb --exclude=kernel/drivers/bluetooth \
	--exclude=kernel/drivers/iio --exclude=kernel/drivers/hid \
	--exclude=kernel/drivers/isdn --exclude=kernel/drivers/scsi .) | (cd "$mdest" && tar xf -)
chroot "$tree" depmod "$kernel_version" || die "depmod in the root file system failed"

rm -f "$out/rootfs.img.tmp"
truncate -s "$size" "$out/rootfs.img.tmp"
mkfs.ext4 -q -F -L paravane-domu -d "$tree" "$out/rootfs.img.tmp" ||
	die "mkfs.ext4 -d failed (image too small? DOMU_ROOTFS_SIZE=$size)"
mv "$out/rootfs.img.tmp" "$out/rootfs.img"

INITRAMFS_INIT="$here/domu-init.sh" INITRAMFS_MODULES="xen-blkfront xen-netfront ext4 crc32c_generic" \
	sh "$here/build-dom0-initramfs.sh" "$out/initrd.gz.tmp" >/dev/null ||
	die "the DomU initramfs failed"
mv "$out/initrd.gz.tmp" "$out/initrd.gz"
cp "$vmlinuz" "$out/vmlinuz"

cat >"$out/domu.cfg" <<EOF
# The Debian 12 DomU (tests/images/build-domu-rootfs.sh)
name = "debian"
memory = 256
vcpus = 1
kernel = "$out/vmlinuz"
ramdisk = "$out/initrd.gz"
root = "/dev/xvda"
extra = "console=hvc0"
disk = [ 'format=raw, vdev=xvda, access=rw, target=$out/rootfs.img' ]
vif = [ 'bridge=xenbr0' ]
EOF

used=$(du -sh "$tree" | cut -f1)
echo "build-domu-rootfs: $out/rootfs.img ($size, $used used), initrd.gz, vmlinuz, domu.cfg in $(( $(date +%s) - start )) s"
