/*
 * tbprof - instructions per function from a QEMU TCG log taken with
 * `-icount shift=0 -d exec,nochain,in_asm` (bench/profile-fork-exec.sh).
 *
 * in_asm prints each translated block once, as "IN:" and one line per
 * instruction; exec (with nochain) prints a "Trace" line each time a block
 * runs. Weighting every run by its block's instruction count gives the
 * instructions executed, which we charge to the function holding the
 * block's first instruction: hypervisor symbols from `nm -n`, guest kernel
 * symbols from /proc/kallsyms, everything below the kernel half as "user".
 *
 *   tbprof HV_NM KALLSYMS [TOP] < qemu.log
 * HV_NM and KALLSYMS: "address type name" lines (nm, /proc/kallsyms).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HV_START   0xffff830000000000ULL   /* the hypervisor's image (hypervisor.lds) */
#define HV_END     0xffff840000000000ULL
#define KERNEL_MIN 0xffff800000000000ULL

struct sym {
	uint64_t addr;
	char *name;
	uint64_t insns, runs;
	int hv;
};

static struct sym *syms;
static size_t nsyms, cap;

static void load(const char *path, int hv, int text_only)
{
	FILE *f = fopen(path, "r");
	char line[512], type[8], name[400];
	unsigned long long a;

	if (!f) {
		perror(path);
		exit(1);
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx %7s %399s", &a, type, name) != 3)
			continue;
		if (text_only && !strchr("tTwW", type[0]))
			continue;
		if (nsyms == cap && !(syms = realloc(syms, (cap = cap ? 2 * cap : 4096) * sizeof(*syms))))
			exit(2);
		syms[nsyms++] = (struct sym){ a, strdup(name), 0, 0, hv };
	}
	fclose(f);
}

static int by_addr(const void *a, const void *b)
{
	const struct sym *x = a, *y = b;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static int by_insns(const void *a, const void *b)
{
	const struct sym *x = a, *y = b;
	return x->insns < y->insns ? 1 : x->insns > y->insns ? -1 : 0;
}

static struct sym *lookup(uint64_t pc)
{
	size_t lo = 0, hi = nsyms;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (syms[mid].addr <= pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? &syms[lo - 1] : NULL;
}

/* Block sizes by start address: open addressing, latest translation wins. */
#define SIZE_SLOTS (1u << 22)
static uint64_t *size_pc;
static uint32_t *size_n;

static void size_set(uint64_t pc, uint32_t n)
{
	uint32_t i = (uint32_t)((pc * 0x9e3779b97f4a7c15ULL) >> 42) & (SIZE_SLOTS - 1);

	while (size_pc[i] && size_pc[i] != pc)
		i = (i + 1) & (SIZE_SLOTS - 1);
	size_pc[i] = pc;
	size_n[i] = n;
}

static uint32_t size_get(uint64_t pc)
{
	uint32_t i = (uint32_t)((pc * 0x9e3779b97f4a7c15ULL) >> 42) & (SIZE_SLOTS - 1);

	while (size_pc[i] && size_pc[i] != pc)
		i = (i + 1) & (SIZE_SLOTS - 1);
	return size_pc[i] ? size_n[i] : 1;
}

int main(int argc, char **argv)
{
	char line[1024];
	uint64_t start = 0, hv = 0, kernel = 0, user = 0;
	uint32_t n = 0;
	int in_block = 0, top = argc > 3 ? atoi(argv[3]) : 40;

	if (argc < 3) {
		fprintf(stderr, "usage: tbprof HV_NM KALLSYMS [TOP] < qemu.log\n");
		return 2;
	}
	load(argv[1], 1, 1);
	load(argv[2], 0, 1);
	qsort(syms, nsyms, sizeof(*syms), by_addr);
	size_pc = calloc(SIZE_SLOTS, sizeof(*size_pc));
	size_n = calloc(SIZE_SLOTS, sizeof(*size_n));
	if (!size_pc || !size_n)
		return 2;
	while (fgets(line, sizeof(line), stdin)) {
		if (in_block && line[0] == '0' && line[1] == 'x') {
			if (n++ == 0)
				start = strtoull(line, NULL, 16);
			continue;
		}
		if (in_block) {
			if (n)
				size_set(start, n);
			in_block = 0;
		}
		if (!strncmp(line, "IN:", 3)) {
			in_block = 1;
			n = 0;
			continue;
		}
		if (strncmp(line, "Trace ", 6))
			continue;
		/* Trace 0: 0xHOST [CS_BASE/PC/FLAGS/CFLAGS] */
		char *p = strchr(line, '[');
		if (!p || !(p = strchr(p, '/')))
			continue;
		uint64_t pc = strtoull(p + 1, NULL, 16);
		uint32_t w = size_get(pc);
		if (pc < KERNEL_MIN) {
			user += w;
			continue;
		}
		if (pc >= HV_START && pc < HV_END)
			hv += w;
		else
			kernel += w;
		struct sym *s = lookup(pc);
		if (s) {
			s->insns += w;
			s->runs++;
		}
	}
	printf("instructions: hypervisor %llu, guest kernel %llu, user %llu\n",
	       (unsigned long long)hv, (unsigned long long)kernel, (unsigned long long)user);
	qsort(syms, nsyms, sizeof(*syms), by_insns);
	printf("%14s %12s  %s\n", "instructions", "block runs", "function (HV: the hypervisor's)");
	for (int i = 0; i < top && (size_t)i < nsyms && syms[i].insns; i++)
		printf("%14llu %12llu  %s%s\n", (unsigned long long)syms[i].insns,
		       (unsigned long long)syms[i].runs, syms[i].hv ? "HV:" : "", syms[i].name);
	return 0;
}
