# libxenctrl in Dom0 (dom0-tools/libs/ctrl): Debian's Linux 6.1 boots as
# Dom0 and runs xc-smoke (xc_smoke.c), which drives a domain's whole life
# through the xc_* calls, an event channel and a grant. On Paravane, and
# on Xen 4.17 as the reference with the same expectations.
XCS_DIR := tests/integration/xc-smoke
XCS_BOOT = BOOT_NAME=$(1) BOOT_SCRIPT=$(XCS_DIR)/check.sh:/tests/xc-smoke.sh \
	   BOOT_PASS='^xc-smoke: PASS' BOOT_SHOW='^xc-smoke:\|^FAIL' \
	   BOOT_EXTRA="$(BUILD)/dom0/xc-smoke:/tests/xc-smoke" \
	   sh tests/integration/images_boot_test.sh
XCS_DEPS := $(IMAGES_DIR)/kernel.env $(BUILD)/dom0-vmlinux $(BUILD)/dom0/xc-smoke \
	    $(XCS_DIR)/check.sh tests/integration/images_boot_test.sh

# Static, against libxenctrl.a (the image has no libxenctrl.so).
$(BUILD)/dom0/xc-smoke: $(XCS_DIR)/xc_smoke.c $(BUILD)/lib/libxenctrl.a $(XC_HDRS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) $(XC_INCLUDES) -static -o $@ $< $(BUILD)/lib/libxenctrl.a
ALL_TARGETS += $(BUILD)/dom0/xc-smoke

.PHONY: images-xc-smoke images-xc-smoke-xen
images-xc-smoke: $(XCS_DEPS) $(BUILD)/hypervisor.elf
	$(call XCS_BOOT,xc-smoke-paravane) paravane $(IMAGES_DIR)/kernel.env $(IMAGES_DIR) $(BUILD)/hypervisor.elf

images-xc-smoke-xen: $(XCS_DEPS) $(IMAGES_DIR)/xen-4.17.elf
	$(call XCS_BOOT,xc-smoke-xen) xen $(IMAGES_DIR)/kernel.env $(IMAGES_DIR) $(IMAGES_DIR)/xen-4.17.elf

TESTS += images-xc-smoke images-xc-smoke-xen
