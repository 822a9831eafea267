/*
 * The hypervisor's boot options. Names and value syntax follow Xen's where Xen
 * has the option (docs/misc/xen-command-line in Xen's tree), so a boot line
 * moves between the two unchanged; Paravane's own options are marked below.
 */
#include <cmdline.h>
#include <console.h>

struct hv_options hv_opts = {
	.idle_poll_us = IDLE_POLL_US_DEFAULT,
	.lock_spin_us = LOCK_SPIN_US_DEFAULT,
	.late_kicks = true,
	.lazy_flush = true,
	.flush_hold_us = 50,
	.console_com1 = true,
	.console_vga = true,
	.com1_port = 0x3f8,
	.dom0_vcpus_min = 1,
	.dom0_vcpus_max = 1,
	.sched = "credit",
	.test_domain_mem = MiB(16),
};

/* console=com1,vga,none: a list of devices. */
static bool parse_console(const char *v)
{
	bool com1 = false, vga = false;

	if (!v || !*v)
		return false;
	while (*v) {
		size_t n = 0;
		while (v[n] && v[n] != ',')
			n++;
		if (n == 4 && !strncmp(v, "com1", 4))
			com1 = true;
		else if (n == 3 && !strncmp(v, "vga", 3))
			vga = true;
		else if (!(n == 4 && !strncmp(v, "none", 4)))
			return false;
		v += n;
		if (*v == ',')
			v++;
	}
	hv_opts.console_com1 = com1;
	hv_opts.console_vga = vga;
	return true;
}

/* com1=<baud>|auto[/<clock>][,<data><parity><stop>[,<io-base>[,<irq>]]] */
static bool parse_com1(const char *v)
{
	const char *p = v;
	uint64_t baud = 0, port = hv_opts.com1_port;

	if (!v)
		return false;
	if (!strncmp(p, "auto", 4))
		p += 4;
	else if (!parse_u64(p, &p, &baud) || baud < 50 || baud > 115200 * 8)
		return false;
	if (*p == ',') {
		p++;
		/* framing: only 8n1 is supported; accept it spelled out or empty */
		if (!strncmp(p, "8n1", 3))
			p += 3;
		else if (*p && *p != ',')
			return false;
		if (*p == ',') {
			p++;
			if (!parse_u64(p, &p, &port) || port == 0 || port > 0xfff8)
				return false;
			if (*p == ',') { /* irq: we poll, so accept and ignore a number */
				uint64_t irq;
				p++;
				if (!parse_u64(p, &p, &irq))
					return false;
			}
		}
	}
	if (*p)
		return false;
	hv_opts.com1_baud = (unsigned)baud;
	hv_opts.com1_port = (unsigned)port;
	return true;
}

/* One dom0_mem size: a number (KiB without a suffix, as Xen reads it) or -<size>. */
static bool parse_dom0_size(const char *v, const char **end, uint64_t *out, bool *neg)
{
	*neg = *v == '-';
	if (*neg)
		v++;
	return parse_size(v, end, 10, out) && *out;
}

/* dom0_mem=[min:<size>,][max:<size>,][<size>] */
static bool parse_dom0_mem(const char *v)
{
	uint64_t amount = 0, min = 0, max = 0, sz;
	bool neg = false, neg_item;

	if (!v || !*v)
		return false;
	while (*v) {
		const char *end;
		if (!strncmp(v, "min:", 4)) {
			if (!parse_dom0_size(v + 4, &end, &sz, &neg_item) || neg_item)
				return false;
			min = sz;
		} else if (!strncmp(v, "max:", 4)) {
			if (!parse_dom0_size(v + 4, &end, &sz, &neg_item) || neg_item)
				return false;
			max = sz;
		} else {
			if (!parse_dom0_size(v, &end, &sz, &neg_item))
				return false;
			amount = sz;
			neg = neg_item;
		}
		if (*end == ',')
			end++;
		else if (*end)
			return false;
		v = end;
	}
	if (min && max && min > max)
		return false;
	hv_opts.dom0_mem = amount;
	hv_opts.dom0_mem_negative = neg;
	hv_opts.dom0_mem_min = min;
	hv_opts.dom0_mem_max = max;
	return true;
}

/* dom0_max_vcpus=<n> or <min>-<max> */
static bool parse_dom0_max_vcpus(const char *v)
{
	uint64_t lo, hi;
	const char *p;

	if (!v || !parse_u64(v, &p, &lo))
		return false;
	hi = lo;
	if (*p == '-' && !parse_u64(p + 1, &p, &hi))
		return false;
	if (*p || lo == 0 || hi < lo || hi > 4096)
		return false;
	hv_opts.dom0_vcpus_min = (unsigned)lo;
	hv_opts.dom0_vcpus_max = (unsigned)hi;
	return true;
}

static bool parse_level(const char *v, size_t n, enum log_level *out)
{
	static const char *const names[] = {
		[LOG_NONE] = "none", [LOG_ERR] = "error", [LOG_WARN] = "warning",
		[LOG_INFO] = "info", [LOG_DEBUG] = "debug", [LOG_ALL] = "all",
	};

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (strlen(names[i]) == n && !strncmp(v, names[i], n)) {
			*out = (enum log_level)i;
			return true;
		}
	return false;
}

/* loglvl=<level>[/<rate-limited level>]: we keep the first; the second is accepted. */
static bool parse_loglvl_into(const char *v, enum log_level *out)
{
	enum log_level lvl, ignored;
	const char *slash;

	if (!v)
		return false;
	slash = strchr(v, '/');
	if (!parse_level(v, slash ? (size_t)(slash - v) : strlen(v), &lvl))
		return false;
	if (slash && !parse_level(slash + 1, strlen(slash + 1), &ignored))
		return false;
	*out = lvl;
	return true;
}

static bool parse_loglvl(const char *v)
{
	return parse_loglvl_into(v, &console_loglvl);
}

static bool parse_guest_loglvl(const char *v)
{
	return parse_loglvl_into(v, &console_guest_loglvl);
}

static bool parse_sched(const char *v)
{
	if (!v || strcmp(v, "credit"))
		return false; /* the only scheduler we have */
	strlcpy(hv_opts.sched, v, sizeof(hv_opts.sched));
	return true;
}

static bool parse_debug_fault(const char *v)
{
	static const char *const kinds[] = { "page", "invalid-op", "divide", "gp", "panic", "fpu-image", "nmi" };

	for (size_t i = 0; v && i < ARRAY_SIZE(kinds); i++)
		if (!strcmp(v, kinds[i])) {
			strlcpy(hv_opts.debug_fault, v, sizeof(hv_opts.debug_fault));
			return true;
		}
	return false;
}

/* A list of numbers by domain id, each in [min, max]: test_weights=, test_caps=. */
static bool parse_domain_list(const char *v, unsigned out[8], uint64_t min, uint64_t max)
{
	unsigned w[8] = { 0 };
	unsigned n = 0;
	uint64_t x;

	if (!v || !*v)
		return false;
	while (*v) {
		if (n == ARRAY_SIZE(w) || !parse_u64(v, &v, &x) || x < min || x > max)
			return false;
		w[n++] = (unsigned)x;
		if (*v == ',')
			v++;
		else if (*v)
			return false;
	}
	memcpy(out, w, sizeof(w));
	return true;
}

static bool parse_test_weights(const char *v)
{
	return parse_domain_list(v, hv_opts.test_weights, 1, 65535);
}

static bool parse_test_caps(const char *v)
{
	return parse_domain_list(v, hv_opts.test_caps, 0, 100);
}

static bool parse_test_domain_mem(const char *v)
{
	uint64_t sz;
	const char *end;

	if (!v || !parse_size(v, &end, 20, &sz) || *end || sz < MiB(4) || sz > GiB(64))
		return false;
	hv_opts.test_domain_mem = sz;
	return true;
}

static const struct cmdline_option hv_option_table[] = {
	{ "console", CMDLINE_CUSTOM, NULL, 0, parse_console },
	{ "com1", CMDLINE_CUSTOM, NULL, 0, parse_com1 },
	{ "dom0_mem", CMDLINE_CUSTOM, NULL, 0, parse_dom0_mem },
	{ "dom0_max_vcpus", CMDLINE_CUSTOM, NULL, 0, parse_dom0_max_vcpus },
	{ "loglvl", CMDLINE_CUSTOM, NULL, 0, parse_loglvl },
	{ "guest_loglvl", CMDLINE_CUSTOM, NULL, 0, parse_guest_loglvl },
	{ "noreboot", CMDLINE_BOOL, &hv_opts.noreboot, 0, NULL },
	{ "sched", CMDLINE_CUSTOM, NULL, 0, parse_sched },
	/* Paravane only: for the test harness */
	{ "qemu_debug_exit", CMDLINE_BOOL, &hv_opts.qemu_debug_exit, 0, NULL },
	{ "debug_fault", CMDLINE_CUSTOM, NULL, 0, parse_debug_fault },
	{ "test_domains", CMDLINE_BOOL, &hv_opts.test_domains, 0, NULL },
	{ "test_nmi", CMDLINE_BOOL, &hv_opts.test_nmi, 0, NULL },
	{ "test_domain_mem", CMDLINE_CUSTOM, NULL, 0, parse_test_domain_mem },
	{ "test_weights", CMDLINE_CUSTOM, NULL, 0, parse_test_weights },
	{ "test_caps", CMDLINE_CUSTOM, NULL, 0, parse_test_caps },
	{ "sched_report", CMDLINE_UINT, &hv_opts.sched_report, 0, NULL },
	{ "maxcpus", CMDLINE_UINT, &hv_opts.maxcpus, 0, NULL },
	{ "dom0_vcpus_pin", CMDLINE_BOOL, &hv_opts.dom0_vcpus_pin, 0, NULL },
	{ "idle_poll_us", CMDLINE_UINT, &hv_opts.idle_poll_us, 0, NULL },
	{ "lock_spin_us", CMDLINE_UINT, &hv_opts.lock_spin_us, 0, NULL },
	{ "late_kicks", CMDLINE_BOOL, &hv_opts.late_kicks, 0, NULL },
	{ "lazy_flush", CMDLINE_BOOL, &hv_opts.lazy_flush, 0, NULL },
	{ "flush_hold_us", CMDLINE_UINT, &hv_opts.flush_hold_us, 0, NULL },
};

unsigned hv_options_parse(const char *cmdline)
{
	return cmdline_parse(cmdline, hv_option_table, ARRAY_SIZE(hv_option_table));
}
