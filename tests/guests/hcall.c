/*
 * hcall - the two hypercall styles (hypercall page, direct syscall),
 * register preservation, and unknown hypercall numbers (-ENOSYS).
 */
#include "guest.h"

const char test_name[] = "hcall";

/* Hypercall numbers Xen 4.17 does not implement for a 64-bit PV guest. */
static const uint64_t unknown_small[] = { 11, 43, 44, 47, 56, 63, 100, 127 };
/* Only reachable with a direct syscall (past the 128 page slots). */
static const uint64_t unknown_big[] = { 128, 0x1000, 0xffffffffULL,
					0x100000011ULL, 0x8000000000000000ULL,
					~0ULL };

static void check_preserved(void)
{
	uint64_t rbx, r9, r12, r13, r14, r15, rcx, r11;
	uint64_t nr = __HYPERVISOR_xen_version;
	uint64_t target = (uint64_t)hypercall_page + nr * 32;

	/* Load known values, hypercall xen_version(0, NULL), read them back. */
	__asm__ volatile(
		"push %%rbp\n\t"
		"movabs $0x1111111111111111, %%rbx\n\t"
		"movabs $0x9999999999999999, %%r9\n\t"
		"movabs $0xcccccccccccccccc, %%r12\n\t"
		"movabs $0xdddddddddddddddd, %%r13\n\t"
		"movabs $0xeeeeeeeeeeeeeeee, %%r14\n\t"
		"movabs $0xffffffffffffffff, %%r15\n\t"
		"movabs $0x4242424242424242, %%rcx\n\t"
		"movabs $0x5353535353535353, %%r11\n\t"
		"xor %%edi, %%edi\n\txor %%esi, %%esi\n\t"
		"cmpl $0, hc_direct(%%rip)\n\t"
		"jne 1f\n\t"
		"call *%%rax\n\t"
		"jmp 2f\n"
		"1: mov %[nr], %%rax\n\t"
		"syscall\n"
		"2: pop %%rbp\n\t"
		: "=b"(rbx), "=r"(r9), "=r"(r12), "=r"(r13), "=r"(r14), "=r"(r15),
		  "=c"(rcx), "=r"(r11), "+a"(target)
		: [nr] "r"(nr)
		: "rdi", "rsi", "rdx", "r8", "r10", "memory");
	(void)r9;
	__asm__ volatile("" :: "r"(r9));
	check(rbx == 0x1111111111111111ULL && r12 == 0xccccccccccccccccULL &&
	      r13 == 0xddddddddddddddddULL && r14 == 0xeeeeeeeeeeeeeeeeULL &&
	      r15 == 0xffffffffffffffffULL, tname("callee_saved_preserved"),
	      "rbx %lx r12 %lx r13 %lx r14 %lx r15 %lx", rbx, r12, r13, r14, r15);
	if (!hc_direct)
		check(rcx == 0x4242424242424242ULL && r11 == 0x5353535353535353ULL,
		      tname("page_stub_preserves_rcx_r11"), "rcx %lx r11 %lx",
		      rcx, r11);
}

void test_main(void)
{
	char name[64];
	long rc;
	unsigned i;

	rc = HYPERVISOR_xen_version(XENVER_version, NULL);
	check(rc >= 0x30000, tname("null_hypercall"), "xen_version: %ld", rc);

	for (i = 0; i < sizeof(unknown_small) / sizeof(unknown_small[0]); i++) {
		gsnprintf(name, sizeof(name), "unknown_nr_%lu", unknown_small[i]);
		EXPECT(name, HC0(unknown_small[i]), -XEN_ENOSYS);
	}
	if (hc_direct) {
		for (i = 0; i < sizeof(unknown_big) / sizeof(unknown_big[0]); i++) {
			gsnprintf(name, sizeof(name), "unknown_nr_0x%lx",
				  unknown_big[i]);
			EXPECT(name, HC0(unknown_big[i]), -XEN_ENOSYS);
		}
	}
	/* Obsolete numbers (compat forms, removed ops). */
	EXPECT("obsolete_sched_op_compat_6", HC2(6, 99, 0), -XEN_ENOSYS);
	EXPECT("obsolete_tmem_op_38", HC1(38, 0), -XEN_ENOSYS);
	EXPECT("hvm_op_34_from_pv", HC2(34, 99, 0), -XEN_ENOSYS);

	check_preserved();

	/* The hypervisor still answers after all of the above. */
	rc = HYPERVISOR_xen_version(XENVER_version, NULL);
	check(rc >= 0x30000, tname("still_alive"), "xen_version: %ld", rc);
}
