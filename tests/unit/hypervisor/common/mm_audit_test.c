/*
 * The frame audit (hypervisor/include/audit.h, PARAVANE_SYSCTL_audit) on
 * the fake machine of fake/memory.c: clean after real operations (a pinned
 * four-level chain, a CR3, a vcpu_info, a pinned grant mapped by the other
 * domain), and each deliberately corrupted state caught: a count off by
 * one, a writable mapping of a page table, a frame of no domain, a wrong
 * tot_pages, a dying domain's stray reference, a grant pin no mapping
 * accounts for, a descriptor frame's hardware copy changed. In steps
 * (audit_step) it finds what one pass finds; through the sysctl it stops
 * for continuations, resumes unless a frame or domain changed in between
 * (frame_changes; else begins again), and stops stopping after a few
 * beginnings.
 */
#include "fake/memory.h"
#include <asm/page.h>
#include <asm/pv.h>
#include <arch.h>
#include <audit.h>
#include <biglock.h>
#include <public/errno.h>
#include <public/sysctl.h>
#include <string.h>
#include "mm.h"
#include "physdev.h"
#include "grant_table_priv.h"

#define RW (PTE_P | PTE_W)

struct biglock big_lock;
static struct audit_frame scratch[MM_FRAMES];
static struct audit a;
static struct arch_vcpu arch[2];
static struct vcpu vcpu[2];

/* The mm/grant unit build links no physdev.c: no domain has physdev state. */
struct physdev_domain *physdev_domain_get(struct domain *d, bool create)
{
	return NULL;
}

static int setup(void **state)
{
	fake_mm_reset();   /* domain_list: A, then B */
	memset(arch, 0, sizeof(arch));
	for (unsigned i = 0; i < 2; i++) {
		struct domain *d = i ? &mm_dom_b : &mm_dom_a;

		vcpu[i] = (struct vcpu){ .domain = d, .arch = &arch[i] };
		arch[i].kernel_l4 = arch[i].user_l4 = INVALID_MFN;
		for (unsigned f = 0; f < FIRST_RESERVED_GDT_PAGE; f++)
			arch[i].gdt_frames[f] = INVALID_MFN;
		for (unsigned f = 0; f < LDT_FRAMES; f++)
			arch[i].ldt_frames[f] = INVALID_MFN;
		d->vcpus[0] = &vcpu[i];
		d->max_vcpus = 1;
	}
	a = (struct audit){ .f = scratch };
	return 0;
}

static void run(void)
{
	assert_int_equal(audit_scratch_bytes(), sizeof(scratch));
	audit_run(&a);
	if (a.violations)
		print_message("audit: %lu violation(s), first (frame %#lx): %s\n", (unsigned long)a.violations,
			      (unsigned long)a.first_mfn, a.first);
}

/* L4 1 -> L3 2 -> L2 3 -> L1 4 -> 5 (RW), 6 (RO); the L4 pinned and in CR3. */
static void build(void)
{
	mm_frame(1)[0] = mm_pte(2, RW);
	mm_frame(2)[0] = mm_pte(3, RW);
	mm_frame(3)[0] = mm_pte(4, RW);
	mm_frame(4)[0] = mm_pte(5, RW);
	mm_frame(4)[1] = mm_pte(6, PTE_P);
	assert_int_equal(page_pin(&mm_dom_a, 1, PGT_l4), 0);
	assert_int_equal(get_page_and_type(&mm_dom_a, 1, PGT_l4), 0);
	arch[0].kernel_l4 = 1;
}

static void test_clean_machine(void **state)
{
	run();
	assert_int_equal(a.violations, 0);
	assert_int_equal(a.frames, MM_FRAMES);
}

static void test_clean_after_operations(void **state)
{
	build();
	/* a vcpu_info moved to frame 7, as register_vcpu_info leaves it */
	assert_int_equal(get_page_and_type(&mm_dom_a, 7, PGT_writable), 0);
	vcpu[0].vcpu_info = arch_phys_to_virt(7ULL << 12);
	vcpu[0].vcpu_info_moved = true;
	run();
	assert_int_equal(a.violations, 0);
}

static void test_count_off_by_one(void **state)
{
	build();
	frame_table[5].count++;
	run();
	assert_int_equal(a.violations, 1);
	assert_int_equal(a.first_mfn, 5);
	assert_non_null(strstr(a.first, "counts"));
}

static void test_lost_type_reference(void **state)
{
	build();
	frame_table[3].type_count--;   /* the L2 would be freed for retyping while the L3 names it */
	run();
	assert_true(a.violations >= 1);
	assert_int_equal(a.first_mfn, 3);
}

/* An entry written behind mod_entry's back, its references taken: only the type rule catches it. */
static void test_writable_mapping_of_a_table(void **state)
{
	build();
	mm_frame(4)[2] = mm_pte(4, RW);   /* the L1 mapping itself writable */
	frame_table[4].count++;
	run();
	assert_true(a.violations >= 1);
	assert_int_equal(a.first_mfn, 4);
	assert_non_null(strstr(a.first, "held as L1 and as writable"));
}

static void test_writable_mapping_of_a_descriptor_frame(void **state)
{
	build();
	assert_int_equal(get_page_and_type(&mm_dom_a, 8, PGT_seg_desc), 0);
	arch[0].gdt_frames[0] = 8;
	mm_frame(4)[3] = mm_pte(8, RW);
	frame_table[8].count++;
	run();
	assert_true(a.violations >= 1);
	assert_int_equal(a.first_mfn, 8);
}

static void test_hardware_gdt_differs(void **state)
{
	static uint64_t gdt[512];

	assert_int_equal(get_page_and_type(&mm_dom_a, 8, PGT_seg_desc), 0);
	mm_frame(8)[0] = 0x00af9b000000ffffULL | (3ULL << 45);   /* a DPL 3 code descriptor */
	arch[0].gdt_frames[0] = 8;
	arch[0].gdt = gdt;
	arch[0].gdt_ents = 1;
	gdt[0] = mm_frame(8)[0];
	run();
	assert_int_equal(a.violations, 0);
	gdt[0] &= ~(3ULL << 45);   /* DPL 0 in the copy the CPU loads */
	run();
	assert_int_equal(a.violations, 1);
	assert_non_null(strstr(a.first, "GDT entry 0"));
}

static void test_frame_of_no_domain(void **state)
{
	frame_table[20].owner = 7;
	run();
	assert_true(a.violations >= 1);
	assert_int_equal(a.first_mfn, 20);
	assert_non_null(strstr(a.first, "no domain"));
}

static void test_tot_pages_wrong(void **state)
{
	mm_dom_b.tot_pages++;
	run();
	assert_int_equal(a.violations, 1);
	assert_non_null(strstr(a.first, "tot_pages"));
}

/* A dying domain's frame that nothing holds any more but still counts a reference: never freed. */
static void test_dying_domain_leak(void **state)
{
	mm_dom_b.is_dying = true;
	assert_int_equal(page_release(&mm_dom_b, MM_FOREIGN), 0);
	run();
	assert_int_equal(a.violations, 0);   /* released and freed: accounted */
	frame_table[MM_FOREIGN + 1].flags &= (uint8_t)~PGF_allocated;   /* released without the put */
	run();
	assert_int_equal(a.violations, 1);
	assert_int_equal(a.first_mfn, MM_FOREIGN + 1);
}

/* B grants A its frame; A's pin with no maptrack entry behind it. */
static void test_grant_pin_without_mapping(void **state)
{
	static struct grant_table gt_b, gt_a;
	static struct active_grant act[GT_ACTIVE_PER_CHUNK];
	static struct maptrack mt[GNTTAB_MAPTRACK_PER_FRAME];
	static struct maptrack *mtp[1] = { mt };

	memset(act, 0, sizeof(act));
	memset(mt, 0, sizeof(mt));
	gt_b = (struct grant_table){ .version = 1 };
	gt_b.active[0] = act;
	gt_a = (struct grant_table){ .version = 1, .mt = mtp, .mt_frames = 1, .mt_max = 1 };
	mm_dom_b.gnttab = &gt_b;
	mm_dom_a.gnttab = &gt_a;
	/* grant 3 pinned writable for A, A's handle 0 maps it */
	assert_int_equal(get_page_and_type(&mm_dom_b, MM_FOREIGN + 2, PGT_writable), 0);
	act[3] = (struct active_grant){ .pins = 1, .wpins = 1, .domid = 1, .mfn = MM_FOREIGN + 2 };
	mt[0] = (struct maptrack){ .ref = 3, .dom = 2, .flags = GNTMAP_host_map };
	run();
	assert_int_equal(a.violations, 0);
	mt[0].flags = 0;   /* the mapping went, the pin stayed */
	run();
	assert_int_equal(a.violations, 1);
	assert_non_null(strstr(a.first, "1 grant pins"));
	mt[0] = (struct maptrack){ .ref = 4, .dom = 2, .flags = GNTMAP_host_map };   /* names another grant */
	run();
	assert_true(a.violations >= 1);
	assert_non_null(strstr(a.first, "is not pinned"));
	mm_dom_a.gnttab = mm_dom_b.gnttab = NULL;
}

/* audit_step with any budget finds what audit_run finds, clean or not. */
static void test_steps_find_what_one_pass_finds(void **state)
{
	static const uint64_t budgets[] = { 1, 5, MM_FRAMES - 1, MM_FRAMES };

	build();
	for (unsigned corrupt = 0; corrupt < 2; corrupt++) {
		if (corrupt)
			frame_table[5].count++;
		run();
		for (unsigned i = 0; i < sizeof(budgets) / sizeof(budgets[0]); i++) {
			static struct audit_frame f[MM_FRAMES];
			struct audit s = { .f = f };
			unsigned steps = 1;

			audit_begin(&s);
			while (!audit_step(&s, budgets[i]))
				steps++;
			/* frame runs in phases 0 and 2, one step for the holders */
			assert_int_equal(steps, 2 * ((MM_FRAMES + budgets[i] - 1) / budgets[i]) + 1);
			assert_int_equal(s.violations, a.violations);
			assert_int_equal(s.first_mfn, a.first_mfn);
			assert_string_equal(s.first, a.first);
		}
	}
	assert_int_equal(a.violations, 1);
}

/*
 * The sysctl's call, as do_sysctl makes it; `others`: acquisitions of the
 * big lock by others before it (interrupts, idle CPUs, guest traps and
 * hypercalls), which alone never make it begin again.
 */
static int64_t audit_call(struct xen_sysctl *op, unsigned others)
{
	big_lock.acquired += 1 + others;
	return sysctl_audit(&vcpu[0], op);
}

/* Asked to stop at every check: a continuation after each phase, then the result, as one pass. */
static void test_sysctl_resumes(void **state)
{
	struct xen_sysctl op = { .cmd = PARAVANE_SYSCTL_audit };
	unsigned calls = 1;

	build();
	fake_preempt_every = 1;
	while (audit_call(&op, 0) == -XEN_ERESTART)
		calls++;
	assert_int_equal(calls, 3);
	assert_int_equal(op.u.audit.frames, MM_FRAMES);
	assert_int_equal(op.u.audit.violations, 0);
	frame_table[5].count++;
	calls = 1;
	while (audit_call(&op, 0) == -XEN_ERESTART)
		calls++;
	assert_int_equal(calls, 3);
	assert_int_equal(op.u.audit.violations, 1);
	assert_int_equal(op.u.audit.first_mfn, 5);
	frame_table[5].count--;
}

/*
 * Guests trap and make hypercalls between its calls, none of which changes
 * a frame (refused requests, a fault bounced to the guest): it resumes,
 * one pass in three calls.
 */
static void test_sysctl_resumes_after_guest_traps(void **state)
{
	struct xen_sysctl op = { .cmd = PARAVANE_SYSCTL_audit };
	int64_t rc;
	unsigned calls = 1;

	build();
	fake_preempt_every = 1;
	while ((rc = audit_call(&op, 5)) == -XEN_ERESTART) {
		calls++;
		assert_int_equal(page_pin(&mm_dom_b, 4, PGT_l1), -XEN_EINVAL);   /* not B's */
		assert_int_equal(page_unpin(&mm_dom_a, 4), -XEN_EINVAL);         /* not pinned */
		assert_int_equal(get_page(&mm_dom_a, MM_FOREIGN), -XEN_EINVAL);
		assert_int_equal(page_release(&mm_dom_a, MM_FRAMES), -XEN_EINVAL);
	}
	assert_int_equal(rc, 0);
	assert_int_equal(calls, 3);
	assert_int_equal(op.u.audit.violations, 0);
}

/*
 * Changes of what the audit counts, made between its first and second or
 * second and third call (after the frames' own references, after the
 * holders): each must make it begin again, or its counts from before the
 * change would disagree with the frame table after it (a false violation,
 * or worse, a freed domain read).
 */
static void pin_l1(void) { assert_int_equal(page_pin(&mm_dom_a, 4, PGT_l1), 0); }
static void unpin_l4(void) { assert_int_equal(page_unpin(&mm_dom_a, 1), 0); }
static void map_writable(void)
{
	assert_int_equal(get_page_and_type(&mm_dom_a, 7, PGT_writable), 0);   /* as mod_l1_entry */
	mm_frame(4)[2] = mm_pte(7, RW);
}
static void unmap_readonly(void)
{
	mm_frame(4)[1] = 0;   /* as mod_l1_entry clears the entry, then drops what it held */
	put_page(6);
}
static void balloon_out(void) { assert_int_equal(page_release(&mm_dom_b, MM_FOREIGN), 0); }
static void balloon_in(void)
{
	assert_int_equal(frame_table[MM_FIRST_FREE].owner, DOMID_XEN);
	assert_int_equal(page_assign(&mm_dom_b, MM_FIRST_FREE), 0);
}

static void test_sysctl_begins_again_after_each_change(void **state)
{
	static void (*const change[])(void) = { pin_l1, unpin_l4, map_writable, unmap_readonly,
						balloon_out, balloon_in };

	for (unsigned when = 1; when <= 2; when++)
		for (unsigned i = 0; i < sizeof(change) / sizeof(change[0]); i++) {
			struct xen_sysctl op = { .cmd = PARAVANE_SYSCTL_audit };
			int64_t rc;
			unsigned calls = 1;

			fake_mm_reset();
			setup(state);
			build();
			fake_preempt_every = 1;
			while ((rc = audit_call(&op, 0)) == -XEN_ERESTART)
				if (calls++ == when)
					change[i]();
			if (op.u.audit.violations)
				print_message("change %u after call %u: %s\n", i, when, op.u.audit.first);
			assert_int_equal(rc, 0);
			assert_int_equal(op.u.audit.violations, 0);
			assert_int_equal(calls, 3 + when);   /* begun again once, after the change */
		}
}

/*
 * A frame changes between every two of its calls (a reference taken and
 * dropped: the same state, but counted as a change): after a few
 * beginnings it runs to the end without stopping.
 */
static void test_sysctl_stops_stopping(void **state)
{
	struct xen_sysctl op = { .cmd = PARAVANE_SYSCTL_audit };
	unsigned calls = 1;

	build();
	fake_preempt_every = 1;
	while (audit_call(&op, 1) == -XEN_ERESTART) {
		assert_true(++calls < 10);
		assert_int_equal(get_page(&mm_dom_a, 7), 0);
		put_page(7);
	}
	assert_true(calls > 3);
	assert_int_equal(op.u.audit.violations, 0);
	/* and the next audit may stop again */
	calls = 1;
	while (audit_call(&op, 0) == -XEN_ERESTART)
		calls++;
	assert_int_equal(calls, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_clean_machine, setup),
		cmocka_unit_test_setup(test_clean_after_operations, setup),
		cmocka_unit_test_setup(test_count_off_by_one, setup),
		cmocka_unit_test_setup(test_lost_type_reference, setup),
		cmocka_unit_test_setup(test_writable_mapping_of_a_table, setup),
		cmocka_unit_test_setup(test_writable_mapping_of_a_descriptor_frame, setup),
		cmocka_unit_test_setup(test_hardware_gdt_differs, setup),
		cmocka_unit_test_setup(test_frame_of_no_domain, setup),
		cmocka_unit_test_setup(test_tot_pages_wrong, setup),
		cmocka_unit_test_setup(test_dying_domain_leak, setup),
		cmocka_unit_test_setup(test_grant_pin_without_mapping, setup),
		cmocka_unit_test_setup(test_steps_find_what_one_pass_finds, setup),
		cmocka_unit_test_setup(test_sysctl_resumes, setup),
		cmocka_unit_test_setup(test_sysctl_resumes_after_guest_traps, setup),
		cmocka_unit_test_setup(test_sysctl_begins_again_after_each_change, setup),
		cmocka_unit_test_setup(test_sysctl_stops_stopping, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
