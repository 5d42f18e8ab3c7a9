/* tokens.c - bearer tokens stored hashed (see tokens.h).
 *
 * A token is "lp_" + 43 characters of base64url (256 random bits).  Only its
 * SHA-256 is stored, so a copy of the database does not give access. */
#include "tokens.h"
#include "table.h"
#include "resources.h"
#include "../core/mem.h"

#include <inttypes.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

static const lp_col token_cols[] = {
    {"name", LP_COL_TEXT}, {"role", LP_COL_TEXT}, {"company_id", LP_COL_INT},
    {"created_by", LP_COL_TEXT}, {"revoked_at", LP_COL_TIME},
};
static const lp_table token_table = {"tokens", "token", 0, "company_id", token_cols,
                                     (int)(sizeof token_cols / sizeof token_cols[0])};

#define TOKEN_COLS "id, name, role, company_id, created_by, revoked_at, version, created_at, updated_at"

static void sha256_hex(const char *s, char out[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0, i;
    EVP_Digest(s, strlen(s), md, &n, EVP_sha256(), NULL);
    for (i = 0; i < 32; i++) snprintf(out + 2 * i, 3, "%02x", md[i]);
    out[64] = '\0';
}

static void base64url(const unsigned char *in, size_t n, char *out)
{
    static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    size_t i, o = 0;
    for (i = 0; i + 2 < n; i += 3) {
        unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8 | in[i + 2];
        out[o++] = a[v >> 18 & 63];
        out[o++] = a[v >> 12 & 63];
        out[o++] = a[v >> 6 & 63];
        out[o++] = a[v & 63];
    }
    if (n - i == 2) {
        unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8;
        out[o++] = a[v >> 18 & 63];
        out[o++] = a[v >> 12 & 63];
        out[o++] = a[v >> 6 & 63];
    } else if (n - i == 1) {
        unsigned v = (unsigned)in[i] << 16;
        out[o++] = a[v >> 18 & 63];
        out[o++] = a[v >> 12 & 63];
    }
    out[o] = '\0';
}

int lp_tokens_create(lp_store *st, const lp_actor *who, const char *name, lp_role role,
                     int64_t company_id, char **secret, cJSON **out, lp_err *err)
{
    const lp_clock *ck = lp_store_clock(st);
    unsigned char raw[32];
    char b64[64], tok[80], hash[65], cid[32];
    lp_db_res *r = NULL;
    cJSON *rec = NULL, *company = NULL;
    int rc, in_tx = 0;

    *secret = NULL;
    if (out) *out = NULL;
    if (!name || !*name || strlen(name) > 80)
        return lp_err_field_add(err, "/name", "a token needs a name of 1 to 80 characters");
    if (role == LP_ROLE_NONE) return lp_err_field_add(err, "/role", "unknown role");
    if (role == LP_ROLE_COMPANY && company_id <= 0)
        return lp_err_field_add(err, "/company_id", "a company token needs the company it speaks for");
    if (role != LP_ROLE_COMPANY && company_id > 0)
        return lp_err_field_add(err, "/company_id", "only company tokens belong to a company");
    if (ck->random(ck->ud, raw, sizeof raw)) return lp_err_set(err, LP_EIO, "no randomness available");
    base64url(raw, sizeof raw, b64);
    snprintf(tok, sizeof tok, "lp_%s", b64);
    sha256_hex(tok, hash);

    rc = lp_store_begin(st, err);
    if (rc) goto out;
    in_tx = 1;
    if (role == LP_ROLE_COMPANY) {
        snprintf(cid, sizeof cid, "%" PRId64, company_id);
        rc = lp_table_get(st, &lp_tbl_companies, cid, 0, &company, err);
        if (rc) goto out;
    }
    {
        lp_db_val p[] = {LP_DB_S(name), LP_DB_S(lp_role_name(role)),
                         company_id > 0 ? LP_DB_I(company_id) : LP_DB_NUL, LP_DB_S(hash),
                         LP_DB_I(ck->now_ms(ck->ud)), LP_DB_S(who && who->name ? who->name : "system"),
                         LP_DB_I(ck->now_ms(ck->ud))};
        rc = lp_db_query(lp_store_db(st),
                         "INSERT INTO tokens (name, role, company_id, hash, created_at, created_by, version, updated_at)"
                         " VALUES (?, ?, ?, ?, ?, ?, 1, ?) RETURNING " TOKEN_COLS,
                         p, 7, &r, err);
        if (rc) goto out;
    }
    rec = lp_table_row_json(&token_table, r, 0);
    {
        char *after = cJSON_PrintUnformatted(rec);
        char id[32];
        snprintf(id, sizeof id, "%" PRId64, lp_db_res_int(r, 0, 0));
        rc = lp_store_audit_append(st, who, "token.create", "token", id, company_id, NULL, after, err);
        cJSON_free(after);
        if (rc) goto out;
    }
    rc = lp_store_commit(st, err);
    in_tx = 0;
    if (rc) goto out;
    *secret = lp_strdup(tok);
    if (out) {
        *out = rec;
        rec = NULL;
    }
out:
    if (in_tx) lp_store_rollback(st);
    if (rc == LP_ENOTFOUND) { /* a field of the request, also when err is NULL */
        lp_err_init(err);
        rc = lp_err_field_add(err, "/company_id", "no company with id %" PRId64, company_id);
    }
    cJSON_Delete(rec);
    cJSON_Delete(company);
    lp_db_res_free(r);
    return rc;
}

int lp_tokens_check(lp_store *st, const char *secret, lp_principal *p, lp_err *err)
{
    char hash[65];
    lp_db_res *r = NULL;
    int rc;

    memset(p, 0, sizeof *p);
    if (!secret || strncmp(secret, "lp_", 3) != 0 || strlen(secret) > 100)
        return lp_err_set(err, LP_EUNAUTH, "the bearer token is malformed");
    sha256_hex(secret, hash);
    {
        lp_db_val v[] = {LP_DB_S(hash)};
        rc = lp_db_query(lp_store_db(st),
                         "SELECT id, name, role, company_id, revoked_at FROM tokens WHERE hash = ?",
                         v, 1, &r, err);
    }
    if (rc) return rc;
    if (lp_db_res_nrows(r) != 1 || !lp_db_res_isnull(r, 0, 4)) {
        rc = lp_err_set(err, LP_EUNAUTH, "the bearer token is unknown or revoked");
        goto out;
    }
    p->token_id = lp_db_res_int(r, 0, 0);
    snprintf(p->name, sizeof p->name, "%s", lp_db_res_text(r, 0, 1));
    p->role = lp_role_parse(lp_db_res_text(r, 0, 2));
    p->company_id = lp_db_res_int(r, 0, 3);
    if (p->role == LP_ROLE_NONE) rc = lp_err_set(err, LP_EUNAUTH, "the token has an unknown role");
out:
    lp_db_res_free(r);
    return rc;
}

int lp_tokens_revoke(lp_store *st, const lp_actor *who, int64_t id, cJSON **out, lp_err *err)
{
    const lp_clock *ck = lp_store_clock(st);
    char ids[32];
    cJSON *before = NULL;
    lp_db_res *r = NULL;
    int rc, in_tx = 0;

    if (out) *out = NULL;
    snprintf(ids, sizeof ids, "%" PRId64, id);
    rc = lp_store_begin(st, err);
    if (rc) goto out;
    in_tx = 1;
    {
        lp_db_val p[] = {LP_DB_I(id)};
        rc = lp_db_query(lp_store_db(st), "SELECT " TOKEN_COLS " FROM tokens WHERE id = ?", p, 1, &r, err);
        if (rc) goto out;
        if (lp_db_res_nrows(r) == 0) {
            rc = lp_err_set(err, LP_ENOTFOUND, "no token with id %" PRId64, id);
            goto out;
        }
        before = lp_table_row_json(&token_table, r, 0);
        lp_db_res_free(r);
        r = NULL;
    }
    {
        int64_t now = ck->now_ms(ck->ud);
        lp_db_val p[] = {LP_DB_I(now), LP_DB_I(now), LP_DB_I(id)};
        rc = lp_db_query(lp_store_db(st),
                         "UPDATE tokens SET revoked_at = COALESCE(revoked_at, ?), version = version + 1,"
                         " updated_at = ? WHERE id = ? RETURNING " TOKEN_COLS,
                         p, 3, &r, err);
        if (rc) goto out;
    }
    {
        cJSON *after = lp_table_row_json(&token_table, r, 0);
        char *b = cJSON_PrintUnformatted(before), *a = cJSON_PrintUnformatted(after);
        const cJSON *cid = cJSON_GetObjectItemCaseSensitive(after, "company_id");
        rc = lp_store_audit_append(st, who, "token.revoke", "token", ids,
                                   cJSON_IsNumber(cid) ? (int64_t)cid->valuedouble : 0, b, a, err);
        cJSON_free(b);
        cJSON_free(a);
        if (rc == LP_OK && out) *out = after;
        else cJSON_Delete(after);
        if (rc) goto out;
    }
    rc = lp_store_commit(st, err);
    in_tx = 0;
    if (rc && out) {
        cJSON_Delete(*out);
        *out = NULL;
    }
out:
    if (in_tx) lp_store_rollback(st);
    cJSON_Delete(before);
    lp_db_res_free(r);
    return rc;
}

int lp_tokens_list(lp_store *st, const char *cursor, int limit, cJSON **items, char **next, lp_err *err)
{
    return lp_table_list(st, &token_table, NULL, 0, 0, cursor, limit, items, next, err);
}
