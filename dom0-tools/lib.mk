# lib.mk - the one build function for dom0-tools libraries. Every
# libs/*/module.mk includes this file and calls
#
#   $(call dom0_lib,NAME,SRCS,CFLAGS,DEPS)
#
# which compiles SRCS (paths from the top of the tree, any directory:
# libxenguest also builds two hypervisor files for the host) with
# HOST_CFLAGS, -fPIC and CFLAGS into $(BUILD)/obj/dom0-lib/NAME/, archives
# them as $(BUILD)/lib/libNAME.a, adds that to ALL_TARGETS and sets
# NAME_OBJS. Objects depend on the headers they include (-MMD) and on
# DEPS. A library that also ships a shared object links it from the same
# objects ($(call dom0_lib_so,NAME,SONAME,LDFLAGS); pass flags that
# contain commas, such as -Wl,..., through a variable).
ifndef DOM0_LIB_MK
DOM0_LIB_MK := 1

DOM0_LIB_OBJDIR := $(BUILD)/obj/dom0-lib

# The device layer and log helper (libs/linux), which every library that
# touches a device compiles in, so that one archive or shared object is
# enough to link a program.
DOM0_LX_SRCS := dom0-tools/libs/linux/lx_dev.c dom0-tools/libs/linux/d0_log.c

define dom0_lib_rules
$(1)_OBJS := $$(patsubst %.c,$(DOM0_LIB_OBJDIR)/$(1)/%.o,$(2))

$(DOM0_LIB_OBJDIR)/$(1)/%.o: %.c $(4)
	@mkdir -p $$(@D)
	$$(HOST_CC) $$(HOST_CFLAGS) -fPIC -MMD -MP $(3) -c $$< -o $$@

$(BUILD)/lib/lib$(1).a: $$($(1)_OBJS)
	@mkdir -p $$(@D)
	rm -f $$@
	ar rcs $$@ $$^

ALL_TARGETS += $(BUILD)/lib/lib$(1).a
-include $$($(1)_OBJS:.o=.d)
endef
dom0_lib = $(eval $(call dom0_lib_rules,$(1),$(2),$(3),$(4)))

define dom0_lib_so_rules
$(BUILD)/lib/$(2): $$($(1)_OBJS)
	@mkdir -p $$(@D)
	$$(HOST_CC) $$(HOST_CFLAGS) -shared -Wl,-soname,$(2) -o $$@ $$($(1)_OBJS) $(3)

ALL_TARGETS += $(BUILD)/lib/$(2)
endef
dom0_lib_so = $(eval $(call dom0_lib_so_rules,$(1),$(2),$(3)))

endif
