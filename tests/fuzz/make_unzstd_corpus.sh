#!/bin/sh
# make_unzstd_corpus.sh DIR: the seed inputs of tests/fuzz/hv_unzstd_fuzz.c,
# made with zstd(1). The first byte is the harness's mode (see there): 0x30
# a whole stream, 0x31 one compressed block's content (after the frame
# header and block header of a stream made without a content size, so
# that the frame header is 2 bytes: descriptor and window).
set -eu
dir=$1
mkdir -p "$dir"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
printf 'hello hello hello, the quick brown fox jumps over the lazy dog %s\n' 1 2 3 4 5 6 >"$t/text"
head -c 1500 /bin/sh >"$t/code"
head -c 3000 /dev/zero >"$t/zero"
awk 'BEGIN { for (i = 0; i < 300; i++) printf "%c", (i * 7) % 251 }' >"$t/ramp"
seed() {   # seed NAME MODE-BYTE FILE [SKIP]
	{ printf "\\$(printf %03o "$2")"; tail -c +"$((${4:-0} + 1))" "$3"; } >"$dir/$1"
}
for f in text code zero ramp; do
	zstd -q -19 -c "$t/$f" >"$t/$f.zst"
	seed "stream-$f" 48 "$t/$f.zst"
	# a block's content: from a pipe, with neither checksum nor content size
	zstd -q -19 --no-check -c <"$t/$f" >"$t/$f.block.zst"
	seed "block-$f" 49 "$t/$f.block.zst" 9
done
zstd -q -1 -c "$t/code" >"$t/fast.zst"
seed stream-code-fast 48 "$t/fast.zst"
cat "$t/text.zst" "$t/code.zst" >"$t/two.zst"
seed stream-concatenated 48 "$t/two.zst"
