/*
 * public/features.h - feature bits reported by xen_version(XENVER_get_features).
 *
 * The features form submaps of 32 bits; XENFEAT_NR_SUBMAPS submaps exist.
 * Linux PV reads submap 0 only and panics unless bits 5 and 7 are set; bits
 * 2 and 3 must be clear for a PV guest (it is neither auto-translated nor
 * running in ring 0).
 */
#ifndef PUBLIC_FEATURES_H
#define PUBLIC_FEATURES_H

#define XENFEAT_writable_page_tables        0  /* direct PTE writes OK (translated guests) */
#define XENFEAT_writable_descriptor_tables  1
#define XENFEAT_auto_translated_physmap     2  /* guest sees pfns, not mfns */
#define XENFEAT_supervisor_mode_kernel      3  /* guest kernel runs in ring 0 */
#define XENFEAT_pae_pgdir_above_4gb         4  /* L3/L4 may live above 4 GiB */
#define XENFEAT_mmu_pt_update_preserve_ad   5  /* MMU_PT_UPDATE_PRESERVE_AD exists */
#define XENFEAT_highmem_assist              6
#define XENFEAT_gnttab_map_avail_bits       7  /* GNTMAP_guest_avail0 honoured */
#define XENFEAT_hvm_callback_vector         8
#define XENFEAT_hvm_safe_pvclock            9
#define XENFEAT_hvm_pirqs                  10
#define XENFEAT_dom0                       11  /* domain is the initial domain */
#define XENFEAT_grant_map_identity         12
#define XENFEAT_memory_op_vnode_supported  13
#define XENFEAT_ARM_SMCCC_supported        14
#define XENFEAT_linux_rsdp_unrestricted    15
#define XENFEAT_not_direct_mapped          16
#define XENFEAT_direct_mapped              17

#define XENFEAT_NR_SUBMAPS  1

#endif /* PUBLIC_FEATURES_H */
