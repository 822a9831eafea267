/*
 * xs_hash.h - string-keyed hash table (chained, grows by doubling).
 * Keys are copied; values are opaque and owned by the caller.
 */
#ifndef XS_HASH_H
#define XS_HASH_H

#include <stddef.h>

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

#endif /* XS_HASH_H */
