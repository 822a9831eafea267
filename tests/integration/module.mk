# QEMU integration tests of the hypervisor's boot path. Each target boots
# build/hypervisor.elf (or the GRUB ISO) and asserts on the serial console;
# see qemu-run.sh for the options.

QRUN := tests/integration/qemu-run.sh
HV   := $(BUILD)/hypervisor.elf

# What every successful boot without a Dom0 prints, in order.
BOOT_LINES := -e '^Paravane [0-9]+\.[0-9]+' -e '^Memory map' -e 'usable' -e '^Frames: [0-9]+ MiB free' \
              -e '^time: TSC [0-9.]+ MHz, APIC timer [0-9.]+ MHz' -e '^time: periodic timer OK' \
              -e '^time: one-shot timer OK: fired once' \
              -e '^No initial domain' -e '^System halted'
NO_PROBLEMS := -x 'PANIC' -x 'exception' -x 'warning:'

INTEG_TESTS := boot-q35 boot-pc boot-big-memory boot-iso-multiboot2 cmdline-good cmdline-bad \
               boot-modules reboot-without-noreboot \
               fault-page fault-invalid-op fault-divide fault-gp fault-panic \
               dom0-not-elf dom0-truncated dom0-elf32 dom0-no-notes dom0-mem-too-big dom0-mem-too-small \
               dom0-bzimage dom0-bzimage-corrupt dom0-bzimage-truncated dom0-bzimage-gzip dom0-bzimage-zstd \
               dom0-bzimage-lz4 dom0-bzimage-lz4-corrupt dom0-bzimage-zstd-corrupt
TESTS += $(addprefix integ-,$(INTEG_TESTS))
.PHONY: $(addprefix integ-,$(INTEG_TESTS)) iso

integ-boot-q35: $(HV)
	$(QRUN) -n $@ -m q35 -a "noreboot" $(BOOT_LINES) $(NO_PROBLEMS) -s pass

integ-boot-pc: $(HV)
	$(QRUN) -n $@ -m pc -a "noreboot" $(BOOT_LINES) $(NO_PROBLEMS) -s pass

# RAM above 4 GiB: the direct map must grow past the boot mapping.
integ-boot-big-memory: $(HV)
	$(QRUN) -n $@ -M 6G -a "noreboot" -e '^Paravane' -e 'direct map covers (6144|[7-9][0-9]{3}) MiB' \
		-e '^No initial domain' $(NO_PROBLEMS) -s pass

# Multiboot 2 through GRUB; also proves `make iso` produces a bootable image.
$(BUILD)/test-mb2.iso: $(HV) hypervisor/tools/mkiso.sh
	hypervisor/tools/mkiso.sh $@ "noreboot qemu_debug_exit console=com1,vga com1=115200"

integ-boot-iso-multiboot2: $(BUILD)/test-mb2.iso
	$(QRUN) -n $@ -c $< -t 180 -e '^Paravane' -e '^Loader: GRUB' -e '^Command line: noreboot qemu_debug_exit' \
		-e '^Memory map \(GRUB' -e '^time: one-shot timer OK' -e '^No initial domain' $(NO_PROBLEMS) -s pass

integ-cmdline-good: $(HV)
	$(QRUN) -n $@ -a "noreboot com1=115200,8n1 console=com1 dom0_mem=512M dom0_max_vcpus=1-2 loglvl=all/warning guest_loglvl=debug sched=credit" \
		-e '^Paravane' -e '^Command line: qemu_debug_exit noreboot com1=115200' -e '^No initial domain' $(NO_PROBLEMS) -s pass

# Bad options warn (naming the option) and boot goes on.
integ-cmdline-bad: $(HV)
	$(QRUN) -n $@ -a "noreboot frobnicate com1=fast dom0_mem=lots dom0_max_vcpus=0 loglvl=loud sched=rr noreboot=maybe" \
		-e '^Paravane' -e "unknown option 'frobnicate'" -e "bad value 'fast' for option 'com1'" \
		-e "bad value 'lots' for option 'dom0_mem'" -e "option 'dom0_max_vcpus'" \
		-e "option 'loglvl'" -e "option 'sched'" -e "option 'noreboot'" \
		-e '^No initial domain' -x PANIC -s pass

# Modules as QEMU passes them (file name, then the module's command line);
# the hypervisor's own image is no PV kernel, so the builder refuses it cleanly.
integ-boot-modules: $(HV)
	$(QRUN) -n $@ -a "noreboot" -i "$(HV) console=hvc0 root=/dev/ram,hypervisor/arch/x86/hypervisor.lds" \
		-e '^Paravane' -e "^Module 0: .*'$(HV) console=hvc0 root=/dev/ram'" \
		-e "^Module 1: .*hypervisor.lds'" -e "^dom0 kernel $(HV): no Xen ELF notes" \
		-e '^No initial domain: it could not be built' -x PANIC -x exception -s fail

# Bad initial-domain kernels and memory sizes: a message naming the problem, a clean stop.
$(BUILD)/tests/bad-kernels/stamp: $(BUILD)/guests/hello.elf
	@mkdir -p $(@D)
	head -c 3000 $< > $(@D)/truncated.elf
	cp $< $(@D)/elf32.elf && printf '\001' | dd of=$(@D)/elf32.elf bs=1 seek=4 conv=notrunc 2>/dev/null
	objcopy --remove-section=.note.Xen $< $(@D)/no-notes.elf
	printf 'this is not a kernel\n' > $(@D)/text.bin
	touch $@

BADK := $(BUILD)/tests/bad-kernels
integ-dom0-not-elf: $(BADK)/stamp
	$(QRUN) -n $@ -a "noreboot" -i "$(BADK)/text.bin" -e "^dom0 kernel $(BADK)/text.bin: not an ELF file" \
		-e '^No initial domain' -x PANIC -x exception -s fail
integ-dom0-truncated: $(BADK)/stamp
	$(QRUN) -n $@ -a "noreboot" -i "$(BADK)/truncated.elf" -e "^dom0 kernel $(BADK)/truncated.elf: .*(past the end|truncated|beyond)" \
		-e '^No initial domain' -x PANIC -x exception -s fail
integ-dom0-elf32: $(BADK)/stamp
	$(QRUN) -n $@ -a "noreboot" -i "$(BADK)/elf32.elf" -e "^dom0 kernel $(BADK)/elf32.elf: ELF class 1, need ELF64" \
		-e '^No initial domain' -x PANIC -x exception -s fail
integ-dom0-no-notes: $(BADK)/stamp
	$(QRUN) -n $@ -a "noreboot" -i "$(BADK)/no-notes.elf" -e "^dom0 kernel $(BADK)/no-notes.elf: no Xen ELF notes" \
		-e '^No initial domain' -x PANIC -x exception -s fail
integ-dom0-mem-too-big: $(BUILD)/guests/hello.elf
	$(QRUN) -n $@ -a "noreboot dom0_mem=4G" -i "$<" -e "^dom0 kernel $<: dom0_mem asks for 4096 MiB but only [0-9]+ MiB are free" \
		-e '^No initial domain' -x PANIC -x exception -s fail
integ-dom0-mem-too-small: $(BUILD)/guests/hello.elf
	$(QRUN) -n $@ -a "noreboot dom0_mem=2M" -i "$<" -e "^dom0 kernel $<: dom0_mem \(2 MiB\) is smaller than the kernel" \
		-e '^No initial domain' -x PANIC -x exception -s fail

# The initial domain's kernel as a bzImage (make-bzimage.sh wraps a test
# kernel as Linux's build wraps vmlinux): unpacked and booted; damaged
# ones refused with the reason, before anything is built.
BZK := $(BUILD)/tests/bzimages
$(BZK)/stamp: $(BUILD)/guests/hello.elf tests/integration/make-bzimage.sh
	@mkdir -p $(@D)
	sh tests/integration/make-bzimage.sh $< $(@D)/hello.bz xz
	sh tests/integration/make-bzimage.sh $< $(@D)/hello-gzip.bz gzip
	sh tests/integration/make-bzimage.sh $< $(@D)/hello-lz4.bz lz4
	sh tests/integration/make-bzimage.sh $< $(@D)/hello-zstd.bz zstd
	cp $(@D)/hello-lz4.bz $(@D)/lz4-corrupt.bz
	printf '\177' | dd of=$(@D)/lz4-corrupt.bz bs=1 seek=1543 conv=notrunc 2>/dev/null
	cp $(@D)/hello.bz $(@D)/corrupt.bz
	printf '\377' | dd of=$(@D)/corrupt.bz bs=1 seek=8000 conv=notrunc 2>/dev/null
	head -c 6000 $(@D)/hello.bz > $(@D)/truncated.bz
	cp $(@D)/hello.bz $(@D)/zstd.bz
	printf '\050\265\057\375' | dd of=$(@D)/zstd.bz bs=1 seek=1536 conv=notrunc 2>/dev/null
	touch $@
integ-dom0-bzimage: $(BZK)/stamp
	$(QRUN) -n $@ -a "noreboot" -i "$(BZK)/hello.bz" \
		-e "^Dom0: kernel $(BZK)/hello.bz is a bzImage: [0-9]+ KiB of xz unpacked to [0-9]+ KiB in [0-9]+ ms \([0-9]+ KiB used in place, [0-9]+ KiB freed\)" \
		-e '^guest-test hello: [1-9][0-9]* passed, 0 failed' $(NO_PROBLEMS) -s pass
integ-dom0-bzimage-corrupt: $(BZK)/stamp
	$(QRUN) -n $@ -a "noreboot" -i "$(BZK)/corrupt.bz" -e "^dom0 kernel $(BZK)/corrupt.bz: xz block at 12: " \
		-e '^No initial domain' -x PANIC -x exception -s fail
integ-dom0-bzimage-truncated: $(BZK)/stamp
	$(QRUN) -n $@ -a "noreboot" -i "$(BZK)/truncated.bz" -e "^dom0 kernel $(BZK)/truncated.bz: bzImage payload .* truncated\?" \
		-e '^No initial domain' -x PANIC -x exception -s fail
integ-dom0-bzimage-gzip: $(BZK)/stamp
	$(QRUN) -n $@ -a "noreboot" -i "$(BZK)/hello-gzip.bz" \
		-e "^Dom0: kernel $(BZK)/hello-gzip.bz is a bzImage: [0-9]+ KiB of gzip unpacked to [0-9]+ KiB" \
		-e '^guest-test hello: [1-9][0-9]* passed, 0 failed' $(NO_PROBLEMS) -s pass
integ-dom0-bzimage-zstd: $(BZK)/stamp
	$(QRUN) -n $@ -a "noreboot" -i "$(BZK)/hello-zstd.bz" \
		-e "^Dom0: kernel $(BZK)/hello-zstd.bz is a bzImage: [0-9]+ KiB of zstd unpacked to [0-9]+ KiB" \
		-e '^guest-test hello: [1-9][0-9]* passed, 0 failed' $(NO_PROBLEMS) -s pass
# an xz payload behind a zstd magic: its first "frame header" has the reserved bit set
integ-dom0-bzimage-zstd-corrupt: $(BZK)/stamp
	$(QRUN) -n $@ -a "noreboot" -i "$(BZK)/zstd.bz" -e "^dom0 kernel $(BZK)/zstd.bz: zstd frame header.s reserved bit set at input offset 0" \
		-e '^No initial domain' -x PANIC -x exception -s fail

integ-dom0-bzimage-lz4: $(BZK)/stamp
	$(QRUN) -n $@ -a "noreboot" -i "$(BZK)/hello-lz4.bz" \
		-e "^Dom0: kernel $(BZK)/hello-lz4.bz is a bzImage: [0-9]+ KiB of lz4 unpacked to [0-9]+ KiB" \
		-e '^guest-test hello: [1-9][0-9]* passed, 0 failed' $(NO_PROBLEMS) -s pass
integ-dom0-bzimage-lz4-corrupt: $(BZK)/stamp
	$(QRUN) -n $@ -a "noreboot" -i "$(BZK)/lz4-corrupt.bz" -e "^dom0 kernel $(BZK)/lz4-corrupt.bz: lz4 block size 0 or above the format.s bound at input offset 4" \
		-e '^No initial domain' -x PANIC -x exception -s fail

# The test kernels of tests/guests on Paravane (each also runs on Xen 4.17 as a reference).
PARAVANE_GUESTS := hello hcall traps cpuid msr multicall console_bad badargs sched evtchn mm dom0ops mca frames domctl gnt_unmap mmsec hwload debugreg hotplug runstate dombuild sysctl watchdog cpupolicy_rt gnt_seeded domcrash domcycle hcfuzz subops gdtrace domrace hcfuzz_domu schedcap isolate wake tlbwait gntwait
TESTS += $(addprefix guests-paravane-,$(PARAVANE_GUESTS))

# Without noreboot the hypervisor restarts the machine (QEMU's -no-reboot turns that into an exit).
integ-reboot-without-noreboot: $(HV)
	$(QRUN) -n $@ -R -a "" -e '^No initial domain' -e '^Rebooting in 5 seconds' -x 'System halted' -s reset

# The hypervisor's own faults: register dump, faulting address, symbolized backtrace, failure exit.
integ-fault-page: $(HV)
	$(QRUN) -n $@ -a "noreboot debug_fault=page" -e '^\*\*\* Hypervisor exception 14 \(page fault\)' \
		-e '^Faulting address \(CR2\): 0000000000000010 \(not present, write' -e '^RIP: e008:ffff83' \
		-e '^Backtrace:' -e 'arch_debug_fault\+0x' -e 'start_hypervisor\+0x' -e 'start64\+0x' -s fail

integ-fault-invalid-op: $(HV)
	$(QRUN) -n $@ -a "noreboot debug_fault=invalid-op" -e '^\*\*\* Hypervisor exception 6 \(invalid opcode\)' \
		-e '^RAX: ' -e '^Backtrace:' -e 'arch_debug_fault\+0x' -s fail

integ-fault-divide: $(HV)
	$(QRUN) -n $@ -a "noreboot debug_fault=divide" -e '^\*\*\* Hypervisor exception 0 \(divide error\)' \
		-e '^Backtrace:' -e 'arch_debug_fault\+0x' -s fail

integ-fault-gp: $(HV)
	$(QRUN) -n $@ -a "noreboot debug_fault=gp" -e '^\*\*\* Hypervisor exception 13 \(general protection\), error code 0x1230' \
		-e '^Backtrace:' -e 'arch_debug_fault\+0x' -s fail

integ-fault-panic: $(HV)
	$(QRUN) -n $@ -a "noreboot debug_fault=panic" -e '^\*\*\* PANIC: debug_fault=panic requested' \
		-e '^Backtrace:' -e 'panic\+0x' -e 'start_hypervisor\+0x' -e '^System halted' -s fail

# `make iso`: a GRUB rescue image for real machines (Dom0 modules join it with the Dom0 work).
iso: $(BUILD)/paravane.iso
$(BUILD)/paravane.iso: $(HV) hypervisor/tools/mkiso.sh
	hypervisor/tools/mkiso.sh $@ "console=com1,vga com1=115200"
	@echo "Built $@: write it to a USB stick or CD, or: qemu-system-x86_64 -cdrom $@ -nographic"

# Two CPU-bound domains that never yield, weights 256:512: each gets its share
# (within 5%) over 6 s, and neither starves (tests/guests/spin.c).
integ-sched-weights: $(HV) $(BUILD)/guests/spin.elf
	$(QRUN) -n $@ -M 512M -t 180 -a "noreboot test_domains test_weights=256,512 sched_report=6" \
		-i "$(BUILD)/guests/spin.elf,$(BUILD)/guests/spin.elf" \
		-e '^Dom0: kernel' -e '^Dom1: kernel' -e '^sched-report d' -x PANIC -x exception -s pass && \
	sh tests/integration/sched-shares.sh $(BUILD)/test-logs/$@.log 256 512

# Three domains at equal weight share alike.
integ-sched-equal: $(HV) $(BUILD)/guests/spin.elf
	$(QRUN) -n $@ -M 512M -t 180 -a "noreboot test_domains sched_report=6" \
		-i "$(BUILD)/guests/spin.elf,$(BUILD)/guests/spin.elf,$(BUILD)/guests/spin.elf" \
		-e '^Dom2: kernel' -e '^sched-report d' -x PANIC -x exception -s pass && \
	sh tests/integration/sched-shares.sh $(BUILD)/test-logs/$@.log 256 256 256

# A cap holds a domain to its percentage of the CPU even when the CPU is otherwise idle.
# Also on a busy host: the allowance follows the time that passed, so a late
# tick does not hold the domain under its cap (two CPU hogs: 247-248 permille).
integ-sched-cap: $(HV) $(BUILD)/guests/spin.elf
	$(QRUN) -n $@ -M 512M -t 180 -a "noreboot test_domains test_caps=25,0 sched_report=6" \
		-i "$(BUILD)/guests/spin.elf,$(BUILD)/guests/spin.elf" \
		-e '^sched-report d' -x PANIC -x exception -s pass && \
	sh tests/integration/sched-shares.sh $(BUILD)/test-logs/$@.log 250 750

TESTS += integ-sched-weights integ-sched-equal integ-sched-cap
# Shares of wall-clock time: another QEMU beside them on a loaded host skews them.
UNPAIRED_TESTS += integ-sched-weights integ-sched-equal integ-sched-cap

# A guest with no trap table that faults ("triple fault"): the domain is
# crashed with the reason, the hypervisor reports it and stays in control.
integ-guest-triple-fault: $(HV) $(BUILD)/guests/triplefault.elf
	$(QRUN) -n $@ -a "noreboot" -i "$(BUILD)/guests/triplefault.elf" \
		-e 'triplefault: executing ud2' -e '^Domain 0 crashed: d0v0: cannot deliver #UD .*no handler' \
		-e '^The initial domain crashed' -e '^System halted' -x PANIC -x 'Hypervisor exception' -s fail

# ... and when it is not the initial domain, everything else keeps running.
integ-guest-triple-fault-domu: $(HV) $(BUILD)/guests/triplefault.elf $(BUILD)/guests/spin.elf
	$(QRUN) -n $@ -M 512M -a "noreboot test_domains sched_report=3" \
		-i "$(BUILD)/guests/spin.elf,$(BUILD)/guests/triplefault.elf" \
		-e '^Domain 1 crashed: d1v0: cannot deliver #UD' -e '^sched-report d0 .*share_permille=(9[5-9][0-9]|1000)' \
		-x PANIC -x 'Hypervisor exception' -x 'initial domain crashed' -s pass

TESTS += integ-guest-triple-fault integ-guest-triple-fault-domu
UNPAIRED_TESTS += integ-guest-triple-fault-domu

# Dom0 destroys a domain that has been running on the other CPU (page tables
# pinned and loaded, GDT, timers, ports): every frame comes back and the id
# is free again (tests/guests/domkill.c; Paravane only, Xen has no test_domains).
integ-domctl-destroy-running: $(HV) $(BUILD)/guests/domkill.elf $(BUILD)/guests/spin.elf
	$(QRUN) -n $@ -M 512M -t 180 -q "-smp 2" -a "noreboot test_domains" \
		-i "$(BUILD)/guests/domkill.elf,$(BUILD)/guests/spin.elf" \
		-e '^d1: destroyed in [0-9]+ calls, all memory reclaimed' \
		-e 'guest-test domkill: [0-9]+ passed, 0 failed' \
		-x PANIC -x 'Hypervisor exception' -x FAIL -s pass

TESTS += integ-domctl-destroy-running
UNPAIRED_TESTS += integ-domctl-destroy-running

# VCPUOP_down of the last online vCPU powers the domain off, as on Xen (which
# halts: "Hardware Dom0 halted"); it used to leave the machine idle for good.
integ-vcpu-down-last: $(HV) $(BUILD)/guests/lastdown.elf
	$(QRUN) -n $@ -t 60 -a "noreboot dom0_max_vcpus=2" -i "$(BUILD)/guests/lastdown.elf" \
		-e '^LASTDOWN vcpu 1 down: 0' -e '^LASTDOWN vcpu 0 still up: 1' \
		-e '^Domain 0 shut down: poweroff' -x 'LASTDOWN returned' -x PANIC -s pass

TESTS += integ-vcpu-down-last

# A saved FPU image the CPU refuses (debug_fault=fpu-image: a reserved MXCSR
# bit, and an XSTATE_BV bit XCR0 lacks) costs a reset FPU state, not the
# hypervisor. XRSTOR only: QEMU's FXRSTOR takes any MXCSR (real CPUs do not).
integ-fault-fpu-image-xsave: $(HV)
	$(QRUN) -n $@ -q "-cpu qemu64,-vmx,-svm,+xsave,+avx,+xgetbv1" -a "noreboot debug_fault=fpu-image" \
		-e '^FPU: XSAVE, XCR0 0x7' -e '^fpu-image: the CPU refused the image with XRSTOR; reset state loaded' \
		-e '^No initial domain' -x PANIC -x 'Hypervisor exception' -s pass
TESTS += integ-fault-fpu-image-xsave

# An NMI in hypervisor context (debug_fault=nmi sends one to ourselves) is
# counted and ignored: the boot goes on (it was fatal: exception 2).
integ-fault-nmi: $(HV)
	$(QRUN) -n $@ -a "noreboot debug_fault=nmi" -e '^debug_fault=nmi: 1 NMI taken and ignored' \
		-e '^No initial domain' -x PANIC -x 'Hypervisor exception' -s pass
TESTS += integ-fault-nmi

# NMIs in guest context: with test_nmi CPU 0's timer sends CPU 1 an NMI per
# tick while two CPU-bound domains run, one on each CPU, for 2 s. Each NMI
# is counted and ignored where it struck; none may switch vCPUs on its IST
# frame or stop the host (before: get_cpu_info() on the IST stack).
integ-nmi-guest: $(HV) $(BUILD)/guests/spin.elf
	$(QRUN) -n $@ -M 512M -t 180 -q "-smp 2" -a "noreboot test_domains test_nmi sched_report=2" \
		-i "$(BUILD)/guests/spin.elf,$(BUILD)/guests/spin.elf" \
		-e '^test_nmi: 20 sent; CPU 1 took [0-9]+, [1-9][0-9]* of them in guest context' \
		-e '^sched-report d' -x PANIC -x 'Hypervisor exception' -s pass
TESTS += integ-nmi-guest
UNPAIRED_TESTS += integ-nmi-guest

# FPU/AVX state between two domains (tests/guests/xsave.c, `domains` mode):
# Dom0 with AVX, Dom1 with AVX off until the end; registers kept, no leak.
integ-xsave-domains: $(HV) $(BUILD)/guests/xsave.elf
	$(QRUN) -n $@ -M 512M -t 180 -q "-cpu qemu64,-vmx,-svm,+xsave,+avx,+xgetbv1" -a "noreboot test_domains" \
		-i "$(BUILD)/guests/xsave.elf xsave=avx domains,$(BUILD)/guests/xsave.elf xsave=avx domains" \
		-e 'guest-test xsave: [1-9][0-9]* passed, 0 failed' -e 'guest-test xsave: [1-9][0-9]* passed, 0 failed' \
		-x FAIL -x PANIC -x 'Hypervisor exception' -s pass
TESTS += integ-xsave-domains

# A low-address kernel with none of VIRT_BASE, PADDR_OFFSET, ENTRY and
# HYPERCALL_PAGE as an unprivileged domain made by the hypervisor's builder
# (test_domains), beside a Dom0 linked at VA 0 too that waits for it to power
# off (tests/guests/lowaddr.c; Paravane only, Xen has no test_domains).
integ-lowaddr-domu: $(HV) $(BUILD)/guests/lowaddr-vb0.elf $(BUILD)/guests/lowaddr-bare.elf
	$(QRUN) -n $@ -M 512M -a "noreboot test_domains" \
		-i "$(BUILD)/guests/lowaddr-vb0.elf wait_domu,$(BUILD)/guests/lowaddr-bare.elf" \
		-e '^Dom1: kernel .*lowaddr-bare.elf \(paravane-test\), entry 0,' \
		-e 'guest-test lowaddr-bare: [1-9][0-9]* passed, 0 failed' \
		-e 'PASS domu_powered_off\[page\]' -e 'guest-test lowaddr-vb0: [1-9][0-9]* passed, 0 failed' \
		-x PANIC -x 'Hypervisor exception' -x FAIL -s pass
TESTS += integ-lowaddr-domu
