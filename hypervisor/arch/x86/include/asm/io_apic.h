/* io_apic.c: device interrupt lines (GSIs) for Dom0's pirqs. */
#ifndef ASM_IO_APIC_H
#define ASM_IO_APIC_H

#include <lib.h>

/* One vector per GSI: VEC_GSI_BASE + gsi, below the hypervisor's 0xf0.. */
#define VEC_GSI_BASE      0x30
#define IO_APIC_MAX_GSIS  (0xf0 - VEC_GSI_BASE)

/* Boot CPU, after the local APIC: find the IO-APICs, mask every entry. */
void io_apic_init(void);
/* PHYSDEVOP_setup_gsi: 0, -XEN_EINVAL (no such GSI), -XEN_EEXIST (set up already, or the hypervisor's). */
int io_apic_setup_gsi(unsigned gsi, bool level, bool active_low);
/* A vector in [VEC_GSI_BASE, VEC_GSI_BASE + IO_APIC_MAX_GSIS); `locked`: the big lock is held. */
void io_apic_interrupt(unsigned vector, bool locked);
/* Interrupts noted while this CPU slept for the big lock; call with it held. */
void io_apic_run_deferred(void);

/* Is mfn the registers of an IO-APIC or of the local APIC (no guest may map them)? */
bool io_apic_mmio_reserved(uint64_t mfn);

#endif
