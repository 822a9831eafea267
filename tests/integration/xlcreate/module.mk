# xl create and the domain's life in Dom0 (tests/integration/xlcreate/
# check.sh: one Dom0 boot per target, sections chosen by the kernel
# argument paravane.xlcreate=). Our xl, xenstored, xenconsoled, the stock
# kernel and the DomU initramfs (DOM0_DOMU_FILES), a small PV test kernel
# for the create/destroy cycles, xl-testdom for a domain of a taken name.
#   images-xlcreate       Paravane, quick (~40 s): errors (every refusal,
#                         nothing left behind) and nostore (xenstored
#                         gone); a subset of images-xlcreate-full
#   images-xlcreate-xen   the same xl on Xen 4.17, every section (two
#                         DomUs booting, reboot, crash, shutdown -w, 20
#                         cycles), Xen's xenconsoled serving the consoles:
#                         the reference for Paravane's
#   images-xlcreate-full  Paravane, every section (in TESTS), our
#                         xenconsoled serving the consoles
#   images-xlcreate-foreign[-xen]  only the foreign section (two PV test
#                         kernels unlike Linux as DomUs), by hand;
#                         -xen-reference: with Debian's own xl on Xen 4.17
# xen-ref.sh is how xen-4.17-create.transcript and xen-4.17-nodes.golden
# were recorded from Xen's own xl (images-xlcreate-xen-reference, by hand).
XLC_DIR := tests/integration/xlcreate
XLC_DEPS := $(IMAGES_DIR)/kernel.env $(BUILD)/dom0-vmlinux $(DOM0_XS_DEPS) $(BUILD)/dom0/xl \
	    $(BUILD)/bin/xenconsoled $(BUILD)/dom0/xl-testdom $(BUILD)/guests/hello.elf \
	    $(BUILD)/guests/lowaddr-bare.elf $(BUILD)/guests/xenguest.elf $(BUILD)/guests/notesec.elf \
	    $(BUILD)/domu-initrd.gz tests/images/example.cfg $(XLC_DIR)/check.sh tests/integration/images_boot_test.sh
XLC_FILES = $(DOM0_XS_FILES) $(BUILD)/dom0/xl:/usr/sbin/xl \
	    $(BUILD)/bin/xenconsoled:/usr/sbin/xenconsoled \
	    $(BUILD)/dom0/xl-testdom:/tests/xl-testdom $(BUILD)/guests/hello.elf:/tests/hello.elf \
	    $(BUILD)/guests/lowaddr-bare.elf:/tests/lowaddr-bare.elf $(BUILD)/guests/xenguest.elf:/tests/xenguest.elf \
	    $(BUILD)/guests/notesec.elf:/tests/notesec.elf $(DOM0_DOMU_FILES)
# $(1) name, $(2) sections, $(3) timeout, $(4) more files; then MODE
# KERNEL_ENV WORKDIR HV follow
XLC_BOOT = BOOT_NAME=$(1) BOOT_SCRIPT=$(XLC_DIR)/check.sh:/tests/xlcreate.sh \
	   BOOT_PASS='^xlcreate-test: DONE' BOOT_SHOW='^xlcreate-test:' \
	   BOOT_KARGS="paravane.xlcreate=$(2)" BOOT_EXTRA="$(XLC_FILES) $(4)" \
	   IMAGES_BOOT_TIMEOUT=$(3) sh tests/integration/images_boot_test.sh

# Xen's own xenconsoled and its libraries (what xen-xl-files.sh gives
# Xen's xl) serve the DomUs' consoles there.
XLC_XEN_CONS = $$(sh tests/integration/xl/xen-xl-files.sh) \
	$$(sh tests/images/fetch-deb.sh xen-utils-4.17)/usr/lib/xen-4.17/bin/xenconsoled:/usr/lib/xen-4.17/bin/xenconsoled
.PHONY: images-xlcreate images-xlcreate-xen images-xlcreate-full images-xlcreate-xen-reference
images-xlcreate: $(XLC_DEPS) $(BUILD)/hypervisor.elf
	$(call XLC_BOOT,xlcreate-paravane,errors+nostore,240) paravane $(IMAGES_DIR)/kernel.env \
		$(IMAGES_DIR) $(BUILD)/hypervisor.elf

images-xlcreate-full: $(XLC_DEPS) $(BUILD)/hypervisor.elf
	$(call XLC_BOOT,xlcreate-full,errors+life+cycles+foreign+nostore,480) paravane \
		$(IMAGES_DIR)/kernel.env $(IMAGES_DIR) $(BUILD)/hypervisor.elf

images-xlcreate-xen: $(XLC_DEPS) $(IMAGES_DIR)/xen-4.17.elf tests/integration/xl/xen-xl-files.sh
	$(call XLC_BOOT,xlcreate-xen,errors+life+cycles+foreign+nostore,480,$(XLC_XEN_CONS)) xen \
		$(IMAGES_DIR)/kernel.env $(IMAGES_DIR) $(IMAGES_DIR)/xen-4.17.elf

.PHONY: images-xlcreate-foreign images-xlcreate-foreign-xen images-xlcreate-foreign-xen-reference
images-xlcreate-foreign: $(XLC_DEPS) $(BUILD)/hypervisor.elf
	$(call XLC_BOOT,xlcreate-foreign,foreign,300) paravane $(IMAGES_DIR)/kernel.env \
		$(IMAGES_DIR) $(BUILD)/hypervisor.elf
images-xlcreate-foreign-xen: $(XLC_DEPS) $(IMAGES_DIR)/xen-4.17.elf tests/integration/xl/xen-xl-files.sh
	$(call XLC_BOOT,xlcreate-foreign-xen,foreign,300,$(XLC_XEN_CONS)) xen \
		$(IMAGES_DIR)/kernel.env $(IMAGES_DIR) $(IMAGES_DIR)/xen-4.17.elf
# The same with Debian's xl (Xen's libxenguest reading the kernels): by hand
images-xlcreate-foreign-xen-reference: $(XLC_DEPS) $(IMAGES_DIR)/xen-4.17.elf tests/integration/xl/xen-xl-files.sh
	$(call XLC_BOOT,xlcreate-foreign-xen-ref,foreign paravane.xlcreate_xl=xen,300,$(XLC_XEN_CONS) \
		$$(realpath /lib/x86_64-linux-gnu/libgcc_s.so.1):/usr/lib/xen-4.17/lib/libgcc_s.so.1) xen \
		$(IMAGES_DIR)/kernel.env $(IMAGES_DIR) $(IMAGES_DIR)/xen-4.17.elf

# Xen's own xl and xenconsoled (xen-xl-files.sh) over xen-ref.sh: prints
# the transcript the golden files were taken from (compare by hand).
images-xlcreate-xen-reference: $(IMAGES_DIR)/kernel.env $(BUILD)/dom0-vmlinux $(DOM0_XS_DEPS) \
		$(XLC_DIR)/xen-ref.sh $(IMAGES_DIR)/xen-4.17.elf
	BOOT_NAME=xlcreate-xen-ref BOOT_SCRIPT=$(XLC_DIR)/xen-ref.sh:/tests/xen-ref.sh \
	BOOT_PASS='^xen-ref: DONE' BOOT_SHOW='^xcr:' IMAGES_BOOT_TIMEOUT=500 \
	BOOT_EXTRA="$(DOM0_XS_FILES) $$(sh tests/integration/xl/xen-xl-files.sh) \
		$$(realpath /lib/x86_64-linux-gnu/libgcc_s.so.1):/usr/lib/xen-4.17/lib/libgcc_s.so.1 \
		$$(sh tests/images/fetch-deb.sh xen-utils-4.17)/usr/lib/xen-4.17/bin/xenconsoled:/usr/lib/xen-4.17/bin/xenconsoled \
		$$(. ./$(IMAGES_DIR)/kernel.env && echo $$vmlinuz):/tests/domu-vmlinuz" \
	sh tests/integration/images_boot_test.sh xen $(IMAGES_DIR)/kernel.env $(IMAGES_DIR) \
		$(IMAGES_DIR)/xen-4.17.elf

TESTS += images-xlcreate-full
