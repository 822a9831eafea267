/*
 * xenctrl_builder_test.c - the libxenctrl calls the PV builder added
 * (xc_vcpu_context.c, xc_mmuext.c, xc_evtchn_unbound.c,
 * xc_fmem_resource.c) against a fake device layer of their own: what each
 * hands the kernel (hypercall numbers and arguments, the domctl layout,
 * the privcmd resource ioctl), what comes back, and bad arguments refused
 * before any device is touched.
 */
#define XC_WANT_COMPAT_MAP_FOREIGN_API
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <cmocka.h>
#include "linux_xen.h"
#include "lx_dev.h"
#include "d0_log.h"
#include "xenctrl.h"
#include "xenforeignmemory.h"

static struct {
	unsigned nioctl, nmunmap;
	unsigned long req;
	struct privcmd_hypercall h;
	struct xen_domctl domctl;
	struct vcpu_guest_context ctx;
	struct mmuext_op ops[2];
	struct evtchn_alloc_unbound au;
	uint8_t res[32];
	long rc;
} F;

static int f_open(const char *path, int flags)
{
	return 7;
}

static int f_close(int fd)
{
	return 0;
}

static long f_ioctl(int fd, unsigned long req, void *arg)
{
	F.nioctl++;
	F.req = req;
	if (req == IOCTL_PRIVCMD_HYPERCALL) {
		F.h = *(struct privcmd_hypercall *)arg;
		if (F.h.op == __HYPERVISOR_domctl) {
			struct xen_domctl *d = (void *)(uintptr_t)F.h.arg[0];
			uint64_t handle;

			F.domctl = *d;
			memcpy(&handle, d->u.pad + 8, 8);
			if (d->cmd == 12)
				F.ctx = *(struct vcpu_guest_context *)(uintptr_t)handle;
			else
				memcpy((void *)(uintptr_t)handle, &F.ctx, sizeof(F.ctx));
		} else if (F.h.op == __HYPERVISOR_mmuext_op) {
			memcpy(F.ops, (void *)(uintptr_t)F.h.arg[0], F.h.arg[1] * sizeof(F.ops[0]));
		} else if (F.h.op == __HYPERVISOR_event_channel_op) {
			struct evtchn_alloc_unbound *a = (void *)(uintptr_t)F.h.arg[1];

			F.au = *a;
			a->port = 42;
		}
	} else {
		memcpy(F.res, arg, sizeof(F.res));
	}
	return F.rc;
}

static int f_mmap(void **out, size_t len, int prot, int flags, int fd, off_t off)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	assert_true(p != MAP_FAILED);
	*out = p;
	return 0;
}

static int f_munmap(void *addr, size_t len)
{
	F.nmunmap++;
	return munmap(addr, len) ? -errno : 0;
}

static const struct lx_ops fake_ops = {
	.open = f_open, .close = f_close, .ioctl = f_ioctl, .mmap = f_mmap, .munmap = f_munmap,
};

static int setup(void **state)
{
	static FILE *devnull;

	memset(&F, 0, sizeof(F));
	if (!devnull)
		devnull = fopen("/dev/null", "w");
	d0_log_set_stream(devnull);
	lx_set_ops(&fake_ops);
	return 0;
}

static int teardown(void **state)
{
	lx_set_ops(NULL);
	return 0;
}

static void vcpu_context(void **state)
{
	xc_interface *xch = xc_interface_open(NULL, NULL, 0);
	vcpu_guest_context_any_t c = { 0 };
	uint32_t vcpu;

	assert_non_null(xch);
	c.c.user_regs.rip = 0xffffffff81000000ull;
	c.c.ctrlreg[3] = 0x1234000;
	assert_int_equal(xc_vcpu_setcontext(xch, 5, 1, &c), 0);
	assert_int_equal(F.h.op, __HYPERVISOR_domctl);
	assert_int_equal(F.domctl.cmd, 12);
	assert_int_equal(F.domctl.interface_version, XEN_DOMCTL_INTERFACE_VERSION);
	assert_int_equal(F.domctl.domain, 5);
	memcpy(&vcpu, F.domctl.u.pad, 4);
	assert_int_equal(vcpu, 1);
	assert_memory_equal(&F.ctx, &c.c, sizeof(c.c));

	F.ctx.user_regs.rsi = 0x777;
	memset(&c, 0, sizeof(c));
	assert_int_equal(xc_vcpu_getcontext(xch, 5, 0, &c), 0);
	assert_int_equal(F.domctl.cmd, 13);
	assert_int_equal(c.x64.user_regs.rsi, 0x777);

	F.nioctl = 0;
	F.rc = -EINVAL;
	assert_int_equal(xc_vcpu_setcontext(xch, 5, 0, &c), -1);
	assert_int_equal(errno, EINVAL);
	F.rc = 0;
	F.nioctl = 0;
	assert_int_equal(xc_vcpu_setcontext(xch, 0x10000, 0, &c), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(xc_vcpu_setcontext(xch, DOMID_SELF, 0, &c), -1);
	assert_int_equal(errno, ESRCH);
	assert_int_equal(xc_vcpu_setcontext(xch, 5, 0, NULL), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(F.nioctl, 0);
	xc_interface_close(xch);
}

static void mmuext_pin(void **state)
{
	xc_interface *xch = xc_interface_open(NULL, NULL, 0);
	struct mmuext_op op = { .cmd = MMUEXT_PIN_L4_TABLE, .arg1.mfn = 0xabcde };

	assert_int_equal(xc_mmuext_op(xch, &op, 1, 9), 0);
	assert_int_equal(F.h.op, __HYPERVISOR_mmuext_op);
	assert_int_equal(F.h.arg[1], 1);
	assert_int_equal(F.h.arg[2], 0);        /* no done count */
	assert_int_equal(F.h.arg[3], 9);        /* the foreign domain */
	assert_int_equal(F.ops[0].cmd, MMUEXT_PIN_L4_TABLE);
	assert_int_equal(F.ops[0].arg1.mfn, 0xabcde);
	F.nioctl = 0;
	assert_int_equal(xc_mmuext_op(xch, &op, 0, 9), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(xc_mmuext_op(xch, &op, 1, 0x10000), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(F.nioctl, 0);
	xc_interface_close(xch);
}

static void alloc_unbound(void **state)
{
	xc_interface *xch = xc_interface_open(NULL, NULL, 0);

	assert_int_equal(xc_evtchn_alloc_unbound(xch, 3, 0), 42);
	assert_int_equal(F.h.op, __HYPERVISOR_event_channel_op);
	assert_int_equal(F.h.arg[0], EVTCHNOP_alloc_unbound);
	assert_int_equal(F.au.dom, 3);
	assert_int_equal(F.au.remote_dom, 0);
	F.rc = -ESRCH;
	assert_int_equal(xc_evtchn_alloc_unbound(xch, 3, 0), -1);
	assert_int_equal(errno, ESRCH);
	F.nioctl = 0;
	assert_int_equal(xc_evtchn_alloc_unbound(xch, 3, 0x10000), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(F.nioctl, 0);
	xc_interface_close(xch);
}

static void map_resource(void **state)
{
	xenforeignmemory_handle *fmem = xenforeignmemory_open(NULL, 0);
	xenforeignmemory_resource_handle *res;
	void *addr = NULL;
	uint32_t type, id, idx;
	uint64_t num, at;

	assert_non_null(fmem);
	res = xenforeignmemory_map_resource(fmem, 4, XENMEM_resource_grant_table,
					    XENMEM_resource_grant_table_id_shared, 0, 1, &addr,
					    PROT_READ | PROT_WRITE, 0);
	assert_non_null(res);
	assert_non_null(addr);
	/* Linux's IOCTL_PRIVCMD_MMAP_RESOURCE: _IOC(_IOC_NONE, 'P', 7, 32) */
	assert_int_equal(F.req, _IOC(_IOC_NONE, 'P', 7, 32));
	assert_int_equal(F.res[0] | F.res[1] << 8, 4);
	memcpy(&type, F.res + 4, 4);
	memcpy(&id, F.res + 8, 4);
	memcpy(&idx, F.res + 12, 4);
	memcpy(&num, F.res + 16, 8);
	memcpy(&at, F.res + 24, 8);
	assert_int_equal(type, XENMEM_resource_grant_table);
	assert_int_equal(id, XENMEM_resource_grant_table_id_shared);
	assert_int_equal(idx, 0);
	assert_int_equal(num, 1);
	assert_int_equal(at, (uintptr_t)addr);
	assert_int_equal(xenforeignmemory_unmap_resource(fmem, res), 0);
	assert_int_equal(F.nmunmap, 1);

	/* refused: nothing left mapped */
	F.rc = -EOPNOTSUPP;
	addr = NULL;
	assert_null(xenforeignmemory_map_resource(fmem, 4, 1, 0, 0, 1, &addr, PROT_READ, 0));
	assert_int_equal(errno, EOPNOTSUPP);
	assert_int_equal(F.nmunmap, 2);
	assert_null(addr);
	F.rc = 0;
	addr = &addr;
	assert_null(xenforeignmemory_map_resource(fmem, 4, 1, 0, 0, 1, &addr, PROT_READ, 0));
	assert_int_equal(errno, EINVAL);
	addr = NULL;
	assert_null(xenforeignmemory_map_resource(fmem, 4, 1, 0, 0, 0, &addr, PROT_READ, 0));
	assert_int_equal(errno, EINVAL);
	assert_int_equal(xenforeignmemory_close(fmem), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(vcpu_context, setup, teardown),
		cmocka_unit_test_setup_teardown(mmuext_pin, setup, teardown),
		cmocka_unit_test_setup_teardown(alloc_unbound, setup, teardown),
		cmocka_unit_test_setup_teardown(map_resource, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
