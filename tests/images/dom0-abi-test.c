/*
 * dom0-abi-test: run inside a Dom0 (on Paravane or Xen), through the stock
 * Linux drivers: hypercalls via /dev/xen/privcmd (IOCTL_PRIVCMD_HYPERCALL)
 * and event channels via /dev/xen/evtchn (bind an unbound port to an
 * interdomain one of our own, notify, read the event back). Prints one
 * PASS/FAIL line per check and "dom0-abi-test: N passed, M failed".
 *
 * The ioctl numbers and layouts are Linux's uapi, from the Dom0 tools'
 * one declaration of them (dom0-tools/libs/linux/linux_xen.h).
 *
 * Also a user program's own LDT (modify_ldt): on a PV hypervisor the kernel
 * installs it with MMUEXT_SET_LDT; loading a selector from it and reading
 * through it must work (issue #4: it used to fault on Paravane).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <asm/ldt.h>
#include <unistd.h>
#include "linux_xen.h"

#define HYPERVISOR_xen_version 17
#define XENVER_version 0
#define XENVER_extraversion 1

#include "dom0-check.h"

static long hypercall(int fd, uint64_t op, uint64_t a0, uint64_t a1)
{
	struct privcmd_hypercall h = { op, { a0, a1, 0, 0, 0 } };
	long r = ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, &h);

	return r < 0 ? -errno : r;
}

static void test_privcmd(void)
{
	char why[128], extra[16] = { 0 };
	int fd = open(LX_PRIVCMD_DEV, O_RDWR);
	long r;

	check(fd >= 0, "privcmd_open", strerror(errno));
	if (fd < 0)
		return;
	r = hypercall(fd, HYPERVISOR_xen_version, XENVER_version, 0);
	snprintf(why, sizeof(why), "returned %ld", r);
	check(r > 0x30000, "privcmd_xen_version", why);
	r = hypercall(fd, HYPERVISOR_xen_version, XENVER_extraversion, (uintptr_t)extra);
	snprintf(why, sizeof(why), "returned %ld, '%s'", r, extra);
	check(r == 0 && extra[0], "privcmd_extraversion", why);
	printf("dom0-abi-test: hypervisor %ld.%ld%s\n", (long)((hypercall(fd, 17, 0, 0) >> 16) & 0xffff),
	       (long)(hypercall(fd, 17, 0, 0) & 0xffff), extra);
	r = hypercall(fd, 63, 0, 0);   /* no such hypercall */
	snprintf(why, sizeof(why), "returned %ld", r);
	check(r == -ENOSYS, "privcmd_unknown_hypercall_enosys", why);
	r = hypercall(fd, HYPERVISOR_xen_version, XENVER_extraversion, 0x10);   /* bad pointer */
	snprintf(why, sizeof(why), "returned %ld", r);
	check(r == -EFAULT, "privcmd_bad_pointer_efault", why);
	close(fd);
}

static void test_evtchn(void)
{
	char why[128];
	int fd = open(LX_EVTCHN_DEV, O_RDWR);
	struct ioctl_evtchn_bind_unbound_port unbound = { 0 };
	struct ioctl_evtchn_bind_interdomain inter;
	struct ioctl_evtchn_notify notify;
	struct pollfd pfd;
	uint32_t got = ~0u;
	int a, b;

	check(fd >= 0, "evtchn_open", strerror(errno));
	if (fd < 0)
		return;
	a = ioctl(fd, IOCTL_EVTCHN_BIND_UNBOUND_PORT, &unbound);
	snprintf(why, sizeof(why), "%s", a < 0 ? strerror(errno) : "ok");
	check(a > 0, "evtchn_bind_unbound", why);
	inter.remote_domain = 0;
	inter.remote_port = (uint32_t)a;
	b = a > 0 ? ioctl(fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, &inter) : -1;
	snprintf(why, sizeof(why), "%s", b < 0 ? strerror(errno) : "ok");
	check(b > 0 && b != a, "evtchn_bind_interdomain", why);
	if (a <= 0 || b <= 0)
		goto out;
	notify.port = (uint32_t)b;
	check(ioctl(fd, IOCTL_EVTCHN_NOTIFY, &notify) == 0, "evtchn_notify", strerror(errno));
	pfd.fd = fd;
	pfd.events = POLLIN;
	check(poll(&pfd, 1, 5000) == 1, "evtchn_event_arrives", "no event within 5 s");
	if (read(fd, &got, sizeof(got)) != sizeof(got))
		got = ~0u;
	snprintf(why, sizeof(why), "read port %u, ours are %d and %d", got, a, b);
	check(got == (uint32_t)a || got == (uint32_t)b, "evtchn_event_read", why);
	/* unmask, then a second round trip from the other end */
	if (write(fd, &got, sizeof(got)) != sizeof(got))
		check(0, "evtchn_unmask", strerror(errno));
	notify.port = (uint32_t)a;
	ioctl(fd, IOCTL_EVTCHN_NOTIFY, &notify);
	got = ~0u;
	int pr = poll(&pfd, 1, 5000);
	if (pr == 1 && read(fd, &got, sizeof(got)) != sizeof(got))
		got = ~0u;
	snprintf(why, sizeof(why), "poll %d, read port %d", pr, (int)got);
	check(pr == 1 && (got == (uint32_t)a || got == (uint32_t)b), "evtchn_event_back", why);
out:
	close(fd);
}

static void test_devices(void)
{
	const char *devs[] = { LX_GNTDEV_DEV, LX_GNTALLOC_DEV };

	for (unsigned i = 0; i < sizeof(devs) / sizeof(devs[0]); i++) {
		int fd = open(devs[i], O_RDWR);
		char name[64];
		snprintf(name, sizeof(name), "open_%s", strrchr(devs[i], '/') + 1);
		check(fd >= 0, name, strerror(errno));
		if (fd >= 0)
			close(fd);
	}
}

/*
 * In a child (a #GP from a refused selector kills only it): an LDT entry
 * based at a low page, loaded into GS (glibc keeps TLS in FS), read back.
 */
static void test_ldt(void)
{
	uint32_t *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	char why[128];
	int status = 0;
	pid_t pid;

	check(page != MAP_FAILED, "ldt_low_page", strerror(errno));
	if (page == MAP_FAILED)
		return;
	page[1] = 0x1dc0ffee;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		struct user_desc d = {
			.entry_number = 1, .base_addr = (uint32_t)(uintptr_t)page, .limit = 4095,
			.seg_32bit = 1, .useable = 1,
		};
		uint16_t sel = (1 << 3) | 4 | 3;   /* entry 1, LDT, RPL 3 */
		uint32_t v;

		if (syscall(SYS_modify_ldt, 1, &d, sizeof(d)) != 0)
			_exit(2);
		__asm__ volatile("mov %1, %%gs\n\tmovl %%gs:4, %0" : "=r"(v) : "r"(sel));
		_exit(v == 0x1dc0ffee ? 0 : 3);
	}
	check(pid > 0, "ldt_fork", strerror(errno));
	if (pid <= 0)
		return;
	waitpid(pid, &status, 0);
	if (WIFSIGNALED(status))
		snprintf(why, sizeof(why), "killed by signal %d loading or reading the LDT selector",
			 WTERMSIG(status));
	else
		snprintf(why, sizeof(why), "exit %d (2: modify_ldt failed, 3: wrong value read)",
			 WEXITSTATUS(status));
	check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "modify_ldt_selector_read", why);
	munmap(page, 4096);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_privcmd();
	test_evtchn();
	test_devices();
	test_ldt();
	printf("dom0-abi-test: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
