# Host unit tests of the PV kernel ELF parser (hypervisor/common/elf_image.c),
# built like tests/unit/module.mk's hypervisor tests: -DHOST_TEST, ASan and
# UBSan, cmocka. This fragment is included before tests/unit/module.mk (the
# top Makefile sorts the names), so it defines its own variables.
#
#   unit-elf-image         synthetic images: every acceptance rule, plus a
#                          random-corruption loop
#   unit-elf-image-debian  the real Debian kernel (build/dom0-vmlinux, made by
#                          tests/images/module.mk) against docs/linux-pv-abi.md §1.2

ELF_IMAGE_CFLAGS    = $(HOST_CFLAGS) -DHOST_TEST -Ihypervisor/include -Itests/unit \
                      -fsanitize=address,undefined -fno-omit-frame-pointer
ELF_IMAGE_LIBS     := -lcmocka -fsanitize=address,undefined
ELF_IMAGE_SRCS     := hypervisor/common/elf_image.c hypervisor/common/elf_xen_guest.c hypervisor/lib/format.c
ELF_IMAGE_TEST_HDRS := hypervisor/include/elf_image.h hypervisor/include/lib.h \
                       hypervisor/include/public/elfnote.h hypervisor/include/public/features.h \
                       hypervisor/include/public/errno.h

$(call unit_test,elf-image,tests/unit/elf_image_test.c,$(ELF_IMAGE_SRCS),\
	$(ELF_IMAGE_CFLAGS),$(ELF_IMAGE_LIBS),$(ELF_IMAGE_TEST_HDRS))
$(call unit_test,elf-image-debian,tests/unit/elf/elf_image_debian_test.c,$(ELF_IMAGE_SRCS),\
	$(ELF_IMAGE_CFLAGS),$(ELF_IMAGE_LIBS),$(ELF_IMAGE_TEST_HDRS),$(BUILD)/dom0-vmlinux,$(BUILD)/dom0-vmlinux)
