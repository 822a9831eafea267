/*
 * xu-pty: run a command on a pseudo-terminal and drive it like a person at
 * a terminal would, expect-style. Used for `xl console` (xenconsole wants
 * a terminal: it sets it raw and reads keystrokes from it), where input
 * typed through a pipe is not a faithful test.
 *
 *   xu-pty [-t SECONDS] STEP... -- COMMAND [ARG]...
 *
 * STEPs, in order:
 *   expect:TEXT  wait until the output since the last match contains TEXT
 *   send:TEXT    write TEXT to the terminal (\r, \n, \e, \\ and \NNN octal
 *                escapes; Ctrl-] is \035)
 *   sleep:MS     wait MS milliseconds, still reading output
 * Everything the command writes is copied to stdout. A cursor-position
 * query (ESC [ 6 n, which busybox's line editor sends before its prompt)
 * is answered as a 24x80 terminal would, so the shell does not wait for
 * it. After the last step the command must exit by itself.
 * Exit status: the command's (0 when it exited 0), 2 when an expect or the
 * final wait timed out (the command is then killed), 3 on usage errors.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define SEEN_MAX 65536

static char seen[SEEN_MAX + 1];	/* output since the last expect matched */
static size_t seen_len;
static int master = -1;
static pid_t child = -1;

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Keep the newest output; a match needs only what came after the last. */
static void remember(const char *buf, size_t len)
{
	if (len >= SEEN_MAX) {
		buf += len - SEEN_MAX;
		len = SEEN_MAX;
	}
	if (seen_len + len > SEEN_MAX) {
		size_t drop = seen_len + len - SEEN_MAX;

		memmove(seen, seen + drop, seen_len - drop);
		seen_len -= drop;
	}
	memcpy(seen + seen_len, buf, len);
	seen_len += len;
	seen[seen_len] = '\0';
}

/*
 * Read what is there within wait_ms. Returns -1 once the terminal is gone
 * (the command and all its children closed it), 0 otherwise.
 */
static int pump(int wait_ms)
{
	struct pollfd p = { .fd = master, .events = POLLIN };
	char buf[4096];
	ssize_t n;

	if (poll(&p, 1, wait_ms) <= 0)
		return 0;
	n = read(master, buf, sizeof(buf));
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 0;
	if (n <= 0)
		return -1;
	write_all(STDOUT_FILENO, buf, (size_t)n);
	if (memmem(buf, (size_t)n, "\033[6n", 4))
		write_all(master, "\033[24;1R", 7);
	remember(buf, (size_t)n);
	return 0;
}

/* Backslash escapes of a send: step, decoded in place; returns the length. */
static size_t unescape(char *s)
{
	char *start = s, *out = s;

	while (*s) {
		if (*s != '\\' || !s[1]) {
			*out++ = *s++;
			continue;
		}
		s++;
		switch (*s) {
		case 'r': *out++ = '\r'; s++; break;
		case 'n': *out++ = '\n'; s++; break;
		case 'e': *out++ = '\033'; s++; break;
		case '0': case '1': case '2': case '3': {
			int v = 0, i;

			for (i = 0; i < 3 && *s >= '0' && *s <= '7'; i++)
				v = v * 8 + (*s++ - '0');
			*out++ = (char)v;
			break;
		}
		default: *out++ = *s++; break;
		}
	}
	return (size_t)(out - start);
}

static pid_t spawn(char **argv)
{
	int slave;
	char *name;
	struct winsize ws = { .ws_row = 24, .ws_col = 80 };
	pid_t pid;

	master = posix_openpt(O_RDWR | O_NOCTTY);
	if (master < 0 || grantpt(master) || unlockpt(master) || !(name = ptsname(master)))
		return -1;
	pid = fork();
	if (pid != 0)
		return pid;
	setsid();
	slave = open(name, O_RDWR);
	if (slave < 0)
		_exit(127);
	ioctl(slave, TIOCSCTTY, 0);
	ioctl(slave, TIOCSWINSZ, &ws);
	dup2(slave, 0);
	dup2(slave, 1);
	dup2(slave, 2);
	if (slave > 2)
		close(slave);
	close(master);
	execvp(argv[0], argv);
	fprintf(stderr, "xu-pty: cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

static int finish(int code)
{
	int status;

	if (child > 0) {
		kill(child, SIGKILL);
		waitpid(child, &status, 0);
	}
	return code;
}

int main(int argc, char **argv)
{
	long timeout_ms = 30000, deadline;
	int first = 1, cmd, i, status;

	if (argc > 2 && !strcmp(argv[1], "-t")) {
		timeout_ms = atol(argv[2]) * 1000L;
		first = 3;
	}
	for (cmd = first; cmd < argc && strcmp(argv[cmd], "--"); cmd++)
		;
	if (cmd + 1 >= argc || timeout_ms <= 0) {
		fprintf(stderr, "usage: xu-pty [-t SECONDS] STEP... -- COMMAND [ARG]...\n");
		return 3;
	}
	child = spawn(argv + cmd + 1);
	if (child < 0) {
		fprintf(stderr, "xu-pty: no pseudo-terminal: %s\n", strerror(errno));
		return 3;
	}
	deadline = now_ms() + timeout_ms;
	for (i = first; i < cmd; i++) {
		char *step = argv[i];

		if (!strncmp(step, "expect:", 7)) {
			const char *want = step + 7;

			while (!strstr(seen, want)) {
				if (now_ms() >= deadline || pump(100) < 0) {
					fprintf(stderr, "\nxu-pty: timed out waiting for '%s'\n", want);
					return finish(2);
				}
			}
			/* later expects look only at what follows this match */
			{
				size_t used = (size_t)(strstr(seen, want) - seen) + strlen(want);

				memmove(seen, seen + used, seen_len - used + 1);
				seen_len -= used;
			}
		} else if (!strncmp(step, "send:", 5)) {
			char *text = step + 5;
			size_t len;

			len = unescape(text);
			if (write_all(master, text, len) < 0) {
				fprintf(stderr, "\nxu-pty: terminal gone before '%s'\n", step);
				return finish(2);
			}
		} else if (!strncmp(step, "sleep:", 6)) {
			long until = now_ms() + atol(step + 6);

			while (now_ms() < until && pump((int)(until - now_ms())) == 0)
				;
		} else {
			fprintf(stderr, "xu-pty: unknown step '%s'\n", step);
			return finish(3);
		}
	}
	/* the command ends by itself (Ctrl-] for xenconsole) */
	while (waitpid(child, &status, WNOHANG) == 0) {
		if (now_ms() >= deadline) {
			fprintf(stderr, "\nxu-pty: the command did not exit\n");
			return finish(2);
		}
		if (pump(100) < 0) {
			waitpid(child, &status, 0);
			break;
		}
	}
	child = -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
