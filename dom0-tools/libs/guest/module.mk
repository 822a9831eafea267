# libxenguest: the PV domain builder library (for now: bzImage unpacking and
# the ELF image parser) and the pv-extract-vmlinux tool built on it.
#
# The ELF parser is the hypervisor's own (hypervisor/common/elf_image.c, with
# its formatter), built for the host with -DHOST_TEST: Dom0's tools and the
# initial-domain builder read a kernel's Xen notes by the same rules. So is
# the XZ decoder (unxz.c with its LZMA2, BCJ and CRC parts), several times
# faster than liblzma in Dom0 under emulation. Its crc32 is renamed: zlib
# exports a crc32 of its own (another signature) into the same programs.

include dom0-tools/lib.mk

LIBXENGUEST_SRCS := dom0-tools/libs/guest/bzimage.c \
                    dom0-tools/libs/guest/bzimage_decompress.c \
                    dom0-tools/libs/guest/bzimage_decompress_more.c \
                    hypervisor/common/elf_image.c hypervisor/common/elf_xen_guest.c hypervisor/common/elf_read.c hypervisor/lib/format.c \
                    hypervisor/common/unxz.c hypervisor/common/xz_lzma2.c hypervisor/common/xz_bcj.c \
                    hypervisor/lib/crc.c
# The PV domain builder (pv_build.h): needs libxenctrl to link.
LIBXENGUEST_SRCS += $(addprefix dom0-tools/libs/guest/,pv_image.c pv_layout.c pv_pgtables.c \
                    pv_boot_data.c pv_build.c)
LIBXENGUEST_HDRS := $(wildcard dom0-tools/libs/guest/*.h dom0-tools/libs/guest/include/*.h) \
                    $(XC_HDRS) hypervisor/include/elf_image.h hypervisor/include/elf_xen_guest.h hypervisor/include/elf_read.h \
                    hypervisor/include/lib.h hypervisor/include/public/elfnote.h \
                    hypervisor/include/public/features.h hypervisor/include/public/errno.h \
                    hypervisor/include/unxz.h hypervisor/include/crc.h hypervisor/common/xz_priv.h
LIBXENGUEST_LIBS := -llzma -lz -llz4 -lbz2 -llzo2 -lzstd
LIBXENGUEST_CFLAGS := -DHOST_TEST -Ihypervisor/include -Idom0-tools/libs/guest/include \
                      -Idom0-tools/libs/ctrl/include -Dcrc32=hv_crc32 -Dcrc64=hv_crc64
$(call dom0_lib,xenguest,$(LIBXENGUEST_SRCS),$(LIBXENGUEST_CFLAGS),$(LIBXENGUEST_HDRS))

# The tool's object comes from the same pattern rule as the library's.
PV_EXTRACT_OBJ := $(DOM0_LIB_OBJDIR)/xenguest/dom0-tools/libs/guest/pv_extract_vmlinux.o
$(BUILD)/bin/pv-extract-vmlinux: $(PV_EXTRACT_OBJ) $(BUILD)/lib/libxenguest.a
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $^ -o $@ $(LIBXENGUEST_LIBS)

ALL_TARGETS += $(BUILD)/bin/pv-extract-vmlinux
APT_PACKAGES += liblzma-dev zlib1g-dev liblz4-dev libbz2-dev liblzo2-dev libzstd-dev libcmocka-dev
# the tools that make the synthetic bzImages of the unit tests
APT_PACKAGES += bzip2 xz-utils lz4 lzop zstd

# Unit tests of the bzImage parser and the note walker on synthetic images.
$(BUILD)/tests/bzimage_test: tests/unit/dom0-tools/libs/guest/bzimage_test.c $(BUILD)/lib/libxenguest.a $(LIBXENGUEST_HDRS)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) -Idom0-tools/libs/guest $(LIBXENGUEST_CFLAGS) $< $(BUILD)/lib/libxenguest.a \
		-o $@ -lcmocka $(LIBXENGUEST_LIBS)

.PHONY: bzimage-unit bzimage-cli
bzimage-unit: $(BUILD)/tests/bzimage_test
	$(BUILD)/tests/bzimage_test

# The tool's error paths: message names the file, exit non-zero, no output left.
bzimage-cli: $(BUILD)/bin/pv-extract-vmlinux
	sh tests/unit/dom0-tools/libs/guest/bzimage_cli_test.sh $(BUILD)/bin/pv-extract-vmlinux

TESTS += bzimage-unit bzimage-cli

# The PV builder's layout against a fake libxenctrl (tests/unit/dom0-tools/libs/guest/pv_build_test.c
# defines the xc_* calls the builder makes; the library's pv_*.c and the
# parsers are linked in without libxenctrl).
PVB_UNIT_SRCS := $(filter-out %/pv_extract_vmlinux.c,$(LIBXENGUEST_SRCS))
$(BUILD)/tests/pv_build_test: tests/unit/dom0-tools/libs/guest/pv_build_test.c $(PVB_UNIT_SRCS) $(LIBXENGUEST_HDRS)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $(LIBXENGUEST_CFLAGS) -Idom0-tools/libs/guest -fsanitize=address,undefined \
		-fno-sanitize-recover=all -o $@ $< $(PVB_UNIT_SRCS) -lcmocka $(LIBXENGUEST_LIBS)

.PHONY: unit-pv-build
unit-pv-build: $(BUILD)/tests/pv_build_test
	$(BUILD)/tests/pv_build_test
ALL_TARGETS += $(BUILD)/tests/pv_build_test
TESTS += unit-pv-build
