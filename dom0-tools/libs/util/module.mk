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

# --- tests (docs/testing.md) ------------------------------------------------
XLU_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

# unit-xlcfg: cmocka, every key and every kind of error, through the API.
XLU_UNIT_BIN := $(BUILD)/tests/xlcfg_test
$(XLU_UNIT_BIN): tests/unit/dom0-tools/libs/util/xlcfg_test.c $(XLU_SRCS) $(XLU_HDRS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) $(XLU_INCLUDES) $(XLU_SAN) -o $@ $< $(XLU_SRCS) -lcmocka -luuid

.PHONY: unit-xlcfg
unit-xlcfg: $(XLU_UNIT_BIN)
	$(XLU_UNIT_BIN)

# test-xlcfg-golden: xlcfg-dump (built with ASan and UBSan) on every
# tests/unit/dom0-tools/libs/util/xlcfg/NAME.cfg, compared with NAME.out; a mismatch prints the
# diff. `make xlcfg-golden-update` rewrites the .out files.
XLU_DUMP_SAN := $(BUILD)/tests/xlcfg-dump-san
$(XLU_DUMP_SAN): $(XLU_DIR)/xlcfg_dump.c $(XLU_SRCS) $(XLU_HDRS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) $(XLU_INCLUDES) $(XLU_SAN) -o $@ $< $(XLU_SRCS) -luuid

.PHONY: test-xlcfg-golden xlcfg-golden-update
test-xlcfg-golden: $(XLU_DUMP_SAN) tests/unit/dom0-tools/libs/util/xlcfg_golden.sh
	sh tests/unit/dom0-tools/libs/util/xlcfg_golden.sh $(XLU_DUMP_SAN) tests/unit/dom0-tools/libs/util/xlcfg
xlcfg-golden-update: $(XLU_DUMP_SAN)
	sh tests/unit/dom0-tools/libs/util/xlcfg_golden.sh $(XLU_DUMP_SAN) tests/unit/dom0-tools/libs/util/xlcfg --update

# test-xlcfg-fuzz: libFuzzer over xlcfg_parse (tests/fuzz/xlcfg_fuzz.c)
# for XLCFG_FUZZ_SECONDS, from the seed corpus in tests/fuzz/xlcfg_corpus
# and the golden files (new inputs go to a scratch copy).
XLCFG_FUZZ_SECONDS ?= 10
XLCFG_FUZZ_CC ?= clang
XLU_FUZZ_BIN := $(BUILD)/tests/xlcfg_fuzz
$(XLU_FUZZ_BIN): tests/fuzz/xlcfg_fuzz.c $(XLU_SRCS) $(XLU_HDRS)
	@mkdir -p $(@D)
	$(XLCFG_FUZZ_CC) -g -O1 -Wall $(XLU_INCLUDES) -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all -o $@ $< $(XLU_SRCS) -luuid

.PHONY: test-xlcfg-fuzz
test-xlcfg-fuzz: $(XLU_FUZZ_BIN)
	@rm -rf $(BUILD)/xlcfg-fuzz-corpus && mkdir -p $(BUILD)/xlcfg-fuzz-corpus
	@cp tests/fuzz/xlcfg_corpus/* tests/unit/dom0-tools/libs/util/xlcfg/*.cfg $(BUILD)/xlcfg-fuzz-corpus/
	$(XLU_FUZZ_BIN) -max_total_time=$(XLCFG_FUZZ_SECONDS) -max_len=4096 \
		-dict=tests/fuzz/xlcfg.dict -print_final_stats=1 \
		-artifact_prefix=$(BUILD)/xlcfg-fuzz- $(BUILD)/xlcfg-fuzz-corpus \
		>$(BUILD)/xlcfg-fuzz.log 2>&1; rc=$$?; tail -8 $(BUILD)/xlcfg-fuzz.log; \
		echo "xlcfg fuzz: exit $$rc (log: $(BUILD)/xlcfg-fuzz.log)"; exit $$rc

ALL_TARGETS += $(XLU_UNIT_BIN) $(XLU_DUMP_SAN)
TESTS += unit-xlcfg test-xlcfg-golden test-xlcfg-fuzz
APT_PACKAGES += libcmocka-dev clang libclang-rt-14-dev
