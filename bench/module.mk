# Benchmarks (not tests): `make bench-pv-core` and friends print figures
# beside Xen 4.17's in the same QEMU. See docs/benchmarks.md.

BENCH_GUEST_LIB := $(addprefix $(BUILD)/guests/lib/,head.o entry.o lib.o)

$(BUILD)/bench/pvbench.o: bench/guests/pvbench.c $(wildcard tests/guests/lib/*.h hypervisor/include/public/*.h)
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) -c $< -o $@

$(BUILD)/bench/pvbench.elf: $(BUILD)/bench/pvbench.o $(BENCH_GUEST_LIB) tests/guests/lib/guest.ld
	$(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) -o $@ $(BENCH_GUEST_LIB) $<

ALL_TARGETS += $(BUILD)/bench/pvbench.elf

.PHONY: bench-pv-core
bench-pv-core: $(BUILD)/hypervisor.elf $(BUILD)/guests/xen-4.17.elf $(BUILD)/bench/pvbench.elf
	sh bench/pv-core.sh $(BUILD)/hypervisor.elf $(BUILD)/guests/xen-4.17.elf $(BUILD)/bench/pvbench.elf

# PV memory management (issue 4): pin, emulated PTE store, mmu_update batch.
$(BUILD)/bench/mmbench.o: bench/guests/mmbench.c $(wildcard tests/guests/lib/*.h hypervisor/include/public/*.h)
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) -c $< -o $@

$(BUILD)/bench/mmbench.elf: $(BUILD)/bench/mmbench.o $(BENCH_GUEST_LIB) tests/guests/lib/guest.ld
	$(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) -o $@ $(BENCH_GUEST_LIB) $<

ALL_TARGETS += $(BUILD)/bench/mmbench.elf

.PHONY: bench-mm
bench-mm: $(BUILD)/hypervisor.elf $(BUILD)/guests/xen-4.17.elf $(BUILD)/bench/mmbench.elf
	sh bench/mm.sh $(BUILD)/hypervisor.elf $(BUILD)/guests/xen-4.17.elf $(BUILD)/bench/mmbench.elf
