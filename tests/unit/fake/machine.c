/* The fake machine's core: see machine.h. */
#include "fake/machine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arch.h>
#include <console.h>
#include <domain.h>

/* ---- console and clock ---- */
char fake_console[16384];
static size_t console_len;

void fake_console_reset(void)
{
	console_len = 0;
	fake_console[0] = '\0';
}

void arch_console_write(const char *s, size_t len)
{
	size_t room = sizeof(fake_console) - 1 - console_len;
	if (len > room)
		len = room;
	memcpy(fake_console + console_len, s, len);
	console_len += len;
	fake_console[console_len] = '\0';
}

void arch_console_init(void) {}
void arch_console_flush_early(void) {}
void arch_dump_backtrace(void) {}
uint64_t fake_now_ns;
uint64_t arch_now_ns(void) { return fake_now_ns; }
void arch_udelay(uint64_t us) { (void)us; }

void arch_shutdown(bool failed)
{
	mock_assert(0, failed ? "arch_shutdown(failed)" : "arch_shutdown(ok)", __FILE__, __LINE__);
	abort();
}

/*
 * The log where common/console.c is not linked: silent, and a panic fails
 * the test. Weak, so that the real ones win where console.c is linked.
 */
__attribute__((weak)) void printk(const char *fmt, ...) { (void)fmt; }
__attribute__((weak)) void log_at(enum log_level level, const char *fmt, ...) { (void)level, (void)fmt; }

__attribute__((weak)) void panic(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	mock_assert(0, buf, __FILE__, __LINE__);
	abort();
}

/* ---- CPUs and vCPUs ---- */
unsigned fake_cpu;
struct vcpu *fake_current[FAKE_NR_CPUS];

unsigned arch_cpu_id(void) { return fake_cpu; }
struct vcpu *current_vcpu(void) { return fake_current[fake_cpu]; }
void set_current_vcpu(struct vcpu *v) { fake_current[fake_cpu] = v; }

/*
 * ---- domains ----
 * domain_list, domain_lookup_any and domain_lookup as in
 * hypervisor/common/domain.c, which the fake machine cannot link: that
 * file's allocator (xzalloc_bytes from whole frames) would replace the
 * fake heap below that counts leaks, and its domain_create needs the
 * frame allocator, scheduler and event channels of a whole hypervisor.
 * Keep the two the same until the lookups live in a file of their own.
 */
struct domain *domain_list;
uint64_t frame_changes;

struct domain *domain_lookup_any(domid_t id)
{
	for_each_domain(d)
		if (d->domain_id == id)
			return d;
	return NULL;
}

struct domain *domain_lookup(domid_t id)
{
	struct domain *d = domain_lookup_any(id);

	return d && !d->is_dying ? d : NULL;
}

/* ---- heap ---- */
long fake_heap_live;

void *xzalloc_bytes(size_t size)
{
	void *p = calloc(1, size);

	fake_heap_live += p != NULL;
	return p;
}

void xfree_bytes(void *p, size_t size)
{
	(void)size;
	fake_heap_live -= p != NULL;
	free(p);
}

/* ---- hypercalls ---- */
unsigned fake_preempt_every, fake_preempt_one_in, fake_preempt_at, fake_preempt_checks;

void fake_preempt_reset(void)
{
	fake_preempt_every = fake_preempt_one_in = fake_preempt_at = fake_preempt_checks = 0;
}

bool arch_hypercall_preempt_check(void)
{
	fake_preempt_checks++;
	if (fake_preempt_at) {
		if (fake_preempt_checks < fake_preempt_at)
			return false;
		fake_preempt_at = 0;
		return true;
	}
	if (fake_preempt_one_in)
		return rand() % fake_preempt_one_in == 0;
	return fake_preempt_every && fake_preempt_checks % fake_preempt_every == 0;
}

struct hypercall_continuation fake_continuation;
unsigned fake_continuations;
void (*fake_on_continuation)(void);

/* Weak: tests of common/hypercall.c link the real one. */
__attribute__((weak)) int64_t hypercall_create_continuation(uint64_t nr, unsigned nargs, uint64_t a1, uint64_t a2,
				      uint64_t a3, uint64_t a4, uint64_t a5, uint64_t a6)
{
	fake_continuation = (struct hypercall_continuation){ nr, nargs, { a1, a2, a3, a4, a5, a6 } };
	fake_continuations++;
	if (fake_on_continuation)
		fake_on_continuation();
	return (int64_t)nr;
}

/* ---- port I/O ---- */
struct fake_port_access fake_ports[FAKE_PORT_LOG];
unsigned fake_nr_ports;
uint32_t fake_port_value;

void fake_ports_reset(void)
{
	memset(fake_ports, 0, sizeof(fake_ports));
	fake_nr_ports = 0;
	fake_port_value = 0;
}

static void record_port(uint16_t port, unsigned size, bool write, uint32_t val)
{
	if (fake_nr_ports < FAKE_PORT_LOG)
		fake_ports[fake_nr_ports] = (struct fake_port_access){ port, size, write, val };
	fake_nr_ports++;
}

uint32_t arch_host_in(uint16_t port, unsigned size)
{
	record_port(port, size, false, 0);
	return fake_port_value;
}

void arch_host_out(uint16_t port, unsigned size, uint32_t val)
{
	record_port(port, size, true, val);
}
