# libFuzzer harnesses over the hypervisor's hypercall paths, built for the
# host (clang, -fsanitize=fuzzer,address,undefined) on the unit tests' fake
# machine (tests/unit/fake/: its core in every harness, and the layers each
# names) and tests/fuzz/hv_fuzz.c (vCPUs, guest memory, the invariant check
# and a model teardown).
#
#   make fuzz FUZZ_SECONDS=N   every fuzzer (these and xenstore's) for N s each,
#                              adding what it finds to a scratch copy of its corpus
#   fuzz-hv-mm, fuzz-hv-gnttab, fuzz-hv-evtchn, fuzz-hv-vcpu, fuzz-hv-pvemu
#                              one harness: replay its corpus, then fuzz for
#                              HV_FUZZ_SECONDS (10 s in `make test`)
# (hv_pvemu runs on the fake CPU layer, hv_evtchn on the event-channel
# layer, hv_ctl on the control layer; the others on its memory layer)
#   fuzz-hv-unxz, fuzz-hv-unlz4, fuzz-hv-unzstd, fuzz-hv-ctl   the same for the decoders and domctl/sysctl
# Every harness is one $(call hv_fuzz,...) (defined below).
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
# mm.c's CPU-facing definitions duplicate the fake machine's (fake/memory.c) and it reads
# the current vCPU for CR3 reloads (privileged instructions): renamed away.
HV_FUZZ_MM_RENAME = -Dcurrent_vcpu=fz_mm_current_vcpu -Dpv_hv_l4e=fz_unused_pv_hv_l4e \
                    -Darch_page_flush_tlbs=fz_unused_flush_tlbs -Darch_tlb_clock=fz_unused_tlb_clock \
                    -Darch_page_m2p_set=fz_unused_m2p_set -Darch_m2p_extent_mfn=fz_unused_m2p_extent_mfn \
                    -Darch_host_cpuid=fz_unused_host_cpuid
HV_FUZZ_BASE_SRCS := hypervisor/common/page.c hypervisor/common/page_type.c hypervisor/common/memmap.c \
                     hypervisor/arch/x86/pv/mm_validate.c hypervisor/arch/x86/pv/mm_ops.c \
                     hypervisor/common/memory.c hypervisor/common/console.c hypervisor/lib/format.c \
                     $(FAKE)/memory.c $(FAKE)/guest_mem.c \
                     tests/fuzz/hv_fuzz.c tests/fuzz/hv_fuzz_mm_ops.c \
                     hypervisor/common/audit.c hypervisor/common/audit_holders.c hypervisor/arch/x86/pv/audit.c \
                     hypervisor/arch/x86/pv/desc_check.c
HV_FUZZ_HDRS      := hypervisor/include/page.h hypervisor/arch/x86/pv/mm.h \
                     tests/fuzz/hv_fuzz.h hypervisor/include/audit.h

HV_FUZZERS := hv_mm hv_gnttab hv_vcpu
HV_FUZZ_EXTRA_hv_mm :=
# vcpu_op (VCPUOP_initialise's checks and apply, the debug-register rules) and physdev_op
HV_FUZZ_EXTRA_hv_vcpu := hypervisor/common/vcpu.c hypervisor/arch/x86/pv/vcpu_context.c \
                         hypervisor/arch/x86/pv/emulate_cr.c hypervisor/arch/x86/pv/physdev.c \
                         hypervisor/arch/x86/pv/physdev_io.c $(FAKE)/pv.c
HV_FUZZ_EXTRA_hv_gnttab := hypervisor/common/grant_table.c hypervisor/common/grant_table_map.c \
                           hypervisor/common/grant_table_copy.c hypervisor/common/grant_table_op.c \
                           hypervisor/arch/x86/pv/mm_grant.c hypervisor/common/wake_stats.c

$(BUILD)/fuzz/pv_mm.o: hypervisor/arch/x86/pv/mm.c $(HV_FUZZ_HDRS)
	@mkdir -p $(dir $@)
	$(HV_FUZZ_CC) $(HV_FUZZ_CFLAGS) $(HV_FUZZ_MM_RENAME) -c -o $@ $<

# descriptors.c loads the GDT/LDT of the running vCPU: the same renaming keeps it from doing so.
$(BUILD)/fuzz/pv_descriptors.o: hypervisor/arch/x86/pv/descriptors.c $(HV_FUZZ_HDRS)
	@mkdir -p $(dir $@)
	$(HV_FUZZ_CC) $(HV_FUZZ_CFLAGS) -Dcurrent_vcpu=fz_mm_current_vcpu -c -o $@ $<

# $(call hv_fuzz,NAME,SOURCES,DEPS,LIBS[,RUN_ENV]): the one way to declare a
# harness. It builds tests/fuzz/NAME_fuzz.c with the fake machine's core
# (FAKE_MACHINE, tests/unit/unit-test.mk) and SOURCES into
# $(BUILD)/fuzz/NAME_fuzz (in ALL_TARGETS), adds fuzz-NAME (underscores as
# dashes; in TESTS) that replays tests/fuzz/NAME_corpus and fuzzes for
# HV_FUZZ_SECONDS with RUN_ENV in its environment, and lists NAME in
# HV_FUZZ_ALL for `make fuzz`. DEPS: headers to rebuild on. Arguments are
# expanded when called: define the lists they name first.
define hv_fuzz_rules
$(BUILD)/fuzz/$(1)_fuzz: tests/fuzz/$(1)_fuzz.c $(FAKE_MACHINE) $(2) $(3) $(FAKE_HDRS)
	@mkdir -p $$(@D)
	$$(HV_FUZZ_CC) $$(HV_FUZZ_CFLAGS) -o $$@ tests/fuzz/$(1)_fuzz.c $(FAKE_MACHINE) $(2) $(4)

# Replay the corpus (every input must pass), then fuzz from a scratch copy of it.
.PHONY: fuzz-$(subst _,-,$(1))
fuzz-$(subst _,-,$(1)): $(BUILD)/fuzz/$(1)_fuzz
	@$(5) sh tests/fuzz/run-hv-fuzz.sh $(BUILD)/fuzz/$(1)_fuzz tests/fuzz/$(1)_corpus $(BUILD)/fuzz/$(1) \
		$$(HV_FUZZ_SECONDS)

ALL_TARGETS += $(BUILD)/fuzz/$(1)_fuzz
TESTS += fuzz-$(subst _,-,$(1))
HV_FUZZ_ALL += $(1)
endef
hv_fuzz = $(eval $(call hv_fuzz_rules,$(1),$(2),$(3),$(4),$(5)))

# The harnesses on the mm machine: hv_fuzz.c, pv/mm.c and descriptors.c as renamed above.
HV_FUZZ_MM_SRCS := $(BUILD)/fuzz/pv_mm.o $(BUILD)/fuzz/pv_descriptors.o $(HV_FUZZ_BASE_SRCS)
$(foreach f,$(HV_FUZZERS),$(call hv_fuzz,$(f),$(HV_FUZZ_MM_SRCS) $(HV_FUZZ_EXTRA_$(f)),$(HV_FUZZ_HDRS),-lcmocka))

# event_channel_op: the event-channel layer (fake/evtchn.c), not the memory one.
# (Own lists: tests/unit/hypervisor/common/module.mk is read after this fragment.)
HV_FUZZ_EVTCHN_SRCS := $(wildcard hypervisor/common/event_channel*.c) hypervisor/common/event_2l.c \
                       hypervisor/common/event_fifo.c hypervisor/common/event_pirq.c $(FAKE)/evtchn.c
HV_FUZZ_EVTCHN_HDRS := hypervisor/common/event_channel.h hypervisor/include/event.h hypervisor/include/domain.h \
                       hypervisor/include/public/event_channel.h
$(call hv_fuzz,hv_evtchn,$(HV_FUZZ_EVTCHN_SRCS),$(HV_FUZZ_EVTCHN_HDRS),-lcmocka)

# The bzImage unpacking (hv_unxz_fuzz.c): no layer, just the decoder's sources.
# Inputs up to 4 KiB, so that a whole bzImage header fits.
HV_FUZZ_UNXZ_SRCS := hypervisor/common/unxz.c hypervisor/common/xz_lzma2.c hypervisor/common/xz_bcj.c \
                     hypervisor/common/bzimage.c hypervisor/common/gunzip.c hypervisor/common/unlz4.c \
                     hypervisor/common/unzstd.c hypervisor/common/unzstd_lit.c hypervisor/common/unzstd_seq.c \
                     hypervisor/lib/crc.c hypervisor/lib/format.c
$(call hv_fuzz,hv_unxz,$(HV_FUZZ_UNXZ_SRCS) tests/unit/xz_writer.c,hypervisor/include/unxz.h hypervisor/include/bzimage.h \
	tests/unit/xz_writer.h hypervisor/common/xz_priv.h hypervisor/include/unzstd.h hypervisor/common/unzstd_priv.h,-lcmocka,HV_FUZZ_MAX_LEN=4096)

# The LZ4 decoder of LZ4 bzImages (hv_unlz4_fuzz.c), with liblz4 as the
# oracle for single blocks. Seeds: make_unlz4_corpus.sh.
$(call hv_fuzz,hv_unlz4,hypervisor/common/unlz4.c hypervisor/lib/format.c,hypervisor/include/unlz4.h,-llz4 -lcmocka,\
	HV_FUZZ_MAX_LEN=4096)

# The zstd decoder of zstd bzImages (hv_unzstd_fuzz.c), with libzstd as the
# oracle. Seeds: make_unzstd_corpus.sh.
HV_FUZZ_UNZSTD_SRCS := hypervisor/common/unzstd.c hypervisor/common/unzstd_lit.c hypervisor/common/unzstd_seq.c \
                       hypervisor/lib/format.c
$(call hv_fuzz,hv_unzstd,$(HV_FUZZ_UNZSTD_SRCS),hypervisor/include/unzstd.h hypervisor/common/unzstd_priv.h,\
	-lzstd -lcmocka,HV_FUZZ_MAX_LEN=4096)

# The instruction decoders (the writable page-table assist and the privileged-
# instruction emulator) on the fake machine's CPU (fake/cpu.c) and guest memory.
HV_FUZZ_PVEMU_SRCS := hypervisor/arch/x86/pv/mm_ptwr_decode.c hypervisor/arch/x86/pv/emulate.c \
                      hypervisor/arch/x86/pv/emulate_io.c hypervisor/arch/x86/pv/pit_ch2.c \
                      hypervisor/arch/x86/pv/emulate_cr.c hypervisor/arch/x86/pv/cpuid.c hypervisor/arch/x86/pv/cpuid_policy.c \
                      hypervisor/arch/x86/pv/msr.c $(FAKE)/cpu.c $(FAKE)/pv.c $(FAKE)/guest_mem.c
HV_FUZZ_PVEMU_HDRS := hypervisor/arch/x86/pv/emulate.h hypervisor/arch/x86/pv/mm_ptwr.h
$(call hv_fuzz,hv_pvemu,$(HV_FUZZ_PVEMU_SRCS),$(HV_FUZZ_PVEMU_HDRS),-lcmocka)

# domctl and sysctl (hv_ctl_fuzz.c): both dispatchers and every worker in their
# tables, on the fake machine's control layer (fake/ctl.c, as unit-domctl),
# called by Dom0 and by a DomU.
HV_FUZZ_CTL_SRCS := hypervisor/common/domctl.c hypervisor/common/domctl_domain.c hypervisor/common/domctl_vcpu.c \
                    hypervisor/common/domctl_sched.c hypervisor/common/domctl_attrs.c hypervisor/common/domctl_perm.c \
                    hypervisor/common/domctl_frames.c hypervisor/common/domctl_cpupolicy.c \
                    hypervisor/common/sysctl_cpupolicy.c hypervisor/common/sysctl.c hypervisor/common/sysctl_machine.c \
                    hypervisor/common/sysctl_console.c hypervisor/common/sysctl_domains.c hypervisor/common/ctl_bitmap.c \
                    hypervisor/common/sysctl_debug_keys.c hypervisor/common/console.c hypervisor/common/wake_stats.c \
                    hypervisor/lib/format.c $(FAKE)/guest_mem.c $(FAKE)/ctl.c
$(call hv_fuzz,hv_ctl,$(HV_FUZZ_CTL_SRCS),hypervisor/common/domctl.h hypervisor/common/sysctl.h,-lcmocka)

# Every fuzzer for FUZZ_SECONDS each (not part of `make test`).
.PHONY: fuzz
fuzz:
	@rc=0; for f in $(HV_FUZZ_ALL); do \
		HV_FUZZ_SEED=0 $(MAKE) --no-print-directory fuzz-$$(echo $$f | tr _ -) HV_FUZZ_SECONDS=$(FUZZ_SECONDS) || rc=1; \
	done; \
	$(MAKE) --no-print-directory test-xenstore-fuzz XS_FUZZ_SECONDS=$(FUZZ_SECONDS) XS_FUZZ_SEED=0 || rc=1; exit $$rc


# A long campaign on a shared machine (tests/fuzz/campaign.sh): every host
# harness round-robin, JOBS processes under SCHED_IDLE, for HOURS of wall
# time; the CPU seconds each used, its executions and findings appended to
# tests/fuzz/campaign-ledger.txt (hours add up across sessions for one
# commit: `sh tests/fuzz/campaign.sh --sum tests/fuzz/campaign-ledger.txt`),
# at the end at most CAMPAIGN_KEEP inputs per harness that add coverage
# merged into its corpus (commit both). HOURS is wall time: SCHED_IDLE gets
# what CPU the others leave.
HOURS ?= 1
JOBS  ?= 2
CAMPAIGN_SLICE ?= 300
CAMPAIGN_KEEP ?= 8
CAMPAIGN_LEDGER ?= tests/fuzz/campaign-ledger.txt
# (paths spelled out: the other fragments may be read after this one)
CAMPAIGN_BINS = $(foreach f,$(HV_FUZZ_ALL),$(BUILD)/fuzz/$(f)_fuzz) $(BUILD)/xenstore/tests/xenstore_proto_fuzz \
                $(BUILD)/xenstore/tests/xenstore_txn_fuzz $(BUILD)/xenstore/tests/xenstore_domain_fuzz $(BUILD)/tests/xenconsoled_ring_fuzz $(BUILD)/tests/xlcfg_fuzz
CAMPAIGN_HARNESSES = $(foreach f,$(HV_FUZZ_ALL),$(f):$(BUILD)/fuzz/$(f)_fuzz:tests/fuzz/$(f)_corpus:$(if \
                     $(filter hv_unxz hv_unlz4 hv_unzstd,$(f)),4096,512)) \
                     xenstore_proto:$(BUILD)/xenstore/tests/xenstore_proto_fuzz:tests/fuzz/xenstore_corpus:9000 \
                     xenstore_txn:$(BUILD)/xenstore/tests/xenstore_txn_fuzz:tests/fuzz/xenstore_txn_corpus:6000 \
                     xenstore_domain:$(BUILD)/xenstore/tests/xenstore_domain_fuzz:tests/fuzz/xenstore_domain_corpus:4096 \
                     xenconsoled_ring:$(BUILD)/tests/xenconsoled_ring_fuzz:tests/fuzz/xenconsoled_corpus:512 \
                     xlcfg:$(BUILD)/tests/xlcfg_fuzz:tests/fuzz/xlcfg_corpus:4096:tests/fuzz/xlcfg.dict
.PHONY: fuzz-campaign
fuzz-campaign: $(CAMPAIGN_BINS)
	@sh tests/fuzz/campaign.sh $(HOURS) $(JOBS) $(CAMPAIGN_LEDGER) $(BUILD)/fuzz-campaign $(CAMPAIGN_SLICE) $(CAMPAIGN_KEEP) \
		$(CAMPAIGN_HARNESSES)
