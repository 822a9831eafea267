/* Symbol lookup for backtraces, over the text-symbol table linked into the image. */
#ifndef SYMBOLS_H
#define SYMBOLS_H

#include <lib.h>

/*
 * The name of the function containing `addr`, with the offset into it in
 * `*offset`; NULL when the address is outside the image's text.
 */
const char *symbols_lookup(uint64_t addr, uint64_t *offset);

#endif
