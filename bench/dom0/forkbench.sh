#!/bin/sh
# Run by the Dom0 initramfs's /init (paravane.test=/tests/forkbench.sh).
/bin/forkbench 200 /bin/true
echo "forkbench: done"
