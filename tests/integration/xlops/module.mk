# xl's vCPU, memory, scheduler, log and console commands in Dom0
# (dom0-tools/xl: xl_vcpu.c, xl_mem.c, xl_sched.c, xl_dmesg.c, xl_top.c,
# xl_console.c), one boot per hypervisor: xl-testdom makes a paused
# domain of 2 vCPUs and check.sh runs xlops.cmds through xl; xl/run.sh masks
# the volatile fields and compares with a golden file. Ours on Paravane
# (images-xlops, xlops.golden) and on Xen 4.17 (images-xlops-on-xen,
# xlops-on-xen.golden); Debian's own xl on Xen 4.17
# (images-xlops-xen-reference, xlops-xen-4.17.golden), where our formats
# come from: `diff -a xlops-xen-4.17.golden xlops-on-xen.golden` shows
# where ours differs. XL_RECORD=1 records a golden anew.
XLOPS_DIR := tests/integration/xlops
XLOPS_DEPS := $(XLT_DEPS) $(addprefix $(XLOPS_DIR)/,check.sh mask.sed xlops.cmds)
XLOPS_FILES := $(XLT_FILES) $(DOM0_CONSOLE_FILES)

.PHONY: images-xlops images-xlops-on-xen images-xlops-xen-reference
images-xlops: $(XLOPS_DEPS) $(BUILD)/dom0/xl $(XLOPS_DIR)/xlops.golden $(BUILD)/hypervisor.elf $(DOM0_CONSOLE_DEPS)
	IMAGES_BOOT_TIMEOUT=420 XL_CASE=xlops sh $(XLT_DIR)/run.sh images-xlops-paravane $(XLOPS_DIR)/xlops.golden paravane $(IMAGES_DIR)/kernel.env \
		$(IMAGES_DIR) $(BUILD)/hypervisor.elf $(XLOPS_FILES) $(BUILD)/dom0/xl:/usr/sbin/xl

images-xlops-on-xen: $(XLOPS_DEPS) $(BUILD)/dom0/xl $(XLOPS_DIR)/xlops-on-xen.golden $(IMAGES_DIR)/xen-4.17.elf $(DOM0_CONSOLE_DEPS)
	IMAGES_BOOT_TIMEOUT=420 XEN_SMP=2 XEN_ARGS=sched=credit XL_CASE=xlops sh $(XLT_DIR)/run.sh images-xlops-on-xen $(XLOPS_DIR)/xlops-on-xen.golden xen $(IMAGES_DIR)/kernel.env \
		$(IMAGES_DIR) $(IMAGES_DIR)/xen-4.17.elf $(XLOPS_FILES) $(BUILD)/dom0/xl:/usr/sbin/xl

images-xlops-xen-reference: $(XLOPS_DEPS) $(XLT_DIR)/xen-xl-files.sh $(IMAGES_DIR)/xen-4.17.elf
	IMAGES_BOOT_TIMEOUT=420 XEN_SMP=2 XEN_ARGS=sched=credit XL_CASE=xlops sh $(XLT_DIR)/run.sh images-xlops-xen-reference $(XLOPS_DIR)/xlops-xen-4.17.golden xen $(IMAGES_DIR)/kernel.env \
		$(IMAGES_DIR) $(IMAGES_DIR)/xen-4.17.elf $(XLT_FILES) $$(sh $(XLT_DIR)/xen-xl-files.sh) \
		$$(sh $(XLOPS_DIR)/xen-top-files.sh)

TESTS += images-xlops
# Our xl on Xen 4.17 against its golden (30 s on a quiet host)
TESTS += images-xlops-on-xen
# The same real-DomU checks on Xen 4.17 as a reference (images-xlops-domu-paravane
# runs them on Paravane in make test): make test-all, to keep make test under 25 minutes
SLOW_TESTS += images-xlops-domu-xen
# Debian's own xl against its golden: the reference does not change, so make test-all
SLOW_TESTS += images-xlops-xen-reference

# A real DomU on Xen 4.17, made by Debian's xl and driven by our xl and
# xenconsoled (domu-check.sh): pause stops the guest's counter, vcpu-set
# in the guest, mem-set through its balloon driver, sched-credit,
# vcpu-pin, console both ways, top, destroy of the guest spinning. Debian's kernel bzImage is
# the DomU with an initramfs running domu.sh.
# XLOPS_DOMU_KARGS: more Dom0 kernel arguments (paravane.xenconsoled=-v to
# see the daemon at work).
XLOPS_DOMU_KARGS ?=
XLOPS_DOMU_INITRD := $(BUILD)/images/xlops-domu-initrd.gz
$(XLOPS_DOMU_INITRD): $(IMAGES_DIR)/kernel.env tests/images/build-dom0-initramfs.sh $(XLOPS_DIR)/domu.sh
	sh tests/images/build-dom0-initramfs.sh $@ $(XLOPS_DIR)/domu.sh:/tests/domu.sh

.PHONY: images-xlops-domu-xen
images-xlops-domu-xen: $(XLOPS_DEPS) $(BUILD)/dom0/xl $(IMAGES_DIR)/xen-4.17.elf $(DOM0_CONSOLE_DEPS) \
		$(XLOPS_DOMU_INITRD) $(XLOPS_DIR)/domu-check.sh
	. ./$(IMAGES_DIR)/kernel.env && XEN_SMP=2 XEN_ARGS=sched=credit \
	BOOT_NAME=images-xlops-domu-xen BOOT_SCRIPT=$(XLOPS_DIR)/domu-check.sh:/tests/domu-check.sh \
	BOOT_PASS='^xlops-domu: PASS' BOOT_SHOW='^xlops-domu:' IMAGES_BOOT_TIMEOUT=420 \
	BOOT_KARGS="$(XLOPS_DOMU_KARGS)" \
	BOOT_EXTRA="$(XLT_FILES) $(DOM0_CONSOLE_FILES) $(BUILD)/dom0/xl:/usr/sbin/xl $$(sh $(XLT_DIR)/xen-xl-files.sh) \
		$$(sh $(XLOPS_DIR)/xen-top-files.sh) $$vmlinuz:/tests/domu-vmlinuz $(XLOPS_DOMU_INITRD):/tests/domu-initrd.gz" \
	sh tests/integration/images_boot_test.sh xen $(IMAGES_DIR)/kernel.env $(IMAGES_DIR) $(IMAGES_DIR)/xen-4.17.elf

# The same DomU and checks on Paravane, made by our own `xl create`
# (kernel argument xlops.create=ours), our xenconsoled serving its console.
# It found that a cap set on a running domain parked it for seconds (its
# CPU time until then counted as debt; fixed in the scheduler): the
# "console capped" check. ~1.5-2 minutes on a loaded host.
.PHONY: images-xlops-domu-paravane
images-xlops-domu-paravane: $(XLOPS_DEPS) $(BUILD)/dom0/xl $(BUILD)/hypervisor.elf $(DOM0_CONSOLE_DEPS) \
		$(XLOPS_DOMU_INITRD) $(XLOPS_DIR)/domu-check.sh
	. ./$(IMAGES_DIR)/kernel.env && \
	BOOT_NAME=images-xlops-domu-paravane BOOT_SCRIPT=$(XLOPS_DIR)/domu-check.sh:/tests/domu-check.sh \
	BOOT_PASS='^xlops-domu: PASS' BOOT_SHOW='^xlops-domu:' IMAGES_BOOT_TIMEOUT=420 \
	BOOT_KARGS="xlops.create=ours $(XLOPS_DOMU_KARGS)" \
	BOOT_EXTRA="$(XLT_FILES) $(DOM0_CONSOLE_FILES) $(BUILD)/dom0/xl:/usr/sbin/xl \
		$$vmlinuz:/tests/domu-vmlinuz $(XLOPS_DOMU_INITRD):/tests/domu-initrd.gz" \
	sh tests/integration/images_boot_test.sh paravane $(IMAGES_DIR)/kernel.env $(IMAGES_DIR) $(BUILD)/hypervisor.elf
TESTS += images-xlops-domu-paravane
