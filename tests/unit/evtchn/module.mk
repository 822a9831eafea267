# Host unit tests (cmocka) of the event channels: the real
# hypervisor/common/event_channel*.c, event_2l.c and event_fifo.c built
# against tests/unit/evtchn_shim.c (host-heap domains, a vcpu_kick recorder,
# fake guest frames), with -DHOST_TEST, ASan and UBSan.
#
#   unit-evtchn   every port state transition and refusal, 2-level delivery,
#                 limits, reset, the hypercall decoder, and the FIFO ABI
#   unit-pirq     physical interrupts as ports (common/event_pirq.c)
#
# Own variables and build directory: this fragment is read before
# tests/unit/module.mk.

EVTCHN_UNIT_BUILD  = $(BUILD)/tests/unit/evtchn
EVTCHN_UNIT_CFLAGS = $(HOST_CFLAGS) -DHOST_TEST -Ihypervisor/include -Itests/unit \
                     -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
EVTCHN_UNIT_LIBS   = -lcmocka -fsanitize=address,undefined
EVTCHN_UNIT_SRCS  := $(wildcard hypervisor/common/event_channel*.c) hypervisor/common/event_2l.c \
                     hypervisor/common/event_fifo.c hypervisor/common/event_pirq.c \
                     tests/unit/evtchn_shim.c
EVTCHN_UNIT_HDRS  := hypervisor/common/event_channel.h hypervisor/include/event.h \
                     hypervisor/include/domain.h hypervisor/include/page.h \
                     hypervisor/include/public/event_channel.h hypervisor/include/public/xen.h \
                     hypervisor/include/pirq.h tests/unit/evtchn_shim.h

EVTCHN_UNIT_TESTS := evtchn evtchn_fifo pirq

define evtchn_unit_test
$(BUILD)/tests/unit/evtchn/$(1)_test: tests/unit/$(1)_test.c $(EVTCHN_UNIT_SRCS) $(EVTCHN_UNIT_HDRS)
	@mkdir -p $$(dir $$@)
	$$(HOST_CC) $$(EVTCHN_UNIT_CFLAGS) -o $$@ tests/unit/$(1)_test.c $(EVTCHN_UNIT_SRCS) $$(EVTCHN_UNIT_LIBS)

ALL_TARGETS += $(BUILD)/tests/unit/evtchn/$(1)_test
endef

$(foreach t,$(EVTCHN_UNIT_TESTS),$(eval $(call evtchn_unit_test,$(t))))

.PHONY: unit-evtchn
unit-evtchn: $(EVTCHN_UNIT_TESTS:%=$(BUILD)/tests/unit/evtchn/%_test)
	$(BUILD)/tests/unit/evtchn/evtchn_test
	$(BUILD)/tests/unit/evtchn/evtchn_fifo_test

# The pirq table (common/event_pirq.c) on the same shim, with a fake
# interrupt controller: map/unmap/bind/EOI refusals and delivery.
.PHONY: unit-pirq
unit-pirq: $(BUILD)/tests/unit/evtchn/pirq_test
	$(BUILD)/tests/unit/evtchn/pirq_test

TESTS += unit-evtchn unit-pirq
