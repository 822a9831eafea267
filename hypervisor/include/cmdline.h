/*
 * The hypervisor command line: space-separated `name` or `name=value` options
 * with Xen's names. Parsing never stops boot: an unknown option or a value
 * that does not parse gets a warning naming it, and the option keeps its
 * default.
 */
#ifndef CMDLINE_H
#define CMDLINE_H

#include <lib.h>

enum cmdline_type {
	CMDLINE_BOOL,     /* `name`, `no-name`, `name=yes|no|on|off|true|false|1|0` */
	CMDLINE_UINT,     /* decimal or 0x hex, into an unsigned int */
	CMDLINE_STRING,   /* copied into a char buffer of `size` bytes */
	CMDLINE_CUSTOM,   /* `parse` returns false when the value is malformed */
};

struct cmdline_option {
	const char *name;
	enum cmdline_type type;
	void *var;
	size_t size;                                 /* CMDLINE_STRING buffer size */
	bool (*parse)(const char *value);            /* CMDLINE_CUSTOM; value may be NULL */
};

/*
 * Parse `cmdline` against `opts`. Returns the number of warnings printed
 * (unknown options and bad values), so that tests can count them.
 */
unsigned cmdline_parse(const char *cmdline, const struct cmdline_option *opts, size_t nr_opts);

/* The hypervisor's options, after cmdline_parse ran over the boot command line. */
struct hv_options {
	bool console_com1;
	bool console_vga;
	unsigned com1_baud;             /* 0: leave as the firmware set it */
	unsigned com1_port;
	uint64_t dom0_mem;              /* bytes; 0: default */
	uint64_t dom0_mem_min;
	uint64_t dom0_mem_max;
	bool dom0_mem_negative;         /* dom0_mem=-X: all but X */
	unsigned dom0_vcpus_min;
	unsigned dom0_vcpus_max;
	bool noreboot;
	char sched[16];
	bool qemu_debug_exit;           /* Paravane: report shutdown to QEMU's isa-debug-exit */
	bool test_domains;              /* Paravane, tests: modules after the first are more domains */
	uint64_t test_domain_mem;       /* their memory (bytes) */
	unsigned test_weights[8];       /* scheduler weights by domain id; 0: default */
	unsigned test_caps[8];          /* scheduler caps (% of a CPU) by domain id; 0: none */
	unsigned sched_report;          /* Paravane, tests: after N s print CPU shares and stop */
	char debug_fault[16];           /* Paravane: trigger a hypervisor fault to test the dump path */
	unsigned maxcpus;               /* use at most this many CPUs; 0: all */
	bool dom0_vcpus_pin;            /* Dom0's vCPU i runs only on CPU i (mod the CPU count) */
	bool test_nmi;                  /* Paravane, tests: CPU 0's timer sends the others NMIs */
	unsigned idle_poll_us;          /* an idle CPU polls this long for work before it halts (0: off) */
	unsigned lock_spin_us;          /* a big-lock waiter spins this long before it sleeps */
	bool late_kicks;                /* event-check IPIs wait until the big lock is released */
	bool lazy_flush;                /* TLB shoot-downs do not wait for CPUs waiting for the big lock */
	unsigned flush_hold_us;         /* a grant unmap waits this long for shoot-down answers before it lets the lock go */
};

extern struct hv_options hv_opts;

/* idle_poll_us and lock_spin_us when not given (docs/split-drivers.md "Waking the other domain") */
#define IDLE_POLL_US_DEFAULT 0
#define LOCK_SPIN_US_DEFAULT 200

/* Parse the boot command line into hv_opts; returns the warning count. */
unsigned hv_options_parse(const char *cmdline);

#endif
