# Host unit tests (cmocka) of PV memory management: the page type and
# reference-count state machine (common/page*.c) with the x86 entry rules
# (arch/x86/pv/mm_validate.c); the assist's decoder is linked too.
# Built against tests/unit/fake/memory.c (a fake machine memory and two
# domains). Recursive variables: this fragment may be read before or after
# tests/unit/module.mk.
#
#   unit-mm-type     every transition and refusal, one test each
#   unit-mm-random   long random operation sequences against a reference model
#   unit-mm-partial  preempted validation: resume, abandon, errors mid-tree
#   unit-mm-memory   memory_op (common/memory.c) over the same fake machine
#   unit-mm-audit    the frame audit (PARAVANE_SYSCTL_audit): clean states pass, corrupted ones are caught

MM_UNIT_CFLAGS = $(HOST_CFLAGS) -DHOST_TEST -Ihypervisor/include -Ihypervisor/arch/x86/include \
                 -Ihypervisor/arch/x86/pv -Itests/unit \
                 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
MM_UNIT_LIBS   = -lcmocka -fsanitize=address,undefined
MM_UNIT_SRCS  := hypervisor/common/page.c hypervisor/common/page_type.c hypervisor/common/memmap.c \
                 hypervisor/arch/x86/pv/mm_validate.c hypervisor/common/console.c \
                 hypervisor/lib/format.c $(FAKE)/memory.c
MM_UNIT_HDRS  := hypervisor/include/page.h hypervisor/arch/x86/pv/mm.h $(FAKE)/memory.h
MM_PTWR_SRCS  := hypervisor/arch/x86/pv/mm_ptwr_decode.c

MM_UNIT_TESTS := type random partial memory audit
# sources only some of them link (each names its fake guest memory)
MM_EXTRA_memory := hypervisor/common/memory.c $(FAKE)/guest_mem.c
MM_EXTRA_audit := hypervisor/common/audit.c hypervisor/common/audit_holders.c hypervisor/arch/x86/pv/audit.c \
                  hypervisor/arch/x86/pv/desc_check.c hypervisor/common/sysctl_audit.c

$(foreach t,$(MM_UNIT_TESTS),$(call unit_test,mm-$(t),tests/unit/mm_$(t)_test.c,$(MM_UNIT_SRCS) $(MM_PTWR_SRCS) $(MM_EXTRA_$(t)),\
	$(MM_UNIT_CFLAGS),$(MM_UNIT_LIBS),$(MM_UNIT_HDRS)))
