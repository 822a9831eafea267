# Host unit tests (cmocka) of what the initial domain needs beyond a DomU:
# the I/O port grant and the port I/O emulator's privilege checks, the
# console input ring with CONSOLEIO_read, and the wallclock. Built against
# tests/unit/fake/dom0.c. Own variables: this fragment may be read before or
# after the others; each test is one $(call unit_test,...) (tests/unit/unit-test.mk).

DOM0_UNIT_CFLAGS = $(HOST_CFLAGS) -DHOST_TEST -Ihypervisor/include -Ihypervisor/arch/x86/include \
                   -Ihypervisor/arch/x86/pv -Itests/unit \
                   -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
DOM0_UNIT_LIBS   = -lcmocka -fsanitize=address,undefined
DOM0_UNIT_HDRS  := $(FAKE)/dom0.h hypervisor/arch/x86/include/asm/ioports.h \
                   hypervisor/arch/x86/pv/physdev.h hypervisor/include/console_input.h \
                   hypervisor/include/wallclock.h hypervisor/arch/x86/pv/emulate.h

DOM0_UNIT_ioports   := hypervisor/arch/x86/pv/physdev_io.c hypervisor/arch/x86/pv/emulate_io.c \
                       hypervisor/arch/x86/pv/pit_ch2.c
DOM0_UNIT_console   := hypervisor/common/console_input.c hypervisor/common/console_io.c hypervisor/lib/format.c
DOM0_UNIT_wallclock := hypervisor/common/wallclock.c

DOM0_UNIT_TESTS := ioports console wallclock

$(foreach t,$(DOM0_UNIT_TESTS),$(call unit_test,dom0-$(t),tests/unit/dom0_$(t)_test.c,$(FAKE)/dom0.c $(FAKE)/pv.c $(FAKE)/guest_mem.c $(DOM0_UNIT_$(t)),\
	$(DOM0_UNIT_CFLAGS),$(DOM0_UNIT_LIBS),$(DOM0_UNIT_HDRS)))
