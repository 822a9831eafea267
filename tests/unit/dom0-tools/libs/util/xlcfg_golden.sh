#!/bin/sh
# xlcfg_golden.sh XLCFG_DUMP DIR [--update]: runs xlcfg-dump on every
# DIR/NAME.cfg (with the lines of NAME.args, if present, as KEY=VALUE
# arguments) from inside DIR, so messages name the file as NAME.cfg; the
# output (stderr, then stdout, then "exit N") must equal NAME.out.
# --update rewrites the .out files instead (review the diff before
# committing them).
set -u
dump=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
dir=$2
update=${3:-}
pass=0 fail=0
cd "$dir" || exit 2
for cfg in *.cfg; do
	name=${cfg%.cfg}
	set --
	if [ -f "$name.args" ]; then
		while IFS= read -r a; do set -- "$@" "$a"; done <"$name.args"
	fi
	out=$( { "$dump" "$cfg" "$@"; echo "exit $?"; } 2>&1 )
	if [ "$update" = --update ]; then
		printf '%s\n' "$out" >"$name.out"
		continue
	fi
	if printf '%s\n' "$out" | diff -u "$name.out" - >/dev/null 2>&1; then
		pass=$((pass + 1))
	else
		echo "FAIL: $dir/$cfg"
		printf '%s\n' "$out" | diff -u "$name.out" -
		fail=$((fail + 1))
	fi
done
[ "$update" = --update ] && { echo "updated $dir"; exit 0; }
echo "xlcfg golden: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
