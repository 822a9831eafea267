# Host unit tests (cmocka) of the PV instruction emulator and the CPUID and
# MSR policies, built against tests/unit/fake/cpu.c: a fake guest memory, a
# fake CPU behind the arch_host_* hooks and a recorder for injected
# exceptions. The hypervisor build itself picks up this directory's .c
# files through hypervisor/module.mk.
#
# The tests sit in tests/unit/hypervisor/arch/x86/pv/. Own variables: this
# fragment may be read before or after the others; each test is one
# $(call unit_test,...) (tests/unit/unit-test.mk).

PV_UNIT_CFLAGS  = $(HOST_CFLAGS) -DHOST_TEST -Ihypervisor/include -Ihypervisor/arch/x86/include \
                  -Ihypervisor/arch/x86/pv -Itests/unit \
                  -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
PV_UNIT_LIBS    = -lcmocka -fsanitize=address,undefined
PV_UNIT_SRCS   := hypervisor/arch/x86/pv/emulate.c hypervisor/arch/x86/pv/emulate_io.c hypervisor/arch/x86/pv/pit_ch2.c \
                  hypervisor/arch/x86/pv/emulate_cr.c hypervisor/arch/x86/pv/cpuid.c \
                  hypervisor/arch/x86/pv/cpuid_policy.c \
                  hypervisor/arch/x86/pv/msr.c $(FAKE)/cpu.c $(FAKE)/pv.c \
                  $(FAKE)/guest_mem.c
PV_UNIT_HDRS   := hypervisor/arch/x86/pv/emulate.h hypervisor/arch/x86/include/asm/msr.h hypervisor/arch/x86/include/asm/cpu_bits.h \
                  hypervisor/arch/x86/include/asm/pv.h $(FAKE)/cpu.h

PV_UNIT_TESTS  := emulate cpuid msr

$(foreach t,$(PV_UNIT_TESTS),$(call unit_test,pv-$(t),tests/unit/hypervisor/arch/x86/pv/pv_$(t)_test.c,$(PV_UNIT_SRCS),\
	$(PV_UNIT_CFLAGS),$(PV_UNIT_LIBS),$(PV_UNIT_HDRS)))
