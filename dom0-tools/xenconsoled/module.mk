# xenconsoled: the console daemon (docs/toolstack.md "xenconsoled").
# The core (cons_*.c) is pure code over an ops table; cons_sys.c gives the
# real ops (libxenctrl, libxenstore, openpty) and main.c the daemon.
XCONS_DIR := dom0-tools/xenconsoled
XCONS_CORE_SRCS := $(addprefix $(XCONS_DIR)/,cons_ring.c cons_domain.c cons_discover.c) \
		   dom0-tools/libs/linux/d0_log.c
XCONS_INCLUDES := -I$(XCONS_DIR) -Ihypervisor/include -Idom0-tools/libs/linux
XCONS_HDRS := $(XCONS_DIR)/cons.h hypervisor/include/public/io/console.h
XCONS_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

# unit-xenconsoled: cmocka, the core against fake rings, devices and
# xenstore, under ASan and UBSan.
XCONS_UNIT_BIN := $(BUILD)/tests/xenconsoled_test
$(XCONS_UNIT_BIN): tests/unit/xenconsoled_test.c $(XCONS_CORE_SRCS) $(XCONS_HDRS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) $(XCONS_INCLUDES) $(XCONS_SAN) -o $@ $< $(XCONS_CORE_SRCS) -lcmocka

.PHONY: unit-xenconsoled
unit-xenconsoled: $(XCONS_UNIT_BIN)
	$(XCONS_UNIT_BIN)

ALL_TARGETS += $(XCONS_UNIT_BIN)
TESTS += unit-xenconsoled
APT_PACKAGES += libcmocka-dev
