#!/bin/sh
# make_unxz_corpus.sh DIR: the seed inputs of tests/fuzz/hv_unxz_fuzz.c,
# each under 4 KiB (the target's HV_FUZZ_MAX_LEN), made with xz(1). The
# first byte is the harness's mode (see there).
set -eu
dir=$1
mkdir -p "$dir"
t=$(mktemp -d)
printf 'hello hello hello, the quick brown fox jumps over the lazy dog %s\n' 1 2 3 4 5 6 >"$t/text"
head -c 300 /bin/sh >"$t/code"
seed() {   # seed NAME MODE-BYTE FILE
	{ printf "\\$(printf %03o "$2")"; cat "$3"; } >"$dir/$1"
}
xz -c --check=crc32 --x86 --lzma2 "$t/text" >"$t/a.xz"
xz -c --check=crc64 --lzma2=lc=0,lp=2,pb=1 "$t/code" >"$t/b.xz"
xz -c --check=none "$t/text" >"$t/c.xz"
xz -c --format=raw --lzma2 "$t/text" >"$t/a.lz"
xz -c --format=raw --lzma2 "$t/code" >"$t/b.lz"
seed xz-text 0 "$t/a.xz"
seed xz-code-crc64 0 "$t/b.xz"
seed xz-none 0 "$t/c.xz"
seed lzma2-text 1 "$t/a.lz"
seed lzma2-code-bcj 5 "$t/b.lz"
seed lzma2-short-index 2 "$t/a.lz"
gzip -9 -n -c "$t/text" >"$t/a.gz"
gzip -1 -c "$t/code" >"$t/b.gz"
seed gzip-text 8 "$t/a.gz"
seed gzip-code 8 "$t/b.gz"
sh "$(dirname "$0")/../integration/make-bzimage.sh" "$t/text" "$t/bz" xz
sh "$(dirname "$0")/../integration/make-bzimage.sh" "$t/text" "$t/bzg" gzip
seed bzimage-gzip 3 "$t/bzg"
seed bzimage-xz 3 "$t/bz"
rm -rf "$t"
