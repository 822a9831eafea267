/*
 * pv-extract-vmlinux - the command-line face of bzimage.c and elf_image.c.
 *
 *   pv-extract-vmlinux BZIMAGE OUTPUT   write the ELF vmlinux inside BZIMAGE
 *   pv-extract-vmlinux --info BZIMAGE   print what the setup header says
 *   pv-extract-vmlinux --notes FILE     list the Xen ELF notes of FILE (an
 *                                       ELF vmlinux, or a bzImage)
 *
 * OUTPUT is written under a temporary name and renamed into place only when
 * complete, so a failure never leaves a partial kernel behind for a later
 * build step to pick up.
 */
#include "bzimage.h"
#include <elf_image.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *prog = "pv-extract-vmlinux";

static void usage(void)
{
	fprintf(stderr,
		"usage: %s BZIMAGE OUTPUT\n"
		"       %s --info BZIMAGE\n"
		"       %s --notes VMLINUX-OR-BZIMAGE\n",
		prog, prog, prog);
}

/* Read all of path into a malloc'd buffer. Returns 0, or -1 after a message. */
static int read_file(const char *path, uint8_t **buf, size_t *len)
{
	struct stat st;
	uint8_t *data = NULL;
	size_t done = 0;
	int fd, rc = -1;

	*buf = NULL;
	*len = 0;
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "%s: %s: not a regular file\n", prog, path);
		goto out;
	}
	data = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!data) {
		fprintf(stderr, "%s: %s: cannot allocate %lld bytes\n", prog, path,
			(long long)st.st_size);
		goto out;
	}
	while (done < (size_t)st.st_size) {
		ssize_t r = read(fd, data + done, (size_t)st.st_size - done);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			fprintf(stderr, "%s: %s: read failed: %s\n", prog, path,
				r < 0 ? strerror(errno) : "file shrank");
			goto out;
		}
		done += (size_t)r;
	}
	*buf = data;
	*len = done;
	data = NULL;
	rc = 0;
out:
	free(data);
	close(fd);
	return rc;
}

/* Write buf to path via path.tmp.PID and rename; removes the temporary on failure. */
static int write_file(const char *path, const uint8_t *buf, size_t len)
{
	char tmp[4096];
	size_t done = 0;
	int fd = -1, rc = -1;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof(tmp)) {
		fprintf(stderr, "%s: %s: path too long\n", prog, path);
		return -1;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		fprintf(stderr, "%s: %s: %s\n", prog, tmp, strerror(errno));
		return -1;
	}
	while (done < len) {
		ssize_t r = write(fd, buf + done, len - done);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			fprintf(stderr, "%s: %s: write failed: %s\n", prog, tmp, strerror(errno));
			goto out;
		}
		done += (size_t)r;
	}
	if (close(fd) < 0) {
		fd = -1;
		fprintf(stderr, "%s: %s: %s\n", prog, tmp, strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) < 0) {
		fprintf(stderr, "%s: rename %s to %s: %s\n", prog, tmp, path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	if (rc)
		unlink(tmp);
	return rc;
}

static void print_string(const uint8_t *p, uint32_t len)
{
	putchar('"');
	for (uint32_t i = 0; i < len && p[i]; i++) {
		/* The image is untrusted: never send raw control bytes to a terminal. */
		if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '"' && p[i] != '\\')
			putchar(p[i]);
		else
			printf("\\x%02x", p[i]);
	}
	putchar('"');
}

static void print_numbers(const uint8_t *p, uint32_t len)
{
	if (len == 4) {
		uint32_t v;

		memcpy(&v, p, 4);
		printf("0x%08x", v);
	} else if (len > 0 && len % 8 == 0) {
		for (uint32_t i = 0; i < len; i += 8) {
			uint64_t v;

			memcpy(&v, p + i, 8);
			printf("%s0x%016llx", i ? " " : "", (unsigned long long)v);
		}
	} else {
		for (uint32_t i = 0; i < len; i++)
			printf("%02x", p[i]);
	}
}

static int print_note(const struct elf_note *note, void *arg)
{
	const char *name = elf_image_note_name(note->type);
	int *count = arg;

	printf("%-3u %-20s ", note->type, name ? name : "?");
	if (elf_image_note_is_string(note->type))
		print_string(note->desc, note->desc_len);
	else
		print_numbers(note->desc, note->desc_len);
	putchar('\n');
	(*count)++;
	return 0;
}

static int cmd_notes(const char *path)
{
	char err[BZIMAGE_ERR_LEN] = "";
	uint8_t *buf = NULL, *elf = NULL;
	size_t len, elf_len;
	int count = 0, rc = 1;

	if (read_file(path, &buf, &len))
		goto out;
	if (bzimage_check_elf64(buf, len, NULL) == BZIMAGE_OK) {
		elf = buf;
		elf_len = len;
		buf = NULL;
	} else if (bzimage_extract_vmlinux(buf, len, &elf, &elf_len, err)) {
		fprintf(stderr, "%s: %s: neither an ELF64 kernel nor a usable bzImage: %s\n",
			prog, path, err);
		goto out;
	}
	if (elf_image_foreach_note(elf, elf_len, print_note, &count, err, sizeof(err))) {
		fprintf(stderr, "%s: %s: %s\n", prog, path, err);
		goto out;
	}
	if (count == 0) {
		fprintf(stderr, "%s: %s: no Xen ELF notes (not a PV-capable kernel)\n", prog, path);
		goto out;
	}
	rc = 0;
out:
	free(buf);
	free(elf);
	return rc;
}

static int cmd_info(const char *path)
{
	char err[BZIMAGE_ERR_LEN] = "";
	struct bzimage_info info;
	uint8_t *buf = NULL;
	size_t len;
	int rc = 1;

	if (read_file(path, &buf, &len))
		goto out;
	if (bzimage_parse(buf, len, &info, err)) {
		fprintf(stderr, "%s: %s: %s\n", prog, path, err);
		goto out;
	}
	printf("protocol          %u.%02u\n", info.protocol >> 8, info.protocol & 0xff);
	printf("setup_sects       %u\n", info.setup_sects);
	printf("payload_offset    0x%llx\n", (unsigned long long)info.payload_offset);
	printf("payload_length    0x%x\n", info.payload_length);
	printf("compression       %s\n", bzimage_compression_name(info.compression));
	printf("uncompressed_size %u\n", info.uncompressed_size);
	rc = 0;
out:
	free(buf);
	return rc;
}

static int cmd_extract(const char *in_path, const char *out_path)
{
	char err[BZIMAGE_ERR_LEN] = "";
	uint8_t *buf = NULL, *elf = NULL;
	size_t len, elf_len;
	int rc = 1;

	if (read_file(in_path, &buf, &len))
		goto out;
	if (bzimage_extract_vmlinux(buf, len, &elf, &elf_len, err)) {
		fprintf(stderr, "%s: %s: %s\n", prog, in_path, err);
		goto out;
	}
	if (write_file(out_path, elf, elf_len))
		goto out;
	rc = 0;
out:
	free(buf);
	free(elf);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--notes") == 0)
		return cmd_notes(argv[2]);
	if (argc == 3 && strcmp(argv[1], "--info") == 0)
		return cmd_info(argv[2]);
	if (argc == 3 && argv[1][0] != '-')
		return cmd_extract(argv[1], argv[2]);
	usage();
	return 2;
}
