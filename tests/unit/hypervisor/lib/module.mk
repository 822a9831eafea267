# Host unit tests (cmocka) of hypervisor/lib/, on the fake machine
# (tests/unit/fake/machine.c). Each is one $(call unit_test,...)
# (tests/unit/unit-test.mk).

HVLIB_UNIT_CFLAGS = $(HOST_CFLAGS) -DHOST_TEST -Ihypervisor/include -Itests/unit \
                    -fsanitize=address,undefined -fno-omit-frame-pointer
HVLIB_UNIT_LIBS   = -lcmocka -fsanitize=address,undefined

# test name -> the hypervisor sources it exercises
HVLIB_UNIT_format   := hypervisor/lib/format.c hypervisor/lib/parse.c hypervisor/common/boot_info.c
HVLIB_UNIT_calendar := hypervisor/lib/calendar.c

HVLIB_UNIT_TESTS := format calendar

$(foreach t,$(HVLIB_UNIT_TESTS),$(call unit_test,$(t),tests/unit/hypervisor/lib/$(t)_test.c,$(HVLIB_UNIT_$(t)),\
	$(HVLIB_UNIT_CFLAGS),$(HVLIB_UNIT_LIBS)))
