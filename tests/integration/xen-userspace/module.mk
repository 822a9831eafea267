# Debian's own Xen 4.17 user space, unmodified, in Dom0 (docs/xen-userspace.md):
# files.sh puts xl, xen-init-dom0, the C xenstored, xenconsoled, the
# xenstore-* commands and Xen's hotplug scripts with what they run (bash,
# flock, losetup, stat) and their shared-library closure in the Dom0 image
# (nothing of ours); check.sh starts the daemons as xencommons does and checks
# xl info / list / dmesg. One Dom0 boot each, on Paravane and, as the
# reference, on Xen 4.17 (same checks).
XU_DIR := tests/integration/xen-userspace
XU_DEPS := $(IMAGES_DIR)/kernel.env $(BUILD)/dom0-vmlinux $(addprefix $(XU_DIR)/,files.sh check.sh domu.sh) \
	tests/integration/images_boot_test.sh tests/images/build-dom0-initramfs.sh dom0-tools/hotplug/xen-hotplug.sh
# The hotplug scripts libxl runs for disks and vifs: Paravane's POSIX helper
# (dom0-tools/hotplug) in place of Xen's block and vif-bridge (ours), or
# Xen's own bash scripts from xen-utils-common (HOTPLUG=xen make ...).
HOTPLUG ?= ours
XU_RUN = BOOT_NAME=$(1) BOOT_SCRIPT=$(XU_DIR)/check.sh:/tests/xu-check.sh \
	BOOT_PASS='^xen-userspace: PASS' BOOT_SHOW='^xen-userspace:\|^xu-check: FAIL\|^xu-time:' \
	BOOT_EXTRA="$$(sh $(XU_DIR)/files.sh) $(XU_DIR)/domu.sh:/tests/xu-domu.sh $(3)" BOOT_KARGS='xu.hotplug=$(HOTPLUG) $(4)' \
	XEN_SMP=2 sh tests/integration/images_boot_test.sh $(2)

.PHONY: images-xen-userspace-paravane images-xen-userspace-xen
images-xen-userspace-paravane: $(XU_DEPS) $(BUILD)/hypervisor.elf
	$(call XU_RUN,xen-userspace-paravane,paravane,,) $(IMAGES_DIR)/kernel.env $(IMAGES_DIR) $(BUILD)/hypervisor.elf

images-xen-userspace-xen: $(XU_DEPS) $(IMAGES_DIR)/xen-4.17.elf
	$(call XU_RUN,xen-userspace-xen,xen,,) $(IMAGES_DIR)/kernel.env $(IMAGES_DIR) $(IMAGES_DIR)/xen-4.17.elf

TESTS += images-xen-userspace-paravane images-xen-userspace-xen

# The scenario (domu.sh): xl create of a PV DomU (Debian's stock bzImage
# and its own initramfs, domu-init.sh, with blkfront and netfront) with a
# file: disk and a vif on xenbr0 (hotplug: HOTPLUG above), then
# console (through xu-pty), pause/unpause, vcpu-list/-set, mem-set, reboot,
# shutdown -w, destroy. One script, three runs: Debian's xl on Paravane
# (make test), the same on Xen 4.17 and Paravane's own xl on Paravane
# (make test-all); each run's transcript of xl commands, normalised
# (transcript.sh, mask.sed), is kept in $(IMAGES_DIR)/xu-RUN.transcript
# and images-xen-userspace-three compares them against the recorded
# differences (diff-*.golden; XU_RECORD=1 records them anew).
$(BUILD)/xu-domu-initrd.gz: $(IMAGES_DIR)/kernel.env $(XU_DIR)/domu-init.sh tests/images/build-dom0-initramfs.sh
	INITRAMFS_INIT=$(XU_DIR)/domu-init.sh INITRAMFS_MODULES="xen-blkfront xen-netfront" \
		sh tests/images/build-dom0-initramfs.sh $@ >/dev/null

$(BUILD)/xu-pty: $(XU_DIR)/xu-pty.c
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -static -o $@ $<

XU_DOMU_DEPS := $(BUILD)/xu-domu-initrd.gz $(BUILD)/xu-pty $(addprefix $(XU_DIR)/,transcript.sh mask.sed) tests/images/rc-xenbr0.sh
XU_DOMU_FILES = $$(. ./$(IMAGES_DIR)/kernel.env && echo $$vmlinuz):/usr/share/paravane/domu-vmlinuz \
	$(BUILD)/xu-domu-initrd.gz:/usr/share/paravane/xu-domu-initrd.gz $(BUILD)/xu-pty:/tests/xu-pty \
	tests/images/rc-xenbr0.sh:/etc/init.d/rc.paravane.d/20-xenbr0
# XU_DOMU name, hypervisor mode, its ELF, kernel arguments, more files
XU_DOMU = $(call XU_RUN,xen-userspace-domu-$(1),$(2),$(XU_DOMU_FILES) $(5),xu.domu=1 $(4)) \
	$(IMAGES_DIR)/kernel.env $(IMAGES_DIR) $(3); rc=$$?; \
	sh $(XU_DIR)/transcript.sh $(IMAGES_DIR)/xen-userspace-domu-$(1)-test.log.txt >$(IMAGES_DIR)/xu-$(1).transcript; \
	exit $$rc

.PHONY: images-xen-userspace-domu-paravane images-xen-userspace-domu-xen images-xen-userspace-domu-ours
images-xen-userspace-domu-paravane: $(XU_DEPS) $(XU_DOMU_DEPS) $(BUILD)/hypervisor.elf
	IMAGES_BOOT_TIMEOUT=1200 $(call XU_DOMU,paravane,paravane,$(BUILD)/hypervisor.elf,,)

images-xen-userspace-domu-xen: $(XU_DEPS) $(XU_DOMU_DEPS) $(IMAGES_DIR)/xen-4.17.elf
	IMAGES_BOOT_TIMEOUT=1800 $(call XU_DOMU,xen,xen,$(IMAGES_DIR)/xen-4.17.elf,,)

images-xen-userspace-domu-ours: $(XU_DEPS) $(XU_DOMU_DEPS) $(BUILD)/hypervisor.elf $(BUILD)/dom0/xl
	IMAGES_BOOT_TIMEOUT=1200 $(call XU_DOMU,ours,paravane,$(BUILD)/hypervisor.elf,xu.xl=ours,$(BUILD)/dom0/xl:/usr/sbin/xl)

# make test's share: the scenario on Paravane with one DomU boot (xu.quick=1:
# no reboot, no shutdown -w; destroy of the running DomU instead).
.PHONY: images-xen-userspace-domu-quick-paravane
images-xen-userspace-domu-quick-paravane: $(XU_DEPS) $(XU_DOMU_DEPS) $(BUILD)/hypervisor.elf
	IMAGES_BOOT_TIMEOUT=600 $(call XU_DOMU,quick-paravane,paravane,$(BUILD)/hypervisor.elf,xu.quick=1,)

# The whole scenario with a phy: disk beside the file: one on the same DomU
# (xu.phy=1: a loop device Dom0 sets up itself, given as phy:/dev/loopN;
# the block script publishes its numbers, the DomU reads and writes it
# before and after xl reboot, the device left attached afterwards, no other
# loop device left), on Paravane and, as the reference, on Xen 4.17. Two
# block scripts run at once under libxl's 40 s limit: with Xen's bash
# scripts (HOTPLUG=xen) a loaded host fails it on both hypervisors.
.PHONY: images-xen-userspace-domu-phy-paravane images-xen-userspace-domu-phy-xen
images-xen-userspace-domu-phy-paravane: $(XU_DEPS) $(XU_DOMU_DEPS) $(BUILD)/hypervisor.elf
	IMAGES_BOOT_TIMEOUT=1200 $(call XU_DOMU,phy-paravane,paravane,$(BUILD)/hypervisor.elf,xu.phy=1,)

images-xen-userspace-domu-phy-xen: $(XU_DEPS) $(XU_DOMU_DEPS) $(IMAGES_DIR)/xen-4.17.elf
	IMAGES_BOOT_TIMEOUT=1800 $(call XU_DOMU,phy-xen,xen,$(IMAGES_DIR)/xen-4.17.elf,xu.phy=1,)

# The third run of the same (Paravane's own xl), and the three compared as
# images-xen-userspace-three compares the file:-only runs, against the same
# recorded differences (not registered: test-all already runs the first
# two above).
.PHONY: images-xen-userspace-domu-phy-ours images-xen-userspace-three-phy
images-xen-userspace-domu-phy-ours: $(XU_DEPS) $(XU_DOMU_DEPS) $(BUILD)/hypervisor.elf $(BUILD)/dom0/xl
	IMAGES_BOOT_TIMEOUT=1200 $(call XU_DOMU,phy-ours,paravane,$(BUILD)/hypervisor.elf,xu.phy=1 xu.xl=ours,$(BUILD)/dom0/xl:/usr/sbin/xl)

images-xen-userspace-three-phy: images-xen-userspace-domu-phy-xen images-xen-userspace-domu-phy-paravane images-xen-userspace-domu-phy-ours
	sh $(XU_DIR)/compare.sh $(IMAGES_DIR)/xu-phy-xen.transcript $(IMAGES_DIR)/xu-phy-paravane.transcript $(XU_DIR)/diff-xen-paravane.golden
	sh $(XU_DIR)/compare.sh $(IMAGES_DIR)/xu-phy-paravane.transcript $(IMAGES_DIR)/xu-phy-ours.transcript $(XU_DIR)/diff-debian-ours.golden

.PHONY: images-xen-userspace-three
images-xen-userspace-three: images-xen-userspace-domu-xen images-xen-userspace-domu-paravane images-xen-userspace-domu-ours
	sh $(XU_DIR)/compare.sh $(IMAGES_DIR)/xu-xen.transcript $(IMAGES_DIR)/xu-paravane.transcript $(XU_DIR)/diff-xen-paravane.golden
	sh $(XU_DIR)/compare.sh $(IMAGES_DIR)/xu-paravane.transcript $(IMAGES_DIR)/xu-ours.transcript $(XU_DIR)/diff-debian-ours.golden

TESTS += images-xen-userspace-domu-quick-paravane
SLOW_TESTS += images-xen-userspace-three
SLOW_TESTS += images-xen-userspace-domu-phy-paravane
SLOW_TESTS += images-xen-userspace-domu-phy-xen
