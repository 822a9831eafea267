#!/bin/sh
# rewrap-bzimage.sh VMLINUZ VMLINUX OUT lz4|zstd
#
# Debian's bzImage with its payload recompressed: the ELF vmlinux inside
# (extracted beforehand) compressed as Linux's build does it (lz4: `lz4 -l`,
# the legacy format; zstd: `zstd -22 --ultra` from a pipe, so no content
# size in the frame), then the unpacked size as 4 little-endian bytes,
# put where the old payload was, between Debian's own setup code and
# decompressor. The setup header's payload_length (0x24c) and syssize
# (0x1f4) are updated; payload_offset stays. This is what a hypervisor
# reads of a bzImage built with CONFIG_KERNEL_LZ4 or _ZSTD. The decompressor stub
# is still Debian's XZ one, so the file does not boot on bare metal (and
# the build's trailing CRC no longer matches): it is for the Dom0 builder.
# Temporary files are kept beside OUT (under build/) and removed on any exit.
set -eu
vmlinuz=$1 vmlinux=$2 out=$3 method=${4:-lz4}
case $method in
lz4|zstd) ;;
*) echo "rewrap-bzimage: lz4 or zstd, not $method" >&2; exit 2 ;;
esac

u8()  { od -An -tu1 -j "$2" -N1 "$1" | tr -d ' '; }
u32() { od -An -tu4 -j "$2" -N4 "$1" | tr -d ' '; }
le32() {
	n=$1
	for _ in 1 2 3 4; do
		printf "\\$(printf %03o $((n & 255)))"
		n=$((n >> 8))
	done
}

sects=$(u8 "$vmlinuz" $((0x1f1)))
[ "$sects" = 0 ] && sects=4
pm=$(( (sects + 1) * 512 ))
poff=$(u32 "$vmlinuz" $((0x248)))
plen=$(u32 "$vmlinuz" $((0x24c)))     # the old payload and its size trailer
start=$((pm + poff))
total=$(wc -c <"$vmlinuz")
[ $((start + plen)) -le "$total" ] || { echo "rewrap-bzimage: $vmlinuz: payload outside the file" >&2; exit 1; }

tmpdir=$(mktemp -d "$(dirname "$out")/.rewrap.XXXXXX")
trap 'rm -rf "$tmpdir"' EXIT
trap 'exit 130' INT TERM HUP
tmp=$tmpdir/image
case $method in
lz4) lz4 -q -l -9 -c "$vmlinux" >"$tmp.payload" ;;
zstd) zstd -q -22 --ultra -c <"$vmlinux" >"$tmp.payload" ;;
esac
le32 "$(wc -c <"$vmlinux")" >>"$tmp.payload"
newlen=$(wc -c <"$tmp.payload")
{
	head -c "$start" "$vmlinuz"
	cat "$tmp.payload"
	tail -c +$((start + plen + 1)) "$vmlinuz"
} >"$tmp"
le32 "$newlen" | dd of="$tmp" bs=1 seek=$((0x24c)) conv=notrunc 2>/dev/null
newtotal=$(wc -c <"$tmp")
le32 $(( (newtotal - pm + 15) / 16 )) | dd of="$tmp" bs=1 seek=$((0x1f4)) conv=notrunc 2>/dev/null
mv "$tmp" "$out"
