/* mem.h - allocation wrappers used by all of landport.
 *
 * Policy: running out of memory is not recoverable for a gate server that must
 * not half-apply a change, so every wrapper aborts with a message on failure
 * and never returns NULL (for a non-zero size). */
#ifndef LP_MEM_H
#define LP_MEM_H

#include <stddef.h>

void *lp_malloc(size_t n);
void *lp_calloc(size_t count, size_t n);
void *lp_realloc(void *p, size_t n);
/* Caller owns the copy; free with lp_free(). lp_strdup(NULL) returns NULL. */
char *lp_strdup(const char *s);
char *lp_strndup(const char *s, size_t n);
/* Caller owns the formatted string; free with lp_free(). */
char *lp_sprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void lp_free(void *p);

#endif
