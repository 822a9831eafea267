# Benchmarks (not tests): `make bench-pv-core` and friends print figures
# beside Xen 4.17's in the same QEMU. See docs/benchmarks.md.

BENCH_GUEST_LIB := $(addprefix $(BUILD)/guests/lib/,head.o entry.o lib.o)

$(BUILD)/bench/pvbench.o: bench/guests/pvbench.c $(wildcard tests/guests/lib/*.h hypervisor/include/public/*.h)
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) -c $< -o $@

$(BUILD)/bench/pvbench.elf: $(BUILD)/bench/pvbench.o $(BENCH_GUEST_LIB) tests/guests/lib/guest.ld
	$(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) -o $@ $(BENCH_GUEST_LIB) $<

ALL_TARGETS += $(BUILD)/bench/pvbench.elf

# The same guest with 1 000 runs of each loop, for QEMU's TB trace (bench/tb-lookups.sh).
$(BUILD)/bench/pvtrace.o: bench/guests/pvbench.c $(wildcard tests/guests/lib/*.h hypervisor/include/public/*.h)
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) -DRUNS=1000 -DBOUNCE_RUNS=1000 -DPVBENCH_TRACE -c $< -o $@

$(BUILD)/bench/pvtrace.elf: $(BUILD)/bench/pvtrace.o $(BENCH_GUEST_LIB) tests/guests/lib/guest.ld
	$(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) -o $@ $(BENCH_GUEST_LIB) $<

ALL_TARGETS += $(BUILD)/bench/pvtrace.elf

.PHONY: bench-tb-lookups
bench-tb-lookups: $(BUILD)/hypervisor.elf $(BUILD)/bench/pvtrace.elf
	sh bench/tb-lookups.sh $(BUILD)/hypervisor.elf $(BUILD)/bench/pvtrace.elf

.PHONY: bench-pv-core
bench-pv-core: $(BUILD)/hypervisor.elf $(BUILD)/guests/xen-4.17.elf $(BUILD)/bench/pvbench.elf
	sh bench/pv-core.sh $(BUILD)/hypervisor.elf $(BUILD)/guests/xen-4.17.elf $(BUILD)/bench/pvbench.elf

# PV memory management (issue 4): pin, emulated PTE store, mmu_update batch.
$(BUILD)/bench/mmbench.o: bench/guests/mmbench.c $(wildcard tests/guests/lib/*.h hypervisor/include/public/*.h)
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) -c $< -o $@

$(BUILD)/bench/mmbench.elf: $(BUILD)/bench/mmbench.o $(BENCH_GUEST_LIB) tests/guests/lib/guest.ld
	$(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) -o $@ $(BENCH_GUEST_LIB) $<

ALL_TARGETS += $(BUILD)/bench/mmbench.elf

.PHONY: bench-mm
bench-mm: $(BUILD)/hypervisor.elf $(BUILD)/guests/xen-4.17.elf $(BUILD)/bench/mmbench.elf
	sh bench/mm.sh $(BUILD)/hypervisor.elf $(BUILD)/guests/xen-4.17.elf $(BUILD)/bench/mmbench.elf

# Events, timers, context switches (issue 5): bench/events.sh, docs/benchmarks.md.
$(BUILD)/bench/evbench.o: bench/guests/evbench.c $(wildcard tests/guests/lib/*.h hypervisor/include/public/*.h)
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) -c $< -o $@

$(BUILD)/bench/evbench.elf: $(BUILD)/bench/evbench.o $(BENCH_GUEST_LIB) tests/guests/lib/guest.ld
	$(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) -o $@ $(BENCH_GUEST_LIB) $<

ALL_TARGETS += $(BUILD)/bench/evbench.elf

.PHONY: bench-events
bench-events: $(BUILD)/hypervisor.elf $(BUILD)/guests/xen-4.17.elf $(BUILD)/bench/evbench.elf
	sh bench/events.sh $(BUILD)/hypervisor.elf $(BUILD)/guests/xen-4.17.elf $(BUILD)/bench/evbench.elf

# Two spinning test domains at weights 256:512 for 10 s (issue 5).
.PHONY: bench-sched-shares
bench-sched-shares: $(BUILD)/hypervisor.elf $(BUILD)/guests/spin.elf
	sh bench/sched-shares.sh $(BUILD)/hypervisor.elf $(BUILD)/guests/spin.elf 10

# xenstore in Dom0 (issue 8): a request over the kernel's store ring and back,
# Paravane beside Xen 4.17 (with our xenstored and with Xen's). See docs/xenstore.md.
.PHONY: bench-xenstore-ring
bench-xenstore-ring: $(BUILD)/hypervisor.elf $(BUILD)/dom0-vmlinux $(BUILD)/images/xen-4.17.elf \
		$(addprefix $(BUILD)/dom0/,xenstored xenstore xenstore-ring) $(BUILD)/lib/libxenstore.so.4
	BUILD=$(BUILD) XEN_ELF=$(BUILD)/images/xen-4.17.elf DOM0_XS_FILES="$(DOM0_XS_FILES)" sh bench/xenstore-ring.sh

# fork+exec of /bin/true in Dom0 vs bare vs Xen 4.17 (issue 4): a static
# program of ours in a Dom0 initramfs built into build/bench/.
$(BUILD)/bench/forkbench: bench/dom0/forkbench.c
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -static -o $@ $<

ALL_TARGETS += $(BUILD)/bench/forkbench

.PHONY: bench-fork-exec
bench-fork-exec: $(BUILD)/hypervisor.elf $(BUILD)/guests/xen-4.17.elf $(BUILD)/bench/forkbench $(BUILD)/dom0-vmlinux
	sh bench/fork-exec.sh $(BUILD)/hypervisor.elf $(BUILD)/guests/xen-4.17.elf $(BUILD)/bench/forkbench $(BUILD)/dom0-vmlinux

$(BUILD)/bench/tbprof: bench/tools/tbprof.c
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -o $@ $<

ALL_TARGETS += $(BUILD)/bench/tbprof

# Instructions by function (hypervisor and guest kernel) over 20 fork+execs in Dom0.
.PHONY: bench-fork-exec-profile bench-fork-exec-profile-bare
bench-fork-exec-profile: $(BUILD)/hypervisor.elf $(BUILD)/bench/forkbench $(BUILD)/dom0-vmlinux $(BUILD)/bench/tbprof
	bash bench/profile-fork-exec.sh paravane $(BUILD)/hypervisor.elf $(BUILD)/bench/forkbench $(BUILD)/dom0-vmlinux $(BUILD)/bench/tbprof
bench-fork-exec-profile-bare: $(BUILD)/bench/forkbench $(BUILD)/dom0-vmlinux $(BUILD)/bench/tbprof
	bash bench/profile-fork-exec.sh bare none $(BUILD)/bench/forkbench $(BUILD)/dom0-vmlinux $(BUILD)/bench/tbprof

# The same in instructions (QEMU -icount): deterministic, for A/B of changes.
.PHONY: bench-fork-exec-icount
bench-fork-exec-icount: $(BUILD)/hypervisor.elf $(BUILD)/guests/xen-4.17.elf $(BUILD)/bench/forkbench $(BUILD)/dom0-vmlinux
	QEMU=bench/qemu-icount.sh BENCH_OUT=$(BUILD)/bench/icount sh bench/fork-exec.sh $(BUILD)/hypervisor.elf \
		$(BUILD)/guests/xen-4.17.elf $(BUILD)/bench/forkbench $(BUILD)/dom0-vmlinux

# Grant tables (issue 6): map+unmap pairs/s and grant copy MB/s; self-grants
# beside Xen 4.17, and between two domains on Paravane (bench/gnt.sh).
$(BUILD)/bench/gnt%.o: bench/guests/gnt%.c tests/guests/gnt_common.h $(wildcard tests/guests/lib/*.h hypervisor/include/public/*.h)
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) -c $< -o $@
$(BUILD)/bench/gntbench.elf $(BUILD)/bench/gntbench_granter.elf: $(BUILD)/bench/%.elf: $(BUILD)/bench/%.o $(BENCH_GUEST_LIB) tests/guests/lib/guest.ld
	$(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) -o $@ $(BENCH_GUEST_LIB) $<
.PHONY: bench-gnttab
bench-gnttab: $(BUILD)/hypervisor.elf $(BUILD)/guests/xen-4.17.elf $(BUILD)/bench/gntbench.elf $(BUILD)/bench/gntbench_granter.elf
	sh bench/gnt.sh $(BUILD)/hypervisor.elf $(BUILD)/guests/xen-4.17.elf $(BUILD)/bench/gntbench.elf $(BUILD)/bench/gntbench_granter.elf

# Starting and ending a 256 MiB domain from a Dom0 test kernel (issue 15):
# the builder of tests/guests/lib/domu.c, 2 CPUs (the domain runs beside Dom0).
$(BUILD)/bench/dombench.o: bench/guests/dombench.c $(wildcard tests/guests/lib/*.h hypervisor/include/public/*.h)
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) -c $< -o $@

$(BUILD)/bench/dombench.elf: $(BUILD)/bench/dombench.o $(BENCH_GUEST_LIB) $(BUILD)/guests/lib/domu.o tests/guests/lib/guest.ld
	$(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) -o $@ $(BENCH_GUEST_LIB) $(BUILD)/guests/lib/domu.o $<

ALL_TARGETS += $(BUILD)/bench/dombench.elf

.PHONY: bench-dom
bench-dom: $(BUILD)/hypervisor.elf $(BUILD)/guests/xen-4.17.elf $(BUILD)/bench/dombench.elf
	sh bench/dom.sh $(BUILD)/hypervisor.elf $(BUILD)/guests/xen-4.17.elf $(BUILD)/bench/dombench.elf

# The in-Dom0 benchmark scripts' clock and toolstack (bench/dom0/lib.sh),
# which each sources
BENCH_DOM0_LIB := bench/dom0/lib.sh:/tests/bench-lib.sh

# xl's everyday commands in Dom0 (issue 16): ours on Paravane against
# Debian's xl on Xen 4.17 in the same QEMU (bench/xl.sh, in-Dom0 script
# bench/dom0/xl-bench.sh): xl list with Dom0 alone and with a DomU, xl
# create of the stock bzImage until the DomU's /init (and of the
# pre-extracted ELF vmlinux), xl destroy. Logs in build/images/xlbench-*.
.PHONY: bench-xl
bench-xl: $(BUILD)/hypervisor.elf $(BUILD)/images/xen-4.17.elf $(BUILD)/dom0-vmlinux $(BUILD)/dom0/xl \
		$(DOM0_XS_DEPS) $(BUILD)/bin/xenconsoled $(BUILD)/domu-initrd.gz bench/xl.sh bench/dom0/xl-bench.sh \
		bench/dom0/lib.sh
	PV_FILES="$(DOM0_XS_FILES) $(BUILD)/dom0/xl:/usr/sbin/xl $(DOM0_CONSOLE_FILES) $(DOM0_DOMU_FILES) \
		$(BUILD)/dom0-vmlinux:/tests/domu-vmlinux $(BENCH_DOM0_LIB)" \
	XEN_FILES="$(DOM0_XS_FILES) $(BENCH_DOM0_LIB) $$(sh tests/integration/xl/xen-xl-files.sh) \
		$$(realpath /lib/x86_64-linux-gnu/libgcc_s.so.1):/usr/lib/xen-4.17/lib/libgcc_s.so.1 \
		$$(sh tests/images/fetch-deb.sh xen-utils-4.17)/usr/lib/xen-4.17/bin/xenconsoled:/usr/lib/xen-4.17/bin/xenconsoled \
		$(DOM0_DOMU_FILES) $(BUILD)/dom0-vmlinux:/tests/domu-vmlinux" \
	sh bench/xl.sh $(BUILD)/hypervisor.elf $(BUILD)/images/xen-4.17.elf

# Split block and network drivers (issue 17): a DomU's xvdb (blkfront ->
# blkback -> loop -> tmpfs) and vif (netfront -> netback -> xenbr0)
# against the same fio/dd/iperf3/nc/ping commands in Dom0, on Paravane
# with our xl and on Xen 4.17 with Debian's xl, alternating boots
# (bench/split.sh; ROUNDS=2, SPLIT_RUNTIME=5, SPLIT_MB=128). The programs
# come from the Debian DomU's root file system (make domu-rootfs, built
# when missing), mounted read-only in both Dom0 and the DomU.
# (Paths spelled out in prerequisites: tests/images/module.mk and
# tests/integration/split/module.mk are included after this file.)
DOMU_DIR ?= $(HOME)/.cache/paravane/domu
$(BUILD)/bench/splitbench-domu.gz: $(BUILD)/images/kernel.env bench/domu/split-init.sh bench/dom0/split-measure.sh \
		tests/images/build-dom0-initramfs.sh
	@mkdir -p $(@D)
	INITRAMFS_INIT=bench/domu/split-init.sh INITRAMFS_MODULES="xen-blkfront xen-netfront ext4 crc32c_generic" \
		sh tests/images/build-dom0-initramfs.sh $@ bench/dom0/split-measure.sh:/etc/split-measure.sh >/dev/null

SPLITBENCH_FILES = $$(. ./$(IMAGES_DIR)/kernel.env && echo $$vmlinuz):/tests/domu-kernel \
	$(BUILD)/bench/splitbench-domu.gz:/tests/splitbench-domu.gz bench/dom0/split-measure.sh:/tests/split-measure.sh \
	$(BENCH_DOM0_LIB)
.PHONY: bench-split
bench-split: $(BUILD)/hypervisor.elf $(BUILD)/images/xen-4.17.elf $(BUILD)/dom0-vmlinux $(BUILD)/dom0/xl \
		$(addprefix $(BUILD)/dom0/,xenstored xenstore xenstore-ring) $(BUILD)/lib/libxenstore.so.4 $(BUILD)/bin/xenconsoled \
		dom0-tools/hotplug/xen-hotplug.sh $(BUILD)/bench/splitbench-domu.gz \
		$(DOMU_DIR)/rootfs.img bench/split.sh bench/dom0/split-bench.sh bench/dom0/split-measure.sh bench/dom0/lib.sh
	DOMU_IMG=$(DOMU_DIR)/rootfs.img \
	PV_FILES="$(DOM0_XS_FILES) $(DOM0_SPLIT_FILES) $(DOM0_CONSOLE_FILES) $(BUILD)/dom0/xl:/usr/sbin/xl $(SPLITBENCH_FILES)" \
	XEN_FILES="$(DOM0_XS_FILES) $(DOM0_SPLIT_FILES) $(SPLITBENCH_FILES) $$(sh tests/integration/xl/xen-xl-files.sh) \
		$$(realpath /lib/x86_64-linux-gnu/libgcc_s.so.1):/usr/lib/xen-4.17/lib/libgcc_s.so.1 \
		$$(sh tests/images/fetch-deb.sh xen-utils-4.17)/usr/lib/xen-4.17/bin/xenconsoled:/usr/lib/xen-4.17/bin/xenconsoled" \
	sh bench/split.sh $(BUILD)/hypervisor.elf $(BUILD)/images/xen-4.17.elf
# The split drivers over a sweep (issue 17): as bench-split, with fio over
# RW x BS x IODEPTH (O_DIRECT, libaio) and iperf3 -P 1 and 4 both ways,
# each point a ratio to Dom0-local in the same boot, Paravane beside Xen
# 4.17 and the targets; the dd and dd|nc anchors and ping too. Knobs
# (lists space-separated): RW, BS, IODEPTH, RUNTIME (s per fio/iperf3
# run), ROUNDS; the default is short (4 KiB and 1 MiB, queue depth 1 and
# 32, 3 s, one round: ~15 minutes on a quiet host), SWEEP=full is the
# whole grid (5 sizes x 4 depths). Table: build/images/splitsweep-table.txt,
# plot (gnuplot): build/images/splitsweep.svg. COUNTERS=1: Paravane's
# wake-up counters per DomU point in the logs (3 s pause per point).
SWEEP_FULL = $(filter full,$(SWEEP))
.PHONY: bench-split-sweep
bench-split-sweep: $(BUILD)/hypervisor.elf $(BUILD)/images/xen-4.17.elf $(BUILD)/dom0-vmlinux $(BUILD)/dom0/xl \
		$(addprefix $(BUILD)/dom0/,xenstored xenstore xenstore-ring) $(BUILD)/lib/libxenstore.so.4 $(BUILD)/bin/xenconsoled \
		dom0-tools/hotplug/xen-hotplug.sh $(BUILD)/bench/splitbench-domu.gz \
		$(DOMU_DIR)/rootfs.img bench/split.sh bench/dom0/split-bench.sh bench/dom0/split-measure.sh bench/dom0/lib.sh
	DOMU_IMG=$(DOMU_DIR)/rootfs.img SPLIT_NAME=$(or $(SPLIT_NAME),splitsweep) ROUNDS=$(or $(ROUNDS),1) SPLIT_COUNTERS=$(or $(COUNTERS),0) \
	SPLIT_RUNTIME=$(or $(RUNTIME),$(if $(SWEEP_FULL),5,3)) SPLIT_MB=$(or $(SPLIT_MB),64) \
	SWEEP_RW="$(or $(RW),read randread write randwrite)" \
	SWEEP_BS="$(or $(BS),$(if $(SWEEP_FULL),4k 16k 64k 256k 1m,4k 1m))" \
	SWEEP_IODEPTH="$(or $(IODEPTH),$(if $(SWEEP_FULL),1 4 16 32,1 32))" \
	PV_FILES="$(DOM0_XS_FILES) $(DOM0_SPLIT_FILES) $(DOM0_CONSOLE_FILES) $(BUILD)/dom0/xl:/usr/sbin/xl $(SPLITBENCH_FILES)" \
	XEN_FILES="$(DOM0_XS_FILES) $(DOM0_SPLIT_FILES) $(SPLITBENCH_FILES) $$(sh tests/integration/xl/xen-xl-files.sh) \
		$$(realpath /lib/x86_64-linux-gnu/libgcc_s.so.1):/usr/lib/xen-4.17/lib/libgcc_s.so.1 \
		$$(sh tests/images/fetch-deb.sh xen-utils-4.17)/usr/lib/xen-4.17/bin/xenconsoled:/usr/lib/xen-4.17/bin/xenconsoled" \
	sh bench/split.sh $(BUILD)/hypervisor.elf $(BUILD)/images/xen-4.17.elf
# What each request costs (issue 17): Paravane's wake-up counters (debug
# keys P/p) around dd 1 MiB direct, fio randread 4 KiB QD1 and iperf3
# each way, Dom0-local and DomU in one boot, after an idle window (the
# background); bench/split-count.sh turns them into per-MiB / per-request
# figures. Log: build/images/splitcount-paravane-1-test.log.txt.
.PHONY: bench-split-count
bench-split-count: $(BUILD)/hypervisor.elf $(BUILD)/dom0-vmlinux $(BUILD)/dom0/xl \
		$(addprefix $(BUILD)/dom0/,xenstored xenstore xenstore-ring) $(BUILD)/lib/libxenstore.so.4 $(BUILD)/bin/xenconsoled \
		dom0-tools/hotplug/xen-hotplug.sh $(BUILD)/bench/splitbench-domu.gz \
		$(DOMU_DIR)/rootfs.img bench/split.sh bench/dom0/split-bench.sh bench/dom0/split-measure.sh bench/dom0/lib.sh
	DOMU_IMG=$(DOMU_DIR)/rootfs.img SPLIT_NAME=splitcount ROUNDS=1 SPLIT_SYSTEMS=paravane SPLIT_COUNT=1 \
	SPLIT_RUNTIME=$(or $(RUNTIME),10) SPLIT_MB=$(or $(SPLIT_MB),64) \
	PV_FILES="$(DOM0_XS_FILES) $(DOM0_SPLIT_FILES) $(DOM0_CONSOLE_FILES) $(BUILD)/dom0/xl:/usr/sbin/xl $(SPLITBENCH_FILES)" \
	sh bench/split.sh $(BUILD)/hypervisor.elf - && \
	sh bench/split-count.sh build/images/splitcount-paravane-1-test.log.txt
# Interleaved before/after boots of bench-split-count (bench/split-ab.sh):
# AB="before=/tmp/old.elf after=build/hypervisor.elf:idle_poll_us=50"
# (NAME=ELF[:HV_ARGS, commas for spaces]), ROUNDS (default 2).
.PHONY: bench-split-ab
bench-split-ab: $(BUILD)/dom0-vmlinux $(BUILD)/dom0/xl \
		$(addprefix $(BUILD)/dom0/,xenstored xenstore xenstore-ring) $(BUILD)/lib/libxenstore.so.4 $(BUILD)/bin/xenconsoled \
		dom0-tools/hotplug/xen-hotplug.sh $(BUILD)/bench/splitbench-domu.gz \
		$(DOMU_DIR)/rootfs.img bench/split.sh bench/split-ab.sh bench/dom0/split-bench.sh bench/dom0/split-measure.sh
	DOMU_IMG=$(DOMU_DIR)/rootfs.img SPLIT_RUNTIME=$(or $(RUNTIME),10) SPLIT_MB=$(or $(SPLIT_MB),64) \
	PV_FILES="$(DOM0_XS_FILES) $(DOM0_SPLIT_FILES) $(DOM0_CONSOLE_FILES) $(BUILD)/dom0/xl:/usr/sbin/xl $(SPLITBENCH_FILES)" \
	sh bench/split-ab.sh $(or $(ROUNDS),2) $(AB)
# The cost of one DomU <-> Dom0 round trip (issue 17): ping over Dom0's
# loopback, Dom0 -> DomU, DomU -> Dom0 and 4 MiB of TCP, with Paravane's
# wake-up counters (debug key 'p') around each, interleaved boots of
# Paravane (our xl) and Xen 4.17 (Debian's xl); bench/wake.sh. ROUNDS
# (default 2), WAKE_PINGS (default 20). Logs: build/images/wakebench-*.
WAKEBENCH_FILES = $$(. ./$(IMAGES_DIR)/kernel.env && echo $$vmlinuz):/usr/share/paravane/domu-vmlinuz \
	tests/integration/split/lib.sh:/tests/split-lib.sh $(BUILD)/split-agent-initrd.gz:/tests/split-agent-initrd.gz \
	$$(sh tests/images/fetch-deb.sh xen-utils-4.17)/usr/lib/xen-4.17/bin/xenconsoled:/usr/lib/xen-4.17/bin/xenconsoled
.PHONY: bench-wake
bench-wake: $(BUILD)/hypervisor.elf $(BUILD)/images/xen-4.17.elf $(BUILD)/dom0-vmlinux $(BUILD)/dom0/xl \
		$(addprefix $(BUILD)/dom0/,xenstored xenstore xenstore-ring) $(BUILD)/lib/libxenstore.so.4 \
		dom0-tools/hotplug/xen-hotplug.sh $(BUILD)/split-agent-initrd.gz tests/integration/split/lib.sh \
		bench/wake.sh bench/dom0/wake-bench.sh
	PV_FILES="$(DOM0_XS_FILES) $(DOM0_SPLIT_FILES) $(BUILD)/dom0/xl:/usr/sbin/xl $(WAKEBENCH_FILES) \
		$$(sh tests/integration/xl/xen-xl-files.sh | tr ' ' '\n' | grep -v '/bin/xl$$' | tr '\n' ' ')" \
	XEN_FILES="$(DOM0_XS_FILES) $(DOM0_SPLIT_FILES) $(WAKEBENCH_FILES) $$(sh tests/integration/xl/xen-xl-files.sh) \
		$$(realpath /lib/x86_64-linux-gnu/libgcc_s.so.1):/usr/lib/xen-4.17/lib/libgcc_s.so.1" \
	sh bench/wake.sh $(BUILD)/hypervisor.elf $(BUILD)/images/xen-4.17.elf
# Debian's own xl on Paravane against the same on Xen 4.17 (issue 18):
# the lifecycle of a PV DomU (create to /init, list, pause, unpause,
# destroy), interleaved boots of the xen-userspace image (bench/xen-xl.sh,
# in Dom0 bench/dom0/xu-bench.sh). Logs in build/images/xubench-*.
.PHONY: bench-xen-xl
bench-xen-xl: $(BUILD)/images/kernel.env $(BUILD)/dom0-vmlinux $(BUILD)/xu-domu-initrd.gz $(BUILD)/hypervisor.elf \
		$(BUILD)/images/xen-4.17.elf $(wildcard tests/integration/xen-userspace/*.sh) bench/xen-xl.sh bench/dom0/xu-bench.sh
	XU_FILES="$$(sh $(XU_DIR)/files.sh) $(XU_DIR)/domu.sh:/tests/xu-domu.sh bench/dom0/xu-bench.sh:/tests/xu-bench.sh \
		$$(. ./$(IMAGES_DIR)/kernel.env && echo $$vmlinuz):/usr/share/paravane/domu-vmlinuz \
		$(BUILD)/xu-domu-initrd.gz:/usr/share/paravane/xu-domu-initrd.gz \
		$(BUILD)/dom0-vmlinux:/usr/share/paravane/domu-vmlinux" \
	sh bench/xen-xl.sh $(BUILD)/hypervisor.elf $(IMAGES_DIR)/xen-4.17.elf

# QEMU CPU seconds to boot until Debian's bzImage is unpacked (dom0_mem=2M
# stops the Dom0 build right after): the decoders' cost, without the rest
# of a Dom0 boot; bench/boot-time.sh's unpack-only ways. BASE_HV (another
# hypervisor ELF) adds an interleaved row; RUNS (default 3). See
# docs/benchmarks.md, "Dom0 from the bzImage".
.PHONY: bench-unpack
bench-unpack: $(BUILD)/hypervisor.elf
	BUILD=$(BUILD) BASE_HV=$(BASE_HV) WAYS="unpack$(if $(BASE_HV), base-unpack)" sh bench/boot-time.sh
