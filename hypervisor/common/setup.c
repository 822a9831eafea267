/*
 * Start-up of the hypervisor proper, after the architecture has a stack,
 * descriptor tables and the loader's information in struct boot_info.
 */
#include <arch.h>
#include <boot_info.h>
#include <cmdline.h>
#include <console.h>
#include <frame_alloc.h>
#include <frame_scrub.h>
#include <memmap.h>
#include <page.h>
#include <version.h>

void start_hypervisor(struct boot_info *bi) NOINLINE;

struct frame_alloc machine_frames;

mfn_t alloc_frames(unsigned order)
{
	mfn_t mfn = frame_alloc_get(&machine_frames, order);

	/* a domain's stale TLB entries must not reach the next user, whoever that is */
	if (mfn != INVALID_MFN) {
		page_flush_reused(mfn, order);
		frame_scrub_claim(mfn, order);
	}
	return mfn;
}

/*
 * The allocator's free memory never holds old data that its next user
 * could read: a freed frame is cleared now, or marked for clearing in the
 * background (frame_scrub.c) without PGF_zeroed, which tells its next
 * user to clear it first. PGF_zeroed frames a domain may have as they are;
 * memory free since boot is not marked, and is cleared then.
 */
void free_frames(mfn_t mfn, unsigned order)
{
	uint64_t n = 1ULL << order;
	bool used = mfn < machine_frames.nr_frames && !frame_alloc_is_free(&machine_frames, mfn);
	bool later = used && mfn + n <= frame_table_size && frame_scrub_ready();

	if (used && !later)
		clear_frames(arch_phys_to_virt(mfn << FRAME_SHIFT), n);
	if (frame_alloc_put(&machine_frames, mfn, order))
		panic("free_frames: frame %#lx order %u is not allocated (double free?)", mfn, order);
	for (uint64_t j = 0; frame_table && j < n && mfn + j < frame_table_size; j++)
		frame_table[mfn + j].flags = later ? 0 : PGF_zeroed;
	if (later)
		frame_scrub_mark(mfn, n);
}

static void print_memory_map(const struct boot_info *bi)
{
	printk("Memory map (%s):\n", bi->loader);
	for (unsigned i = 0; i < bi->nr_mem; i++) {
		const struct boot_mem_range *r = &bi->mem[i];
		printk("  %016lx - %016lx  %s\n", r->start, r->start + r->size,
		       boot_mem_type_name(r->type));
	}
}

/* The highest end of usable RAM: the allocator and the direct map cover up to it. */
static uint64_t usable_end(const struct boot_info *bi)
{
	uint64_t end = 0;

	for (unsigned i = 0; i < bi->nr_mem; i++)
		if (bi->mem[i].type == BOOT_MEM_USABLE)
			end = MAX(end, bi->mem[i].start + bi->mem[i].size);
	return end;
}

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

/* Is [pa, pa+len) clear of our image and the modules? */
static bool clear_of_boot_data(const struct boot_info *bi, uint64_t pa, uint64_t len)
{
	if (overlaps(pa, len, bi->image_start, bi->image_end - bi->image_start))
		return false;
	for (unsigned i = 0; i < bi->nr_modules; i++)
		if (overlaps(pa, len, bi->modules[i].start, bi->modules[i].size))
			return false;
	return true;
}

/*
 * Place the allocator's bitmap in usable RAM above 1 MiB and below 4 GiB (the
 * boot mapping), clear of everything the loader gave us.
 */
static uint64_t place_bitmap(const struct boot_info *bi, uint64_t bytes)
{
	bytes = ALIGN_UP(bytes, FRAME_SIZE);
	for (unsigned i = 0; i < bi->nr_mem; i++) {
		const struct boot_mem_range *r = &bi->mem[i];
		if (r->type != BOOT_MEM_USABLE)
			continue;
		uint64_t pa = ALIGN_UP(MAX(r->start, MiB(1)), FRAME_SIZE);
		uint64_t end = MIN(r->start + r->size, GiB(4));
		for (; pa + bytes <= end; pa += FRAME_SIZE)
			if (clear_of_boot_data(bi, pa, bytes))
				return pa;
	}
	panic("no room below 4 GiB for the frame allocator's %lu-byte bitmap", bytes);
}

static void frames_init(const struct boot_info *bi)
{
	uint64_t end = usable_end(bi);
	uint64_t nr_frames = end >> FRAME_SHIFT;
	uint64_t bytes = frame_alloc_bitmap_bytes(nr_frames);
	uint64_t bitmap_pa = place_bitmap(bi, bytes);
	struct frame_alloc *fa = &machine_frames;

	frame_alloc_init(fa, arch_phys_to_virt(bitmap_pa), nr_frames);
	for (unsigned i = 0; i < bi->nr_mem; i++) {
		const struct boot_mem_range *r = &bi->mem[i];
		if (r->type == BOOT_MEM_USABLE)
			frame_alloc_mark_free(fa, ALIGN_UP(r->start, FRAME_SIZE) >> FRAME_SHIFT,
					      (r->start + r->size) >> FRAME_SHIFT);
	}
	/* Reserved ranges win over usable ones that overlap them. */
	for (unsigned i = 0; i < bi->nr_mem; i++) {
		const struct boot_mem_range *r = &bi->mem[i];
		if (r->type != BOOT_MEM_USABLE)
			frame_alloc_mark_used(fa, r->start >> FRAME_SHIFT,
					      ALIGN_UP(r->start + r->size, FRAME_SIZE) >> FRAME_SHIFT);
	}
	/* The first MiB holds firmware tables and real-mode structures. */
	frame_alloc_mark_used(fa, 0, MiB(1) >> FRAME_SHIFT);
	frame_alloc_mark_used(fa, bi->image_start >> FRAME_SHIFT,
			      ALIGN_UP(bi->image_end, FRAME_SIZE) >> FRAME_SHIFT);
	for (unsigned i = 0; i < bi->nr_modules; i++)
		frame_alloc_mark_used(fa, bi->modules[i].start >> FRAME_SHIFT,
				      ALIGN_UP(bi->modules[i].start + bi->modules[i].size,
					       FRAME_SIZE) >> FRAME_SHIFT);
	frame_alloc_mark_used(fa, bitmap_pa >> FRAME_SHIFT,
			      (bitmap_pa + ALIGN_UP(bytes, FRAME_SIZE)) >> FRAME_SHIFT);
	printk("Frames: %lu MiB free of %lu MiB described\n", fa->nr_free >> (20 - FRAME_SHIFT),
	       nr_frames >> (20 - FRAME_SHIFT));
}

static void print_modules(const struct boot_info *bi)
{
	for (unsigned i = 0; i < bi->nr_modules; i++)
		printk("Module %u: %016lx - %016lx (%lu KiB) '%s'\n", i, bi->modules[i].start,
		       bi->modules[i].start + bi->modules[i].size, bi->modules[i].size >> 10,
		       bi->modules[i].cmdline);
}

char saved_cmdline[BOOT_CMDLINE_MAX];

void start_hypervisor(struct boot_info *bi)
{
	strlcpy(saved_cmdline, bi->cmdline, sizeof(saved_cmdline));
	hv_options_parse(bi->cmdline);  /* warnings wait in the early buffer */
	arch_console_init();
	/* a newline first: firmware may have left the cursor mid-line */
	printk("\nParavane %s\n", PARAVANE_VERSION);
	arch_console_flush_early();
	printk("Loader: %s\n", bi->loader);
	printk("Command line: %s\n", bi->cmdline);
	if (bi->truncated)
		log_warn("boot: the loader passed more than we keep (memory ranges, modules or strings truncated)\n");

	print_memory_map(bi);
	frames_init(bi);
	arch_mm_init(usable_end(bi));
	arch_time_init();
	arch_smp_init(bi);

	if (hv_opts.debug_fault[0])
		arch_debug_fault(hv_opts.debug_fault);

	print_modules(bi);
	if (!bi->nr_modules) {
		printk("No initial domain: no boot module was given (the first module must be the Dom0 kernel).\n");
		arch_shutdown(false);
	}
	machine_memmap_save(bi);
	frame_table_init(machine_frames.nr_frames);
	frame_scrub_init();
	arch_start_initial_domain(bi);
	/* only returns when the domain could not be built; the reason is printed */
	printk("No initial domain: it could not be built (see above).\n");
	arch_shutdown(true);
}
