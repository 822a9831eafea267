# Paravane top-level build.
#
# Each part of the tree owns a `module.mk` fragment that this file includes.
# A fragment may append to:
#   ALL_TARGETS   files built by `make all`
#   TESTS         phony targets, each one self-contained test (exit 0 = pass)
#   SLOW_TESTS    the same, too slow for `make test`: `make test-all` runs both
#   UNPAIRED_TESTS  tests (or %-patterns) that must not run beside another
#                 one: QEMU with -smp 2 or more, several threads, a nested
#                 `make` that builds shared files (tests/run-suite.sh)
#   APT_PACKAGES  Debian packages the part needs on the build host
# and may add prerequisites to `install` (`make install DESTDIR=dir`:
# install-<part> targets; docs/toolstack.md "Installing").
# Outputs go to build/: build/hypervisor.elf, build/bin/, build/lib/.
# Debian downloads (kernel, busybox, Xen for benchmarks) go to $(CACHE),
# outside the repository.

BUILD   := build
CACHE   ?= $(HOME)/.cache/paravane
export CACHE

HOST_CC     ?= gcc
HOST_CFLAGS ?= -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wimplicit-fallthrough \
               -Wunused-but-set-variable -Wno-unused-parameter
QEMU        ?= qemu-system-x86_64
export QEMU

ALL_TARGETS  :=
TESTS        :=
SLOW_TESTS   :=
# `make test` runs up to JOBS tests at once (JOBS=1: one after the other, as
# before) and builds with make -j$(JOBS): the machine has 2 cores.
JOBS         ?= 2
# Dom0 image boots (-smp 2), the build, installs into build/ (a nested make:
# test-install-*, test-xenconsoled-cli) and Paravane's several-CPU boots;
# more are added by the fragments.
# guests-*-preempt: a 0.2 ms timer must strike inside one long hypercall,
# which it misses on a busy host (seen beside another test at load 14-17,
# and alone at load 22): alone, the odds are better.
UNPAIRED_TESTS := build-all images-% test-install-% test-xenconsoled-cli integ-smp-% \
                  guests-xen-preempt guests-paravane-preempt
APT_PACKAGES := build-essential qemu-system-x86 libcmocka-dev libyajl-dev uuid-dev \
                grub-pc-bin grub-common xorriso mtools busybox-static cpio \
                liblzma-dev liblz4-dev zlib1g-dev xz-utils binutils

.PHONY: all test test-all check check-all deps run run-qemu iso clean install
all:

include tests/unit/unit-test.mk   # $(call unit_test,...): the one way to add a host unit test
include $(sort $(wildcard */module.mk */*/module.mk */*/*/module.mk */*/*/*/module.mk \
                            */*/*/*/*/module.mk */*/*/*/*/*/module.mk))

all: $(ALL_TARGETS)

# `make test` and `make run` install what the host lacks first, then
# re-enter make so every fragment sees the installed tools.
deps:
	@sh tests/install-deps.sh $(sort $(APT_PACKAGES))

test: deps
	@$(MAKE) --no-print-directory check

# Building is a test of its own, so that one part that fails to build does
# not stop the others' tests from running (each test builds what it needs).
# Test kernels run by QEMU with several CPUs (GUEST_SMP_<name>, and the
# *-smp variants of tests/guests) are unpaired.
UNPAIRED_TESTS += guests-%-smp $(foreach g,$(GUEST_NAMES),$(if $(GUEST_SMP_$(g)),guests-xen-$(g) guests-paravane-$(g)))
SUITE = JOBS=$(JOBS) UNPAIRED='$(filter $(UNPAIRED_TESTS),build-all $(TESTS) $(SLOW_TESTS))' \
        sh tests/run-suite.sh "$(MAKE) --no-print-directory"

check:
	@$(SUITE) build-all $(TESTS)

test-all: deps
	@$(MAKE) --no-print-directory check-all

check-all:
	@$(SUITE) build-all $(TESTS) $(SLOW_TESTS)

.PHONY: build-all
build-all:
	@$(MAKE) --no-print-directory -k -j$(JOBS) $(ALL_TARGETS)

# `make run`: boot Paravane in QEMU with software emulation (no VT-x needed),
# with Debian's stock Linux 6.1 as Dom0 and a busybox shell on its console.
# RUN_INITRD is QEMU's -initrd list: the boot modules (Dom0 kernel with its
# command line, then its initrd), as for Xen. The kernel is the file Debian
# installs in /boot (RUN_KERNEL, a bzImage the hypervisor unpacks); the
# extracted ELF works too: `make run RUN_KERNEL=build/dom0-vmlinux`.
# `poweroff -f` in the shell ends the run; or quit QEMU with Ctrl-A X.
RUN_MEM    ?= 1G
RUN_SMP    ?= 2
RUN_APPEND ?= console=com1 com1=115200 dom0_mem=512M dom0_max_vcpus=2 noreboot
RUN_KERNEL ?= $(BUILD)/dom0-vmlinuz
RUN_INITRD ?= $(RUN_KERNEL) console=hvc0,$(BUILD)/dom0-initrd.gz
RUN_DEPS   ?= $(RUN_KERNEL) $(BUILD)/dom0-initrd.gz
# The Debian DomU of /etc/xen/debian.cfg: a copy of `make domu-rootfs`'s
# image (built first when missing; RUN_DEBIAN=no skips it) as QEMU's
# virtio disk, Dom0's /dev/vda (tests/images/run-debian-img.sh).
RUN_DEBIAN_IMG ?= $(BUILD)/debian-domu.img

run: deps
	@$(MAKE) --no-print-directory run-debian-img
	@$(MAKE) --no-print-directory run-qemu

.PHONY: run-debian-img
run-debian-img:
	@sh tests/images/run-debian-img.sh $(DOMU_DIR) $(RUN_DEBIAN_IMG)

run-qemu: $(BUILD)/hypervisor.elf $(RUN_DEPS)
	$(QEMU) -machine q35 -cpu qemu64,-vmx,-svm -smp $(RUN_SMP) -m $(RUN_MEM) -nographic -no-reboot \
		-kernel $(BUILD)/hypervisor.elf -append "$(RUN_APPEND)" $(if $(RUN_INITRD),-initrd "$(RUN_INITRD)") \
		$$([ "$${RUN_DEBIAN:-yes}" != no ] && [ -f $(RUN_DEBIAN_IMG) ] && echo "-drive file=$(RUN_DEBIAN_IMG),if=virtio,format=raw")

clean:
	rm -rf $(BUILD)
