# xl: the xl command (dom0-tools/xl; docs/toolstack.md "xl"). One static
# program for Dom0 ($(BUILD)/dom0/xl: libxenctrl, libxenstore, libxenguest
# (the PV builder, with its decompressors), libxlutil (xl.cfg), libyajl,
# libuuid and the C library inside, so the Dom0 image needs nothing more),
# its unit tests against fake data (tests/unit/dom0-tools/xl/xl_test.c), and its
# installation with the man page xl.1.
XL_DIR  := dom0-tools/xl
XL_SRCS := $(addprefix $(XL_DIR)/,xl.c xl_cmdtable.c xl_domain.c xl_list.c xl_list_json.c \
	   xl_info.c xl_life.c xl_create.c xl_xsnodes.c xl_monitor.c xl_shutdown.c \
	   xl_vcpu.c xl_mem.c xl_sched.c xl_dmesg.c xl_top.c xl_console.c \
	   xl_devices.c xl_block.c xl_network.c)
XL_BACKEND_SRCS := $(XL_DIR)/xl_backend.c $(XL_DIR)/xl_create_backend.c $(XL_DIR)/xl_devices_backend.c
XL_HDRS := $(XL_DIR)/xl.h $(XL_DIR)/xl_backend.h
XL_INCLUDES := $(XC_INCLUDES) -Ixenstore/include -I$(XL_DIR) -Idom0-tools/libs/guest/include \
	-Idom0-tools/libs/util/include -Idom0-tools/libs/device/include

$(BUILD)/dom0/xl: $(XL_SRCS) $(XL_BACKEND_SRCS) $(XL_HDRS) $(BUILD)/lib/libxenctrl.a \
		$(BUILD)/lib/libxenstore.a $(BUILD)/lib/libxenguest.a $(BUILD)/lib/libxlutil.a \
		$(BUILD)/lib/libd0device.a $(XC_HDRS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) $(XL_INCLUDES) -static -o $@ $(XL_SRCS) $(XL_BACKEND_SRCS) \
		$(BUILD)/lib/libd0device.a $(BUILD)/lib/libxlutil.a $(BUILD)/lib/libxenguest.a \
		$(BUILD)/lib/libxenctrl.a $(BUILD)/lib/libxenstore.a -lyajl_s -luuid $(LIBXENGUEST_LIBS)
ALL_TARGETS += $(BUILD)/dom0/xl
APT_PACKAGES += libyajl-dev uuid-dev

# Unit tests: the commands over a fake struct xl_ops (no backend), under
# ASan and UBSan. Every xl unit test builds the commands the same way:
# xl_unit_cc compiles test $(1) with all of xl's sources into $@.
XL_UNIT_CFLAGS := $(HOST_CFLAGS) -I$(XL_DIR) -Idom0-tools/libs/util/include -Idom0-tools/libs/device/include \
	-Idom0-tools/libs/device -DXL_NO_MAIN -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
XL_UNIT_DEPS = tests/unit/dom0-tools/xl/xl_fake.c tests/unit/dom0-tools/xl/xl_fake.h $(XL_SRCS) $(XL_HDRS) $(XLU_SRCS) $(XDEV_SRCS)
xl_unit_cc = @mkdir -p $(@D); $(HOST_CC) $(XL_UNIT_CFLAGS) -Itests/unit/dom0-tools/xl -o $@ $(1) tests/unit/dom0-tools/xl/xl_fake.c $(XL_SRCS) $(XLU_SRCS) $(XDEV_SRCS) \
	-lyajl -luuid -lcmocka
XL_UNIT_BIN := $(BUILD)/tests/xl_test
$(XL_UNIT_BIN): tests/unit/dom0-tools/xl/xl_test.c $(XL_UNIT_DEPS)
	$(call xl_unit_cc,$<)

.PHONY: unit-xl
unit-xl: $(XL_UNIT_BIN)
	$(XL_UNIT_BIN)
ALL_TARGETS += $(XL_UNIT_BIN)
TESTS += unit-xl

# unit-xl-ops: vcpu-list/-pin/-set, mem-max/-set, sched-credit, dmesg, top
# and console over their own fake (tests/unit/dom0-tools/xl/xl_ops_test.c).
XL_OPS_UNIT_BIN := $(BUILD)/tests/xl_ops_test
$(XL_OPS_UNIT_BIN): tests/unit/dom0-tools/xl/xl_ops_test.c $(XL_UNIT_DEPS)
	$(call xl_unit_cc,$<)

.PHONY: unit-xl-ops
unit-xl-ops: $(XL_OPS_UNIT_BIN)
	$(XL_OPS_UNIT_BIN)
ALL_TARGETS += $(XL_OPS_UNIT_BIN)
TESTS += unit-xl-ops

# `make install DESTDIR=dir`: /usr/sbin/xl and its man page, where
# Debian's xen-utils-common puts them (XL_SBINDIR, XL_MANDIR change it).
XL_SBINDIR ?= /usr/sbin
XL_MANDIR  ?= /usr/share/man/man1
.PHONY: install-xl
install: install-xl
install-xl: $(BUILD)/dom0/xl $(XL_DIR)/xl.1
	install -d $(DESTDIR)$(XL_SBINDIR) $(DESTDIR)$(XL_MANDIR)
	install -m 755 $(BUILD)/dom0/xl $(DESTDIR)$(XL_SBINDIR)/xl
	gzip -9nc $(XL_DIR)/xl.1 >$(DESTDIR)$(XL_MANDIR)/xl.1.gz
	chmod 644 $(DESTDIR)$(XL_MANDIR)/xl.1.gz

# The installed man page lists the commands `xl help` lists, and the
# program lands where Debian's does.
.PHONY: test-install-xl
test-install-xl: $(BUILD)/dom0/xl $(XL_DIR)/xl.1 $(XL_DIR)/man_check.sh
	rm -rf $(BUILD)/install-xl-test
	$(MAKE) --no-print-directory install-xl DESTDIR=$(abspath $(BUILD)/install-xl-test) >/dev/null
	sh $(XL_DIR)/man_check.sh $(BUILD)/install-xl-test$(XL_SBINDIR)/xl \
		$(BUILD)/install-xl-test$(XL_MANDIR)/xl.1.gz
TESTS += test-install-xl

# xl create, shutdown, reboot and the monitor over fake ops
# (tests/unit/dom0-tools/xl/xl_create_test.c): the xenstore layout against Xen 4.17's
# (tests/integration/xlcreate/xen-4.17-nodes.golden), overrides, every
# error path with nothing left behind, the monitor's actions.
XL_CREATE_UNIT_BIN := $(BUILD)/tests/xl_create_test
$(XL_CREATE_UNIT_BIN): tests/unit/dom0-tools/xl/xl_create_test.c $(XL_UNIT_DEPS)
	$(call xl_unit_cc,$<)

.PHONY: unit-xl-create
unit-xl-create: $(XL_CREATE_UNIT_BIN) tests/integration/xlcreate/xen-4.17-nodes.golden
	$(XL_CREATE_UNIT_BIN)
ALL_TARGETS += $(XL_CREATE_UNIT_BIN)
TESTS += unit-xl-create

# xl's split devices over a fake xenstore and fake backends
# (tests/unit/dom0-tools/xl/xl_devices_test.c): block-list / network-list in Xen 4.17's
# columns, the add sequence and the hotplug script's call, every failure
# leaving nothing behind, detach of unknown and busy devices.
XL_DEV_UNIT_BIN := $(BUILD)/tests/xl_devices_test
$(XL_DEV_UNIT_BIN): tests/unit/dom0-tools/xl/xl_devices_test.c $(XL_UNIT_DEPS)
	$(call xl_unit_cc,$<)

.PHONY: unit-xl-devices
unit-xl-devices: $(XL_DEV_UNIT_BIN)
	$(XL_DEV_UNIT_BIN)
ALL_TARGETS += $(XL_DEV_UNIT_BIN)
TESTS += unit-xl-devices
