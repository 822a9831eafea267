#!/bin/sh
# xen-xl-files.sh - print the SRC:DEST specs (build-dom0-initramfs.sh) that
# put Debian's Xen 4.17 xl in a Dom0 image: the program at
# /usr/lib/xen-4.17/bin/xl and its shared-library closure in
# /usr/lib/xen-4.17/lib (Debian's libxen* packages, fetched into the cache
# with fetch-deb.sh, and the system's own libyajl, libuuid and compressors;
# apart from ours, so that our libxenstore.so.4 stays where it is). Only
# the reference run (images-xl-xen-reference) uses it.
set -eu
fetch() { sh tests/images/fetch-deb.sh "$1"; }
xl=$(fetch xen-utils-4.17)/usr/lib/xen-4.17/bin/xl
echo "$xl:/usr/lib/xen-4.17/bin/xl"
for p in libxenmisc4.17 libxentoolcore1 libxentoollog1 libxenstore4 libxenevtchn1 \
	libxengnttab1 libxencall1 libxenforeignmemory1 libxendevicemodel1 libxenhypfs1; do
	d=$(fetch "$p")/usr/lib/x86_64-linux-gnu
	for f in "$d"/lib*.so.*; do
		# the soname links only (libfoo.so.1, libfoo.so.4.17): cp follows them
		case ${f##*/} in *.so.[0-9] | *.so.[0-9].[0-9]* ) ;; *) continue ;; esac
		case ${f##*/} in *.so.*.*.*) continue ;; esac
		echo "$f:/usr/lib/xen-4.17/lib/${f##*/}"
	done
done
for l in libyajl.so.2 libuuid.so.1 libz.so.1 liblzma.so.5 libzstd.so.1; do
	echo "$(realpath "/lib/x86_64-linux-gnu/$l"):/usr/lib/xen-4.17/lib/$l"
done
