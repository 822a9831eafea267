/*
 * public/memory.h - memory_op (#12): a domain's memory reservation and the
 * maps between its frames and addresses.
 *
 * long memory_op(unsigned int cmd, void *arg)
 * The low 6 bits of cmd select the sub-op (XENMEM_cmd_mask); the bits above
 * are a continuation start index used by the hypervisor to resume long
 * operations; guests pass 0 there.
 * Who: any domain for domid = DOMID_SELF; privileged for another domain.
 * Common errors: -ENOSYS unknown sub-op; -EFAULT arg or a list it points at
 * unreadable/unwritable; -ESRCH unknown domain; -EPERM not permitted.
 *
 * Reservation ops (arg: struct xen_memory_reservation; return the number of
 * extents processed, which is less than nr_extents on partial failure):
 *   XENMEM_increase_reservation  allocate extents; OUT: their MFNs in
 *                                extent_start (PV).
 *   XENMEM_decrease_reservation  release the frames listed in extent_start.
 *   XENMEM_populate_physmap      allocate extents at the pfns listed.
 * XENMEM_exchange (struct xen_memory_exchange): trade `in` extents for
 *   `out` extents (e.g. machine-contiguous below address_bits); nr_exchanged
 *   must be 0 on entry and is the progress made on return.
 *   -EINVAL inconsistent sizes; -ENOMEM no suitable memory.
 * XENMEM_maximum_ram_page: arg ignored; returns the highest machine frame.
 * XENMEM_current_reservation / XENMEM_maximum_reservation: arg: domid_t;
 *   returns pages in use / the cap.
 * XENMEM_maximum_gpfn: arg: domid_t; returns the highest pfn.
 * XENMEM_machphys_mfn_list (struct xen_machphys_mfn_list): list the MFNs
 *   backing the M2P table, one per 2 MiB.  Returns 0.
 * XENMEM_machphys_mapping (struct xen_machphys_mapping OUT): where the M2P
 *   is mapped for the guest and its highest valid index.
 * XENMEM_add_to_physmap (struct xen_add_to_physmap): map a frame from
 *   `space` at gpfn.  For translated guests only: a PV caller gets an
 *   error.
 * XENMEM_memory_map (struct xen_memory_map): the domain's pseudo-physical
 *   E820; IN nr_entries = buffer capacity, OUT = entries written.
 *   -ENOSYS if the toolstack never set one (a PV domU then assumes one RAM
 *   range).
 * XENMEM_machine_memory_map (struct xen_memory_map): the host E820
 *   (privileged).  A buffer too small for the map is an error.
 * XENMEM_set_memory_map (struct xen_foreign_memory_map): toolstack.
 * XENMEM_acquire_resource (struct xen_mem_acquire_resource): map frames of
 *   a domain resource (grant table, ioreq server); with nr_frames = 0 it
 *   returns the size in nr_frames.
 */
#ifndef PUBLIC_MEMORY_H
#define PUBLIC_MEMORY_H

#include <stddef.h>
#include <stdint.h>

#define XENMEM_increase_reservation    0
#define XENMEM_decrease_reservation    1
#define XENMEM_maximum_ram_page        2
#define XENMEM_current_reservation     3
#define XENMEM_maximum_reservation     4
#define XENMEM_machphys_mfn_list       5
#define XENMEM_populate_physmap        6
#define XENMEM_add_to_physmap          7
#define XENMEM_memory_map              9
#define XENMEM_machine_memory_map     10
#define XENMEM_exchange               11
#define XENMEM_machphys_mapping       12
#define XENMEM_set_memory_map         13
#define XENMEM_maximum_gpfn           14
#define XENMEM_remove_from_physmap    15
#define XENMEM_claim_pages            24
#define XENMEM_machphys_compat_mfn_list 25
#define XENMEM_add_to_physmap_batch   23
#define XENMEM_get_vnumainfo          26
#define XENMEM_reserved_device_memory_map 27
#define XENMEM_acquire_resource       28

#define XENMEM_cmd_mask               0x3f
/* A preempted reservation resumes as memory_op(op | start_extent << 6, arg). */
#define MEMOP_EXTENT_SHIFT            6
#define MEMOP_CMD_MASK                ((1u << MEMOP_EXTENT_SHIFT) - 1)

/* mem_flags of a reservation. */
#define XENMEMF_address_bits(x)       (x)          /* bits 0-7: max address width */
#define XENMEMF_get_address_bits(x)   ((x) & 0xffu)
#define XENMEMF_node(x)               (((x) + 1) << 8)
#define XENMEMF_populate_on_demand    (1u << 16)
#define XENMEMF_exact_node_request    (1u << 17)
#define XENMEMF_vnode                 (1u << 18)

struct xen_memory_reservation {
	uint64_t extent_start;      /* IN/OUT: guest VA of xen_pfn_t[nr_extents] */
	uint64_t nr_extents;        /* IN */
	uint32_t extent_order;      /* IN: extent = 2^order pages */
	uint32_t mem_flags;         /* IN: XENMEMF_* (was address_bits) */
	uint16_t domid;             /* IN */
	uint16_t _pad[3];
};

struct xen_memory_exchange {
	struct xen_memory_reservation in;   /* IN */
	struct xen_memory_reservation out;  /* IN/OUT */
	uint64_t nr_exchanged;              /* IN: 0; OUT: progress */
};

struct xen_machphys_mfn_list {
	uint32_t max_extents;       /* IN: capacity of extent_start */
	uint32_t _pad;
	uint64_t extent_start;      /* IN: guest VA of xen_pfn_t[] (OUT data) */
	uint32_t nr_extents;        /* OUT */
	uint32_t _pad2;
};

struct xen_machphys_mapping {
	uint64_t v_start, v_end;    /* OUT: VA range of the M2P */
	uint64_t max_mfn;           /* OUT: highest valid index */
};

#define XENMAPSPACE_shared_info   0
#define XENMAPSPACE_grant_table   1
#define XENMAPSPACE_gmfn          2
#define XENMAPSPACE_gmfn_range    3
#define XENMAPSPACE_gmfn_foreign  4
#define XENMAPSPACE_dev_mmio      5
#define XENMAPIDX_grant_table_status 0x80000000u

struct xen_add_to_physmap {
	uint16_t domid;             /* IN */
	uint16_t size;              /* IN: for gmfn_range */
	uint32_t space;             /* IN: XENMAPSPACE_* */
	uint64_t idx;               /* IN: index in the space */
	uint64_t gpfn;              /* IN: where to map it */
};

struct xen_remove_from_physmap {
	uint16_t domid;             /* IN */
	uint16_t _pad[3];
	uint64_t gpfn;              /* IN */
};

/* XENMEM_get_vnumainfo: a domain's virtual NUMA topology. */
struct xen_vnuma_topology_info {
	uint16_t domid;             /* IN */
	uint16_t pad;               /* IN: 0 */
	uint32_t nr_vnodes;         /* IN: capacity; OUT: count */
	uint32_t nr_vcpus;          /* IN/OUT */
	uint32_t nr_vmemranges;     /* IN/OUT */
	uint64_t vdistance;         /* OUT: guest handle, nr_vnodes^2 uint32_t */
	uint64_t vcpu_to_vnode;     /* OUT: guest handle, nr_vcpus uint32_t */
	uint64_t vmemrange;         /* OUT: guest handle */
};

/* E820 entry, as written into a memory_map buffer (packed, 20 bytes). */
#define E820_RAM        1
#define E820_RESERVED   2
#define E820_ACPI       3
#define E820_NVS        4
#define E820_UNUSABLE   5
struct e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
} __attribute__((packed));

struct xen_memory_map {
	uint32_t nr_entries;        /* IN: capacity; OUT: entries written */
	uint32_t _pad;
	uint64_t buffer;            /* IN: guest VA of struct e820_entry[] */
};

struct xen_foreign_memory_map {
	uint16_t domid;
	uint16_t _pad[3];
	struct xen_memory_map map;
};

#define XENMEM_resource_ioreq_server  0
#define XENMEM_resource_grant_table   1
#define XENMEM_resource_vmtrace_buf   2
#define XENMEM_resource_grant_table_id_shared  0
#define XENMEM_resource_grant_table_id_status  1
#define XENMEM_rsrc_acq_caller_owned  (1u << 0)

struct xen_mem_acquire_resource {
	uint16_t domid;             /* IN */
	uint16_t type;              /* IN: XENMEM_resource_* */
	uint32_t id;                /* IN */
	uint32_t nr_frames;         /* IN/OUT */
	uint32_t flags;             /* Xen 4.17's pad: must be 0 (was OUT XENMEM_rsrc_acq_*) */
	uint64_t frame;             /* IN: first frame index */
	uint64_t frame_list;        /* IN: guest VA of xen_pfn_t[nr_frames] */
};

_Static_assert(sizeof(struct xen_memory_reservation) == 32, "reservation");
_Static_assert(offsetof(struct xen_memory_reservation, extent_order) == 16, "order");
_Static_assert(offsetof(struct xen_memory_reservation, mem_flags) == 20, "flags");
_Static_assert(offsetof(struct xen_memory_reservation, domid) == 24, "domid");
_Static_assert(sizeof(struct xen_memory_exchange) == 72, "exchange");
_Static_assert(offsetof(struct xen_memory_exchange, nr_exchanged) == 64, "nr_exch");
_Static_assert(sizeof(struct xen_machphys_mfn_list) == 24, "mfn_list");
_Static_assert(sizeof(struct xen_machphys_mapping) == 24, "machphys_mapping");
_Static_assert(sizeof(struct xen_add_to_physmap) == 24, "add_to_physmap");
_Static_assert(sizeof(struct xen_remove_from_physmap) == 16, "remove_from_physmap");
_Static_assert(sizeof(struct xen_vnuma_topology_info) == 40, "vnuma_topology_info");
_Static_assert(offsetof(struct xen_vnuma_topology_info, vdistance) == 16, "vdistance");
_Static_assert(sizeof(struct e820_entry) == 20, "e820 entry");
_Static_assert(sizeof(struct xen_memory_map) == 16, "memory_map");
_Static_assert(offsetof(struct xen_memory_map, buffer) == 8, "mm buffer");
_Static_assert(sizeof(struct xen_foreign_memory_map) == 24, "foreign map");
_Static_assert(sizeof(struct xen_mem_acquire_resource) == 32, "acquire_resource");
_Static_assert(offsetof(struct xen_mem_acquire_resource, frame_list) == 24, "fl");

#endif /* PUBLIC_MEMORY_H */
