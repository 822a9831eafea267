/*
 * gnt_seeded - what xenstored and xenconsoled do for every `xl create`: a
 * new domain that has never run has its grant entries 0 and 1 written by
 * the toolstack (libxenguest reaches its grant frame with
 * XENMEM_acquire_resource, maps it and writes the entries), and Dom0 then
 * maps entry 1 before the domain is unpaused - both as a plain host
 * mapping and as Linux's gntdev does for a user mapping (contains_pte +
 * application_map, the PTE's machine address). Xen's tables start at
 * version 1, so both succeed; a table the domain never set up itself must
 * not be "version 0, refused". Then the domain is shut down and its
 * grants still mapped, and destroyed while mapped.
 */
#include "domu.h"
#include "gnt_common.h"

const char test_name[] = "gnt_seeded";
const int test_styles = STYLE_DIRECT;   /* creates a domain: run once */

static domid_t create_domain(void)
{
	if (domu_createdomain(1))
		return 0;
	return domu_op.domain;
}

static void seeded(domid_t id)
{
	struct xen_memory_reservation r = { .nr_extents = 2, .extent_order = 0, .domid = id };
	struct xen_mem_acquire_resource res = { .domid = id, .type = XENMEM_resource_grant_table,
						.id = 0, .frame = 0, .nr_frames = 1 };
	uint64_t frames[2] = { 0, 1 }, gt_frame[1] = { 0 };
	struct mmu_update u;
	volatile struct grant_entry_v1 *e = (volatile struct grant_entry_v1 *)va_of(0);
	grant_handle_t h = 0;

	memset(&domu_op, 0, sizeof(domu_op));
	domu_op.u.max_mem.max_memkb = 1024;
	EXPECT("max_mem", domu_domctl(XEN_DOMCTL_max_mem, id), 0);
	r.extent_start = (uint64_t)frames;
	EXPECT("populate", HYPERVISOR_memory_op(XENMEM_populate_physmap, &r), 2);
	res.frame_list = (uint64_t)gt_frame;
	EXPECT("acquire_gnt_frame", HYPERVISOR_memory_op(XENMEM_acquire_resource, &res), 0);
	/* the grant frame at pages[0] through a foreign mapping, as libxenguest maps it */
	u.ptr = pte_maddr_of(va_of(0));
	u.val = pte(gt_frame[0], PTE_P | PTE_W | PTE_A | PTE_D);
	EXPECT("map_gnt_frame", HYPERVISOR_mmu_update(&u, 1, NULL, id), 0);
	{
		struct mmuext_op inv = { .cmd = MMUEXT_INVLPG_LOCAL };

		inv.arg1.linear_addr = va_of(0);
		HYPERVISOR_mmuext_op(&inv, 1, NULL, DOMID_SELF);
	}
	e[1].domid = 0;
	e[1].frame = (uint32_t)frames[0];
	__atomic_thread_fence(__ATOMIC_RELEASE);
	e[1].flags = GTF_permit_access;

	/* a plain host mapping of entry 1 */
	EXPECT("map_host", map1(id, 1, va_of(1), GNTMAP_host_map, &h), GNTST_okay);
	EXPECT("map_host_unmap", unmap1(va_of(1), h), GNTST_okay);
	restore_page(1);
	/* gntdev's user mapping: the PTE named by machine address */
	EXPECT("map_pte", map1(id, 1, pte_maddr_of(va_of(2)),
			       GNTMAP_host_map | GNTMAP_application_map | GNTMAP_contains_pte, &h), GNTST_okay);
	EXPECT("map_pte_unmap", unmap1(pte_maddr_of(va_of(2)), h), GNTST_okay);
	restore_page(2);
	restore_page(0);
}

/* getdomaininfo names the domain itself (not the next one up): it still exists. */
static int exists(domid_t id)
{
	memset(&domu_op, 0, sizeof(domu_op));
	return domu_domctl(XEN_DOMCTL_getdomaininfo, id) == 0 && domu_op.domain == id;
}

/*
 * A domain shut down but not yet destroyed keeps its grant table until the
 * destroy, as on Xen 4.17: what a backend mapped stays, and it may still
 * map the domain's grants (requests in flight when the guest went down,
 * or a toolstack reading its rings before `xl destroy`).
 */
static void shut_down_while_mapped(domid_t id)
{
	struct sched_remote_shutdown rs = { .domain_id = id, .reason = SHUTDOWN_poweroff };
	grant_handle_t before = 0, after = 0;
	volatile uint64_t *a = (volatile uint64_t *)va_of(1), *b = (volatile uint64_t *)va_of(2);

	EXPECT("shutdown_map_before", map1(id, 1, va_of(1), GNTMAP_host_map, &before), GNTST_okay);
	EXPECT("shutdown", HYPERVISOR_sched_op(SCHEDOP_remote_shutdown, &rs), 0);
	memset(&domu_op, 0, sizeof(domu_op));
	EXPECT("shutdown_info", domu_domctl(XEN_DOMCTL_getdomaininfo, id), 0);
	check((domu_op.u.getdomaininfo.flags & (XEN_DOMINF_shutdown | XEN_DOMINF_dying)) == XEN_DOMINF_shutdown,
	      tname("shutdown_not_dying"), "flags %#x", domu_op.u.getdomaininfo.flags);
	EXPECT("shutdown_map_after", map1(id, 1, va_of(2), GNTMAP_host_map, &after), GNTST_okay);
	*a = 0x5eed5eed5eed5eedULL;
	check(*b == 0x5eed5eed5eed5eedULL, tname("shutdown_same_frame"), "read 0x%lx", (unsigned long)*b);
	EXPECT("shutdown_unmap_before", unmap1(va_of(1), before), GNTST_okay);
	EXPECT("shutdown_unmap_after", unmap1(va_of(2), after), GNTST_okay);
	restore_page(1);
	restore_page(2);
}

/*
 * xenstored's and xenconsoled's order at `xl destroy`: the domain is
 * destroyed while Dom0 still maps its entries 0 and 1 (as gntdev does: a
 * user mapping by PTE address and a kernel host mapping each); they unmap
 * after VIRQ_DOM_EXC. The domain lingers, dying, until then, and is gone
 * once the last mapping went.
 */
static void destroyed_while_mapped(domid_t id)
{
	grant_handle_t hu = 0, hk = 0;
	volatile struct grant_entry_v1 *e = (volatile struct grant_entry_v1 *)va_of(0);
	struct mmu_update u;
	uint64_t gt_frame[1] = { 0 };
	struct xen_mem_acquire_resource res = { .domid = id, .type = XENMEM_resource_grant_table,
						.id = 0, .frame = 0, .nr_frames = 1 };
	struct mmuext_op inv = { .cmd = MMUEXT_INVLPG_LOCAL };

	res.frame_list = (uint64_t)gt_frame;
	EXPECT("zombie_acquire", HYPERVISOR_memory_op(XENMEM_acquire_resource, &res), 0);
	u.ptr = pte_maddr_of(va_of(0));
	u.val = pte(gt_frame[0], PTE_P | PTE_W | PTE_A | PTE_D);
	EXPECT("zombie_map_gnt_frame", HYPERVISOR_mmu_update(&u, 1, NULL, id), 0);
	inv.arg1.linear_addr = va_of(0);
	HYPERVISOR_mmuext_op(&inv, 1, NULL, DOMID_SELF);
	check(e[1].flags == GTF_permit_access, tname("zombie_entry_kept"), "flags %#x", e[1].flags);
	restore_page(0);   /* the grant frame is not what keeps it: only the grant maps */
	/* libxenguest maps the new domain's shared_info too (and unmaps it) */
	memset(&domu_op, 0, sizeof(domu_op));
	EXPECT("zombie_info", domu_domctl(XEN_DOMCTL_getdomaininfo, id), 0);
	u.ptr = pte_maddr_of(va_of(5));
	u.val = pte(domu_op.u.getdomaininfo.shared_info_frame, PTE_P | PTE_W | PTE_A | PTE_D);
	EXPECT("zombie_map_shared_info", HYPERVISOR_mmu_update(&u, 1, NULL, id), 0);
	restore_page(5);
	EXPECT("zombie_map_user", map1(id, 1, pte_maddr_of(va_of(3)),
				       GNTMAP_host_map | GNTMAP_application_map | GNTMAP_contains_pte, &hu), GNTST_okay);
	EXPECT("zombie_map_kernel", map1(id, 1, va_of(4), GNTMAP_host_map, &hk), GNTST_okay);
	memset(&domu_op, 0, sizeof(domu_op));
	EXPECT("zombie_destroy", domu_domctl(XEN_DOMCTL_destroydomain, id), 0);
	check(exists(id), tname("zombie_lingers"), "gone while mapped");
	EXPECT("zombie_unmap_user", unmap1(pte_maddr_of(va_of(3)), hu), GNTST_okay);
	EXPECT("zombie_unmap_kernel", unmap1(va_of(4), hk), GNTST_okay);
	restore_page(3);
	restore_page(4);
	/* Xen frees it after an RCU grace period: give it a moment */
	for (int i = 0; i < 100 && exists(id); i++)
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	check(!exists(id), tname("zombie_gone"), "still there after its mappings went");
}

void test_main(void)
{
	domid_t id = create_domain();

	check(id != 0, tname("create"), "createdomain failed");
	if (!id)
		return;
	seeded(id);
	shut_down_while_mapped(id);
	destroyed_while_mapped(id);
}
