/* test_audit.c - the hash-chained audit log (src/store/audit.c): one event
 * per change with who, what, before and after; none for a change rolled
 * back; listing with filters and pages; append-only on both backends; and
 * lp_store_audit_verify finding edited, removed and reordered events.  Runs
 * as test_audit (SQLite) and test_audit_pg (PostgreSQL) with a fake clock. */
#include "storefx.h"
#include "core/mem.h"
#include "store/resources.h"
#include "store/store.h"
#include "store/table.h"
#include "store/tokens.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T0S "2026-09-21T14:13:20.000Z"
#define T1 (LP_FX_T0 + 61500)
#define T1S "2026-09-21T14:14:21.500Z"
#define T2 (LP_FX_T0 + 3600000)
#define T2S "2026-09-21T15:13:20.000Z"
#define NSEED lp_fx_nseed() /* audit events of the default data (gate pair, points, settings, fee tables, ...) */
#define NSITE 5 /* of which migration 1's site data: the gate pair (seq 1), the points (seq 2..5) */
#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

/* printf into out (256 bytes); returns out.  For seqs relative to NSEED. */
static const char *fmt(char out[256], const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    vsnprintf(out, 256, format, ap);
    va_end(ap);
    return out;
}

/* Fixture ------------------------------------------------------------------- */

static int setup(void **state)
{
    *state = lp_fx_open("audit", 1);
    return 0;
}

/* Helpers ------------------------------------------------------------------- */

static const lp_actor ADMIN = {"tok:admin", LP_ROLE_ADMIN, 0, NULL};
static const lp_actor OPS = {"tok:ops", LP_ROLE_OPERATOR, 0, "registration"};

/* Inserts values (taken) as who; returns the record (caller owns). */
static cJSON *ins(lp_fx *f, const lp_actor *who, const lp_table *t, const char *text_id, cJSON *values)
{
    cJSON *out = NULL;
    lp_err err;
    lp_err_init(&err);
    if (lp_table_insert(f->st, t, who, text_id, values, &out, &err)) fail_msg("insert into %s: %s", t->name, err.msg);
    cJSON_Delete(values);
    return out;
}

static cJSON *upd(lp_fx *f, const lp_actor *who, const lp_table *t, const char *id, const char *action, cJSON *patch)
{
    cJSON *out = NULL;
    lp_err err;
    lp_err_init(&err);
    if (lp_table_update(f->st, t, who, id, 0, -1, action, patch, &out, &err))
        fail_msg("update %s/%s: %s", t->name, id, err.msg);
    cJSON_Delete(patch);
    return out;
}

/* Events after seq after matching the filters, as "seq,seq,..." in out. */
static void seqs(lp_fx *f, const char *type, const char *id, const char *action, int64_t company, int64_t after,
                 int limit, char out[256], int64_t *next)
{
    cJSON *items = NULL;
    const cJSON *it;
    lp_err err;
    lp_err_init(&err);
    if (lp_store_audit_list(f->st, type, id, action, company, after, limit, &items, next, &err))
        fail_msg("audit list: %s", err.msg);
    out[0] = '\0';
    cJSON_ArrayForEach(it, items)
        snprintf(out + strlen(out), 256 - strlen(out), "%s%" PRId64, out[0] ? "," : "", lp_test_jnum(it, "seq"));
    cJSON_Delete(items);
}

/* Event seq as listed (caller owns). */
static cJSON *event(lp_fx *f, int64_t seq)
{
    cJSON *items = NULL, *e;
    int64_t next;
    lp_err err;
    lp_err_init(&err);
    if (lp_store_audit_list(f->st, NULL, NULL, NULL, 0, seq - 1, 1, &items, &next, &err) ||
        cJSON_GetArraySize(items) != 1)
        fail_msg("no audit event %" PRId64 ": %s", seq, err.msg);
    e = cJSON_DetachItemFromArray(items, 0);
    cJSON_Delete(items);
    assert_int_equal(lp_test_jnum(e, "seq"), seq);
    return e;
}

static void assert_event(lp_fx *f, int64_t seq, cJSON *want)
{
    cJSON *e = event(f, seq);
    lp_test_assert_subset(e, want);
    cJSON_Delete(e);
}

/* Events NSEED+1 to NSEED+5 after the default data: company A (+1) and B (+2)
 * created, a vehicle of A (+3), A suspended (+4), road-1088 closed (+5). */
static void history(lp_fx *f, int64_t *ca, int64_t *cb)
{
    cJSON *a, *b;
    f->fc.now = T1;
    a = ins(f, &OPS, &lp_tbl_companies, NULL,
            lp_test_jf("{'name':'A','country':'VN','tax_id':'1','kinds':['carrier']}"));
    b = ins(f, &OPS, &lp_tbl_companies, NULL, lp_test_jf("{'name':'B','country':'CN','tax_id':'2'}"));
    cJSON_Delete(ins(f, &OPS, &lp_tbl_vehicles, NULL,
                     lp_test_jf("{'company_id':%" PRId64 ",'kind':'truck','plate_country':'VN','plate':'29H-123.45'}",
                                lp_test_jnum(a, "id"))));
    f->fc.now = T2;
    {
        char id[32];
        snprintf(id, sizeof id, "%" PRId64, lp_test_jnum(a, "id"));
        cJSON_Delete(upd(f, &ADMIN, &lp_tbl_companies, id, "suspend", lp_test_jf("{'status':'suspended'}")));
    }
    cJSON_Delete(upd(f, &OPS, &lp_tbl_crossing_points, "road-1088", NULL, lp_test_jf("{'status':'closed'}")));
    if (ca) *ca = lp_test_jnum(a, "id");
    if (cb) *cb = lp_test_jnum(b, "id");
    cJSON_Delete(a);
    cJSON_Delete(b);
    assert_int_equal(lp_fx_events(f), NSEED + 5);
}

static int verify(lp_fx *f, lp_audit_report *rep)
{
    lp_err err;
    int rc;
    lp_err_init(&err);
    rc = lp_store_audit_verify(f->st, rep, NULL, NULL, &err);
    assert_int_equal(err.code, rc);
    if (rc == LP_ECORRUPT) assert_string_equal(err.msg, rep->why);
    return rc;
}

/* Events -------------------------------------------------------------------- */

static void test_one_event_per_change(void **state)
{
    lp_fx *f = *state;
    lp_actor co = {"tok:co", LP_ROLE_COMPANY, 0, NULL};
    cJSON *a, *a2, *v, *p2, *rec = NULL, *all = NULL;
    char ida[32], idv[32], *secret = NULL;
    const cJSON *e, *prev = NULL;
    int64_t next;
    lp_err err;
    int i;

    /* The default data: site (gate pair, points), then the clearance settings
     * (later migrations' default data is checked by their own suites). */
    for (i = 1; i <= NSITE + 2; i++)
        assert_event(f, i,
                     lp_test_jf("{'ts':'" T0S "','actor':'system:migration','role':'admin','company_id':null,"
                                "'action':'%s','before':null,'reason':'%s'}",
                                i == 1 ? "gate_pair.create" : i <= NSITE ? "crossing_point.create" : "setting.create",
                                i <= NSITE ? "default site data" : "default clearance settings"));

    f->fc.now = T1;
    a = ins(f, &OPS, &lp_tbl_companies, NULL,
            lp_test_jf("{'name':'A','country':'VN','tax_id':'1','kinds':['carrier']}"));
    snprintf(ida, sizeof ida, "%" PRId64, lp_test_jnum(a, "id"));
    assert_int_equal(lp_fx_events(f), NSEED + 1);
    rec = event(f, NSEED + 1);
    lp_test_assert_subset(rec,
                          lp_test_jf("{'ts':'" T1S "','actor':'tok:ops','role':'operator','company_id':%s,"
                                     "'action':'company.create','object_type':'company','object_id':'%s','before':null,"
                                     "'reason':'registration'}",
                                     ida, ida));
    lp_test_assert_json(cJSON_GetObjectItem(rec, "after"), cJSON_Duplicate(a, 1));
    cJSON_Delete(rec);

    co.company_id = lp_test_jnum(a, "id");
    v = ins(f, &co, &lp_tbl_vehicles, NULL,
            lp_test_jf("{'company_id':%s,'kind':'truck','plate_country':'VN','plate':'29H-123.45'}", ida));
    snprintf(idv, sizeof idv, "%" PRId64, lp_test_jnum(v, "id"));
    assert_int_equal(lp_fx_events(f), NSEED + 2);
    assert_event(f, NSEED + 2,
                 lp_test_jf("{'actor':'tok:co','role':'company','company_id':%s,'action':'vehicle.create',"
                            "'object_type':'vehicle','object_id':'%s','before':null,'reason':null}",
                            ida, idv));

    f->fc.now = T2;
    a2 = upd(f, &(lp_actor){"tok:admin", LP_ROLE_ADMIN, 0, "unpaid fees"}, &lp_tbl_companies, ida, "suspend",
             lp_test_jf("{'status':'suspended'}"));
    assert_int_equal(lp_fx_events(f), NSEED + 3);
    assert_event(f, NSEED + 3,
                 lp_test_jf("{'ts':'" T2S "','actor':'tok:admin','role':'admin','company_id':%s,"
                            "'action':'company.suspend','object_type':'company','object_id':'%s',"
                            "'reason':'unpaid fees'}",
                            ida, ida));
    rec = event(f, NSEED + 3);
    lp_test_assert_json(cJSON_GetObjectItem(rec, "before"), cJSON_Duplicate(a, 1));
    lp_test_assert_json(cJSON_GetObjectItem(rec, "after"), cJSON_Duplicate(a2, 1));
    cJSON_Delete(rec);

    p2 = upd(f, &OPS, &lp_tbl_crossing_points, "road-1088", NULL, lp_test_jf("{'status':'closed'}"));
    assert_int_equal(lp_fx_events(f), NSEED + 4);
    rec = event(f, NSEED + 4);
    lp_test_assert_subset(
        rec, lp_test_jf("{'company_id':null,'action':'crossing_point.update','object_type':'crossing_point',"
                        "'object_id':'road-1088'}"));
    lp_test_assert_subset(cJSON_GetObjectItem(rec, "before"), lp_test_jf("{'status':'open','version':1}"));
    lp_test_assert_json(cJSON_GetObjectItem(rec, "after"), cJSON_Duplicate(p2, 1));
    cJSON_Delete(rec);

    lp_err_init(&err);
    assert_int_equal(lp_tokens_create(f->st, &ADMIN, "carrier A", LP_ROLE_COMPANY, co.company_id, &secret, NULL, &err),
                     0);
    assert_int_equal(lp_fx_events(f), NSEED + 5);
    assert_event(f, NSEED + 5,
                 lp_test_jf("{'action':'token.create','object_type':'token','company_id':%s,'before':null}", ida));

    /* seq 1..NSEED+5 without gaps, each linked to the one before. */
    assert_int_equal(lp_store_audit_list(f->st, NULL, NULL, NULL, 0, 0, 100, &all, &next, &err), 0);
    assert_int_equal(cJSON_GetArraySize(all), NSEED + 5);
    assert_int_equal(next, 0);
    i = 0;
    cJSON_ArrayForEach(e, all) {
        const char *hash = cJSON_GetObjectItem(e, "hash")->valuestring;
        assert_int_equal(lp_test_jnum(e, "seq"), ++i);
        assert_int_equal(strlen(hash), 64);
        assert_string_equal(cJSON_GetObjectItem(e, "prev_hash")->valuestring,
                            prev ? cJSON_GetObjectItem(prev, "hash")->valuestring : ZERO_HASH);
        assert_string_not_equal(hash, cJSON_GetObjectItem(e, "prev_hash")->valuestring);
        prev = e;
    }
    cJSON_Delete(all);
    lp_free(secret);
    cJSON_Delete(a);
    cJSON_Delete(a2);
    cJSON_Delete(v);
    cJSON_Delete(p2);
}

/* A change that fails or is rolled back leaves no event and no gap. */
static void test_no_event_without_change(void **state)
{
    lp_fx *f = *state;
    int64_t ca, next;
    char *secret = NULL, got[256], want[256];
    cJSON *v;
    lp_err err;

    history(f, &ca, NULL);
    lp_err_init(&err);
    v = lp_test_jf("{'name':'A again','country':'VN','tax_id':'1'}");
    assert_int_equal(lp_table_insert(f->st, &lp_tbl_companies, &OPS, NULL, v, NULL, &err), LP_ECONFLICT);
    cJSON_Delete(v);
    v = lp_test_jf("{'status':'x'}");
    lp_err_init(&err);
    assert_int_equal(lp_table_update(f->st, &lp_tbl_crossing_points, &OPS, "road-1088", 0, 1, NULL, v, NULL, &err),
                     LP_ESTALE);
    lp_err_init(&err);
    assert_int_equal(lp_table_update(f->st, &lp_tbl_crossing_points, &OPS, "nowhere", 0, -1, NULL, v, NULL, &err),
                     LP_ENOTFOUND);
    cJSON_Delete(v);
    v = lp_test_jf("{'company_id':999999,'kind':'truck','plate_country':'VN','plate':'1'}");
    lp_err_init(&err);
    assert_int_equal(lp_table_insert(f->st, &lp_tbl_vehicles, &OPS, NULL, v, NULL, &err), LP_ESTORE);
    cJSON_Delete(v);
    lp_err_init(&err);
    assert_int_equal(lp_tokens_create(f->st, &ADMIN, "t", LP_ROLE_COMPANY, 999999, &secret, NULL, &err), LP_EINVAL);

    /* Rolled back by the caller, and doomed by an inner rollback (nested
     * levels only count: the outer commit then fails). */
    lp_err_init(&err);
    assert_int_equal(lp_store_begin(f->st, &err), 0);
    cJSON_Delete(ins(f, &OPS, &lp_tbl_companies, NULL, lp_test_jf("{'name':'C','country':'VN','tax_id':'3'}")));
    lp_store_rollback(f->st);
    assert_int_equal(lp_store_begin(f->st, &err), 0);
    assert_int_equal(lp_store_begin(f->st, &err), 0);
    cJSON_Delete(ins(f, &OPS, &lp_tbl_companies, NULL, lp_test_jf("{'name':'D','country':'VN','tax_id':'4'}")));
    lp_store_rollback(f->st);
    assert_int_equal(lp_store_commit(f->st, &err), LP_ESTORE);
    assert_int_equal(err.code, LP_ESTORE);
    assert_int_equal(lp_fx_scalar(f, "SELECT COUNT(*) FROM companies"), 2);
    assert_int_equal(lp_fx_events(f), NSEED + 5);
    assert_int_equal(lp_fx_scalar(f, "SELECT seq FROM audit_head"), NSEED + 5);

    /* The next changes (two in one outer transaction) take the next numbers. */
    assert_int_equal(lp_store_begin(f->st, &err), 0);
    cJSON_Delete(ins(f, &OPS, &lp_tbl_companies, NULL, lp_test_jf("{'name':'E','country':'VN','tax_id':'5'}")));
    cJSON_Delete(ins(f, &OPS, &lp_tbl_companies, NULL, lp_test_jf("{'name':'F','country':'VN','tax_id':'6'}")));
    assert_int_equal(lp_store_commit(f->st, &err), 0);
    assert_int_equal(lp_fx_scalar(f, "SELECT COUNT(*) FROM companies"), 4);
    seqs(f, NULL, NULL, NULL, 0, NSEED + 5, 10, got, &next);
    assert_string_equal(got, fmt(want, "%d,%d", NSEED + 6, NSEED + 7));
    {
        lp_audit_report rep;
        assert_int_equal(verify(f, &rep), 0);
        assert_int_equal(rep.events, NSEED + 7);
    }
}

/* Two connections on one URL see each other's commits and extend one chain. */
static void test_second_connection(void **state)
{
    lp_fx *f = *state;
    lp_store *st2 = NULL;
    cJSON *a, *got = NULL;
    lp_audit_report rep;
    char id[32];
    lp_err err;

    a = ins(f, &OPS, &lp_tbl_companies, NULL,
            lp_test_jf("{'name':'Durable','country':'VN','tax_id':'42','kinds':['x']}"));
    snprintf(id, sizeof id, "%" PRId64, lp_test_jnum(a, "id"));
    lp_err_init(&err);
    assert_int_equal(lp_store_open(f->url, &f->clock, &st2, &err), 0);
    assert_int_equal(lp_table_get(st2, &lp_tbl_companies, id, 0, &got, &err), 0);
    lp_test_assert_json(got, cJSON_Duplicate(a, 1));
    cJSON_Delete(got);
    got = lp_test_jf("{'name':'Second','country':'CN','tax_id':'43'}");
    assert_int_equal(lp_table_insert(st2, &lp_tbl_companies, &OPS, NULL, got, NULL, &err), 0);
    cJSON_Delete(got);
    assert_int_equal(verify(f, &rep), 0);
    lp_store_close(st2);
    assert_int_equal(lp_fx_scalar(f, "SELECT COUNT(*) FROM companies"), 2);
    assert_int_equal(rep.events, NSEED + 2);
    assert_event(f, NSEED + 2,
                 lp_test_jf("{'action':'company.create','company_id':%" PRId64 "}", lp_test_jnum(a, "id") + 1));
    cJSON_Delete(a);
}

static void test_list(void **state)
{
    lp_fx *f = *state;
    int64_t ca, cb, next = -1, after;
    char got[256], want[256];

    history(f, &ca, &cb);
    /* Pages: next is the last seq of a page, 0 after the last one. */
    for (after = 0; after < NSEED + 5; after = next) {
        int64_t s, last = after + 4 < NSEED + 5 ? after + 4 : NSEED + 5;
        want[0] = '\0';
        for (s = after + 1; s <= last; s++)
            snprintf(want + strlen(want), sizeof want - strlen(want), "%s%" PRId64, want[0] ? "," : "", s);
        seqs(f, NULL, NULL, NULL, 0, after, 4, got, &next);
        assert_string_equal(got, want);
        assert_int_equal(next, last < NSEED + 5 ? last : 0);
        if (!next) break;
    }
    seqs(f, NULL, NULL, NULL, 0, NSEED, 5, got, &next);
    assert_string_equal(got, fmt(want, "%d,%d,%d,%d,%d", NSEED + 1, NSEED + 2, NSEED + 3, NSEED + 4, NSEED + 5));
    assert_int_equal(next, 0);

    /* Filters, alone and together. */
    seqs(f, "company", NULL, NULL, 0, 0, 50, got, &next);
    assert_string_equal(got, fmt(want, "%d,%d,%d", NSEED + 1, NSEED + 2, NSEED + 4));
    {
        char id[32];
        snprintf(id, sizeof id, "%" PRId64, ca);
        seqs(f, "company", id, NULL, 0, 0, 50, got, &next);
        assert_string_equal(got, fmt(want, "%d,%d", NSEED + 1, NSEED + 4));
    }
    seqs(f, NULL, NULL, "company.create", 0, 0, 50, got, &next);
    assert_string_equal(got, fmt(want, "%d,%d", NSEED + 1, NSEED + 2));
    seqs(f, NULL, NULL, NULL, ca, 0, 50, got, &next);
    assert_string_equal(got, fmt(want, "%d,%d,%d", NSEED + 1, NSEED + 3, NSEED + 4));
    seqs(f, NULL, NULL, NULL, cb, 0, 50, got, &next);
    assert_string_equal(got, fmt(want, "%d", NSEED + 2));
    seqs(f, "vehicle", NULL, NULL, cb, 0, 50, got, &next);
    assert_string_equal(got, "");
    seqs(f, NULL, "road-1088", NULL, 0, 0, 50, got, &next);
    assert_string_equal(got, fmt(want, "2,%d", NSEED + 5));
    /* A filtered page: the cursor is the seq, not a count (seeded points 2..5). */
    seqs(f, "crossing_point", NULL, NULL, 0, 0, 2, got, &next);
    assert_string_equal(got, "2,3");
    assert_int_equal(next, 3);
    seqs(f, "crossing_point", NULL, NULL, 0, next, 2, got, &next);
    assert_string_equal(got, "4,5");
    assert_int_equal(next, 5);
    seqs(f, "crossing_point", NULL, NULL, 0, next, 2, got, &next);
    assert_string_equal(got, fmt(want, "%d", NSEED + 5));
    assert_int_equal(next, 0);
}

/* Neither UPDATE nor DELETE of an event gets through SQL. */
static void test_append_only(void **state)
{
    char last[128];
    const char *const sql[] = {
        "UPDATE audit_events SET reason = 'edited' WHERE seq = 3",
        "UPDATE audit_events SET seq = seq + 100",
        last, /* the last event of the history */
        "DELETE FROM audit_events",
        "TRUNCATE audit_events", /* PostgreSQL only */
    };
    lp_fx *f = *state;
    int pg = lp_test_backend_is_pg();
    lp_audit_report rep;
    lp_err err;
    size_t i;

    snprintf(last, sizeof last, "DELETE FROM audit_events WHERE seq = %d", NSEED + 5);
    history(f, NULL, NULL);
    for (i = 0; i < sizeof sql / sizeof sql[0] - !pg; i++) {
        lp_err_init(&err);
        assert_int_equal(lp_db_query(lp_store_db(f->st), sql[i], NULL, 0, NULL, &err), LP_ESTORE);
        if (!strstr(err.msg, "append-only")) fail_msg("%s: %s", sql[i], err.msg);
    }
    assert_int_equal(lp_fx_events(f), NSEED + 5);
    assert_event(f, 3, lp_test_jf("{'reason':'default site data'}"));
    assert_int_equal(verify(f, &rep), 0);
    assert_int_equal(rep.events, NSEED + 5);
}

/* Verify -------------------------------------------------------------------- */

static void on_progress(void *ud, int64_t done, int64_t total)
{
    int64_t *last = ud;
    last[0] = done;
    last[1] = total;
}

static void test_verify_intact(void **state)
{
    lp_fx *f = *state;
    int64_t last[2] = {-1, -1};
    lp_audit_report rep;
    cJSON *e;
    lp_err err;

    assert_int_equal(verify(f, &rep), 0);
    assert_int_equal(rep.events, NSEED);
    history(f, NULL, NULL);
    lp_err_init(&err);
    assert_int_equal(lp_store_audit_verify(f->st, &rep, on_progress, last, &err), 0);
    assert_int_equal(err.code, 0);
    assert_int_equal(rep.events, NSEED + 5);
    assert_int_equal(rep.first_bad, 0);
    assert_string_equal(rep.why, "");
    assert_int_equal(last[0], NSEED + 5);
    assert_int_equal(last[1], NSEED + 5);
    e = event(f, NSEED + 5);
    assert_string_equal(rep.head_hash, cJSON_GetObjectItem(e, "hash")->valuestring);
    cJSON_Delete(e);
}

/* Puts the content (all but seq) of event from into event to. */
static void copy_event(lp_fx *f, const lp_db_res *from, int64_t to)
{
    lp_db_val p[13];
    lp_err err;
    int c;
    for (c = 0; c < 12; c++) {
        lp_db_type ty = lp_db_res_type(from, 0, c);
        p[c] = ty == LP_DB_NULL  ? LP_DB_NUL
               : ty == LP_DB_INT ? LP_DB_I(lp_db_res_int(from, 0, c))
                                 : LP_DB_S(lp_db_res_text(from, 0, c));
    }
    p[12] = LP_DB_I(to);
    lp_err_init(&err);
    if (lp_db_query(lp_store_db(f->st),
                    "UPDATE audit_events SET ts = ?, actor = ?, role = ?, company_id = ?, action = ?,"
                    " object_type = ?, object_id = ?, before_json = ?, after_json = ?, reason = ?,"
                    " prev_hash = ?, hash = ? WHERE seq = ?",
                    p, 13, NULL, &err))
        fail_msg("rewriting event %" PRId64 ": %s", to, err.msg);
}

static lp_db_res *read_event(lp_fx *f, int64_t seq)
{
    lp_db_val p[] = {LP_DB_I(seq)};
    lp_db_res *r = NULL;
    lp_err err;
    lp_err_init(&err);
    assert_int_equal(lp_db_query(lp_store_db(f->st),
                                 "SELECT ts, actor, role, company_id, action, object_type, object_id, before_json,"
                                 " after_json, reason, prev_hash, hash FROM audit_events WHERE seq = ?",
                                 p, 1, &r, &err), 0);
    assert_int_equal(lp_db_res_nrows(r), 1);
    return r;
}

enum tamper { EDIT_AFTER, DELETE_MIDDLE, DELETE_LAST, SWAP, EDIT_PREV };

/* Builds the history, tampers with it around the triggers, and checks that
 * verify names bad as the first bad event, with a reason containing word. */
static void check_tamper(lp_fx *f, enum tamper how, int64_t bad, const char *word)
{
    lp_audit_report rep;
    char want[32], sql[256];

    history(f, NULL, NULL);
    if (lp_test_backend_is_pg()) {
        lp_fx_exec(f, "DROP TRIGGER audit_events_no_change ON audit_events");
    } else {
        lp_fx_exec(f, "DROP TRIGGER audit_events_no_update");
        lp_fx_exec(f, "DROP TRIGGER audit_events_no_delete");
    }
    assert_int_equal(verify(f, &rep), 0);
    switch (how) {
    case EDIT_AFTER:
        lp_fx_exec(f, fmt(sql,
                          "UPDATE audit_events SET after_json = REPLACE(after_json, '29H-123.45', '29H-999.99')"
                          " WHERE seq = %d",
                          NSEED + 3));
        assert_int_equal(lp_fx_scalar(f, "SELECT COUNT(*) FROM audit_events WHERE after_json LIKE '%29H-999.99%'"), 1);
        break;
    case DELETE_MIDDLE: lp_fx_exec(f, fmt(sql, "DELETE FROM audit_events WHERE seq = %d", NSEED + 3)); break;
    case DELETE_LAST: lp_fx_exec(f, fmt(sql, "DELETE FROM audit_events WHERE seq = %d", NSEED + 5)); break;
    case SWAP: {
        lp_db_res *a = read_event(f, NSEED + 2), *b = read_event(f, NSEED + 4);
        copy_event(f, b, NSEED + 2);
        copy_event(f, a, NSEED + 4);
        lp_db_res_free(a);
        lp_db_res_free(b);
        break;
    }
    case EDIT_PREV: lp_fx_exec(f, fmt(sql, "UPDATE audit_events SET prev_hash = hash WHERE seq = %d", NSEED + 3)); break;
    }
    assert_int_equal(verify(f, &rep), LP_ECORRUPT);
    assert_int_equal(rep.first_bad, bad);
    assert_int_equal(rep.events, bad - 1);
    snprintf(want, sizeof want, "event %" PRId64, bad);
    if (!strstr(rep.why, want) || !strstr(rep.why, word)) fail_msg("why: %s", rep.why);
}

/* Seqs relative to the history: the vehicle (+3), the last event (+5), and B
 * swapped with A's suspension (+2, +4). */
static void test_tamper_edit(void **state) { check_tamper(*state, EDIT_AFTER, NSEED + 3, "altered"); }
static void test_tamper_delete(void **state) { check_tamper(*state, DELETE_MIDDLE, NSEED + 3, "missing"); }
static void test_tamper_delete_last(void **state) { check_tamper(*state, DELETE_LAST, NSEED + 5, "removed"); }
static void test_tamper_swap(void **state) { check_tamper(*state, SWAP, NSEED + 2, "link"); }
static void test_tamper_prev_hash(void **state) { check_tamper(*state, EDIT_PREV, NSEED + 3, "link"); }

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_one_event_per_change, setup, lp_fx_teardown),
        cmocka_unit_test_setup_teardown(test_no_event_without_change, setup, lp_fx_teardown),
        cmocka_unit_test_setup_teardown(test_second_connection, setup, lp_fx_teardown),
        cmocka_unit_test_setup_teardown(test_list, setup, lp_fx_teardown),
        cmocka_unit_test_setup_teardown(test_append_only, setup, lp_fx_teardown),
        cmocka_unit_test_setup_teardown(test_verify_intact, setup, lp_fx_teardown),
        cmocka_unit_test_setup_teardown(test_tamper_edit, setup, lp_fx_teardown),
        cmocka_unit_test_setup_teardown(test_tamper_delete, setup, lp_fx_teardown),
        cmocka_unit_test_setup_teardown(test_tamper_delete_last, setup, lp_fx_teardown),
        cmocka_unit_test_setup_teardown(test_tamper_swap, setup, lp_fx_teardown),
        cmocka_unit_test_setup_teardown(test_tamper_prev_hash, setup, lp_fx_teardown),
    };
    return cmocka_run_group_tests_name(lp_test_backend_is_pg() ? "audit (postgresql)" : "audit (sqlite)", tests,
                                       NULL, NULL);
}
