# Debian's own Xen 4.17 user space, unmodified, in Dom0 (docs/xen-userspace.md):
# files.sh puts xl, xen-init-dom0, the C xenstored, xenconsoled and the
# xenstore-* commands with their shared-library closure in the Dom0 image
# (nothing of ours); check.sh starts the daemons as xencommons does and checks
# xl info / list / dmesg. One Dom0 boot each, on Paravane and, as the
# reference, on Xen 4.17 (same checks).
# The -domu targets add xl create of a PV DomU (Debian's stock bzImage and
# the DomU initramfs) and the domain commands (domu.sh); not in TESTS yet:
# a run takes minutes and its xl console check is not reliable
# (docs/xen-userspace.md).
XU_DIR := tests/integration/xen-userspace
XU_DEPS := $(IMAGES_DIR)/kernel.env $(BUILD)/dom0-vmlinux $(addprefix $(XU_DIR)/,files.sh check.sh domu.sh) \
	tests/integration/images_boot_test.sh tests/images/build-dom0-initramfs.sh
XU_RUN = BOOT_NAME=$(1) BOOT_SCRIPT=$(XU_DIR)/check.sh:/tests/xu-check.sh \
	BOOT_PASS='^xen-userspace: PASS' BOOT_SHOW='^xen-userspace:\|^xu-check: FAIL\|^xu-time:' \
	BOOT_EXTRA="$$(sh $(XU_DIR)/files.sh) $(XU_DIR)/domu.sh:/tests/xu-domu.sh $(3)" BOOT_KARGS='$(4)' \
	XEN_SMP=2 sh tests/integration/images_boot_test.sh $(2)

.PHONY: images-xen-userspace-paravane images-xen-userspace-xen
images-xen-userspace-paravane: $(XU_DEPS) $(BUILD)/hypervisor.elf
	$(call XU_RUN,xen-userspace-paravane,paravane,,) $(IMAGES_DIR)/kernel.env $(IMAGES_DIR) $(BUILD)/hypervisor.elf

images-xen-userspace-xen: $(XU_DEPS) $(IMAGES_DIR)/xen-4.17.elf
	$(call XU_RUN,xen-userspace-xen,xen,,) $(IMAGES_DIR)/kernel.env $(IMAGES_DIR) $(IMAGES_DIR)/xen-4.17.elf

TESTS += images-xen-userspace-paravane images-xen-userspace-xen

# The DomU's kernel (the stock bzImage Dom0 boots from) and initramfs.
XU_DOMU_FILES = $$(. ./$(IMAGES_DIR)/kernel.env && echo $$vmlinuz):/usr/share/paravane/domu-vmlinuz \
	$(BUILD)/domu-initrd.gz:/usr/share/paravane/domu-initrd.gz

.PHONY: images-xen-userspace-domu-paravane images-xen-userspace-domu-xen
images-xen-userspace-domu-paravane: $(XU_DEPS) $(BUILD)/domu-initrd.gz $(BUILD)/hypervisor.elf
	$(call XU_RUN,xen-userspace-domu-paravane,paravane,$(XU_DOMU_FILES),xu.domu=1) $(IMAGES_DIR)/kernel.env $(IMAGES_DIR) $(BUILD)/hypervisor.elf

images-xen-userspace-domu-xen: $(XU_DEPS) $(BUILD)/domu-initrd.gz $(IMAGES_DIR)/xen-4.17.elf
	$(call XU_RUN,xen-userspace-domu-xen,xen,$(XU_DOMU_FILES),xu.domu=1) $(IMAGES_DIR)/kernel.env $(IMAGES_DIR) $(IMAGES_DIR)/xen-4.17.elf
