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
# The real pty and log operations (cons_sys.c) are tried too, so the
# test links libxenctrl (which carries d0_log) and libxenstore.
XCONS_UNIT_SRCS := $(filter-out dom0-tools/libs/linux/d0_log.c,$(XCONS_CORE_SRCS)) $(XCONS_DIR)/cons_sys.c
$(XCONS_UNIT_BIN): tests/unit/dom0-tools/xenconsoled/xenconsoled_test.c $(XCONS_UNIT_SRCS) $(XCONS_HDRS) $(XCONS_DIR)/cons_sys.h \
		$(BUILD)/lib/libxenctrl.a $(BUILD)/lib/libxenstore.a
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) $(XCONS_INCLUDES) -Idom0-tools/libs/ctrl/include -Ixenstore/include \
		$(XCONS_SAN) -o $@ $< $(XCONS_UNIT_SRCS) $(BUILD)/lib/libxenctrl.a $(BUILD)/lib/libxenstore.a -lcmocka

.PHONY: unit-xenconsoled
unit-xenconsoled: $(XCONS_UNIT_BIN)
	$(XCONS_UNIT_BIN)

ALL_TARGETS += $(XCONS_UNIT_BIN)
TESTS += unit-xenconsoled
APT_PACKAGES += libcmocka-dev

# unit-xenconsoled-hv: the hypervisor's log (cons_hv.c) under ASan and
# UBSan, linked with libxenctrl for its one call.
XCONS_HV_UNIT_BIN := $(BUILD)/tests/xenconsoled_hv_test
$(XCONS_HV_UNIT_BIN): tests/unit/dom0-tools/xenconsoled/xenconsoled_hv_test.c $(XCONS_DIR)/cons_hv.c $(XCONS_DIR)/cons_hv.h \
		$(BUILD)/lib/libxenctrl.a
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) $(XCONS_INCLUDES) -Idom0-tools/libs/ctrl/include $(XCONS_SAN) -o $@ $< \
		$(XCONS_DIR)/cons_hv.c $(BUILD)/lib/libxenctrl.a -lcmocka

.PHONY: unit-xenconsoled-hv
unit-xenconsoled-hv: $(XCONS_HV_UNIT_BIN)
	$(XCONS_HV_UNIT_BIN)
ALL_TARGETS += $(XCONS_HV_UNIT_BIN)
TESTS += unit-xenconsoled-hv

# The daemon: the core, the real ops and main, linked with libxenctrl
# (which carries the device layer) and libxenstore.
XCONS_BIN_SRCS := $(XCONS_CORE_SRCS) $(XCONS_DIR)/cons_sys.c $(XCONS_DIR)/cons_hv.c $(XCONS_DIR)/main.c
XCONS_BIN_INCLUDES := $(XCONS_INCLUDES) -Idom0-tools/libs/ctrl/include -Ixenstore/include
$(BUILD)/bin/xenconsoled: $(XCONS_BIN_SRCS) $(XCONS_HDRS) $(XCONS_DIR)/cons_sys.h $(XCONS_DIR)/cons_hv.h \
		$(BUILD)/lib/libxenctrl.a $(BUILD)/lib/libxenstore.a
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) $(XCONS_BIN_INCLUDES) -o $@ \
		$(filter-out dom0-tools/libs/linux/d0_log.c,$(XCONS_BIN_SRCS)) \
		$(BUILD)/lib/libxenctrl.a $(BUILD)/lib/libxenstore.a
ALL_TARGETS += $(BUILD)/bin/xenconsoled

# `make install DESTDIR=dir`: where Debian's xen-utils-4.17 puts it, the
# binary in /usr/lib/xen-4.17/bin and /usr/sbin/xenconsoled pointing at
# it (Debian's points at its version wrapper, which we do not have; a
# direct link runs the same binary). Dom0's image starts it
# (tests/images/rc-xenconsoled.sh).
XCONS_LIBEXEC ?= /usr/lib/xen-4.17/bin
.PHONY: install-xenconsoled
install: install-xenconsoled
install-xenconsoled: $(BUILD)/bin/xenconsoled
	install -d $(DESTDIR)$(XCONS_LIBEXEC) $(DESTDIR)/usr/sbin
	install -m 755 $(BUILD)/bin/xenconsoled $(DESTDIR)$(XCONS_LIBEXEC)/xenconsoled
	ln -sf ../lib/xen-4.17/bin/xenconsoled $(DESTDIR)/usr/sbin/xenconsoled

# test-xenconsoled-cli: the options as Xen's are parsed; bad values and
# unknown options exit 2 with a message; without Xen's devices (the
# host) it exits 1 naming the device. Then the install places it.
.PHONY: test-xenconsoled-cli
test-xenconsoled-cli: $(BUILD)/bin/xenconsoled
	@b=$(BUILD)/bin/xenconsoled; set -e; \
	$$b --help | grep -q -- '--overflow-data=discard|keep'; \
	$$b -V | grep -q 'Xen 4.17'; \
	for a in --log=bogus --timestamp=x -ox --log-dir=rel --nope extra; do \
		rc=0; $$b $$a >/dev/null 2>&1 || rc=$$?; \
		[ $$rc = 2 ] || { echo "test-xenconsoled-cli: '$$a' exited $$rc, not 2"; exit 1; }; done; \
	if [ ! -e /dev/xen/privcmd ]; then \
		rc=0; $$b -i --log-dir=$(abspath $(BUILD))/xcons-logs --log=guest 2>$(BUILD)/xcons.err || rc=$$?; \
		[ $$rc = 1 ] && grep -q '/dev/xen/privcmd' $(BUILD)/xcons.err; fi; \
	rm -rf $(BUILD)/xcons-install; \
	$(MAKE) --no-print-directory install-xenconsoled DESTDIR=$(abspath $(BUILD))/xcons-install >/dev/null; \
	[ -x $(BUILD)/xcons-install/usr/lib/xen-4.17/bin/xenconsoled ]; \
	[ "$$(readlink $(BUILD)/xcons-install/usr/sbin/xenconsoled)" = ../lib/xen-4.17/bin/xenconsoled ]; \
	echo "test-xenconsoled-cli: PASS"
TESTS += test-xenconsoled-cli

# test-xenconsoled-fuzz: libFuzzer over the ring core (a hostile guest's
# script, tests/fuzz/xenconsoled_ring_fuzz.c) for XCONS_FUZZ_SECONDS with
# a fixed seed, from the seeds in tests/fuzz/xenconsoled_corpus.
XCONS_FUZZ_SECONDS ?= 10
XCONS_FUZZ_SEED ?= 1
XCONS_FUZZ_CC ?= clang
XCONS_FUZZ_BIN := $(BUILD)/tests/xenconsoled_ring_fuzz
$(XCONS_FUZZ_BIN): tests/fuzz/xenconsoled_ring_fuzz.c $(XCONS_CORE_SRCS) $(XCONS_HDRS)
	@mkdir -p $(@D)
	$(XCONS_FUZZ_CC) -g -O1 -Wall $(XCONS_INCLUDES) -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all -o $@ $< $(XCONS_CORE_SRCS)

.PHONY: test-xenconsoled-fuzz
test-xenconsoled-fuzz: $(XCONS_FUZZ_BIN)
	@rm -rf $(BUILD)/xenconsoled-fuzz-corpus && mkdir -p $(BUILD)/xenconsoled-fuzz-corpus
	@cp tests/fuzz/xenconsoled_corpus/* $(BUILD)/xenconsoled-fuzz-corpus/
	$(XCONS_FUZZ_BIN) -seed=$(XCONS_FUZZ_SEED) -max_total_time=$(XCONS_FUZZ_SECONDS) -max_len=512 \
		-print_final_stats=1 -artifact_prefix=$(BUILD)/xenconsoled-fuzz- \
		$(BUILD)/xenconsoled-fuzz-corpus \
		>$(BUILD)/xenconsoled-fuzz.log 2>&1; rc=$$?; tail -8 $(BUILD)/xenconsoled-fuzz.log; \
		echo "xenconsoled fuzz: exit $$rc (log: $(BUILD)/xenconsoled-fuzz.log)"; exit $$rc
TESTS += test-xenconsoled-fuzz
APT_PACKAGES += clang libclang-rt-14-dev
