# Host unit tests (cmocka) of the hypervisor's common code, on the fake
# machine (tests/unit/fake/machine.c stands in for the arch_ hooks). Each is
# one $(call unit_test,...) (tests/unit/unit-test.mk).

UNIT_CFLAGS := $(HOST_CFLAGS) -DHOST_TEST -Ihypervisor/include -Itests/unit -fsanitize=address,undefined -fno-omit-frame-pointer
UNIT_LIBS   := -lcmocka -fsanitize=address,undefined

# test name -> the hypervisor sources it exercises
UNIT_frame_alloc := hypervisor/common/frame_alloc.c
UNIT_cmdline     := hypervisor/common/cmdline.c hypervisor/common/options.c hypervisor/common/console.c \
                    hypervisor/lib/format.c hypervisor/lib/parse.c
UNIT_format      := hypervisor/lib/format.c hypervisor/lib/parse.c hypervisor/common/boot_info.c

UNIT_preempt     :=
UNIT_calendar    := hypervisor/lib/calendar.c

UNIT_domctl      := hypervisor/common/domctl.c hypervisor/common/domctl_domain.c hypervisor/common/domctl_vcpu.c hypervisor/common/domctl_sched.c \
                    hypervisor/common/domctl_attrs.c hypervisor/common/domctl_perm.c hypervisor/common/domctl_frames.c \
                    hypervisor/common/domctl_cpupolicy.c hypervisor/common/sysctl_cpupolicy.c \
                    hypervisor/common/sysctl.c hypervisor/common/sysctl_machine.c hypervisor/common/sysctl_console.c \
                    hypervisor/common/sysctl_domains.c hypervisor/common/ctl_bitmap.c hypervisor/common/console.c hypervisor/lib/format.c \
                    $(FAKE)/guest_mem.c $(FAKE)/ctl.c hypervisor/common/sysctl_debug_keys.c \
                    hypervisor/common/wake_stats.c
UNIT_hypercall   := hypervisor/common/hypercall.c hypervisor/common/console.c hypervisor/lib/format.c \
                    hypervisor/common/wake_stats.c $(FAKE)/guest_mem.c
UNIT_timer       := hypervisor/common/timer.c hypervisor/common/console.c hypervisor/lib/format.c
UNIT_vcpu        := hypervisor/common/vcpu.c hypervisor/common/timer.c hypervisor/common/console.c \
                    hypervisor/lib/format.c $(FAKE)/guest_mem.c

UNIT_frame_scrub := hypervisor/common/frame_scrub.c
# the credit scheduler on two fake CPUs and a clock the test advances; the
# test #includes sched.c (its state is static and reset per test)
UNIT_sched       := hypervisor/common/timer.c hypervisor/common/sched_credit.c hypervisor/common/console.c \
                    hypervisor/common/wake_stats.c \
                    hypervisor/lib/format.c hypervisor/lib/parse.c hypervisor/lib/cpumask.c $(FAKE)/guest_mem.c
UNIT_DEPS_sched  := hypervisor/common/sched.c hypervisor/include/sched.h hypervisor/include/domain.h

HV_UNIT_TESTS := frame_alloc cmdline format preempt calendar domctl timer vcpu hypercall frame_scrub sched

$(foreach t,$(HV_UNIT_TESTS),$(call unit_test,$(t),tests/unit/$(t)_test.c,$(UNIT_$(t)),\
	$(UNIT_CFLAGS),$(UNIT_LIBS),$(UNIT_DEPS_$(t))))
