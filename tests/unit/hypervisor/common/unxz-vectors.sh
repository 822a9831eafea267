#!/bin/sh
# unxz-vectors.sh DIR: the .xz test streams for unit-unxz, made with xz(1)
# from random data (fixed seed) and from real x86 code (the test program
# itself), at several sizes, with each check type and filter chain the
# decoder accepts and some it refuses. NAME.bin is the data, NAME.xz its
# stream; unxz_test.c decodes every NAME.xz and compares.
set -eu
dir=$1
mkdir -p "$dir"
code=${2:-/bin/sh}
# deterministic pseudo-random bytes: no /dev/urandom, so reruns are identical
rand() {
	awk -v n="$1" -v s="$2" 'BEGIN { srand(s); for (i = 0; i < n; i++) printf "%c", int(rand() * 256) }' LC_ALL=C
}
for n in 0 1 5 100 4096 70000 300000; do
	rand $n $n >"$dir/rand-$n.bin"
done
# text-like: long matches, literals after matches, stored chunks absent
awk 'BEGIN { for (i = 0; i < 40000; i++) printf "line %d of %d: the quick brown fox %x\n", i, i % 97, i * 7919 }' >"$dir/text.bin"
for n in 1000 8192 65536 1000000; do
	head -c $n "$code" >"$dir/code-$n.bin"
done
cat "$code" "$code" "$code" >"$dir/code-all.bin"
for f in "$dir"/*.bin; do
	b=${f%.bin}
	xz -c --check=crc32 --x86 --lzma2 "$f" >"$b.x86.xz"
	xz -c --check=crc64 --lzma2=preset=6e "$f" >"$b.crc64.xz"
	gzip -9 -n -c "$f" >"$b.gz"
	lz4 -q -l -9 -c "$f" >"$b.lz4"     # the legacy format, as Linux's build writes it
	# zstd: levels 1 and 3 from a file (content size in the header, one segment when small)
	for l in 1 3; do zstd -q -$l -c "$f" >"$b.l$l.zst"; done
done
# zstd at level 19; as Linux's build: -22 --ultra from a pipe (no content size; window
# descriptor); without the checksum; small and long windows; frames and skippable frames
# back to back (the slow levels on the smaller data only)
for f in "$dir"/code-8192.bin "$dir"/code-65536.bin "$dir"/rand-300000.bin "$dir"/rand-5.bin; do
	b=${f%.bin}
	zstd -q -19 -c "$f" >"$b.l19.zst"
	zstd -q -22 --ultra -c <"$f" >"$b.u22.zst"
	zstd -q -19 --no-check -c "$f" >"$b.nocheck.zst"
	zstd -q -19 --zstd=wlog=10 -c <"$f" >"$b.w10.zst"
	zstd -q -3 --long=27 -c <"$f" >"$b.long.zst"
done
{ printf 'P*M\030\005\000\000\000skip!'; zstd -q -3 -c "$dir/text.bin"; zstd -q -19 -c "$dir/code-1000.bin"; \
  printf 'Z*M\030\000\000\000\000'; } >"$dir/concat.zst"
# kernel-sized: 64 MB of code, as one 128 MiB-window frame
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do cat "$dir/code-all.bin"; done | head -c 64000000 >"$dir/kernel.bin"
zstd -q -3 --long=27 -c <"$dir/kernel.bin" >"$dir/kernel.zst"
# several 8 MiB legacy blocks, fast mode; two streams back to back
for i in 1 2 3 4 5 6 7 8 9 10; do cat "$dir/code-all.bin"; done | head -c 20000000 >"$dir/big.bin"
lz4 -q -l -1 -c "$dir/big.bin" >"$dir/big.lz4"
cat "$dir/text.bin" "$dir/code-1000.bin" >"$dir/concat.bin"
{ lz4 -q -l -c "$dir/text.bin"; lz4 -q -l -c "$dir/code-1000.bin"; } >"$dir/concat.lz4"
gzip -1 -c "$dir/text.bin" >"$dir/text.fast.gz"     # with a file name in the header
for f in "$dir"/text.bin "$dir"/code-all.bin "$dir"/rand-300000.bin; do
	b=${f%.bin}
	xz -c --check=none --lzma2=lc=0,lp=2,pb=0 "$f" >"$b.none.xz"
	xz -c --check=crc32 --x86 --lzma2=lc=4,lp=0,pb=4,dict=64KiB "$f" >"$b.lc4.xz"
	# several blocks, with sizes in their headers
	xz -c -T2 --block-size=100000 --check=crc32 --x86 --lzma2 "$f" >"$b.blocks.xz"
	# stream padding after the footer
	{ cat "$b.x86.xz"; printf '\0\0\0\0\0\0\0\0'; } >"$b.padded.xz"
done
# raw LZMA2 (no container), for tests that wrap it themselves
xz -c --format=raw --lzma2 "$dir/code-8192.bin" >"$dir/code-8192.lzma2"
xz -c --format=raw --lzma2 "$dir/text.bin" >"$dir/text.lzma2"
# refused: SHA-256, other filters
xz -c --check=sha256 "$dir/text.bin" >"$dir/refuse-sha256.xz"
xz -c --delta=dist=4 --lzma2 "$dir/text.bin" >"$dir/refuse-delta.xz"
xz -c --arm --lzma2 "$dir/text.bin" >"$dir/refuse-arm.xz"
xz -c --x86=start=16 --lzma2 "$dir/text.bin" >"$dir/refuse-x86start.xz"
# two streams back to back (xz accepts them; we do not)
cat "$dir/text.x86.xz" "$dir/text.x86.xz" >"$dir/refuse-concat.xz"
touch "$dir/.done"
