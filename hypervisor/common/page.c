/* The frame table: one struct page_info per machine frame (see page.h). */
#include <console.h>
#include <domain.h>
#include <page.h>

struct page_info *frame_table;
uint64_t frame_table_size;

void frame_table_init(uint64_t nr_frames)
{
	size_t bytes = (size_t)nr_frames * sizeof(struct page_info);

	frame_table = xzalloc_bytes(bytes);
	if (!frame_table)
		panic("no memory for the frame table (%zu bytes)", bytes);
	frame_table_size = nr_frames;
	for (uint64_t m = 0; m < nr_frames; m++)
		frame_table[m].owner = DOMID_XEN;
}
