/*
 * pv_build.c - pv_build(): the files are read and the region laid out
 * first, so a bad image costs the domain nothing; then, in order: the
 * memory (populate_physmap, which for a PV domain also sets each frame's
 * M2P entry), one foreign mapping of the region through which everything
 * is written, the L4 pinned (after that mapping is gone: the hypervisor
 * will not validate a page table that we still map writable), shared_info's
 * event masks, the two reserved grant entries, and vCPU 0.
 */
#define XC_WANT_COMPAT_MAP_FOREIGN_API
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <xenforeignmemory.h>
#include "pv_build_private.h"

/* Extents per populate_physmap call: the hypervisor works through a
 * batch without preemption, so keep each short. */
#define POPULATE_BATCH 4096ul

struct build {
	xc_interface *xch;
	uint32_t domid;
	const struct pv_build_args *args;
	struct pv_image im;
	struct pv_layout l;
	uint64_t *p2m;
	uint64_t shared_info_mfn;
	unsigned max_vcpu_id;
	char *err;
	size_t errlen;
};

/* Fill err as "dom<N>: <what>: <strerror>" and return -errno. */
static int fail(struct build *b, int e, const char *fmt, ...)
{
	char what[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(b->err, b->errlen, "dom%u: %s: %s", b->domid, what, strerror(e));
	return -e;
}

static int check_args(const struct pv_build_args *a, char *err, size_t errlen)
{
	if (!a->kernel) {
		snprintf(err, errlen, "no kernel given");
		return -EINVAL;
	}
	if (a->cmdline && strlen(a->cmdline) >= MAX_GUEST_CMDLINE) {
		snprintf(err, errlen, "command line of %zu bytes: a PV guest takes at most %u",
			 strlen(a->cmdline), MAX_GUEST_CMDLINE - 1);
		return -E2BIG;
	}
	if (a->mem_kb < 4 || a->mem_kb / 4 > UINT32_MAX) {
		snprintf(err, errlen, "memory of %llu KiB is not a size a PV guest can have",
			 (unsigned long long)a->mem_kb);
		return -EINVAL;
	}
	return 0;
}

static int domain_info(struct build *b)
{
	xc_dominfo_t info;

	if (xc_domain_getinfo(b->xch, b->domid, 1, &info) != 1 || info.domid != b->domid)
		return fail(b, ESRCH, "no such domain");
	if (info.hvm)
		return fail(b, EINVAL, "not a PV domain");
	if (info.nr_pages)
		return fail(b, EEXIST, "already has %lu pages: build into an empty domain",
			    info.nr_pages);
	b->shared_info_mfn = info.shared_info_frame;
	b->max_vcpu_id = info.max_vcpu_id;
	return 0;
}

static int populate(struct build *b)
{
	uint64_t n = b->l.nr_pages;

	b->p2m = malloc(n * sizeof(*b->p2m));
	if (!b->p2m)
		return fail(b, ENOMEM, "p2m list of %llu pages", (unsigned long long)n);
	for (uint64_t pfn = 0; pfn < n; pfn++)
		b->p2m[pfn] = pfn;
	for (uint64_t pfn = 0; pfn < n; pfn += POPULATE_BATCH) {
		unsigned long nr = (unsigned long)(n - pfn < POPULATE_BATCH ? n - pfn : POPULATE_BATCH);

		if (xc_domain_populate_physmap_exact(b->xch, b->domid, nr, 0, 0, b->p2m + pfn))
			return fail(b, errno, "cannot allocate %llu MiB (at pfn 0x%llx)",
				    (unsigned long long)(n >> 8), (unsigned long long)pfn);
	}
	return 0;
}

/* Write the kernel's segments into the region (mapped from pfn `first`). */
static int load_kernel(struct build *b, uint8_t *map, uint64_t first)
{
	const struct elf_image *img = &b->im.img;

	for (unsigned s = 0; s < img->nr_segments; s++) {
		const struct elf_segment *seg = &img->segments[s];
		uint64_t off = seg->vaddr - b->l.virt_base - (first << PV_PAGE_SHIFT);

		if (elf_image_read(img, s, 0, map + off, seg->memsz))
			return fail(b, EINVAL, "%s: segment %u does not read back", b->args->kernel, s);
	}
	return 0;
}

static uint8_t *page_at(uint8_t *map, uint64_t first, uint64_t pfn)
{
	return map + ((pfn - first) << PV_PAGE_SHIFT);
}

/* Everything that goes into the region, through one foreign mapping. */
static int write_region(struct build *b)
{
	const struct pv_layout *l = &b->l;
	/* the kernel's first page to the stack, or to the INIT_P2M tables */
	uint64_t first = l->kernel_pfn, last = l->p2m_nr_pt ? l->end_pfn - 1 : l->stack_pfn;
	size_t len = (size_t)(last + 1 - first) << PV_PAGE_SHIFT;
	uint8_t *map;
	int rc;

	map = xc_map_foreign_pages(b->xch, b->domid, PROT_READ | PROT_WRITE,
				   b->p2m + first, (int)(last + 1 - first));
	if (!map)
		return fail(b, errno, "cannot map the %zu KiB boot region", len >> 10);
	rc = load_kernel(b, map, first);
	if (rc == 0) {
		uint8_t *p2m_list = page_at(map, first, l->p2m_pfn);

		/* Below the kernel image nothing is written: the pages are
		 * mapped for the guest but their contents are its own. */
		if (l->ramdisk_len) {
			uint8_t *rd = page_at(map, first, l->ramdisk_pfn);

			memcpy(rd, b->im.ramdisk, l->ramdisk_len);
			memset(rd + l->ramdisk_len, 0, (size_t)(-l->ramdisk_len & (PV_PAGE_SIZE - 1)));
		}
		memset(p2m_list, 0xff, (size_t)l->p2m_pages << PV_PAGE_SHIFT);
		memcpy(p2m_list, b->p2m, l->nr_pages * sizeof(uint64_t));
		pv_start_info_fill((struct start_info *)page_at(map, first, l->start_info_pfn),
				   l, b->p2m, b->args, b->shared_info_mfn);
		memset(page_at(map, first, l->store_pfn), 0, PV_PAGE_SIZE);
		memset(page_at(map, first, l->console_pfn), 0, PV_PAGE_SIZE);
		pv_pgtables_write(l, b->p2m, (uint64_t *)page_at(map, first, l->pt_pfn),
				  l->p2m_nr_pt ? (uint64_t *)page_at(map, first, l->p2m_pt_pfn) : NULL);
		memset(page_at(map, first, l->stack_pfn), 0, PV_PAGE_SIZE);
		if (b->im.img.hypercall_page)
			pv_hypercall_page_fill(map + (b->im.img.hypercall_page - l->virt_base -
						      (first << PV_PAGE_SHIFT)));
	}
	munmap(map, len);
	return rc;
}

static int pin_l4(struct build *b)
{
	struct mmuext_op op = { .cmd = MMUEXT_PIN_L4_TABLE };

	op.arg1.mfn = b->p2m[b->l.pt_pfn];
	if (xc_mmuext_op(b->xch, &op, 1, b->domid))
		return fail(b, errno, "the boot page tables (L4 mfn %#llx) were refused",
			    (unsigned long long)op.arg1.mfn);
	return 0;
}

/* Events stay masked on every vCPU until the guest unmasks them. */
static int mask_events(struct build *b)
{
	struct shared_info *si;

	si = xc_map_foreign_range(b->xch, b->domid, XC_PAGE_SIZE, PROT_READ | PROT_WRITE,
				  b->shared_info_mfn);
	if (!si)
		return fail(b, errno, "cannot map shared_info (mfn %#llx)",
			    (unsigned long long)b->shared_info_mfn);
	for (unsigned v = 0; v <= b->max_vcpu_id && v < XEN_LEGACY_MAX_VCPUS; v++)
		si->vcpu_info[v].evtchn_upcall_mask = 1;
	munmap(si, XC_PAGE_SIZE);
	return 0;
}

static void grant(struct grant_entry_v1 *e, uint32_t domid, uint64_t frame)
{
	e->domid = (domid_t)domid;
	e->frame = (uint32_t)frame;
	__atomic_store_n(&e->flags, GTF_permit_access, __ATOMIC_RELEASE);
}

/* GNTTAB_RESERVED_CONSOLE and _XENSTORE: the backends may map the rings. */
static int seed_grants(struct build *b)
{
	xenforeignmemory_handle *fmem = xenforeignmemory_open(NULL, 0);
	xenforeignmemory_resource_handle *res;
	struct grant_entry_v1 *gt = NULL;
	int rc;

	if (!fmem)
		return fail(b, errno, "cannot open the foreign memory device");
	res = xenforeignmemory_map_resource(fmem, (domid_t)b->domid, XENMEM_resource_grant_table,
					    XENMEM_resource_grant_table_id_shared, 0, 1,
					    (void **)&gt, PROT_READ | PROT_WRITE, 0);
	if (!res) {
		rc = fail(b, errno, "cannot map grant table frame 0");
		xenforeignmemory_close(fmem);
		return rc;
	}
	grant(&gt[GNTTAB_RESERVED_CONSOLE], b->args->console_domid, b->p2m[b->l.console_pfn]);
	grant(&gt[GNTTAB_RESERVED_XENSTORE], b->args->store_domid, b->p2m[b->l.store_pfn]);
	xenforeignmemory_unmap_resource(fmem, res);
	xenforeignmemory_close(fmem);
	return 0;
}

static int set_vcpu0(struct build *b)
{
	vcpu_guest_context_any_t *ctx = malloc(sizeof(*ctx));
	int rc = 0;

	if (!ctx)
		return fail(b, ENOMEM, "vCPU context");
	pv_vcpu_context_fill(&ctx->c, &b->l, &b->im.img, b->p2m);
	if (xc_vcpu_setcontext(b->xch, b->domid, 0, ctx))
		rc = fail(b, errno, "vCPU 0's context was refused");
	free(ctx);
	return rc;
}

static void fill_result(const struct build *b, struct pv_build_result *res)
{
	memset(res, 0, sizeof(*res));
	res->console_gfn = b->l.console_pfn;
	res->store_gfn = b->l.store_pfn;
	res->console_mfn = b->p2m[b->l.console_pfn];
	res->store_mfn = b->p2m[b->l.store_pfn];
	res->virt_base = b->l.virt_base;
	res->virt_entry = b->im.img.entry;
}

int pv_build(xc_interface *xch, uint32_t domid, const struct pv_build_args *args,
	     struct pv_build_result *res, char *err, size_t errlen)
{
	struct build b = { .xch = xch, .domid = domid, .args = args, .err = err,
			   .errlen = errlen };
	int rc;

	if (errlen)
		err[0] = '\0';
	rc = check_args(args, err, errlen);
	if (rc == 0)
		rc = pv_image_load(&b.im, args, err, errlen);
	if (rc == 0) {
		char why[160];

		rc = pv_layout_compute(&b.l, &b.im.img, b.im.ramdisk_len, args->mem_kb / 4,
				       why, sizeof(why));
		if (rc)
			snprintf(err, errlen, "%s: %s", args->kernel, why);
	}
	if (rc == 0)
		rc = domain_info(&b);
	if (rc == 0)
		rc = populate(&b);
	if (rc == 0)
		rc = write_region(&b);
	if (rc == 0)
		rc = pin_l4(&b);
	if (rc == 0)
		rc = mask_events(&b);
	if (rc == 0)
		rc = seed_grants(&b);
	if (rc == 0)
		rc = set_vcpu0(&b);
	if (rc == 0 && res)
		fill_result(&b, res);
	pv_image_free(&b.im);
	free(b.p2m);
	if (rc) {
		errno = -rc;
		return -1;
	}
	return 0;
}
