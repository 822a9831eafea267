/*
 * xen_version: which hypervisor this is and what it offers. We report the
 * Xen interface version we follow (4.17) with "-paravane" as the extra
 * version, so that guests log something a person recognises.
 */
#include <cmdline.h>
#include <domain.h>
#include <guest_access.h>
#include <hypercall.h>
#include <version.h>
#include <public/arch-x86_64.h>
#include <public/errno.h>
#include <public/features.h>
#include <public/version.h>

#define XEN_COMPAT_MAJOR 4
#define XEN_COMPAT_MINOR 17
#define EXTRAVERSION     ".0-paravane"

extern char saved_cmdline[1024];

static uint32_t feature_submap(struct domain *d, uint32_t idx)
{
	uint32_t m = 0;

	if (idx != 0)
		return 0;
	m |= 1u << XENFEAT_mmu_pt_update_preserve_ad;
	m |= 1u << XENFEAT_highmem_assist;
	m |= 1u << XENFEAT_gnttab_map_avail_bits;
	if (d->is_privileged)
		m |= (1u << XENFEAT_dom0) | (1u << XENFEAT_linux_rsdp_unrestricted);
	return m;
}

static int64_t put_string(uint64_t arg, const char *s, size_t size)
{
	char buf[1024];

	memset(buf, 0, size);
	strlcpy(buf, s, size);
	return copy_to_guest(arg, buf, size) ? -XEN_EFAULT : 0;
}

int64_t do_xen_version(struct vcpu *v, const uint64_t args[6])
{
	struct domain *d = v->domain;
	uint64_t cmd = args[0], arg = args[1];

	switch (cmd) {
	case XENVER_version:
		return (XEN_COMPAT_MAJOR << 16) | XEN_COMPAT_MINOR;
	case XENVER_extraversion:
		return put_string(arg, EXTRAVERSION, 16);
	case XENVER_compile_info: {
		struct xen_compile_info ci;
		memset(&ci, 0, sizeof(ci));
		strlcpy(ci.compiler, "gcc", sizeof(ci.compiler));
		strlcpy(ci.compile_by, "paravane", sizeof(ci.compile_by));
		strlcpy(ci.compile_domain, PARAVANE_VERSION, sizeof(ci.compile_domain));
		strlcpy(ci.compile_date, __DATE__, sizeof(ci.compile_date));
		return copy_to_guest(arg, &ci, sizeof(ci)) ? -XEN_EFAULT : 0;
	}
	case XENVER_capabilities:
		return put_string(arg, "xen-3.0-x86_64", 1024);
	case XENVER_changeset:
		return put_string(arg, "paravane " PARAVANE_VERSION, 64);
	case XENVER_platform_parameters: {
		struct xen_platform_parameters pp = { HYPERVISOR_VIRT_START };
		return copy_to_guest(arg, &pp, sizeof(pp)) ? -XEN_EFAULT : 0;
	}
	case XENVER_get_features: {
		struct xen_feature_info fi;
		if (copy_from_guest(&fi, arg, sizeof(fi)))
			return -XEN_EFAULT;
		fi.submap = feature_submap(d, fi.submap_idx);
		return copy_to_guest(arg, &fi, sizeof(fi)) ? -XEN_EFAULT : 0;
	}
	case XENVER_pagesize:
		return arg ? -XEN_EINVAL : 4096;   /* as Xen: no argument is taken, one is refused */
	case XENVER_guest_handle: {
		uint8_t handle[16] = { 0 };   /* the toolstack sets UUIDs (issue 9) */
		return copy_to_guest(arg, handle, sizeof(handle)) ? -XEN_EFAULT : 0;
	}
	case XENVER_commandline:
		return put_string(arg, d->is_privileged ? saved_cmdline : "", 1024);
	default:
		return -XEN_ENOSYS;
	}
}
