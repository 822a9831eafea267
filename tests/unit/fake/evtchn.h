/*
 * The fake machine's layer for the event-channel code
 * (hypervisor/common/event*.c): domains and vCPUs built on the host heap
 * (on the machine's domain_list), a recorder for vcpu_kick, guest copies
 * that treat a guest address as a host pointer (refusing low and "bad"
 * addresses), and a small pool of fake machine frames with owners for the
 * FIFO ABI's guest frames. Preemption and continuations: fake/machine.h.
 */
#ifndef FAKE_EVTCHN_H
#define FAKE_EVTCHN_H

#include "fake/machine.h"

#include <domain.h>

/* A domain with `nr_vcpus` vCPUs (vcpu_info in shared_info, upcall mask 0). */
struct domain *shim_domain_create(domid_t id, unsigned nr_vcpus, bool privileged);
/* evtchn_domain_destroy (to the end, preemption off), then unlink and free it. */
void shim_domain_destroy(struct domain *d);

/* vcpu_kick calls per vCPU since the last shim_reset_kicks(). */
unsigned shim_kicks(struct vcpu *v);
void shim_reset_kicks(void);

/* Fake frames: MFNs SHIM_MFN_BASE .. +SHIM_NR_FRAMES-1, zeroed, owned by `owner`. */
#define SHIM_MFN_BASE  0x100u
#define SHIM_NR_FRAMES 160u
uint64_t shim_frame_alloc(domid_t owner);
/* Every fake frame free again (a fuzzer's next run). */
void shim_frames_reset(void);
void *shim_frame(uint64_t mfn);

/* Guest addresses below this fault in copy_from/to_guest. */
#define SHIM_BAD_VA 0x10000u
/* When set, copy_to_guest fails (a read-only argument). */
extern bool shim_copy_to_fails;

/*
 * A fake interrupt controller behind the arch_irq_* hooks (pirq.h): lines
 * 0..SHIM_NR_IRQS-1 exist, shim_irq_reserved is the hypervisor's (-1:
 * none), shim_irq_level[] their trigger modes; masks and the guest's EOI
 * map bits are recorded.
 */
#define SHIM_NR_IRQS 24
extern int shim_irq_reserved;
extern bool shim_irq_level[SHIM_NR_IRQS];
extern bool shim_irq_masked[SHIM_NR_IRQS];
extern bool shim_needs_eoi[256];
/* Lines masked/unmasked at start; nothing reserved; all edge. */
void shim_irq_reset(void);

#endif
