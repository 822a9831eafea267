/*
 * lowaddr - a PV kernel linked at VA 0, as Mini-OS and the kernels built on
 * it are (lib/guest-low.ld), built once per note it leaves out
 * (tests/guests/module.mk LOWADDR_VARIANTS): VIRT_BASE 0 written out, no
 * VIRT_BASE (nor PADDR_OFFSET, which Xen refuses without it), no
 * PADDR_OFFSET, no ENTRY (the ELF entry point is used), no HYPERCALL_PAGE
 * (nothing is filled; the kernel makes its own hypercalls), and none of
 * the four. Booting at all shows the builder accepted the kernel and
 * entered it where it should; the checks show the layout Xen 4.17 gives:
 * pfn n at VA n * 4096 from VA 0, start_info, the p2m list and the page
 * tables after the image in the same low window.
 *
 * As a DomU made by a toolstack (our xl in a Linux Dom0: images-xlcreate-
 * full), where console_io is refused, it prints through its console ring.
 *
 * With "wait_domu" on its command line (Paravane's test_domains, where the
 * hypervisor's builder also makes domain 1 from a low-address kernel), the
 * Dom0 copy waits for domain 1 to power off, which it does only when its
 * own checks passed.
 */
#include "guest.h"
#include "domu.h"
#include "xenbus.h"

#ifndef LOWADDR_NAME
#error "LOWADDR_NAME: the variant's name, as its file is called"
#endif
const char test_name[] = LOWADDR_NAME;

#ifdef NO_HYPERCALL_PAGE_NOTE
const int test_styles = STYLE_DIRECT;
#endif

/* A page of our own data: its VA says where the image sits. */
static uint8_t probe[4096] __attribute__((aligned(4096))) = { 1 };

#define LOW_WINDOW (1ULL << 30)     /* the boot region's 1 GiB from VIRT_BASE 0 */

/* The pfn of VA va (VIRT_BASE 0) must be the pfn the M2P names for its frame. */
static void check_pfn_is_va(const char *name, uint64_t va)
{
	const uint64_t *p2m = (const uint64_t *)start_info->mfn_list;
	const uint64_t *m2p = (const uint64_t *)MACH2PHYS_VIRT_START;
	uint64_t pfn = va >> 12;

	if (pfn >= start_info->nr_pages) {
		fail(tname(name), "VA 0x%lx is pfn %lu, beyond nr_pages %lu", va, pfn, start_info->nr_pages);
		return;
	}
	check(m2p[p2m[pfn]] == pfn, tname(name), "VA 0x%lx: p2m[%lu] = mfn 0x%lx, M2P says pfn %lu",
	      va, pfn, p2m[pfn], m2p[p2m[pfn]]);
}

static int cmdline_has(const char *word)
{
	const char *c = (const char *)start_info->cmd_line;
	size_t n = strlen(word);

	for (; *c; c++)
		if (strncmp(c, word, n) == 0)
			return 1;
	return 0;
}

/* Domain 1 shut down, and how; polled for up to `ms` while yielding. */
static void check_domu_powered_off(unsigned ms)
{
	uint32_t flags = 0;
	long rc = -1;

	for (uint64_t end = system_time_ns() + ms * 1000000ULL; system_time_ns() < end;) {
		rc = domu_info(1);
		flags = domu_op.u.getdomaininfo.flags;
		if (rc || (flags & XEN_DOMINF_shutdown))
			break;
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	}
	check(rc == 0 && (flags & XEN_DOMINF_shutdown) &&
	      ((flags >> XEN_DOMINF_shutdownshift) & XEN_DOMINF_shutdownmask) == SHUTDOWN_poweroff,
	      tname("domu_powered_off"), "getdomaininfo(1) rc %ld flags 0x%x", rc, flags);
}

void test_main(void)
{
	uint64_t image = (uint64_t)probe, si = (uint64_t)start_info;
	int ring = xencons_if_refused();
	long rc;

	check(image < (16ULL << 20), tname("image_at_low_va"), "probe page at 0x%lx", image);
	check(si > image && si < LOW_WINDOW, tname("start_info_after_image"),
	      "start_info at 0x%lx, image at 0x%lx", si, image);
	check(start_info->mfn_list > image && start_info->mfn_list < LOW_WINDOW,
	      tname("p2m_list_low"), "mfn_list 0x%lx", start_info->mfn_list);
	check(start_info->pt_base > image && start_info->pt_base < LOW_WINDOW,
	      tname("page_tables_low"), "pt_base 0x%lx", start_info->pt_base);
	check_pfn_is_va("pfn_of_image_page", image);
	check_pfn_is_va("pfn_of_start_info", si);
	check_pfn_is_va("pfn_of_l4", start_info->pt_base);
	check_eq(tname("probe_data_loaded"), probe[0], 1);

#ifdef NO_HYPERCALL_PAGE_NOTE
	check_eq(tname("hypercall_page_left_alone"), hypercall_page[0], 0xcc);
#else
	check(hypercall_page[0] != 0xcc, tname("hypercall_page_filled"), "first byte 0x%x",
	      hypercall_page[0]);
#endif
	rc = HYPERVISOR_console_io(CONSOLEIO_write, 8, "lowaddr\n");
	if (ring)
		check_eq(tname("console_io_refused_domu"), rc, -XEN_EPERM);
	else
		check_eq(tname("console_write"), rc, 0);
	rc = HYPERVISOR_xen_version(XENVER_version, NULL);
	check(rc > 0x30000, tname("xen_version"), "got 0x%lx", rc);
	if ((start_info->flags & SIF_INITDOMAIN) && cmdline_has("wait_domu"))
		check_domu_powered_off(60000);
}
