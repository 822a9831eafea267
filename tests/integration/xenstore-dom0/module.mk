# xenstored in Dom0 (docs/xenstore.md): Debian's Linux 6.1 boots as Dom0
# with xenstored started by the init hook in Dom0 mode; check.sh drives the
# store over the socket, through Linux's own xenbus and through
# /dev/xen/xenbus (both over the kernel's ring). On Paravane, and on Xen
# 4.17 as the reference (our xenstored in Xen's Dom0).
XSD0_DIR   := tests/integration/xenstore-dom0
XSD0_BOOT   = BOOT_NAME=$(1) BOOT_SCRIPT=$(XSD0_DIR)/check.sh:/tests/xenstore-dom0.sh \
	      BOOT_PASS='^xenstore-dom0: PASS' BOOT_SHOW='^xenstore-dom0:\|^xenstore-ring:\|^xenstored:\|^  xs-domains:' \
	      BOOT_EXTRA="$(DOM0_XS_FILES) $(BUILD)/dom0/xs-domains:/tests/xs-domains" BOOT_KARGS="$(2)" \
	      sh tests/integration/images_boot_test.sh
XSD0_DEPS  := $(IMAGES_DIR)/kernel.env $(BUILD)/dom0-vmlinux $(DOM0_XS_DEPS) $(XSD0_DIR)/check.sh \
	      tests/integration/images_boot_test.sh $(BUILD)/dom0/xs-domains

# The domain calls through libxenstore.so.4 (dynamically linked: the image
# has ours and glibc's runtime).
$(BUILD)/dom0/xs-domains: $(XSD0_DIR)/xs_domains.c $(BUILD)/lib/libxenstore.so.4 xenstore/include/xenstore.h
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -Ixenstore/include -o $@ $< $(BUILD)/lib/libxenstore.so.4
ALL_TARGETS += $(BUILD)/dom0/xs-domains

.PHONY: images-xenstore-dom0 images-xenstore-dom0-xen
images-xenstore-dom0: $(XSD0_DEPS) $(BUILD)/hypervisor.elf
	$(call XSD0_BOOT,xenstore-dom0-paravane,) paravane $(IMAGES_DIR)/kernel.env $(IMAGES_DIR) $(BUILD)/hypervisor.elf

images-xenstore-dom0-xen: $(XSD0_DEPS) $(IMAGES_DIR)/xen-4.17.elf
	$(call XSD0_BOOT,xenstore-dom0-xen,) xen $(IMAGES_DIR)/kernel.env $(IMAGES_DIR) $(IMAGES_DIR)/xen-4.17.elf

TESTS += images-xenstore-dom0 images-xenstore-dom0-xen
