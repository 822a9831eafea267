# Split drivers (docs/split-drivers.md), the parts that need no xl create
# of ours: the reference layout from Xen 4.17's own toolstack, and Dom0's
# backends, bridge and hotplug helper on Paravane.
SPLIT_DIR := tests/integration/split

# images-split-xen-layout: Debian's xl creates a paused DomU with a disk
# and a vif on Xen 4.17, our hotplug helper serving libxl; the xenstore
# nodes and the helper's calls are compared with xen-4.17-layout.golden,
# which the device library's unit test (unit-device) checks its output
# against. SPLIT_RECORD=1 records the golden anew.
SPLIT_XEN_DEPS := $(IMAGES_DIR)/kernel.env $(BUILD)/dom0-vmlinux $(IMAGES_DIR)/xen-4.17.elf \
	$(DOM0_XS_DEPS) $(DOM0_SPLIT_DEPS) $(addprefix $(SPLIT_DIR)/,xen-layout.sh run-layout.sh) \
	tests/integration/xl/xen-xl-files.sh tests/integration/images_boot_test.sh

.PHONY: images-split-xen-layout
images-split-xen-layout: $(SPLIT_XEN_DEPS)
	. ./$(IMAGES_DIR)/kernel.env && sh $(SPLIT_DIR)/run-layout.sh images-split-xen-layout \
		$(SPLIT_DIR)/xen-4.17-layout.golden $(IMAGES_DIR)/kernel.env $(IMAGES_DIR) \
		$(IMAGES_DIR)/xen-4.17.elf $(DOM0_XS_FILES) $(DOM0_SPLIT_FILES) "$$vmlinuz:/tests/domu-kernel" \
		$$(sh tests/integration/xl/xen-xl-files.sh) \
		$$(realpath /lib/x86_64-linux-gnu/libgcc_s.so.1):/usr/lib/xen-4.17/lib/libgcc_s.so.1

# images-split-paravane: one Dom0 boot on Paravane (dom0-check.sh): the
# backend modules loaded and registered, xenbr0 up with 10.0.0.1/24, the
# hotplug helper against the real xenstored (loop device set up and
# released, a missing image refused, a vif on xenbr0 and off it).
.PHONY: images-split-paravane
images-split-paravane: $(IMAGES_DIR)/kernel.env $(BUILD)/dom0-vmlinux $(BUILD)/hypervisor.elf \
		$(DOM0_XS_DEPS) $(DOM0_SPLIT_DEPS) $(SPLIT_DIR)/dom0-check.sh tests/integration/images_boot_test.sh
	INITRAMFS_EXTRA_MODULES=dummy BOOT_NAME=split-paravane BOOT_SCRIPT=$(SPLIT_DIR)/dom0-check.sh:/tests/split-dom0.sh \
		BOOT_PASS='^split-dom0: PASS' BOOT_SHOW='^split-dom0:' BOOT_EXTRA="$(DOM0_XS_FILES) $(DOM0_SPLIT_FILES)" \
		sh tests/integration/images_boot_test.sh paravane $(IMAGES_DIR)/kernel.env $(IMAGES_DIR) $(BUILD)/hypervisor.elf

TESTS += images-split-paravane
# Debian's xl on Xen 4.17 against the recorded layout (unit-device reads the
# committed golden in make test): make test-all
SLOW_TESTS += images-split-xen-layout

# The Debian DomU (docs/split-drivers.md "The Debian DomU"): `make
# domu-rootfs` builds it into $(DOMU_DIR) with mmdebstrap (slow: not a
# test). images-domu-xen boots it on Xen 4.17 with Xen's own toolstack
# (its disk a snapshot of rootfs.img, so the image stays as built), to the
# login prompt and ping over xenbr0: a check of the image, by hand.
DOMU_DIR ?= $(HOME)/.cache/paravane/domu
.PHONY: domu-rootfs images-domu-xen
domu-rootfs: tests/images/build-domu-rootfs.sh tests/images/domu-init.sh tests/images/build-dom0-initramfs.sh
	sh tests/images/build-domu-rootfs.sh $(DOMU_DIR)

images-domu-xen: $(SPLIT_XEN_DEPS) $(SPLIT_DIR)/domu-boot.sh
	@[ -f $(DOMU_DIR)/rootfs.img ] || { echo "images-domu-xen: no $(DOMU_DIR)/rootfs.img: make domu-rootfs first"; exit 1; }
	IMAGES_BOOT_TIMEOUT=900 QEMU_EXTRA="-drive file=$(DOMU_DIR)/rootfs.img,if=virtio,format=raw,snapshot=on" \
		BOOT_NAME=domu-xen BOOT_SCRIPT=$(SPLIT_DIR)/domu-boot.sh:/tests/domu-boot.sh \
		BOOT_PASS='^domu-boot: PASS' BOOT_SHOW='^domu-boot:' \
		BOOT_EXTRA="$(DOM0_XS_FILES) $(DOM0_SPLIT_FILES) $(DOMU_DIR)/vmlinuz:/tests/domu-kernel \
			$(DOMU_DIR)/initrd.gz:/tests/domu-initrd $$(sh tests/integration/xl/xen-xl-files.sh) \
			$$(sh tests/images/fetch-deb.sh xen-utils-4.17)/usr/lib/xen-4.17/bin/xenconsoled:/usr/lib/xen-4.17/bin/xenconsoled \
			$$(realpath /lib/x86_64-linux-gnu/libgcc_s.so.1):/usr/lib/xen-4.17/lib/libgcc_s.so.1" \
		sh tests/integration/images_boot_test.sh xen $(IMAGES_DIR)/kernel.env $(IMAGES_DIR) $(IMAGES_DIR)/xen-4.17.elf

# images-split-xl: one Dom0 boot on Paravane (xl-check.sh): our xl gives a
# DomU a file: disk (ext4 with a marker, made here with mke2fs -d), a
# read-only disk and a vif on xenbr0; the DomU (domu-xl-init.sh, its own
# initramfs with xen-blkfront, xen-netfront, ext4) reads, writes, pings;
# block-attach/-detach, block-list/network-list, refused specs, destroy
# leaves nothing behind and the DomU's file is in the image. Xen's
# xenconsoled serves the DomU's console (as in images-xlcreate-full).
$(BUILD)/split-disk.img:
	@mkdir -p $(BUILD)/split-disk.d
	echo hello-paravane >$(BUILD)/split-disk.d/marker
	rm -f $@.tmp && mke2fs -q -t ext4 -d $(BUILD)/split-disk.d $@.tmp 8M && mv $@.tmp $@

$(BUILD)/split-domu-initrd.gz: $(IMAGES_DIR)/kernel.env $(SPLIT_DIR)/domu-xl-init.sh tests/images/build-dom0-initramfs.sh
	INITRAMFS_INIT=$(SPLIT_DIR)/domu-xl-init.sh INITRAMFS_MODULES="xen-blkfront xen-netfront ext4 crc32c_generic" \
		sh tests/images/build-dom0-initramfs.sh $@ >/dev/null

.PHONY: images-split-xl
images-split-xl: $(IMAGES_DIR)/kernel.env $(BUILD)/dom0-vmlinux $(BUILD)/hypervisor.elf $(DOM0_XS_DEPS) \
		$(DOM0_SPLIT_DEPS) $(BUILD)/dom0/xl $(BUILD)/split-disk.img $(BUILD)/split-domu-initrd.gz \
		$(SPLIT_DIR)/xl-check.sh tests/integration/images_boot_test.sh tests/integration/xl/xen-xl-files.sh
	INITRAMFS_EXTRA_MODULES="ext4 crc32c_generic" IMAGES_BOOT_TIMEOUT=400 \
		BOOT_NAME=split-xl BOOT_SCRIPT=$(SPLIT_DIR)/xl-check.sh:/tests/split-xl.sh \
		BOOT_PASS='^split-xl: DONE' BOOT_SHOW='^split-xl:' \
		BOOT_EXTRA="$(DOM0_XS_FILES) $(DOM0_SPLIT_FILES) $(BUILD)/dom0/xl:/usr/sbin/xl \
			$$(. ./$(IMAGES_DIR)/kernel.env && echo $$vmlinuz):/usr/share/paravane/domu-vmlinuz \
			$(BUILD)/split-disk.img:/tests/split-disk.img $(BUILD)/split-domu-initrd.gz:/tests/split-domu-initrd.gz \
			$$(sh tests/integration/xl/xen-xl-files.sh) \
			$$(sh tests/images/fetch-deb.sh xen-utils-4.17)/usr/lib/xen-4.17/bin/xenconsoled:/usr/lib/xen-4.17/bin/xenconsoled" \
		sh tests/integration/images_boot_test.sh paravane $(IMAGES_DIR)/kernel.env $(IMAGES_DIR) $(BUILD)/hypervisor.elf

TESTS += images-split-xl

# images-split-hostile: one Dom0 boot on Paravane (hostile-check.sh): our
# hostile test kernel (tests/guests/hostile.c) as a DomU made by our xl,
# with a disk and three vifs, talks blkif/netif garbage to Linux's
# blkback/netback and attacks the other domains' xenstore nodes, grants,
# frames and ports and its own limits, beside an honest DomU
# (domu-xl-init.sh, paravane.honest) that writes its disk and pings Dom0
# every second; the backends' log lines, the honest DomU's rounds and
# data, Dom0's health and the hostile DomU's teardown are checked. About
# 130 s on a quiet machine (230 s at load 15): make test-all.
# images-split-hostile-short (make test): the same without the honest
# DomU (Dom0 stands for the other domain and does the rounds itself).
SPLIT_HOSTILE_DEPS := $(IMAGES_DIR)/kernel.env $(BUILD)/dom0-vmlinux $(BUILD)/hypervisor.elf $(DOM0_XS_DEPS) \
	$(DOM0_SPLIT_DEPS) $(BUILD)/dom0/xl $(BUILD)/split-disk.img $(BUILD)/split-domu-initrd.gz \
	$(BUILD)/guests/hostile.elf $(SPLIT_DIR)/hostile-check.sh tests/integration/images_boot_test.sh \
	tests/integration/xl/xen-xl-files.sh
# $(1) boot name, $(2) more Dom0 kernel arguments, $(3) timeout (default 400 s); then MODE
# KERNEL_ENV WORKDIR HV follow
SPLIT_HOSTILE_BOOT = INITRAMFS_EXTRA_MODULES="ext4 crc32c_generic" IMAGES_BOOT_TIMEOUT=$(or $(3),400) \
	BOOT_NAME=$(1) BOOT_SCRIPT=$(SPLIT_DIR)/hostile-check.sh:/tests/split-hostile.sh BOOT_KARGS="$(2)" \
	BOOT_PASS='^split-hostile: DONE' BOOT_SHOW='^split-hostile:\|^shs|' \
	BOOT_EXTRA="$(DOM0_XS_FILES) $(DOM0_SPLIT_FILES) $(BUILD)/dom0/xl:/usr/sbin/xl \
		$$(. ./$(IMAGES_DIR)/kernel.env && echo $$vmlinuz):/usr/share/paravane/domu-vmlinuz \
		$(BUILD)/split-disk.img:/tests/split-disk.img $(BUILD)/split-domu-initrd.gz:/tests/split-domu-initrd.gz \
		$(BUILD)/guests/hostile.elf:/tests/hostile.elf \
		$$(sh tests/integration/xl/xen-xl-files.sh) \
		$$(sh tests/images/fetch-deb.sh xen-utils-4.17)/usr/lib/xen-4.17/bin/xenconsoled:/usr/lib/xen-4.17/bin/xenconsoled" \
	sh tests/integration/images_boot_test.sh
.PHONY: images-split-hostile images-split-hostile-short images-split-hostile-xen
images-split-hostile: $(SPLIT_HOSTILE_DEPS)
	$(call SPLIT_HOSTILE_BOOT,split-hostile,) paravane $(IMAGES_DIR)/kernel.env $(IMAGES_DIR) $(BUILD)/hypervisor.elf
images-split-hostile-short: $(SPLIT_HOSTILE_DEPS)
	$(call SPLIT_HOSTILE_BOOT,split-hostile-short,paravane.hostile=short) paravane $(IMAGES_DIR)/kernel.env \
		$(IMAGES_DIR) $(BUILD)/hypervisor.elf
# The short run on Xen 4.17 with our xl: the reference for the hostile
# DomU's own checks (slow there: ~10 min at load 15; by hand)
images-split-hostile-xen: $(SPLIT_HOSTILE_DEPS) $(IMAGES_DIR)/xen-4.17.elf
	XEN_SMP=2 $(call SPLIT_HOSTILE_BOOT,split-hostile-xen,paravane.hostile=short,1200) xen $(IMAGES_DIR)/kernel.env $(IMAGES_DIR) \
		$(IMAGES_DIR)/xen-4.17.elf
TESTS += images-split-hostile-short
SLOW_TESTS += images-split-hostile
# images-split-xl-pair and images-split-xl-cycles (docs/split-drivers.md
# "Tests"): DomUs made by our xl that run domu-agent-init.sh, a shell on
# TCP port 7000 through which the Dom0 script acts inside them. Every
# check script here sources lib.sh (its helpers; in DOM0_SPLIT_FILES).
# Their initramfs has /sbin/reboot (domu-reboot.sh) for xl reboot.
$(BUILD)/split-agent-initrd.gz: $(IMAGES_DIR)/kernel.env $(SPLIT_DIR)/domu-agent-init.sh $(SPLIT_DIR)/domu-reboot.sh \
		tests/images/build-dom0-initramfs.sh
	INITRAMFS_INIT=$(SPLIT_DIR)/domu-agent-init.sh INITRAMFS_MODULES="xen-blkfront xen-netfront ext4 crc32c_generic" \
		sh tests/images/build-dom0-initramfs.sh $@ $(SPLIT_DIR)/domu-reboot.sh:/sbin/reboot >/dev/null

SPLIT_AGENT_DEPS := $(IMAGES_DIR)/kernel.env $(BUILD)/dom0-vmlinux $(BUILD)/hypervisor.elf $(DOM0_XS_DEPS) \
	$(DOM0_SPLIT_DEPS) $(BUILD)/dom0/xl $(BUILD)/split-disk.img $(BUILD)/split-agent-initrd.gz \
	tests/integration/images_boot_test.sh tests/integration/xl/xen-xl-files.sh
# split_agent_boot NAME SCRIPT PREFIX TIMEOUT [KARGS]: one Dom0 boot on Paravane running SCRIPT
split_agent_boot = INITRAMFS_EXTRA_MODULES="ext4 crc32c_generic" IMAGES_BOOT_TIMEOUT=$(4) \
	BOOT_NAME=$(1) BOOT_SCRIPT=$(SPLIT_DIR)/$(2):/tests/$(1).sh BOOT_KARGS="$(5)" \
	BOOT_PASS='^$(3): DONE' BOOT_SHOW='^$(3):' \
	BOOT_EXTRA="$(DOM0_XS_FILES) $(DOM0_SPLIT_FILES) $(BUILD)/dom0/xl:/usr/sbin/xl \
		$$(. ./$(IMAGES_DIR)/kernel.env && echo $$vmlinuz):/usr/share/paravane/domu-vmlinuz \
		$(BUILD)/split-disk.img:/tests/split-disk.img $(BUILD)/split-agent-initrd.gz:/tests/split-agent-initrd.gz \
		$$(sh tests/integration/xl/xen-xl-files.sh) \
		$$(sh tests/images/fetch-deb.sh xen-utils-4.17)/usr/lib/xen-4.17/bin/xenconsoled:/usr/lib/xen-4.17/bin/xenconsoled" \
	sh tests/integration/images_boot_test.sh paravane $(IMAGES_DIR)/kernel.env $(IMAGES_DIR) $(BUILD)/hypervisor.elf

# images-split-xl-pair: two DomUs (xl-pair-check.sh): shared read-only
# image, refused read-write sharing, two disks, DomU<->DomU and
# DomU<->Dom0 ping and TCP, MTU 1500 and 9000, block-detach while writing,
# network-detach/-attach while pinging, xl reboot keeps the data.
.PHONY: images-split-xl-pair
images-split-xl-pair: $(SPLIT_AGENT_DEPS) $(SPLIT_DIR)/xl-pair-check.sh
	$(call split_agent_boot,split-xl-pair,xl-pair-check.sh,xl-pair,1200)

# images-split-xl-cycles: create/destroy cycles of a DomU with a disk and
# a vif (xl-cycles-check.sh): nothing leaks (loop devices, vifs, xenstore
# nodes, Dom0's gntdev and maptrack mappings, the hypervisor's free
# memory). 3 cycles in make test, 20 in images-split-xl-cycles20 (make
# test-all).
.PHONY: images-split-xl-cycles images-split-xl-cycles20
images-split-xl-cycles: $(SPLIT_AGENT_DEPS) $(SPLIT_DIR)/xl-cycles-check.sh
	$(call split_agent_boot,split-xl-cycles,xl-cycles-check.sh,xl-cycles,600,split.cycles=3)
images-split-xl-cycles20: $(SPLIT_AGENT_DEPS) $(SPLIT_DIR)/xl-cycles-check.sh
	$(call split_agent_boot,split-xl-cycles20,xl-cycles-check.sh,xl-cycles,3000,split.cycles=20)

TESTS += images-split-xl-cycles
SLOW_TESTS += images-split-xl-pair images-split-xl-cycles20
