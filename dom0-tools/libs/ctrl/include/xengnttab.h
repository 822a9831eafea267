/*
 * xengnttab.h - mapping other domains' grants from Dom0 user space over
 * /dev/xen/gntdev, with Xen 4.17's libxengnttab names and conventions
 * (part of Paravane's libxenctrl; docs/toolstack.md "libxenctrl").
 *
 * Returns: a mapping, or 0, on success; NULL or -1 with errno on failure.
 * Unmap a mapping with xengnttab_unmap and the count it was mapped with.
 */
#ifndef XENGNTTAB_H
#define XENGNTTAB_H

#include <stdint.h>
#include <public/grant_table.h>
#include <public/event_channel.h>

typedef struct xengnttab_handle xengnttab_handle;
struct xentoollog_logger;

/* At most this many grants per call. */
#define XENGNTTAB_MAP_MAX (1u << 16)

xengnttab_handle *xengnttab_open(struct xentoollog_logger *logger,
				 unsigned open_flags);
/* Close it (NULL is fine); mappings still in place stay until unmapped. */
int xengnttab_close(xengnttab_handle *xgt);
int xengnttab_fd(xengnttab_handle *xgt);

/* One grant, ref of domain domid; prot as for mmap(2). */
void *xengnttab_map_grant_ref(xengnttab_handle *xgt, uint32_t domid,
			      uint32_t ref, int prot);
/* count grants, each from its own domain, mapped contiguously. */
void *xengnttab_map_grant_refs(xengnttab_handle *xgt, uint32_t count,
			       uint32_t *domids, uint32_t *refs, int prot);
/* count grants of one domain. */
void *xengnttab_map_domain_grant_refs(xengnttab_handle *xgt, uint32_t count,
				      uint32_t domid, uint32_t *refs, int prot);
int xengnttab_unmap(xengnttab_handle *xgt, void *start_address, uint32_t count);
/* Bound what this handle may map at once (a kernel without the limit
 * accepts anything). */
int xengnttab_set_max_grants(xengnttab_handle *xgt, uint32_t nr_grants);

#endif /* XENGNTTAB_H */
