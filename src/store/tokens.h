/* tokens.h - API bearer tokens: created for a role (and, for role company,
 * a company), stored only as their SHA-256, revocable.  Creating and revoking
 * a token is audited.  Used by the HTTP authenticator and `landport token`. */
#ifndef LP_TOKENS_H
#define LP_TOKENS_H

#include <cjson/cJSON.h>
#include "store.h"

/* What a valid token stands for. */
typedef struct lp_principal {
    int64_t token_id;
    char name[96];
    lp_role role;
    int64_t company_id; /* role company only */
} lp_principal;

/* Creates a token named name for role (company_id required for role company,
 * refused otherwise).  *secret receives the token text, shown once; caller
 * frees it with lp_free().  *out (may be NULL) receives the token's record
 * (without secret; caller owns).  Returns LP_EINVAL (bad role/company, or
 * no such company: a field error on /company_id) or LP_ESTORE. */
int lp_tokens_create(lp_store *st, const lp_actor *who, const char *name, lp_role role,
                     int64_t company_id, char **secret, cJSON **out, lp_err *err);

/* Looks up a presented token.  Returns 0 with *p filled, LP_EUNAUTH when it is
 * unknown or revoked, or LP_ESTORE. */
int lp_tokens_check(lp_store *st, const char *secret, lp_principal *p, lp_err *err);

/* Revokes token id (idempotent for an already revoked one). LP_ENOTFOUND if none. */
int lp_tokens_revoke(lp_store *st, const lp_actor *who, int64_t id, cJSON **out, lp_err *err);

/* Lists tokens in id order (no secrets). Caller owns *items and *next. */
int lp_tokens_list(lp_store *st, const char *cursor, int limit, cJSON **items, char **next, lp_err *err);

#endif
