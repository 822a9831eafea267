#!/bin/sh
# make-bzimage.sh KERNEL_ELF OUT [xz|gzip|lz4|zstd]
#
# Wrap an ELF kernel in a minimal bzImage, the way Linux's build does: a
# setup header (boot protocol 2.15, two setup sectors) that names the
# payload, then the compressed ELF followed by its size (4 bytes, little
# endian; a gzip member already ends with them). Nothing but the header fields the hypervisor reads is filled
# in; it is for tests of the Dom0 builder, not for booting on hardware.
set -eu
elf=$1
out=$2
method=${3:-xz}
tmp=$out.payload

case $method in
xz) xz -c --check=crc32 --x86 --lzma2 "$elf" >"$tmp" ;;
gzip) gzip -9 -n -c "$elf" >"$tmp" ;;
lz4) lz4 -q -l -9 -c "$elf" >"$tmp" ;;     # the legacy format, as Linux's build
zstd) zstd -q -22 --ultra -c <"$elf" >"$tmp" ;;   # as Linux's build: from a pipe, no content size
*) echo "make-bzimage: unknown method $method" >&2; exit 2 ;;
esac

# le32 N: four bytes, least significant first
le32() {
	n=$1
	for _ in 1 2 3 4; do
		printf "\\$(printf %03o $((n & 255)))"
		n=$((n >> 8))
	done
}

plen=$(wc -c <"$tmp")
[ "$method" = gzip ] || plen=$((plen + 4))
size=$(wc -c <"$elf")
head -c 1536 /dev/zero >"$out"
put() {   # put OFFSET BYTES...: patch the header
	off=$1
	shift
	printf "$@" | dd of="$out" bs=1 seek="$off" conv=notrunc 2>/dev/null
}
put $((0x1f1)) '\002'
put $((0x1fe)) '\125\252'
put $((0x202)) 'HdrS\017\002'
le32 0 | dd of="$out" bs=1 seek=$((0x248)) conv=notrunc 2>/dev/null
le32 "$plen" | dd of="$out" bs=1 seek=$((0x24c)) conv=notrunc 2>/dev/null
cat "$tmp" >>"$out"
[ "$method" = gzip ] || le32 "$size" >>"$out"
rm -f "$tmp"
