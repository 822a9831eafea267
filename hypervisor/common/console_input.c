/*
 * The console input ring (include/console_input.h). Free-running 32-bit
 * producer and consumer counters; the ring index is the counter modulo the
 * size, and prod - cons is the fill level even across wrap-around.
 */
#include <console_input.h>
#include <domain.h>
#include <event.h>
#include <public/xen.h>

static uint8_t ring[CONSOLE_INPUT_SIZE];
static uint32_t prod, cons;
static uint64_t dropped;

#define IDX(i) ((i) & (CONSOLE_INPUT_SIZE - 1))

bool console_input_put(uint8_t c)
{
	if (prod - cons == CONSOLE_INPUT_SIZE) {
		dropped++;
		return false;
	}
	ring[IDX(prod)] = c;
	prod++;
	return true;
}

size_t console_input_take(uint8_t *buf, size_t n)
{
	size_t done = 0;

	while (done < n && cons != prod) {
		buf[done++] = ring[IDX(cons)];
		cons++;
	}
	return done;
}

void console_input_unget(size_t n)
{
	/* The bytes are still in the ring: they were only just taken. */
	cons -= (uint32_t)n;
}

size_t console_input_pending(void)
{
	return prod - cons;
}

uint64_t console_input_dropped(void)
{
	return dropped;
}

void console_input_notify(void)
{
	struct domain *d = domain_lookup(0);

	if (d && console_input_pending())
		evtchn_send_global_virq(d, VIRQ_CONSOLE);
}
