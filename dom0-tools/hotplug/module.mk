# hotplug: the helper libxl (and our xl) runs for split devices, in POSIX
# sh for busybox (docs/split-drivers.md "Hotplug"). Dom0's image carries it
# as /etc/xen/scripts/block and vif-bridge (DOM0_SPLIT_FILES,
# tests/images/module.mk).
#
# test-hotplug-helper: the helper on the host under busybox's sh and applets,
# with real loop devices and a fake xenstore (tests/unit/dom0-tools/hotplug/hotplug_test.sh):
# set-up and release, sharing, every error's status and message. Needs
# root, as make test runs. (kernel.env, the busybox's path, is made by
# tests/images/module.mk, read after this file: hence the spelt-out path.)
.PHONY: test-hotplug-helper
test-hotplug-helper: $(BUILD)/images/kernel.env dom0-tools/hotplug/xen-hotplug.sh tests/unit/dom0-tools/hotplug/hotplug_test.sh \
		tests/unit/dom0-tools/hotplug/fake-xenstore.sh
	. ./$(BUILD)/images/kernel.env && sh tests/unit/dom0-tools/hotplug/hotplug_test.sh dom0-tools/hotplug/xen-hotplug.sh "$$busybox"

TESTS += test-hotplug-helper

# `make install DESTDIR=dir`: the helper where Xen's xen-utils-common puts
# the scripts libxl runs (/etc/xen/scripts/block and vif-bridge), so a Dom0
# tree made by make install can give DomUs disks and vifs.
HOTPLUG_DIR ?= /etc/xen/scripts
.PHONY: install-hotplug test-install-hotplug
install: install-hotplug
install-hotplug: dom0-tools/hotplug/xen-hotplug.sh
	install -d $(DESTDIR)$(HOTPLUG_DIR)
	install -m 755 dom0-tools/hotplug/xen-hotplug.sh $(DESTDIR)$(HOTPLUG_DIR)/block
	install -m 755 dom0-tools/hotplug/xen-hotplug.sh $(DESTDIR)$(HOTPLUG_DIR)/vif-bridge

# Both names land, executable, as the helper itself.
test-install-hotplug: dom0-tools/hotplug/xen-hotplug.sh
	rm -rf $(BUILD)/install-hotplug-test
	$(MAKE) --no-print-directory install-hotplug DESTDIR=$(abspath $(BUILD))/install-hotplug-test >/dev/null
	for s in block vif-bridge; do \
		f=$(BUILD)/install-hotplug-test$(HOTPLUG_DIR)/$$s; \
		[ -x $$f ] && cmp -s $$f dom0-tools/hotplug/xen-hotplug.sh || { echo "test-install-hotplug: $$f missing or not the helper"; exit 1; }; \
	done; echo "test-install-hotplug: PASS (block, vif-bridge)"
TESTS += test-install-hotplug
