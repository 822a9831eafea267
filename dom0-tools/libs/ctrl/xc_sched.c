/*
 * xc_sched.c - scheduling from the toolstack, as Xen 4.17's libxenctrl:
 * which scheduler the host runs (sysctl sched_id), a domain's credit
 * weight and cap (domctl scheduler_op), the credit scheduler's own
 * parameters (sysctl scheduler_op), each physical CPU's idle time
 * (sysctl getcpuinfo, what `xl top` turns into CPU use), and shutting a
 * domain down from outside (sched_op remote_shutdown).
 */
#include <stdlib.h>
#include <string.h>
#include "xc_private.h"

int xc_sched_id(xc_interface *xch, int *sched_id)
{
	struct xen_sysctl op = { .cmd = XEN_SYSCTL_sched_id };
	struct xen_sysctl_sched_id s;
	int rc = sched_id ? xcp_sysctl(xch, &op) : -EINVAL;

	if (rc == 0) {
		memcpy(&s, op.u.pad, sizeof(s));
		*sched_id = (int)s.sched_id;
	}
	return xc_ret(rc);
}

static int credit(xc_interface *xch, uint32_t domid, uint32_t cmd,
		  struct xen_domctl_sched_credit *sdom)
{
	struct xen_domctl op = { .cmd = XEN_DOMCTL_scheduler_op };
	struct xen_domctl_scheduler_op s = { .sched_id = XEN_SCHEDULER_CREDIT, .cmd = cmd };
	int rc = xcp_domid_real(domid);

	if (rc < 0)
		return rc;
	if (!sdom)
		return -EINVAL;
	s.u.credit = *sdom;
	op.domain = (domid_t)domid;
	memcpy(op.u.pad, &s, sizeof(s));
	rc = xcp_domctl(xch, &op);
	if (rc == 0 && cmd == XEN_DOMCTL_SCHEDOP_getinfo) {
		memcpy(&s, op.u.pad, sizeof(s));
		*sdom = s.u.credit;
	}
	return rc;
}

int xc_sched_credit_domain_set(xc_interface *xch, uint32_t domid,
			       struct xen_domctl_sched_credit *sdom)
{
	return xc_ret(credit(xch, domid, XEN_DOMCTL_SCHEDOP_putinfo, sdom));
}

int xc_sched_credit_domain_get(xc_interface *xch, uint32_t domid,
			       struct xen_domctl_sched_credit *sdom)
{
	return xc_ret(credit(xch, domid, XEN_DOMCTL_SCHEDOP_getinfo, sdom));
}

static int credit_params(xc_interface *xch, uint32_t pool, uint32_t cmd,
			 struct xen_sysctl_credit_schedule *p)
{
	struct xen_sysctl op = { .cmd = XEN_SYSCTL_scheduler_op };
	struct xen_sysctl_scheduler_op s = {
		.cpupool_id = pool, .sched_id = XEN_SCHEDULER_CREDIT, .cmd = cmd,
	};
	int rc;

	if (!p)
		return -EINVAL;
	s.u.sched_credit = *p;
	memcpy(op.u.pad, &s, sizeof(s));
	rc = xcp_sysctl(xch, &op);
	if (rc == 0) {
		memcpy(&s, op.u.pad, sizeof(s));
		*p = s.u.sched_credit;
	}
	return rc;
}

int xc_sched_credit_params_set(xc_interface *xch, uint32_t cpupool_id,
			       struct xen_sysctl_credit_schedule *schedule)
{
	return xc_ret(credit_params(xch, cpupool_id, XEN_SYSCTL_SCHEDOP_putinfo, schedule));
}

int xc_sched_credit_params_get(xc_interface *xch, uint32_t cpupool_id,
			       struct xen_sysctl_credit_schedule *schedule)
{
	return xc_ret(credit_params(xch, cpupool_id, XEN_SYSCTL_SCHEDOP_getinfo, schedule));
}

int xc_getcpuinfo(xc_interface *xch, int max_cpus, xc_cpuinfo_t *info,
		  int *nr_cpus)
{
	struct xen_sysctl op = { .cmd = XEN_SYSCTL_getcpuinfo };
	struct xen_sysctl_getcpuinfo g;
	size_t len;
	void *buf;
	int rc;

	if (max_cpus <= 0 || !info)
		return xc_ret(-EINVAL);
	len = (size_t)max_cpus * sizeof(*info);
	buf = xcp_buf_alloc(len);
	if (!buf)
		return xc_ret(-ENOMEM);
	g = (struct xen_sysctl_getcpuinfo){ .max_cpus = (uint32_t)max_cpus, .info = (uintptr_t)buf };
	memcpy(op.u.pad, &g, sizeof(g));
	rc = xcp_sysctl(xch, &op);
	if (rc == 0) {
		memcpy(&g, op.u.pad, sizeof(g));
		if (g.nr_cpus > (uint32_t)max_cpus)	/* never more than asked */
			g.nr_cpus = (uint32_t)max_cpus;
		memcpy(info, buf, g.nr_cpus * sizeof(*info));
		if (nr_cpus)
			*nr_cpus = (int)g.nr_cpus;
	}
	xcp_buf_free(buf, len);
	return xc_ret(rc);
}

int xc_domain_shutdown(xc_interface *xch, uint32_t domid, int reason)
{
	struct sched_remote_shutdown *s;
	int rc = xcp_domid_real(domid);

	if (rc < 0)
		return xc_ret(rc);
	s = xcp_buf_alloc(sizeof(*s));
	if (!s)
		return xc_ret(-ENOMEM);
	*s = (struct sched_remote_shutdown){ .domain_id = (uint16_t)domid, .reason = (uint32_t)reason };
	rc = (int)xcp_hypercall(xch, __HYPERVISOR_sched_op, SCHEDOP_remote_shutdown,
				(uintptr_t)s, 0, 0, 0);
	xcp_buf_free(s, sizeof(*s));
	return xc_ret(rc < 0 ? rc : 0);
}
