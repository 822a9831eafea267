/*
 * xenbus.c - a test kernel as an ordinary DomU: PV console, xenstore
 * client, own grant table, event channels (xenbus.h).
 */
#include "xenbus.h"
#include "public/io/console.h"

/* Pages whose mappings are replaced by the rings and the grant frame */
static uint8_t cons_area[4096] __attribute__((aligned(4096)));
static uint8_t store_area[4096] __attribute__((aligned(4096)));
static uint8_t gnt_area[4096] __attribute__((aligned(4096)));

static volatile struct xencons_interface *cons;
volatile struct grant_entry_v1 *gnt_table;
uint64_t gnt_frame0;

static long map_over(void *va, uint64_t mfn)
{
	return HYPERVISOR_update_va_mapping((uint64_t)va, (mfn << 12) | PTE_P | PTE_W | PTE_A | PTE_D,
					    UVMF_INVLPG);
}

void sleep_ms(unsigned ms)
{
	uint64_t end = system_time_ns() + (uint64_t)ms * 1000000;

	while (system_time_ns() < end)
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
}

long evt_send(evtchn_port_t port)
{
	struct evtchn_send s = { .port = port };

	return HYPERVISOR_event_channel_op(EVTCHNOP_send, &s);
}

long evt_alloc_unbound(domid_t remote, evtchn_port_t *port)
{
	struct evtchn_alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = remote };
	long rc = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &a);

	*port = rc ? 0 : a.port;
	return rc;
}

long evt_close(evtchn_port_t port)
{
	struct evtchn_close c = { .port = port };

	return HYPERVISOR_event_channel_op(EVTCHNOP_close, &c);
}

/* ---- Console ---------------------------------------------------------- */
/* Blocking: waits (yielding) for xenconsoled to make room, up to ~2 s a line */
static void cons_write(const char *s, size_t n)
{
	uint64_t give_up = system_time_ns() + 2000000000ULL;

	while (n) {
		XENCONS_RING_IDX prod = cons->out_prod, c = cons->out_cons;

		if (prod - c >= sizeof(cons->out)) {
			evt_send(start_info->console.domU.evtchn);
			if (system_time_ns() > give_up)
				return;
			HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
			continue;
		}
		cons->out[MASK_XENCONS_IDX(prod, cons->out)] = *s++;
		n--;
		__atomic_thread_fence(__ATOMIC_RELEASE);
		cons->out_prod = prod + 1;
	}
	evt_send(start_info->console.domU.evtchn);
}

/* Until the console daemon has read everything, up to ~2 s */
static void cons_flush(void)
{
	uint64_t give_up = system_time_ns() + 2000000000ULL;

	while (cons->out_cons != cons->out_prod && system_time_ns() < give_up) {
		evt_send(start_info->console.domU.evtchn);
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	}
}

int xencons_init(void)
{
	if (!start_info->console.domU.mfn || map_over(cons_area, start_info->console.domU.mfn))
		return -1;
	cons = (volatile struct xencons_interface *)cons_area;
	console_out = cons_write;
	console_flush = cons_flush;
	return 0;
}

int xencons_if_refused(void)
{
	if (console_out)
		return 1;
	if ((start_info->flags & SIF_INITDOMAIN) || HYPERVISOR_console_io(CONSOLEIO_write, 0, "") != -XEN_EPERM)
		return 0;
	return xencons_init() == 0;
}

/* ---- xenstore --------------------------------------------------------- */
struct xsd_sockmsg {
	uint32_t type, req_id, tx_id, len;
};

struct xs_ring {
	char req[1024];
	char rsp[1024];
	uint32_t req_cons, req_prod, rsp_cons, rsp_prod;
};

static volatile struct xs_ring *xs;
static uint32_t xs_req_id;
unsigned long xs_watch_events;

const char *const xs_errors[] = {
	"", "EINVAL", "EACCES", "EEXIST", "EISDIR", "ENOENT", "ENOMEM", "ENOSPC", "EIO",
	"ENOTEMPTY", "ENOSYS", "EROFS", "EBUSY", "EAGAIN", "EISCONN", "E2BIG", "EPERM",
	"EQUOTA", 0,
};

int xs_errno(const char *name)
{
	for (int i = 1; xs_errors[i]; i++)
		if (!strcmp(xs_errors[i], name))
			return i;
	return 0;
}

const char *xs_errname(int rc)
{
	if (rc < 0)
		return "no answer";
	return rc ? xs_errors[rc] : "ok";
}

int xs_init(void)
{
	if (!start_info->store_mfn || map_over(store_area, start_info->store_mfn))
		return -1;
	xs = (volatile struct xs_ring *)store_area;
	return 0;
}

static int ring_put(const void *data, size_t n, uint64_t deadline)
{
	const char *p = data;

	while (n) {
		uint32_t prod = xs->req_prod;

		if (prod - xs->req_cons >= sizeof(xs->req)) {
			evt_send(start_info->store_evtchn);
			if (system_time_ns() > deadline)
				return -1;
			HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
			continue;
		}
		xs->req[prod & (sizeof(xs->req) - 1)] = *p++;
		n--;
		__atomic_thread_fence(__ATOMIC_RELEASE);
		xs->req_prod = prod + 1;
	}
	evt_send(start_info->store_evtchn);
	return 0;
}

/* n bytes from the response ring into buf (NULL: dropped) */
static int ring_get(void *buf, size_t n, uint64_t deadline)
{
	char *p = buf;

	while (n) {
		uint32_t c = xs->rsp_cons;

		if (c == xs->rsp_prod) {
			if (system_time_ns() > deadline)
				return -1;
			HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
			continue;
		}
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (p)
			*p++ = xs->rsp[c & (sizeof(xs->rsp) - 1)];
		n--;
		xs->rsp_cons = c + 1;
	}
	evt_send(start_info->store_evtchn);
	return 0;
}

int xs_request(uint32_t type, uint32_t tx, const void *req, size_t len, char *rsp, size_t rsp_size,
	       size_t *rsp_len)
{
	uint64_t deadline = system_time_ns() + 10000000000ULL;
	struct xsd_sockmsg m = { type, ++xs_req_id, tx, (uint32_t)len };
	char err[16];

	if (!xs || ring_put(&m, sizeof(m), deadline) || ring_put(req, len, deadline))
		return -1;
	for (;;) {
		struct xsd_sockmsg a;
		size_t keep;

		if (ring_get(&a, sizeof(a), deadline) || a.len > 4096)
			return -1;
		if (a.type == XS_WATCH_EVENT) {
			xs_watch_events++;
			if (ring_get(NULL, a.len, deadline))
				return -1;
			continue;
		}
		if (a.type == XS_ERROR) {
			keep = a.len < sizeof(err) ? a.len : sizeof(err) - 1;
			if (ring_get(err, keep, deadline) || ring_get(NULL, a.len - keep, deadline))
				return -1;
			err[keep] = 0;
			return xs_errno(err) ? xs_errno(err) : 1;
		}
		keep = rsp ? (a.len < rsp_size ? a.len : rsp_size - 1) : 0;
		if (ring_get(rsp, keep, deadline) || ring_get(NULL, a.len - keep, deadline))
			return -1;
		if (rsp)
			rsp[keep] = 0;
		if (rsp_len)
			*rsp_len = a.len;
		return 0;
	}
}

int xs_read(const char *path, char *buf, size_t size)
{
	return xs_request(XS_READ, 0, path, strlen(path) + 1, buf, size, NULL);
}

int xs_write(const char *path, const char *value)
{
	char b[512];
	size_t pl = strlen(path) + 1, vl = strlen(value);

	if (pl + vl > sizeof(b))
		return 1;
	memcpy(b, path, pl);
	memcpy(b + pl, value, vl);
	return xs_request(XS_WRITE, 0, b, pl + vl, NULL, 0, NULL);
}

int xs_rm(const char *path)
{
	return xs_request(XS_RM, 0, path, strlen(path) + 1, NULL, 0, NULL);
}

int xs_printf(const char *path, const char *fmt, ...)
{
	char v[256];
	va_list ap;

	va_start(ap, fmt);
	gvsnprintf(v, sizeof(v), fmt, ap);
	va_end(ap);
	return xs_write(path, v);
}

long xs_read_long(const char *path, long dflt)
{
	char b[32];
	long v = 0;
	int neg = 0;
	const char *p = b;

	if (xs_read(path, b, sizeof(b)) || !*b)
		return dflt;
	if (*p == '-') {
		neg = 1;
		p++;
	}
	for (; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (*p - '0');
	return *p ? dflt : (neg ? -v : v);
}

int xs_wait_value(const char *path, const char *want, unsigned ms)
{
	uint64_t end = system_time_ns() + (uint64_t)ms * 1000000;
	char b[64];

	do {
		if (!xs_read(path, b, sizeof(b)) && !strcmp(b, want))
			return 1;
		sleep_ms(20);
	} while (system_time_ns() < end);
	return 0;
}

/* ---- Grants ----------------------------------------------------------- */
uint64_t gnt_mfn_of(const void *va)
{
	return ((uint64_t *)start_info->mfn_list)[((uint64_t)va - VIRT_BASE) >> 12];
}

int gnt_init(void)
{
	uint64_t frame = 0;
	struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 1,
					 .frame_list = (uint64_t)&frame };

	if (HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 1) || st.status || !frame)
		return -1;
	if (map_over(gnt_area, frame))
		return -1;
	gnt_frame0 = frame;
	gnt_table = (volatile struct grant_entry_v1 *)gnt_area;
	return 0;
}

void gnt_grant_frame(grant_ref_t ref, domid_t dom, uint64_t mfn, uint16_t flags)
{
	gnt_table[ref].domid = dom;
	gnt_table[ref].frame = (uint32_t)mfn;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	gnt_table[ref].flags = flags;
}

void gnt_grant(grant_ref_t ref, domid_t dom, const void *va, int ro)
{
	gnt_grant_frame(ref, dom, gnt_mfn_of(va), GTF_permit_access | (ro ? GTF_readonly : 0));
}

void gnt_revoke(grant_ref_t ref)
{
	gnt_table[ref].flags = 0;
}
