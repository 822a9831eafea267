#!/bin/sh
# qemu-icount.sh: QEMU with -icount shift=0, so that one guest instruction is
# one nanosecond of guest time. A benchmark's "microseconds" then count
# thousands of instructions, the same on every run and on any host load:
# deterministic A/B of instruction work (not of time: under TCG, TLB misses
# and block lookups cost more than instructions; docs/benchmarks.md).
#   QEMU=bench/qemu-icount.sh sh bench/fork-exec.sh ...
exec "${QEMU_BIN:-qemu-system-x86_64}" -icount shift=0,align=off,sleep=off "$@"
