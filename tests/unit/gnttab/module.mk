# Host unit tests (cmocka) of the grant tables: common/grant_table*.c with the
# page type/count state machine (common/page*.c) and the PV entry rules and
# grant-mapping hooks (arch/x86/pv/mm_validate.c, mm_grant.c), on the fake
# machine of tests/unit/fake/memory.c plus tests/unit/fake/gnttab.c.
# Recursive variables: this fragment may be read before or after the others.
#
#   unit-gnttab-state   the grant state machine, refusals, teardown, leak counts

GNT_UNIT_CFLAGS = $(HOST_CFLAGS) -DHOST_TEST -Ihypervisor/include -Ihypervisor/arch/x86/include \
                  -Ihypervisor/arch/x86/pv -Ihypervisor/common -Itests/unit \
                  -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
GNT_UNIT_LIBS   = -lcmocka -fsanitize=address,undefined
GNT_UNIT_SRCS  := hypervisor/common/grant_table.c hypervisor/common/grant_table_map.c \
                  hypervisor/common/grant_table_copy.c hypervisor/arch/x86/pv/mm_grant.c \
                  hypervisor/common/page.c hypervisor/common/page_type.c hypervisor/common/memmap.c \
                  hypervisor/arch/x86/pv/mm_validate.c hypervisor/common/console.c \
                  hypervisor/lib/format.c $(FAKE)/memory.c $(FAKE)/gnttab.c
GNT_UNIT_HDRS  := hypervisor/include/grant_table.h hypervisor/common/grant_table_priv.h \
                  hypervisor/include/page.h hypervisor/arch/x86/pv/mm.h $(FAKE)/memory.h \
                  $(FAKE)/gnttab.h

GNT_UNIT_TESTS := state

$(foreach t,$(GNT_UNIT_TESTS),$(call unit_test,gnttab-$(t),tests/unit/gnttab_$(t)_test.c,$(GNT_UNIT_SRCS),\
	$(GNT_UNIT_CFLAGS),$(GNT_UNIT_LIBS),$(GNT_UNIT_HDRS)))
