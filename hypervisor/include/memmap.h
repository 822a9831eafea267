/*
 * A copy of the machine's memory map as the boot loader gave it, kept for
 * after boot: XENMEM_machine_memory_map hands it to Dom0, and the frame
 * table marks what is not RAM as DOMID_IO (Dom0 may map those frames).
 */
#ifndef MEMMAP_H
#define MEMMAP_H

#include <lib.h>

struct boot_info;

/* Called once from start_hypervisor(), before frame_table_init(). */
void machine_memmap_save(const struct boot_info *bi);

/* Entry i as e820 (start, size, type: BOOT_MEM_*); false past the end. */
bool machine_memmap_entry(unsigned i, uint64_t *start, uint64_t *size, uint32_t *type);
unsigned machine_memmap_count(void);

/* Is machine frame mfn inside a usable-RAM range of the map? */
bool machine_memmap_is_ram(uint64_t mfn);

#endif
