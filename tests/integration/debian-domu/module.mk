# The Debian 12 DomU (docs/split-drivers.md "The Debian DomU") in `make
# run`'s Dom0: /etc/xen/debian.cfg and the initramfs that mounts its root
# from xvda (domu-init.sh), both put in build/dom0-initrd.gz; make run
# gives Dom0 the root file system image as /dev/vda (tests/images/
# run-debian-img.sh). images-domu-paravane boots it with our xl.
DEBIAN_DIR := tests/integration/debian-domu
DOMU_DIR ?= $(HOME)/.cache/paravane/domu

$(BUILD)/debian-initrd.gz: $(IMAGES_DIR)/kernel.env tests/images/domu-init.sh tests/images/build-dom0-initramfs.sh
	INITRAMFS_INIT=tests/images/domu-init.sh INITRAMFS_MODULES="xen-blkfront xen-netfront ext4 crc32c_generic" \
		sh tests/images/build-dom0-initramfs.sh $@ >/dev/null

DOM0_DEBIAN_FILES := $(BUILD)/debian-initrd.gz:/usr/share/paravane/debian-initrd.gz \
	tests/images/debian.cfg:/etc/xen/debian.cfg
$(BUILD)/dom0-initrd.gz: $(BUILD)/debian-initrd.gz tests/images/debian.cfg

# The root file system, built by `make domu-rootfs` when missing (needs
# root and Debian's archive; a minute or a few).
$(DOMU_DIR)/rootfs.img:
	sh tests/images/build-domu-rootfs.sh $(DOMU_DIR)

# images-domu-paravane: one Dom0 boot on Paravane (check.sh): our xl
# creates the DomU from make run's /etc/xen/debian.cfg, its disk being the
# image as QEMU's virtio disk in snapshot mode (the built image stays as it
# is); the DomU boots Debian's systemd to the login prompt, root logs in
# through `xl console` and pings Dom0 over xenbr0, Dom0 pings it, both
# frontends are Connected; xl destroy leaves no vif or backend node.
# Minutes under TCG: make test-all.
.PHONY: images-domu-paravane
images-domu-paravane: $(IMAGES_DIR)/kernel.env $(BUILD)/dom0-vmlinux $(BUILD)/hypervisor.elf $(DOM0_XS_DEPS) \
		$(DOM0_SPLIT_DEPS) $(DOM0_CONSOLE_DEPS) $(BUILD)/dom0/xl $(BUILD)/domu-initrd.gz $(BUILD)/debian-initrd.gz \
		tests/images/debian.cfg $(DOMU_DIR)/rootfs.img $(DEBIAN_DIR)/check.sh tests/integration/images_boot_test.sh
	IMAGES_BOOT_TIMEOUT=900 QEMU_EXTRA="-drive file=$(DOMU_DIR)/rootfs.img,if=virtio,format=raw,snapshot=on" \
		BOOT_NAME=domu-paravane BOOT_SCRIPT=$(DEBIAN_DIR)/check.sh:/tests/debian-domu.sh \
		BOOT_PASS='^debian-domu: PASS' BOOT_SHOW='^debian-domu:' \
		BOOT_EXTRA="$(DOM0_XS_FILES) $(DOM0_SPLIT_FILES) $(DOM0_CONSOLE_FILES) $(BUILD)/dom0/xl:/usr/sbin/xl \
			$(DOM0_DOMU_FILES) $(DOM0_DEBIAN_FILES)" \
		sh tests/integration/images_boot_test.sh paravane $(IMAGES_DIR)/kernel.env $(IMAGES_DIR) $(BUILD)/hypervisor.elf

SLOW_TESTS += images-domu-paravane
