/*
 * dom0-irq-test: run inside a Dom0 (on Paravane or Xen 4.17) to check that
 * physical interrupts reach it through the stock Linux drivers:
 *   - the RTC's update interrupt (ISA IRQ 8, edge, through the IO-APIC):
 *     RTC_UIE_ON on /dev/rtc0, then two read()s, each within a timeout;
 *   - a virtio-blk disk (a level-triggered PCI INTx line routed by ACPI
 *     _PRT, MSI off): the first sector must hold the pattern the test
 *     harness wrote (argument 2), read with O_DIRECT so the request really
 *     goes to the device and waits for its interrupt.
 * Usage: dom0-irq-test RTC_DEV BLOCK_DEV PATTERN. Prints one PASS/FAIL line
 * per check and "dom0-irq-test: N passed, M failed"; exit status 1 on any
 * failure.
 *
 * RTC_UIE_ON is Linux's uapi (include/uapi/linux/rtc.h), re-declared here.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define RTC_UIE_ON  _IO('p', 0x03)
#define RTC_UIE_OFF _IO('p', 0x04)
#define READ_TIMEOUT_MS 5000

#include "dom0-check.h"

/* One interrupt: the driver's read() returns a count of them and a type. */
static int rtc_wait(int fd, char *why, size_t n)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	unsigned long data;
	int r = poll(&p, 1, READ_TIMEOUT_MS);

	if (r == 0) {
		snprintf(why, n, "no update interrupt within %d ms", READ_TIMEOUT_MS);
		return -1;
	}
	if (r < 0 || read(fd, &data, sizeof(data)) != sizeof(data)) {
		snprintf(why, n, "poll/read: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static void test_rtc(const char *dev)
{
	char why[128] = "";
	int fd = open(dev, O_RDONLY), ok;

	if (fd < 0) {
		snprintf(why, sizeof(why), "open %s: %s", dev, strerror(errno));
		check(0, "rtc_update_irq", why);
		return;
	}
	ok = ioctl(fd, RTC_UIE_ON, 0) == 0;
	if (!ok)
		snprintf(why, sizeof(why), "RTC_UIE_ON: %s", strerror(errno));
	ok = ok && rtc_wait(fd, why, sizeof(why)) == 0 && rtc_wait(fd, why, sizeof(why)) == 0;
	ioctl(fd, RTC_UIE_OFF, 0);
	close(fd);
	check(ok, "rtc_update_irq (two interrupts)", why);
}

static void test_disk(const char *dev, const char *pattern)
{
	char why[160] = "";
	void *buf = NULL;
	int fd = open(dev, O_RDONLY | O_DIRECT), ok = 0;

	if (fd < 0) {
		snprintf(why, sizeof(why), "open %s: %s", dev, strerror(errno));
	} else if (posix_memalign(&buf, 4096, 4096)) {
		snprintf(why, sizeof(why), "no memory");
	} else if (pread(fd, buf, 4096, 0) != 4096) {
		snprintf(why, sizeof(why), "read %s: %s", dev, strerror(errno));
	} else if (memcmp(buf, pattern, strlen(pattern))) {
		snprintf(why, sizeof(why), "first sector of %s does not start with the pattern", dev);
	} else {
		ok = 1;
	}
	if (fd >= 0)
		close(fd);
	free(buf);
	check(ok, "virtio_blk_read (level INTx)", why);
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: %s RTC_DEV BLOCK_DEV PATTERN\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IONBF, 0);
	test_rtc(argv[1]);
	test_disk(argv[2], argv[3]);
	printf("dom0-irq-test: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
