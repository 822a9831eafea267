#!/bin/sh
# build-dom0-initramfs.sh OUTPUT [SRC[:DEST]]...
#
# Build the Dom0 initramfs OUTPUT (cpio newc, gzip) from Debian's
# busybox-static and the Debian kernel's own modules (fetch-kernel.sh), with
# dom0-init.sh as /init. Each extra argument adds file SRC at DEST inside the
# image (default /bin/<name of SRC>), so tests can add their own programs and
# scripts: for example `mytest.sh:/tests/mytest.sh` together with the kernel
# argument `paravane.test=/tests/mytest.sh`. A DEST under /etc/init.d/
# named rc.paravane or inside rc.paravane.d/ is run by /init as a hook.
# Another image from the same parts (the Debian DomU's initramfs,
# build-domu-rootfs.sh): INITRAMFS_INIT names another /init and
# INITRAMFS_MODULES another module list; INITRAMFS_EXTRA_MODULES adds to
# the list (a test's own needs, such as dummy network devices).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
[ $# -ge 1 ] || { echo "usage: $0 OUTPUT [SRC[:DEST]]..." >&2; exit 2; }
out=$1
shift

# Modules Dom0 needs; their dependencies are added from the modules'
# own depends= fields. virtio_pci and virtio_blk: the disk of the interrupt
# test (images-irq-*).
DOM0_MODULES=${INITRAMFS_MODULES:-"xen-evtchn xen-privcmd xen-gntdev xen-gntalloc xenfs xen-blkback xen-netback bridge loop virtio_pci virtio_blk"}

die() {
	echo "build-dom0-initramfs: $*" >&2
	exit 1
}

eval "$(sh "$here/fetch-kernel.sh")"
stage=$(mktemp -d "${TMPDIR:-/tmp}/paravane-initrd.XXXXXX")
tmp_out="$out.tmp.$$"
trap 'rm -rf "$stage" "$tmp_out"' EXIT

mkdir -p "$stage/bin" "$stage/sbin" "$stage/usr/bin" "$stage/usr/sbin" \
	"$stage/dev" "$stage/proc" "$stage/sys" "$stage/tmp" "$stage/run" \
	"$stage/etc/paravane" "$stage/etc/init.d" "$stage/root"
cp "$busybox" "$stage/bin/busybox"
# One link per applet, so scripts and the shell find them by name.
for applet in $("$busybox" --list); do
	[ "$applet" = busybox ] || ln -sf busybox "$stage/bin/$applet"
done
cp "${INITRAMFS_INIT:-$here/dom0-init.sh}" "$stage/init"
chmod 755 "$stage/init"
# The kernel opens /dev/console before /init runs; without the node PID 1
# starts with no stdio. mknod needs root; /init reopens it anyway.
mknod -m 600 "$stage/dev/console" c 5 1 2>/dev/null || true

# Extra files first: the module walk below reuses "$@".
for spec in "$@"; do
	src=${spec%%:*}
	dest=${spec#*:}
	[ "$dest" != "$spec" ] || dest=/bin/$(basename "$src")
	[ -f "$src" ] || die "extra file $src: no such file"
	mkdir -p "$stage$(dirname "$dest")"
	cp "$src" "$stage$dest"
done

# modules: name -> file, then the closure over depends=.
find_module() {
	find "$modules/kernel" \( -name "$1.ko" -o -name "$1.ko.xz" \) | head -n 1
}
module_depends() {
	# .modinfo holds NUL-separated key=value strings.
	objcopy -O binary --only-section=.modinfo "$1" /dev/stdout 2>/dev/null |
		tr '\0' '\n' | sed -n 's/^depends=//p' | tr ',' ' '
}
mod_dir=$stage/lib/modules/$kernel_version
mkdir -p "$mod_dir"
DOM0_MODULES="$DOM0_MODULES${INITRAMFS_EXTRA_MODULES:+ $INITRAMFS_EXTRA_MODULES}"
todo=$(echo "$DOM0_MODULES" | tr '-' '_')
done_list=" "
while [ -n "$todo" ]; do
	set -- $todo
	[ $# -gt 0 ] || break
	m=$1
	shift
	todo=$*
	case $done_list in *" $m "*) continue ;; esac
	done_list="$done_list$m "
	# File names use '-' or '_' interchangeably with the module name.
	f=$(find_module "$m")
	[ -n "$f" ] || f=$(find_module "$(echo "$m" | tr '_' '-')")
	[ -n "$f" ] || die "module $m not found under $modules/kernel"
	rel=${f#"$modules"/}
	mkdir -p "$mod_dir/$(dirname "$rel")"
	case $f in
	*.xz) xz -dc "$f" >"$mod_dir/${rel%.xz}"; f=$mod_dir/${rel%.xz} ;;
	*) cp "$f" "$mod_dir/$rel" ;;
	esac
	todo="$todo $(module_depends "$f" | tr '-' '_')"
done
cp "$modules/modules.builtin" "$modules/modules.order" "$mod_dir/" 2>/dev/null || true
"$busybox" depmod -b "$stage" "$kernel_version" ||
	die "depmod failed for the staged modules"
echo "$DOM0_MODULES" | tr ' ' '\n' >"$stage/etc/paravane/modules"

mkdir -p "$(dirname "$out")"
(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) |
	gzip -6 >"$tmp_out" || die "cpio/gzip of $stage failed"
mv "$tmp_out" "$out"
echo "build-dom0-initramfs: $out ($(wc -c <"$out") bytes; modules:$done_list)"
