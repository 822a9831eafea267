/*
 * pv_image.c - the files a PV guest is built from: the kernel (an ELF
 * vmlinux, or a bzImage whose payload is unpacked here) and the initrd.
 * Everything that can be wrong with them is found here, before the
 * builder asks the hypervisor for anything, and said in one line that
 * starts with the file's name.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "bzimage.h"
#include "pv_build_private.h"

/* Larger than any kernel or initrd a guest we can build could hold. */
#define PV_FILE_MAX (1ull << 32)

/*
 * Map all of path read-only, as libxenguest maps the kernel: only the
 * pages the build touches are read in, straight from the page cache,
 * where reading it meant faulting in, clearing and copying a buffer as
 * large as the file (a 66 MB vmlinux: about a second under emulation).
 * 0, or -errno with err filled.
 */
static int map_file(const char *path, uint8_t **out, size_t *out_len,
		    char *err, size_t errlen)
{
	struct stat st;
	void *p;
	int fd, rc = 0;

	*out = NULL;
	*out_len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(-rc));
		return rc;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		rc = -EINVAL;
		goto out;
	}
	if (st.st_size == 0 || (unsigned long long)st.st_size > PV_FILE_MAX) {
		snprintf(err, errlen, "%s: %s (%lld bytes)", path,
			 st.st_size ? "too large" : "empty file", (long long)st.st_size);
		rc = st.st_size ? -EFBIG : -ENOEXEC;
		goto out;
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED) {
		rc = -errno;
		snprintf(err, errlen, "%s: cannot map %lld bytes: %s", path,
			 (long long)st.st_size, strerror(-rc));
		goto out;
	}
	*out = p;
	*out_len = (size_t)st.st_size;
out:
	close(fd);
	return rc;
}

static bool is_elf(const uint8_t *p, size_t len)
{
	return len >= 4 && memcmp(p, "\177ELF", 4) == 0;
}

static bool is_bzimage(const uint8_t *p, size_t len)
{
	return len >= 0x206 && memcmp(p + 0x202, "HdrS", 4) == 0;
}

/* im->file holds the kernel: find its ELF and parse it. */
static int parse_kernel(struct pv_image *im, const char *path, char *err, size_t errlen)
{
	char why[BZIMAGE_ERR_LEN];
	int rc;

	if (is_elf(im->file, im->file_len)) {
		im->elf = im->file;
		im->elf_len = im->file_len;
	} else if (is_bzimage(im->file, im->file_len)) {
		rc = bzimage_extract_vmlinux(im->file, im->file_len, &im->elf, &im->elf_len, why);
		if (rc) {
			snprintf(err, errlen, "%s: bzImage: %s", path, why);
			return rc == BZIMAGE_ENOMEM ? -ENOMEM : -ENOEXEC;
		}
	} else {
		snprintf(err, errlen, "%s: not a kernel: neither an ELF file nor a bzImage", path);
		return -ENOEXEC;
	}
	rc = elf_image_parse(im->elf, im->elf_len, &im->img, why, sizeof(why));
	if (rc) {
		snprintf(err, errlen, "%s: %s", path, why);
		return -ENOEXEC;
	}
	return 0;
}

int pv_image_load(struct pv_image *im, const struct pv_build_args *args,
		  char *err, size_t errlen)
{
	int rc;

	memset(im, 0, sizeof(*im));
	rc = map_file(args->kernel, &im->file, &im->file_len, err, errlen);
	if (rc == 0)
		rc = parse_kernel(im, args->kernel, err, errlen);
	if (rc == 0 && args->ramdisk)
		rc = map_file(args->ramdisk, &im->ramdisk, &im->ramdisk_len, err, errlen);
	return rc;
}

void pv_image_free(struct pv_image *im)
{
	if (im->elf != im->file)
		free(im->elf);
	if (im->file)
		munmap(im->file, im->file_len);
	if (im->ramdisk)
		munmap(im->ramdisk, im->ramdisk_len);
	memset(im, 0, sizeof(*im));
}
