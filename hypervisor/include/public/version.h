/*
 * public/version.h - xen_version (#17): what the hypervisor is and offers.
 *
 * long xen_version(int cmd, void *arg)
 * Who: any domain.  Errors: -ENOSYS unknown cmd; -EFAULT arg not writable
 * (or not readable, for get_features); -EINVAL bad submap index.
 *
 *   XENVER_version          arg ignored (may be NULL).  Returns
 *                           (major << 16) | minor.  Also used by guests
 *                           purely to enter the hypervisor so pending events
 *                           are delivered.
 *   XENVER_extraversion     arg: char[16]  OUT: e.g. ".0-paravane", NUL-terminated.
 *   XENVER_compile_info     arg: struct xen_compile_info  OUT
 *   XENVER_capabilities     arg: char[1024] OUT: e.g. "xen-3.0-x86_64 ..."
 *   XENVER_changeset        arg: char[64]  OUT
 *   XENVER_platform_parameters arg: struct xen_platform_parameters OUT
 *   XENVER_get_features     arg: struct xen_feature_info: IN submap_idx,
 *                           OUT submap (XENFEAT_* bits, public/features.h)
 *   XENVER_pagesize         arg ignored; returns 4096.
 *   XENVER_guest_handle     arg: char[64]  OUT: the domain's handle (UUID)
 *   XENVER_commandline      arg: char[1024] OUT: hypervisor command line
 *                           (privileged domains only; others see zeros)
 *   XENVER_build_id         arg: struct xen_build_id; IN len = buffer size,
 *                           OUT buf = the hypervisor's build id. Returns its
 *                           length (also with a NULL arg); -EINVAL len 0;
 *                           -ENOBUFS too small; -ENODATA no id; -EPERM for
 *                           an unprivileged domain.
 */
#ifndef PUBLIC_VERSION_H
#define PUBLIC_VERSION_H

#include <stddef.h>
#include <stdint.h>

#define XENVER_version              0
#define XENVER_extraversion         1
#define XENVER_compile_info         2
#define XENVER_capabilities         3
#define XENVER_changeset            4
#define XENVER_platform_parameters  5
#define XENVER_get_features         6
#define XENVER_pagesize             7
#define XENVER_guest_handle         8
#define XENVER_commandline          9
#define XENVER_build_id            10

#define XEN_EXTRAVERSION_LEN       16
#define XEN_CAPABILITIES_INFO_LEN  1024
#define XEN_CHANGESET_INFO_LEN     64
#define XEN_GUEST_HANDLE_LEN       16   /* bytes of the UUID written */
#define XEN_COMMANDLINE_LEN        1024

typedef char xen_extraversion_t[XEN_EXTRAVERSION_LEN];
typedef char xen_capabilities_info_t[XEN_CAPABILITIES_INFO_LEN];
typedef char xen_changeset_info_t[XEN_CHANGESET_INFO_LEN];
typedef char xen_commandline_t[XEN_COMMANDLINE_LEN];

struct xen_compile_info {
	char compiler[64];
	char compile_by[16];
	char compile_domain[32];
	char compile_date[32];
};

struct xen_platform_parameters {
	uint64_t virt_start;     /* OUT: start of the hypervisor hole */
};

struct xen_feature_info {
	uint32_t submap_idx;     /* IN: which 32-bit submap */
	uint32_t submap;         /* OUT: its bits */
};

struct xen_build_id {
	uint32_t len;            /* IN: buffer size; OUT: id length */
	uint8_t  buf[];
};

_Static_assert(sizeof(struct xen_compile_info) == 144, "compile_info");
_Static_assert(sizeof(struct xen_platform_parameters) == 8, "platform_params");
_Static_assert(sizeof(struct xen_feature_info) == 8, "feature_info");

#endif /* PUBLIC_VERSION_H */
