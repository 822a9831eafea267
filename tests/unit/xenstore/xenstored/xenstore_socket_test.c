/*
 * xenstore_socket_test.c - the local socket: its directory is private
 * and the socket is never reachable by others, not even for an instant
 * between bind() and a later chmod() (a socket client is trusted as
 * Dom0).  bind() is wrapped (-Wl,--wrap=bind) to look at the socket's
 * mode the moment it appears.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include "xenstore_test_util.h"
#include "xs_socket.h"

static int bind_mode = -1;

int __real_bind(int fd, const struct sockaddr *sa, socklen_t len);
int __wrap_bind(int fd, const struct sockaddr *sa, socklen_t len)
{
	int rc = __real_bind(fd, sa, len);
	struct stat st;

	if (!rc && sa->sa_family == AF_UNIX &&
	    !stat(((const struct sockaddr_un *)sa)->sun_path, &st))
		bind_mode = st.st_mode & 07777;
	return rc;
}

static int mode_of(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_mode & 07777;
}

static void test_private_from_the_start(void **state)
{
	char base[] = "/tmp/xs-sock-XXXXXX", dir[128], sub[128], sock[128];
	mode_t old = umask(0);	/* the most permissive a caller may have */
	int fd;

	assert_non_null(mkdtemp(base));
	snprintf(dir, sizeof(dir), "%s/run", base);
	snprintf(sub, sizeof(sub), "%s/run/xenstored", base);
	snprintf(sock, sizeof(sock), "%s/run/xenstored/socket", base);
	fd = xsd_socket_listen(sock);
	assert_true(fd >= 0);
	assert_int_equal(bind_mode & 077, 0);
	assert_int_equal(mode_of(sock) & 077, 0);
	assert_int_equal(mode_of(sub), 0700);
	assert_int_equal(mode_of(dir), 0755);	/* above it: may be shared */
	assert_int_equal(umask(old), 0);	/* the caller's umask is kept */
	close(fd);
	unlink(sock);
	rmdir(sub);
	rmdir(dir);
	rmdir(base);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_private_from_the_start),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
