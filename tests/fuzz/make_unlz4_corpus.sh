#!/bin/sh
# make_unlz4_corpus.sh DIR: the seed inputs of tests/fuzz/hv_unlz4_fuzz.c,
# made with lz4(1) in the legacy format Linux uses (-l). The first byte is
# the harness's mode (see there): 0x30 a whole stream, 0x31 one raw block.
set -eu
dir=$1
mkdir -p "$dir"
t=$(mktemp -d)
printf 'hello hello hello, the quick brown fox jumps over the lazy dog %s\n' 1 2 3 4 5 6 >"$t/text"
head -c 1500 /bin/sh >"$t/code"
head -c 3000 /dev/zero >"$t/zero"
seed() {   # seed NAME MODE-BYTE FILE [SKIP]
	{ printf "\\$(printf %03o "$2")"; tail -c +"$((${4:-0} + 1))" "$3"; } >"$dir/$1"
}
for f in text code zero; do
	lz4 -q -l -9 -c "$t/$f" >"$t/$f.lz4"
	seed "stream-$f" 48 "$t/$f.lz4"
	seed "block-$f" 49 "$t/$f.lz4" 8      # after the magic and the block size
done
lz4 -q -l -1 -c "$t/code" >"$t/fast.lz4"
seed stream-code-fast 48 "$t/fast.lz4"
cat "$t/text.lz4" "$t/code.lz4" >"$t/two.lz4"
seed stream-concatenated 48 "$t/two.lz4"
rm -rf "$t"
