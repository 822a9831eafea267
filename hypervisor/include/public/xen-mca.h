/*
 * Machine-check hypercall (__HYPERVISOR_mca, #48): Xen's x86 ABI as Linux's
 * drivers/xen/mcelog.c uses it, re-declared from the published layout
 * (Xen's public/arch-x86/xen-mca.h). Only what Paravane answers is here.
 */
#ifndef PUBLIC_XEN_MCA_H
#define PUBLIC_XEN_MCA_H

#include <stdint.h>

#define XEN_MCA_INTERFACE_VERSION 0x01ecc003u

/* xen_mc.cmd */
#define XEN_MC_fetch         1
#define XEN_MC_notifydomain  2
#define XEN_MC_physcpuinfo   3
#define XEN_MC_msrinject     4
#define XEN_MC_mceinject     5
#define XEN_MC_inject_v2     6

/* xen_mc_fetch.flags, in */
#define XEN_MC_NONURGENT     0x1u
#define XEN_MC_URGENT        0x2u
#define XEN_MC_ACK           0x4u
/* xen_mc_fetch.flags, out */
#define XEN_MC_OK            0x0u
#define XEN_MC_FETCHFAILED   0x1u
#define XEN_MC_NODATA        0x2u

struct xen_mc_fetch {
	uint32_t flags;
	uint32_t _pad0;
	uint64_t fetch_id;
	uint64_t data;              /* guest handle: struct mc_info */
};

struct xen_mc_physcpuinfo {
	uint32_t ncpus;             /* in: entries at info; out: CPUs there are */
	uint32_t _pad0;
	uint64_t info;              /* guest handle: struct mcinfo_logical_cpu[]; 0: count only */
};

struct mcinfo_msr {
	uint64_t reg;
	uint64_t value;
};

#define MC_NCAPS          7
#define MC_MSR_ARRAYSIZE  8

/* One physical CPU as the machine-check log names it. */
struct mcinfo_logical_cpu {
	uint32_t mc_cpunr;
	uint32_t mc_chipid;
	uint16_t mc_coreid;
	uint16_t mc_threadid;
	uint32_t mc_apicid;
	uint32_t mc_clusterid;
	uint32_t mc_ncores;
	uint32_t mc_ncores_active;
	uint32_t mc_nthreads;
	uint32_t mc_cpuid_level;
	uint32_t mc_family;
	uint32_t mc_vendor;
	uint32_t mc_model;
	uint32_t mc_step;
	char mc_vendorid[16];
	char mc_brandid[64];
	uint32_t mc_cpu_caps[MC_NCAPS];
	uint32_t mc_cache_size;
	uint32_t mc_cache_alignment;
	uint32_t mc_nmsrvals;
	struct mcinfo_msr mc_msrvalues[MC_MSR_ARRAYSIZE];
};

/* The whole argument; the union's largest member (msrinject) is 144 bytes. */
struct xen_mc {
	uint32_t cmd;
	uint32_t interface_version;
	union {
		struct xen_mc_fetch mc_fetch;
		struct xen_mc_physcpuinfo mc_physcpuinfo;
		uint8_t _size[144];
	} u;
};

_Static_assert(sizeof(struct mcinfo_logical_cpu) == 304, "mcinfo_logical_cpu layout");
_Static_assert(sizeof(struct xen_mc) == 152, "xen_mc layout");

#endif
