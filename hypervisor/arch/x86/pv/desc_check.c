/*
 * Which descriptors a PV guest may put in its GDT or LDT, and what the
 * hardware table then holds (descriptors.c installs them; the frame audit
 * checks the copies against the same rule). Its own file so that the host
 * tests that link the audit need nothing else of descriptors.c.
 */
#include <arch.h>
#include <asm/desc.h>
#include <asm/pv.h>

#define DESC_P    (1ULL << 47)
#define DESC_S    (1ULL << 44)
#define DESC_DPL  (3ULL << 45)
#define DESC_TYPE (0xfULL << 40)
#define DESC_CALL_GATE (0xcULL << 40)
#define GATE_RESERVED  (0xffULL << 32)   /* a 64-bit gate's IST/parameter byte: must be 0 */

/*
 * May a guest's call gate name this code selector? Its own LDT and GDT
 * entries, and of ours only the flat 64-bit kernel CS exactly as guests
 * use it (RPL 3): Xen 4.17 refuses the others, RPL 0 included.
 */
static bool gate_target_ok(uint16_t sel)
{
	return (sel & 4) || (sel >> 3) < GDT_FIRST_HV || sel == SEL_RING3_CS64;
}

/*
 * Check a guest descriptor; returns false to refuse, else the value to
 * install. A call gate keeps its target but gets DPL 0: the guest, in
 * ring 3, can then never pass through it, and its far call or jump raises
 * #GP with the gate's selector, which the guest gets as Xen 4.17 gives a
 * 64-bit guest (it emulates gates for 32-bit guests only). A gate through
 * which ring 3 reached a guest-chosen ring-0 target would be ours.
 */
bool pv_check_descriptor(uint64_t d, uint64_t *out)
{
	if (!(d & DESC_P)) {
		*out = d;
		return true;
	}
	if (d & DESC_S) {
		*out = d | DESC_DPL;
		return true;
	}
	if (!(d & DESC_TYPE)) {
		*out = d;   /* type 0: faults wherever it is used */
		return true;
	}
	if ((d & DESC_TYPE) != DESC_CALL_GATE || (d & GATE_RESERVED) || !gate_target_ok((uint16_t)(d >> 16)))
		return false;
	*out = d & ~DESC_DPL;
	return true;
}
