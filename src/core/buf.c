/* buf.c - growable byte buffer (see buf.h). */
#include "buf.h"
#include "mem.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void lp_buf_init(lp_buf *b)
{
    b->data = NULL;
    b->len = b->cap = 0;
}

void lp_buf_deinit(lp_buf *b)
{
    lp_free(b->data);
    lp_buf_init(b);
}

void lp_buf_reset(lp_buf *b)
{
    b->len = 0;
    if (b->data) b->data[0] = '\0';
}

static void grow(lp_buf *b, size_t extra)
{
    size_t need = b->len + extra + 1;
    if (need <= b->cap) return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need) cap *= 2;
    b->data = lp_realloc(b->data, cap);
    b->cap = cap;
}

void lp_buf_append(lp_buf *b, const void *p, size_t n)
{
    grow(b, n);
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void lp_buf_puts(lp_buf *b, const char *s)
{
    lp_buf_append(b, s, strlen(s));
}

void lp_buf_printf(lp_buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n <= 0) return;
    grow(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

char *lp_buf_take(lp_buf *b)
{
    char *d = b->data;
    if (!d) d = lp_strdup("");
    lp_buf_init(b);
    return d;
}

const char *lp_buf_str(const lp_buf *b)
{
    return b->data ? b->data : "";
}
