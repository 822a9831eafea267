# Host unit tests of the hypervisor's bzImage unpacking: the XZ decoder
# (hypervisor/common/unxz.c, xz_lzma2.c, xz_bcj.c, lib/crc.c) and the
# payload lookup (common/bzimage.c), the gzip and lz4 fallbacks (common/gunzip.c,
# common/unlz4.c),
# with ASan and UBSan.
#
#   unit-unxz            streams made by xz(1) (make-vectors.sh: random and
#                        real data at several sizes, each check and filter
#                        chain), hand-built streams for every error path,
#                        truncation and corruption loops, synthetic bzImages;
#                        gzip(1) streams of the same data, and their damage
#   unit-bzimage-debian  Debian's own vmlinuz unpacked by our decoder equals
#                        build/dom0-vmlinux (extracted with liblzma)

UNXZ_TEST      := $(call unit_test_bin,tests/unit/unxz_test.c)
UNXZ_DEBIAN    := $(BUILD)/tests/unit/bzimage_debian_test
UNXZ_VECTORS   := $(BUILD)/tests/unit/unxz-vectors
UNXZ_CFLAGS     = $(HOST_CFLAGS) -DHOST_TEST -Ihypervisor/include -Itests/unit \
                  -fsanitize=address,undefined -fno-omit-frame-pointer
UNXZ_LIBS      := -lcmocka -fsanitize=address,undefined
UNXZ_SRCS      := hypervisor/common/unxz.c hypervisor/common/xz_lzma2.c hypervisor/common/xz_bcj.c \
                  hypervisor/common/bzimage.c hypervisor/common/gunzip.c hypervisor/common/unlz4.c \
                  hypervisor/lib/crc.c hypervisor/lib/format.c
UNXZ_HDRS      := hypervisor/include/unxz.h hypervisor/include/bzimage.h hypervisor/include/crc.h hypervisor/include/gunzip.h \
                  hypervisor/include/unlz4.h \
                  hypervisor/common/xz_priv.h hypervisor/include/lib.h

$(call unit_test,unxz,tests/unit/unxz_test.c,$(UNXZ_SRCS),\
	$(UNXZ_CFLAGS),$(UNXZ_LIBS),$(UNXZ_HDRS),$(UNXZ_VECTORS)/.done,$(UNXZ_VECTORS))

# Its run sources the kernel's location first: built here, run by hand below.
$(UNXZ_DEBIAN): tests/unit/unxz/bzimage_debian_test.c $(FAKE_MACHINE) $(UNXZ_SRCS) $(UNXZ_HDRS) $(FAKE_HDRS)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(UNXZ_CFLAGS) -o $@ $< $(FAKE_MACHINE) $(UNXZ_SRCS) $(UNXZ_LIBS)

# The "real x86 code" is the test program itself (unsanitised bytes would do
# as well; this one is always there and changes with the compiler).
$(UNXZ_VECTORS)/.done: tests/unit/unxz/make-vectors.sh $(UNXZ_TEST)
	rm -rf $(UNXZ_VECTORS)
	sh tests/unit/unxz/make-vectors.sh $(UNXZ_VECTORS) $(UNXZ_TEST)

.PHONY: unit-bzimage-debian
unit-bzimage-debian: $(UNXZ_DEBIAN) $(IMAGES_DIR)/kernel.env $(BUILD)/dom0-vmlinux
	. ./$(IMAGES_DIR)/kernel.env && $(UNXZ_DEBIAN) "$$vmlinuz" $(BUILD)/dom0-vmlinux

ALL_TARGETS += $(UNXZ_DEBIAN)
TESTS += unit-bzimage-debian
