/* buf.h - a growable byte buffer for building strings (NUL-terminated).
 *
 * Value type: the caller owns the struct; lp_buf_deinit() frees its storage. */
#ifndef LP_BUF_H
#define LP_BUF_H

#include <stddef.h>

typedef struct lp_buf {
    char *data; /* always NUL-terminated after any append; NULL when empty */
    size_t len;
    size_t cap;
} lp_buf;

void lp_buf_init(lp_buf *b);
void lp_buf_deinit(lp_buf *b);
void lp_buf_reset(lp_buf *b);
void lp_buf_append(lp_buf *b, const void *p, size_t n);
void lp_buf_puts(lp_buf *b, const char *s);
void lp_buf_printf(lp_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hands the storage to the caller (free with lp_free) and resets b. */
char *lp_buf_take(lp_buf *b);
/* The contents, "" when empty. Borrowed; valid until the next change. */
const char *lp_buf_str(const lp_buf *b);

#endif
