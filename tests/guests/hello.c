/*
 * hello - console output and xen_version, including extraversion; as the
 * initial domain, that the start_info page reads as zeros past the
 * structure. The rest of its memory is not cleared for the initial domain,
 * on Xen 4.17 as on Paravane (docs/security.md: it may read any memory
 * anyway); a DomU's is cleared when populate_physmap gives it.
 */
#include "guest.h"

const char test_name[] = "hello";

/*
 * The start_info page past the structure reads as zeros (the hypervisor
 * clears the page), but for the initial domain's console description,
 * which Xen 4.17 puts there (VGA text mode 3 under QEMU; Paravane has none).
 */
static void check_start_info_page(void)
{
	const volatile uint8_t *p = (const volatile uint8_t *)start_info;
	unsigned off = start_info->console.dom0.info_off, size = start_info->console.dom0.info_size;
	unsigned first = 0, dirty = 0;

	for (unsigned i = sizeof(*start_info); i < 4096; i++)
		if (p[i] && !(i >= off && i - off < size) && !dirty++)
			first = i;
	check(!dirty, tname("start_info_page_clear"), "%u bytes past the structure hold data (first at %u)",
	      dirty, first);
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
	check_start_info_page();
}
