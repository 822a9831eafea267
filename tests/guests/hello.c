/*
 * hello - console output and xen_version, including extraversion; as the
 * initial domain, that memory we were given outside the boot region reads
 * as zeros: no firmware leftovers (Paravane gave 50 frames of SeaBIOS's
 * set-up code from near the top of RAM to integ-dom0-bzimage's Dom0), no
 * frames the hypervisor used during boot (that test boots this kernel as
 * an xz bzImage, whose decoder work area is freed just before Dom0 is
 * built).
 */
#include "guest.h"

const char test_name[] = "hello";

/*
 * Every frame from the end of the boot region (the page tables, a stack
 * page and 512 KiB of padding, rounded up to 4 MiB as both hypervisors lay
 * it out) to nr_pages, mapped read-only in turn at one page of ours.
 */
static void check_memory_clear(void)
{
	static uint8_t window[4096] __attribute__((aligned(4096)));
	const uint64_t *p2m = (const uint64_t *)start_info->mfn_list;
	uint64_t wpfn = ((uint64_t)window - VIRT_BASE) >> 12;
	uint64_t end = start_info->pt_base + start_info->nr_pt_frames * 4096ULL + 4096 + 512 * 1024;
	uint64_t first = (((end + (4ULL << 20) - 1) & ~((4ULL << 20) - 1)) - VIRT_BASE) >> 12;
	uint64_t dirty = 0, first_dirty = 0, scanned = 0;
	long rc = 0;

	for (uint64_t pfn = first; pfn < start_info->nr_pages && !rc; pfn++) {
		const volatile uint64_t *w = (const volatile uint64_t *)window;
		uint64_t any = 0;

		rc = HYPERVISOR_update_va_mapping((uint64_t)window, (p2m[pfn] << 12) | PTE_P | PTE_U | PTE_A,
						  UVMF_INVLPG);
		for (unsigned i = 0; !rc && i < 512; i++)
			any |= w[i];
		if (any && !dirty++)
			first_dirty = pfn;
		scanned++;
	}
	HYPERVISOR_update_va_mapping((uint64_t)window, (p2m[wpfn] << 12) | PTE_P | PTE_W | PTE_U | PTE_A | PTE_D,
				     UVMF_INVLPG);
	check_eq(tname("memory_clear_map"), rc, 0);
	check(scanned > 0 && !dirty, tname("memory_clear"), "%lu of %lu frames from pfn 0x%lx hold data (first pfn 0x%lx)",
	      dirty, scanned, first, first_dirty);
}

void test_main(void)
{
	char extra[XEN_EXTRAVERSION_LEN + 1];
	struct xen_feature_info fi = { .submap_idx = 0 };
	long ver, rc;

	rc = HYPERVISOR_console_io(CONSOLEIO_write, 6, "hello\n");
	check_eq(tname("console_write"), rc, 0);

	ver = HYPERVISOR_xen_version(XENVER_version, NULL);
	check(ver > 0x30000, tname("xen_version_version"), "got 0x%lx", ver);
	gprintf("hypervisor version %ld.%ld\n", ver >> 16, ver & 0xffff);

	memset(extra, 0, sizeof(extra));
	rc = HYPERVISOR_xen_version(XENVER_extraversion, extra);
	check_eq(tname("xen_version_extraversion_rc"), rc, 0);
	check(extra[0] != 0 && strlen(extra) < XEN_EXTRAVERSION_LEN,
	      tname("xen_version_extraversion_string"), "bad string");
	gprintf("extraversion \"%s\"\n", extra);

	rc = HYPERVISOR_xen_version(XENVER_get_features, &fi);
	check_eq(tname("get_features_rc"), rc, 0);
	check((fi.submap & (1u << XENFEAT_mmu_pt_update_preserve_ad)) &&
	      (fi.submap & (1u << XENFEAT_gnttab_map_avail_bits)),
	      tname("get_features_linux_bits"), "submap 0x%x", fi.submap);
	check(!(fi.submap & (1u << XENFEAT_auto_translated_physmap)) &&
	      !(fi.submap & (1u << XENFEAT_supervisor_mode_kernel)),
	      tname("get_features_pv_bits_clear"), "submap 0x%x", fi.submap);
	check(fi.submap & (1u << XENFEAT_dom0), tname("get_features_dom0"),
	      "submap 0x%x", fi.submap);

	rc = HYPERVISOR_xen_version(XENVER_pagesize, NULL);
	check_eq(tname("xen_version_pagesize"), rc, 4096);

	check(start_info && strncmp(start_info->magic, "xen-3.0-x86_64", 14) == 0,
	      tname("start_info_magic"), "magic \"%s\"", start_info->magic);
	check(start_info->flags & SIF_INITDOMAIN, tname("start_info_initdomain"),
	      "flags 0x%x", start_info->flags);
	check(shared_info && shared_info->vcpu_info[0].time.tsc_to_system_mul != 0,
	      tname("shared_info_time_valid"), "tsc_to_system_mul is 0");
	static int scanned;
	if ((start_info->flags & SIF_INITDOMAIN) && !scanned++)
		check_memory_clear();   /* once: the second calling style finds the same */
}
