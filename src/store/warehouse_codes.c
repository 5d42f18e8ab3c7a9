/* warehouse_codes.c - one-time access codes (see warehouse_codes.h).
 *
 * The stored hash is SHA-256 over "<salt hex>:<secret>" with 16 random bytes
 * of salt per code; a copy of the database gives no code, and equal secrets
 * give unrelated hashes.  The secret is checked before anything else about
 * the code is told, so that guessing ids learns nothing but "wrong code". */
#include "warehouse_codes.h"
#include "clearance.h"
#include "resources.h"
#include "table.h"
#include "warehouse.h"

#include <inttypes.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

static int64_t now_of(lp_store *st)
{
    const lp_clock *ck = lp_store_clock(st);
    return ck->now_ms(ck->ud);
}

static void hex(const unsigned char *in, size_t n, char *out)
{
    size_t i;
    for (i = 0; i < n; i++) snprintf(out + 2 * i, 3, "%02x", in[i]);
    out[2 * n] = '\0';
}

/* out: 65 bytes. */
static void code_hash(const char *salt, const char *secret, char *out)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    char buf[96];
    snprintf(buf, sizeof buf, "%s:%s", salt, secret);
    EVP_Digest(buf, strlen(buf), md, &n, EVP_sha256(), NULL);
    hex(md, 32, out);
}

static int get_rec(lp_store *st, const lp_table *t, int64_t id, int64_t scope, cJSON **out, lp_err *err)
{
    char ids[32];
    snprintf(ids, sizeof ids, "%" PRId64, id);
    return lp_table_get(st, t, ids, scope, out, err);
}

/* Issuing ------------------------------------------------------------------------- */

/* Checks rq against the reservation res and its declaration; fills the
 * expiry.  Problems go to err. */
static int check_issue(lp_store *st, const lp_wh_code_req *rq, const cJSON *res, int64_t now, int64_t *from,
                       int64_t *expires, lp_err *err)
{
    cJSON *decl = NULL;
    lp_wh_config cfg;
    int64_t company = lp_json_int(res, "company_id", 0), starts = 0, ends = 0;
    const char *status;
    int rc, drop = strcmp(rq->purpose, "drop_off") == 0;
    lp_err e;

    if (!drop && strcmp(rq->purpose, "pick_up") != 0) return lp_err_field_add(err, "/purpose", "must be drop_off or pick_up");
    if (strcmp(lp_json_str(res, "status"), "active") != 0)
        return lp_err_set(err, LP_ECONFLICT, "reservation %" PRId64 " is %s", rq->reservation_id,
                          lp_json_str(res, "status"));
    rc = lp_wh_config_get(st, lp_json_str(res, "warehouse_id"), &cfg, err);
    if (rc) return rc;
    if (rq->valid_minutes < 0 || rq->valid_minutes > cfg.code_validity_minutes)
        return lp_err_field_add(err, "/valid_minutes", "must be 1 to %d (the warehouse's limit)",
                                cfg.code_validity_minutes);
    {
        /* ends_at is shown as RFC 3339; read the stored ms. */
        lp_db_res *r = NULL;
        lp_db_val p[] = {LP_DB_I(rq->reservation_id)};
        rc = lp_db_query(lp_store_db(st), "SELECT starts_at, ends_at FROM wh_reservations WHERE id = ?", p, 1, &r,
                         err);
        if (rc) return rc;
        starts = lp_db_res_nrows(r) ? lp_db_res_int(r, 0, 0) : 0;
        ends = lp_db_res_nrows(r) ? lp_db_res_int(r, 0, 1) : 0;
        lp_db_res_free(r);
    }
    if (drop && now >= ends)
        return lp_err_set(err, LP_ECONFLICT, "reservation %" PRId64 " is over: no more drop-offs under it",
                          rq->reservation_id);
    lp_err_init(&e);
    if (get_rec(st, &lp_tbl_declarations, rq->declaration_id, company, &decl, &e)) {
        rc = lp_err_set(err, LP_ENOTFOUND, "no declaration %" PRId64 " of the reservation's company",
                        rq->declaration_id);
        lp_err_field_add(err, "/declaration_id", "no declaration %" PRId64 " of this company", rq->declaration_id);
        return rc;
    }
    status = lp_json_str(decl, "status");
    if (drop && !lp_wh_dropoff_allowed(status)) {
        rc = lp_err_set(err, LP_ECONFLICT, "declaration %" PRId64 " is %s: no goods are taken in under it",
                        rq->declaration_id, status);
        cJSON_Delete(decl);
        return rc;
    }
    cJSON_Delete(decl);
    /* A drop-off code opens when the reservation starts and is no use after
     * it ends; a pick-up code may come later (goods stay past the end). */
    *from = drop && starts > now ? starts : now;
    *expires = *from + (int64_t)(rq->valid_minutes ? rq->valid_minutes : cfg.code_validity_minutes) * 60000;
    if (drop && *expires > ends) *expires = ends;
    return LP_OK;
}

int lp_wh_code_issue(lp_store *st, const lp_actor *who, int64_t scope, const lp_wh_code_req *rq, char *code,
                     cJSON **out, lp_err *err)
{
    const lp_clock *ck = lp_store_clock(st);
    int64_t now = now_of(st), from = 0, expires = 0, id;
    unsigned char rnd[LP_WH_SECRET_LEN + 16];
    char secret[LP_WH_SECRET_LEN + 1], salt[33], hash[65];
    cJSON *res = NULL, *rec = NULL, *got = NULL;
    int rc, in_tx = 0;

    code[0] = '\0';
    if (out) *out = NULL;
    if (!rq->plate || !*rq->plate) return lp_err_field_add(err, "/plate", "is required");
    rc = lp_store_begin(st, err);
    if (rc) goto done;
    in_tx = 1;
    rc = get_rec(st, &lp_tbl_wh_reservations, rq->reservation_id, scope, &res, err);
    if (rc) goto done;
    rc = check_issue(st, rq, res, now, &from, &expires, err);
    if (rc) goto done;
    if (ck->random(ck->ud, rnd, sizeof rnd)) {
        rc = lp_err_set(err, LP_EIO, "no randomness available");
        goto done;
    }
    lp_wh_secret_make(rnd, secret);
    hex(rnd + LP_WH_SECRET_LEN, 16, salt);
    code_hash(salt, secret, hash);
    rec = cJSON_CreateObject();
    cJSON_AddNumberToObject(rec, "company_id", (double)lp_json_int(res, "company_id", 0));
    cJSON_AddNumberToObject(rec, "reservation_id", (double)rq->reservation_id);
    cJSON_AddNumberToObject(rec, "declaration_id", (double)rq->declaration_id);
    cJSON_AddStringToObject(rec, "purpose", rq->purpose);
    cJSON_AddStringToObject(rec, "plate", rq->plate);
    cJSON_AddNumberToObject(rec, "valid_from", (double)from);
    cJSON_AddNumberToObject(rec, "expires_at", (double)expires);
    cJSON_AddStringToObject(rec, "status", "active");
    rc = lp_table_insert(st, &lp_tbl_wh_codes, who, NULL, rec, &got, err);
    if (rc) goto done;
    id = lp_json_int(got, "id", 0);
    {
        lp_db_val p[] = {LP_DB_S(salt), LP_DB_S(hash), LP_DB_I(id)};
        rc = lp_db_query(lp_store_db(st), "UPDATE wh_codes SET salt = ?, hash = ? WHERE id = ?", p, 3, NULL, err);
        if (rc) goto done;
    }
    rc = lp_wh_code_format(id, secret, code, LP_WH_CODE_MAX);
    if (rc) goto done;
    rc = lp_store_commit(st, err);
    in_tx = 0;
    if (rc) goto done;
    if (out) {
        *out = got;
        got = NULL;
    }
done:
    if (in_tx) lp_store_rollback(st);
    if (rc) code[0] = '\0';
    memset(secret, 0, sizeof secret);
    cJSON_Delete(res);
    cJSON_Delete(rec);
    cJSON_Delete(got);
    return rc;
}

/* Presenting ------------------------------------------------------------------------- */

/* The code row with its hash, locked for this transaction (the UPDATE takes
 * the row lock on PostgreSQL; SQLite holds the database write lock). */
typedef struct code_row {
    int found;
    int64_t company_id, reservation_id, declaration_id, valid_from, expires_at, used_at, attempts;
    char purpose[16], plate[24], status[16], salt[40], hash[72];
} code_row;

static int load_row(lp_store *st, int64_t id, code_row *c, lp_err *err)
{
    lp_db_res *r = NULL;
    lp_db_val p[] = {LP_DB_I(id)};
    int rc;
    memset(c, 0, sizeof *c);
    rc = lp_db_query(lp_store_db(st), "UPDATE wh_codes SET attempts = attempts WHERE id = ?", p, 1, NULL, err);
    if (rc) return rc;
    rc = lp_db_query(lp_store_db(st),
                     "SELECT company_id, reservation_id, declaration_id, expires_at, used_at, attempts, purpose,"
                     " plate, status, salt, hash, valid_from FROM wh_codes WHERE id = ?",
                     p, 1, &r, err);
    if (rc) return rc;
    if (lp_db_res_nrows(r)) {
        c->found = 1;
        c->company_id = lp_db_res_int(r, 0, 0);
        c->reservation_id = lp_db_res_int(r, 0, 1);
        c->declaration_id = lp_db_res_int(r, 0, 2);
        c->expires_at = lp_db_res_int(r, 0, 3);
        c->used_at = lp_db_res_isnull(r, 0, 4) ? 0 : lp_db_res_int(r, 0, 4);
        c->attempts = lp_db_res_int(r, 0, 5);
        snprintf(c->purpose, sizeof c->purpose, "%s", lp_db_res_text(r, 0, 6));
        snprintf(c->plate, sizeof c->plate, "%s", lp_db_res_text(r, 0, 7));
        snprintf(c->status, sizeof c->status, "%s", lp_db_res_text(r, 0, 8));
        snprintf(c->salt, sizeof c->salt, "%s", lp_db_res_text(r, 0, 9));
        snprintf(c->hash, sizeof c->hash, "%s", lp_db_res_text(r, 0, 10));
        c->valid_from = lp_db_res_int(r, 0, 11);
    }
    lp_db_res_free(r);
    return LP_OK;
}

/* The audit event of a presentation: who, what outcome, which plate. */
static int audit_outcome(lp_store *st, const lp_actor *who, const char *action, int64_t id, int64_t company,
                         lp_wh_outcome o, const char *plate, const char *detail, lp_err *err)
{
    cJSON *a = cJSON_CreateObject();
    char ids[32], *text;
    int rc;
    cJSON_AddStringToObject(a, "outcome", lp_wh_outcome_name(o));
    if (plate) cJSON_AddStringToObject(a, "plate", plate);
    if (detail) cJSON_AddStringToObject(a, "detail", detail);
    text = cJSON_PrintUnformatted(a);
    cJSON_Delete(a);
    snprintf(ids, sizeof ids, "%" PRId64, id);
    rc = lp_store_audit_append(st, who, action, "wh_code", ids, company, NULL, text, err);
    cJSON_free(text);
    return rc;
}

static int set_outcome(lp_store *st, int64_t id, const char *status, int64_t attempts, lp_wh_outcome o,
                       int64_t used_at, lp_err *err)
{
    lp_db_val p[] = {LP_DB_S(status), LP_DB_I(attempts), LP_DB_S(lp_wh_outcome_name(o)),
                     used_at ? LP_DB_I(used_at) : LP_DB_NUL, LP_DB_I(now_of(st)), LP_DB_I(id)};
    return lp_db_query(lp_store_db(st),
                       "UPDATE wh_codes SET status = ?, attempts = ?, last_outcome = ?, used_at = ?,"
                       " version = version + 1, updated_at = ? WHERE id = ?",
                       p, 6, NULL, err);
}

/* Whether the code's reservation is cancelled; the unit's id and kind. */
static int reservation_facts(lp_store *st, int64_t res_id, int *revoked, lp_wh_code_info *info, lp_err *err)
{
    lp_db_res *r = NULL;
    lp_db_val p[] = {LP_DB_I(res_id)};
    int rc = lp_db_query(lp_store_db(st),
                         "SELECT r.status, r.unit_id, r.warehouse_id, u.kind FROM wh_reservations r"
                         " JOIN storage_units u ON u.id = r.unit_id WHERE r.id = ?",
                         p, 1, &r, err);
    if (rc) return rc;
    *revoked = !lp_db_res_nrows(r) || strcmp(lp_db_res_text(r, 0, 0), "active") != 0;
    if (lp_db_res_nrows(r)) {
        info->unit_id = lp_db_res_int(r, 0, 1);
        snprintf(info->warehouse_id, sizeof info->warehouse_id, "%s", lp_db_res_text(r, 0, 2));
        snprintf(info->unit_kind, sizeof info->unit_kind, "%s", lp_db_res_text(r, 0, 3));
    }
    lp_db_res_free(r);
    return LP_OK;
}

int lp_wh_code_present(lp_store *st, const lp_actor *who, const char *text, const char *plate, const char *purpose,
                       lp_wh_outcome *outcome, lp_wh_code_info *info, lp_err *err)
{
    int64_t id = 0, now = now_of(st);
    char secret[LP_WH_SECRET_LEN + 1], hash[65];
    lp_wh_config cfg = {30, 120, 5};
    lp_wh_outcome o;
    code_row c;
    int rc, revoked = 0;

    memset(info, 0, sizeof *info);
    *outcome = LP_WH_UNKNOWN_CODE;
    /* Unknown codes are recorded too: a kiosk being probed shows in the log. */
    if (lp_wh_code_parse(text, &id, secret) != LP_OK)
        return audit_outcome(st, who, "wh_code.refuse", 0, 0, LP_WH_UNKNOWN_CODE, plate, "not a code", err);
    rc = load_row(st, id, &c, err);
    if (!rc && !c.found)
        rc = audit_outcome(st, who, "wh_code.refuse", id, 0, LP_WH_UNKNOWN_CODE, plate, "no such code", err);
    if (rc || !c.found) return rc;
    rc = reservation_facts(st, c.reservation_id, &revoked, info, err);
    if (rc) return rc;
    if (info->warehouse_id[0]) lp_wh_config_get(st, info->warehouse_id, &cfg, NULL);
    if (strcmp(c.status, "locked") == 0) {
        o = LP_WH_LOCKED;
    } else {
        code_hash(c.salt, secret, hash);
        if (strlen(c.hash) != 64 || CRYPTO_memcmp(hash, c.hash, 64) != 0) {
            int lock = c.attempts + 1 >= cfg.max_code_attempts;
            *outcome = LP_WH_WRONG_CODE;
            rc = set_outcome(st, id, lock ? "locked" : c.status, c.attempts + 1, LP_WH_WRONG_CODE, c.used_at, err);
            if (!rc) rc = audit_outcome(st, who, "wh_code.refuse", id, c.company_id, LP_WH_WRONG_CODE, plate, NULL, err);
            if (!rc && lock)
                rc = audit_outcome(st, who, "wh_code.lock", id, c.company_id, LP_WH_LOCKED, plate,
                                   "too many wrong attempts", err);
            return rc;
        }
        o = lp_wh_code_state(0, c.used_at, c.valid_from, c.expires_at, revoked, now);
        if (o == LP_WH_ACCEPTED && strcmp(c.plate, plate ? plate : "") != 0) o = LP_WH_WRONG_PLATE;
        if (o == LP_WH_ACCEPTED && strcmp(c.purpose, purpose) != 0) o = LP_WH_WRONG_PURPOSE;
    }
    *outcome = o;
    if (o != LP_WH_ACCEPTED) {
        rc = set_outcome(st, id, c.status, c.attempts, o, c.used_at, err);
        return rc ? rc : audit_outcome(st, who, "wh_code.refuse", id, c.company_id, o, plate, NULL, err);
    }
    rc = set_outcome(st, id, "used", c.attempts, o, now, err);
    if (!rc) rc = audit_outcome(st, who, "wh_code.use", id, c.company_id, o, plate, purpose, err);
    if (rc) return rc;
    info->id = id;
    info->company_id = c.company_id;
    info->reservation_id = c.reservation_id;
    info->declaration_id = c.declaration_id;
    snprintf(info->plate, sizeof info->plate, "%s", c.plate);
    return LP_OK;
}

int lp_wh_code_refusal(lp_store *st, const lp_actor *who, int64_t id, lp_wh_outcome outcome, const char *detail,
                       lp_err *err)
{
    lp_db_res *r = NULL;
    lp_db_val p[] = {LP_DB_S(lp_wh_outcome_name(outcome)), LP_DB_I(now_of(st)), LP_DB_I(id)};
    lp_db_val q[] = {LP_DB_I(id)};
    int64_t company = 0;
    int rc = lp_store_begin(st, err);
    if (rc) return rc;
    rc = lp_db_query(lp_store_db(st),
                     "UPDATE wh_codes SET last_outcome = ?, version = version + 1, updated_at = ? WHERE id = ?", p, 3,
                     NULL, err);
    if (!rc) rc = lp_db_query(lp_store_db(st), "SELECT company_id FROM wh_codes WHERE id = ?", q, 1, &r, err);
    if (!rc && lp_db_res_nrows(r)) company = lp_db_res_int(r, 0, 0);
    lp_db_res_free(r);
    if (!rc) rc = audit_outcome(st, who, "wh_code.refuse", id, company, outcome, NULL, detail, err);
    if (rc) {
        lp_store_rollback(st);
        return rc;
    }
    return lp_store_commit(st, err);
}
