/*
 * xdev_vbd_number.c - virtual disk names to Xen's device numbers
 * (xen-vbd-interface(7)). The number is what the guest's blkfront sees
 * as virtual-device and what names the device's xenstore directories, so
 * it must be exactly Xen's: a guest kernel picks its disk name from it.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "xdev.h"

#define XVD_MAJOR	202
#define SD_MAJOR	8
#define XVD_EXT_FLAG	(1u << 28)	/* the extended xvd numbering */
#define XVD_MAX_DISKS	(1u << 20)
#define XVD_MAX_PART	255

/*
 * Disk letters in Xen's bijective base 26: a=0 .. z=25, aa=26 .. zz=701,
 * aaa=702, ... Stops at the first character that is not a-z; fails on no
 * letter or a disk number of MAX or more.
 */
static bool parse_letters(const char **p, unsigned max, unsigned *disk)
{
	const char *s = *p;
	unsigned long d = 0;
	bool any = false;

	for (; *s >= 'a' && *s <= 'z'; s++) {
		d = (any ? d + 1 : 0) * 26 + (unsigned)(*s - 'a');
		if (d >= max)
			return false;
		any = true;
	}
	*p = s;
	*disk = (unsigned)d;
	return any;
}

/*
 * A decimal number without sign, spaces or leading zeros, at most MAX,
 * ending the string (an empty string is partition 0 when ALLOW_EMPTY).
 */
static bool parse_decimal(const char *s, unsigned max, bool allow_empty,
			  unsigned *out)
{
	unsigned long v = 0;

	if (*s == '\0') {
		*out = 0;
		return allow_empty;
	}
	if (*s == '0' && s[1] != '\0')
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (unsigned)(*s - '0');
		if (v > max)
			return false;
	}
	*out = (unsigned)v;
	return true;
}

static uint32_t xvd_number(unsigned disk, unsigned part)
{
	if (disk < 16 && part < 16)
		return (XVD_MAJOR << 8) | (disk << 4) | part;
	return XVD_EXT_FLAG | (disk << 8) | part;
}

/* "xvd", "sd" or "hd", then letters, then an optional partition. */
static int lettered(const char *vdev, uint32_t *devnum)
{
	const char *p;
	unsigned disk, part;

	if (strncmp(vdev, "xvd", 3) == 0) {
		p = vdev + 3;
		if (!parse_letters(&p, XVD_MAX_DISKS, &disk) ||
		    !parse_decimal(p, XVD_MAX_PART, true, &part))
			return -EINVAL;
		*devnum = xvd_number(disk, part);
		return 0;
	}
	if (strncmp(vdev, "sd", 2) == 0) {
		p = vdev + 2;
		if (!parse_letters(&p, 16, &disk) || !parse_decimal(p, 15, true, &part))
			return -EINVAL;
		*devnum = (SD_MAJOR << 8) | (disk << 4) | part;
		return 0;
	}
	if (strncmp(vdev, "hd", 2) == 0) {
		/* hda, hdb on IDE major 3; hdc, hdd on 22; 64 minors a disk */
		p = vdev + 2;
		if (!parse_letters(&p, 4, &disk) || !parse_decimal(p, 63, true, &part))
			return -EINVAL;
		*devnum = ((disk < 2 ? 3u : 22u) << 8) | ((disk & 1) << 6) | part;
		return 0;
	}
	return -EINVAL;
}

/* "dDpP": disk and partition as numbers, in the xvd numbering. */
static int numbered(const char *vdev, uint32_t *devnum)
{
	char buf[16];
	const char *p;
	unsigned disk, part;
	size_t n;

	if (vdev[0] != 'd')
		return -EINVAL;
	p = strchr(vdev, 'p');
	if (!p || p == vdev + 1)
		return -EINVAL;
	n = (size_t)(p - vdev - 1);
	if (n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, vdev + 1, n);
	buf[n] = '\0';
	if (!parse_decimal(buf, XVD_MAX_DISKS - 1, false, &disk) ||
	    !parse_decimal(p + 1, XVD_MAX_PART, false, &part))
		return -EINVAL;
	*devnum = xvd_number(disk, part);
	return 0;
}

int xdev_vbd_number(const char *vdev, uint32_t *devnum)
{
	if (!vdev || !devnum)
		return -EINVAL;
	if (lettered(vdev, devnum) == 0)
		return 0;
	return numbered(vdev, devnum);
}
