/* webhooks.c - company webhooks in the store: endpoints, secrets, the
 * delivery outbox and log, the dispatcher's cursor (see webhooks.h). */
#include "webhooks.h"
#include "resources.h"
#include "../core/mem.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const lp_col webhook_cols[] = {
    {"company_id", LP_COL_INT}, {"url", LP_COL_TEXT},         {"description", LP_COL_TEXT},
    {"actions", LP_COL_JSON},   {"object_types", LP_COL_JSON}, {"active", LP_COL_BOOL},
};
const lp_table lp_tbl_webhooks = {"webhooks", "webhook", 0, "company_id", webhook_cols, N(webhook_cols)};

/* Only for showing deliveries (they are written with SQL of their own). */
static const lp_col delivery_cols[] = {
    {"webhook_id", LP_COL_INT},      {"event_seq", LP_COL_INT},   {"event_type", LP_COL_TEXT},
    {"status", LP_COL_TEXT},         {"attempts", LP_COL_INT},    {"next_attempt_at", LP_COL_TIME},
    {"last_status", LP_COL_INT},     {"last_error", LP_COL_TEXT}, {"delivered_at", LP_COL_TIME},
    {"body", LP_COL_JSON},
};
static const lp_table delivery_view = {"webhook_deliveries", "webhook_delivery", 0, "company_id", delivery_cols,
                                       N(delivery_cols)};

static int64_t now_ms(lp_store *st) { return lp_store_clock(st)->now_ms(lp_store_clock(st)->ud); }

/* Settings ---------------------------------------------------------------- */

int lp_webhooks_settings_get(lp_store *st, lp_webhook_settings *out, lp_err *err)
{
    cJSON *row = NULL;
    const cJSON *v;
    lp_err e;
    int rc;

    out->retry_base_ms = 30000;
    out->retry_factor = 4;
    out->max_attempts = 8;
    out->timeout_ms = 10000;
    out->max_stream_clients = 200;
    lp_err_init(&e);
    rc = lp_table_get(st, &lp_tbl_settings, "notifications", 0, &row, &e);
    if (rc == LP_ENOTFOUND) return LP_OK;
    if (rc) {
        if (err) *err = e;
        return rc;
    }
    v = cJSON_GetObjectItemCaseSensitive(row, "value");
    out->retry_base_ms = lp_json_int(v, "retry_base_ms", out->retry_base_ms);
    out->retry_factor = (int)lp_json_int(v, "retry_factor", out->retry_factor);
    out->max_attempts = (int)lp_json_int(v, "max_attempts", out->max_attempts);
    out->timeout_ms = lp_json_int(v, "timeout_ms", out->timeout_ms);
    out->max_stream_clients = (int)lp_json_int(v, "max_stream_clients", out->max_stream_clients);
    cJSON_Delete(row);
    return LP_OK;
}

/* Endpoints --------------------------------------------------------------- */

static int head_seq(lp_store *st, int64_t *seq, lp_err *err)
{
    lp_db_res *r = NULL;
    int rc = lp_db_query(lp_store_db(st), "SELECT seq FROM audit_head WHERE id = 1", NULL, 0, &r, err);
    if (rc == LP_OK) *seq = lp_db_res_nrows(r) ? lp_db_res_int(r, 0, 0) : 0;
    lp_db_res_free(r);
    return rc;
}

int lp_webhooks_create(lp_store *st, const lp_actor *who, const cJSON *values, cJSON **out,
                       char secret[LP_WEBHOOK_SECRET_LEN], lp_err *err)
{
    const lp_clock *ck = lp_store_clock(st);
    unsigned char raw[32];
    cJSON *rec = NULL;
    int64_t from = 0;
    int rc, in_tx = 0, i;

    *out = NULL;
    secret[0] = '\0';
    if (ck->random(ck->ud, raw, sizeof raw) != 0)
        return lp_err_set(err, LP_EIO, "no randomness for the webhook secret");
    memcpy(secret, "whsec_", 6);
    for (i = 0; i < 32; i++) snprintf(secret + 6 + 2 * i, 3, "%02x", raw[i]);
    rc = lp_store_begin(st, err);
    if (rc) goto out;
    in_tx = 1;
    rc = lp_table_insert(st, &lp_tbl_webhooks, who, NULL, values, &rec, err);
    if (rc) goto out;
    rc = head_seq(st, &from, err);
    if (rc) goto out;
    {
        lp_db_val p[] = {LP_DB_I(lp_json_int(rec, "id", 0)), LP_DB_S(secret), LP_DB_I(from)};
        rc = lp_db_query(lp_store_db(st), "INSERT INTO webhook_secrets (webhook_id, secret, from_seq) VALUES (?,?,?)",
                         p, 3, NULL, err);
        if (rc) goto out;
    }
    rc = lp_store_commit(st, err);
    in_tx = 0;
    if (rc) goto out;
    *out = rec;
    rec = NULL;
out:
    if (in_tx) lp_store_rollback(st);
    cJSON_Delete(rec);
    if (rc) secret[0] = '\0';
    return rc;
}

int lp_webhooks_delete(lp_store *st, const lp_actor *who, const char *id, int64_t company, cJSON **out,
                       lp_err *err)
{
    static const char *const sql[] = {"DELETE FROM webhook_deliveries WHERE webhook_id = ?",
                                      "DELETE FROM webhook_secrets WHERE webhook_id = ?",
                                      "DELETE FROM webhooks WHERE id = ?"};
    cJSON *rec = NULL;
    char *before = NULL;
    int rc, in_tx = 0, i;

    if (out) *out = NULL;
    rc = lp_store_begin(st, err);
    if (rc) goto out;
    in_tx = 1;
    rc = lp_table_get(st, &lp_tbl_webhooks, id, company, &rec, err);
    if (rc) goto out;
    for (i = 0; i < N(sql); i++) {
        lp_db_val p[] = {LP_DB_I(lp_json_int(rec, "id", 0))};
        rc = lp_db_query(lp_store_db(st), sql[i], p, 1, NULL, err);
        if (rc) goto out;
    }
    before = cJSON_PrintUnformatted(rec);
    rc = lp_store_audit_append(st, who, "webhook.delete", "webhook", id, lp_json_int(rec, "company_id", 0), before,
                               NULL, err);
    if (rc) goto out;
    rc = lp_store_commit(st, err);
    in_tx = 0;
    if (rc) goto out;
    if (out) {
        *out = rec;
        rec = NULL;
    }
out:
    if (in_tx) lp_store_rollback(st);
    cJSON_free(before);
    cJSON_Delete(rec);
    return rc;
}

/* Dispatch ---------------------------------------------------------------- */

int lp_webhooks_cursor(lp_store *st, int64_t *seq, lp_err *err)
{
    lp_db_res *r = NULL;
    int rc = lp_db_query(lp_store_db(st), "SELECT seq FROM webhook_cursor WHERE id = 1", NULL, 0, &r, err);
    if (rc == LP_OK && lp_db_res_nrows(r) != 1) rc = lp_err_set(err, LP_ESTORE, "webhook_cursor row is missing");
    if (rc == LP_OK) *seq = lp_db_res_int(r, 0, 0);
    lp_db_res_free(r);
    return rc;
}

int lp_webhooks_cursor_advance(lp_store *st, int64_t from, int64_t to, lp_err *err)
{
    lp_db_val p[] = {LP_DB_I(to), LP_DB_I(from)};
    lp_db_res *r = NULL;
    int rc = lp_db_query(lp_store_db(st), "UPDATE webhook_cursor SET seq = ? WHERE id = 1 AND seq = ?", p, 2, &r,
                         err);
    if (rc == LP_OK && lp_db_res_changes(r) != 1)
        rc = lp_err_set(err, LP_ESTALE, "another node dispatched the events after %" PRId64, from);
    lp_db_res_free(r);
    return rc;
}

int lp_webhooks_active(lp_store *st, cJSON **items, lp_err *err)
{
    lp_db_res *r = NULL;
    int rc, i;
    *items = NULL;
    rc = lp_db_query(lp_store_db(st),
                     "SELECT w.id, w.company_id, w.actions, w.object_types, s.from_seq FROM webhooks w"
                     " JOIN webhook_secrets s ON s.webhook_id = w.id WHERE w.active = 1 ORDER BY w.id",
                     NULL, 0, &r, err);
    if (rc) return rc;
    *items = cJSON_CreateArray();
    for (i = 0; i < lp_db_res_nrows(r); i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "id", (double)lp_db_res_int(r, i, 0));
        cJSON_AddNumberToObject(o, "company_id", (double)lp_db_res_int(r, i, 1));
        cJSON_AddItemToObject(o, "actions", cJSON_Parse(lp_db_res_text(r, i, 2)));
        cJSON_AddItemToObject(o, "object_types", cJSON_Parse(lp_db_res_text(r, i, 3)));
        cJSON_AddNumberToObject(o, "from_seq", (double)lp_db_res_int(r, i, 4));
        cJSON_AddItemToArray(*items, o);
    }
    lp_db_res_free(r);
    return LP_OK;
}

int lp_webhooks_enqueue(lp_store *st, int64_t webhook, int64_t company, int64_t seq, const char *type,
                        const char *body, int64_t *id, lp_err *err)
{
    int64_t now = now_ms(st);
    lp_db_val p[] = {LP_DB_I(webhook), LP_DB_I(company), seq ? LP_DB_I(seq) : LP_DB_NUL, LP_DB_S(type),
                     LP_DB_S(body),    LP_DB_I(now),     LP_DB_I(now),                  LP_DB_I(now)};
    lp_db_res *r = NULL;
    int rc = lp_db_query(lp_store_db(st),
                         "INSERT INTO webhook_deliveries (webhook_id, company_id, event_seq, event_type, body, status,"
                         " attempts, next_attempt_at, created_at, updated_at)"
                         " VALUES (?,?,?,?,?,'pending',0,?,?,?) RETURNING id",
                         p, N(p), &r, err);
    if (rc == LP_OK && id) *id = lp_db_res_int(r, 0, 0);
    lp_db_res_free(r);
    return rc;
}

/* Sending ----------------------------------------------------------------- */

int lp_webhooks_due(lp_store *st, int64_t now, int limit, cJSON **items, lp_err *err)
{
    lp_db_val p[] = {LP_DB_I(now), LP_DB_I(limit)};
    lp_db_res *r = NULL;
    int rc, i;
    *items = NULL;
    rc = lp_db_query(lp_store_db(st),
                     "SELECT d.id, d.webhook_id, w.url, s.secret, d.event_type, d.body, d.attempts, d.next_attempt_at"
                     " FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id"
                     " JOIN webhook_secrets s ON s.webhook_id = d.webhook_id"
                     " WHERE d.status = 'pending' AND w.active = 1 AND d.next_attempt_at <= ?"
                     " ORDER BY d.next_attempt_at, d.id LIMIT ?",
                     p, 2, &r, err);
    if (rc) return rc;
    *items = cJSON_CreateArray();
    for (i = 0; i < lp_db_res_nrows(r); i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "id", (double)lp_db_res_int(r, i, 0));
        cJSON_AddNumberToObject(o, "webhook_id", (double)lp_db_res_int(r, i, 1));
        cJSON_AddStringToObject(o, "url", lp_db_res_text(r, i, 2));
        cJSON_AddStringToObject(o, "secret", lp_db_res_text(r, i, 3));
        cJSON_AddStringToObject(o, "event_type", lp_db_res_text(r, i, 4));
        cJSON_AddStringToObject(o, "body", lp_db_res_text(r, i, 5));
        cJSON_AddNumberToObject(o, "attempts", (double)lp_db_res_int(r, i, 6));
        cJSON_AddNumberToObject(o, "next_attempt_at", (double)lp_db_res_int(r, i, 7));
        cJSON_AddItemToArray(*items, o);
    }
    lp_db_res_free(r);
    return LP_OK;
}

int lp_webhooks_next_due(lp_store *st, int64_t *at, lp_err *err)
{
    lp_db_res *r = NULL;
    int rc = lp_db_query(lp_store_db(st),
                         "SELECT MIN(d.next_attempt_at) FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id"
                         " WHERE d.status = 'pending' AND w.active = 1",
                         NULL, 0, &r, err);
    if (rc == LP_OK) *at = lp_db_res_nrows(r) && !lp_db_res_isnull(r, 0, 0) ? lp_db_res_int(r, 0, 0) : 0;
    lp_db_res_free(r);
    return rc;
}

int lp_webhooks_claim(lp_store *st, int64_t id, int64_t due, int64_t lease_until, lp_err *err)
{
    lp_db_val p[] = {LP_DB_I(lease_until), LP_DB_I(id), LP_DB_I(due)};
    lp_db_res *r = NULL;
    int rc = lp_db_query(lp_store_db(st),
                         "UPDATE webhook_deliveries SET next_attempt_at = ?"
                         " WHERE id = ? AND status = 'pending' AND next_attempt_at = ?",
                         p, 3, &r, err);
    if (rc == LP_OK && lp_db_res_changes(r) != 1)
        rc = lp_err_set(err, LP_ESTALE, "delivery %" PRId64 " was taken by another node", id);
    lp_db_res_free(r);
    return rc;
}

int lp_webhooks_record(lp_store *st, int64_t id, int attempts, const char *status, int http_status,
                       const char *error, int64_t next_at, lp_err *err)
{
    int64_t now = now_ms(st);
    int delivered = strcmp(status, "delivered") == 0;
    lp_db_val p[] = {LP_DB_S(status),
                     LP_DB_I(attempts),
                     LP_DB_I(next_at),
                     http_status ? LP_DB_I(http_status) : LP_DB_NUL,
                     LP_DB_S(error),
                     delivered ? LP_DB_I(now) : LP_DB_NUL,
                     LP_DB_I(now),
                     LP_DB_I(id)};
    return lp_db_query(lp_store_db(st),
                       "UPDATE webhook_deliveries SET status = ?, attempts = ?, next_attempt_at = ?, last_status = ?,"
                       " last_error = ?, delivered_at = ?, updated_at = ? WHERE id = ?",
                       p, N(p), NULL, err);
}

/* The delivery log ------------------------------------------------------------ */

#define DELIVERY_SELECT                                                                                          \
    "SELECT id, webhook_id, event_seq, event_type, status, attempts, next_attempt_at, last_status, last_error," \
    " delivered_at, created_at, updated_at, body FROM webhook_deliveries"

int lp_webhooks_delivery_get(lp_store *st, int64_t webhook, int64_t id, cJSON **out, lp_err *err)
{
    lp_db_val p[] = {LP_DB_I(webhook), LP_DB_I(id)};
    lp_db_res *r = NULL;
    int rc = lp_db_query(lp_store_db(st), DELIVERY_SELECT " WHERE webhook_id = ? AND id = ?", p, 2, &r, err);
    *out = NULL;
    if (rc == LP_OK && lp_db_res_nrows(r) != 1)
        rc = lp_err_set(err, LP_ENOTFOUND, "no delivery %" PRId64 " of webhook %" PRId64, id, webhook);
    if (rc == LP_OK) *out = lp_table_row_json(&delivery_view, r, 0);
    lp_db_res_free(r);
    return rc;
}

int lp_webhooks_deliveries(lp_store *st, int64_t webhook, int64_t before, int limit, cJSON **items,
                           int64_t *next, lp_err *err)
{
    lp_db_val p[] = {LP_DB_I(webhook), LP_DB_I(before > 0 ? before : INT64_MAX), LP_DB_I(limit + 1)};
    lp_db_res *r = NULL;
    int rc, i, rows;
    *items = NULL;
    *next = 0;
    rc = lp_db_query(lp_store_db(st), DELIVERY_SELECT " WHERE webhook_id = ? AND id < ? ORDER BY id DESC LIMIT ?",
                     p, 3, &r, err);
    if (rc) return rc;
    rows = lp_db_res_nrows(r);
    *items = cJSON_CreateArray();
    for (i = 0; i < rows && i < limit; i++) cJSON_AddItemToArray(*items, lp_table_row_json(&delivery_view, r, i));
    if (rows > limit && limit > 0) *next = lp_db_res_int(r, limit - 1, 0);
    lp_db_res_free(r);
    return LP_OK;
}
