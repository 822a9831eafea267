/*
 * Linux bzImage kernels (bzimage.h): the setup header says where the
 * compressed payload is; its magic says how it is compressed. The header
 * facts are Linux's boot protocol (Documentation/x86/boot.rst).
 */
#include <bzimage.h>
#include <gunzip.h>
#include <unlz4.h>
#include <unxz.h>
#include <unzstd.h>
#include <public/errno.h>

#define HDR_SETUP_SECTS    0x1f1
#define HDR_BOOT_FLAG      0x1fe
#define HDR_MAGIC          0x202      /* "HdrS" */
#define HDR_VERSION        0x206
#define HDR_PAYLOAD_OFFSET 0x248      /* from the protected-mode code */
#define HDR_PAYLOAD_LENGTH 0x24c
#define HDR_END            0x250

#define SECTOR             512
#define DEFAULT_SETUP_SECTS 4         /* what 0 means */
#define PROTOCOL_PAYLOAD   0x0208     /* the first with the payload fields */
#define SIZE_TRAILER       4

/* bzimage_unpack's one work area serves whichever decoder the payload needs. */
_Static_assert(UNZSTD_WORK_SIZE <= UNXZ_WORK_SIZE, "the zstd tables must fit in the xz work area");

static uint32_t le16(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t le32(const uint8_t *p)
{
	return le16(p) | le16(p + 2) << 16;
}

/* The methods Linux can compress with, by the magic of their streams. */
static const struct {
	const char *name;
	size_t len;
	uint8_t magic[6];
} methods[] = {
	{ "xz", 6, { 0xfd, '7', 'z', 'X', 'Z', 0x00 } },
	{ "gzip", 2, { 0x1f, 0x8b } },
	{ "lz4", 4, { 0x02, 0x21, 0x4c, 0x18 } },
	{ "zstd", 4, { 0x28, 0xb5, 0x2f, 0xfd } },
	{ "bzip2", 3, { 'B', 'Z', 'h' } },
	{ "lzma", 3, { 0x5d, 0x00, 0x00 } },
	{ "lzo", 4, { 0x89, 'L', 'Z', 'O' } },
};

int bzimage_probe(const void *data, size_t size, struct bzimage *bz, char *why, size_t why_len)
{
	const uint8_t *d = data;
	unsigned sects;
	uint64_t start;
	uint32_t len;

	memset(bz, 0, sizeof(*bz));
	if (size < HDR_END || memcmp(d + HDR_MAGIC, "HdrS", 4) || le16(d + HDR_BOOT_FLAG) != 0xaa55) {
		hv_snprintf(why, why_len, "neither ELF nor a bzImage");
		return -XEN_ENOEXEC;
	}
	bz->protocol = le16(d + HDR_VERSION);
	if (bz->protocol < PROTOCOL_PAYLOAD) {
		hv_snprintf(why, why_len, "bzImage boot protocol %u.%02u does not locate its payload (2.08 or later needed)",
			    bz->protocol >> 8, bz->protocol & 0xff);
		return -XEN_EINVAL;
	}
	sects = d[HDR_SETUP_SECTS] ? d[HDR_SETUP_SECTS] : DEFAULT_SETUP_SECTS;
	start = (uint64_t)(sects + 1) * SECTOR + le32(d + HDR_PAYLOAD_OFFSET);
	len = le32(d + HDR_PAYLOAD_LENGTH);
	if (start > size || len > size - start || len <= SIZE_TRAILER) {
		hv_snprintf(why, why_len, "bzImage payload (at %#lx, %u bytes) is not inside the %zu-byte file: truncated?",
			    (unsigned long)start, len, size);
		return -XEN_EINVAL;
	}
	bz->payload = d + start;
	bz->payload_len = len - SIZE_TRAILER;
	bz->unpacked_size = le32(bz->payload + bz->payload_len);
	if (!bz->unpacked_size || bz->unpacked_size > BZIMAGE_UNPACKED_MAX) {
		hv_snprintf(why, why_len, "bzImage payload claims to unpack to %zu bytes (1 to %lu accepted)",
			    bz->unpacked_size, (unsigned long)BZIMAGE_UNPACKED_MAX);
		return -XEN_EINVAL;
	}
	bz->method = "unknown";
	for (size_t i = 0; i < ARRAY_SIZE(methods); i++)
		if (bz->payload_len >= methods[i].len && !memcmp(bz->payload, methods[i].magic, methods[i].len)) {
			bz->method = methods[i].name;
			break;
		}
	if (strcmp(bz->method, "xz") && strcmp(bz->method, "gzip") && strcmp(bz->method, "lz4") &&
	    strcmp(bz->method, "zstd")) {
		hv_snprintf(why, why_len, "bzImage payload is compressed with %s; only xz, gzip, lz4 and zstd are supported (give the ELF vmlinux instead)",
			    bz->method);
		return -XEN_EOPNOTSUPP;
	}
	return 0;
}

int bzimage_unpack(const struct bzimage *bz, uint8_t *out, size_t out_cap, void *work,
		   char *why, size_t why_len)
{
	size_t n;
	int rc;

	if (out_cap < bz->unpacked_size) {
		hv_snprintf(why, why_len, "bzImage: a %zu-byte buffer for %zu bytes", out_cap, bz->unpacked_size);
		return -XEN_E2BIG;
	}
	/* a gzip member ends with its size: the trailer is part of the stream */
	if (!strcmp(bz->method, "gzip"))
		rc = gunzip(bz->payload, bz->payload_len + SIZE_TRAILER, out, bz->unpacked_size, &n, why, why_len);
	else if (!strcmp(bz->method, "lz4"))
		rc = unlz4(bz->payload, bz->payload_len, out, bz->unpacked_size, &n, why, why_len);
	else if (!strcmp(bz->method, "zstd"))
		rc = unzstd(bz->payload, bz->payload_len, out, bz->unpacked_size, &n, work, why, why_len);
	else
		rc = unxz(bz->payload, bz->payload_len, out, bz->unpacked_size, &n, work, why, why_len);
	if (!rc && n != bz->unpacked_size) {
		hv_snprintf(why, why_len, "bzImage payload unpacked to %zu bytes, its trailer says %zu", n,
			    bz->unpacked_size);
		rc = -XEN_EINVAL;
	}
	return rc;
}
