# hotplug: the helper libxl (and our xl) runs for split devices, in POSIX
# sh for busybox (docs/split-drivers.md "Hotplug"). Dom0's image carries it
# as /etc/xen/scripts/block and vif-bridge (DOM0_SPLIT_FILES,
# tests/images/module.mk).
#
# test-hotplug-helper: the helper on the host under busybox's sh and applets,
# with real loop devices and a fake xenstore (tests/unit/hotplug_test.sh):
# set-up and release, sharing, every error's status and message. Needs
# root, as make test runs. (kernel.env, the busybox's path, is made by
# tests/images/module.mk, read after this file: hence the spelt-out path.)
.PHONY: test-hotplug-helper
test-hotplug-helper: $(BUILD)/images/kernel.env dom0-tools/hotplug/xen-hotplug.sh tests/unit/hotplug_test.sh \
		tests/unit/hotplug/fake-xenstore.sh
	. ./$(BUILD)/images/kernel.env && sh tests/unit/hotplug_test.sh dom0-tools/hotplug/xen-hotplug.sh "$$busybox"

TESTS += test-hotplug-helper
