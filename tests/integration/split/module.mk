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
