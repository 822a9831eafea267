/*
 * xen_version: which hypervisor this is and what it offers. We report the
 * Xen interface version we follow (4.17) with "-paravane" as the extra
 * version, so that guests log something a person recognises.
 */
#include <arch.h>
#include <cmdline.h>
#include <domain.h>
#include <guest_access.h>
#include <hypercall.h>
#include <version.h>
#include <public/errno.h>
#include <public/features.h>
#include <public/version.h>

#define XEN_COMPAT_MAJOR 4
#define XEN_COMPAT_MINOR 17
#define EXTRAVERSION     ".0-paravane"

extern char saved_cmdline[1024];

/* The linker's build id (--build-id, placed by hypervisor.lds): an ELF note. */
extern const uint8_t __note_gnu_build_id_start[], __note_gnu_build_id_end[];
#define NT_GNU_BUILD_ID 3

static const uint8_t *build_id(uint32_t *len)
{
	const uint32_t *n = (const uint32_t *)__note_gnu_build_id_start;
	size_t size = (size_t)(__note_gnu_build_id_end - __note_gnu_build_id_start);

	/* namesz, descsz, type, "GNU\0", then the id */
	if (size < 16 || n[0] != 4 || n[2] != NT_GNU_BUILD_ID || n[1] == 0 || 16 + n[1] > size)
		return NULL;
	*len = n[1];
	return (const uint8_t *)(n + 4);
}

/*
 * XENVER_build_id, as Xen 4.17: for the privileged only; with no buffer the
 * id's length; a buffer's len is read first (0: -EINVAL), then the id is
 * written after it if it fits (-ENOBUFS); -ENODATA if the image has none.
 */
static int64_t put_build_id(struct domain *d, uint64_t arg)
{
	const uint8_t *id;
	uint32_t len, size = 0;

	if (!d->is_privileged)
		return -XEN_EPERM;
	if (arg) {
		if (copy_from_guest(&len, arg, sizeof(len)))
			return -XEN_EFAULT;
		if (len == 0)
			return -XEN_EINVAL;
	}
	id = build_id(&size);
	if (!id)
		return -XEN_ENODATA;
	if (!arg)
		return size;
	if (size > len)
		return -XEN_ENOBUFS;
	if (copy_to_guest(arg + offsetof(struct xen_build_id, buf), id, size))
		return -XEN_EFAULT;
	return size;
}

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
		return put_string(arg, arch_guest_abis(), 1024);
	case XENVER_changeset:
		return put_string(arg, "paravane " PARAVANE_VERSION, 64);
	case XENVER_platform_parameters: {
		struct xen_platform_parameters pp = { arch_guest_hole_start() };
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
		return arg ? -XEN_EINVAL : (int64_t)FRAME_SIZE;   /* as Xen: no argument is taken, one is refused */
	case XENVER_guest_handle: {
		uint8_t handle[16] = { 0 };   /* the toolstack sets UUIDs (issue 9) */
		return copy_to_guest(arg, handle, sizeof(handle)) ? -XEN_EFAULT : 0;
	}
	case XENVER_commandline:
		return put_string(arg, d->is_privileged ? saved_cmdline : "", 1024);
	case XENVER_build_id:
		return put_build_id(d, arg);
	default:
		return -XEN_ENOSYS;
	}
}
