#!/bin/sh
# man_check.sh XL MANPAGE.gz - the installed man page and `xl help` agree:
# every command `xl help` lists has an entry (a .TP line starting with its
# name) in the page, and every entry names a command xl has.
set -u
xl=$1 man=$2
[ -x "$xl" ] || { echo "test-install-xl: FAIL ($xl missing)"; exit 1; }
[ -f "$man" ] || { echo "test-install-xl: FAIL ($man missing)"; exit 1; }
cmds=$("$xl" help | sed -n 's/^ \([a-z][-a-z]*\) .*/\1/p')
entries=$(gzip -dc "$man" | awk '/^\.TP/ { getline; print }' |
	sed -n 's/^\.B[IR]* "\{0,1\}\([a-z][-a-z]*\).*/\1/p' | grep -v '^help$')
bad=0
for c in $cmds; do
	echo "$entries" | grep -qx "$c" || { echo "test-install-xl: '$c' is in xl help, not in the man page"; bad=1; }
done
for e in $entries; do
	case $e in v | f | N | t) continue ;; esac
	echo "$cmds" | grep -qx "$e" || { echo "test-install-xl: '$e' is in the man page, not in xl help"; bad=1; }
done
[ $bad = 0 ] || exit 1
echo "test-install-xl: PASS ($(echo "$cmds" | wc -w) commands in xl help and in $man)"
