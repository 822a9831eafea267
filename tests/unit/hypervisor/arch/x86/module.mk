# Host unit test of the SMP logic (tests/unit/hypervisor/arch/x86/smp_test.c): cpumask, the ACPI
# MADT walk (CPUs, IO-APICs, overrides) and the FADT, the big lock's debug checks, credit across CPUs. Built against
# tests/unit/fake/machine.c; the lock's arch hooks are in the test itself.

SMP_UNIT_SRCS := hypervisor/lib/cpumask.c hypervisor/lib/format.c hypervisor/lib/parse.c \
                 hypervisor/arch/x86/acpi_madt.c hypervisor/arch/x86/acpi_fadt.c hypervisor/common/biglock.c \
                 hypervisor/common/sched_credit.c hypervisor/common/console.c hypervisor/common/wake_stats.c \
                 hypervisor/common/options.c hypervisor/common/cmdline.c
SMP_UNIT_HDRS := hypervisor/include/cpumask.h hypervisor/include/biglock.h \
                 hypervisor/include/sched_credit.h hypervisor/arch/x86/include/asm/acpi.h

SMP_UNIT_CFLAGS = $(HOST_CFLAGS) -DHOST_TEST -Ihypervisor/include -Ihypervisor/arch/x86/include -Itests/unit \
		  -fsanitize=address,undefined -fno-omit-frame-pointer
SMP_UNIT_LIBS   = -lcmocka -fsanitize=address,undefined

$(call unit_test,smp,tests/unit/hypervisor/arch/x86/smp_test.c,$(SMP_UNIT_SRCS),$(SMP_UNIT_CFLAGS),$(SMP_UNIT_LIBS),$(SMP_UNIT_HDRS))

# Host unit test of choosing among the PIT calibration attempts
# (tests/unit/hypervisor/arch/x86/time_calib_test.c): an attempt a host stop disturbed is not trusted.
TIME_CALIB_UNIT_CFLAGS = $(HOST_CFLAGS) -DHOST_TEST -Ihypervisor/include -Ihypervisor/arch/x86/include -Itests/unit \
			 -fsanitize=address,undefined -fno-omit-frame-pointer
$(call unit_test,time-calib,tests/unit/hypervisor/arch/x86/time_calib_test.c,hypervisor/arch/x86/time_calib.c,$(TIME_CALIB_UNIT_CFLAGS),$(SMP_UNIT_LIBS),hypervisor/arch/x86/include/asm/time_calib.h)

# Host unit test of sleeping for the big lock and the releaser's kick (tests/unit/hypervisor/arch/x86/lock_sleep_test.c):
# the sleeper runs on a stack of its own with its cpu_info at the top, as smp_ipi.c expects. No ASan (stack switching).
LOCK_SLEEP_UNIT_CFLAGS = $(HOST_CFLAGS) -DHOST_TEST -Ihypervisor/include -Ihypervisor/arch/x86/include -Itests/unit \
			 -fsanitize=undefined -fno-omit-frame-pointer
$(call unit_test,lock-sleep,tests/unit/hypervisor/arch/x86/lock_sleep_test.c,hypervisor/arch/x86/smp_ipi.c,$(LOCK_SLEEP_UNIT_CFLAGS),-lcmocka -fsanitize=undefined,hypervisor/include/biglock.h)
