/*
 * io/console.h - the PV console ring: one page shared between a guest
 * (the frontend, its hvc0) and the console daemon in Dom0 (the backend,
 * xenconsoled). Layout and names are Xen's ABI, so a stock Linux guest
 * works unchanged.
 *
 * Two byte rings live in the page, each a single-producer,
 * single-consumer queue with free-running 32-bit indexes (they are never
 * reduced modulo the size; MASK_XENCONS_IDX picks the slot, and
 * prod - cons, computed in unsigned arithmetic, is the number of bytes
 * waiting, correct across wrap of the 32-bit counter):
 *
 *   out[]: guest -> Dom0. The guest writes bytes, then (after a write
 *          barrier) advances out_prod. Dom0 reads bytes between out_cons
 *          and out_prod, then (after a full barrier, so its reads are done
 *          before the slots are handed back) advances out_cons.
 *   in[]:  Dom0 -> guest (keyboard input), the same with the roles swapped:
 *          Dom0 owns in_prod, the guest owns in_cons.
 *
 * Each side notifies the other on the console event channel after moving
 * an index. A consumer must read the other side's index once, validate it
 * (prod - cons never exceeds the ring's size) and use only its copy: the
 * other side may change it at any time (docs/style.md §5).
 *
 * The size of each ring is a power of two, fixed by the ABI: in 1024,
 * out 2048 bytes.
 *
 * xenstore nodes, under /local/domain/<domid>/console/:
 *   ring-ref   written by the domain builder (toolstack): the frame number
 *              of the ring page (for a PV guest its MFN). Dom0 may also map
 *              the page through grant reference GNTTAB_RESERVED_CONSOLE
 *              (public/grant_table.h), which the builder fills in.
 *   port       written by the domain builder: the guest's end of the
 *              console event channel (an unbound port Dom0 binds to).
 *   type       written by the toolstack: "xenconsoled" for a console the
 *              daemon serves (absent means the same); any other value
 *              belongs to another backend.
 *   limit      written by the toolstack, optional: the most bytes of
 *              guest output the daemon buffers for the pty (decimal).
 *   tty        written by the daemon once it serves the console: the path
 *              of the pty slave (/dev/pts/N) that `xl console` opens.
 * The guest's first console is described under console/; further ones
 * (not served here) under device/console/<n>/.
 */
#ifndef PUBLIC_IO_CONSOLE_H
#define PUBLIC_IO_CONSOLE_H

#include <stdint.h>

typedef uint32_t XENCONS_RING_IDX;

/* The slot of a free-running index in a ring (its size a power of two). */
#define MASK_XENCONS_IDX(idx, ring) ((idx) & (sizeof(ring) - 1))

struct xencons_interface {
	char in[1024];			/* Dom0 -> guest bytes */
	char out[2048];			/* guest -> Dom0 bytes */
	XENCONS_RING_IDX in_cons;	/* written by the guest */
	XENCONS_RING_IDX in_prod;	/* written by Dom0 */
	XENCONS_RING_IDX out_cons;	/* written by Dom0 */
	XENCONS_RING_IDX out_prod;	/* written by the guest */
};

#endif /* PUBLIC_IO_CONSOLE_H */
