/*
 * pv_build_test.c - the PV builder (dom0-tools/libs/guest/pv_*.c) against
 * a fake libxenctrl defined here: "machine memory" is a memfd, the fake
 * hands out machine frames in reverse pfn order (so a pfn used where an
 * mfn belongs shows), and foreign mappings are real mmaps of the memfd,
 * so the builder's own munmap works. After a build the test reads the
 * guest's memory as the guest would: start_info, the p2m list, the page
 * tables (walked from CR3), the kernel and initrd bytes, the grant entries,
 * vCPU 0's registers. Bad inputs must give one message naming the file and
 * make no call at all to the fake hypervisor.
 */
#define _GNU_SOURCE
#define XC_WANT_COMPAT_MAP_FOREIGN_API
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "pv_build.h"
#include "pv_build_private.h"
#include "xenforeignmemory.h"
#include <public/elfnote.h>

#define DOMID       7
#define VIRT_BASE   0xffffffff80000000ull
#define ENTRY       (VIRT_BASE + 0x200010)
#define HCALL_VA    (VIRT_BASE + 0x201000)
#define MFN_BASE    0x40000ull
#define MAX_PAGES   8192ull                  /* 32 MiB of fake machine */
#define SI_MFN      (MFN_BASE + MAX_PAGES)    /* shared_info */
#define GT_MFN      (MFN_BASE + MAX_PAGES + 1) /* grant frame 0 */
#define FAKE_FRAMES (MAX_PAGES + 2)

/* ---- the fake libxenctrl ------------------------------------------------ */

static struct {
	int fd;                 /* machine memory */
	unsigned long populated;
	unsigned calls;         /* any call that reaches the "hypervisor" */
	int fail_populate, fail_pin;
	struct mmuext_op pin;
	unsigned pins;
	uint32_t pin_dom;
	vcpu_guest_context_any_t ctx;
	unsigned setcontexts;
	unsigned max_vcpu_id;
} fx;

static xc_interface *const XCH = (xc_interface *)&fx;

static uint64_t fake_mfn(uint64_t pfn)
{
	return MFN_BASE + MAX_PAGES - 1 - pfn;
}

/* A view of one machine frame (for the checks; unmapped by the caller). */
static void *frame(uint64_t mfn)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fx.fd,
		       (off_t)((mfn - MFN_BASE) << 12));

	assert_true(mfn >= MFN_BASE && mfn < MFN_BASE + FAKE_FRAMES);
	assert_true(p != MAP_FAILED);
	return p;
}

int xc_domain_getinfo(xc_interface *xch, uint32_t first, unsigned int max, xc_dominfo_t *info)
{
	fx.calls++;
	assert_ptr_equal(xch, XCH);
	memset(info, 0, sizeof(*info));
	info->domid = DOMID;
	info->nr_pages = fx.populated;
	info->shared_info_frame = SI_MFN;
	info->max_vcpu_id = fx.max_vcpu_id;
	info->paused = 1;
	return first == DOMID ? 1 : -1;
}

int xc_domain_populate_physmap_exact(xc_interface *xch, uint32_t domid, unsigned long nr,
				     unsigned int order, unsigned int flags, xen_pfn_t *ext)
{
	fx.calls++;
	assert_int_equal(domid, DOMID);
	assert_int_equal(order, 0);
	if (fx.fail_populate && fx.populated + nr > (unsigned long)fx.fail_populate) {
		errno = EBUSY;
		return -1;
	}
	for (unsigned long i = 0; i < nr; i++) {
		assert_true(ext[i] < MAX_PAGES);
		ext[i] = fake_mfn(ext[i]);
	}
	fx.populated += nr;
	return 0;
}

void *xc_map_foreign_pages(xc_interface *xch, uint32_t dom, int prot, const xen_pfn_t *arr, int num)
{
	uint8_t *base;

	fx.calls++;
	assert_int_equal(dom, DOMID);
	base = mmap(NULL, (size_t)num << 12, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(base != MAP_FAILED);
	for (int i = 0; i < num; i++) {
		assert_true(arr[i] >= MFN_BASE && arr[i] < MFN_BASE + FAKE_FRAMES);
		assert_true(mmap(base + ((size_t)i << 12), 4096, prot, MAP_SHARED | MAP_FIXED, fx.fd,
				 (off_t)((arr[i] - MFN_BASE) << 12)) != MAP_FAILED);
	}
	return base;
}

void *xc_map_foreign_range(xc_interface *xch, uint32_t dom, int size, int prot, unsigned long mfn)
{
	xen_pfn_t m = mfn;

	assert_int_equal(size, 4096);
	return xc_map_foreign_pages(xch, dom, prot, &m, 1);
}

int xc_mmuext_op(xc_interface *xch, struct mmuext_op *op, unsigned int nr, uint32_t dom)
{
	fx.calls++;
	assert_int_equal(nr, 1);
	if (fx.fail_pin) {
		errno = EINVAL;
		return -1;
	}
	fx.pin = op[0];
	fx.pin_dom = dom;
	fx.pins++;
	return 0;
}

int xc_vcpu_setcontext(xc_interface *xch, uint32_t domid, uint32_t vcpu,
		       vcpu_guest_context_any_t *ctxt)
{
	fx.calls++;
	assert_int_equal(domid, DOMID);
	assert_int_equal(vcpu, 0);
	fx.ctx = *ctxt;
	fx.setcontexts++;
	return 0;
}

struct xenforeignmemory_handle { int dummy; };
struct xenforeignmemory_resource_handle { void *addr; };
static struct xenforeignmemory_handle fmem_handle;
static struct xenforeignmemory_resource_handle res_handle;

xenforeignmemory_handle *xenforeignmemory_open(struct xentoollog_logger *l, unsigned f)
{
	fx.calls++;
	return &fmem_handle;
}

int xenforeignmemory_close(xenforeignmemory_handle *fmem)
{
	return 0;
}

xenforeignmemory_resource_handle *xenforeignmemory_map_resource(
	xenforeignmemory_handle *fmem, domid_t domid, unsigned int type, unsigned int id,
	unsigned long fr, unsigned long nr, void **paddr, int prot, int flags)
{
	fx.calls++;
	assert_int_equal(domid, DOMID);
	assert_int_equal(type, XENMEM_resource_grant_table);
	assert_int_equal(id, XENMEM_resource_grant_table_id_shared);
	assert_int_equal(fr, 0);
	assert_int_equal(nr, 1);
	res_handle.addr = frame(GT_MFN);
	*paddr = res_handle.addr;
	return &res_handle;
}

int xenforeignmemory_unmap_resource(xenforeignmemory_handle *fmem,
				    xenforeignmemory_resource_handle *fres)
{
	munmap(fres->addr, 4096);
	return 0;
}

/* ---- a small PV kernel ---------------------------------------------------- */

static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

static size_t note(uint8_t *p, uint32_t type, const void *desc, uint32_t len)
{
	put32(p, 4);
	put32(p + 4, len);
	put32(p + 8, type);
	memcpy(p + 12, "Xen", 4);
	memcpy(p + 16, desc, len);
	return 16 + ((len + 3) & ~3u);
}

static size_t note_str(uint8_t *p, uint32_t type, const char *s)
{
	return note(p, type, s, (uint32_t)strlen(s) + 1);
}

#define KFILE_SIZE 0x5000

struct kopts {
	uint16_t machine;       /* 62: x86-64 */
	bool no_notes;
	bool hypercall_page;
	uint64_t init_p2m;      /* the INIT_P2M note, if not 0 */
	bool low;               /* Mini-OS-like: linked at VA 0, no VIRT_BASE, PADDR_OFFSET, ENTRY notes */
	uint64_t e_entry;       /* low: the ELF entry point */
};

#define LOW_HCALL_VA 0x1000ull

/*
 * Text (file 0x1000-0x3000) at paddr 0x200000, data 0x3000-0x4000 at
 * paddr 0x400000 with 0x2000 of bss after it; notes at 0x800.
 */
static void make_kernel(uint8_t *e, const struct kopts *o)
{
	static const uint64_t vb = VIRT_BASE, entry = ENTRY, hc = HCALL_VA, low_hc = LOW_HCALL_VA, zero;
	uint64_t base = o->low ? 0 : VIRT_BASE, text = o->low ? 0 : 0x200000, data = o->low ? 0x2000 : 0x400000;
	size_t n = 0x800;
	uint8_t *ph;

	memset(e, 0, KFILE_SIZE);
	for (size_t i = 0x1000; i < KFILE_SIZE; i++)
		e[i] = (uint8_t)(i * 13 + 5);
	memcpy(e, "\177ELF", 4);
	e[4] = 2;
	e[5] = 1;
	e[6] = 1;
	put16(e + 16, 2);
	put16(e + 18, o->machine ? o->machine : 62);
	put32(e + 20, 1);
	put64(e + 24, o->low ? o->e_entry : 0x200000);
	put64(e + 32, 64);
	put16(e + 52, 64);
	put16(e + 54, 56);
	put16(e + 56, 3);
	if (o->low) {
		n += note_str(e + n, XEN_ELFNOTE_GUEST_OS, "Mini-OS");
		n += note_str(e + n, XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
		n += note_str(e + n, XEN_ELFNOTE_LOADER, "generic");
		if (o->hypercall_page)
			n += note(e + n, XEN_ELFNOTE_HYPERCALL_PAGE, &low_hc, 8);
	} else if (!o->no_notes) {
		n += note_str(e + n, XEN_ELFNOTE_GUEST_OS, "linux");
		n += note_str(e + n, XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
		n += note_str(e + n, XEN_ELFNOTE_LOADER, "generic");
		n += note(e + n, XEN_ELFNOTE_VIRT_BASE, &vb, 8);
		n += note(e + n, XEN_ELFNOTE_PADDR_OFFSET, &zero, 8);
		n += note(e + n, XEN_ELFNOTE_ENTRY, &entry, 8);
		if (o->hypercall_page)
			n += note(e + n, XEN_ELFNOTE_HYPERCALL_PAGE, &hc, 8);
		if (o->init_p2m)
			n += note(e + n, XEN_ELFNOTE_INIT_P2M, &o->init_p2m, 8);
	}
	ph = e + 64;
	put32(ph, 1); put32(ph + 4, 5); put64(ph + 8, 0x1000); put64(ph + 16, base + text);
	put64(ph + 24, text); put64(ph + 32, 0x2000); put64(ph + 40, 0x2000); put64(ph + 48, 0x1000);
	ph += 56;
	put32(ph, 1); put32(ph + 4, 6); put64(ph + 8, 0x3000); put64(ph + 16, base + data);
	put64(ph + 24, data); put64(ph + 32, 0x1000); put64(ph + 40, 0x3000); put64(ph + 48, 0x1000);
	ph += 56;
	put32(ph, 4); put32(ph + 4, 4); put64(ph + 8, 0x800); put64(ph + 16, VIRT_BASE + 0x200800);
	put64(ph + 24, 0x200800); put64(ph + 32, n - 0x800); put64(ph + 40, n - 0x800); put64(ph + 48, 4);
}

static char kpath[64], rdpath[64];
static uint8_t kbuf[KFILE_SIZE];
#define RD_LEN 10000

static void write_file(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, len, f), len);
	fclose(f);
}

static int setup(void **state)
{
	struct kopts o = { 0 };
	uint8_t rd[RD_LEN];
	void *junk;

	memset(&fx, 0, sizeof(fx));
	fx.max_vcpu_id = 1;
	fx.fd = memfd_create("machine", 0);
	assert_true(fx.fd >= 0);
	assert_int_equal(ftruncate(fx.fd, (off_t)FAKE_FRAMES << 12), 0);
	/* Machine memory starts dirty: whatever the builder must clear, it must. */
	junk = mmap(NULL, FAKE_FRAMES << 12, PROT_WRITE, MAP_SHARED, fx.fd, 0);
	assert_true(junk != MAP_FAILED);
	memset(junk, 0xa5, FAKE_FRAMES << 12);
	munmap(junk, FAKE_FRAMES << 12);
	snprintf(kpath, sizeof(kpath), "/tmp/pv-build-test-k.%d", getpid());
	snprintf(rdpath, sizeof(rdpath), "/tmp/pv-build-test-rd.%d", getpid());
	make_kernel(kbuf, &o);
	write_file(kpath, kbuf, KFILE_SIZE);
	for (int i = 0; i < RD_LEN; i++)
		rd[i] = (uint8_t)(i * 3);
	write_file(rdpath, rd, RD_LEN);
	return 0;
}

static int teardown(void **state)
{
	close(fx.fd);
	unlink(kpath);
	unlink(rdpath);
	return 0;
}

static struct pv_build_args good_args(void)
{
	return (struct pv_build_args){
		.kernel = kpath, .ramdisk = rdpath, .cmdline = "console=hvc0 root=/dev/xvda",
		.mem_kb = 16 * 1024, .console_port = 3, .store_port = 4,
		.console_domid = 0, .store_domid = 1,
	};
}

/* ---- reading the guest as it would ------------------------------------- */

static uint64_t read_u64(uint64_t mfn, unsigned idx)
{
	uint64_t *p = frame(mfn), v = p[idx];

	munmap(p, 4096);
	return v;
}

/* The L1 entry for va, walking from the L4 at cr3; 0 if a level is absent. */
static uint64_t walk(uint64_t cr3, uint64_t va)
{
	uint64_t e = (cr3 & ~0xfffull) | 1;

	for (int shift = 39; shift >= 12; shift -= 9) {
		if (!(e & 1))
			return 0;
		e = read_u64((e & 0x000ffffffffff000ull) >> 12, (unsigned)(va >> shift) & 511);
	}
	return e;
}

static void expect_bytes(uint64_t cr3, uint64_t va, const uint8_t *want, size_t len)
{
	for (size_t off = 0; off < len; off += 4096) {
		uint64_t pte = walk(cr3, va + off);
		uint8_t *p = frame(pte >> 12);
		size_t n = len - off < 4096 ? len - off : 4096;

		assert_true(pte & PV_PTE_P);
		assert_memory_equal(p, want + off, n);
		munmap(p, 4096);
	}
}

/* ---- the tests ----------------------------------------------------------- */

static void good_build(void **state)
{
	struct pv_build_args a = good_args();
	struct pv_build_result res;
	char err[256] = "x";
	struct start_info *si;
	struct grant_entry_v1 *gt;
	struct shared_info *sh;
	uint64_t cr3, va, zero[0x2000 / 8] = { 0 }, nr = 4096;
	uint8_t rd[RD_LEN];

	assert_int_equal(pv_build(XCH, DOMID, &a, &res, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	assert_int_equal(fx.populated, nr);

	/* The layout, in Xen's order. */
	assert_int_equal(res.virt_base, VIRT_BASE);
	assert_int_equal(res.virt_entry, ENTRY);
	cr3 = fx.ctx.c.ctrlreg[3];
	si = frame(walk(cr3, fx.ctx.c.user_regs.rsi) >> 12);
	assert_int_equal(fx.ctx.c.user_regs.rsi, VIRT_BASE + ((0x403ull + 3 + 8) << 12));
	assert_memory_equal(si->magic, "xen-3.0-x86_64", 15);
	assert_int_equal(si->nr_pages, nr);
	assert_int_equal(si->shared_info, SI_MFN << 12);
	assert_int_equal(si->flags, 0);
	/* kernel 0x200000-0x403000, initrd 3 pages, p2m 8 pages, start_info, store, console */
	assert_int_equal(si->mod_start, VIRT_BASE + 0x403000);
	assert_int_equal(si->mod_len, RD_LEN);
	assert_int_equal(si->mfn_list, VIRT_BASE + 0x406000);
	assert_int_equal(res.store_gfn, 0x403 + 3 + 8 + 1);
	assert_int_equal(res.console_gfn, 0x403 + 3 + 8 + 2);
	assert_int_equal(si->store_mfn, fake_mfn(res.store_gfn));
	assert_int_equal(res.store_mfn, fake_mfn(res.store_gfn));
	assert_int_equal(si->console.domU.mfn, fake_mfn(res.console_gfn));
	assert_int_equal(res.console_mfn, fake_mfn(res.console_gfn));
	assert_int_equal(si->store_evtchn, 4);
	assert_int_equal(si->console.domU.evtchn, 3);
	assert_int_equal(si->pt_base, VIRT_BASE + ((res.console_gfn + 1) << 12));
	/* region: 0x412 + 4 tables + stack + 128 free = 0x498, rounded to 0x800 pages: 4 L1s */
	assert_int_equal(si->nr_pt_frames, 3 + 4);
	assert_string_equal(si->cmd_line, "console=hvc0 root=/dev/xvda");
	assert_int_equal(si->first_p2m_pfn, 0);
	assert_int_equal(si->nr_p2m_frames, 0);

	/* CR3 is the pinned L4, named with the guest as foreign domain. */
	assert_int_equal(fx.pins, 1);
	assert_int_equal(fx.pin.cmd, MMUEXT_PIN_L4_TABLE);
	assert_int_equal(fx.pin.arg1.mfn, cr3 >> 12);
	assert_int_equal(fx.pin_dom, DOMID);
	assert_int_equal(cr3 >> 12, fake_mfn((si->pt_base - VIRT_BASE) >> 12));

	/* Page tables: every region page maps its p2m frame, RW but the tables. */
	for (uint64_t pfn = 0; pfn < 0x800; pfn++) {
		uint64_t pte = walk(cr3, VIRT_BASE + (pfn << 12));
		bool is_pt = pfn >= (si->pt_base - VIRT_BASE) >> 12 &&
			     pfn < ((si->pt_base - VIRT_BASE) >> 12) + si->nr_pt_frames;

		assert_int_equal(pte >> 12, fake_mfn(pfn));
		assert_int_equal(pte & 0xfff, is_pt ? PV_PTE_L1 & ~PV_PTE_RW : PV_PTE_L1);
	}
	assert_int_equal(walk(cr3, VIRT_BASE + (0x800ull << 12)), 0);
	assert_int_equal(walk(cr3, 0), 0);
	/* L4 holds one entry (slot 511), L3 one (slot 510): upper flags */
	for (unsigned i = 0; i < 512; i++)
		assert_int_equal(read_u64(cr3 >> 12, i) != 0, i == 511);
	assert_int_equal(read_u64(cr3 >> 12, 511) & 0xfff, PV_PTE_UPPER);
	/* the tables in Linux's order: L4, L3, L2, L1s at consecutive pfns */
	va = si->pt_base;
	assert_int_equal(read_u64(cr3 >> 12, 511) >> 12, fake_mfn(((va - VIRT_BASE) >> 12) + 1));
	assert_int_equal(read_u64(fake_mfn(((va - VIRT_BASE) >> 12) + 1), 510) >> 12,
			 fake_mfn(((va - VIRT_BASE) >> 12) + 2));
	assert_int_equal(read_u64(fake_mfn(((va - VIRT_BASE) >> 12) + 2), 0) >> 12,
			 fake_mfn(((va - VIRT_BASE) >> 12) + 3));

	/* Kernel bytes at their physical-address places, bss cleared, initrd, p2m. */
	expect_bytes(cr3, VIRT_BASE + 0x200000, kbuf + 0x1000, 0x2000);
	expect_bytes(cr3, VIRT_BASE + 0x400000, kbuf + 0x3000, 0x1000);
	expect_bytes(cr3, VIRT_BASE + 0x401000, (uint8_t *)zero, 0x2000);
	for (int i = 0; i < RD_LEN; i++)
		rd[i] = (uint8_t)(i * 3);
	expect_bytes(cr3, si->mod_start, rd, RD_LEN);
	for (uint64_t pfn = 0; pfn < nr; pfn++)
		assert_int_equal(read_u64(walk(cr3, si->mfn_list + pfn * 8) >> 12, (unsigned)(pfn % 512)),
				 fake_mfn(pfn));
	expect_bytes(cr3, VIRT_BASE + (res.store_gfn << 12), (uint8_t *)zero, 4096);
	expect_bytes(cr3, VIRT_BASE + (res.console_gfn << 12), (uint8_t *)zero, 4096);

	/* vCPU 0. */
	assert_int_equal(fx.setcontexts, 1);
	assert_int_equal(fx.ctx.c.user_regs.rip, ENTRY);
	assert_int_equal(fx.ctx.c.user_regs.rsp, si->pt_base + (si->nr_pt_frames + 1) * 4096);
	assert_int_equal(fx.ctx.c.kernel_sp, fx.ctx.c.user_regs.rsp);
	assert_int_equal(fx.ctx.c.user_regs.cs, 0xe033);
	assert_int_equal(fx.ctx.c.user_regs.ss, 0xe02b);
	assert_int_equal(fx.ctx.c.kernel_ss, 0xe02b);
	assert_int_equal(fx.ctx.c.user_regs.ds, 0);
	assert_int_equal(fx.ctx.c.user_regs.rflags, 0x200);
	assert_int_equal(fx.ctx.c.flags, VGCF_i387_valid | VGCF_in_kernel | VGCF_online);
	assert_int_equal(fx.ctx.c.debugreg[7], 0x400);

	/* The reserved grants: console to dom0, xenstore to dom1. */
	gt = frame(GT_MFN);
	assert_int_equal(gt[GNTTAB_RESERVED_CONSOLE].flags, GTF_permit_access);
	assert_int_equal(gt[GNTTAB_RESERVED_CONSOLE].domid, 0);
	assert_int_equal(gt[GNTTAB_RESERVED_CONSOLE].frame, res.console_mfn);
	assert_int_equal(gt[GNTTAB_RESERVED_XENSTORE].flags, GTF_permit_access);
	assert_int_equal(gt[GNTTAB_RESERVED_XENSTORE].domid, 1);
	assert_int_equal(gt[GNTTAB_RESERVED_XENSTORE].frame, res.store_mfn);
	munmap(gt, 4096);

	/* Events masked on the domain's vCPUs (0 and 1), no further. */
	sh = frame(SI_MFN);
	assert_int_equal(sh->vcpu_info[0].evtchn_upcall_mask, 1);
	assert_int_equal(sh->vcpu_info[1].evtchn_upcall_mask, 1);
	assert_int_equal(sh->vcpu_info[2].evtchn_upcall_mask, 0xa5);
	munmap(sh, 4096);
	munmap(si, 4096);
}

static void hypercall_page_written(void **state)
{
	struct kopts o = { .hypercall_page = true };
	struct pv_build_args a = good_args();
	struct pv_build_result res;
	char err[256];
	uint8_t *page;

	make_kernel(kbuf, &o);
	write_file(kpath, kbuf, KFILE_SIZE);
	assert_int_equal(pv_build(XCH, DOMID, &a, &res, err, sizeof(err)), 0);
	page = frame(walk(fx.ctx.c.ctrlreg[3], HCALL_VA) >> 12);
	/* slot 17 (xen_version): push rcx; push r11; mov $17,%eax; syscall; ... ret */
	static const uint8_t want17[] = { 0x51, 0x41, 0x53, 0xb8, 17, 0, 0, 0, 0x0f, 0x05,
					  0x41, 0x5b, 0x59, 0xc3 };
	static const uint8_t want_iret[] = { 0x51, 0x41, 0x53, 0x50, 0xb8, 23, 0, 0, 0, 0x0f, 0x05 };
	assert_memory_equal(page + 17 * 32, want17, sizeof(want17));
	assert_memory_equal(page + 23 * 32, want_iret, sizeof(want_iret));
	munmap(page, 4096);
}

/*
 * A Mini-OS-like kernel linked at VA 0 without VIRT_BASE, PADDR_OFFSET or
 * ENTRY notes: Xen's defaults (elf_image.c's table) put pfn 0 at VA 0,
 * the kernel at its paddr, and start it at e_entry; the region, its tables
 * (L4 slot 0, L3 slot 0) and start_info follow the image as for Linux.
 */
static void low_address_kernel(void **state)
{
	struct kopts o = { .low = true, .e_entry = 0x10, .hypercall_page = true };
	struct pv_build_args a = good_args();
	struct pv_build_result res;
	char err[256] = "x";
	uint64_t cr3, zero[0x2000 / 8] = { 0 };
	struct start_info *si;
	uint8_t *page;

	make_kernel(kbuf, &o);
	write_file(kpath, kbuf, KFILE_SIZE);
	assert_int_equal(pv_build(XCH, DOMID, &a, &res, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	assert_int_equal(res.virt_base, 0);
	assert_int_equal(res.virt_entry, 0x10);
	assert_int_equal(fx.ctx.c.user_regs.rip, 0x10);
	cr3 = fx.ctx.c.ctrlreg[3];
	/* kernel pfns 0-4, initrd 3 pages, p2m 8, then start_info */
	assert_int_equal(fx.ctx.c.user_regs.rsi, (5ull + 3 + 8) << 12);
	si = frame(walk(cr3, fx.ctx.c.user_regs.rsi) >> 12);
	assert_memory_equal(si->magic, "xen-3.0-x86_64", 15);
	assert_int_equal(si->mod_start, 5ull << 12);
	assert_int_equal(si->mfn_list, 8ull << 12);
	assert_int_equal(cr3 >> 12, fake_mfn(si->pt_base >> 12));
	for (unsigned i = 0; i < 512; i++)
		assert_int_equal(read_u64(cr3 >> 12, i) != 0, i == 0);
	for (uint64_t pfn = 0; pfn < 0x200; pfn++)
		assert_int_equal(walk(cr3, pfn << 12) >> 12, fake_mfn(pfn));
	expect_bytes(cr3, 0, kbuf + 0x1000, 0x1000);
	expect_bytes(cr3, 0x2000, kbuf + 0x3000, 0x1000);
	expect_bytes(cr3, 0x3000, (uint8_t *)zero, 0x2000);
	page = frame(walk(cr3, LOW_HCALL_VA) >> 12);
	assert_int_equal(page[17 * 32 + 3], 0xb8);      /* the xen_version stub's mov */
	munmap(page, 4096);
	munmap(si, 4096);
}

/*
 * INIT_P2M: the list at the kernel's address, its frames and tables after
 * the region, hung off L4 slot 1; start_info says which frames those are.
 */
static void p2m_at_init_p2m(void **state)
{
	struct kopts o = { .init_p2m = 0x8000000000ull };
	struct pv_build_args a = good_args();
	struct pv_build_result res;
	struct start_info *si;
	char err[256];
	uint64_t cr3;

	make_kernel(kbuf, &o);
	write_file(kpath, kbuf, KFILE_SIZE);
	assert_int_equal(pv_build(XCH, DOMID, &a, &res, err, sizeof(err)), 0);
	cr3 = fx.ctx.c.ctrlreg[3];
	si = frame(walk(cr3, fx.ctx.c.user_regs.rsi) >> 12);
	/* kernel to 0x403, initrd 3 pages, then start_info: no p2m in the region */
	assert_int_equal(fx.ctx.c.user_regs.rsi, VIRT_BASE + (0x406ull << 12));
	assert_int_equal(res.store_gfn, 0x407);
	assert_int_equal(si->nr_pt_frames, 7);
	assert_int_equal(si->mfn_list, 0x8000000000ull);
	/* region of 0x800 pages, then 8 pages of list and its L3, L2, one L1 */
	assert_int_equal(si->first_p2m_pfn, 0x800);
	assert_int_equal(si->nr_p2m_frames, 8 + 3);
	for (uint64_t pfn = 0; pfn < 4096; pfn++) {
		uint64_t pte = walk(cr3, si->mfn_list + pfn * 8);

		assert_int_equal(pte & 0xfff, PV_PTE_L1);
		assert_int_equal(pte >> 12, fake_mfn(0x800 + pfn / 512));
		assert_int_equal(read_u64(pte >> 12, (unsigned)(pfn % 512)), fake_mfn(pfn));
	}
	assert_int_equal(walk(cr3, si->mfn_list + 8 * 4096), 0);
	assert_int_equal(read_u64(cr3 >> 12, 1) >> 12, fake_mfn(0x808));
	/* the list's tables are not mapped in the region (they are not in it) */
	assert_int_equal(walk(cr3, VIRT_BASE + (0x808ull << 12)), 0);
	munmap(si, 4096);

	/* too little memory for region + list: 8 MiB of region, 11 pages more */
	fx.calls = 0;
	a.mem_kb = 8 * 1024;
	assert_int_equal(pv_build(XCH, DOMID, &a, &res, err, sizeof(err)), -1);
	assert_int_equal(errno, ENOMEM);
	assert_true(strstr(err, "need 9 MiB, the domain has 8 MiB") != NULL);
	assert_int_equal(fx.calls, 0);
}

/* One bad input: pv_build fails with errno e, err == want, no call made. */
static void expect_refused(struct pv_build_args *a, int e, const char *want)
{
	struct pv_build_result res;
	char err[256] = "";

	fx.calls = 0;
	errno = 0;
	assert_int_equal(pv_build(XCH, DOMID, a, &res, err, sizeof(err)), -1);
	assert_int_equal(errno, e);
	if (strcmp(err, want) != 0)
		fail_msg("message \"%s\", want \"%s\"", err, want);
	assert_int_equal(fx.calls, 0);
	assert_int_equal(fx.populated, 0);
}

static char want[512];

static void bad_kernels(void **state)
{
	struct pv_build_args a = good_args();
	struct kopts arch = { .machine = 3 };

	a.kernel = "/nonexistent/vmlinuz";
	expect_refused(&a, ENOENT, "/nonexistent/vmlinuz: cannot open: No such file or directory");

	a.kernel = kpath;
	write_file(kpath, kbuf, 0);
	snprintf(want, sizeof(want), "%s: empty file (0 bytes)", kpath);
	expect_refused(&a, ENOEXEC, want);

	write_file(kpath, "#!/bin/sh\necho not a kernel\n", 28);
	snprintf(want, sizeof(want), "%s: not a kernel: neither an ELF file nor a bzImage", kpath);
	expect_refused(&a, ENOEXEC, want);

	make_kernel(kbuf, &arch);
	write_file(kpath, kbuf, KFILE_SIZE);
	snprintf(want, sizeof(want), "%s: ", kpath);
	expect_refused(&a, ENOEXEC, strcat(want, "ELF machine 3, need x86-64 (62)"));
}

/* Messages that come from the ELF parser: checked by prefix and a word. */
static void expect_refused_like(struct pv_build_args *a, int e, const char *word)
{
	struct pv_build_result res;
	char err[256] = "";

	fx.calls = 0;
	errno = 0;
	assert_int_equal(pv_build(XCH, DOMID, a, &res, err, sizeof(err)), -1);
	assert_int_equal(errno, e);
	if (strncmp(err, a->kernel, strlen(a->kernel)) != 0 || !strstr(err, word))
		fail_msg("message \"%s\" does not start with %s or lacks \"%s\"", err, a->kernel, word);
	assert_int_equal(fx.calls, 0);
}

/* Hostile notes on a low kernel: one message naming the file, no call made. */
static void low_address_hostile(void **state)
{
	struct kopts o = { .low = true, .e_entry = 0x900000 };
	struct pv_build_args a = good_args();

	make_kernel(kbuf, &o);
	write_file(kpath, kbuf, KFILE_SIZE);
	expect_refused_like(&a, ENOEXEC, "entry point 0x900000 is not inside an executable loaded segment");
	o.e_entry = 0x2000;                     /* in the data segment: not executable */
	make_kernel(kbuf, &o);
	write_file(kpath, kbuf, KFILE_SIZE);
	expect_refused_like(&a, ENOEXEC, "entry point 0x2000 is not inside");
	o.e_entry = 0x10;
	make_kernel(kbuf, &o);
	put64(kbuf + 64 + 56 + 40, 0xfffffffffffff000ull);   /* data memsz wraps */
	write_file(kpath, kbuf, KFILE_SIZE);
	expect_refused_like(&a, ENOEXEC, "wraps around");
	assert_int_equal(fx.populated, 0);
}

static void bad_kernels_parser(void **state)
{
	struct pv_build_args a = good_args();
	struct kopts nonotes = { .no_notes = true }, good = { 0 };
	static uint8_t bz[0x440];

	make_kernel(kbuf, &nonotes);
	write_file(kpath, kbuf, KFILE_SIZE);
	expect_refused_like(&a, ENOEXEC, "note");

	make_kernel(kbuf, &good);
	write_file(kpath, kbuf, 0x1800);           /* truncated: segments run past the end */
	expect_refused_like(&a, ENOEXEC, ": ");

	/* a bzImage whose payload is garbage */
	memset(bz, 0, sizeof(bz));
	bz[0x1f1] = 1;
	put16(bz + 0x1fe, 0xaa55);
	memcpy(bz + 0x202, "HdrS", 4);
	put16(bz + 0x206, 0x020f);
	put32(bz + 0x248, 0x10);
	put32(bz + 0x24c, 0x20);
	memset(bz + 0x410, 0x77, 0x20);
	write_file(kpath, bz, sizeof(bz));
	expect_refused_like(&a, ENOEXEC, ": bzImage: ");
}

static void bad_ramdisk_and_args(void **state)
{
	struct pv_build_args a = good_args();
	char longline[1100];

	a.ramdisk = "/nonexistent/initrd";
	expect_refused(&a, ENOENT, "/nonexistent/initrd: cannot open: No such file or directory");

	a = good_args();
	memset(longline, 'x', sizeof(longline) - 1);
	longline[sizeof(longline) - 1] = '\0';
	a.cmdline = longline;
	expect_refused(&a, E2BIG, "command line of 1099 bytes: a PV guest takes at most 1023");

	/* The region needs 8 MiB (0x800 pages); 6 MiB is too small. */
	a = good_args();
	a.mem_kb = 6 * 1024;
	snprintf(want, sizeof(want), "%s: kernel, initrd and boot data need 8 MiB, the domain has 6 MiB",
		 kpath);
	expect_refused(&a, ENOMEM, want);
}

/* Failures of the hypervisor: a message naming the domain; the caller destroys it. */
static void hypervisor_refusals(void **state)
{
	struct pv_build_args a = good_args();
	struct pv_build_result res;
	char err[256];

	fx.fail_populate = 1000;
	assert_int_equal(pv_build(XCH, DOMID, &a, &res, err, sizeof(err)), -1);
	assert_int_equal(errno, EBUSY);
	assert_string_equal(err, "dom7: cannot allocate 16 MiB (at pfn 0x0): Device or resource busy");
	assert_int_equal(fx.setcontexts, 0);

	fx.fail_populate = 0;
	fx.populated = 0;
	fx.fail_pin = 1;
	assert_int_equal(pv_build(XCH, DOMID, &a, &res, err, sizeof(err)), -1);
	assert_int_equal(errno, EINVAL);
	assert_true(strstr(err, "dom7: the boot page tables (L4 mfn ") == err);
	assert_int_equal(fx.setcontexts, 0);
}

/* The layout loop: the tables map themselves, whatever the sizes. */
static void layout_settles(void **state)
{
	struct elf_image img = { .virt_base = VIRT_BASE, .virt_start = VIRT_BASE + 0x1000000,
				 .virt_end = VIRT_BASE + 0x4a00000 };
	char err[160];

	for (uint64_t rd = 0; rd < (64ull << 20); rd += 0x1f3000) {
		struct pv_layout l;

		assert_int_equal(pv_layout_compute(&l, &img, rd, 65536, err, sizeof(err)), 0);
		assert_int_equal(l.map_pages % 1024, 0);
		assert_true(l.map_pages >= l.stack_pfn + 1 + 128);
		assert_true((l.nr_pt - 3) * 512 >= l.map_pages);
		assert_true((l.nr_pt - 4) * 512 < l.map_pages);
		assert_int_equal(l.kernel_pfn, 0x1000);
		assert_int_equal(l.ramdisk_pfn, 0x4a00);
		assert_true(l.p2m_pfn >= l.ramdisk_pfn + (rd + 4095) / 4096);
		assert_int_equal(l.p2m_pages, 128);
	}
	img.virt_base += 0x1000;
	assert_int_equal(pv_layout_compute(&(struct pv_layout){ 0 }, &img, 0, 65536, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "VIRT_BASE 0xffffffff80001000 is not 2 MiB-aligned");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(good_build, setup, teardown),
		cmocka_unit_test_setup_teardown(hypercall_page_written, setup, teardown),
		cmocka_unit_test_setup_teardown(p2m_at_init_p2m, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_kernels, setup, teardown),
		cmocka_unit_test_setup_teardown(low_address_kernel, setup, teardown),
		cmocka_unit_test_setup_teardown(low_address_hostile, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_kernels_parser, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_ramdisk_and_args, setup, teardown),
		cmocka_unit_test_setup_teardown(hypervisor_refusals, setup, teardown),
		cmocka_unit_test(layout_settles),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
