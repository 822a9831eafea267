/*
 * xs_hash.h - string-keyed hash table (chained, grows by doubling).
 * Keys are copied; values are opaque and owned by the caller.
 */
#ifndef XS_HASH_H
#define XS_HASH_H

#include <stddef.h>
#include <stdint.h>

struct xs_hash;

struct xs_hash *xs_hash_create(void);
/* free_val may be NULL: values are then left alone. */
void xs_hash_destroy(struct xs_hash *h, void (*free_val)(void *));
void *xs_hash_get(const struct xs_hash *h, const char *key);
/* Insert or replace; *old (if non-NULL) gets the replaced value.
 * Returns 0 or ENOMEM. */
int xs_hash_put(struct xs_hash *h, const char *key, void *val, void **old);
/* Returns the removed value, or NULL if the key was absent. */
void *xs_hash_remove(struct xs_hash *h, const char *key);
size_t xs_hash_count(const struct xs_hash *h);
/* Visit every entry; the callback must not change the table.
 * A non-zero return stops the walk and is returned. */
int xs_hash_foreach(const struct xs_hash *h,
		    int (*fn)(const char *key, void *val, void *arg), void *arg);

/*
 * Prefix lookups without re-hashing: every table hashes a key the same
 * way, so a hash from xs_hash_of() or xs_hash_ancestors() finds key[0..len)
 * in any of them.
 */
uint64_t xs_hash_of(const char *key, size_t len);
void *xs_hash_get_hashed(const struct xs_hash *h, const char *key,
			 size_t len, uint64_t hash);
int xs_hash_put_hashed(struct xs_hash *h, const char *key, size_t len,
		       uint64_t hash, void *val, void **old);
void *xs_hash_remove_hashed(struct xs_hash *h, const char *key, size_t len,
			    uint64_t hash);
/* xs_hash_foreach, also giving each key's hash (valid in any table). */
int xs_hash_foreach_hashed(const struct xs_hash *h,
			   int (*fn)(const char *key, uint64_t hash,
				     void *val, void *arg), void *arg);
/* The ancestors of absolute path, root first, from one pass over it:
 * for "/a/b/c", lens {1, 2, 4} ("/", "/a", "/a/b").  Returns how many
 * (at most max). */
size_t xs_hash_ancestors(const char *path, size_t *lens, uint64_t *hashes,
			 size_t max);
/* SipHash-2-4 of data under key (for its known-answer test), and a fixed
 * key instead of the random one (tests only, before any table exists). */
uint64_t xs_hash_siphash(const unsigned char key[16], const void *data,
			 size_t len);
void xs_hash_set_key(const unsigned char key[16]);

/* Bytes hashed so far, all tables together (tests bound the cost of a
 * request with it). */
extern unsigned long long xs_hash_bytes;

#endif /* XS_HASH_H */
