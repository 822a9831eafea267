# The hypervisor: freestanding C11 + GNU assembler, linked as one ELF that
# Multiboot 1 (QEMU -kernel) and Multiboot 2 (GRUB) both load.

HV_BUILD   := $(BUILD)/hypervisor
HV_CC      := gcc
HV_CFLAGS  := -std=gnu11 -O2 -g -flto=auto -ffreestanding -nostdinc -isystem $(shell $(HV_CC) -print-file-name=include) \
              -fno-stack-protector -fno-strict-aliasing -fpie -fvisibility=hidden \
              -mno-red-zone -mgeneral-regs-only -fno-omit-frame-pointer \
              -fno-asynchronous-unwind-tables -fcf-protection=none \
              -Wall -Wextra -Werror -Wimplicit-fallthrough -Wunused-but-set-variable \
              -Wno-unused-parameter -Wmissing-prototypes \
              -Ihypervisor/include -Ihypervisor/arch/x86/include -MMD -MP
HV_ASFLAGS := -g -Ihypervisor/include -Ihypervisor/arch/x86/include -MMD -MP -D__ASSEMBLY__
HV_LDS     := hypervisor/arch/x86/hypervisor.lds
# Linked through the compiler so that link-time optimisation can inline across
# files: the hypercall and exception paths cross many small files, and every
# call and return costs (much more so under emulation).
HV_LDFLAGS := -flto=auto -O2 -nostdlib -static -no-pie -ffreestanding -fpie -mno-red-zone \
              -mgeneral-regs-only -fno-omit-frame-pointer -fcf-protection=none -fno-stack-protector \
              -Wl,-z,max-page-size=4096 -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments -Wl,--build-id=sha1 \
              -Wl,-T,$(HV_LDS)

HV_SRCS := $(wildcard hypervisor/arch/x86/boot/*.[cS] hypervisor/arch/x86/*.[cS] \
                      hypervisor/arch/x86/pv/*.[cS] hypervisor/common/*.c hypervisor/lib/*.c)
HV_OBJS := $(patsubst hypervisor/%,$(HV_BUILD)/%.o,$(HV_SRCS))

$(HV_BUILD)/%.c.o: hypervisor/%.c
	@mkdir -p $(dir $@)
	$(HV_CC) $(HV_CFLAGS) -c $< -o $@

$(HV_BUILD)/%.S.o: hypervisor/%.S
	@mkdir -p $(dir $@)
	$(HV_CC) $(HV_ASFLAGS) -c $< -o $@

# Two links: the first finds where every function landed, the second carries
# the symbol table (placed after text and data, so nothing it names moves).
$(HV_BUILD)/symbols-empty.S: hypervisor/tools/gen-symbols.sh
	@mkdir -p $(dir $@)
	sh $< > $@

$(HV_BUILD)/pass1.elf: $(HV_OBJS) $(HV_BUILD)/symbols-empty.S.o $(HV_LDS)
	$(HV_CC) $(HV_LDFLAGS) -o $@ $(HV_OBJS) $(HV_BUILD)/symbols-empty.S.o

$(HV_BUILD)/symbols.S: $(HV_BUILD)/pass1.elf hypervisor/tools/gen-symbols.sh
	sh hypervisor/tools/gen-symbols.sh $< > $@

$(HV_BUILD)/%.S.o: $(HV_BUILD)/%.S
	$(HV_CC) $(HV_ASFLAGS) -c $< -o $@

$(BUILD)/hypervisor.elf: $(HV_OBJS) $(HV_BUILD)/symbols.S.o $(HV_LDS)
	$(HV_CC) $(HV_LDFLAGS) -o $@ $(HV_OBJS) $(HV_BUILD)/symbols.S.o
	@nm $@ | awk '$$3 == "start32"' | grep -q . || { echo "hypervisor.elf: no entry symbol"; exit 1; }

-include $(HV_OBJS:.o=.d)

ALL_TARGETS += $(BUILD)/hypervisor.elf
