# libs/util: the xl.cfg parser (libxlutil.a, include/xlcfg.h), pure code
# over buffers; xlcfg-dump prints what it parsed (the golden tests and
# anyone checking a configuration by hand). docs/toolstack.md "xl.cfg".
include dom0-tools/lib.mk

XLU_DIR  := dom0-tools/libs/util
XLU_SRCS := $(addprefix $(XLU_DIR)/,xlcfg_core.c xlcfg_syntax.c xlcfg_keys.c \
	    xlcfg_cpus.c xlcfg_disk.c xlcfg_vif.c)
XLU_INCLUDES := -I$(XLU_DIR)/include -I$(XLU_DIR)
XLU_HDRS := $(XLU_DIR)/include/xlcfg.h $(XLU_DIR)/xlcfg_priv.h
$(call dom0_lib,xlutil,$(XLU_SRCS),$(XLU_INCLUDES),$(XLU_HDRS))

$(BUILD)/bin/xlcfg-dump: $(XLU_DIR)/xlcfg_dump.c $(BUILD)/lib/libxlutil.a $(XLU_HDRS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -I$(XLU_DIR)/include -o $@ $< $(BUILD)/lib/libxlutil.a -luuid
ALL_TARGETS += $(BUILD)/bin/xlcfg-dump
APT_PACKAGES += uuid-dev
