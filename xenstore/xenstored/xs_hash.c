/*
 * xs_hash.c - string-keyed chained hash table.  The store keeps every
 * node under its absolute path here, so lookups are O(path length) and
 * never walk the tree.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
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

/* FNV-1a: cheap and good enough for path strings. */
static uint64_t hash_str(const char *s)
{
	uint64_t h = 14695981039346656037ull;

	while (*s) {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ull;
	}
	return h;
}

struct xs_hash *xs_hash_create(void)
{
	struct xs_hash *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
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

static struct xs_hash_ent **find_slot(const struct xs_hash *h,
				      const char *key, uint64_t hash)
{
	struct xs_hash_ent **pe = &h->buckets[hash & (h->nbuckets - 1)];

	while (*pe && ((*pe)->hash != hash || strcmp((*pe)->key, key)))
		pe = &(*pe)->next;
	return pe;
}

void *xs_hash_get(const struct xs_hash *h, const char *key)
{
	struct xs_hash_ent **pe = find_slot(h, key, hash_str(key));

	return *pe ? (*pe)->val : NULL;
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

int xs_hash_put(struct xs_hash *h, const char *key, void *val, void **old)
{
	uint64_t hash = hash_str(key);
	struct xs_hash_ent **pe = find_slot(h, key, hash);
	size_t klen;

	if (*pe) {
		if (old)
			*old = (*pe)->val;
		(*pe)->val = val;
		return 0;
	}
	if (old)
		*old = NULL;
	klen = strlen(key) + 1;
	*pe = malloc(sizeof(**pe) + klen);
	if (!*pe)
		return ENOMEM;
	(*pe)->next = NULL;
	(*pe)->hash = hash;
	(*pe)->val = val;
	memcpy((*pe)->key, key, klen);
	if (++h->count > h->nbuckets)
		grow(h);
	return 0;
}

void *xs_hash_remove(struct xs_hash *h, const char *key)
{
	struct xs_hash_ent **pe = find_slot(h, key, hash_str(key));
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
