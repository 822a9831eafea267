# xl in Dom0 (dom0-tools/xl): Debian's Linux 6.1 boots as Dom0 with
# xenstored, xl-testdom makes a second domain, and check.sh runs the
# transcript of xl.cmds; run.sh masks the volatile fields and compares it
# with a golden file. Ours on Paravane (images-xl, xl.golden) and on Xen
# 4.17 (images-xl-on-xen, xl-on-xen.golden: the same transcript but for
# what the machines really differ in: Dom0's vCPUs, the hypervisor's
# version strings, and what Paravane lacks); Debian's own xl on Xen 4.17
# (images-xl-xen-reference, xl-xen-4.17.golden: the reference the formats
# were taken from, kept to see where ours differs: `diff -a
# xl-xen-4.17.golden xl-on-xen.golden`). XL_RECORD=1 records a golden
# anew instead of comparing.
XLT_DIR := tests/integration/xl
XLT_DEPS := $(IMAGES_DIR)/kernel.env $(BUILD)/dom0-vmlinux $(DOM0_XS_DEPS) \
	    $(BUILD)/dom0/xl-testdom $(addprefix $(XLT_DIR)/,check.sh run.sh mask.sed xl.cmds) \
	    tests/integration/images_boot_test.sh
XLT_FILES := $(DOM0_XS_FILES) $(BUILD)/dom0/xl-testdom:/tests/xl-testdom

# libxenctrl.a static, libxenstore.so.4 from the image (as xs-domains).
$(BUILD)/dom0/xl-testdom: $(XLT_DIR)/xl_testdom.c $(BUILD)/lib/libxenctrl.a $(BUILD)/lib/libxenstore.so.4 $(XC_HDRS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) $(XC_INCLUDES) -Ixenstore/include -o $@ $< \
		$(BUILD)/lib/libxenctrl.a $(BUILD)/lib/libxenstore.so.4
ALL_TARGETS += $(BUILD)/dom0/xl-testdom

.PHONY: images-xl images-xl-on-xen images-xl-xen-reference
images-xl: $(XLT_DEPS) $(BUILD)/dom0/xl $(XLT_DIR)/xl.golden $(BUILD)/hypervisor.elf
	sh $(XLT_DIR)/run.sh images-xl-paravane $(XLT_DIR)/xl.golden paravane $(IMAGES_DIR)/kernel.env \
		$(IMAGES_DIR) $(BUILD)/hypervisor.elf $(XLT_FILES) $(BUILD)/dom0/xl:/usr/sbin/xl

images-xl-on-xen: $(XLT_DEPS) $(BUILD)/dom0/xl $(XLT_DIR)/xl-on-xen.golden $(IMAGES_DIR)/xen-4.17.elf
	sh $(XLT_DIR)/run.sh images-xl-on-xen $(XLT_DIR)/xl-on-xen.golden xen $(IMAGES_DIR)/kernel.env \
		$(IMAGES_DIR) $(IMAGES_DIR)/xen-4.17.elf $(XLT_FILES) $(BUILD)/dom0/xl:/usr/sbin/xl

images-xl-xen-reference: $(XLT_DEPS) $(XLT_DIR)/xen-xl-files.sh $(IMAGES_DIR)/xen-4.17.elf
	sh $(XLT_DIR)/run.sh images-xl-xen-reference $(XLT_DIR)/xl-xen-4.17.golden xen $(IMAGES_DIR)/kernel.env \
		$(IMAGES_DIR) $(IMAGES_DIR)/xen-4.17.elf $(XLT_FILES) $$(sh $(XLT_DIR)/xen-xl-files.sh)

TESTS += images-xl images-xl-on-xen
# Debian's own xl against its golden: the reference does not change, so make test-all
SLOW_TESTS += images-xl-xen-reference
