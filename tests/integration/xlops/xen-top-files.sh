#!/bin/sh
# xen-top-files.sh - the SRC:DEST specs that add, to the reference image of
# xen-xl-files.sh, what Xen's `xl top` and `xl console` run: xentop (with
# the curses libraries it needs) and xenconsole, where Debian has them, and
# libgcc_s, which libxl's threads need to be cancelled.
set -eu
bin=$(sh tests/images/fetch-deb.sh xen-utils-4.17)/usr/lib/xen-4.17/bin
echo "$bin/xentop:/usr/lib/xen-4.17/bin/xentop"
echo "$bin/xenconsole:/usr/lib/xen-4.17/bin/xenconsole"
for l in libncurses.so.6 libtinfo.so.6 libm.so.6 libgcc_s.so.1; do
	echo "$(realpath "/lib/x86_64-linux-gnu/$l"):/usr/lib/xen-4.17/lib/$l"
done
