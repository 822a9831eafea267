/*
 * Dom0's share of the PIT: channel 2 and its gate, as Xen gives a PV Dom0.
 *
 * Linux's fast TSC calibration (quick_pit_calibrate) counts TSC cycles over
 * channel 2 countdowns: it sets the gate through port 0x61, programs the
 * channel through 0x43 and reads the count from 0x42. Without the channel it
 * prints "Fast TSC calibration failed" and falls back to slower paths. The
 * hypervisor uses channel 2 only to calibrate, before Dom0 exists
 * (arch/x86/time.c), so Dom0 may have it afterwards; channels 0 and 1 stay
 * the hypervisor's. Xen emulates the channel; we pass it through, filtered:
 *   0x42  read and write, for real;
 *   0x43  writes that select channel 2 (counter field 10b), and read-back
 *         commands (11b) naming no counter but channel 2, for real; other
 *         commands are dropped; reads see 0xff (the port is write-only);
 *   0x61  reads for real; writes change only bit 0 (gate 2) and bit 1
 *         (speaker data), the NMI check enables (bits 2-3) stay as they are.
 * Byte accesses only (what Linux does); wider ones and other domains take
 * the normal path, which refuses the hypervisor's ports.
 */
#include <console.h>
#include "emulate.h"

#define PIT_CH2_DATA   0x42
#define PIT_COMMAND    0x43
#define PORT_B         0x61

#define PIT_SC_SHIFT   6            /* command bits 7-6: the counter it is for */
#define PIT_SC_CH2     2u
#define PIT_SC_READBACK 3u
#define PIT_RB_COUNTERS 0x0eu       /* read-back bits 3-1: counters 2, 1, 0 */
#define PIT_RB_CH2     0x08u
#define PORT_B_DOM0    0x03u        /* gate 2, speaker data */
#define PORT_B_KEEP    0x0cu        /* parity / channel check enables */

static bool command_is_ch2(uint8_t cmd)
{
	unsigned sc = cmd >> PIT_SC_SHIFT;

	if (sc == PIT_SC_CH2)
		return true;
	return sc == PIT_SC_READBACK && (cmd & PIT_RB_COUNTERS) == PIT_RB_CH2;
}

bool pv_pit_ch2_io(struct domain *d, uint16_t port, unsigned size, bool write, uint32_t *val)
{
	static bool refused_logged;

	if (!d->is_privileged || size != 1)
		return false;
	switch (port) {
	case PIT_CH2_DATA:
		if (write)
			arch_host_out(port, 1, *val & 0xff);
		else
			*val = arch_host_in(port, 1) & 0xff;
		return true;
	case PIT_COMMAND:
		if (!write) {
			*val = 0xff;
		} else if (command_is_ch2((uint8_t)*val)) {
			arch_host_out(port, 1, *val & 0xff);
		} else if (!refused_logged) {
			refused_logged = true;
			log_warn("d%u: PIT command %#x dropped: only channel 2 is Dom0's\n",
				 d->domain_id, *val & 0xff);
		}
		return true;
	case PORT_B:
		if (write)
			arch_host_out(port, 1, (arch_host_in(port, 1) & PORT_B_KEEP) |
					       (*val & PORT_B_DOM0));
		else
			*val = arch_host_in(port, 1) & 0xff;
		return true;
	default:
		return false;
	}
}
