/*
 * xenguest - a PV kernel with no Xen ELF notes, only the old __xen_guest
 * section (lib/head.S with XEN_GUEST_SECTION), as kernels from before the
 * notes were made: Xen 4.17 still boots them as Dom0 (its Dom0 builder and
 * libxenguest share the reader), and so must we. The string leaves out
 * ELF_PADDR_OFFSET, whose default for this section is VIRT_BASE (the image
 * is linked with p_paddr = VA), and names the hypercall page by its page
 * number. Booting at all shows the section was read; the checks show the
 * layout it asked for. As a DomU made by our xl (images-xlcreate-full:
 * libxenguest's reading of the section) it prints through its console
 * ring, console_io being Dom0's.
 *
 * Built with -DNOTE_SECTIONS it is notesec: the usual Xen notes, but no
 * PT_NOTE segment, so they are read from the .note.Xen section (as Xen
 * 4.17 reads them when no note segment has any); the same layout and so
 * the same checks.
 */
#include "guest.h"
#include "xenbus.h"

#ifdef NOTE_SECTIONS
const char test_name[] = "notesec";
static const char hello_line[] = "notesec\n";
#else
const char test_name[] = "xenguest";
static const char hello_line[] = "xenguest\n";
#endif

/* pfn n is at VIRT_BASE + n * 4096: the M2P must agree for our own pages. */
static void check_pfn_of(const char *name, uint64_t va)
{
	const uint64_t *p2m = (const uint64_t *)start_info->mfn_list;
	const uint64_t *m2p = (const uint64_t *)MACH2PHYS_VIRT_START;
	uint64_t pfn = (va - VIRT_BASE) >> 12;

	if (va < VIRT_BASE || pfn >= start_info->nr_pages) {
		fail(tname(name), "VA 0x%lx is not in the boot region", va);
		return;
	}
	check(m2p[p2m[pfn]] == pfn, tname(name), "VA 0x%lx: p2m[%lu] = mfn 0x%lx, M2P says pfn %lu", va, pfn,
	      p2m[pfn], m2p[p2m[pfn]]);
}

void test_main(void)
{
	int ring = xencons_if_refused();
	long rc;

	check_eq_hex(tname("hypercall_page_where_asked"), (uint64_t)hypercall_page, VIRT_BASE + 0x201000);
	check(hypercall_page[0] != 0xcc, tname("hypercall_page_filled"), "first byte 0x%x", hypercall_page[0]);
	check_eq_hex(tname("image_at_2m"), (uint64_t)test_main & ~0x1fffffULL, VIRT_BASE + 0x200000);
	check_pfn_of("pfn_of_image", (uint64_t)test_name);
	check_pfn_of("pfn_of_start_info", (uint64_t)start_info);
	check_pfn_of("pfn_of_l4", start_info->pt_base);
	check(!!(start_info->flags & SIF_INITDOMAIN) == !ring, tname("initial_domain_or_ring"), "flags 0x%x, ring %d",
	      start_info->flags, ring);
	rc = HYPERVISOR_console_io(CONSOLEIO_write, sizeof(hello_line) - 1, hello_line);
	check_eq(tname(ring ? "console_io_refused_domu" : "console_write"), rc, ring ? -XEN_EPERM : 0);
	rc = HYPERVISOR_xen_version(XENVER_version, NULL);
	check(rc > 0x30000, tname("xen_version"), "got 0x%lx", rc);
}
