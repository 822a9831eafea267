# libs/ctrl: libxenctrl (xc_*, xenevtchn_*, xengnttab_*) over Linux's
# Xen devices, with the headers in include/ (Xen 4.17's names) and the
# hypercall structures from hypervisor/include/public. Built as
# libxenctrl.a (with the device layer of libs/linux inside, so one archive
# is enough to link) and libxenctrl.so.4.17 (Debian's soname).
include dom0-tools/lib.mk

XC_DIR := dom0-tools/libs/ctrl
XC_SRCS := $(addprefix $(XC_DIR)/,xc_core.c xc_domain.c xc_physinfo.c xc_memory.c \
	   xc_foreign.c xc_evtchn.c xc_gnttab.c) $(DOM0_LX_SRCS)
XC_INCLUDES := -I$(XC_DIR)/include -Ihypervisor/include -Idom0-tools/libs/linux
XC_HDRS := $(wildcard $(XC_DIR)/include/*.h) $(XC_DIR)/xc_private.h
$(call dom0_lib,xenctrl,$(XC_SRCS),$(XC_INCLUDES),$(XC_HDRS))
XC_SONAME := libxenctrl.so.4.17
$(call dom0_lib_so,xenctrl,$(XC_SONAME),)

# Unit tests against a fake device layer (tests/unit/xenctrl_test.c),
# with the library's sources built in under ASan and UBSan.
XC_UNIT_BIN := $(BUILD)/tests/xenctrl_test
$(XC_UNIT_BIN): tests/unit/xenctrl_test.c $(XC_SRCS) $(XC_HDRS) $(wildcard dom0-tools/libs/linux/*.h)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) $(XC_INCLUDES) -fsanitize=address,undefined -fno-sanitize-recover=all \
		-fno-omit-frame-pointer -o $@ $< $(XC_SRCS) -lcmocka

.PHONY: unit-xenctrl
unit-xenctrl: $(XC_UNIT_BIN)
	$(XC_UNIT_BIN)

ALL_TARGETS += $(XC_UNIT_BIN)
TESTS += unit-xenctrl
APT_PACKAGES += libcmocka-dev
