/*
 * Freestanding C library subset used throughout the hypervisor. The same
 * sources build for the host in tests/unit, so nothing here may depend on x86.
 */
#ifndef LIB_H
#define LIB_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a)      (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b)          ((a) < (b) ? (a) : (b))
#define MAX(a, b)          ((a) > (b) ? (a) : (b))
#define ALIGN_UP(x, a)     (((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a)   ((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a)   (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define FALLTHROUGH        __attribute__((fallthrough))
#define PRINTF_LIKE(f, a)  __attribute__((format(printf, f, a)))
#define NORETURN           __attribute__((noreturn))
/* Keep a function its own frame in backtraces, even under link-time optimisation. */
#define NOINLINE           __attribute__((noinline))
#define UNUSED             __attribute__((unused))
/*
 * The guest entry and exit paths (exception bounce, SYSCALL, iret): linked
 * together, ahead of other text. Under an emulator (QEMU TCG) a jump or
 * call to another page always costs a lookup of the next translated block,
 * while one within the page is chained directly; see docs/benchmarks.md.
 */
#define HOT_PATH           __attribute__((section(".text.hot")))
/*
 * A single page-table update (mmu_update of one entry, Linux's set_pte
 * outside lazy mode: hundreds per fork+exec): linked right after, apart,
 * so that it does not push the entry paths onto more pages.
 */
#define HOT_PATH_MM        __attribute__((section(".text.hot.mm")))

#define KiB(x)             ((uint64_t)(x) << 10)
#define MiB(x)             ((uint64_t)(x) << 20)
#define GiB(x)             ((uint64_t)(x) << 30)

/*
 * 8 bytes at any address, as one move. The hypervisor's memcpy is a call to
 * REP MOVS (arch/x86/string.S), and under an emulator each REP step is a
 * translated block of its own, so the decoders' 8-byte loads and stores use
 * these; GCC turns __builtin_memcpy of a constant 8 into a plain move even
 * in a freestanding build.
 */
static inline uint64_t load64(const void *p)
{
	uint64_t v;

	__builtin_memcpy(&v, p, 8);
	return v;
}

static inline void store64(void *p, uint64_t v)
{
	__builtin_memcpy(p, &v, 8);
}

/* n whole 4 KiB frames zeroed: arch/x86/string.S, faster than memset under emulation */
#ifdef HOST_TEST
static inline void clear_frames(void *va, uint64_t n)
{
	__builtin_memset(va, 0, n << 12);
}
#else
void clear_frames(void *va, uint64_t n);
#endif

/* When lib/ builds for the host the system's libc provides these. */
#ifndef HOST_TEST
void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
#else
#include <string.h>
#endif

size_t strlcpy(char *dst, const char *src, size_t size);

int hv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap) PRINTF_LIKE(3, 0);
int hv_snprintf(char *buf, size_t size, const char *fmt, ...) PRINTF_LIKE(3, 4);

/*
 * Parse an unsigned number: decimal, or hex with 0x. `*end` points past the
 * digits. Returns false when there are no digits or the value overflows.
 */
bool parse_u64(const char *s, const char **end, uint64_t *out);

/*
 * Parse a size with an optional binary suffix (B, K, M, G, T; either case).
 * A bare number is in units of 1 << default_shift bytes: options differ.
 */
bool parse_size(const char *s, const char **end, unsigned default_shift, uint64_t *out);

/*
 * lib/calendar.c: seconds since 1970-01-01 UTC of a date and time (false if
 * it is not one, or before 1970); a packed BCD byte's value (false if a
 * digit is not 0-9).
 */
bool calendar_to_epoch(unsigned year, unsigned month, unsigned day, unsigned hour,
		       unsigned min, unsigned sec, uint64_t *out);
bool bcd_to_bin(uint8_t bcd, unsigned *out);

#endif
