/*
 * forkbench - fork+exec cost in a Linux Dom0 (issue 4's figure): N times
 * fork, execve a static program (default /bin/true, busybox) and wait for
 * it, timed with CLOCK_MONOTONIC; then N times fork and _exit alone.
 * Static, so it runs from the bare initramfs as well as under a hypervisor.
 *
 * First it credits the kernel's random pool with 256 bits (RNDADDENTROPY,
 * as a seed service at boot would). Booted bare, QEMU hands Linux a random
 * seed (setup_data), so its CRNG is ready at once; as Dom0 (of Xen or of
 * Paravane) it gets none, and until interrupts have credited 256 bits,
 * minutes after boot, every execve's get_random_bytes hashes the whole input
 * pool: a tenth of a fork+exec's instructions, measured with QEMU -icount.
 * The seed makes the three runs time the same kernel work.
 *
 *   forkbench [N [PROGRAM]]
 * prints "forkbench: fork+exec+wait PROGRAM: N in T ms, U us each" and
 *        "forkbench: fork+exit+wait: N in T ms, U us each".
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <linux/random.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int run(const char *prog, int do_exec)
{
	int status;
	pid_t pid = fork();

	if (pid < 0) {
		perror("forkbench: fork");
		return -1;
	}
	if (pid == 0) {
		if (do_exec) {
			char *argv[] = { (char *)prog, NULL };
			char *envp[] = { NULL };
			execve(prog, argv, envp);
			_exit(127);
		}
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "forkbench: child of %s failed (status %#x)\n", prog, status);
		return -1;
	}
	return 0;
}

/* Credit 256 bits to the kernel's input pool; what the bits are does not matter here. */
static void seed_crng(void)
{
	struct {
		struct rand_pool_info info;
		unsigned char bytes[32];
	} seed;
	int fd = open("/dev/urandom", O_RDONLY);

	memset(&seed, 0x5a, sizeof(seed));
	seed.info.entropy_count = 256;
	seed.info.buf_size = sizeof(seed.bytes);
	if (fd < 0 || ioctl(fd, RNDADDENTROPY, &seed) != 0)
		perror("forkbench: cannot seed the CRNG (RNDADDENTROPY); timing an unseeded kernel");
	else
		printf("forkbench: CRNG seeded\n");
	if (fd >= 0)
		close(fd);
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 200;
	const char *prog = argc > 2 ? argv[2] : "/bin/true";
	double t0, t1;

	if (n <= 0)
		n = 200;
	seed_crng();
	run(prog, 1);   /* warm the page cache and the program's pages */
	t0 = now_ms();
	for (int i = 0; i < n; i++)
		if (run(prog, 1))
			return 1;
	t1 = now_ms();
	printf("forkbench: fork+exec+wait %s: %d in %.1f ms, %.0f us each\n", prog, n, t1 - t0,
	       (t1 - t0) * 1e3 / n);
	t0 = now_ms();
	for (int i = 0; i < n; i++)
		if (run(prog, 0))
			return 1;
	t1 = now_ms();
	printf("forkbench: fork+exit+wait: %d in %.1f ms, %.0f us each\n", n, t1 - t0,
	       (t1 - t0) * 1e3 / n);
	return 0;
}
