#!/bin/sh
# images_extract_test.sh TOOL VMLINUX
#
# VMLINUX was extracted by TOOL from Debian's bzImage (make $(BUILD)/dom0-vmlinux).
# Check it is an ELF64 x86-64 executable carrying the Xen notes a PV domain
# builder needs, and that it is byte-identical to what xz(1) makes of the
# same payload: an independent check that the x86 BCJ filter was undone.
set -u
tool=$1
vmlinux=$2
fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/images-extract.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
eval "$(sh tests/images/fetch-kernel.sh)"

check() {
	if eval "$2"; then
		echo "ok   $1"
	else
		echo "FAIL $1"
		fail=1
	fi
}

# ELF64 (class 2), little-endian (1), e_type 2 (EXEC), e_machine 0x3e.
ident=$(od -A n -t x1 -N 20 "$vmlinux" | tr -d ' \n')
check "ELF64 x86-64 executable ($ident)" '[ "$ident" = 7f454c4602010100000000000000000002003e00 ]'

"$tool" --notes "$vmlinux" >"$tmp/notes" 2>"$tmp/err"
check "--notes lists the notes ($(cat "$tmp/err"))" '[ -s "$tmp/notes" ]'
sed 's/^/     /' "$tmp/notes"
for n in ENTRY FEATURES VIRT_BASE XEN_VERSION SUPPORTED_FEATURES; do
	check "note $n present" 'grep -q "^[0-9]* *$n " "$tmp/notes"'
done
check "XEN_VERSION is xen-3.0" 'grep -q "XEN_VERSION *\"xen-3.0\"" "$tmp/notes"'
check "FEATURES requires writable_page_tables" 'grep -q "FEATURES *\"!writable_page_tables" "$tmp/notes"'
check "ENTRY is a kernel address" 'grep -q "^1 *ENTRY *0xffffffff8" "$tmp/notes"'
# Bit 11 of SUPPORTED_FEATURES: the kernel can run as Dom0.
feat=$(sed -n 's/^17 *SUPPORTED_FEATURES *//p' "$tmp/notes")
check "SUPPORTED_FEATURES has dom0 (bit 11) ($feat)" '[ -n "$feat" ] && [ $(( feat >> 11 & 1 )) -eq 1 ]'
# Debian's current 6.1 kernels enter hypercalls with syscall directly; only
# older ones have a hypercall page. Report, do not require.
if grep -q "HYPERCALL_PAGE" "$tmp/notes"; then
	echo "info HYPERCALL_PAGE note present"
else
	echo "info HYPERCALL_PAGE note absent (kernel issues syscall itself)"
fi

# The same payload through xz(1).
"$tool" --info "$vmlinuz" >"$tmp/info"
off=$(sed -n 's/^payload_offset *//p' "$tmp/info")
len=$(sed -n 's/^payload_length *//p' "$tmp/info")
tail -c +$((off + 1)) "$vmlinuz" | head -c $((len - 4)) | xz -dc >"$tmp/by-xz" 2>"$tmp/err"
check "identical to xz -d of the payload" 'cmp -s "$tmp/by-xz" "$vmlinux"'

# Extracting again into a fresh file gives the same bytes (no stale state).
"$tool" "$vmlinuz" "$tmp/again" && check "re-extraction identical" 'cmp -s "$tmp/again" "$vmlinux"'

[ "$fail" -eq 0 ] && echo "images-extract: PASS" || echo "images-extract: FAIL"
exit "$fail"
