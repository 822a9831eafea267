/*
 * guest.h - the runtime of Paravane's test guests.
 *
 * A test program provides `const char test_name[]` and `void test_main(void)`.
 * The runtime boots, maps shared_info, installs a trap table, calls
 * test_main() once per hypercall style the program asks for, prints
 * "guest-test <name>: N passed, M failed" and shuts the domain down
 * (poweroff if nothing failed, crash otherwise).
 */
#ifndef GUEST_H
#define GUEST_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "public/xen.h"
#include "public/errno.h"

extern const char test_name[];
void test_main(void);

extern struct start_info *start_info;
extern struct shared_info *shared_info;

/* ---- Console and checks ------------------------------------------- */
void gprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Where output goes instead of console_io when set (a DomU's PV console: xenbus.c) */
extern void (*console_out)(const char *s, size_t n);
/* Set with console_out: waits until what was written has been read (guest_exit calls it) */
extern void (*console_flush)(void);
void gvprintf(const char *fmt, va_list ap);
int gsnprintf(char *buf, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int gvsnprintf(char *buf, size_t n, const char *fmt, va_list ap);

void pass(const char *name);
void fail(const char *name, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* PASS if cond, else FAIL with the formatted reason. */
void check(int cond, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* PASS if got == want, else FAIL "got X, want Y". */
void check_eq(const char *name, long got, long want);
void check_eq_hex(const char *name, uint64_t got, uint64_t want);
/*
 * Optional: run after a clean summary line instead of the poweroff, for a
 * check only the console can show (the runner's GUEST_EXPECT); must not return.
 */
void test_after_summary(void) __attribute__((weak, noreturn));
/* Stop now: print the summary and shut down with `reason`. */
void guest_exit(unsigned int reason) __attribute__((noreturn));
/* Like fail() followed by guest_exit(SHUTDOWN_crash). */
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* Name of a check, suffixed with the current hypercall style. */
const char *tname(const char *base);

/* ---- Traps and fixups ----------------------------------------------
 * A test that expects a fault wraps the instruction with EXPECT_FAULT(); if
 * it faults, the handler records it in last_trap and resumes after it.
 */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code;
	uint64_t rip, cs, rflags, rsp, ss;
};

struct trap_record {
	int      count;        /* traps taken since trap_reset() */
	uint64_t vector;
	uint64_t error_code;
	uint64_t rip;
	uint64_t cs;
	uint64_t rflags;
	uint64_t cr2;          /* vcpu_info.arch.cr2 at delivery */
};
extern volatile struct trap_record last_trap;
void trap_reset(void);

/* Label the instruction(s) `insn`; a fault there continues after them. */
#define EXPECT_FAULT(insn, ...)                                             \
	__asm__ volatile("1: " insn "\n2:\n"                                   \
			 ".pushsection .fixups, \"aw\"\n"                      \
			 ".balign 8\n.quad 1b, 2b\n.popsection" __VA_ARGS__)

/* RDMSR / WRMSR where a #GP continues after the instruction (0 read then). */
static inline uint64_t rdmsr_t(uint32_t msr)
{
	uint32_t lo = 0, hi = 0;

	EXPECT_FAULT("rdmsr", : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr_t(uint32_t msr, uint64_t v)
{
	EXPECT_FAULT("wrmsr", :: "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

/* CR4 as the guest kernel sees it (the hypervisor emulates both) */
static inline uint64_t read_cr4(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline void write_cr4(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr4" :: "r"(v));
}

/* For traps (int3, int $n) that report the address after the instruction. */
#define EXPECT_TRAP(insn, ...)                                              \
	__asm__ volatile(insn "\n2:\n"                                        \
			 ".pushsection .fixups, \"aw\"\n"                     \
			 ".balign 8\n.quad 2b, 2b\n.popsection" __VA_ARGS__)

/* Short form of check_eq(tname(name), got, want). */
#define EXPECT(name, got, want) check_eq(tname(name), (long)(got), (long)(want))

/*
 * 1 when running on Paravane (its extraversion names it), 0 on Xen.  Tests
 * use it only where the reference behaviour legitimately differs, and say
 * why at the check.
 */
int hv_is_paravane(void);

/* Current system time (ns) from vcpu_info[0].time. */
uint64_t system_time_ns(void);
/* The time a pvclock record gives now (vcpu_info's, or a registered copy of it). */
uint64_t pvclock_read(volatile struct vcpu_time_info *t);
/* `key` (e.g. "seed=") and the decimal number after it on the kernel command line, else dflt. */
uint64_t cmdline_num(const char *key, uint64_t dflt);

/* Install the default trap table (vectors 0-19, 0x80 with DPL 3). */
void traps_install(void);

/* ---- Hypercalls ------------------------------------------------------ */
extern int hc_direct;  /* 0: through the hypercall page, 1: own syscall */
extern uint8_t hypercall_page[4096];

/* Run test_main() once per style in this mask (default both). */
#define STYLE_PAGE    1
#define STYLE_DIRECT  2
extern const int test_styles __attribute__((weak));

/* Mask of which styles the program wants; programs may define it. */

#include "hypercall.h"

/* ---- Small helpers ------------------------------------------------- */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

static inline void cpuid_native(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

/* CPUID through the forced-emulation prefix: the PV policy. */
static inline void cpuid_pv(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile(".byte 0x0f,0x0b,0x78,0x65,0x6e\n\tcpuid"
			 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

/* Where guest.ld links us, and the page-table entry bits tests write. */
#define VIRT_BASE  0xffffffff80000000ULL
#define PTE_P      0x001ULL
#define PTE_W      0x002ULL
#define PTE_U      0x004ULL
#define PTE_A      0x020ULL
#define PTE_D      0x040ULL
#define PTE_ADDR   0x000ffffffffff000ULL

/*
 * A VCPUOP_initialise context: kernel mode at `entry` on the stack ending
 * at `stack_top`, page tables `cr3`, event and failsafe callbacks at
 * `callback`; everything else zero (no GDT frames, no trap table, no LDT).
 */
void vcpu_context_init(struct vcpu_guest_context *c, void (*entry)(void), void *stack_top,
		       uint64_t cr3, const void *callback);

/* Canonical addresses the tests throw at the hypervisor. */
#define BAD_NONCANON   0x0000800000000000ULL
#define BAD_NONCANON2  0x8000000000000000ULL
#define BAD_HYPERVISOR 0xffff830000000000ULL   /* inside Xen's directmap */
#define BAD_M2P        MACH2PHYS_VIRT_START   /* read-only for guests */
#define BAD_UNMAPPED   0x0000100000000000ULL   /* user half, nothing there */

#endif /* GUEST_H */
