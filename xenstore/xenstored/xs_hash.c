/*
 * xs_hash.c - string-keyed chained hash table.  The store keeps every
 * node under its absolute path here, so lookups are O(path length) and
 * never walk the tree.
 *
 * Keys are hashed with SipHash-2-4 under a key drawn at random when the
 * first table is made: guests choose node names, and with a public hash
 * they could choose names that all land in one chain.  SipHash consumes
 * 8-byte blocks and finishes with the length, so the hashes of every
 * ancestor of a path come out of one pass over it (xs_hash_ancestors).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>
#include "xs_hash.h"

struct xs_hash_ent {
	struct xs_hash_ent *next;
	uint64_t hash;
	void *val;
	char key[];
};

struct xs_hash {
	struct xs_hash_ent **buckets;
	size_t nbuckets;	/* power of two */
	size_t count;
};

unsigned long long xs_hash_bytes;

static uint64_t sip_k0, sip_k1;
static bool sip_keyed;

struct sip {
	uint64_t v0, v1, v2, v3;
};

static uint64_t rotl(uint64_t x, unsigned int b)
{
	return (x << b) | (x >> (64 - b));
}

static void sip_round(struct sip *s)
{
	s->v0 += s->v1; s->v1 = rotl(s->v1, 13); s->v1 ^= s->v0;
	s->v0 = rotl(s->v0, 32);
	s->v2 += s->v3; s->v3 = rotl(s->v3, 16); s->v3 ^= s->v2;
	s->v0 += s->v3; s->v3 = rotl(s->v3, 21); s->v3 ^= s->v0;
	s->v2 += s->v1; s->v1 = rotl(s->v1, 17); s->v1 ^= s->v2;
	s->v2 = rotl(s->v2, 32);
}

static void sip_init(struct sip *s, uint64_t k0, uint64_t k1)
{
	s->v0 = k0 ^ 0x736f6d6570736575ull;
	s->v1 = k1 ^ 0x646f72616e646f6dull;
	s->v2 = k0 ^ 0x6c7967656e657261ull;
	s->v3 = k1 ^ 0x7465646279746573ull;
}

static void sip_block(struct sip *s, uint64_t m)
{
	s->v3 ^= m;
	sip_round(s);
	sip_round(s);
	s->v0 ^= m;
}

static uint64_t load_le(const unsigned char *p, size_t n)
{
	uint64_t m = 0;

	for (size_t i = 0; i < n; i++)
		m |= (uint64_t)p[i] << (8 * i);
	return m;
}

/* The state after all whole blocks; tail = the last len % 8 bytes.
 * Takes s by value: the caller's state can go on to longer prefixes. */
static uint64_t sip_final(struct sip s, const unsigned char *tail,
			  size_t len)
{
	xs_hash_bytes += len % 8;
	sip_block(&s, load_le(tail, len % 8) | (uint64_t)len << 56);
	s.v2 ^= 0xff;
	for (int i = 0; i < 4; i++)
		sip_round(&s);
	return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}

static uint64_t siphash(uint64_t k0, uint64_t k1, const void *data,
			size_t len)
{
	const unsigned char *p = data;
	struct sip s;
	size_t off;

	sip_init(&s, k0, k1);
	for (off = 0; off + 8 <= len; off += 8)
		sip_block(&s, load_le(p + off, 8));
	xs_hash_bytes += off;
	return sip_final(s, p + off, len);
}

uint64_t xs_hash_siphash(const unsigned char key[16], const void *data,
			 size_t len)
{
	return siphash(load_le(key, 8), load_le(key + 8, 8), data, len);
}

/*
 * The secret key.  getrandom() without blocking: early in Dom0's boot
 * the pool may not be ready, and a store that waits for it holds up
 * xenbus.  The fallback is weaker (clock, pid, addresses) but still
 * unknown to a guest, which only sees the daemon from outside.
 */
static void sip_seed(void)
{
	unsigned char k[16];
	struct timespec ts;

	if (sip_keyed)
		return;
	if (getrandom(k, sizeof(k), GRND_NONBLOCK) == (ssize_t)sizeof(k)) {
		sip_k0 = load_le(k, 8);
		sip_k1 = load_le(k + 8, 8);
	} else {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		sip_k0 = siphash((uint64_t)ts.tv_nsec, (uint64_t)getpid(),
				 &ts, sizeof(ts));
		sip_k1 = siphash(sip_k0, (uint64_t)(uintptr_t)&k, &sip_k0,
				 sizeof(sip_k0));
	}
	sip_keyed = true;
}

void xs_hash_set_key(const unsigned char key[16])
{
	sip_k0 = load_le(key, 8);
	sip_k1 = load_le(key + 8, 8);
	sip_keyed = true;
}

uint64_t xs_hash_of(const char *key, size_t len)
{
	sip_seed();
	return siphash(sip_k0, sip_k1, key, len);
}

size_t xs_hash_ancestors(const char *path, size_t *lens, uint64_t *hashes,
			 size_t max)
{
	const unsigned char *p = (const unsigned char *)path;
	size_t n = 0, done = 0, len = strlen(path);
	struct sip s;

	sip_seed();
	sip_init(&s, sip_k0, sip_k1);
	for (size_t i = 1; i < len && n < max; i++) {
		if (i > 1 && p[i] != '/')
			continue;
		/* "/" for i == 1, else the prefix before this slash. */
		for (; done + 8 <= i; done += 8)
			sip_block(&s, load_le(p + done, 8));
		lens[n] = i;
		hashes[n++] = sip_final(s, p + done, i);
	}
	xs_hash_bytes += done;
	return n;
}

struct xs_hash *xs_hash_create(void)
{
	struct xs_hash *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	sip_seed();
	h->nbuckets = 64;
	h->buckets = calloc(h->nbuckets, sizeof(*h->buckets));
	if (!h->buckets) {
		free(h);
		return NULL;
	}
	return h;
}

void xs_hash_destroy(struct xs_hash *h, void (*free_val)(void *))
{
	if (!h)
		return;
	for (size_t i = 0; i < h->nbuckets; i++) {
		struct xs_hash_ent *e = h->buckets[i];

		while (e) {
			struct xs_hash_ent *next = e->next;

			if (free_val)
				free_val(e->val);
			free(e);
			e = next;
		}
	}
	free(h->buckets);
	free(h);
}

static bool key_is(const struct xs_hash_ent *e, const char *key, size_t len,
		   uint64_t hash)
{
	return e->hash == hash && !memcmp(e->key, key, len) && !e->key[len];
}

static struct xs_hash_ent **find_slot(const struct xs_hash *h,
				      const char *key, size_t len,
				      uint64_t hash)
{
	struct xs_hash_ent **pe = &h->buckets[hash & (h->nbuckets - 1)];

	while (*pe && !key_is(*pe, key, len, hash))
		pe = &(*pe)->next;
	return pe;
}

void *xs_hash_get_hashed(const struct xs_hash *h, const char *key,
			 size_t len, uint64_t hash)
{
	struct xs_hash_ent **pe = find_slot(h, key, len, hash);

	return *pe ? (*pe)->val : NULL;
}

void *xs_hash_get(const struct xs_hash *h, const char *key)
{
	size_t len = strlen(key);

	return xs_hash_get_hashed(h, key, len, xs_hash_of(key, len));
}

/* Failure to grow is harmless: chains just get longer. */
static void grow(struct xs_hash *h)
{
	size_t n = h->nbuckets * 2;
	struct xs_hash_ent **b = calloc(n, sizeof(*b));

	if (!b)
		return;
	for (size_t i = 0; i < h->nbuckets; i++) {
		struct xs_hash_ent *e = h->buckets[i];

		while (e) {
			struct xs_hash_ent *next = e->next;
			size_t j = e->hash & (n - 1);

			e->next = b[j];
			b[j] = e;
			e = next;
		}
	}
	free(h->buckets);
	h->buckets = b;
	h->nbuckets = n;
}

int xs_hash_put_hashed(struct xs_hash *h, const char *key, size_t len,
		       uint64_t hash, void *val, void **old)
{
	struct xs_hash_ent **pe = find_slot(h, key, len, hash);

	if (*pe) {
		if (old)
			*old = (*pe)->val;
		(*pe)->val = val;
		return 0;
	}
	if (old)
		*old = NULL;
	*pe = malloc(sizeof(**pe) + len + 1);
	if (!*pe)
		return ENOMEM;
	(*pe)->next = NULL;
	(*pe)->hash = hash;
	(*pe)->val = val;
	memcpy((*pe)->key, key, len);
	(*pe)->key[len] = '\0';
	if (++h->count > h->nbuckets)
		grow(h);
	return 0;
}

int xs_hash_put(struct xs_hash *h, const char *key, void *val, void **old)
{
	size_t len = strlen(key);

	return xs_hash_put_hashed(h, key, len, xs_hash_of(key, len), val, old);
}

void *xs_hash_remove_hashed(struct xs_hash *h, const char *key, size_t len,
			    uint64_t hash)
{
	struct xs_hash_ent **pe = find_slot(h, key, len, hash);
	struct xs_hash_ent *e = *pe;
	void *val;

	if (!e)
		return NULL;
	*pe = e->next;
	val = e->val;
	free(e);
	h->count--;
	return val;
}

void *xs_hash_remove(struct xs_hash *h, const char *key)
{
	size_t len = strlen(key);

	return xs_hash_remove_hashed(h, key, len, xs_hash_of(key, len));
}

size_t xs_hash_count(const struct xs_hash *h)
{
	return h->count;
}

int xs_hash_foreach(const struct xs_hash *h,
		    int (*fn)(const char *key, void *val, void *arg), void *arg)
{
	for (size_t i = 0; i < h->nbuckets; i++) {
		for (struct xs_hash_ent *e = h->buckets[i]; e; e = e->next) {
			int r = fn(e->key, e->val, arg);

			if (r)
				return r;
		}
	}
	return 0;
}

int xs_hash_foreach_hashed(const struct xs_hash *h,
			   int (*fn)(const char *key, uint64_t hash,
				     void *val, void *arg), void *arg)
{
	for (size_t i = 0; i < h->nbuckets; i++) {
		for (struct xs_hash_ent *e = h->buckets[i]; e; e = e->next) {
			int r = fn(e->key, e->hash, e->val, arg);

			if (r)
				return r;
		}
	}
	return 0;
}
