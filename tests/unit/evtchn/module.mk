# Host unit tests (cmocka) of the event channels: the real
# hypervisor/common/event_channel*.c, event_2l.c and event_fifo.c built
# against tests/unit/fake/evtchn.c (host-heap domains, a vcpu_kick recorder,
# fake guest frames), with -DHOST_TEST, ASan and UBSan.
#
#   unit-evtchn   every port state transition and refusal, 2-level delivery,
#                 limits, reset, the hypercall decoder, and the FIFO ABI
#   unit-pirq     physical interrupts as ports (common/event_pirq.c)
#
# Own variables: this fragment is read before tests/unit/module.mk; each
# test is one $(call unit_test,...) (tests/unit/unit-test.mk).

EVTCHN_UNIT_CFLAGS = $(HOST_CFLAGS) -DHOST_TEST -Ihypervisor/include -Itests/unit \
                     -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
EVTCHN_UNIT_LIBS   = -lcmocka -fsanitize=address,undefined
EVTCHN_UNIT_SRCS  := $(wildcard hypervisor/common/event_channel*.c) hypervisor/common/event_2l.c \
                     hypervisor/common/event_fifo.c hypervisor/common/event_pirq.c \
                     $(FAKE)/evtchn.c
EVTCHN_UNIT_HDRS  := hypervisor/common/event_channel.h hypervisor/include/event.h \
                     hypervisor/include/domain.h hypervisor/include/page.h \
                     hypervisor/include/public/event_channel.h hypervisor/include/public/xen.h \
                     hypervisor/include/pirq.h $(FAKE)/evtchn.h

$(call unit_test,evtchn,tests/unit/evtchn_test.c tests/unit/evtchn_fifo_test.c,$(EVTCHN_UNIT_SRCS),\
	$(EVTCHN_UNIT_CFLAGS),$(EVTCHN_UNIT_LIBS),$(EVTCHN_UNIT_HDRS))

# The pirq table (common/event_pirq.c) on the same layer, with a fake
# interrupt controller: map/unmap/bind/EOI refusals and delivery.
$(call unit_test,pirq,tests/unit/pirq_test.c,$(EVTCHN_UNIT_SRCS),\
	$(EVTCHN_UNIT_CFLAGS),$(EVTCHN_UNIT_LIBS),$(EVTCHN_UNIT_HDRS))
