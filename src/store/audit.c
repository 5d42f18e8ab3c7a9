/* audit.c - the hash-chained audit log.
 *
 * Each event's hash is SHA-256 over the previous event's hash and the event's
 * own fields, each written as "<length>:<bytes>" so that no two different
 * events serialise alike.  The chain head (last seq and hash) lives in the
 * one-row table audit_head; appending updates that row first, which also
 * serialises concurrent writers on PostgreSQL (row lock) and SQLite (the
 * write transaction).  Events cannot be updated or deleted through SQL
 * (triggers, see schema.c); verify catches changes made around them. */
#include "store.h"
#include "table.h"
#include "../core/buf.h"
#include "../core/mem.h"
#include "../os/sysclock.h"

#include <inttypes.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

static void put_field(lp_buf *b, const char *s)
{
    if (!s) {
        lp_buf_puts(b, "-1:");
        return;
    }
    lp_buf_printf(b, "%zu:", strlen(s));
    lp_buf_puts(b, s);
}

static void put_int(lp_buf *b, int64_t v)
{
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%" PRId64, v);
    put_field(b, tmp);
}

/* The fields of one event, as stored. */
typedef struct ev {
    int64_t seq, ts, company_id;
    const char *actor, *role, *action, *object_type, *object_id;
    const char *before, *after, *reason, *prev_hash;
} ev;

static void hash_event(const ev *e, char out[65])
{
    lp_buf b;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0, i;

    lp_buf_init(&b);
    put_field(&b, "landport-audit-v1");
    put_int(&b, e->seq);
    put_int(&b, e->ts);
    put_field(&b, e->actor);
    put_field(&b, e->role);
    put_int(&b, e->company_id);
    put_field(&b, e->action);
    put_field(&b, e->object_type);
    put_field(&b, e->object_id);
    put_field(&b, e->before);
    put_field(&b, e->after);
    put_field(&b, e->reason);
    put_field(&b, e->prev_hash);
    EVP_Digest(b.data, b.len, md, &mdlen, EVP_sha256(), NULL);
    for (i = 0; i < mdlen && i < 32; i++) snprintf(out + 2 * i, 3, "%02x", md[i]);
    out[64] = '\0';
    lp_buf_deinit(&b);
}

int lp_store_audit_append(lp_store *st, const lp_actor *who, const char *action,
                          const char *object_type, const char *object_id,
                          int64_t company_id, const char *before, const char *after,
                          lp_err *err)
{
    lp_db *db = lp_store_db(st);
    lp_db_res *head = NULL;
    char hash[65];
    int rc;
    ev e;

    rc = lp_db_query(db, "UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash",
                     NULL, 0, &head, err);
    if (rc) goto out;
    if (lp_db_res_nrows(head) != 1) {
        rc = lp_err_set(err, LP_ESTORE, "audit_head row is missing; the database is damaged");
        goto out;
    }
    memset(&e, 0, sizeof e);
    e.seq = lp_db_res_int(head, 0, 0);
    e.prev_hash = lp_db_res_text(head, 0, 1);
    e.ts = lp_store_clock(st)->now_ms(lp_store_clock(st)->ud);
    e.actor = who && who->name ? who->name : "system";
    e.role = lp_role_name(who ? who->role : LP_ROLE_NONE);
    e.company_id = company_id;
    e.action = action;
    e.object_type = object_type;
    e.object_id = object_id;
    e.before = before;
    e.after = after;
    e.reason = who ? who->reason : NULL;
    hash_event(&e, hash);
    {
        lp_db_val p[] = {
            LP_DB_I(e.seq), LP_DB_I(e.ts), LP_DB_S(e.actor), LP_DB_S(e.role),
            company_id ? LP_DB_I(company_id) : LP_DB_NUL, LP_DB_S(action),
            LP_DB_S(object_type), LP_DB_S(object_id), LP_DB_S(before), LP_DB_S(after),
            LP_DB_S(e.reason), LP_DB_S(e.prev_hash), LP_DB_S(hash),
        };
        rc = lp_db_query(db,
                         "INSERT INTO audit_events (seq, ts, actor, role, company_id, action,"
                         " object_type, object_id, before_json, after_json, reason, prev_hash, hash)"
                         " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                         p, (int)(sizeof p / sizeof p[0]), NULL, err);
        if (rc) goto out;
    }
    {
        lp_db_val p[] = {LP_DB_S(hash)};
        rc = lp_db_query(db, "UPDATE audit_head SET hash = ? WHERE id = 1", p, 1, NULL, err);
    }
out:
    lp_db_res_free(head);
    return rc;
}

#define VERIFY_PAGE 2000

/* Checks one page of events; returns 1 to go on, 0 at a bad event or the end. */
static int verify_page(lp_db_res *r, int64_t *expect_seq, char prev[65], lp_audit_report *rep)
{
    int i;
    for (i = 0; i < lp_db_res_nrows(r); i++) {
        ev e;
        char h[65];
        e.seq = lp_db_res_int(r, i, 0);
        e.ts = lp_db_res_int(r, i, 1);
        e.actor = lp_db_res_text(r, i, 2);
        e.role = lp_db_res_text(r, i, 3);
        e.company_id = lp_db_res_int(r, i, 4);
        e.action = lp_db_res_text(r, i, 5);
        e.object_type = lp_db_res_text(r, i, 6);
        e.object_id = lp_db_res_text(r, i, 7);
        e.before = lp_db_res_isnull(r, i, 8) ? NULL : lp_db_res_text(r, i, 8);
        e.after = lp_db_res_isnull(r, i, 9) ? NULL : lp_db_res_text(r, i, 9);
        e.reason = lp_db_res_isnull(r, i, 10) ? NULL : lp_db_res_text(r, i, 10);
        e.prev_hash = lp_db_res_text(r, i, 11);
        if (e.seq != *expect_seq) {
            rep->first_bad = *expect_seq;
            snprintf(rep->why, sizeof rep->why,
                     "event %" PRId64 " is missing (the next event found is %" PRId64 ")",
                     *expect_seq, e.seq);
            return 0;
        }
        if (strcmp(e.prev_hash, prev) != 0) {
            rep->first_bad = e.seq;
            snprintf(rep->why, sizeof rep->why,
                     "event %" PRId64 " does not link to the event before it (removed, inserted or reordered events)",
                     e.seq);
            return 0;
        }
        hash_event(&e, h);
        if (strcmp(h, lp_db_res_text(r, i, 12)) != 0) {
            rep->first_bad = e.seq;
            snprintf(rep->why, sizeof rep->why,
                     "event %" PRId64 " (%s %s/%s) was altered: its content does not match its hash",
                     e.seq, e.action, e.object_type, e.object_id);
            return 0;
        }
        memcpy(prev, h, 65);
        rep->events++;
        (*expect_seq)++;
    }
    return lp_db_res_nrows(r) == VERIFY_PAGE;
}

int lp_store_audit_verify(lp_store *st, lp_audit_report *rep,
                          void (*progress)(void *ud, int64_t done, int64_t total), void *ud,
                          lp_err *err)
{
    lp_db *db = lp_store_db(st);
    lp_db_res *r = NULL;
    char prev[65];
    int64_t expect = 1, total, head_seq;
    int rc, more = 1;

    memset(rep, 0, sizeof *rep);
    memset(prev, '0', 64);
    prev[64] = '\0';
    rc = lp_db_query(db, "SELECT seq, hash, (SELECT COUNT(*) FROM audit_events) FROM audit_head WHERE id = 1",
                     NULL, 0, &r, err);
    if (rc) return rc;
    if (lp_db_res_nrows(r) != 1) {
        lp_db_res_free(r);
        return lp_err_set(err, LP_ECORRUPT, "audit_head row is missing");
    }
    head_seq = lp_db_res_int(r, 0, 0);
    snprintf(rep->head_hash, sizeof rep->head_hash, "%s", lp_db_res_text(r, 0, 1));
    total = lp_db_res_int(r, 0, 2);
    lp_db_res_free(r);
    r = NULL;

    while (more) {
        lp_db_val p[] = {LP_DB_I(expect - 1), LP_DB_I(VERIFY_PAGE)};
        rc = lp_db_query(db,
                         "SELECT seq, ts, actor, role, company_id, action, object_type, object_id,"
                         " before_json, after_json, reason, prev_hash, hash FROM audit_events"
                         " WHERE seq > ? ORDER BY seq LIMIT ?",
                         p, 2, &r, err);
        if (rc) return rc;
        more = verify_page(r, &expect, prev, rep);
        lp_db_res_free(r);
        r = NULL;
        if (rep->first_bad) return lp_err_set(err, LP_ECORRUPT, "%s", rep->why);
        if (progress && rep->events % 10000 < VERIFY_PAGE) progress(ud, rep->events, total);
    }
    if (rep->events != head_seq || strcmp(prev, rep->head_hash) != 0) {
        rep->first_bad = rep->events + 1;
        snprintf(rep->why, sizeof rep->why,
                 "the chain ends at event %" PRId64 " but the recorded head is event %" PRId64
                 " (events at the end were removed or the head was altered)",
                 rep->events, head_seq);
        return lp_err_set(err, LP_ECORRUPT, "%s", rep->why);
    }
    if (progress) progress(ud, rep->events, total);
    return LP_OK;
}

static const lp_col audit_cols[] = {
    {"seq", LP_COL_INT}, {"ts", LP_COL_TIME}, {"actor", LP_COL_TEXT}, {"role", LP_COL_TEXT},
    {"company_id", LP_COL_INT}, {"action", LP_COL_TEXT}, {"object_type", LP_COL_TEXT},
    {"object_id", LP_COL_TEXT}, {"before", LP_COL_JSON}, {"after", LP_COL_JSON},
    {"reason", LP_COL_TEXT}, {"prev_hash", LP_COL_TEXT}, {"hash", LP_COL_TEXT},
};
static const lp_table audit_table = {"audit_events", "audit_event", 0, "company_id", audit_cols,
                                     (int)(sizeof audit_cols / sizeof audit_cols[0])};

int lp_store_audit_list(lp_store *st, const char *object_type, const char *object_id,
                        const char *action, int64_t company, int64_t after, int limit,
                        cJSON **items, int64_t *next, lp_err *err)
{
    lp_buf sql;
    lp_db_val p[8];
    lp_db_res *r = NULL;
    int n = 0, rc, i, rows;

    *items = NULL;
    *next = 0;
    lp_buf_init(&sql);
    lp_buf_puts(&sql, "SELECT seq, ts, actor, role, company_id, action, object_type, object_id,"
                      " before_json AS before, after_json AS after, reason, prev_hash, hash"
                      " FROM audit_events WHERE seq > ?");
    p[n++] = LP_DB_I(after);
    if (object_type) {
        lp_buf_puts(&sql, " AND object_type = ?");
        p[n++] = LP_DB_S(object_type);
    }
    if (object_id) {
        lp_buf_puts(&sql, " AND object_id = ?");
        p[n++] = LP_DB_S(object_id);
    }
    if (action) {
        lp_buf_puts(&sql, " AND action = ?");
        p[n++] = LP_DB_S(action);
    }
    if (company) {
        lp_buf_puts(&sql, " AND company_id = ?");
        p[n++] = LP_DB_I(company);
    }
    lp_buf_puts(&sql, " ORDER BY seq LIMIT ?");
    p[n++] = LP_DB_I(limit + 1);
    rc = lp_db_query(lp_store_db(st), lp_buf_str(&sql), p, n, &r, err);
    lp_buf_deinit(&sql);
    if (rc) return rc;
    rows = lp_db_res_nrows(r);
    *items = cJSON_CreateArray();
    for (i = 0; i < rows && i < limit; i++) cJSON_AddItemToArray(*items, lp_table_row_json(&audit_table, r, i));
    if (rows > limit && limit > 0) *next = lp_db_res_int(r, limit - 1, 0);
    lp_db_res_free(r);
    return LP_OK;
}
