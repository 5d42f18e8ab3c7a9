/* test_wh_store.c - the store side of the bonded warehouse
 * (src/store/warehouse*.c): seed data, reservations (double booking refused,
 * also under concurrent requests from two connections), access codes
 * (expired, reused, wrong plate, wrong purpose, locked after wrong
 * attempts, stored only hashed), check-in and check-out (customs hold until
 * cleared, partial pick-ups, never more than on hand, invoice at the last
 * pick-up), overstay alerts audited once, and stock that balances under a
 * seeded random sequence of a few thousand operations.  Runs on SQLite
 * (test_wh_store) and PostgreSQL (test_wh_store_pg). */
#include "storefx.h"
#include "core/wh.h"
#include "store/resources.h"
#include "store/table.h"
#include "store/warehouse.h"
#include "store/warehouse_codes.h"
#include "store/warehouse_stock.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define H (INT64_C(3600000))
#define PLATE "29C-123.45"

static const lp_actor ADMIN = {"tok:admin", LP_ROLE_ADMIN, 0, NULL};
static const lp_actor KIOSK = {"tok:kiosk-1", LP_ROLE_DEVICE, 0, NULL};

typedef struct wfx {
    lp_fx *f;
    int64_t a, b;           /* companies */
    int64_t dry, cold, bonded; /* unit ids (D-01, C-01, B-01) */
} wfx;

/* Helpers ----------------------------------------------------------------------- */

static int64_t ins(lp_fx *f, const lp_table *t, cJSON *values)
{
    cJSON *out = NULL;
    int64_t id;
    lp_err err;
    lp_err_init(&err);
    if (lp_table_insert(f->st, t, &ADMIN, NULL, values, &out, &err)) fail_msg("insert into %s: %s", t->name, err.msg);
    cJSON_Delete(values);
    id = lp_test_jnum(out, "id");
    cJSON_Delete(out);
    return id;
}

static int64_t declaration(wfx *w, int64_t company, const char *status)
{
    static int seq;
    return ins(w->f, &lp_tbl_declarations,
               lp_test_jf("{'company_id':%" PRId64 ",'number':'30%010d','direction':'import','crossing_point_id':"
                          "'huunghi-main','transport':'truck','vehicle_plate':'" PLATE "','expected_arrival':%" PRId64
                          ",'currency':'VND','containers':[],'goods':[],'totals':{},'status':'%s','channel':'yellow',"
                          "'channel_source':'risk','risk_seed':'1','risk_algo':1,'risk':{},'needs_quarantine':false,"
                          "'valid_until':%" PRId64 "}",
                          company, ++seq, LP_FX_T0, status, LP_FX_T0 + 72 * H));
}

static void set_status(wfx *w, int64_t decl, const char *status)
{
    char ids[32];
    cJSON *p = lp_test_jf("{'status':'%s'}", status);
    lp_err err;
    lp_err_init(&err);
    snprintf(ids, sizeof ids, "%" PRId64, decl);
    if (lp_table_update(w->f->st, &lp_tbl_declarations, &ADMIN, ids, 0, -1, "status", p, NULL, &err))
        fail_msg("status: %s", err.msg);
    cJSON_Delete(p);
}

static int64_t unit_id(wfx *w, const char *code)
{
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT id FROM storage_units WHERE code = '%s'", code);
    return lp_fx_scalar(w->f, sql);
}

static int64_t reserve(wfx *w, int64_t company, int64_t unit, int64_t from, int64_t to)
{
    cJSON *out = NULL;
    int64_t id;
    lp_err err;
    lp_err_init(&err);
    if (lp_wh_reserve(w->f->st, &ADMIN, company, unit, from, to, NULL, &out, NULL, &err)) fail_msg("reserve: %s", err.msg);
    id = lp_test_jnum(out, "id");
    cJSON_Delete(out);
    return id;
}

/* A code for reservation res; returns it in code. */
static void issue(wfx *w, int64_t res, const char *purpose, int64_t decl, const char *plate, char *code)
{
    lp_wh_code_req rq = {res, purpose, decl, plate, 0};
    lp_err err;
    lp_err_init(&err);
    if (lp_wh_code_issue(w->f->st, &ADMIN, 0, &rq, code, NULL, &err)) fail_msg("issue: %s", err.msg);
}

/* Checks in one package lot; returns rc, the outcome and the lot id. */
static int checkin(wfx *w, const char *code, const char *plate, int64_t pk, int64_t g, lp_wh_outcome *o, int64_t *lot)
{
    lp_wh_item it = {"package", "PKG-1", pk, g, 0};
    cJSON *out = NULL;
    lp_err err;
    int rc;
    lp_err_init(&err);
    rc = lp_wh_checkin(w->f->st, &KIOSK, code, plate, &it, 1, &out, o, &err);
    if (lot) *lot = rc ? 0 : lp_test_jnum(cJSON_GetArrayItem(cJSON_GetObjectItem(out, "lots"), 0), "id");
    cJSON_Delete(out);
    return rc;
}

static int checkout(wfx *w, const char *code, int64_t lot, int64_t pk, lp_wh_outcome *o, cJSON **out)
{
    lp_wh_item it = {NULL, NULL, pk, 0, lot};
    cJSON *res = NULL;
    lp_err err;
    int rc;
    lp_err_init(&err);
    rc = lp_wh_checkout(w->f->st, &KIOSK, code, PLATE, &it, 1, &res, o, &err);
    if (out) *out = res;
    else cJSON_Delete(res);
    return rc;
}

static int64_t count(wfx *w, const char *fmt, int64_t arg)
{
    char sql[256];
    snprintf(sql, sizeof sql, fmt, arg);
    return lp_fx_scalar(w->f, sql);
}

static int setup(void **state)
{
    wfx *w = calloc(1, sizeof *w);
    w->f = lp_fx_open("warehouse", 1);
    w->a = ins(w->f, &lp_tbl_companies, lp_test_jf("{'name':'Bảo Nguyên','country':'VN','tax_id':'0100109106'}"));
    w->b = ins(w->f, &lp_tbl_companies, lp_test_jf("{'name':'Other','country':'VN','tax_id':'0101248141'}"));
    w->dry = unit_id(w, "D-01");
    w->cold = unit_id(w, "C-01");
    w->bonded = unit_id(w, "B-01");
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    wfx *w = *state;
    lp_fx_close(w->f);
    free(w);
    return 0;
}

/* Tests ------------------------------------------------------------------------------ */

static void test_seed(void **state)
{
    wfx *w = *state;
    lp_wh_config cfg;
    lp_err err;
    lp_err_init(&err);
    assert_int_equal(lp_fx_scalar(w->f, "SELECT COUNT(*) FROM storage_units WHERE warehouse_id = 'huunghi-bw1'"), 8);
    assert_int_equal(lp_fx_scalar(w->f, "SELECT COUNT(DISTINCT kind) FROM storage_units"), 3);
    assert_int_equal(lp_fx_scalar(w->f, "SELECT COUNT(*) FROM storage_units WHERE kind = 'cold' AND temp_min_c < temp_max_c"), 2);
    assert_int_equal(lp_fx_scalar(w->f, "SELECT COUNT(*) FROM fee_tables WHERE id = 'warehouse'"), 1);
    assert_int_equal(lp_wh_config_get(w->f->st, LP_WH_SEED_ID, &cfg, &err), LP_OK);
    assert_int_equal(cfg.overstay_days, 30);
    assert_int_equal(cfg.code_validity_minutes, 120);
    assert_int_equal(cfg.max_code_attempts, 5);
}

static void test_double_booking(void **state)
{
    wfx *w = *state;
    int64_t t = LP_FX_T0 + H, r1, conflict = 0;
    cJSON *items = NULL, *it;
    lp_err err;
    int free_dry = -1;

    r1 = reserve(w, w->a, w->dry, t, t + 48 * H);
    lp_err_init(&err);
    assert_int_equal(lp_wh_reserve(w->f->st, &ADMIN, w->b, w->dry, t + 24 * H, t + 72 * H, NULL, NULL, &conflict, &err),
                     LP_ECONFLICT);
    assert_int_equal(conflict, r1);
    assert_non_null(strstr(err.msg, "reservation"));
    /* Inside, around and the same period: all refused. */
    lp_err_init(&err);
    assert_int_equal(lp_wh_reserve(w->f->st, &ADMIN, w->a, w->dry, t + H, t + 2 * H, NULL, NULL, NULL, &err), LP_ECONFLICT);
    lp_err_init(&err);
    assert_int_equal(lp_wh_reserve(w->f->st, &ADMIN, w->a, w->dry, t - H, t + 96 * H, NULL, NULL, NULL, &err), LP_ECONFLICT);
    /* Touching periods do not overlap ([from, to)). */
    reserve(w, w->b, w->dry, t + 48 * H, t + 72 * H);
    reserve(w, w->b, w->dry, t - 1 * H + 1, t);
    /* Bad periods and units. */
    lp_err_init(&err);
    assert_int_equal(lp_wh_reserve(w->f->st, &ADMIN, w->a, w->dry, t, t, NULL, NULL, NULL, &err), LP_EINVAL);
    lp_err_init(&err);
    assert_int_equal(lp_wh_reserve(w->f->st, &ADMIN, w->a, 99999, t, t + H, NULL, NULL, NULL, &err), LP_ENOTFOUND);
    /* Availability shows the unit taken for the period, free after it. */
    lp_err_init(&err);
    assert_int_equal(lp_wh_units_free(w->f->st, LP_WH_SEED_ID, "dry", t, t + H, 0, &items, &err), LP_OK);
    assert_int_equal(cJSON_GetArraySize(items), 3);
    cJSON_ArrayForEach(it, items) if (lp_test_jnum(it, "id") == w->dry) free_dry = cJSON_IsTrue(cJSON_GetObjectItem(it, "free"));
    assert_int_equal(free_dry, 0);
    cJSON_Delete(items);
    assert_int_equal(lp_wh_units_free(w->f->st, LP_WH_SEED_ID, NULL, t + 100 * H, t + 101 * H, 1, &items, &err), LP_OK);
    assert_int_equal(cJSON_GetArraySize(items), 8);
    cJSON_Delete(items);
    /* Cancelled: the period is free again; a second cancel is a conflict;
     * another company does not see it. */
    lp_err_init(&err);
    assert_int_equal(lp_wh_reservation_cancel(w->f->st, &ADMIN, r1, w->b, NULL, &err), LP_ENOTFOUND);
    lp_err_init(&err);
    assert_int_equal(lp_wh_reservation_cancel(w->f->st, &ADMIN, r1, w->a, NULL, &err), LP_OK);
    lp_err_init(&err);
    assert_int_equal(lp_wh_reservation_cancel(w->f->st, &ADMIN, r1, 0, NULL, &err), LP_ECONFLICT);
    reserve(w, w->b, w->dry, t + 24 * H, t + 48 * H);
    assert_int_equal(count(w, "SELECT COUNT(*) FROM audit_events WHERE action = 'wh_reservation.cancel' AND object_id = '%" PRId64 "'", r1), 1);
}

/* Two connections race for the same unit and period, round after round. */
typedef struct racer {
    const char *url;
    const lp_clock *clock;
    int64_t company, unit, base;
    int rounds, won;
    pthread_barrier_t *bar;
    int failed;
} racer;

static void *race(void *arg)
{
    racer *rc = arg;
    lp_store *st = NULL;
    lp_err err;
    int i;
    lp_err_init(&err);
    if (lp_store_open(rc->url, rc->clock, &st, &err)) {
        rc->failed = 1;
        for (i = 0; i < rc->rounds; i++) pthread_barrier_wait(rc->bar);
        return NULL;
    }
    for (i = 0; i < rc->rounds; i++) {
        int r;
        pthread_barrier_wait(rc->bar);
        lp_err_init(&err);
        /* Overlapping periods: each round's two requests share an hour. */
        r = lp_wh_reserve(st, &ADMIN, rc->company, rc->unit, rc->base + i * 10 * H + rc->company % 2 * H,
                          rc->base + i * 10 * H + 3 * H, NULL, NULL, NULL, &err);
        if (r == LP_OK) rc->won++;
        else if (r != LP_ECONFLICT) rc->failed = 1;
    }
    lp_store_close(st);
    return NULL;
}

static void test_concurrent_booking(void **state)
{
    wfx *w = *state;
    pthread_barrier_t bar;
    pthread_t th[2];
    racer rc[2];
    int i, rounds = 20;
    int64_t unit = unit_id(w, "D-02"), base = LP_FX_T0 + 1000 * H;

    pthread_barrier_init(&bar, NULL, 2);
    for (i = 0; i < 2; i++) {
        rc[i] = (racer){w->f->url, &w->f->clock, i ? w->b : w->a, unit, base, rounds, 0, &bar, 0};
        pthread_create(&th[i], NULL, race, &rc[i]);
    }
    for (i = 0; i < 2; i++) pthread_join(th[i], NULL);
    pthread_barrier_destroy(&bar);
    assert_int_equal(rc[0].failed + rc[1].failed, 0);
    /* Exactly one request per round got the unit. */
    assert_int_equal(rc[0].won + rc[1].won, rounds);
    assert_int_equal(count(w, "SELECT COUNT(*) FROM wh_reservations WHERE unit_id = %" PRId64 " AND status = 'active'", unit),
                     rounds);
    print_message("concurrent booking: %d rounds, %d + %d won, no overlap\n", rounds, rc[0].won, rc[1].won);
}

static void test_codes(void **state)
{
    wfx *w = *state;
    int64_t t = w->f->fc.now, res, decl, lot;
    char code[LP_WH_CODE_MAX], wrong[LP_WH_CODE_MAX], sql[256];
    lp_wh_outcome o;
    int i;

    res = reserve(w, w->a, unit_id(w, "D-03"), t, t + 240 * H);
    decl = declaration(w, w->a, "pending");

    /* Shown once, stored only hashed. */
    issue(w, res, "drop_off", decl, PLATE, code);
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM wh_codes WHERE hash LIKE '%%%s%%' OR salt = '' OR hash = ''", strchr(code, '-') + 1);
    assert_int_equal(lp_fx_scalar(w->f, sql), 0);
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM audit_events WHERE after_json LIKE '%%%s%%'", strchr(code, '-') + 1);
    assert_int_equal(lp_fx_scalar(w->f, sql), 0);

    /* Wrong plate, wrong purpose: refused, the code survives. */
    assert_int_equal(checkin(w, code, "51C-999.99", 1, 1000, &o, NULL), LP_EFORBIDDEN);
    assert_int_equal(o, LP_WH_WRONG_PLATE);
    assert_int_equal(checkout(w, code, 1, 1, &o, NULL), LP_EFORBIDDEN);
    assert_int_equal(o, LP_WH_WRONG_PURPOSE);
    /* Accepted once, then reused. */
    assert_int_equal(checkin(w, code, PLATE, 10, 250000, &o, &lot), LP_OK);
    assert_int_equal(o, LP_WH_ACCEPTED);
    assert_true(lot > 0);
    assert_int_equal(checkin(w, code, PLATE, 10, 250000, &o, NULL), LP_EFORBIDDEN);
    assert_int_equal(o, LP_WH_USED);
    /* Unknown and malformed codes. */
    assert_int_equal(checkin(w, "999999-ABCDEFGH", PLATE, 1, 1, &o, NULL), LP_EFORBIDDEN);
    assert_int_equal(o, LP_WH_UNKNOWN_CODE);
    assert_int_equal(checkin(w, "not a code", PLATE, 1, 1, &o, NULL), LP_EFORBIDDEN);
    assert_int_equal(o, LP_WH_UNKNOWN_CODE);
    assert_int_equal(lp_fx_scalar(w->f, "SELECT COUNT(*) FROM audit_events WHERE action = 'wh_code.refuse'"
                                         " AND after_json LIKE '%unknown_code%'"), 2);

    /* Expired: valid two hours by default. */
    issue(w, res, "drop_off", decl, PLATE, code);
    w->f->fc.now += 2 * H;
    assert_int_equal(checkin(w, code, PLATE, 1, 1000, &o, NULL), LP_EFORBIDDEN);
    assert_int_equal(o, LP_WH_EXPIRED);

    /* Locked after five wrong attempts, audited; then even the right one is refused. */
    issue(w, res, "drop_off", decl, PLATE, code);
    snprintf(wrong, sizeof wrong, "%s", code);
    wrong[strlen(wrong) - 1] = wrong[strlen(wrong) - 1] == '2' ? '3' : '2';
    for (i = 0; i < 5; i++) {
        assert_int_equal(checkin(w, wrong, PLATE, 1, 1000, &o, NULL), LP_EFORBIDDEN);
        assert_int_equal(o, LP_WH_WRONG_CODE);
    }
    assert_int_equal(checkin(w, code, PLATE, 1, 1000, &o, NULL), LP_EFORBIDDEN);
    assert_int_equal(o, LP_WH_LOCKED);
    assert_int_equal(lp_fx_scalar(w->f, "SELECT COUNT(*) FROM audit_events WHERE action = 'wh_code.lock'"), 1);
    assert_int_equal(lp_fx_scalar(w->f, "SELECT COUNT(*) FROM audit_events WHERE action = 'wh_code.refuse'"
                                         " AND after_json LIKE '%wrong_code%'"), 5);
    assert_true(lp_fx_scalar(w->f, "SELECT COUNT(*) FROM audit_events WHERE action = 'wh_code.refuse'"
                                    " AND after_json LIKE '%expired%'") >= 1);

    /* Revoked with the reservation: after cancelling (no stock left). */
    issue(w, res, "pick_up", decl, PLATE, code);
    set_status(w, decl, "cleared");
    assert_int_equal(checkout(w, code, lot, 0, &o, NULL), LP_OK);
    issue(w, res, "drop_off", decl, PLATE, code);
    {
        lp_err err;
        lp_err_init(&err);
        assert_int_equal(lp_wh_reservation_cancel(w->f->st, &ADMIN, res, 0, NULL, &err), LP_OK);
    }
    assert_int_equal(checkin(w, code, PLATE, 1, 1000, &o, NULL), LP_EFORBIDDEN);
    assert_int_equal(o, LP_WH_REVOKED);
    /* A drop-off code for a reservation that starts later opens with it. */
    {
        int64_t later = w->f->fc.now + 10 * H;
        int64_t r3 = reserve(w, w->a, unit_id(w, "D-03"), later, later + 5 * H);
        issue(w, r3, "drop_off", decl, PLATE, code);
        assert_int_equal(checkin(w, code, PLATE, 1, 1000, &o, NULL), LP_EFORBIDDEN);
        assert_int_equal(o, LP_WH_NOT_YET);
        w->f->fc.now = later;
        assert_int_equal(checkin(w, code, PLATE, 1, 1000, &o, &lot), LP_OK);
        issue(w, r3, "pick_up", decl, PLATE, code);
        assert_int_equal(checkout(w, code, lot, 0, &o, NULL), LP_OK);
    }
    /* Codes only for the reservation's company's declarations. */
    {
        int64_t other = declaration(w, w->b, "pending");
        int64_t r2 = reserve(w, w->a, unit_id(w, "C-02"), w->f->fc.now, w->f->fc.now + 10 * H);
        lp_wh_code_req rq = {r2, "drop_off", other, PLATE, 0};
        lp_err err;
        lp_err_init(&err);
        assert_int_equal(lp_wh_code_issue(w->f->st, &ADMIN, 0, &rq, code, NULL, &err), LP_ENOTFOUND);
        assert_string_equal(err.fields[0].pointer, "/declaration_id");
        rq.declaration_id = declaration(w, w->a, "pending");
        lp_err_init(&err);
        assert_int_equal(lp_wh_code_issue(w->f->st, &ADMIN, w->b, &rq, code, NULL, &err), LP_ENOTFOUND);
    }
}

static void test_customs_hold(void **state)
{
    wfx *w = *state;
    int64_t t = w->f->fc.now, res, decl, lot, cold_res, cold_decl, cold_lot;
    char in[LP_WH_CODE_MAX], out_code[LP_WH_CODE_MAX];
    lp_wh_outcome o;
    cJSON *got = NULL;

    res = reserve(w, w->a, unit_id(w, "B-02"), t, t + 500 * H);
    decl = declaration(w, w->a, "pending");
    issue(w, res, "drop_off", decl, PLATE, in);
    assert_int_equal(checkin(w, in, PLATE, 100, 1000000, &o, &lot), LP_OK);
    w->f->fc.now += 30 * H;
    issue(w, res, "pick_up", decl, PLATE, out_code);
    /* Bonded goods stay while the declaration is pending or held. */
    assert_int_equal(checkout(w, out_code, lot, 10, &o, NULL), LP_ECONFLICT);
    assert_int_equal(o, LP_WH_CUSTOMS_HOLD);
    set_status(w, decl, "held");
    assert_int_equal(checkout(w, out_code, lot, 10, &o, NULL), LP_ECONFLICT);
    assert_int_equal(o, LP_WH_CUSTOMS_HOLD);
    assert_int_equal(count(w, "SELECT packages_on_hand FROM wh_lots WHERE id = %" PRId64, lot), 100);
    assert_int_equal(count(w, "SELECT COUNT(*) FROM wh_moves WHERE lot_id = %" PRId64 " AND direction = 'out'", lot), 0);
    assert_int_equal(lp_fx_scalar(w->f, "SELECT COUNT(*) FROM audit_events WHERE action = 'wh_code.refuse'"
                                         " AND after_json LIKE '%customs_hold%'"), 2);
    /* Cleared: the same code works (it was not used up by the refusals). */
    set_status(w, decl, "cleared");
    assert_int_equal(checkout(w, out_code, lot, 30, &o, &got), LP_OK);
    assert_int_equal(lp_test_jnum(cJSON_GetArrayItem(cJSON_GetObjectItem(got, "lots"), 0), "packages_on_hand"), 70);
    assert_int_equal(lp_test_jnum(cJSON_GetArrayItem(cJSON_GetObjectItem(got, "lots"), 0), "grams_on_hand"), 700000);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(got, "invoices")), 0);
    cJSON_Delete(got);
    /* Never more than on hand. */
    issue(w, res, "pick_up", decl, PLATE, out_code);
    assert_int_equal(checkout(w, out_code, lot, 71, &o, NULL), LP_ECONFLICT);
    assert_int_equal(o, LP_WH_OVER_STOCK);
    /* Another declaration's lot is unknown to this code. */
    assert_int_equal(checkout(w, out_code, 999999, 1, &o, NULL), LP_ENOTFOUND);
    assert_int_equal(o, LP_WH_UNKNOWN_LOT);
    /* The rest: the lot closes and is invoiced (30 h: 6 billable hours + handling). */
    assert_int_equal(checkout(w, out_code, lot, 0, &o, &got), LP_OK);
    assert_int_equal(lp_test_jnum(cJSON_GetArrayItem(cJSON_GetObjectItem(got, "lots"), 0), "packages_on_hand"), 0);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(got, "invoices")), 1);
    assert_int_equal(lp_test_jnum(cJSON_GetArrayItem(cJSON_GetObjectItem(got, "invoices"), 0), "total"), 6 * 10000 + 200000);
    cJSON_Delete(got);
    assert_int_equal(count(w, "SELECT COUNT(*) FROM wh_lots WHERE id = %" PRId64 " AND status = 'closed' AND invoice_id IS NOT NULL", lot), 1);
    assert_int_equal(count(w, "SELECT COUNT(*) FROM invoices WHERE subject_type = 'warehouse_lot' AND subject_id = '%" PRId64 "'", lot), 1);

    /* A cold unit releases a pending declaration's goods (only bonded ones
     * wait for customs) but not a held one's; refrigerated goods pay COLD. */
    cold_res = reserve(w, w->a, w->cold, w->f->fc.now, w->f->fc.now + 500 * H);
    cold_decl = declaration(w, w->a, "pending");
    issue(w, cold_res, "drop_off", cold_decl, PLATE, in);
    assert_int_equal(checkin(w, in, PLATE, 5, 2000000, &o, &cold_lot), LP_OK);
    issue(w, cold_res, "pick_up", cold_decl, PLATE, out_code);
    set_status(w, cold_decl, "held");
    assert_int_equal(checkout(w, out_code, cold_lot, 0, &o, NULL), LP_ECONFLICT);
    set_status(w, cold_decl, "pending");
    assert_int_equal(checkout(w, out_code, cold_lot, 0, &o, &got), LP_OK);
    assert_int_equal(lp_test_jnum(cJSON_GetArrayItem(cJSON_GetObjectItem(got, "invoices"), 0), "total"), 200000 + 300000);
    cJSON_Delete(got);
}

static void test_overstay(void **state)
{
    wfx *w = *state;
    int64_t t = w->f->fc.now, res, decl, lot;
    char code[LP_WH_CODE_MAX];
    cJSON *items = NULL;
    lp_wh_outcome o;
    lp_err err;
    int marked = -1;

    res = reserve(w, w->b, unit_id(w, "B-03"), t, t + 2000 * H);
    decl = declaration(w, w->b, "pending");
    issue(w, res, "drop_off", decl, PLATE, code);
    assert_int_equal(checkin(w, code, PLATE, 3, 3000, &o, &lot), LP_OK);
    lp_err_init(&err);
    w->f->fc.now += 30 * 24 * H - 1;
    assert_int_equal(lp_wh_overstay_list(w->f->st, &ADMIN, w->b, &items, &err), LP_OK);
    assert_int_equal(cJSON_GetArraySize(items), 0);
    cJSON_Delete(items);
    w->f->fc.now += 1;
    assert_int_equal(lp_wh_overstay_list(w->f->st, &ADMIN, w->b, &items, &err), LP_OK);
    assert_int_equal(cJSON_GetArraySize(items), 1);
    assert_int_equal(lp_test_jnum(cJSON_GetArrayItem(items, 0), "id"), lot);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetArrayItem(items, 0), "overstaying")));
    assert_int_equal(lp_test_jnum(cJSON_GetArrayItem(items, 0), "dwell_minutes"), 30 * 24 * 60);
    cJSON_Delete(items);
    /* Another company does not see it; the alert is audited once. */
    assert_int_equal(lp_wh_overstay_list(w->f->st, &ADMIN, w->a, &items, &err), LP_OK);
    assert_int_equal(cJSON_GetArraySize(items), 0);
    cJSON_Delete(items);
    assert_int_equal(lp_wh_overstay_sweep(w->f->st, &ADMIN, &marked, &err), LP_OK);
    assert_int_equal(marked, 0);
    assert_int_equal(count(w, "SELECT COUNT(*) FROM audit_events WHERE action = 'wh_lot.overstay' AND object_id = '%" PRId64 "'", lot), 1);
}

/* Stock balances under random operations ----------------------------------------------- */

typedef struct mlot { int64_t id, decl, company, pk, g; int bonded_held; } mlot;

static uint64_t rnd_next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* in - out = on hand for every lot, per declaration and per company, in
 * the lots, in their movements and in lp_wh_stock; and equal to the model. */
static void check_balance(wfx *w, const mlot *m, int n)
{
    cJSON *stock = NULL, *it;
    lp_err err;
    int i;
    int64_t model_pk = 0, model_g = 0, sum_pk = 0, sum_g = 0;
    assert_int_equal(lp_fx_scalar(w->f, "SELECT COUNT(*) FROM wh_lots WHERE packages_in - packages_out <> packages_on_hand"
                                         " OR grams_in - grams_out <> grams_on_hand OR packages_on_hand < 0 OR grams_on_hand < 0"), 0);
    assert_int_equal(lp_fx_scalar(w->f,
                                  "SELECT COUNT(*) FROM wh_lots l WHERE l.packages_on_hand <> (SELECT COALESCE(SUM(CASE"
                                  " WHEN direction = 'in' THEN packages ELSE -packages END), 0) FROM wh_moves m WHERE m.lot_id = l.id)"
                                  " OR l.grams_on_hand <> (SELECT COALESCE(SUM(CASE WHEN direction = 'in' THEN grams"
                                  " ELSE -grams END), 0) FROM wh_moves m WHERE m.lot_id = l.id)"), 0);
    assert_int_equal(lp_fx_scalar(w->f, "SELECT COUNT(*) FROM wh_lots WHERE (packages_on_hand = 0) <> (status = 'closed')"), 0);
    for (i = 0; i < n; i++) {
        char sql[160];
        snprintf(sql, sizeof sql, "SELECT packages_on_hand * 1000000000000 + grams_on_hand FROM wh_lots WHERE id = %" PRId64, m[i].id);
        assert_int_equal(lp_fx_scalar(w->f, sql), m[i].pk * INT64_C(1000000000000) + m[i].g);
        if (m[i].company == w->a) model_pk += m[i].pk, model_g += m[i].g;
    }
    lp_err_init(&err);
    assert_int_equal(lp_wh_stock(w->f->st, w->a, 0, &stock, &err), LP_OK);
    it = cJSON_GetArrayItem(cJSON_GetObjectItem(stock, "companies"), 0);
    assert_int_equal(lp_test_jnum(cJSON_GetObjectItem(it, "on_hand"), "packages"), model_pk);
    assert_int_equal(lp_test_jnum(cJSON_GetObjectItem(it, "on_hand"), "grams"), model_g);
    assert_int_equal(lp_test_jnum(cJSON_GetObjectItem(it, "in"), "packages") - lp_test_jnum(cJSON_GetObjectItem(it, "out"), "packages"),
                     model_pk);
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(stock, "declarations")) {
        assert_int_equal(lp_test_jnum(cJSON_GetObjectItem(it, "in"), "grams") - lp_test_jnum(cJSON_GetObjectItem(it, "out"), "grams"),
                         lp_test_jnum(cJSON_GetObjectItem(it, "on_hand"), "grams"));
        sum_pk += lp_test_jnum(cJSON_GetObjectItem(it, "on_hand"), "packages");
        sum_g += lp_test_jnum(cJSON_GetObjectItem(it, "on_hand"), "grams");
    }
    assert_int_equal(sum_pk, model_pk);
    assert_int_equal(sum_g, model_g);
    cJSON_Delete(stock);
}

static void test_random_balance(void **state)
{
    wfx *w = *state;
    const char *env = getenv("LP_TEST_SEED");
    uint64_t seed = env ? strtoull(env, NULL, 10) : (uint64_t)time(NULL), s;
    enum { NDECL = 6, MAXLOTS = 1200 };
    int64_t res[2], decl[NDECL], company[NDECL];
    int bonded[NDECL];
    mlot *m = calloc(MAXLOTS, sizeof *m);
    int nlots = 0, op, ops = 2000, refused = 0, held = 0, closed = 0, k;
    char code[LP_WH_CODE_MAX];
    lp_wh_outcome o;

    if (!seed) seed = 1;
    s = seed;
    print_message("random stock: seed %" PRIu64 " (LP_TEST_SEED=%" PRIu64 " repeats it)\n", seed, seed);
    w->f->fc.now += 5000 * H;
    res[0] = reserve(w, w->a, unit_id(w, "D-02"), w->f->fc.now, w->f->fc.now + 100000 * H);
    res[1] = reserve(w, w->a, unit_id(w, "B-01"), w->f->fc.now, w->f->fc.now + 100000 * H);
    for (k = 0; k < NDECL; k++) {
        company[k] = w->a;
        bonded[k] = k % 2;
        decl[k] = declaration(w, w->a, k % 3 == 1 ? "pending" : "cleared");
    }
    for (op = 0; op < ops; op++) {
        uint64_t r = rnd_next(&s);
        int d = (int)(rnd_next(&s) % NDECL);
        w->f->fc.now += (int64_t)(r >> 40) % (2 * H);
        if (nlots < 3 || (nlots < MAXLOTS && r % 3 == 0)) {
            int64_t pk = 1 + (int64_t)(rnd_next(&s) % 500), g = (int64_t)(rnd_next(&s) % 30000000), lot;
            issue(w, res[bonded[d]], "drop_off", decl[d], PLATE, code);
            assert_int_equal(checkin(w, code, PLATE, pk, g, &o, &lot), LP_OK);
            m[nlots++] = (mlot){lot, decl[d], company[d], pk, g, bonded[d] && d % 3 == 1};
        } else {
            mlot *l = &m[rnd_next(&s) % (uint64_t)nlots];
            int64_t want = (int64_t)(rnd_next(&s) % (uint64_t)(l->pk + 3)), g = 0;
            int di;
            int rc;
            for (di = 0; di < NDECL && decl[di] != l->decl; di++) {}
            issue(w, res[bonded[di]], "pick_up", l->decl, PLATE, code);
            rc = checkout(w, code, l->id, want, &o, NULL);
            if (l->pk == 0 || want > l->pk) {
                assert_int_equal(rc, LP_ECONFLICT);
                assert_true(o == LP_WH_OVER_STOCK || o == LP_WH_CUSTOMS_HOLD);
                refused++;
            } else if (l->bonded_held) {
                assert_int_equal(rc, LP_ECONFLICT);
                assert_int_equal(o, LP_WH_CUSTOMS_HOLD);
                held++;
            } else {
                assert_int_equal(rc, LP_OK);
                if (want == 0) want = l->pk;
                assert_int_equal(lp_wh_take(l->pk, l->g, want, &g), LP_OK);
                l->pk -= want;
                l->g -= g;
                if (!l->pk) closed++;
            }
        }
        if (op % 250 == 0) check_balance(w, m, nlots);
    }
    check_balance(w, m, nlots);
    assert_int_equal(lp_fx_scalar(w->f, "SELECT COUNT(*) FROM invoices WHERE subject_type = 'warehouse_lot'") >= closed, 1);
    print_message("random stock: %d ops, %d lots, %d closed, %d refused over stock, %d held by customs\n", ops, nlots,
                  closed, refused, held);
    assert_true(closed > 0 && refused > 0 && held > 0);
    free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed),
        cmocka_unit_test(test_double_booking),
        cmocka_unit_test(test_concurrent_booking),
        cmocka_unit_test(test_codes),
        cmocka_unit_test(test_customs_hold),
        cmocka_unit_test(test_overstay),
        cmocka_unit_test(test_random_balance),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
