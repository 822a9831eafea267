#!/bin/sh
# build-domu-initramfs.sh OUTPUT
#
# The DomU boot payload the tests share: a tiny initramfs (cpio newc,
# gzip) of Debian's busybox-static whose /init mounts proc, sys and dev,
# prints the marker line "paravane-domU: init reached" on the console
# (hvc0: the DomU's kernel command line needs console=hvc0), then keeps
# a shell on the console. Dom0's image carries it at
# /usr/share/paravane/domu-initrd.gz next to the kernel (domu-vmlinuz).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
[ $# -eq 1 ] || { echo "usage: $0 OUTPUT" >&2; exit 2; }
out=$1
eval "$(sh "$here/fetch-kernel.sh")"
stage=$(mktemp -d "${TMPDIR:-/tmp}/paravane-domu.XXXXXX")
tmp_out="$out.tmp.$$"
trap 'rm -rf "$stage" "$tmp_out"' EXIT

mkdir -p "$stage/bin" "$stage/dev" "$stage/proc" "$stage/sys" "$stage/tmp" "$stage/root"
cp "$busybox" "$stage/bin/busybox"
for applet in $("$busybox" --list); do
	[ "$applet" = busybox ] || ln -sf busybox "$stage/bin/$applet"
done
mknod -m 600 "$stage/dev/console" c 5 1 2>/dev/null || true
cat >"$stage/init" <<'INIT'
#!/bin/sh
# /init of the Paravane DomU initramfs (PID 1: must never exit).
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
exec 0<>/dev/console 1>&0 2>&0
echo "paravane-domU: init reached (kernel $(uname -r), $(grep MemTotal /proc/meminfo | tr -s ' '))"
poweroff() { sync; busybox poweroff -f; }
while :; do
	setsid cttyhack sh -l || sleep 1
done
INIT
chmod 755 "$stage/init"
mkdir -p "$(dirname "$out")"
(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) |
	gzip -9 >"$tmp_out"
mv "$tmp_out" "$out"
echo "build-domu-initramfs: $out ($(wc -c <"$out") bytes)"
