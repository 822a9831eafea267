/*
 * Symbol lookup over the table that the build links into the image: the
 * image is linked once, its text symbols are listed with nm into a generated
 * assembly file (hypervisor/tools/gen-symbols.sh), and the image is linked
 * again with it. The table sits after text and data, so filling it in moves no
 * address it describes.
 */
#include <symbols.h>

/* Sorted by address; names are offsets into symbols_names. */
extern const uint64_t symbols_count;
extern const uint64_t symbols_addrs[];
extern const uint32_t symbols_name_offsets[];
extern const char symbols_names[];
extern const char _start[], _etext[];

const char *symbols_lookup(uint64_t addr, uint64_t *offset)
{
	uint64_t lo = 0, hi = symbols_count;

	if (addr < (uint64_t)_start || addr >= (uint64_t)_etext || !hi)
		return NULL;
	/* last symbol whose address is <= addr */
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (symbols_addrs[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	if (symbols_addrs[lo] > addr)
		return NULL;
	*offset = addr - symbols_addrs[lo];
	return &symbols_names[symbols_name_offsets[lo]];
}
