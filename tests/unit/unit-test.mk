# The one way to build and register a host unit test (docs/testing.md), read
# by the top Makefile before every module.mk, so any fragment may call it:
#
#   $(call unit_test,NAME,TEST_SOURCES,SOURCES,CFLAGS,LIBS[,DEPS[,RUN_DEPS[,RUN_ARGS]]])
#
# NAME      the test is `make unit-NAME`, listed in TESTS
# TEST_SOURCES  the cmocka file(s) with main(), at the path of what they test
#           (tests/unit/hypervisor/common/..., docs/testing.md "Where a unit
#           test goes"); each becomes
#           $(BUILD)/tests/unit/<its name without .c>, in ALL_TARGETS, and
#           unit-NAME runs them in this order
# SOURCES   what each is linked with besides the fake machine's core
#           (hypervisor sources, the fake machine's layers it needs)
# CFLAGS    the whole compiler line before -o (sanitizers included)
# LIBS      the whole line after the sources (-lcmocka, sanitizers)
# DEPS      headers and #included files: rebuild when they change (the
#           fake machine's headers are always there)
# RUN_DEPS  what the run needs besides the binaries (data files)
# RUN_ARGS  the binaries' command-line arguments
#
# Arguments are expanded when called: define the variables they name first.
# A comma ends an argument: flags such as -fsanitize=address,undefined go
# in a variable (FOO_CFLAGS) passed as $(FOO_CFLAGS).
#
# Every test linked here runs on the one fake machine (tests/unit/fake/,
# docs/testing.md "The fake machine"): its core, FAKE_MACHINE, is added
# to each; its layers (FAKE/mm.c, FAKE/evtchn.c, ...) are named in SOURCES.
# The host fuzzers (tests/fuzz/module.mk) link the same files. This file and
# tests/unit/fake/ are shared by every test and so stay at tests/unit/.

FAKE         := tests/unit/fake
FAKE_MACHINE := $(FAKE)/machine.c
FAKE_HDRS    := $(wildcard $(FAKE)/*.h)

unit_test_bin = $(BUILD)/tests/unit/$(basename $(notdir $(1)))

define unit_test_build
$(call unit_test_bin,$(1)): $(1) $(FAKE_MACHINE) $(2) $(5) $(FAKE_HDRS)
	@mkdir -p $$(@D)
	$$(HOST_CC) $(3) -o $$@ $(1) $(FAKE_MACHINE) $(2) $(4)

ALL_TARGETS += $(call unit_test_bin,$(1))
endef

define unit_test_run
.PHONY: unit-$(1)
unit-$(1): $(foreach t,$(2),$(call unit_test_bin,$(t))) $(3)
	$(call unit_test_bin,$(firstword $(2))) $(4)$(foreach t,$(wordlist 2,99,$(2)), && $(call unit_test_bin,$(t)) $(4))
TESTS += unit-$(1)
endef

unit_test = $(foreach t,$(2),$(eval $(call unit_test_build,$(t),$(3),$(4),$(5),$(6))))$(eval $(call unit_test_run,$(1),$(2),$(7),$(8)))
