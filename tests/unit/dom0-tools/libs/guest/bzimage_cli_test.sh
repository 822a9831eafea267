#!/bin/sh
# bzimage_cli_test.sh TOOL
#
# Failure paths of pv-extract-vmlinux on small images made here: each must
# exit non-zero, name the input file and the problem on stderr, and leave no
# output file (not even a temporary) behind.
set -u
tool=$1
dir=$(mktemp -d "${TMPDIR:-/tmp}/bzimage-cli.XXXXXX")
trap 'rm -rf "$dir"' EXIT
pass=0
fail=0

# put FILE OFFSET OCTAL-ESCAPES: overwrite bytes in place.
put() {
	printf "$3" | dd of="$1" bs=1 seek=$(($2)) conv=notrunc status=none
}

# le32 VALUE: the printf escapes of a little-endian u32.
le32() {
	printf '\\%03o\\%03o\\%03o\\%03o' $(($1 & 255)) $((($1 >> 8) & 255)) \
		$((($1 >> 16) & 255)) $((($1 >> 24) & 255))
}

# make_image FILE PAYLOAD-FILE UNCOMPRESSED-SIZE [TRAILER-LEN]: a
# 2-setup-sector bzImage; the size trailer is left out with TRAILER-LEN 0
# (gzip streams end with it already).
make_image() {
	tlen=${4:-4}
	plen=$(($(wc -c <"$2") + tlen))
	head -c 1536 /dev/zero >"$1"
	put "$1" 0x1f1 '\002'
	put "$1" 0x1fe '\125\252'
	put "$1" 0x202 'HdrS'
	put "$1" 0x206 '\017\002'
	put "$1" 0x248 "$(le32 0)"
	put "$1" 0x24c "$(le32 "$plen")"
	cat "$2" >>"$1"
	[ "$tlen" -eq 0 ] || printf "$(le32 "$3")" >>"$1"
}

# expect NAME PATTERN ARGS...: failure whose stderr matches PATTERN.
expect() {
	name=$1
	pattern=$2
	shift 2
	if "$tool" "$@" >"$dir/out" 2>"$dir/err"; then
		echo "FAIL $name: exit 0"
		fail=$((fail + 1))
	elif ! grep -q -- "$pattern" "$dir/err"; then
		echo "FAIL $name: stderr '$(cat "$dir/err")' lacks '$pattern'"
		fail=$((fail + 1))
	elif ls "$dir"/vmlinux* >/dev/null 2>&1; then
		echo "FAIL $name: left $(ls "$dir"/vmlinux*)"
		fail=$((fail + 1))
	else
		echo "ok   $name: $(cat "$dir/err")"
		pass=$((pass + 1))
	fi
	rm -f "$dir"/vmlinux*
}

head -c 5000 /dev/urandom >"$dir/text.bin"
head -c 4096 /dev/zero | tr '\0' 'A' >"$dir/plain"
xz -C crc32 --x86 --lzma2 -c "$dir/plain" >"$dir/plain.xz"
make_image "$dir/not-elf.bz" "$dir/plain.xz" 4096
make_image "$dir/bad-size.bz" "$dir/plain.xz" 5000
cp "$dir/not-elf.bz" "$dir/corrupt.bz"
put "$dir/corrupt.bz" 1600 '\377\377\377\377\377\377\377\377'
head -c $(($(wc -c <"$dir/not-elf.bz") - 20)) "$dir/not-elf.bz" >"$dir/truncated.bz"
printf '\050\265\057\375' | cat - "$dir/plain" >"$dir/zstd.bin"
make_image "$dir/zstd.bz" "$dir/zstd.bin" 4096
# The smallest ELF64 x86-64 executable we accept: header + one PT_NULL.
{
	printf '\177ELF\002\001\001\000\000\000\000\000\000\000\000\000'
	printf '\002\000\076\000\001\000\000\000'
	head -c 8 /dev/zero
	printf "$(le32 64)"; head -c 4 /dev/zero
	head -c 12 /dev/zero
	printf '\100\000\070\000\001\000\000\000\000\000\000\000'
	head -c 56 /dev/zero
} >"$dir/tiny.elf"
gzip -9 -c "$dir/tiny.elf" >"$dir/tiny.gz"
make_image "$dir/tiny.bz" "$dir/tiny.gz" "$(wc -c <"$dir/tiny.elf")" 0

# The good case first, so the failures below are failures of their input.
if "$tool" "$dir/tiny.bz" "$dir/vmlinux" && cmp -s "$dir/tiny.elf" "$dir/vmlinux"; then
	echo "ok   good-gzip: extracted $(wc -c <"$dir/vmlinux") bytes"
	pass=$((pass + 1))
else
	echo "FAIL good-gzip: no identical vmlinux"
	fail=$((fail + 1))
fi
rm -f "$dir"/vmlinux*

expect missing-file "$dir/nope: No such file" "$dir/nope" "$dir/vmlinux"
expect not-bzimage "text.bin: not a bzImage" "$dir/text.bin" "$dir/vmlinux"
expect truncated "truncated.bz: payload .* past the end" "$dir/truncated.bz" "$dir/vmlinux"
expect corrupt "corrupt.bz: xz payload" "$dir/corrupt.bz" "$dir/vmlinux"
expect bad-size "bad-size.bz: xz payload" "$dir/bad-size.bz" "$dir/vmlinux"
expect not-elf "not-elf.bz: not ELF" "$dir/not-elf.bz" "$dir/vmlinux"
expect corrupt-zstd "zstd.bz: zstd payload: " "$dir/zstd.bz" "$dir/vmlinux"
expect unwritable "no/such/dir/vmlinux.tmp.*: No such file" "$dir/tiny.bz" "$dir/no/such/dir/vmlinux"
expect notes-none "tiny.elf: no Xen ELF notes" --notes "$dir/tiny.elf"
expect notes-not-kernel "text.bin: neither an ELF64 kernel" --notes "$dir/text.bin"
expect usage "usage:" --bogus
expect info-not-bzimage "text.bin: not a bzImage" --info "$dir/text.bin"

echo "bzimage-cli: $pass ok, $fail not ok"
[ "$fail" -eq 0 ]
