# libxenguest: the PV domain builder library (for now: bzImage unpacking and
# Xen ELF notes) and the pv-extract-vmlinux tool built on it.

LIBXENGUEST_SRCS := dom0-tools/libxenguest/bzimage.c \
                    dom0-tools/libxenguest/bzimage_decompress.c \
                    dom0-tools/libxenguest/xen_elfnote.c
LIBXENGUEST_OBJS := $(LIBXENGUEST_SRCS:%.c=$(BUILD)/obj/%.o)
LIBXENGUEST_HDRS := $(wildcard dom0-tools/libxenguest/*.h) hypervisor/include/public/elfnote.h
LIBXENGUEST_LIBS := -llzma -lz -llz4
# public/elfnote.h: the note numbers, shared with the hypervisor.
LIBXENGUEST_CFLAGS := -Ihypervisor/include

$(BUILD)/obj/dom0-tools/libxenguest/%.o: dom0-tools/libxenguest/%.c $(LIBXENGUEST_HDRS)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $(LIBXENGUEST_CFLAGS) -c $< -o $@

$(BUILD)/lib/libxenguest.a: $(LIBXENGUEST_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/bin/pv-extract-vmlinux: $(BUILD)/obj/dom0-tools/libxenguest/pv_extract_vmlinux.o $(BUILD)/lib/libxenguest.a
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $^ -o $@ $(LIBXENGUEST_LIBS)

ALL_TARGETS += $(BUILD)/lib/libxenguest.a $(BUILD)/bin/pv-extract-vmlinux
APT_PACKAGES += liblzma-dev zlib1g-dev liblz4-dev libcmocka-dev

# Unit tests of the bzImage parser and the note walker on synthetic images.
$(BUILD)/tests/bzimage_test: tests/unit/bzimage_test.c $(BUILD)/lib/libxenguest.a $(LIBXENGUEST_HDRS)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $(LIBXENGUEST_CFLAGS) -Idom0-tools/libxenguest $< $(BUILD)/lib/libxenguest.a \
		-o $@ -lcmocka $(LIBXENGUEST_LIBS)

.PHONY: bzimage-unit bzimage-cli
bzimage-unit: $(BUILD)/tests/bzimage_test
	$(BUILD)/tests/bzimage_test

# The tool's error paths: message names the file, exit non-zero, no output left.
bzimage-cli: $(BUILD)/bin/pv-extract-vmlinux
	sh tests/unit/bzimage_cli_test.sh $(BUILD)/bin/pv-extract-vmlinux

TESTS += bzimage-unit bzimage-cli
