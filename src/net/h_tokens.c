/* h_tokens.c - API tokens, for admins: list (never the secrets), create
 * (the secret is in the answer, once), revoke.  And /whoami for any token. */
#include "handlers.h"
#include "../core/mem.h"
#include "../store/tokens.h"

#include <stdlib.h>
#include <string.h>

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const char *const roles[] = {"operator", "customs", "border_guard", "quarantine", "company",
                                    "device", "partner", "admin", NULL};

static const lp_jfield create_fields[] = {
    {"name", LP_J_STRING, LP_JF_REQUIRED, 1, 80, NULL, NULL, "Who or what uses the token", "\"anpr-yard-gate-1\""},
    {"role", LP_J_ENUM, LP_JF_REQUIRED, 0, 0, roles, NULL, "The role the token acts in", "\"device\""},
    {"company_id", LP_J_INT, 0, 1, 9007199254740991LL, NULL, NULL, "For role company: the company it speaks for", NULL},
};
const lp_jspec lp_spec_token_create = {create_fields, N(create_fields)};

void lp_h_tokens_list(lp_req *r)
{
    int limit;
    const char *cursor;
    cJSON *items = NULL;
    char *next = NULL;
    lp_err err;
    lp_err_init(&err);
    if (lp_req_page(r, &limit, &cursor)) return;
    if (lp_tokens_list(r->store, cursor, limit, &items, &next, &err)) {
        lp_reply_error(r, &err);
        return;
    }
    lp_reply_page(r, items, next);
    lp_free(next);
}

void lp_h_tokens_create(lp_req *r)
{
    char *secret = NULL;
    cJSON *rec = NULL;
    lp_err err;
    lp_err_init(&err);
    if (lp_tokens_create(r->store, &r->actor, lp_json_str(r->body, "name"),
                         lp_role_parse(lp_json_str(r->body, "role")),
                         lp_json_int(r->body, "company_id", 0), &secret, &rec, &err)) {
        lp_reply_error(r, &err);
        return;
    }
    cJSON_AddStringToObject(rec, "token", secret);
    lp_free(secret);
    lp_reply_json(r, 201, rec);
}

void lp_h_tokens_revoke(lp_req *r)
{
    char *end;
    long long id = strtoll(r->params[0], &end, 10);
    cJSON *rec = NULL;
    lp_err err;
    lp_err_init(&err);
    if (*end || id <= 0) {
        lp_err_set(&err, LP_ENOTFOUND, "no token with id '%s'", r->params[0]);
        lp_reply_error(r, &err);
        return;
    }
    if (lp_tokens_revoke(r->store, &r->actor, id, &rec, &err)) {
        lp_reply_error(r, &err);
        return;
    }
    lp_reply_json(r, 200, rec);
}

void lp_h_whoami(lp_req *r)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "token_id", (double)r->who.token_id);
    cJSON_AddStringToObject(o, "name", r->who.name);
    cJSON_AddStringToObject(o, "role", lp_role_name(r->who.role));
    if (r->who.company_id) cJSON_AddNumberToObject(o, "company_id", (double)r->who.company_id);
    else cJSON_AddNullToObject(o, "company_id");
    {
        /* the gate's clock, which the demo and tests run virtual: the
         * dashboard's clocks follow it rather than the browser's */
        const lp_clock *ck = lp_store_clock(r->store);
        cJSON_AddNumberToObject(o, "now", (double)ck->now_ms(ck->ud));
    }
    lp_reply_json(r, 200, o);
}
