# libFuzzer harnesses over the hypervisor's hypercall paths, built for the
# host (clang, -fsanitize=fuzzer,address,undefined) against the unit-test
# shims (tests/unit/mm_shim.c) and tests/fuzz/hv_fuzz.c (vCPUs, guest
# memory, continuations, the invariant check and a model teardown).
#
#   make fuzz FUZZ_SECONDS=N   every fuzzer (these and xenstore's) for N s each,
#                              adding what it finds to a scratch copy of its corpus
#   fuzz-hv-mm, fuzz-hv-gnttab, fuzz-hv-evtchn, fuzz-hv-vcpu, fuzz-hv-pvemu
#                              one harness: replay its corpus, then fuzz for
#                              HV_FUZZ_SECONDS (10 s in `make test`)
# (hv_pvemu runs on tests/unit/pv_shim.c's fake CPU, hv_evtchn on the
# event-channel shim; the others on the mm machine above)
#
# A crash or invariant violation fails the target and names the reproducer
# (build/fuzz/<name>/crash-*); replay one with build/fuzz/<name>_fuzz FILE,
# with HV_FUZZ_TRACE=1 in the environment to see every call and its result.
# Recursive variables: this fragment may be read before or after the others.

APT_PACKAGES += clang libclang-rt-14-dev libcmocka-dev

HV_FUZZ_CC      ?= clang
HV_FUZZ_SECONDS ?= 5
FUZZ_SECONDS    ?= 60
HV_FUZZ_OUT      = $(BUILD)/fuzz
HV_FUZZ_CFLAGS   = -g -O1 -std=gnu11 -Wall -Wno-unused-parameter -DHOST_TEST \
                   -Ihypervisor/include -Ihypervisor/arch/x86/include -Ihypervisor/arch/x86/pv \
                   -Ihypervisor/common -Itests/unit -Itests/fuzz \
                   -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
# mm.c's CPU-facing definitions duplicate the shim's (mm_shim.c) and it reads
# the current vCPU for CR3 reloads (privileged instructions): renamed away.
HV_FUZZ_MM_RENAME = -Dcurrent_vcpu=fz_mm_current_vcpu -Dpv_hv_l4e=fz_unused_pv_hv_l4e \
                    -Darch_page_flush_tlbs=fz_unused_flush_tlbs -Darch_tlb_clock=fz_unused_tlb_clock \
                    -Darch_page_m2p_set=fz_unused_m2p_set -Darch_m2p_extent_mfn=fz_unused_m2p_extent_mfn \
                    -Darch_host_cpuid=fz_unused_host_cpuid
HV_FUZZ_BASE_SRCS := hypervisor/common/page.c hypervisor/common/page_type.c hypervisor/common/memmap.c \
                     hypervisor/arch/x86/pv/mm_validate.c hypervisor/arch/x86/pv/mm_ops.c \
                     hypervisor/common/memory.c hypervisor/common/console.c hypervisor/lib/format.c \
                     tests/unit/mm_shim.c tests/unit/hv_shim.c tests/unit/guest_mem_fake.c \
                     tests/fuzz/hv_fuzz.c tests/fuzz/hv_fuzz_mm_ops.c \
                     hypervisor/common/audit.c hypervisor/common/audit_holders.c hypervisor/arch/x86/pv/audit.c
HV_FUZZ_HDRS      := hypervisor/include/page.h hypervisor/arch/x86/pv/mm.h tests/unit/mm_shim.h \
                     tests/fuzz/hv_fuzz.h hypervisor/include/audit.h

HV_FUZZERS := hv_mm hv_gnttab hv_vcpu
HV_FUZZ_EXTRA_hv_mm :=
# vcpu_op (VCPUOP_initialise's checks and apply, the debug-register rules) and physdev_op
HV_FUZZ_EXTRA_hv_vcpu := hypervisor/common/vcpu.c hypervisor/arch/x86/pv/vcpu_context.c \
                         hypervisor/arch/x86/pv/emulate_cr.c hypervisor/arch/x86/pv/physdev.c \
                         hypervisor/arch/x86/pv/physdev_io.c
HV_FUZZ_EXTRA_hv_gnttab := hypervisor/common/grant_table.c hypervisor/common/grant_table_map.c \
                           hypervisor/common/grant_table_copy.c hypervisor/common/grant_table_op.c \
                           hypervisor/arch/x86/pv/mm_grant.c

$(BUILD)/fuzz/pv_mm.o: hypervisor/arch/x86/pv/mm.c $(HV_FUZZ_HDRS)
	@mkdir -p $(dir $@)
	$(HV_FUZZ_CC) $(HV_FUZZ_CFLAGS) $(HV_FUZZ_MM_RENAME) -c -o $@ $<

# descriptors.c loads the GDT/LDT of the running vCPU: the same renaming keeps it from doing so.
$(BUILD)/fuzz/pv_descriptors.o: hypervisor/arch/x86/pv/descriptors.c $(HV_FUZZ_HDRS)
	@mkdir -p $(dir $@)
	$(HV_FUZZ_CC) $(HV_FUZZ_CFLAGS) -Dcurrent_vcpu=fz_mm_current_vcpu -c -o $@ $<

define hv_fuzzer
$(BUILD)/fuzz/$(1)_fuzz: tests/fuzz/$(1)_fuzz.c $(BUILD)/fuzz/pv_mm.o $(BUILD)/fuzz/pv_descriptors.o $(HV_FUZZ_BASE_SRCS) $(HV_FUZZ_EXTRA_$(1)) $(HV_FUZZ_HDRS)
	@mkdir -p $$(dir $$@)
	$$(HV_FUZZ_CC) $$(HV_FUZZ_CFLAGS) -o $$@ tests/fuzz/$(1)_fuzz.c $(BUILD)/fuzz/pv_mm.o $(BUILD)/fuzz/pv_descriptors.o \
		$(HV_FUZZ_BASE_SRCS) $(HV_FUZZ_EXTRA_$(1)) -lcmocka

# Replay the corpus (every input must pass), then fuzz from a scratch copy of it.
.PHONY: fuzz-$(subst _,-,$(1))
fuzz-$(subst _,-,$(1)): $(BUILD)/fuzz/$(1)_fuzz
	@sh tests/fuzz/run-hv-fuzz.sh $(BUILD)/fuzz/$(1)_fuzz tests/fuzz/$(1)_corpus $(BUILD)/fuzz/$(1) \
		$$(HV_FUZZ_SECONDS)

ALL_TARGETS += $(BUILD)/fuzz/$(1)_fuzz
TESTS += fuzz-$(subst _,-,$(1))
endef

$(foreach f,$(HV_FUZZERS),$(eval $(call hv_fuzzer,$(f))))

# event_channel_op: its own shim (tests/unit/evtchn_shim.c), not the mm machine.
# (Own lists: tests/unit/evtchn/module.mk is read after this fragment.)
HV_FUZZ_EVTCHN_SRCS := $(wildcard hypervisor/common/event_channel*.c) hypervisor/common/event_2l.c \
                       hypervisor/common/event_fifo.c hypervisor/common/event_pirq.c tests/unit/evtchn_shim.c
HV_FUZZ_EVTCHN_HDRS := hypervisor/common/event_channel.h hypervisor/include/event.h hypervisor/include/domain.h \
                       hypervisor/include/public/event_channel.h tests/unit/evtchn_shim.h
$(BUILD)/fuzz/hv_evtchn_fuzz: tests/fuzz/hv_evtchn_fuzz.c $(HV_FUZZ_EVTCHN_SRCS) $(HV_FUZZ_EVTCHN_HDRS)
	@mkdir -p $(dir $@)
	$(HV_FUZZ_CC) $(HV_FUZZ_CFLAGS) -o $@ tests/fuzz/hv_evtchn_fuzz.c $(HV_FUZZ_EVTCHN_SRCS) -lcmocka

.PHONY: fuzz-hv-evtchn
fuzz-hv-evtchn: $(BUILD)/fuzz/hv_evtchn_fuzz
	@sh tests/fuzz/run-hv-fuzz.sh $(BUILD)/fuzz/hv_evtchn_fuzz tests/fuzz/hv_evtchn_corpus $(BUILD)/fuzz/hv_evtchn \
		$(HV_FUZZ_SECONDS)

ALL_TARGETS += $(BUILD)/fuzz/hv_evtchn_fuzz
TESTS += fuzz-hv-evtchn

# The bzImage unpacking (hv_unxz_fuzz.c): no shim, just the decoder's sources.
# Inputs up to 4 KiB, so that a whole bzImage header fits.
HV_FUZZ_UNXZ_SRCS := hypervisor/common/unxz.c hypervisor/common/xz_lzma2.c hypervisor/common/xz_bcj.c \
                     hypervisor/common/bzimage.c hypervisor/common/gunzip.c hypervisor/common/unlz4.c \
                     hypervisor/lib/crc.c hypervisor/lib/format.c
$(BUILD)/fuzz/hv_unxz_fuzz: tests/fuzz/hv_unxz_fuzz.c $(HV_FUZZ_UNXZ_SRCS) hypervisor/include/unxz.h \
		hypervisor/include/bzimage.h hypervisor/common/xz_priv.h
	@mkdir -p $(dir $@)
	$(HV_FUZZ_CC) $(HV_FUZZ_CFLAGS) -o $@ tests/fuzz/hv_unxz_fuzz.c $(HV_FUZZ_UNXZ_SRCS)

.PHONY: fuzz-hv-unxz
fuzz-hv-unxz: $(BUILD)/fuzz/hv_unxz_fuzz
	@HV_FUZZ_MAX_LEN=4096 sh tests/fuzz/run-hv-fuzz.sh $(BUILD)/fuzz/hv_unxz_fuzz tests/fuzz/hv_unxz_corpus \
		$(BUILD)/fuzz/hv_unxz $(HV_FUZZ_SECONDS)

ALL_TARGETS += $(BUILD)/fuzz/hv_unxz_fuzz
TESTS += fuzz-hv-unxz

# The LZ4 decoder of LZ4 bzImages (hv_unlz4_fuzz.c), with liblz4 as the
# oracle for single blocks. Seeds: make_unlz4_corpus.sh.
$(BUILD)/fuzz/hv_unlz4_fuzz: tests/fuzz/hv_unlz4_fuzz.c hypervisor/common/unlz4.c hypervisor/lib/format.c \
		hypervisor/include/unlz4.h
	@mkdir -p $(dir $@)
	$(HV_FUZZ_CC) $(HV_FUZZ_CFLAGS) -o $@ tests/fuzz/hv_unlz4_fuzz.c hypervisor/common/unlz4.c \
		hypervisor/lib/format.c -llz4

.PHONY: fuzz-hv-unlz4
fuzz-hv-unlz4: $(BUILD)/fuzz/hv_unlz4_fuzz
	@HV_FUZZ_MAX_LEN=4096 sh tests/fuzz/run-hv-fuzz.sh $(BUILD)/fuzz/hv_unlz4_fuzz tests/fuzz/hv_unlz4_corpus \
		$(BUILD)/fuzz/hv_unlz4 $(HV_FUZZ_SECONDS)

ALL_TARGETS += $(BUILD)/fuzz/hv_unlz4_fuzz
TESTS += fuzz-hv-unlz4
# The instruction decoders (the writable page-table assist and the privileged-
# instruction emulator) on tests/unit/pv_shim.c's fake CPU and guest memory.
HV_FUZZ_PVEMU_SRCS := hypervisor/arch/x86/pv/mm_ptwr_decode.c hypervisor/arch/x86/pv/emulate.c \
                      hypervisor/arch/x86/pv/emulate_io.c hypervisor/arch/x86/pv/pit_ch2.c \
                      hypervisor/arch/x86/pv/emulate_cr.c hypervisor/arch/x86/pv/cpuid.c hypervisor/arch/x86/pv/cpuid_policy.c \
                      hypervisor/arch/x86/pv/msr.c tests/unit/pv_shim.c tests/unit/guest_mem_fake.c
HV_FUZZ_PVEMU_HDRS := hypervisor/arch/x86/pv/emulate.h hypervisor/arch/x86/pv/mm_ptwr.h tests/unit/pv_shim.h
$(BUILD)/fuzz/hv_pvemu_fuzz: tests/fuzz/hv_pvemu_fuzz.c $(HV_FUZZ_PVEMU_SRCS) $(HV_FUZZ_PVEMU_HDRS)
	@mkdir -p $(dir $@)
	$(HV_FUZZ_CC) $(HV_FUZZ_CFLAGS) -o $@ tests/fuzz/hv_pvemu_fuzz.c $(HV_FUZZ_PVEMU_SRCS) -lcmocka

.PHONY: fuzz-hv-pvemu
fuzz-hv-pvemu: $(BUILD)/fuzz/hv_pvemu_fuzz
	@sh tests/fuzz/run-hv-fuzz.sh $(BUILD)/fuzz/hv_pvemu_fuzz tests/fuzz/hv_pvemu_corpus $(BUILD)/fuzz/hv_pvemu \
		$(HV_FUZZ_SECONDS)

ALL_TARGETS += $(BUILD)/fuzz/hv_pvemu_fuzz
TESTS += fuzz-hv-pvemu

# Every fuzzer for FUZZ_SECONDS each (not part of `make test`).
.PHONY: fuzz
fuzz:
	@rc=0; for f in $(HV_FUZZERS) hv_evtchn hv_unxz hv_pvemu hv_ctl; do \
		HV_FUZZ_SEED=0 $(MAKE) --no-print-directory fuzz-$$(echo $$f | tr _ -) HV_FUZZ_SECONDS=$(FUZZ_SECONDS) || rc=1; \
	done; \
	$(MAKE) --no-print-directory test-xenstore-fuzz XS_FUZZ_SECONDS=$(FUZZ_SECONDS) XS_FUZZ_SEED=0 || rc=1; exit $$rc

# domctl and sysctl (hv_ctl_fuzz.c): both dispatchers and every worker in their
# tables, on the unit shim of tests/unit/domctl_test.c (tests/unit/ctl_shim.c),
# called by Dom0 and by a DomU.
HV_FUZZ_CTL_SRCS := hypervisor/common/domctl.c hypervisor/common/domctl_domain.c hypervisor/common/domctl_vcpu.c \
                    hypervisor/common/domctl_sched.c hypervisor/common/domctl_attrs.c hypervisor/common/domctl_perm.c \
                    hypervisor/common/domctl_frames.c hypervisor/common/domctl_cpupolicy.c \
                    hypervisor/common/sysctl_cpupolicy.c hypervisor/common/sysctl.c hypervisor/common/sysctl_machine.c \
                    hypervisor/common/sysctl_console.c hypervisor/common/sysctl_domains.c hypervisor/common/ctl_bitmap.c \
                    hypervisor/common/sysctl_debug_keys.c hypervisor/common/console.c hypervisor/common/wake_stats.c \
                    hypervisor/lib/format.c tests/unit/guest_mem_fake.c tests/unit/ctl_shim.c tests/unit/hv_shim.c
$(BUILD)/fuzz/hv_ctl_fuzz: tests/fuzz/hv_ctl_fuzz.c $(HV_FUZZ_CTL_SRCS) hypervisor/common/domctl.h hypervisor/common/sysctl.h
	@mkdir -p $(dir $@)
	$(HV_FUZZ_CC) $(HV_FUZZ_CFLAGS) -o $@ tests/fuzz/hv_ctl_fuzz.c $(HV_FUZZ_CTL_SRCS) -lcmocka

.PHONY: fuzz-hv-ctl
fuzz-hv-ctl: $(BUILD)/fuzz/hv_ctl_fuzz
	@sh tests/fuzz/run-hv-fuzz.sh $(BUILD)/fuzz/hv_ctl_fuzz tests/fuzz/hv_ctl_corpus $(BUILD)/fuzz/hv_ctl \
		$(HV_FUZZ_SECONDS)

ALL_TARGETS += $(BUILD)/fuzz/hv_ctl_fuzz
TESTS += fuzz-hv-ctl
