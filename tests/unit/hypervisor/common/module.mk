# Host unit tests (cmocka) of hypervisor/common/, on the fake machine
# (tests/unit/fake/machine.c stands in for the arch_ hooks). Each is one
# $(call unit_test,...) (tests/unit/unit-test.mk). The groups below (the
# simple tests, event channels, grant tables, memory, ELF, bzImage, Dom0)
# each have their own variables.

UNIT_CFLAGS := $(HOST_CFLAGS) -DHOST_TEST -Ihypervisor/include -Itests/unit -fsanitize=address,undefined -fno-omit-frame-pointer
UNIT_LIBS   := -lcmocka -fsanitize=address,undefined

# test name -> the hypervisor sources it exercises
UNIT_frame_alloc := hypervisor/common/frame_alloc.c
UNIT_cmdline     := hypervisor/common/cmdline.c hypervisor/common/options.c hypervisor/common/console.c \
                    hypervisor/lib/format.c hypervisor/lib/parse.c

UNIT_preempt     :=

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
UNIT_CFLAGS_sched := -Ihypervisor
UNIT_DEPS_sched  := hypervisor/common/sched.c hypervisor/include/sched.h hypervisor/include/domain.h

HV_UNIT_TESTS := frame_alloc cmdline preempt domctl timer vcpu hypercall frame_scrub sched

$(foreach t,$(HV_UNIT_TESTS),$(call unit_test,$(t),tests/unit/hypervisor/common/$(t)_test.c,$(UNIT_$(t)),\
	$(UNIT_CFLAGS) $(UNIT_CFLAGS_$(t)),$(UNIT_LIBS),$(UNIT_DEPS_$(t))))

# ---- evtchn ----
# Host unit tests (cmocka) of the event channels: the real
# hypervisor/common/event_channel*.c, event_2l.c and event_fifo.c built
# against tests/unit/fake/evtchn.c (host-heap domains, a vcpu_kick recorder,
# fake guest frames), with -DHOST_TEST, ASan and UBSan.
#
#   unit-evtchn   every port state transition and refusal, 2-level delivery,
#                 limits, reset, the hypercall decoder, and the FIFO ABI
#   unit-pirq     physical interrupts as ports (common/event_pirq.c)

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

$(call unit_test,evtchn,tests/unit/hypervisor/common/evtchn_test.c tests/unit/hypervisor/common/evtchn_fifo_test.c,$(EVTCHN_UNIT_SRCS),\
	$(EVTCHN_UNIT_CFLAGS),$(EVTCHN_UNIT_LIBS),$(EVTCHN_UNIT_HDRS))

# The pirq table (common/event_pirq.c) on the same layer, with a fake
# interrupt controller: map/unmap/bind/EOI refusals and delivery.
$(call unit_test,pirq,tests/unit/hypervisor/common/pirq_test.c,$(EVTCHN_UNIT_SRCS),\
	$(EVTCHN_UNIT_CFLAGS),$(EVTCHN_UNIT_LIBS),$(EVTCHN_UNIT_HDRS))

# ---- gnttab ----
# Host unit tests (cmocka) of the grant tables: common/grant_table*.c with the
# page type/count state machine (common/page*.c) and the PV entry rules and
# grant-mapping hooks (arch/x86/pv/mm_validate.c, mm_grant.c), on the fake
# machine of tests/unit/fake/memory.c plus tests/unit/fake/gnttab.c.
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

$(foreach t,$(GNT_UNIT_TESTS),$(call unit_test,gnttab-$(t),tests/unit/hypervisor/common/gnttab_$(t)_test.c,$(GNT_UNIT_SRCS),\
	$(GNT_UNIT_CFLAGS),$(GNT_UNIT_LIBS),$(GNT_UNIT_HDRS)))

# ---- mm ----
# Host unit tests (cmocka) of PV memory management: the page type and
# reference-count state machine (common/page*.c) with the x86 entry rules
# (arch/x86/pv/mm_validate.c); the assist's decoder is linked too.
# Built against tests/unit/fake/memory.c (a fake machine memory and two
# domains).
#
#   unit-mm-type     every transition and refusal, one test each
#   unit-mm-random   long random operation sequences against a reference model
#   unit-mm-partial  preempted validation: resume, abandon, errors mid-tree
#   unit-mm-memory   memory_op (common/memory.c) over the same fake machine
#   unit-mm-audit    the frame audit (PARAVANE_SYSCTL_audit): clean states pass, corrupted ones are caught

MM_UNIT_CFLAGS = $(HOST_CFLAGS) -DHOST_TEST -Ihypervisor/include -Ihypervisor/arch/x86/include \
                 -Ihypervisor/arch/x86/pv -Ihypervisor/common -Itests/unit \
                 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
MM_UNIT_LIBS   = -lcmocka -fsanitize=address,undefined
MM_UNIT_SRCS  := hypervisor/common/page.c hypervisor/common/page_type.c hypervisor/common/memmap.c \
                 hypervisor/arch/x86/pv/mm_validate.c hypervisor/common/console.c \
                 hypervisor/lib/format.c $(FAKE)/memory.c
MM_UNIT_HDRS  := hypervisor/include/page.h hypervisor/arch/x86/pv/mm.h $(FAKE)/memory.h
MM_PTWR_SRCS  := hypervisor/arch/x86/pv/mm_ptwr_decode.c

MM_UNIT_TESTS := type random partial memory audit
# sources only some of them link (each names its fake guest memory)
MM_EXTRA_memory := hypervisor/common/memory.c $(FAKE)/guest_mem.c
MM_EXTRA_audit := hypervisor/common/audit.c hypervisor/common/audit_holders.c hypervisor/arch/x86/pv/audit.c \
                  hypervisor/arch/x86/pv/desc_check.c hypervisor/common/sysctl_audit.c

$(foreach t,$(MM_UNIT_TESTS),$(call unit_test,mm-$(t),tests/unit/hypervisor/common/mm_$(t)_test.c,$(MM_UNIT_SRCS) $(MM_PTWR_SRCS) $(MM_EXTRA_$(t)),\
	$(MM_UNIT_CFLAGS),$(MM_UNIT_LIBS),$(MM_UNIT_HDRS)))

# ---- elf ----
# Host unit tests of the PV kernel ELF parser (hypervisor/common/elf_image.c),
# built like the tests above: -DHOST_TEST, ASan and UBSan, cmocka.
#
#   unit-elf-image         synthetic images: every acceptance rule, plus a
#                          random-corruption loop
#   unit-elf-image-debian  the real Debian kernel (build/dom0-vmlinux, made by
#                          tests/images/module.mk) against docs/linux-pv-abi.md §1.2

ELF_IMAGE_CFLAGS    = $(HOST_CFLAGS) -DHOST_TEST -Ihypervisor/include -Itests/unit \
                      -fsanitize=address,undefined -fno-omit-frame-pointer
ELF_IMAGE_LIBS     := -lcmocka -fsanitize=address,undefined
ELF_IMAGE_SRCS     := hypervisor/common/elf_image.c hypervisor/common/elf_xen_guest.c hypervisor/common/elf_read.c hypervisor/lib/format.c
ELF_IMAGE_TEST_HDRS := hypervisor/include/elf_image.h hypervisor/include/elf_read.h hypervisor/include/lib.h \
                       hypervisor/include/public/elfnote.h hypervisor/include/public/features.h \
                       hypervisor/include/public/errno.h

$(call unit_test,elf-image,tests/unit/hypervisor/common/elf_image_test.c,$(ELF_IMAGE_SRCS),\
	$(ELF_IMAGE_CFLAGS),$(ELF_IMAGE_LIBS),$(ELF_IMAGE_TEST_HDRS))
$(call unit_test,elf-image-debian,tests/unit/hypervisor/common/elf_image_debian_test.c,$(ELF_IMAGE_SRCS),\
	$(ELF_IMAGE_CFLAGS),$(ELF_IMAGE_LIBS),$(ELF_IMAGE_TEST_HDRS),$(BUILD)/dom0-vmlinux,$(BUILD)/dom0-vmlinux)

# ---- unxz ----
# Host unit tests of the hypervisor's bzImage unpacking: the XZ decoder
# (hypervisor/common/unxz.c, xz_lzma2.c, xz_bcj.c, lib/crc.c) and the
# payload lookup (common/bzimage.c), the gzip, lz4 and zstd decoders (common/gunzip.c,
# common/unlz4.c, common/unzstd*.c),
# with ASan and UBSan.
#
#   unit-unxz            streams made by xz(1) (unxz-vectors.sh: random and
#                        real data at several sizes, each check and filter
#                        chain), hand-built streams for every error path,
#                        truncation and corruption loops, synthetic bzImages;
#                        gzip(1) streams of the same data, and their damage;
#                        lz4(1) and zstd(1) ones likewise (zstd: levels 1-22,
#                        piped as Linux's build does, windows 1 KiB-128 MiB,
#                        no checksum, skippable frames, a 64 MB one)
#   unit-bzimage-debian  Debian's own vmlinuz unpacked by our decoder equals
#                        what xz(1) unpacks from it
#   unit-bzimage-debian-zstd  the same kernel re-wrapped with a zstd -22 payload
#                        (tests/images/module.mk; test-all: ~20 s to compress),
#                        through our decoder and through the toolstack's
#                        (pv-extract-vmlinux, libzstd): both give what xz(1)
#                        unpacks from Debian's own payload

UNXZ_TEST      := $(call unit_test_bin,tests/unit/hypervisor/common/unxz_test.c)
UNXZ_DEBIAN    := $(BUILD)/tests/unit/bzimage_debian_test
UNXZ_VECTORS   := $(BUILD)/tests/unit/unxz-vectors
UNXZ_CFLAGS     = $(HOST_CFLAGS) -DHOST_TEST -Ihypervisor/include -Ihypervisor/common -Itests/unit \
                  -fsanitize=address,undefined -fno-omit-frame-pointer
UNXZ_LIBS      := -lcmocka -fsanitize=address,undefined
UNXZ_SRCS      := hypervisor/common/unxz.c hypervisor/common/xz_lzma2.c hypervisor/common/xz_bcj.c \
                  hypervisor/common/bzimage.c hypervisor/common/gunzip.c hypervisor/common/unlz4.c \
                  hypervisor/common/unzstd.c hypervisor/common/unzstd_lit.c hypervisor/common/unzstd_seq.c \
                  hypervisor/lib/crc.c hypervisor/lib/format.c
UNXZ_HDRS      := hypervisor/include/unxz.h hypervisor/include/bzimage.h hypervisor/include/crc.h hypervisor/include/gunzip.h \
                  hypervisor/include/unlz4.h hypervisor/include/unzstd.h hypervisor/common/unzstd_priv.h \
                  hypervisor/common/xz_priv.h hypervisor/include/lib.h

$(call unit_test,unxz,tests/unit/hypervisor/common/unxz_test.c,$(UNXZ_SRCS) tests/unit/xz_writer.c,\
	$(UNXZ_CFLAGS),$(UNXZ_LIBS),$(UNXZ_HDRS) tests/unit/xz_writer.h,$(UNXZ_VECTORS)/.done,$(UNXZ_VECTORS))

# Its run sources the kernel's location first: built here, run by hand below.
$(UNXZ_DEBIAN): tests/unit/hypervisor/common/bzimage_debian_test.c $(FAKE_MACHINE) $(UNXZ_SRCS) $(UNXZ_HDRS) $(FAKE_HDRS)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(UNXZ_CFLAGS) -o $@ $< $(FAKE_MACHINE) $(UNXZ_SRCS) $(UNXZ_LIBS)

# The "real x86 code" is the test program itself (unsanitised bytes would do
# as well; this one is always there and changes with the compiler).
$(UNXZ_VECTORS)/.done: tests/unit/hypervisor/common/unxz-vectors.sh $(UNXZ_TEST)
	rm -rf $(UNXZ_VECTORS)
	sh tests/unit/hypervisor/common/unxz-vectors.sh $(UNXZ_VECTORS) $(UNXZ_TEST)

# The reference is unpacked by xz(1) from the payload pv-extract-vmlinux
# locates: build/dom0-vmlinux comes from libxenguest, which uses this same
# decoder for xz, so it would not be a second opinion.
UNXZ_DEBIAN_REF := $(BUILD)/tests/unit/vmlinux-by-xz
$(UNXZ_DEBIAN_REF): $(IMAGES_DIR)/kernel.env $(BUILD)/bin/pv-extract-vmlinux
	@mkdir -p $(dir $@)
	. ./$(IMAGES_DIR)/kernel.env && set -- $$($(BUILD)/bin/pv-extract-vmlinux --info "$$vmlinuz" | \
		sed -n 's/^payload_offset *//p; s/^payload_length *//p') && \
	tail -c +$$(($$1 + 1)) "$$vmlinuz" | head -c $$(($$2 - 4)) | xz -dc >$@.tmp
	mv $@.tmp $@

.PHONY: unit-bzimage-debian
unit-bzimage-debian: $(UNXZ_DEBIAN) $(IMAGES_DIR)/kernel.env $(UNXZ_DEBIAN_REF)
	. ./$(IMAGES_DIR)/kernel.env && $(UNXZ_DEBIAN) "$$vmlinuz" $(UNXZ_DEBIAN_REF)

.PHONY: unit-bzimage-debian-zstd
unit-bzimage-debian-zstd: $(UNXZ_DEBIAN) $(BUILD)/dom0-vmlinuz-zstd $(UNXZ_DEBIAN_REF) $(BUILD)/bin/pv-extract-vmlinux
	$(UNXZ_DEBIAN) $(BUILD)/dom0-vmlinuz-zstd $(UNXZ_DEBIAN_REF) zstd
	$(BUILD)/bin/pv-extract-vmlinux $(BUILD)/dom0-vmlinuz-zstd $(BUILD)/dom0-vmlinuz-zstd.elf
	cmp $(BUILD)/dom0-vmlinuz-zstd.elf $(UNXZ_DEBIAN_REF) && rm -f $(BUILD)/dom0-vmlinuz-zstd.elf

ALL_TARGETS += $(UNXZ_DEBIAN)
TESTS += unit-bzimage-debian
SLOW_TESTS += unit-bzimage-debian-zstd

# ---- dom0 ----
# Host unit tests (cmocka) of what the initial domain needs beyond a DomU:
# the I/O port grant and the port I/O emulator's privilege checks, the
# console input ring with CONSOLEIO_read, and the wallclock. Built against
# tests/unit/fake/dom0.c. One group, one rule: the I/O port test checks
# arch/x86/pv/ code and so sits in that directory's mirror
# (tests/unit/hypervisor/arch/x86/pv/), the other two here.

DOM0_UNIT_CFLAGS = $(HOST_CFLAGS) -DHOST_TEST -Ihypervisor/include -Ihypervisor/arch/x86/include \
                   -Ihypervisor/arch/x86/pv -Itests/unit \
                   -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
DOM0_UNIT_LIBS   = -lcmocka -fsanitize=address,undefined
DOM0_UNIT_HDRS  := $(FAKE)/dom0.h hypervisor/arch/x86/include/asm/ioports.h \
                   hypervisor/arch/x86/pv/physdev.h hypervisor/include/console_input.h \
                   hypervisor/include/wallclock.h hypervisor/arch/x86/pv/emulate.h

DOM0_UNIT_ioports   := hypervisor/arch/x86/pv/physdev_io.c hypervisor/arch/x86/pv/emulate_io.c \
                       hypervisor/arch/x86/pv/pit_ch2.c
DOM0_UNIT_console   := hypervisor/common/console_input.c hypervisor/common/console_io.c hypervisor/lib/format.c
DOM0_UNIT_wallclock := hypervisor/common/wallclock.c

DOM0_UNIT_TESTS := ioports console wallclock
DOM0_TEST_ioports   := tests/unit/hypervisor/arch/x86/pv/dom0_ioports_test.c
DOM0_TEST_console   := tests/unit/hypervisor/common/dom0_console_test.c
DOM0_TEST_wallclock := tests/unit/hypervisor/common/dom0_wallclock_test.c

$(foreach t,$(DOM0_UNIT_TESTS),$(call unit_test,dom0-$(t),$(DOM0_TEST_$(t)),$(FAKE)/dom0.c $(FAKE)/pv.c $(FAKE)/guest_mem.c $(DOM0_UNIT_$(t)),\
	$(DOM0_UNIT_CFLAGS),$(DOM0_UNIT_LIBS),$(DOM0_UNIT_HDRS)))
