/*
 * forkbench - fork+exec cost in a Linux Dom0 (issue 4's figure): N times
 * fork, execve a static program (default /bin/true, busybox) and wait for
 * it, timed with CLOCK_MONOTONIC; then N times fork and _exit alone.
 * Static, so it runs from the bare initramfs as well as under a hypervisor.
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
#include <sys/wait.h>

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

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 200;
	const char *prog = argc > 2 ? argv[2] : "/bin/true";
	double t0, t1;

	if (n <= 0)
		n = 200;
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
