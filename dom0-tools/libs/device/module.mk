# libs/device: the xenstore nodes of a PV guest's vbds and vifs as Xen
# 4.17's libxl lays them out (libd0device.a, include/xdev.h), and Xen's
# virtual disk numbering; pure code over the xl.cfg parser's specs
# (libs/util). docs/split-drivers.md "Node layout".
include dom0-tools/lib.mk

XDEV_DIR  := dom0-tools/libs/device
XDEV_SRCS := $(addprefix $(XDEV_DIR)/,xdev_vbd_number.c xdev_nodes.c xdev_vbd.c xdev_vif.c)
XDEV_INCLUDES := -I$(XDEV_DIR)/include -I$(XDEV_DIR) -Idom0-tools/libs/util/include
XDEV_HDRS := $(XDEV_DIR)/include/xdev.h $(XDEV_DIR)/xdev_priv.h dom0-tools/libs/util/include/xlcfg.h
$(call dom0_lib,d0device,$(XDEV_SRCS),$(XDEV_INCLUDES),$(XDEV_HDRS))

# unit-device: cmocka under ASan and UBSan: the numbering (good and bad
# names), the node lists against the layout Xen 4.17's own xl made
# (tests/integration/split/xen-4.17-layout.golden, images-split-xen-layout),
# the refused specs. The xl.cfg text is the one the golden run used, read
# by the real parser.
# (libs/util's module.mk is read after this one: its sources by name here)
XDEV_XLU_SRCS := $(filter-out %/xlcfg_dump.c,$(wildcard dom0-tools/libs/util/*.c))
XDEV_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
XDEV_UNIT_BIN := $(BUILD)/tests/device_test
XDEV_GOLDEN := tests/integration/split/xen-4.17-layout.golden
$(XDEV_UNIT_BIN): tests/unit/dom0-tools/libs/device/device_test.c $(XDEV_SRCS) $(XDEV_HDRS) $(XDEV_XLU_SRCS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) $(XDEV_INCLUDES) -Idom0-tools/libs/util $(XDEV_SAN) -o $@ $< \
		$(XDEV_SRCS) $(XDEV_XLU_SRCS) -lcmocka -luuid

.PHONY: unit-device
unit-device: $(XDEV_UNIT_BIN) $(XDEV_GOLDEN)
	$(XDEV_UNIT_BIN) $(XDEV_GOLDEN)

ALL_TARGETS += $(XDEV_UNIT_BIN)
TESTS += unit-device
