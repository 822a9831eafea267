/*
 * libFuzzer harness: vcpu_op, set_timer_op and physdev_op by model guests,
 * on the fake machine of tests/unit/fake/memory.c (hv_fuzz.h), through the
 * real entry points do_vcpu_op, do_set_timer_op (common/vcpu.c) with
 * VCPUOP_initialise's checks and apply (arch/x86/pv/vcpu_context.c,
 * descriptors.c, emulate_cr.c's debug registers) and do_physdev_op
 * (arch/x86/pv/physdev.c, physdev_io.c), mixed with the memory hypercalls
 * of hv_fuzz_mm_ops.c so that contexts can name real L4s, GDT frames and
 * LDTs (pinned, in use, foreign, typed otherwise).
 *
 * Domain A has three vCPUs: 0 (running, vcpu_info in shared_info), 1 (not
 * initialised) and 2 (beyond shared_info's slots: no vcpu_info until it
 * registers one); domain B one. Contexts come from the input: CR3 and the
 * user L4 naming any frame, GDT frames and counts at and past the limit,
 * LDT bases and sizes, code and stack addresses in guest memory, in the
 * hypervisor's hole or non-canonical, segment bases, debug registers with
 * breakpoints on hypervisor addresses, VM assists, flags.
 *
 * After every call, besides fz_check_invariants (whose counts now include
 * each moved vcpu_info frame and pirq EOI frame, a general and a writable
 * type reference each): a moved vcpu_info lies wholly inside a frame the
 * vCPU's domain owns; an initialised vCPU's state is what the checks
 * promise: kernel (and user) L4 validated (the invariants' type check),
 * ring-3 CS and SS, IF set and IOPL 0 in the real RFLAGS, canonical
 * segment bases and stacks, trap and callback addresses outside the
 * hypervisor, debug registers pv_check_debugreg accepts, LDT inside guest
 * space; the virtual IOPL at most 3; an I/O bitmap of at most 65536 ports
 * inside guest space; a periodic timer of at least 1 ms; a
 * domain whose last vCPU went down was shut down. At the end both domains are
 * destroyed (vcpu_info and EOI frames given back) and every frame must be
 * free again.
 */
#include "hv_fuzz.h"
#include <arch.h>
#include <cmdline.h>
#include "emulate.h"
#include "physdev.h"
#include "mm.h"
#include <asm/ioports.h>
#include <guest_access.h>
#include <public/errno.h>
#include <public/physdev.h>
#include <public/vcpu.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_OPS 40
#define NV 4   /* vCPUs: A0 (fz_vcpu[0]), A1, A2, B0 (fz_vcpu[1]) */

static struct arch_vcpu extra_arch[2];
static struct vcpu extra_vcpu[2];
static struct shared_info shinfo_a, shinfo_b;
static bool shut_down[3];

/* ---- What vcpu.c, physdev.c and vcpu_context.c need from the rest -------- */

uint64_t now_ns(void) { return 1000000000ULL; }
void timer_init(struct timer *t, void (*fn)(void *), void *data) { memset(t, 0, sizeof(*t)); }
void timer_set(struct timer *t, uint64_t expires) { t->expires = expires; t->active = true; }
void timer_stop(struct timer *t) { t->active = false; }
void sched_vcpu_init(struct vcpu *v) {}
void sched_start_vcpu(struct vcpu *v) { v->online = true; }
void sched_remove_vcpu(struct vcpu *v) {}
void sched_get_runstate(struct vcpu *v, struct vcpu_runstate_info *r) { memset(r, 0, sizeof(*r)); }
void sched_set_runstate_area(struct vcpu *v, uint64_t va) { v->runstate_va = va; }
void evtchn_send_virq(struct vcpu *v, unsigned virq) {}
void evtchn_unmask(struct domain *d, unsigned port) {}
void arch_vcpu_time_update(struct vcpu *v) {}
void domain_shutdown(struct domain *d, unsigned reason) { shut_down[d->domain_id] = true; }
void pv_fpu_reset(struct vcpu *v) {}
void xstate_area_set_legacy(void *area, const void *fx) {}
void xstate_area_get_legacy(const void *area, void *fxsave) {}
void arch_host_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t out[4]) { memset(out, 0, 16); }
void arch_host_xsetbv(uint32_t xcr, uint64_t val) { FZ_FAIL("XSETBV reached"); }
struct hv_options hv_opts;   /* no COM1: no port is the UART's */
cpumask_t arch_cpus_online(void) { return 1; }
uint64_t arch_cpu_physid(unsigned cpu) { return cpu; }
void arch_host_set_debugregs(const uint64_t addr[4], uint64_t dr7) {}
uint64_t arch_host_take_dr6(void) { return 0; }

/* No IO-APIC and no pirqs here: those sub-ops reach their checks and fail. */
int pirq_map_irq(struct domain *d, unsigned gsi, int *pirq) { return -XEN_EINVAL; }
int pirq_unmap(struct domain *d, unsigned pirq) { return -XEN_EINVAL; }
int pirq_eoi(struct domain *d, unsigned pirq) { return -XEN_EINVAL; }
unsigned pirq_port(struct domain *d, unsigned pirq) { return 0; }
int io_apic_setup_gsi(unsigned gsi, bool level, bool low) { return -XEN_EINVAL; }

/* ---- Setup ------------------------------------------------------------------ */

static struct vcpu *vcpu_of(unsigned i)
{
	return i == 0 ? &fz_vcpu[0] : i == 3 ? &fz_vcpu[1] : &extra_vcpu[i - 1];
}

static void setup(uint8_t p)
{
	fz_setup_from(p);
	memset(shut_down, 0, sizeof(shut_down));
	memset(&shinfo_a, 0, sizeof(shinfo_a));
	memset(&shinfo_b, 0, sizeof(shinfo_b));
	memset(extra_arch, 0, sizeof(extra_arch));
	for (unsigned i = 0; i < 2; i++) {
		struct vcpu *v = &extra_vcpu[i];
		*v = (struct vcpu){ .vcpu_id = i + 1, .domain = &mm_dom_a, .arch = &extra_arch[i] };
		extra_arch[i].kernel_l4 = extra_arch[i].user_l4 = INVALID_MFN;
		if (pv_gdt_alloc(v))
			FZ_FAIL("no memory for a GDT");
		mm_dom_a.vcpus[i + 1] = v;
		vcpu_timers_init(v);
	}
	mm_dom_a.max_vcpus = 3;
	fz_vcpu[0].vcpu_info = &shinfo_a.vcpu_info[0];
	extra_vcpu[0].vcpu_info = &shinfo_a.vcpu_info[1];
	extra_vcpu[1].vcpu_info = NULL;   /* as a vCPU past shared_info's slots */
	fz_vcpu[1].vcpu_info = &shinfo_b.vcpu_info[0];
	for (unsigned i = 0; i < 2; i++) {
		fz_vcpu[i].online = true;
		vcpu_timers_init(&fz_vcpu[i]);
	}
}

/* ---- Decoding --------------------------------------------------------------- */

/* A guest address: in the argument area, in guest space but unmapped, in the hole, non-canonical, 0. */
static uint64_t fz_addr(struct fz_in *in)
{
	static const uint64_t kinds[] = { FZ_ARG_VA, FZ_ARG_VA + 0x100, 0xffffffff80000000ULL, 0,
					  HYPERVISOR_VIRT_START, HYPERVISOR_VIRT_END - 8, 0x0000800000000000ULL,
					  0xfffffffffffff000ULL };
	uint8_t b = fz_u8(in);

	return kinds[b % 8] + (b & 0x80 ? 0x1000 * (fz_u8(in) % 4) : 0);
}

static void put_context(struct fz_in *in)
{
	struct vcpu_guest_context *c = (struct vcpu_guest_context *)fz_arg;
	uint8_t f = fz_u8(in), g = fz_u8(in);

	memset(c, 0, sizeof(*c));
	c->flags = (f & 1 ? VGCF_in_kernel : 0) | (f & 2 ? VGCF_i387_valid : 0) |
		   (f & 4 ? VGCF_failsafe_disables_events : 0) | (f & 8 ? 1ULL << 40 : 0);
	c->ctrlreg[3] = fz_frame(in) << 12;
	if (f & 0x10)
		c->ctrlreg[1] = fz_frame(in) << 12;
	if (f & 0x20)
		c->ctrlreg[3] |= fz_u8(in);   /* low bits in CR3 */
	c->ctrlreg[0] = g & 1 ? 8 : 0;
	c->gdt_ents = g & 2 ? fz_u16(in) % 8192 : (g >> 2) % 4 * 160;
	for (unsigned i = 0; i < 4; i++)
		c->gdt_frames[i] = fz_frame(in);
	c->ldt_base = g & 0x10 ? fz_va(in) : fz_addr(in);
	c->ldt_ents = g & 0x20 ? fz_u16(in) : (g & 0x40 ? 8 : 0);
	c->user_regs.rip = fz_addr(in);
	c->user_regs.rsp = fz_addr(in);
	c->user_regs.cs = g & 0x80 ? fz_u16(in) : FLAT_KERNEL_CS;
	c->user_regs.ss = g & 0x80 ? fz_u16(in) : FLAT_KERNEL_SS;
	c->user_regs.rflags = (uint64_t)fz_u16(in) << 4;
	c->kernel_ss = fz_u16(in);
	c->kernel_sp = fz_addr(in);
	c->event_callback_eip = fz_addr(in);
	c->failsafe_callback_eip = fz_addr(in);
	c->syscall_callback_eip = fz_addr(in);
	for (unsigned i = 0; i < 2; i++) {
		struct trap_info *t = &c->trap_ctxt[fz_u8(in)];
		t->address = fz_addr(in);
		t->cs = fz_u16(in);
		t->flags = fz_u8(in);
	}
	c->fs_base = f & 0x40 ? fz_addr(in) : 0;
	c->gs_base_kernel = f & 0x80 ? fz_addr(in) : 0;
	c->gs_base_user = f & 0x80 ? fz_addr(in) : 0;
	uint8_t d = fz_u8(in);
	if (d & 1)
		c->debugreg[d >> 6] = fz_addr(in);
	if (d & 2)
		c->debugreg[7] = (uint64_t)fz_u16(in) | (d & 4 ? 1ULL << 13 : 0) | (d & 8 ? 1ULL << 33 : 0);
	if (d & 0x10)
		c->debugreg[6] = (uint64_t)fz_u16(in) << (d & 0x20 ? 24 : 0);
	c->vm_assist = fz_u8(in) & 0x3f;
	if (d & 0x20)
		c->vm_assist |= 1ULL << (fz_u8(in) % 64);
}

static void op_vcpu(struct fz_in *in)
{
	static const unsigned cmds[] = {
		VCPUOP_initialise, VCPUOP_initialise, VCPUOP_up, VCPUOP_down, VCPUOP_is_up,
		VCPUOP_get_runstate_info, VCPUOP_register_runstate_memory_area, VCPUOP_set_periodic_timer,
		VCPUOP_stop_periodic_timer, VCPUOP_set_singleshot_timer, VCPUOP_stop_singleshot_timer,
		VCPUOP_register_vcpu_info, VCPUOP_send_nmi, VCPUOP_get_physid, 14, 99,
	};
	uint8_t b = fz_u8(in);
	unsigned cmd = cmds[b % 16], id = (b >> 4) % 4;
	uint64_t arg = FZ_ARG_VA, vid = id == 3 ? fz_u8(in) : id;
	uint64_t *a = (uint64_t *)fz_arg;

	memset(fz_arg, 0, 64);
	switch (cmd) {
	case VCPUOP_initialise:
		put_context(in);
		break;
	case VCPUOP_register_runstate_memory_area:
		a[0] = fz_addr(in);
		break;
	case VCPUOP_set_periodic_timer:
		a[0] = (uint64_t)fz_u16(in) * (fz_u8(in) & 1 ? 1000 : 100);
		break;
	case VCPUOP_set_singleshot_timer:
		a[0] = (uint64_t)fz_u16(in) << 16;
		a[1] = fz_u8(in) % 4;
		break;
	case VCPUOP_register_vcpu_info:
		a[0] = fz_frame(in);
		a[1] = (uint64_t)fz_u16(in) % 4200 | (fz_u8(in) % 8 == 0 ? 1ULL << 32 : 0);   /* offset, rsvd */
		break;
	}
	if (fz_u8(in) % 16 == 0)
		arg = fz_addr(in);   /* the argument itself anywhere */
	fz_trace("vcpu_op", cmd, vid, do_vcpu_op(current_vcpu(), (uint64_t[6]){ cmd, vid, arg, 0, 0, 0 }));
}

static void op_physdev(struct fz_in *in)
{
	static const unsigned cmds[] = {
		PHYSDEVOP_set_iopl, PHYSDEVOP_set_iobitmap, PHYSDEVOP_pirq_eoi_gmfn_v1, PHYSDEVOP_pirq_eoi_gmfn_v2,
		PHYSDEVOP_irq_status_query, PHYSDEVOP_eoi, PHYSDEVOP_map_pirq, PHYSDEVOP_unmap_pirq,
		PHYSDEVOP_setup_gsi, PHYSDEVOP_alloc_irq_vector, PHYSDEVOP_pci_device_add, PHYSDEVOP_apic_read,
		PHYSDEVOP_IRQ_UNMASK_NOTIFY, PHYSDEVOP_get_free_pirq, PHYSDEVOP_manage_pci_add, 99,
	};
	unsigned cmd = cmds[fz_u8(in) % 16];
	uint32_t *w = (uint32_t *)fz_arg;
	uint64_t arg = FZ_ARG_VA;

	memset(fz_arg, 0, 64);
	for (unsigned i = 0; i < 6; i++)
		w[i] = fz_u8(in) & 1 ? fz_u16(in) : (uint32_t)(int32_t)(int8_t)fz_u8(in);
	switch (cmd) {
	case PHYSDEVOP_set_iobitmap: {
		struct physdev_set_iobitmap *b = (struct physdev_set_iobitmap *)fz_arg;
		b->bitmap = fz_addr(in);
		b->nr_ports = fz_u8(in) & 1 ? 65536 + fz_u8(in) % 2 : fz_u16(in);
		break;
	}
	case PHYSDEVOP_pirq_eoi_gmfn_v1: case PHYSDEVOP_pirq_eoi_gmfn_v2:
		*(uint64_t *)fz_arg = fz_frame(in);
		break;
	case PHYSDEVOP_map_pirq: case PHYSDEVOP_unmap_pirq: {
		static const domid_t ids[] = { DOMID_SELF, 1, 2, 9 };
		*(domid_t *)fz_arg = ids[fz_u8(in) % 4];
		break;
	}
	}
	if (fz_u8(in) % 16 == 0)
		arg = fz_addr(in);
	fz_trace("physdev_op", cmd, w[0], do_physdev_op(current_vcpu(), (uint64_t[6]){ cmd, arg, 0, 0, 0, 0 }));
}

/* ---- Checks ----------------------------------------------------------------- */

static void extra_refs(void)
{
	for (unsigned i = 0; i < NV; i++) {
		struct vcpu *v = vcpu_of(i);
		if (!v->vcpu_info_moved)
			continue;
		uint64_t pa = arch_virt_to_phys(v->vcpu_info);
		mfn_t m = pa >> 12;
		if ((pa & 4095) + sizeof(struct vcpu_info) > 4096 || m >= MM_FRAMES ||
		    frame_table[m].owner != v->domain->domain_id)
			FZ_FAIL("d%u v%u: vcpu_info at %#lx, not inside a frame of its own", v->domain->domain_id,
				v->vcpu_id, (unsigned long)pa);
		fz_hold(m, PGT_writable, "moved vcpu_info", m, v->vcpu_id);
	}
	for (unsigned i = 0; i < 2; i++) {
		struct domain *d = fz_vcpu[i].domain;
		struct physdev_domain *p = physdev_domain_get(d, false);
		if (!p || p->pirq_eoi_mfn == INVALID_MFN)
			continue;
		if (p->pirq_eoi_mfn >= MM_FRAMES || frame_table[p->pirq_eoi_mfn].owner != d->domain_id)
			FZ_FAIL("d%u: pirq EOI frame %#lx not its own", d->domain_id, (unsigned long)p->pirq_eoi_mfn);
		fz_hold(p->pirq_eoi_mfn, PGT_writable, "pirq EOI map", p->pirq_eoi_mfn, 0);
	}
}

static bool canonical(uint64_t va) { return (uint64_t)((int64_t)(va << 16) >> 16) == va; }
static bool in_hole(uint64_t va) { return va >= HYPERVISOR_VIRT_START && va < HYPERVISOR_VIRT_END; }

static void check_vcpus(const char *where)
{
	for (unsigned i = 0; i < NV; i++) {
		struct vcpu *v = vcpu_of(i);
		struct arch_vcpu *a = av(v);
		uint64_t iobmp;
		uint32_t nr;

		if (a->iopl > 3)
			FZ_FAIL("%s: v%u virtual IOPL %u", where, i, a->iopl);
		ioports_guest_bitmap(v, &iobmp, &nr);
		if (nr > 65536 || (nr && !guest_range_ok(iobmp, 8192)))
			FZ_FAIL("%s: v%u I/O bitmap %#lx for %u ports", where, i, (unsigned long)iobmp, nr);
		if (v->periodic_timer.active && v->periodic_period < 1000000)
			FZ_FAIL("%s: v%u periodic timer of %lu ns", where, i, (unsigned long)v->periodic_period);
		if (!a->context_set)
			continue;
		const struct cpu_regs *r = &a->regs;
		if ((r->cs & 3) != 3 || (r->ss & 3) != 3 || !(r->rflags & (1u << 9)) || (r->rflags & (3u << 12)))
			FZ_FAIL("%s: v%u runs with cs %#lx ss %#lx rflags %#lx", where, i, (unsigned long)r->cs,
				(unsigned long)r->ss, (unsigned long)r->rflags);
		if (!canonical(a->fs_base) || !canonical(a->gs_base_kernel) || !canonical(a->gs_base_user) ||
		    !canonical(r->rsp) || !canonical(a->kernel_sp))
			FZ_FAIL("%s: v%u non-canonical base or stack", where, i);
		if (!guest_range_ok(r->rip, 1) || in_hole(a->event_cb.address) || in_hole(a->failsafe_cb.address) ||
		    in_hole(a->syscall_cb.address))
			FZ_FAIL("%s: v%u code address in the hypervisor", where, i);
		for (unsigned t = 0; t < 256; t++)
			if (a->traps[t].address && !guest_range_ok(a->traps[t].address, 1))
				FZ_FAIL("%s: v%u trap %u at %#lx", where, i, t, (unsigned long)a->traps[t].address);
		for (unsigned d = 0; d < 8; d++)
			if (d != 4 && d != 5 && d != 6 && pv_check_debugreg(v, d, a->debugreg[d] & ~(1ULL << 10)))
				FZ_FAIL("%s: v%u DR%u = %#lx", where, i, d, (unsigned long)a->debugreg[d]);
		if (a->ldt_ents && (!guest_range_ok(a->ldt_base, a->ldt_ents * 8) || a->ldt_ents > LDT_ENTRIES))
			FZ_FAIL("%s: v%u LDT %#lx x %u", where, i, (unsigned long)a->ldt_base, a->ldt_ents);
		if (a->kernel_l4 == INVALID_MFN)
			FZ_FAIL("%s: v%u has a context but no kernel L4", where, i);
	}
	if (!fz_vcpu[0].online && !extra_vcpu[0].online && !extra_vcpu[1].online && !shut_down[1])
		FZ_FAIL("%s: domain A's last vCPU went down without the domain shutting down", where);
}

/* As domain_destroy: a moved vcpu_info's frame and the EOI map go back with the domain. */
static void dying(struct domain *d)
{
	for (unsigned i = 0; i < NV; i++) {
		struct vcpu *v = vcpu_of(i);
		if (v->domain == d && v->vcpu_info_moved) {
			put_page_and_type(arch_virt_to_phys(v->vcpu_info) >> 12);
			v->vcpu_info_moved = false;
			v->vcpu_info = NULL;
		}
	}
	ioports_domain_destroy(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_in in = { data, size };
	char where[48];

	setup(fz_u8(&in));
	fz_extra_refs = extra_refs;
	fz_domain_dying = dying;
	for (unsigned op = 0; op < MAX_OPS && in.left; op++) {
		uint8_t b = fz_u8(&in);
		unsigned who = (b >> 5) % 4;

		fz_cur = vcpu_of(who == 3 && !(b & 0x80) ? 0 : who);
		switch (b % 8) {
		case 0: case 1: case 2: op_vcpu(&in); break;
		case 3: op_physdev(&in); break;
		case 4: fz_op_mmuext(&in); break;
		case 5: fz_op_mmu_update(&in); break;
		case 6: fz_op_set_gdt(&in); break;
		default: {
			uint64_t t = (uint64_t)fz_u16(&in) << 8;
			fz_trace("set_timer_op", t, 0, do_set_timer_op(current_vcpu(), (uint64_t[6]){ t, 0, 0, 0, 0, 0 }));
			break;
		}
		}
		fz_resume_or_abandon();
		snprintf(where, sizeof(where), "after operation %u (%u)", op, b);
		fz_check_invariants(where);
		check_vcpus(where);
	}
	fz_teardown_and_check();
	return 0;
}
