# The PV builder (dom0-tools/libs/guest, pv_build.h) in Dom0: Debian's
# Linux 6.1 boots as Dom0 and runs pv-build-smoke (pv_build_smoke.c),
# which builds a DomU from Debian's stock bzImage and the DomU initramfs
# and waits for its /init marker on the console ring. On Xen 4.17 (the
# reference) and on Paravane with the same expectations.
PVB_DIR := tests/integration/pv-build
# A quiet machine needs ~30 s for the whole run; a loaded one was seen
# taking 83 s from pv_build to /init alone, hence the longer hard limit.
PVB_BOOT = IMAGES_BOOT_TIMEOUT=360 BOOT_NAME=$(1) BOOT_SCRIPT=$(PVB_DIR)/check.sh:/tests/pv-build.sh \
	   BOOT_PASS='^pv-build-smoke: ALL PASS' BOOT_SHOW='^pv-build-smoke:\|^domU|' \
	   BOOT_EXTRA="$(BUILD)/dom0/pv-build-smoke:/tests/pv-build-smoke $(DOM0_DOMU_FILES)" \
	   sh tests/integration/images_boot_test.sh
PVB_DEPS := $(IMAGES_DIR)/kernel.env $(BUILD)/dom0-vmlinux $(BUILD)/dom0/pv-build-smoke \
	    $(BUILD)/domu-initrd.gz $(PVB_DIR)/check.sh tests/integration/images_boot_test.sh

# Static, against libxenguest.a and libxenctrl.a.
$(BUILD)/dom0/pv-build-smoke: $(PVB_DIR)/pv_build_smoke.c $(BUILD)/lib/libxenguest.a \
		$(BUILD)/lib/libxenctrl.a $(LIBXENGUEST_HDRS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) $(XC_INCLUDES) -Idom0-tools/libs/guest/include -static -o $@ $< \
		$(BUILD)/lib/libxenguest.a $(BUILD)/lib/libxenctrl.a $(LIBXENGUEST_LIBS)
ALL_TARGETS += $(BUILD)/dom0/pv-build-smoke

.PHONY: images-pv-build images-pv-build-xen
images-pv-build: $(PVB_DEPS) $(BUILD)/hypervisor.elf
	$(call PVB_BOOT,pv-build-paravane) paravane $(IMAGES_DIR)/kernel.env $(IMAGES_DIR) $(BUILD)/hypervisor.elf

images-pv-build-xen: $(PVB_DEPS) $(IMAGES_DIR)/xen-4.17.elf
	$(call PVB_BOOT,pv-build-xen) xen $(IMAGES_DIR)/kernel.env $(IMAGES_DIR) $(IMAGES_DIR)/xen-4.17.elf

TESTS += images-pv-build
# The builder on Xen 4.17 as the reference (25 s on a quiet host)
TESTS += images-pv-build-xen
