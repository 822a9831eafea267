#!/bin/sh
# fake-xenstore.sh - a stand-in for xenstore-read, -write, -list, -exists
# and -rm (linked under those names) over a directory tree: node PATH's
# value is the file $FAKE_XS/PATH/.value. Relative paths are Dom0's
# (/local/domain/0/...), as xenstored resolves them. Every call is logged
# to $FAKE_XS.log, so a test can see what the helper wrote.
: "${FAKE_XS:?}"
abs() { case $1 in /*) echo "$1" ;; *) echo "/local/domain/0/$1" ;; esac; }
cmd=${0##*/}
echo "$cmd $*" >>"$FAKE_XS.log"
case $cmd in
xenstore-read)
	# each path's value on a line, stopping at the first missing one (as
	# Xen's xenstore-read does, the values before it printed)
	for p in "$@"; do
		[ -f "$FAKE_XS$(abs "$p")/.value" ] || { echo "xenstore-read: couldn't read path $p" >&2; exit 1; }
		cat "$FAKE_XS$(abs "$p")/.value"; echo
	done ;;
xenstore-write)
	while [ $# -ge 2 ]; do
		mkdir -p "$FAKE_XS$(abs "$1")"
		printf '%s' "$2" >"$FAKE_XS$(abs "$1")/.value"
		shift 2
	done ;;
xenstore-exists) [ -d "$FAKE_XS$(abs "$1")" ] ;;
xenstore-list)
	[ -d "$FAKE_XS$(abs "$1")" ] || exit 1
	ls "$FAKE_XS$(abs "$1")" ;;
xenstore-rm) rm -rf "$FAKE_XS$(abs "$1")" ;;
*) echo "fake-xenstore: called as $cmd" >&2; exit 1 ;;
esac
