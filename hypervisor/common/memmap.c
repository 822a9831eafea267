/* The saved machine memory map (memmap.h). */
#include <boot_info.h>
#include <memmap.h>

static struct boot_mem_range saved[BOOT_MEM_MAX];
static unsigned nr_saved;

void machine_memmap_save(const struct boot_info *bi)
{
	nr_saved = MIN(bi->nr_mem, (unsigned)BOOT_MEM_MAX);
	for (unsigned i = 0; i < nr_saved; i++)
		saved[i] = bi->mem[i];
}

unsigned machine_memmap_count(void)
{
	return nr_saved;
}

bool machine_memmap_entry(unsigned i, uint64_t *start, uint64_t *size, uint32_t *type)
{
	if (i >= nr_saved)
		return false;
	*start = saved[i].start;
	*size = saved[i].size;
	*type = saved[i].type;
	return true;
}

bool machine_memmap_is_ram(uint64_t mfn)
{
	uint64_t pa = mfn << 12;

	for (unsigned i = 0; i < nr_saved; i++) {
		const struct boot_mem_range *r = &saved[i];
		/* written as differences so a range that ends at 2^64 cannot wrap */
		if (r->type == BOOT_MEM_USABLE && pa >= r->start && pa - r->start < r->size &&
		    r->size - (pa - r->start) >= 4096)
			return true;
	}
	return false;
}
