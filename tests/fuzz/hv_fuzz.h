/*
 * Shared parts of the hypervisor fuzz harnesses hv_mm_fuzz.c,
 * hv_gnttab_fuzz.c and hv_vcpu_fuzz.c (hv_evtchn_fuzz.c runs on the
 * event-channel layer): the fake machine with its memory
 * (tests/unit/fake/memory.h: domains A = 1 and B = 2, 48 frames, the frame
 * allocator) plus what the hypercall entry points need on the host: one
 * vCPU per domain, 16 KiB of fake guest memory for arguments, a byte
 * reader over the fuzzer's input, the invariant check and a model domain
 * teardown.
 */
#ifndef HV_FUZZ_H
#define HV_FUZZ_H

#include "fake/memory.h"
#include <hypercall.h>
#include <asm/pv.h>

/* Guest memory for hypercall arguments: FZ_ARG_SIZE bytes at FZ_ARG_VA, all mapped. */
#define FZ_ARG_VA   0x10000ULL
#define FZ_ARG_SIZE 16384
extern uint8_t fz_arg[FZ_ARG_SIZE];

/*
 * vCPU 0 of domain A (fz_vcpu[0]) and of domain B (fz_vcpu[1]); fz_cur,
 * the fake machine's current vCPU (current_vcpu()), makes the calls.
 */
extern struct vcpu fz_vcpu[2];
#define fz_cur (fake_current[0])
/*
 * The vCPU mm.c's and descriptors.c's current_vcpu() answers (module.mk
 * renames it there): set only around update_va_mapping, set_gdt and
 * update_descriptor, which need it; elsewhere NULL, so that NEW_BASEPTR
 * does not reload CR3 nor SET_LDT load LDTR (privileged instructions on
 * the host).
 */
extern struct vcpu *fz_mm_cur;

/* The continuation the last hypercall created (the fake machine's record), if any. */
#define fz_cont fake_continuation
extern bool fz_cont_pending;

/* Reading the fuzzer's bytes: past the end every read gives 0. */
struct fz_in {
	const uint8_t *p;
	size_t left;
};
uint8_t fz_u8(struct fz_in *in);
uint16_t fz_u16(struct fz_in *in);
/* A frame number: mostly one of the fake machine's, sometimes one past it. */
uint64_t fz_frame(struct fz_in *in);
/* A page-table entry naming fz_frame() with any combination of flags. */
uint64_t fz_entry(struct fz_in *in);

/*
 * The memory hypercalls of the model guest fz_cur (hv_fuzz_mm_ops.c), each
 * decoded from a few bytes; see hv_mm_fuzz.c. The continuation is left to
 * the caller (fz_resume_or_abandon).
 */
void fz_op_mmu_update(struct fz_in *in);
void fz_op_mmuext(struct fz_in *in);
void fz_op_update_va(struct fz_in *in);
void fz_op_memory(struct fz_in *in);
void fz_op_set_gdt(struct fz_in *in);
void fz_op_update_descriptor(struct fz_in *in);
/* A guest address built from four table indexes 0-3 (4 bytes), in the hypervisor's half one time in 8. */
uint64_t fz_va(struct fz_in *in);

/*
 * Reset the machine, domains and vCPUs (no L4 in CR3 yet), seed rand()
 * for the preemption hook.
 */
void fz_reset(unsigned seed);

/*
 * References that hold frames outside the page tables, pins and CR3s (a
 * harness's grant tables and mappings): fz_check_invariants calls
 * fz_extra_refs, which reports each with fz_hold (one general reference on
 * m, plus a type reference of `type` unless PGT_none; `why`, `from` and
 * `idx` describe the holder for the message when two holders disagree on
 * the frame's type), and checks what else it knows.
 */
extern void (*fz_extra_refs)(void);
void fz_hold(mfn_t m, unsigned type, const char *why, mfn_t from, unsigned idx);

/*
 * Recompute every frame's counts from what references it and compare with
 * the frame table; abort() with a description on the first violation.
 * `where` names the step for the message.
 */
void fz_check_invariants(const char *where);

/*
 * Destroy domain A, then B, as domain_destroy does (the domain marked
 * dying and fz_domain_dying called, as stop_domain does for the grant
 * table; its vCPU's CR3 roots dropped; then the frame scan that finishes
 * devalidations, drops partial tables, unpins and releases, preempted as
 * the hook says and re-run until done), checking the invariants after
 * each step, and at the end that every frame went back to the allocator.
 * fz_after_teardown (if set) frees what the harness's holders allocated.
 */
extern void (*fz_domain_dying)(struct domain *d);
extern void (*fz_after_teardown)(void);
void fz_teardown_and_check(void);

/*
 * After a hypercall: re-issue its continuation until it is done, or give
 * up on it at random, one time in fz_abandon_one_in (0: never).
 */
extern unsigned fz_abandon_one_in;
void fz_resume_or_abandon(void);

/*
 * The input's first byte: preemption (bits 0-1 not 0: the hook stops one
 * call in 2 + (bits 2-4)), domain A privileged (bit 5: a Dom0 that may map
 * B's frames and I/O frames through a foreign page owner), abandoned
 * continuations (bit 7: one in 4), and the seed of rand(), which the
 * preemption and abandoning use.
 */
void fz_setup_from(uint8_t p);

/* With HV_FUZZ_TRACE set in the environment: one line per call (replaying an input). */
void fz_trace(const char *call, uint64_t a, uint64_t b, int64_t rc);

#define FZ_FAIL(...) fz_fail(__FILE__, __LINE__, __VA_ARGS__)
void fz_fail(const char *file, int line, const char *fmt, ...) __attribute__((noreturn, format(printf, 3, 4)));

#endif
