#!/bin/sh
# gen-symbols.sh [ELF] > symbols.S
# Emit the text-symbol table for common/symbols.c. With no ELF, an empty table
# (for the first link).
set -eu
{
	if [ $# -ge 1 ]; then
		# GCC's clones (foo.constprop.0, foo.isra.0, foo.part.0, foo.cold) are
		# shown under the function's own name.
		nm -n --defined-only "$1" | awk '$2 ~ /^[tTwW]$/ && $3 !~ /^\./ { sub(/\..*$/, "", $3); print $1, $3 }'
	fi
} | awk '
BEGIN { n = 0 }
{ addr[n] = $1; name[n] = $2; n++ }
END {
	print "\t.section .symbols, \"a\""
	print "\t.balign 8"
	print "\t.globl symbols_count, symbols_addrs, symbols_name_offsets, symbols_names"
	print "symbols_count:\n\t.quad " n
	print "symbols_addrs:"
	for (i = 0; i < n; i++) print "\t.quad 0x" addr[i]
	print "symbols_name_offsets:"
	off = 0
	for (i = 0; i < n; i++) { print "\t.long " off; off += length(name[i]) + 1 }
	print "symbols_names:"
	for (i = 0; i < n; i++) print "\t.asciz \"" name[i] "\""
	print "\t.byte 0"
}'
