# Debian-based boot images: Dom0 initramfs and ELF vmlinux, and the tests
# that need the real Debian kernel. The downloads (kernel, busybox, Xen) go
# to $(CACHE) and are deliberately not in ALL_TARGETS: only the tests and
# benchmarks that need them pull them in.

IMAGES_DIR     := $(BUILD)/images
IMAGES_SCRIPTS := tests/images/fetch-kernel.sh tests/images/fetch-deb.sh

# Paths of the fetched kernel and busybox (fetch-kernel.sh output). Asked
# every time (cheap once cached) but rewritten only when it changes, so a
# new Debian kernel rebuilds the images and an unchanged one does not.
$(IMAGES_DIR)/kernel.env: $(IMAGES_SCRIPTS) images-force
	@mkdir -p $(dir $@)
	@sh tests/images/fetch-kernel.sh >$@.tmp
	@if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; fi

.PHONY: images-force
images-force:

# xenstore in Dom0 (docs/xenstore.md): the daemon, the commands with
# libxenstore.so.4 and the C library's runtime they need, the ring
# round-trip program, and the init hook that starts xenstored in Dom0 mode.
# (Paths spelled out: xenstore/module.mk is included after this file.)
DOM0_LIBC := $(realpath $(shell $(HOST_CC) -print-file-name=libc.so.6))
DOM0_XS_DEPS := $(addprefix $(BUILD)/dom0/,xenstored xenstore xenstore-ring) \
	$(BUILD)/lib/libxenstore.so.4 tests/images/rc-xenstored.sh
DOM0_XS_FILES := $(BUILD)/dom0/xenstored:/usr/sbin/xenstored \
	$(BUILD)/dom0/xenstore:/usr/bin/xenstore \
	$(BUILD)/dom0/xenstore-ring:/usr/bin/xenstore-ring \
	$(BUILD)/lib/libxenstore.so.4:/usr/lib/x86_64-linux-gnu/libxenstore.so.4 \
	$(DOM0_LIBC):/lib/x86_64-linux-gnu/libc.so.6 \
	/lib64/ld-linux-x86-64.so.2:/lib64/ld-linux-x86-64.so.2 \
	tests/images/rc-xenstored.sh:/etc/init.d/rc.paravane.d/10-xenstored

# libxenctrl's end-to-end check (tests/integration/xc-smoke), static, so
# that `xc-smoke` can be run by hand in `make run`'s Dom0; and xl
# (dom0-tools/xl, static too) where Debian puts it.
DOM0_XC_FILES := $(BUILD)/dom0/xc-smoke:/usr/bin/xc-smoke $(BUILD)/dom0/xl:/usr/sbin/xl

# Split drivers (docs/split-drivers.md): the hotplug helper where libxl
# runs Xen's scripts, and the init hook that makes the bridge xenbr0 (the
# backend modules are in build-dom0-initramfs.sh's list); the split checks'
# shell helpers (tests/integration/split/lib.sh), which each sources.
DOM0_SPLIT_DEPS := dom0-tools/hotplug/xen-hotplug.sh tests/images/rc-xenbr0.sh tests/integration/split/lib.sh
DOM0_SPLIT_FILES := dom0-tools/hotplug/xen-hotplug.sh:/etc/xen/scripts/block \
	dom0-tools/hotplug/xen-hotplug.sh:/etc/xen/scripts/vif-bridge \
	tests/images/rc-xenbr0.sh:/etc/init.d/rc.paravane.d/20-xenbr0 \
	tests/integration/split/lib.sh:/tests/split-lib.sh

# xenconsoled (dom0-tools/xenconsoled) and the init hook that starts it
# after xenstored, logging guests under /var/log/xen/console.
DOM0_CONSOLE_DEPS := $(BUILD)/bin/xenconsoled tests/images/rc-xenconsoled.sh
DOM0_CONSOLE_FILES := $(BUILD)/bin/xenconsoled:/usr/sbin/xenconsoled \
	tests/images/rc-xenconsoled.sh:/etc/init.d/rc.paravane.d/20-xenconsoled

# A DomU to boot from Dom0: Debian's stock bzImage (the kernel Dom0 runs)
# and the DomU initramfs (build-domu-initramfs.sh), for the PV builder's
# tests and `xl create` (command line: console=hvc0). The kernel's path is
# known once kernel.env is, hence the deferred expansion.
DOM0_DOMU_FILES = $$(. ./$(IMAGES_DIR)/kernel.env && echo $$vmlinuz):/usr/share/paravane/domu-vmlinuz \
	$(BUILD)/domu-initrd.gz:/usr/share/paravane/domu-initrd.gz \
	tests/images/example.cfg:/etc/xen/example.cfg

$(BUILD)/domu-initrd.gz: $(IMAGES_DIR)/kernel.env tests/images/build-domu-initramfs.sh
	sh tests/images/build-domu-initramfs.sh $@

$(BUILD)/dom0-initrd.gz: $(DOM0_CONSOLE_DEPS)
$(BUILD)/dom0-initrd.gz: $(IMAGES_DIR)/kernel.env tests/images/build-dom0-initramfs.sh tests/images/dom0-init.sh \
		$(DOM0_XS_DEPS) $(BUILD)/dom0/xc-smoke $(BUILD)/dom0/xl $(DOM0_SPLIT_DEPS)
	sh tests/images/build-dom0-initramfs.sh $@ $(DOM0_XS_FILES) $(DOM0_XC_FILES) $(DOM0_DOMU_FILES) $(DOM0_CONSOLE_FILES) \
		$(DOM0_SPLIT_FILES) $(DOM0_DEBIAN_FILES)
$(BUILD)/dom0-initrd.gz: $(BUILD)/domu-initrd.gz tests/images/example.cfg

# Debian's kernel file as it is in /boot (a bzImage): what `make run` and
# GRUB hand the hypervisor. Copied so that its name does not change.
$(BUILD)/dom0-vmlinuz: $(IMAGES_DIR)/kernel.env
	. ./$(IMAGES_DIR)/kernel.env && cp "$$vmlinuz" $@

$(BUILD)/dom0-vmlinux: $(IMAGES_DIR)/kernel.env $(BUILD)/bin/pv-extract-vmlinux
	. ./$(IMAGES_DIR)/kernel.env && $(BUILD)/bin/pv-extract-vmlinux "$$vmlinuz" $@

# Debian's Xen 4.17, unpacked to the ELF that QEMU's Multiboot loader takes:
# the reference hypervisor for images-boot-xen and the benchmark.
$(IMAGES_DIR)/xen-4.17.elf: $(IMAGES_SCRIPTS)
	@mkdir -p $(dir $@)
	gunzip -c "$$(sh tests/images/fetch-deb.sh xen-hypervisor-4.17-amd64)"/boot/xen-4.17-amd64.gz >$@.tmp
	mv $@.tmp $@

.PHONY: images dom0-images images-extract images-boot-bare images-boot-xen
dom0-images images: $(BUILD)/dom0-initrd.gz $(BUILD)/dom0-vmlinux $(BUILD)/dom0-vmlinuz

images-extract: $(BUILD)/dom0-vmlinux $(BUILD)/bin/pv-extract-vmlinux
	sh tests/integration/images_extract_test.sh $(BUILD)/bin/pv-extract-vmlinux $(BUILD)/dom0-vmlinux

images-boot-bare: $(IMAGES_DIR)/kernel.env
	sh tests/integration/images_boot_test.sh bare $(IMAGES_DIR)/kernel.env $(IMAGES_DIR)

images-boot-xen: $(IMAGES_DIR)/kernel.env $(BUILD)/dom0-vmlinux $(IMAGES_DIR)/xen-4.17.elf $(BUILD)/bin/dom0-abi-test
	DOM0_ABI_TEST=$(BUILD)/bin/dom0-abi-test sh tests/integration/images_boot_test.sh xen $(IMAGES_DIR)/kernel.env $(IMAGES_DIR) $(IMAGES_DIR)/xen-4.17.elf

# Debian's stock kernel as Dom0 on Paravane: the smoke script, the Dom0 ABI
# program (privcmd hypercalls, evtchn round trips), 2 vCPUs, time. The
# kernel module is the file Debian installs in /boot (a bzImage, unpacked
# by the hypervisor), as GRUB passes it; the tests below, from
# images-boot-paravane-xsave on, boot the extracted ELF vmlinux, so both
# forms are covered.
$(BUILD)/bin/dom0-abi-test: tests/images/dom0-abi-test.c tests/images/dom0-check.h \
		dom0-tools/libs/linux/linux_xen.h
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -Idom0-tools/libs/linux -static -o $@ $<

# The Dom0 hypercall fuzzer (tests/images/dom0-hcfuzz.c): a short seeded run
# in images-boot-paravane's Dom0; `make fuzz-dom0 SECONDS=N [SEED=S]` for long ones.
$(BUILD)/bin/dom0-hcfuzz: tests/images/dom0-hcfuzz.c dom0-tools/libs/linux/linux_xen.h $(wildcard hypervisor/include/public/*.h)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -Idom0-tools/libs/linux -Ihypervisor/include -static -o $@ $<
ALL_TARGETS += $(BUILD)/bin/dom0-hcfuzz

.PHONY: images-boot-paravane
images-boot-paravane: $(IMAGES_DIR)/kernel.env $(BUILD)/hypervisor.elf $(BUILD)/bin/dom0-abi-test $(BUILD)/bin/dom0-hcfuzz
	. ./$(IMAGES_DIR)/kernel.env && DOM0_KERNEL="$$vmlinuz" DOM0_ABI_TEST=$(BUILD)/bin/dom0-abi-test \
		DOM0_HCFUZZ=$(BUILD)/bin/dom0-hcfuzz \
		sh tests/integration/images_boot_test.sh paravane $(IMAGES_DIR)/kernel.env $(IMAGES_DIR) $(BUILD)/hypervisor.elf
	grep -E '^Dom0: kernel .* is a bzImage: [0-9]+ KiB of xz unpacked to [0-9]+ KiB in [0-9]+ ms \([1-9][0-9]{4,} KiB used in place' \
		$(IMAGES_DIR)/paravane-test.log.txt

# Debian's bzImage with its payload recompressed with lz4 in the legacy
# format Linux's build uses (tests/images/rewrap-bzimage.sh; the stub stays
# Debian's, so it is for the Dom0 builder only): our lz4 decoder unpacks it
# and the same Dom0 boots.
$(BUILD)/dom0-vmlinuz-lz4: $(IMAGES_DIR)/kernel.env $(BUILD)/dom0-vmlinux tests/images/rewrap-bzimage.sh
	. ./$(IMAGES_DIR)/kernel.env && sh tests/images/rewrap-bzimage.sh "$$vmlinuz" $(BUILD)/dom0-vmlinux $@ lz4

.PHONY: images-boot-paravane-lz4
images-boot-paravane-lz4: $(IMAGES_DIR)/kernel.env $(BUILD)/dom0-vmlinuz-lz4 $(BUILD)/hypervisor.elf
	BOOT_NAME=paravane-lz4 DOM0_KERNEL=$(BUILD)/dom0-vmlinuz-lz4 \
		sh tests/integration/images_boot_test.sh paravane $(IMAGES_DIR)/kernel.env $(IMAGES_DIR) $(BUILD)/hypervisor.elf
	grep -E '^Dom0: kernel .*dom0-vmlinuz-lz4 is a bzImage: [0-9]+ KiB of lz4 unpacked to [0-9]+ KiB in [0-9]+ ms' \
		$(IMAGES_DIR)/paravane-lz4-test.log.txt
TESTS += images-boot-paravane-lz4
# The reference: Xen 4.17 boots the same file as Dom0 (it has its own lz4 decoder).
.PHONY: images-boot-xen-lz4
images-boot-xen-lz4: $(IMAGES_DIR)/kernel.env $(BUILD)/dom0-vmlinuz-lz4 $(IMAGES_DIR)/xen-4.17.elf
	BOOT_NAME=xen-lz4 DOM0_KERNEL=$(BUILD)/dom0-vmlinuz-lz4 \
		sh tests/integration/images_boot_test.sh xen $(IMAGES_DIR)/kernel.env $(IMAGES_DIR) $(IMAGES_DIR)/xen-4.17.elf
SLOW_TESTS += images-boot-xen-lz4

# The same with zstd, as CONFIG_KERNEL_ZSTD builds it (`zstd -22 --ultra`, a
# 128 MiB window): our zstd decoder unpacks it and the same Dom0 boots. A
# whole Dom0 boot more (and ~20 CPU seconds to compress): make test-all only.
# unit-bzimage-debian-zstd checks the unpacked bytes on the host.
$(BUILD)/dom0-vmlinuz-zstd: $(IMAGES_DIR)/kernel.env $(BUILD)/dom0-vmlinux tests/images/rewrap-bzimage.sh
	. ./$(IMAGES_DIR)/kernel.env && sh tests/images/rewrap-bzimage.sh "$$vmlinuz" $(BUILD)/dom0-vmlinux $@ zstd

.PHONY: images-boot-paravane-zstd images-boot-xen-zstd
images-boot-paravane-zstd: $(IMAGES_DIR)/kernel.env $(BUILD)/dom0-vmlinuz-zstd $(BUILD)/hypervisor.elf
	BOOT_NAME=paravane-zstd DOM0_KERNEL=$(BUILD)/dom0-vmlinuz-zstd \
		sh tests/integration/images_boot_test.sh paravane $(IMAGES_DIR)/kernel.env $(IMAGES_DIR) $(BUILD)/hypervisor.elf
	grep -E '^Dom0: kernel .*dom0-vmlinuz-zstd is a bzImage: [0-9]+ KiB of zstd unpacked to [0-9]+ KiB in [0-9]+ ms' \
		$(IMAGES_DIR)/paravane-zstd-test.log.txt
SLOW_TESTS += images-boot-paravane-zstd
# The reference: Xen 4.17 boots the same file as Dom0 (it has its own zstd decoder).
images-boot-xen-zstd: $(IMAGES_DIR)/kernel.env $(BUILD)/dom0-vmlinuz-zstd $(IMAGES_DIR)/xen-4.17.elf
	BOOT_NAME=xen-zstd DOM0_KERNEL=$(BUILD)/dom0-vmlinuz-zstd \
		sh tests/integration/images_boot_test.sh xen $(IMAGES_DIR)/kernel.env $(IMAGES_DIR) $(IMAGES_DIR)/xen-4.17.elf
SLOW_TESTS += images-boot-xen-zstd

# The same Dom0 on a CPU with XSAVE and AVX (+xgetbv1: see XSAVE_CPU_AVX in
# tests/guests/module.mk): Linux must find XSAVE usable and enable x87|SSE|AVX,
# as it does on Xen (images-boot-xen-xsave, the reference; not in TESTS).
IMAGES_XSAVE_CPU := qemu64,-vmx,-svm,+xsave,+avx,+xgetbv1
.PHONY: images-boot-paravane-xsave images-boot-xen-xsave
images-boot-paravane-xsave: $(IMAGES_DIR)/kernel.env $(BUILD)/dom0-vmlinux $(BUILD)/hypervisor.elf $(BUILD)/bin/dom0-abi-test
	BOOT_NAME=paravane-xsave BOOT_CPU=$(IMAGES_XSAVE_CPU) BOOT_SHOW='x86/fpu' DOM0_ABI_TEST=$(BUILD)/bin/dom0-abi-test \
		sh tests/integration/images_boot_test.sh paravane $(IMAGES_DIR)/kernel.env $(IMAGES_DIR) $(BUILD)/hypervisor.elf
	grep -q 'x86/fpu: Enabled xstate features 0x7, context size is 832 bytes' $(IMAGES_DIR)/paravane-xsave-test.log.txt
images-boot-xen-xsave: $(IMAGES_DIR)/kernel.env $(BUILD)/dom0-vmlinux $(IMAGES_DIR)/xen-4.17.elf
	BOOT_NAME=xen-xsave BOOT_CPU=$(IMAGES_XSAVE_CPU) BOOT_SHOW='x86/fpu' \
		sh tests/integration/images_boot_test.sh xen $(IMAGES_DIR)/kernel.env $(IMAGES_DIR) $(IMAGES_DIR)/xen-4.17.elf
	grep -q 'x86/fpu: Enabled xstate features 0x7, context size is 832 bytes' $(IMAGES_DIR)/xen-xsave-test.log.txt

ALL_TARGETS += $(BUILD)/bin/dom0-abi-test
TESTS += images-extract images-boot-bare images-boot-xen images-boot-paravane images-boot-paravane-xsave
APT_PACKAGES += busybox-static cpio gzip xz-utils binutils qemu-system-x86

# Boot-time benchmark (bench/boot-time.sh; not a test, see docs/boot-time.md).
.PHONY: bench-boot-time
bench-boot-time: $(BUILD)/dom0-initrd.gz $(BUILD)/dom0-vmlinux $(IMAGES_DIR)/xen-4.17.elf
	BUILD=$(BUILD) XEN_ELF=$(IMAGES_DIR)/xen-4.17.elf sh bench/boot-time.sh

# Physical interrupts in Dom0 (issue 7): RTC (edge) and a virtio-blk disk on
# a level PCI INTx line; the same check on Xen 4.17 shows it is right.
$(BUILD)/bin/dom0-irq-test: tests/images/dom0-irq-test.c tests/images/dom0-check.h
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -static -o $@ $<

.PHONY: images-irq-paravane images-irq-xen
images-irq-paravane: $(IMAGES_DIR)/kernel.env $(BUILD)/dom0-vmlinux $(BUILD)/hypervisor.elf $(BUILD)/bin/dom0-irq-test
	sh tests/integration/images_irq_test.sh paravane $(IMAGES_DIR)/kernel.env $(IMAGES_DIR) \
		$(BUILD)/hypervisor.elf $(BUILD)/bin/dom0-irq-test
images-irq-xen: $(IMAGES_DIR)/kernel.env $(BUILD)/dom0-vmlinux $(IMAGES_DIR)/xen-4.17.elf $(BUILD)/bin/dom0-irq-test
	sh tests/integration/images_irq_test.sh xen $(IMAGES_DIR)/kernel.env $(IMAGES_DIR) \
		$(IMAGES_DIR)/xen-4.17.elf $(BUILD)/bin/dom0-irq-test

ALL_TARGETS += $(BUILD)/bin/dom0-irq-test
TESTS += images-irq-paravane images-irq-xen

# Dom0's poweroff switches the machine off (ACPI S5): QEMU exits by itself.
.PHONY: images-poweroff-paravane
images-poweroff-paravane: $(IMAGES_DIR)/kernel.env $(BUILD)/dom0-vmlinux $(BUILD)/hypervisor.elf
	sh tests/integration/images_poweroff_test.sh $(IMAGES_DIR)/kernel.env $(IMAGES_DIR) $(BUILD)/hypervisor.elf

TESTS += images-poweroff-paravane

# Long runs of the Dom0 hypercall fuzzer (not a test; docs/security.md
# "Fuzzing from Dom0"): Debian's Dom0 on Paravane runs dom0-hcfuzz for
# SECONDS from SEED (both as for fuzz-guest, tests/guests/module.mk: SEED
# defaults to the time and is printed; FUZZ_DOM0_XEN=1: on Xen 4.17, without
# the audit). The log is build/images/fuzz-dom0[-xen]-test.log.txt.
# Replay: SEED=s FUZZ_DOM0_ROUNDS=n (the count printed) [FUZZ_DOM0_TRACE=r:
# print round r's calls and answers].
FUZZ_DOM0_ROUNDS ?= 1000000000
FUZZ_DOM0_TRACE ?=
FUZZ_DOM0_HV = $(if $(FUZZ_DOM0_XEN),xen $(IMAGES_DIR)/kernel.env $(IMAGES_DIR) $(IMAGES_DIR)/xen-4.17.elf,\
	paravane $(IMAGES_DIR)/kernel.env $(IMAGES_DIR) $(BUILD)/hypervisor.elf)
.PHONY: fuzz-dom0
fuzz-dom0: $(IMAGES_DIR)/kernel.env $(BUILD)/hypervisor.elf $(BUILD)/dom0-vmlinux $(BUILD)/bin/dom0-hcfuzz \
		$(if $(FUZZ_DOM0_XEN),$(IMAGES_DIR)/xen-4.17.elf)
	BOOT_NAME=fuzz-dom0$(if $(FUZZ_DOM0_XEN),-xen) BOOT_SCRIPT=tests/integration/dom0_hcfuzz.sh:/tests/dom0_hcfuzz.sh \
	BOOT_PASS='^dom0-hcfuzz-run: PASS' BOOT_SHOW='^dom0-hcfuzz' IMAGES_BOOT_TIMEOUT=$$(( 3 * $(SECONDS) + 300 )) \
	BOOT_KARGS="paravane.hcfuzz=$(SEED):$(FUZZ_DOM0_ROUNDS):$(SECONDS)$(if $(FUZZ_DOM0_TRACE),:$(FUZZ_DOM0_TRACE))" DOM0_HCFUZZ=$(BUILD)/bin/dom0-hcfuzz \
		sh tests/integration/images_boot_test.sh $(FUZZ_DOM0_HV)
