#!/bin/sh
# xenctrl_signatures.sh XEN_INCLUDE_DIR
#
# Every function our libxenctrl headers declare (dom0-tools/libs/ctrl/
# include) must have the prototype Xen 4.17's headers give it (Debian's
# libxen-dev, unpacked in XEN_INCLUDE_DIR), so that a program written
# against Xen's compiles against ours. gcc -aux-info prints each
# prototype in one normal form for both; the lines are compared by name.
# Prints one "ok"/"not ok" line per function and a summary.
set -u
xen=$1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/xc-sig.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
printf '#define XC_WANT_COMPAT_MAP_FOREIGN_API\n#include <xenctrl.h>\n#include <xenevtchn.h>\n#include <xengnttab.h>\n' >"$tmp/sig.c"
gcc -fsyntax-only -I"$xen" -aux-info "$tmp/xen.txt" "$tmp/sig.c" || exit 1
gcc -fsyntax-only -Idom0-tools/libs/ctrl/include -Ihypervisor/include \
	-aux-info "$tmp/ours.txt" "$tmp/sig.c" || exit 1
# "/* file:line:NC */ extern T name (args);" -> "name|extern T name (args);"
norm() {
	grep -E '^/\* .*(libs/ctrl/include|/usr/include)/x[a-z_]*\.h:' "$1" |
		sed -e 's|^/\* [^*]* \*/ ||' |
		sed -n 's/^\(.*[ *]\)\(x[a-z_]*\) (\(.*\)$/\2|\1\2 (\3/p'
}
norm "$tmp/ours.txt" >"$tmp/ours.n"
norm "$tmp/xen.txt" >"$tmp/xen.n"
ok=0
bad=0
while IFS='|' read -r name proto; do
	want=$(grep "^$name|" "$tmp/xen.n" | head -n 1 | cut -d'|' -f2-)
	if [ "$want" = "$proto" ]; then
		ok=$((ok + 1))
		echo "ok     $name"
	else
		bad=$((bad + 1))
		echo "not ok $name: ours '$proto', Xen 4.17 '${want:-(none)}'"
	fi
done <"$tmp/ours.n"
echo "xenctrl-signatures: $ok passed, $bad failed"
[ "$bad" = 0 ] && [ "$ok" -gt 0 ]
