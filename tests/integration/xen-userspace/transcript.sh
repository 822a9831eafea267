#!/bin/sh
# transcript.sh LOG: the xl commands of a scenario run (check.sh's "xut: "
# lines in the console log LOG), normalised with mask.sed so that runs on
# other hypervisors and with other toolstacks can be compared line by line:
# domain ids, uuids, times, memory figures and build details masked,
# column spacing collapsed.
set -eu
here=$(dirname "$0")
grep -a '^xut: ' "$1" | sed 's/^xut: //' | sed -E -f "$here/mask.sed"
