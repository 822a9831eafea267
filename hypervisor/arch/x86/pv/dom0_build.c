/*
 * Building the initial domain (Dom0) from the boot modules.
 *
 * The first module is the kernel: an ELF64 image with Xen's ELF notes, or
 * a bzImage holding one (dom0_kernel.c unpacks it, and the kernel's pages
 * stay in the frames it was unpacked into); its command line is the
 * module's string after the file name. The second module, if any, is its
 * initrd. We give the domain `dom0_mem` of frames and lay out its
 * boot region from VIRT_BASE (guest pfn 0) upwards, as a PV kernel expects
 * (docs/linux-pv-abi.md §1.5):
 *
 *   kernel image | initrd | p2m list | start_info | page tables | stack | padding
 *
 * all in one 1 GiB window, mapped with 4 KiB pages, read-write except the
 * page-table frames, which are read-only. Pfn i of the region is at
 * VIRT_BASE + i * 4096. Every check happens before anything is allocated, so
 * a bad kernel or option leaves the machine as it was, with a message that
 * names the problem.
 */
#include <arch.h>
#include <cmdline.h>
#include <console.h>
#include <domain.h>
#include <elf_image.h>
#include <page.h>
#include <sched.h>
#include <asm/desc.h>
#include <asm/page.h>
#include <asm/percpu.h>
#include <asm/pv.h>
#include <asm/x86.h>
#include <public/elfnote.h>
#include <public/errno.h>
#include <public/features.h>
#include "dom0_kernel.h"

extern uint64_t boot_l4[512];

#define REGION_ALIGN   MiB(4)
#define REGION_PAD     KiB(512)
#define GUEST_PTE      (PTE_P | PTE_W | PTE_U | PTE_A | PTE_D)
#define GUEST_PT_PTE   (PTE_P | PTE_U | PTE_A)            /* page tables: read-only */
#define GUEST_TABLE    (PTE_P | PTE_W | PTE_U | PTE_A)

/* What this hypervisor offers (XENFEAT_* submap 0) to a kernel's FEATURES. */
#define DOM0_FEATURES ((1u << XENFEAT_writable_page_tables) | (1u << XENFEAT_pae_pgdir_above_4gb) | \
		       (1u << XENFEAT_mmu_pt_update_preserve_ad) | (1u << XENFEAT_gnttab_map_avail_bits) | \
		       (1u << XENFEAT_dom0) | (1u << XENFEAT_highmem_assist) | \
		       (1u << XENFEAT_linux_rsdp_unrestricted))

struct layout {
	uint64_t virt_base;
	uint64_t kern_start, kern_end;
	uint64_t initrd_start, initrd_len;
	uint64_t p2m_start, p2m_len;
	uint64_t start_info;
	uint64_t pt_start;
	unsigned nr_pt;                  /* L4, L3, L2, then L1s */
	uint64_t stack;
	uint64_t end;
	uint64_t nr_pages;               /* the domain's memory */
};

static uint64_t pfn_of(const struct layout *l, uint64_t va)
{
	return (va - l->virt_base) >> FRAME_SHIFT;
}

/*
 * How much memory Dom0 gets: dom0_mem, else all but a reserve, as Xen does
 * (with test domains, a small default so that they fit beside it).
 */
static bool choose_memory(uint64_t *pages, char *why, size_t n)
{
	uint64_t free = machine_frames.nr_free;
	uint64_t reserve = MIN(free / 16, MiB(128) >> FRAME_SHIFT) + (MiB(4) >> FRAME_SHIFT);
	uint64_t want;

	if (free <= reserve) {
		hv_snprintf(why, n, "only %lu MiB of memory are free", free >> 8);
		return false;
	}
	if (!hv_opts.dom0_mem && hv_opts.test_domains)
		want = hv_opts.test_domain_mem >> FRAME_SHIFT;
	else if (!hv_opts.dom0_mem)
		want = free - reserve;
	else if (hv_opts.dom0_mem_negative)
		want = (hv_opts.dom0_mem >> FRAME_SHIFT) < free ? free - (hv_opts.dom0_mem >> FRAME_SHIFT) : 0;
	else
		want = hv_opts.dom0_mem >> FRAME_SHIFT;
	if (hv_opts.dom0_mem_min)
		want = MAX(want, hv_opts.dom0_mem_min >> FRAME_SHIFT);
	if (hv_opts.dom0_mem_max)
		want = MIN(want, hv_opts.dom0_mem_max >> FRAME_SHIFT);
	if (!want || want > free - (MiB(4) >> FRAME_SHIFT)) {
		hv_snprintf(why, n, "dom0_mem asks for %lu MiB but only %lu MiB are free",
			    want >> 8, (free >> 8) - 4);
		return false;
	}
	*pages = want;
	return true;
}

/*
 * How far the initial domain may balloon up: all the memory still free once
 * it is built, unless dom0_mem=max: says less (Xen's rule). Linux sizes its
 * balloon space from this, as on Xen.
 */
static uint64_t dom0_max_pages(uint64_t nr_pages)
{
	if (hv_opts.dom0_mem_max)
		return MAX(nr_pages, hv_opts.dom0_mem_max >> FRAME_SHIFT);
	return nr_pages + machine_frames.nr_free;
}

/* Lay out the boot region; false (with why) when it cannot fit. */
static bool plan_layout(const struct elf_image *img, uint64_t initrd_len, struct layout *l,
			char *why, size_t n)
{
	l->virt_base = img->virt_base;
	l->kern_start = img->virt_start;
	l->kern_end = img->virt_end;
	if (l->kern_start < l->virt_base || (l->virt_base & (GiB(1) - 1))) {
		hv_snprintf(why, n, "kernel at %#lx is below its VIRT_BASE %#lx or VIRT_BASE is not 1 GiB aligned",
			    l->kern_start, l->virt_base);
		return false;
	}
	l->initrd_start = ALIGN_UP(l->kern_end, FRAME_SIZE);
	l->initrd_len = initrd_len;
	l->p2m_start = l->initrd_start + ALIGN_UP(initrd_len, FRAME_SIZE);
	l->p2m_len = ALIGN_UP(l->nr_pages * 8, FRAME_SIZE);
	l->start_info = l->p2m_start + l->p2m_len;
	l->pt_start = l->start_info + FRAME_SIZE;
	/* the tables map the region that contains them: iterate to a fixed point */
	l->nr_pt = 4;
	for (;;) {
		l->stack = l->pt_start + (uint64_t)l->nr_pt * FRAME_SIZE;
		l->end = ALIGN_UP(l->stack + FRAME_SIZE + REGION_PAD, REGION_ALIGN);
		uint64_t span = l->end - l->virt_base;
		unsigned need = 3 + (unsigned)((span + MiB(2) - 1) / MiB(2));
		if (need <= l->nr_pt)
			break;
		l->nr_pt = need;
	}
	if (l->end - l->virt_base > GiB(1)) {
		hv_snprintf(why, n, "kernel, initrd and boot tables need %lu MiB from VIRT_BASE; a PV kernel's boot region must fit in 1 GiB",
			    (l->end - l->virt_base) >> 20);
		return false;
	}
	if (pfn_of(l, l->end) > l->nr_pages) {
		hv_snprintf(why, n, "dom0_mem (%lu MiB) is smaller than the kernel, initrd and boot tables (%lu MiB)",
			    l->nr_pages >> 8, (l->end - l->virt_base) >> 20);
		return false;
	}
	return true;
}

/* The guest's frame behind a VA of the boot region, in our direct map. */
static uint8_t *region_ptr(const struct layout *l, const mfn_t *p2m, uint64_t va)
{
	return phys_to_virt((p2m[pfn_of(l, va)] << FRAME_SHIFT) + (va & (FRAME_SIZE - 1)));
}

static void write_region(const struct layout *l, const mfn_t *p2m, uint64_t va, const void *src,
			 uint64_t len)
{
	const uint8_t *s = src;

	while (len) {
		uint64_t chunk = MIN(len, FRAME_SIZE - (va & (FRAME_SIZE - 1)));
		memcpy(region_ptr(l, p2m, va), s, chunk);
		va += chunk;
		s += chunk;
		len -= chunk;
	}
}

/*
 * The frame of an unpacked bzImage that already holds the whole page at
 * pfn: a page inside one segment's file bytes, at a page-aligned offset in
 * the file (Linux's vmlinux is laid out so). The domain takes it over
 * instead of a new frame, so its bytes need no copy; INVALID_MFN otherwise.
 */
static mfn_t frame_in_place(const struct elf_image *img, const struct layout *l,
			    struct dom0_kernel *k, uint64_t pfn)
{
	uint64_t va = l->virt_base + (pfn << FRAME_SHIFT);

	if (va < l->kern_start || va >= l->kern_end)
		return INVALID_MFN;
	for (unsigned i = 0; i < img->nr_segments; i++) {
		const struct elf_segment *s = &img->segments[i];
		if (va >= s->vaddr && va - s->vaddr <= s->filesz && s->filesz - (va - s->vaddr) >= FRAME_SIZE)
			return dom0_kernel_take(k, s->file_offset + (va - s->vaddr));
	}
	return INVALID_MFN;
}

static void load_kernel(const struct elf_image *img, const struct layout *l, const mfn_t *p2m)
{
	for (unsigned i = 0; i < img->nr_segments; i++) {
		const struct elf_segment *s = &img->segments[i];
		uint64_t chunk;
		for (uint64_t off = 0; off < s->memsz; off += chunk) {
			uint64_t va = s->vaddr + off;
			uint8_t *dst = region_ptr(l, p2m, va);
			chunk = MIN(s->memsz - off, FRAME_SIZE - (va & (FRAME_SIZE - 1)));
			/* a frame taken over by frame_in_place holds these bytes already */
			if (dst != img->data + s->file_offset + off)
				elf_image_read(img, i, off, dst, (size_t)chunk);
		}
	}
}

/* L4, L3, L2, L1s in that order (Linux frees the first three after boot). */
static mfn_t build_page_tables(const struct layout *l, const mfn_t *p2m)
{
	uint64_t pt_pfn = pfn_of(l, l->pt_start);
	uint64_t *l4 = phys_to_virt(p2m[pt_pfn] << FRAME_SHIFT);
	uint64_t *l3 = phys_to_virt(p2m[pt_pfn + 1] << FRAME_SHIFT);
	uint64_t *l2 = phys_to_virt(p2m[pt_pfn + 2] << FRAME_SHIFT);
	uint64_t region_pages = pfn_of(l, l->end);

	memset(l4, 0, FRAME_SIZE);
	memset(l3, 0, FRAME_SIZE);
	memset(l2, 0, FRAME_SIZE);
	for (unsigned s = HV_L4_SLOT_FIRST; s <= HV_L4_SLOT_LAST; s++)
		l4[s] = boot_l4[s];
	l4[PT_INDEX(l->virt_base, L4_SHIFT)] = (p2m[pt_pfn + 1] << FRAME_SHIFT) | GUEST_TABLE;
	l3[PT_INDEX(l->virt_base, L3_SHIFT)] = (p2m[pt_pfn + 2] << FRAME_SHIFT) | GUEST_TABLE;
	for (uint64_t pfn = 0; pfn < region_pages; pfn++) {
		uint64_t va = l->virt_base + (pfn << FRAME_SHIFT);
		unsigned l1_index = 3 + (unsigned)(pfn / 512);
		uint64_t *l1 = phys_to_virt(p2m[pt_pfn + l1_index] << FRAME_SHIFT);
		if (pfn % 512 == 0) {
			memset(l1, 0, FRAME_SIZE);
			l2[PT_INDEX(va, L2_SHIFT)] = (p2m[pt_pfn + l1_index] << FRAME_SHIFT) | GUEST_TABLE;
		}
		bool is_pt = pfn >= pt_pfn && pfn < pt_pfn + l->nr_pt;
		l1[pfn % 512] = (p2m[pfn] << FRAME_SHIFT) | (is_pt ? GUEST_PT_PTE : GUEST_PTE);
	}
	return p2m[pt_pfn];
}

static void fill_start_info(struct domain *d, const struct layout *l, const mfn_t *p2m,
			    const char *cmdline)
{
	struct start_info si;

	memset(&si, 0, sizeof(si));
	memset(region_ptr(l, p2m, l->start_info), 0, FRAME_SIZE);
	strlcpy(si.magic, XEN_START_MAGIC, sizeof(si.magic));
	si.nr_pages = l->nr_pages;
	si.shared_info = d->shared_info_mfn << FRAME_SHIFT;
	si.flags = d->is_privileged ? SIF_INITDOMAIN | SIF_PRIVILEGED : 0;
	si.pt_base = l->pt_start;
	si.nr_pt_frames = l->nr_pt;
	si.mfn_list = l->p2m_start;
	si.mod_start = l->initrd_len ? l->initrd_start : 0;
	si.mod_len = l->initrd_len;
	strlcpy((char *)si.cmd_line, cmdline, sizeof(si.cmd_line));
	write_region(l, p2m, l->start_info, &si, sizeof(si));
}

/* What to build: one domain from a kernel module and an optional initrd. */
struct build_spec {
	domid_t id;
	bool privileged;
	const struct boot_module *kernel;
	const struct boot_module *initrd;
	unsigned vcpus;
	unsigned weight;              /* 0: the scheduler's default */
	unsigned cap;                 /* % of one CPU; 0: no cap */
};

static bool fail(const struct build_spec *s, const char *kernel, const char *why)
{
	printk("dom%u kernel %s: %s\n", s->id, kernel, why);
	return false;
}

/* Build the domain from the opened kernel k; false (after saying why) on failure. */
static bool build_from_kernel(const struct build_spec *s, struct dom0_kernel *k, const char *kernel,
			      const char *cmdline, uint64_t t0)
{
	const struct boot_module *initrd = s->initrd;
	char why[160];
	struct elf_image img;
	struct layout l;

	if (elf_image_parse(k->elf, k->size, &img, why, sizeof(why)))
		return fail(s, kernel, why);
	if (!elf_image_requires_only(&img, DOM0_FEATURES, why, sizeof(why)))
		return fail(s, kernel, why);
	if (s->privileged && !elf_image_dom0_capable(&img))
		return fail(s, kernel, "the kernel does not support running as the initial domain (no 'dom0' in its Xen features)");
	memset(&l, 0, sizeof(l));
	if (s->id == 0) {
		if (!choose_memory(&l.nr_pages, why, sizeof(why)))
			return fail(s, kernel, why);
	} else {
		l.nr_pages = hv_opts.test_domain_mem >> FRAME_SHIFT;
		if (l.nr_pages + (MiB(4) >> FRAME_SHIFT) > machine_frames.nr_free)
			return fail(s, kernel, "not enough free memory for test_domain_mem");
	}
	if (!plan_layout(&img, initrd ? initrd->size : 0, &l, why, sizeof(why)))
		return fail(s, kernel, why);
	if (img.hypercall_page && (img.hypercall_page < l.kern_start || img.hypercall_page >= l.kern_end))
		return fail(s, kernel, "its hypercall page is outside the kernel image");

	/* Every check passed: allocate and build. */
	struct domain *d = domain_create(s->id, s->vcpus, s->privileged);
	mfn_t *p2m = d ? xzalloc_bytes(l.nr_pages * sizeof(mfn_t)) : NULL;
	if (!p2m)
		return fail(s, kernel, "out of hypervisor memory creating the domain");
	/*
	 * The initial domain's frames are not cleared, as Xen 4.17 does not
	 * clear them (it scrubs free memory only in idle time after boot): it
	 * may read any memory anyway (DMA from its devices, every domain's
	 * frames), and clearing 512 MiB was nine tenths of the build's wall
	 * clock under QEMU (docs/benchmarks.md). What it reads at boot is written below: kernel segments
	 * (bss as zeros), initrd, p2m, start_info page, page tables. Test
	 * domains are unprivileged: theirs are cleared as populate_physmap
	 * clears a DomU's (free memory holds firmware's leftovers, a previous
	 * boot's guests' data after a warm reboot, the decoder's work area).
	 */
	for (uint64_t pfn = 0; pfn < l.nr_pages; pfn++) {
		mfn_t mfn = frame_in_place(&img, &l, k, pfn);
		if (mfn == INVALID_MFN) {
			mfn = alloc_frames(0);
			if (mfn == INVALID_MFN)
				return fail(s, kernel, "out of memory allocating the domain's frames");
			if (!s->privileged)
				page_clear_unless_zeroed(mfn, 1);
		}
		frame_table[mfn].owner = d->domain_id;
		frame_changes++;   /* the frame audit's (domain.h); no audit runs before Dom0 */
		p2m[pfn] = mfn;
		m2p_set(mfn, pfn);
	}
	d->tot_pages = d->phys_pages = l.nr_pages;
	d->weight = s->weight;
	d->cap = s->cap;
	d->is_console = !s->privileged;   /* test domains may print on our console */
	d->arch->p2m = p2m;
	d->arch->nr_p2m = l.nr_pages;
	d->arch->hypercall_page_va = img.hypercall_page;

	load_kernel(&img, &l, p2m);
	/* what the domain did not take of the unpacked image (if any): back to the allocator */
	uint64_t unpacked_frames = dom0_kernel_frames(k), in_place = k->nr_taken;
	dom0_kernel_close(k);
	/* after that, so that Dom0 may balloon into the frames it held */
	d->max_pages = s->privileged ? dom0_max_pages(l.nr_pages) : l.nr_pages;
	if (initrd)
		write_region(&l, p2m, l.initrd_start, phys_to_virt(initrd->start), initrd->size);
	write_region(&l, p2m, l.p2m_start, p2m, l.nr_pages * sizeof(mfn_t));
	for (uint64_t i = l.nr_pages; i < l.p2m_len / 8; i++) {
		uint64_t invalid = ~0ULL;
		write_region(&l, p2m, l.p2m_start + i * 8, &invalid, 8);
	}
	fill_start_info(d, &l, p2m, cmdline);
	if (img.hypercall_page)
		pv_fill_hypercall_page(region_ptr(&l, p2m, img.hypercall_page));

	struct vcpu *v = d->vcpus[0];
	struct arch_vcpu *a = av(v);
	a->kernel_l4 = build_page_tables(&l, p2m);
	if (pv_pin_boot_tables(d, a->kernel_l4))
		return fail(s, kernel, "the boot page tables did not validate (a hypervisor bug)");
	a->regs.rip = img.entry;
	a->regs.rsp = l.stack + FRAME_SIZE;
	a->regs.rsi = l.start_info;
	a->regs.cs = SEL_RING3_CS64;
	a->regs.ss = SEL_RING3_DS;
	a->regs.rflags = 1u << 9;
	pv_update_vcpu_time(v);

	if (k->method)
		printk("Dom%u: kernel %s is a bzImage: %lu KiB of %s unpacked to %lu KiB in %lu ms (%lu KiB used in place, %lu KiB freed)\n",
		       s->id, kernel, k->packed >> 10, k->method, (uint64_t)k->size >> 10, k->ms,
		       in_place << (FRAME_SHIFT - 10), unpacked_frames << (FRAME_SHIFT - 10));
	printk("Dom%u: kernel %s (%s), entry %#lx, %lu MiB, %u vCPU%s\n", s->id, kernel, img.guest_os,
	       img.entry, l.nr_pages >> 8, s->vcpus, s->vcpus > 1 ? "s" : "");
	printk("Dom%u: boot region %#lx-%#lx: kernel %#lx-%#lx, initrd %lu KiB, p2m %#lx, start_info %#lx, %u page-table frames at %#lx\n",
	       s->id, l.virt_base, l.end, l.kern_start, l.kern_end, l.initrd_len >> 10, l.p2m_start,
	       l.start_info, l.nr_pt, l.pt_start);
	printk("Dom%u: command line '%s'%s; built in %lu ms\n", s->id, cmdline,
	       img.hypercall_page ? ", hypercall page filled" : "", (arch_now_ns() - t0) / 1000000);

	d->state = DOMAIN_RUNNING;
	sched_start_vcpu(v);
	return true;
}

/* Build the domain and put its first vCPU on the scheduler; false (after saying why) on failure. */
static bool build_pv_domain(const struct build_spec *s)
{
	const struct boot_module *kmod = s->kernel;
	char kernel[128], cmdline[BOOT_CMDLINE_MAX], why[160];
	struct dom0_kernel k;
	size_t namelen = strnlen(kmod->cmdline, sizeof(kernel) - 1);
	uint64_t t0 = arch_now_ns();
	bool ok;

	/* the module string is "file args": name the file in messages, pass the args */
	for (size_t i = 0; i < namelen; i++)
		if (kmod->cmdline[i] == ' ') {
			namelen = i;
			break;
		}
	memcpy(kernel, kmod->cmdline, namelen);
	kernel[namelen] = '\0';
	if (!namelen)
		hv_snprintf(kernel, sizeof(kernel), "(module for d%u)", s->id);
	strlcpy(cmdline, kmod->cmdline, sizeof(cmdline));
	boot_cmdline_strip_image(cmdline);

	if (!dom0_kernel_open(kmod, &k, why, sizeof(why)))
		return fail(s, kernel, why);
	ok = build_from_kernel(s, &k, kernel, cmdline, t0);
	dom0_kernel_close(&k);    /* on failure: build_from_kernel kept it */
	return ok;
}

/*
 * Dom0 from the first module (the second is its initrd). With the test-only
 * option `test_domains`, every further module is instead another,
 * unprivileged, domain with its own kernel: how scheduling and cross-domain
 * tests run before the toolstack can create domains (issue #9).
 */
void arch_start_initial_domain(struct boot_info *bi)
{
	struct build_spec s = {
		.id = 0,
		.privileged = true,
		.kernel = &bi->modules[0],
		.initrd = !hv_opts.test_domains && bi->nr_modules > 1 ? &bi->modules[1] : NULL,
		.vcpus = MIN(hv_opts.dom0_vcpus_max, XEN_LEGACY_MAX_VCPUS),
		.weight = hv_opts.test_weights[0],
		.cap = hv_opts.test_caps[0],
	};

	if (hv_opts.dom0_vcpus_max > XEN_LEGACY_MAX_VCPUS)
		log_warn("dom0_max_vcpus=%u: at most %u vCPUs for now\n", hv_opts.dom0_vcpus_max,
			 XEN_LEGACY_MAX_VCPUS);
	if (!build_pv_domain(&s))
		return;
	for (unsigned i = 1; hv_opts.test_domains && i < bi->nr_modules; i++) {
		struct build_spec t = {
			.id = (domid_t)i,
			.kernel = &bi->modules[i],
			.vcpus = 1,
			.weight = i < ARRAY_SIZE(hv_opts.test_weights) ? hv_opts.test_weights[i] : 0,
			.cap = i < ARRAY_SIZE(hv_opts.test_caps) ? hv_opts.test_caps[i] : 0,
		};
		if (!build_pv_domain(&t))
			return;
	}
	sched_start();
}
