# xenstore: xenstored, libxenstore, the xenstore-* commands, and their tests.
# See docs/xenstore.md.

XS_DIR   := xenstore
XS_OUT   := $(BUILD)/xenstore
XS_CFLAGS := $(HOST_CFLAGS) -fPIC -MMD -MP -I$(XS_DIR)/include -I$(XS_DIR)/xenstored \
	     -Idom0-tools/libs/linux -Idom0-tools/libs/ctrl/include -Ihypervisor/include

# The daemon's core: no devices, no sockets; shared by xenstored, the unit
# tests and the fuzzer.
XSD_CORE_SRCS := $(addprefix $(XS_DIR)/xenstored/xs_,hash.c log.c node.c \
		 path.c store.c txn.c watch.c conn.c proto.c domain.c ring.c \
		 ring_conn.c)
XSD_MAIN_SRCS := $(addprefix $(XS_DIR)/xenstored/xs_,main.c socket.c dom0.c hv.c)
XSLIB_SRCS    := $(XS_DIR)/libxenstore/xs_lib.c $(XS_DIR)/libxenstore/xs_perms.c
XSCLI_SRCS    := $(XS_DIR)/client/xenstore_client.c $(XS_DIR)/client/xenstore_ls.c

xs_objs = $(patsubst $(XS_DIR)/%.c,$(XS_OUT)/%.o,$(1))
XSD_CORE_OBJS := $(call xs_objs,$(XSD_CORE_SRCS))
XSD_MAIN_OBJS := $(call xs_objs,$(XSD_MAIN_SRCS))
XSLIB_OBJS    := $(call xs_objs,$(XSLIB_SRCS))
XSCLI_OBJS    := $(call xs_objs,$(XSCLI_SRCS))

XS_CLIENT_CMDS := read write ls rm exists list chmod watch
XS_CLIENT_LINKS := $(addprefix $(BUILD)/bin/xenstore-,$(XS_CLIENT_CMDS))

ALL_TARGETS += $(BUILD)/bin/xenstored $(BUILD)/lib/libxenstore.so \
	       $(BUILD)/lib/libxenstore.so.4 \
	       $(BUILD)/lib/libxenstore.a $(BUILD)/bin/xenstore \
	       $(XS_CLIENT_LINKS)

$(XS_OUT)/%.o: $(XS_DIR)/%.c
	@mkdir -p $(dir $@)
	$(HOST_CC) $(XS_CFLAGS) -c -o $@ $<

$(XS_OUT)/libxsd.a: $(XSD_CORE_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

# The Dom0 transport reaches the devices through dom0-tools/libs/linux,
# and asks about domains (xs_hv.c) through libxenctrl.
$(BUILD)/bin/xenstored: $(XSD_MAIN_OBJS) $(XS_OUT)/libxsd.a $(BUILD)/lib/libxenctrl.a $(BUILD)/lib/libd0linux.a
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) -o $@ $^

# Xen's soname, so programs built against Xen's libxenstore run with ours.
$(BUILD)/lib/libxenstore.so.4: $(XSLIB_OBJS)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) -shared -Wl,-soname,libxenstore.so.4 -o $@ $^

$(BUILD)/lib/libxenstore.so: $(BUILD)/lib/libxenstore.so.4
	ln -sf libxenstore.so.4 $@

$(BUILD)/lib/libxenstore.a: $(XSLIB_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

# One multi-call binary; xenstore-<cmd> are symlinks to it.
$(BUILD)/bin/xenstore: $(XSCLI_OBJS) $(BUILD)/lib/libxenstore.a
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) -o $@ $^

$(XS_CLIENT_LINKS): $(BUILD)/bin/xenstore
	ln -sf xenstore $@

-include $(wildcard $(XS_OUT)/*/*.d)

.PHONY: xenstore
xenstore: $(filter $(BUILD)/bin/xenstore% $(BUILD)/lib/libxenstore%,$(ALL_TARGETS))

# `make install`: the daemon, the commands and the library where Dom0's image
# has them (tests/images/module.mk) and Debian's packages put theirs.
XS_LIBDIR ?= /usr/lib/$(shell $(HOST_CC) -print-multiarch)
XS_INSTALLED := /usr/sbin/xenstored /usr/bin/xenstore $(XS_CLIENT_CMDS:%=/usr/bin/xenstore-%) \
	$(XS_LIBDIR)/libxenstore.so.4 $(XS_LIBDIR)/libxenstore.so /usr/include/xenstore.h
.PHONY: install-xenstore test-install-xenstore
install: install-xenstore
install-xenstore: $(BUILD)/bin/xenstored $(BUILD)/bin/xenstore $(BUILD)/lib/libxenstore.so.4
	install -d $(DESTDIR)/usr/sbin $(DESTDIR)/usr/bin $(DESTDIR)$(XS_LIBDIR) $(DESTDIR)/usr/include
	install -m 755 $(BUILD)/bin/xenstored $(DESTDIR)/usr/sbin/xenstored
	install -m 755 $(BUILD)/bin/xenstore $(DESTDIR)/usr/bin/xenstore
	for c in $(XS_CLIENT_CMDS); do ln -sf xenstore $(DESTDIR)/usr/bin/xenstore-$$c; done
	install -m 644 $(BUILD)/lib/libxenstore.so.4 $(DESTDIR)$(XS_LIBDIR)/libxenstore.so.4
	ln -sf libxenstore.so.4 $(DESTDIR)$(XS_LIBDIR)/libxenstore.so
	install -m 644 $(XS_DIR)/include/xenstore.h $(DESTDIR)/usr/include/xenstore.h

# Every file lands, and the installed command runs (its usage, exit 1 as Xen's).
test-install-xenstore:
	rm -rf $(BUILD)/install-xs-test
	$(MAKE) --no-print-directory install-xenstore DESTDIR=$(abspath $(BUILD)/install-xs-test) >/dev/null
	@for f in $(XS_INSTALLED); do \
		[ -e $(BUILD)/install-xs-test$$f ] || { echo "test-install-xenstore: $$f missing"; exit 1; }; \
	done
	@$(BUILD)/install-xs-test/usr/bin/xenstore-read -h >/dev/null 2>&1; rc=$$?; \
	[ $$rc -eq 1 ] || { echo "test-install-xenstore: xenstore-read -h exited $$rc, want 1"; exit 1; }
	@echo "test-install-xenstore: PASS ($(words $(XS_INSTALLED)) files)"
TESTS += test-install-xenstore

# --- tests -----------------------------------------------------------------
APT_PACKAGES += libcmocka-dev clang libclang-rt-14-dev

XS_UNIT_NAMES := tree perms txn watch quota ring dom0 socket
XS_UNIT_BINS  := $(addprefix $(XS_OUT)/tests/xenstore_,$(addsuffix _test,$(XS_UNIT_NAMES)))
XS_UNIT_CFLAGS := $(HOST_CFLAGS) -I$(XS_DIR)/include -I$(XS_DIR)/xenstored \
		  -Idom0-tools/libs/linux \
		  -Itests/unit/xenstore/xenstored -fsanitize=address,undefined -fno-sanitize-recover=all \
		  -fno-omit-frame-pointer

$(XS_OUT)/tests/xenstore_%_test: tests/unit/xenstore/xenstored/xenstore_%_test.c \
		tests/unit/xenstore/xenstored/xenstore_test_util.h $(XSD_CORE_SRCS) \
		$(wildcard $(XS_DIR)/xenstored/*.h $(XS_DIR)/include/*.h)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(XS_UNIT_CFLAGS) -o $@ $< $(XSD_CORE_SRCS) $(XS_UNIT_EXTRA) -lcmocka

# dom0 includes xs_dom0.c (for its static state); socket links
# xs_socket.c with bind() wrapped, to see the socket's mode at birth.
$(XS_OUT)/tests/xenstore_dom0_test: $(XS_DIR)/xenstored/xs_dom0.c dom0-tools/libs/linux/lx_dev.c
$(XS_OUT)/tests/xenstore_dom0_test: XS_UNIT_EXTRA := dom0-tools/libs/linux/lx_dev.c
$(XS_OUT)/tests/xenstore_socket_test: tests/unit/xenstore/xenstored/xenstore_socket_test.c \
		tests/unit/xenstore/xenstored/xenstore_test_util.h $(XSD_CORE_SRCS) \
		$(XS_DIR)/xenstored/xs_socket.c \
		$(wildcard $(XS_DIR)/xenstored/*.h $(XS_DIR)/include/*.h)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(XS_UNIT_CFLAGS) -o $@ $< $(XSD_CORE_SRCS) \
		$(XS_DIR)/xenstored/xs_socket.c -Wl,--wrap=bind -lcmocka

ALL_TARGETS += $(XS_UNIT_BINS)
TESTS += test-xenstore-unit

.PHONY: test-xenstore-unit
test-xenstore-unit: $(XS_UNIT_BINS)
	@rc=0; for t in $(XS_UNIT_BINS); do $$t || rc=1; done; exit $$rc

# Integration: a real xenstored on a temporary socket, driven by the
# commands (golden transcript) and by a libxenstore program linked to the .so.
$(XS_OUT)/tests/xenstore_lib_test: tests/integration/xenstore_lib_test.c \
		$(BUILD)/lib/libxenstore.so $(XS_DIR)/include/xenstore.h
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) -I$(XS_DIR)/include -o $@ $< \
		-L$(BUILD)/lib -lxenstore -Wl,-rpath,'$$ORIGIN/../../lib'

ALL_TARGETS += $(XS_OUT)/tests/xenstore_lib_test
TESTS += test-xenstore-cli

.PHONY: test-xenstore-cli
test-xenstore-cli: $(BUILD)/bin/xenstored $(BUILD)/bin/xenstore $(XS_CLIENT_LINKS) \
		$(XS_OUT)/tests/xenstore_lib_test
	sh tests/integration/xenstore_cli_test.sh

# Fuzzing: libFuzzer (clang) over the message parser; a short run in `make
# test`, from the seed corpus in tests/fuzz/xenstore_corpus (new inputs go to
# a scratch copy, so the tree is not modified). The seed is fixed (1) so that
# `make test` explores the same inputs each run; `make fuzz` passes 0 (new).
XS_FUZZ_SECONDS ?= 10
XS_FUZZ_SEED ?= 1
XS_FUZZ_CC ?= clang
$(XS_OUT)/tests/xenstore_proto_fuzz: tests/fuzz/xenstore_proto_fuzz.c $(XSD_CORE_SRCS) \
		$(wildcard $(XS_DIR)/xenstored/*.h $(XS_DIR)/include/*.h)
	@mkdir -p $(dir $@)
	$(XS_FUZZ_CC) -g -O1 -Wall -I$(XS_DIR)/include -I$(XS_DIR)/xenstored \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-o $@ $< $(XSD_CORE_SRCS)

TESTS += test-xenstore-fuzz

.PHONY: test-xenstore-fuzz
test-xenstore-fuzz: $(XS_OUT)/tests/xenstore_proto_fuzz
	@rm -rf $(XS_OUT)/fuzz-corpus && mkdir -p $(XS_OUT)/fuzz-corpus
	@cp tests/fuzz/xenstore_corpus/* $(XS_OUT)/fuzz-corpus/
	$(XS_OUT)/tests/xenstore_proto_fuzz -seed=$(XS_FUZZ_SEED) -max_total_time=$(XS_FUZZ_SECONDS) \
		-max_len=9000 -print_final_stats=1 \
		-artifact_prefix=$(XS_OUT)/ $(XS_OUT)/fuzz-corpus \
		>$(XS_OUT)/fuzz.log 2>&1; rc=$$?; tail -8 $(XS_OUT)/fuzz.log; \
		echo "xenstore fuzz: exit $$rc (log: $(XS_OUT)/fuzz.log)"; exit $$rc

# Transactions under small quotas, as a program of requests from Dom0 and
# two guests (tests/fuzz/xenstore_txn_fuzz.c): after each request, what
# a transaction holds and what a guest owns stay within the quotas.
XS_TXN_FUZZ_SECONDS ?= 10
$(XS_OUT)/tests/xenstore_txn_fuzz: tests/fuzz/xenstore_txn_fuzz.c $(XSD_CORE_SRCS) \
		$(wildcard $(XS_DIR)/xenstored/*.h $(XS_DIR)/include/*.h)
	@mkdir -p $(dir $@)
	$(XS_FUZZ_CC) -g -O1 -Wall -I$(XS_DIR)/include -I$(XS_DIR)/xenstored \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-o $@ $< $(XSD_CORE_SRCS)

TESTS += test-xenstore-txn-fuzz

.PHONY: test-xenstore-txn-fuzz
test-xenstore-txn-fuzz: $(XS_OUT)/tests/xenstore_txn_fuzz
	@rm -rf $(XS_OUT)/txn-fuzz-corpus && mkdir -p $(XS_OUT)/txn-fuzz-corpus
	@cp tests/fuzz/xenstore_txn_corpus/* $(XS_OUT)/txn-fuzz-corpus/
	$(XS_OUT)/tests/xenstore_txn_fuzz -seed=$(XS_FUZZ_SEED) -max_total_time=$(XS_TXN_FUZZ_SECONDS) \
		-max_len=6000 -print_final_stats=1 \
		-artifact_prefix=$(XS_OUT)/txn- $(XS_OUT)/txn-fuzz-corpus \
		>$(XS_OUT)/txn-fuzz.log 2>&1; rc=$$?; tail -8 $(XS_OUT)/txn-fuzz.log; \
		echo "xenstore txn fuzz: exit $$rc (log: $(XS_OUT)/txn-fuzz.log)"; exit $$rc

# The same for domain lifetimes and watch floods (xenstore_domain_fuzz.c,
# seeds in tests/fuzz/xenstore_domain_corpus): a script of introduces,
# releases, requests from several clients, floods, clients that stop
# reading.  Shorter by default: make test runs both.
XS_DOMAIN_FUZZ_SECONDS ?= 10
$(XS_OUT)/tests/xenstore_domain_fuzz: tests/fuzz/xenstore_domain_fuzz.c $(XSD_CORE_SRCS) \
		$(wildcard $(XS_DIR)/xenstored/*.h $(XS_DIR)/include/*.h)
	@mkdir -p $(dir $@)
	$(XS_FUZZ_CC) -g -O1 -Wall -I$(XS_DIR)/include -I$(XS_DIR)/xenstored \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-o $@ $< $(XSD_CORE_SRCS)

TESTS += test-xenstore-domain-fuzz

.PHONY: test-xenstore-domain-fuzz
test-xenstore-domain-fuzz: $(XS_OUT)/tests/xenstore_domain_fuzz
	@rm -rf $(XS_OUT)/domain-fuzz-corpus && mkdir -p $(XS_OUT)/domain-fuzz-corpus
	@cp tests/fuzz/xenstore_domain_corpus/* $(XS_OUT)/domain-fuzz-corpus/
	$(XS_OUT)/tests/xenstore_domain_fuzz -seed=$(XS_FUZZ_SEED) -max_total_time=$(XS_DOMAIN_FUZZ_SECONDS) \
		-max_len=4096 -print_final_stats=1 \
		-artifact_prefix=$(XS_OUT)/domain- $(XS_OUT)/domain-fuzz-corpus \
		>$(XS_OUT)/domain-fuzz.log 2>&1; rc=$$?; tail -8 $(XS_OUT)/domain-fuzz.log; \
		echo "xenstore domain fuzz: exit $$rc (log: $(XS_OUT)/domain-fuzz.log)"; exit $$rc

# Benchmark (not a test): `make bench-xenstore` builds and runs it.
$(BUILD)/bench/xenstore_bench: bench/xenstore_bench.c $(BUILD)/lib/libxenstore.a
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) -I$(XS_DIR)/include -o $@ $^

ALL_TARGETS += $(BUILD)/bench/xenstore_bench

.PHONY: bench-xenstore
bench-xenstore: $(BUILD)/bench/xenstore_bench $(BUILD)/bin/xenstored
	$(BUILD)/bench/xenstore_bench $(BUILD)/bin/xenstored

# Builds for the Dom0 initramfs (tests/images/module.mk puts them there;
# the image has only the C library's runtime, libc.so.6 and ld.so):
# xenstored static, so the store never depends on anything else in the
# image; the commands linked to libxenstore.so.4, as Xen's are, so every
# command run in Dom0 also exercises the shared library; and the ring
# round-trip program (bench/xenstore-ring.sh), static.
XS_DOM0 := $(BUILD)/dom0
$(XS_DOM0)/xenstored: $(XSD_MAIN_OBJS) $(XS_OUT)/libxsd.a $(BUILD)/lib/libxenctrl.a $(BUILD)/lib/libd0linux.a
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) -static -o $@ $^

$(XS_DOM0)/xenstore: $(XSCLI_OBJS) $(BUILD)/lib/libxenstore.so.4
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) -o $@ $(XSCLI_OBJS) $(BUILD)/lib/libxenstore.so.4

$(XS_DOM0)/xenstore-ring: bench/xenstore_ring.c $(XS_DIR)/include/xs_wire.h
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) -I$(XS_DIR)/include -static -o $@ $<

XS_DOM0_BINS := $(XS_DOM0)/xenstored $(XS_DOM0)/xenstore $(XS_DOM0)/xenstore-ring
ALL_TARGETS += $(XS_DOM0_BINS)
