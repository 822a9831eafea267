/*
 * xl_devices_backend.c - struct xl_dev_ops over the real things: a
 * xenstore directory listing (libxenstore) and the hotplug scripts run
 * as child processes, as libxl runs them (Dom0 has no udev to run them).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "xl.h"
#include "xl_backend.h"

static int bd_xs_dir(void *priv, const char *path, char ***names, unsigned int *n)
{
	struct xl_backend *be = priv;

	*names = xs_directory(be->xs, XBT_NULL, path, n);
	return *names ? 0 : xl_neg_errno();
}

static int bd_run_script(void *priv, const char *script, const char *const argv[],
			 const char *const env[])
{
	int status;
	pid_t pid;

	(void)priv;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return xl_neg_errno();
	if (pid == 0) {
		for (int i = 0; env[i]; i++)
			putenv((char *)env[i]);
		execv(script, (char *const *)argv);
		fprintf(stderr, "xl: cannot run %s: %s\n", script, strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return xl_neg_errno();
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -EIO;
}

const struct xl_dev_ops xl_real_dev_ops = {
	.xs_dir = bd_xs_dir, .run_script = bd_run_script,
};
