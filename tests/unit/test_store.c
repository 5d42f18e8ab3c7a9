/* test_store.c - the store (src/store): migrations and default data, audited
 * records (lp_table_*), tokens, nested transactions and a second connection.
 * Runs on the backend LANDPORT_TEST_BACKEND names (ctest: test_store on
 * SQLite, test_store_pg on PostgreSQL) with a fake clock, so every timestamp
 * is known.  The audit log and its verifier are tested in test_audit.c. */
#include "storefx.h"
#include "core/mem.h"
#include "store/resources.h"
#include "store/store.h"
#include "store/table.h"
#include "store/tokens.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T0S "2026-09-21T14:13:20.000Z"
#define T1 (LP_FX_T0 + 61500)
#define T1S "2026-09-21T14:14:21.500Z"
#define NSEED lp_fx_nseed() /* audit events of the default data (gate pair, points, settings, fee tables, ...) */

/* Fixture ------------------------------------------------------------------- */

static int setup(void **state)
{
    *state = lp_fx_open("store", 1);
    return 0;
}

static int setup_empty(void **state)
{
    *state = lp_fx_open("store", 0);
    return 0;
}

/* Helpers ------------------------------------------------------------------- */

static const lp_actor ADMIN = {"tok:admin", LP_ROLE_ADMIN, 0, NULL};

static int ins_rc(lp_fx *f, const lp_table *t, const char *text_id, cJSON *values, cJSON **out)
{
    lp_err err;
    int rc;
    lp_err_init(&err);
    rc = lp_table_insert(f->st, t, &ADMIN, text_id, values, out, &err);
    cJSON_Delete(values);
    assert_int_equal(err.code, rc);
    return rc;
}

/* Inserts values (taken); returns the stored record (caller owns). */
static cJSON *ins(lp_fx *f, const lp_table *t, const char *text_id, cJSON *values)
{
    cJSON *out = NULL;
    int rc = ins_rc(f, t, text_id, values, &out);
    if (rc) fail_msg("insert into %s: %s", t->name, lp_strerror(rc));
    assert_non_null(out);
    return out;
}

static int upd_rc(lp_fx *f, const lp_table *t, const char *id, int64_t company, int64_t if_version, cJSON *patch,
                  cJSON **out)
{
    lp_err err;
    int rc;
    lp_err_init(&err);
    rc = lp_table_update(f->st, t, &ADMIN, id, company, if_version, NULL, patch, out, &err);
    cJSON_Delete(patch);
    assert_int_equal(err.code, rc);
    return rc;
}

static int get_rc(lp_fx *f, const lp_table *t, const char *id, int64_t company, cJSON **out)
{
    lp_err err;
    lp_err_init(&err);
    return lp_table_get(f->st, t, id, company, out, &err);
}

static cJSON *get(lp_fx *f, const lp_table *t, const char *id, int64_t company)
{
    cJSON *out = NULL;
    int rc = get_rc(f, t, id, company, &out);
    if (rc) fail_msg("get %s/%s: %s", t->name, id, lp_strerror(rc));
    return out;
}

/* Asserts the stored record equals want (taken). */
static void assert_stored(lp_fx *f, const lp_table *t, const char *id, cJSON *want)
{
    cJSON *got = get(f, t, id, 0);
    lp_test_assert_json(got, want);
    cJSON_Delete(got);
}

/* One page of a list as "id,id,..." in ids; *next as returned (caller frees). */
static void page(lp_fx *f, const lp_table *t, const lp_filter *flt, int nflt, int64_t company, const char *cursor,
                 int limit, char ids[512], char **next)
{
    cJSON *items = NULL;
    const cJSON *it;
    char id[32];
    lp_err err;
    lp_err_init(&err);
    if (lp_table_list(f->st, t, flt, nflt, company, cursor, limit, &items, next, &err))
        fail_msg("list %s: %s", t->name, err.msg);
    ids[0] = '\0';
    cJSON_ArrayForEach(it, items) {
        if (company) assert_int_equal(lp_test_jnum(it, t->company_col), company);
        snprintf(ids + strlen(ids), 512 - strlen(ids), "%s%s", ids[0] ? "," : "", lp_test_idof(it, id));
    }
    cJSON_Delete(items);
}

/* Inserts a company; returns its id. */
static int64_t company(lp_fx *f, const char *country, const char *tax_id)
{
    cJSON *c = ins(f, &lp_tbl_companies, NULL,
                   lp_test_jf("{'name':'Company %s','country':'%s','tax_id':'%s'}", tax_id, country, tax_id));
    int64_t id = lp_test_jnum(c, "id");
    cJSON_Delete(c);
    return id;
}

/* Schema -------------------------------------------------------------------- */

static void test_migrate(void **state)
{
    lp_fx *f = *state;
    int v = -1, from = -1, to = -1, latest = lp_store_schema_latest();
    lp_err err;

    lp_err_init(&err);
    assert_true(latest >= 1);
    assert_int_equal(lp_store_schema_version(f->st, &v, &err), 0);
    assert_int_equal(v, 0);
    assert_int_equal(lp_store_migrate(f->st, &from, &to, &err), 0);
    assert_int_equal(from, 0);
    assert_int_equal(to, latest);
    assert_int_equal(lp_store_schema_version(f->st, &v, &err), 0);
    assert_int_equal(v, latest);
    assert_int_equal(lp_fx_events(f), NSEED);
    assert_true(NSEED >= 8);
    assert_int_equal(lp_fx_scalar(f, "SELECT COUNT(*) FROM audit_events WHERE actor = 'system:migration'"), NSEED);

    /* Again: nothing to do, nothing written. */
    f->fc.now = T1;
    assert_int_equal(lp_store_migrate(f->st, &from, &to, &err), 0);
    assert_int_equal(from, latest);
    assert_int_equal(to, latest);
    assert_int_equal(lp_fx_events(f), NSEED);
    assert_int_equal(lp_fx_scalar(f, "SELECT COUNT(*) FROM gate_pairs"), 1);
    assert_int_equal(lp_fx_scalar(f, "SELECT COUNT(*) FROM crossing_points"), 4);
    assert_int_equal(err.code, 0);
}

/* A database stamped by a newer landport is refused and left as it is. */
static void test_migrate_refuses_newer(void **state)
{
    lp_fx *f = *state;
    int v = -1, from = -1, to = -1, latest = lp_store_schema_latest();
    char sql[128], want[64];
    lp_err err;

    /* An empty database: no table is created. */
    lp_fx_exec(f, "CREATE TABLE schema_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    snprintf(sql, sizeof sql, "INSERT INTO schema_meta (key, value) VALUES ('version', '%d')", latest + 1);
    lp_fx_exec(f, sql);
    lp_err_init(&err);
    assert_int_equal(lp_store_migrate(f->st, &from, &to, &err), LP_ESCHEMA);
    assert_int_equal(err.code, LP_ESCHEMA);
    assert_int_equal(from, latest + 1);
    assert_int_equal(to, latest + 1);
    snprintf(want, sizeof want, "version %d", latest + 1);
    assert_non_null(strstr(err.msg, want));
    snprintf(want, sizeof want, "up to %d", latest);
    assert_non_null(strstr(err.msg, want));
    lp_err_init(&err);
    assert_int_equal(lp_db_query(lp_store_db(f->st), "SELECT COUNT(*) FROM gate_pairs", NULL, 0, NULL, &err),
                     LP_ESTORE);

    /* A populated database stamped newer later: data and version stay. */
    lp_fx_exec(f, "UPDATE schema_meta SET value = '0' WHERE key = 'version'");
    lp_err_init(&err);
    assert_int_equal(lp_store_migrate(f->st, NULL, NULL, &err), 0);
    company(f, "VN", "0100000001");
    snprintf(sql, sizeof sql, "UPDATE schema_meta SET value = '%d' WHERE key = 'version'", latest + 7);
    lp_fx_exec(f, sql);
    f->fc.now = T1;
    assert_int_equal(lp_store_migrate(f->st, &from, &to, &err), LP_ESCHEMA);
    assert_int_equal(from, latest + 7);
    assert_int_equal(lp_store_schema_version(f->st, &v, NULL), 0);
    assert_int_equal(v, latest + 7);
    assert_int_equal(lp_fx_events(f), NSEED + 1);
    assert_int_equal(lp_fx_scalar(f, "SELECT COUNT(*) FROM companies"), 1);
    assert_int_equal(lp_fx_scalar(f, "SELECT COUNT(*) FROM crossing_points"), 4);
}

static void test_default_data(void **state)
{
    static const char *const want[][2] = {
        {"cocnam-1104", "{'kind':'lane','markers':'1104–1105','lanes':1,'capacity_per_hour':20,"
                        "'opening_hours':[{'open':'07:00','close':'19:00'}],'agv':false,'agv_windows':[],"
                        "'length_m':null,'notes':null}"},
        {"huunghi-main", "{'kind':'main_road','name':'Hữu Nghị main gate road','lanes':4,'capacity_per_hour':100,"
                         "'opening_hours':[{'open':'07:00','close':'22:00'}],'agv':false,'agv_windows':[],"
                         "'length_m':null}"},
        {"road-1088", "{'kind':'goods_road','markers':'1088/2–1089','lanes':2,'capacity_per_hour':50,"
                      "'opening_hours':[{'open':'07:00','close':'22:00'}],'agv':true,"
                      "'agv_windows':[{'open':'18:30','close':'20:00'}],'length_m':2400}"},
        {"tanthanh-1090", "{'kind':'lane','markers':'1090–1091','lanes':2,'capacity_per_hour':40,"
                          "'opening_hours':[{'open':'07:00','close':'22:00'}],'agv':false,'agv_windows':[],"
                          "'length_m':null,'notes':null}"},
    };
    lp_fx *f = *state;
    cJSON *items = NULL;
    char *next = NULL;
    lp_err err;
    int i;

    assert_stored(
        f, &lp_tbl_gate_pairs, "huu-nghi",
        lp_test_jf("{'id':'huu-nghi','name':'Hữu Nghị – Youyiguan','name_vi':'Cửa khẩu quốc tế Hữu Nghị',"
                   "'name_zh':'友谊关口岸','country':'VN','partner_country':'CN','timezone':'Asia/Ho_Chi_Minh',"
                   "'partner_timezone':'Asia/Shanghai','version':1,'created_at':'" T0S "','updated_at':'" T0S "'}"));
    lp_err_init(&err);
    assert_int_equal(lp_table_list(f->st, &lp_tbl_crossing_points, NULL, 0, 0, NULL, 10, &items, &next, &err), 0);
    assert_null(next);
    assert_int_equal(cJSON_GetArraySize(items), 4);
    for (i = 0; i < 4; i++) {
        const cJSON *p = cJSON_GetArrayItem(items, i);
        assert_int_equal(cJSON_GetArraySize(p), 1 + lp_tbl_crossing_points.ncols + 3);
        lp_test_assert_subset(
            p, lp_test_jf("{'id':'%s','gate_pair_id':'huu-nghi','directions':['export','import'],'status':'open',"
                          "'version':1,'created_at':'" T0S "','updated_at':'" T0S "'}",
                          want[i][0]));
        lp_test_assert_subset(p, lp_test_jf("%s", want[i][1]));
    }
    cJSON_Delete(items);
}

/* Records ------------------------------------------------------------------- */

static void test_companies(void **state)
{
    lp_fx *f = *state;
    cJSON *a, *b, *upd = NULL, *out = NULL;
    char ida[32], idb[32];
    int64_t ev;

    a = ins(
        f, &lp_tbl_companies, NULL,
        lp_test_jf("{'name':'Lạng Sơn Logistics','country':'VN','tax_id':'4900100001','kinds':['carrier','forwarder'],"
                   "'email':'ops@lsl.vn'}"));
    assert_true(cJSON_IsNumber(cJSON_GetObjectItem(a, "id")));
    lp_test_assert_json(a,
                        lp_test_jf("{'id':%s,'name':'Lạng Sơn Logistics','country':'VN','tax_id':'4900100001',"
                                   "'kinds':['carrier','forwarder'],'address':null,'email':'ops@lsl.vn','phone':null,"
                                   "'status':'active','version':1,'created_at':'" T0S "','updated_at':'" T0S "'}",
                                   lp_test_idof(a, ida)));
    assert_stored(f, &lp_tbl_companies, ida, cJSON_Duplicate(a, 1));
    b = ins(f, &lp_tbl_companies, NULL,
            lp_test_jf("{'name':'凭祥 Trade','country':'CN','tax_id':'91451481','kinds':[]}"));
    lp_test_idof(b, idb);
    assert_true(lp_test_jnum(b, "id") > lp_test_jnum(a, "id"));

    /* Update with the right version: bumped, updated_at moves, JSON object kept. */
    f->fc.now = T1;
    assert_int_equal(upd_rc(f, &lp_tbl_companies, ida, 0, 1,
                            lp_test_jf("{'phone':'+84 205 3851','kinds':{'main':'carrier'}}"), &upd),
                     0);
    lp_test_assert_subset(upd, lp_test_jf("{'id':%s,'version':2,'phone':'+84 205 3851','kinds':{'main':'carrier'},"
                                          "'created_at':'" T0S "','updated_at':'" T1S "'}",
                                          ida));
    assert_stored(f, &lp_tbl_companies, ida, cJSON_Duplicate(upd, 1));
    ev = lp_fx_events(f);

    /* Stale version, duplicate key on insert and on update: nothing written. */
    assert_int_equal(upd_rc(f, &lp_tbl_companies, ida, 0, 1, lp_test_jf("{'phone':'x'}"), NULL), LP_ESTALE);
    assert_stored(f, &lp_tbl_companies, ida, cJSON_Duplicate(upd, 1));
    assert_int_equal(
        ins_rc(f, &lp_tbl_companies, NULL, lp_test_jf("{'name':'Dup','country':'VN','tax_id':'4900100001'}"), NULL),
        LP_ECONFLICT);
    assert_int_equal(
        upd_rc(f, &lp_tbl_companies, idb, 0, -1, lp_test_jf("{'country':'VN','tax_id':'4900100001'}"), NULL),
        LP_ECONFLICT);
    assert_stored(f, &lp_tbl_companies, idb, cJSON_Duplicate(b, 1));
    assert_int_equal(lp_fx_scalar(f, "SELECT COUNT(*) FROM companies"), 2);
    assert_int_equal(lp_fx_events(f), ev);
    /* The key is the pair (country, tax_id). */
    assert_int_equal(
        ins_rc(f, &lp_tbl_companies, NULL, lp_test_jf("{'name':'x','country':'CN','tax_id':'4900100001'}"), NULL), 0);

    /* A company sees only itself. */
    assert_int_equal(get_rc(f, &lp_tbl_companies, ida, lp_test_jnum(b, "id"), &out), LP_ENOTFOUND);
    assert_null(out);
    assert_int_equal(upd_rc(f, &lp_tbl_companies, ida, lp_test_jnum(b, "id"), -1, lp_test_jf("{'phone':'y'}"), NULL),
                     LP_ENOTFOUND);
    out = get(f, &lp_tbl_companies, ida, lp_test_jnum(a, "id"));
    lp_test_assert_json(out, cJSON_Duplicate(upd, 1));
    cJSON_Delete(out);

    /* Bad input: unknown member, wrong type, ids that cannot exist. */
    assert_int_equal(
        ins_rc(f, &lp_tbl_companies, NULL, lp_test_jf("{'name':'x','country':'VN','tax_id':'7','colour':'red'}"), NULL),
        LP_EINVAL);
    assert_int_equal(ins_rc(f, &lp_tbl_companies, NULL, lp_test_jf("{'name':5,'country':'VN','tax_id':'7'}"), NULL),
                     LP_EINVAL);
    assert_int_equal(upd_rc(f, &lp_tbl_companies, ida, 0, -1, lp_test_jf("{'version':9}"), NULL), LP_EINVAL);
    assert_int_equal(get_rc(f, &lp_tbl_companies, "abc", 0, &out), LP_ENOTFOUND);
    assert_int_equal(get_rc(f, &lp_tbl_companies, "999999", 0, &out), LP_ENOTFOUND);
    assert_int_equal(upd_rc(f, &lp_tbl_companies, "999999", 0, -1, lp_test_jf("{'phone':'z'}"), NULL), LP_ENOTFOUND);
    assert_int_equal(lp_fx_scalar(f, "SELECT COUNT(*) FROM companies"), 3);
    cJSON_Delete(a);
    cJSON_Delete(b);
    cJSON_Delete(upd);
}

/* Vehicles and drivers belong to a company: other companies do not see them. */
static void test_vehicles_drivers(void **state)
{
    lp_fx *f = *state;
    int64_t ca = company(f, "VN", "4900100001"), cb = company(f, "CN", "91451481");
    cJSON *va, *vb, *d, *out = NULL;
    char idva[32], idvb[32], idd[32];
    int64_t ev;

    va = ins(f, &lp_tbl_vehicles, NULL,
             lp_test_jf("{'company_id':%" PRId64 ",'kind':'truck','plate_country':'VN','plate':'12C-045.67',"
                        "'max_gross_kg':40000}",
                        ca));
    lp_test_assert_json(
        va, lp_test_jf("{'id':%s,'company_id':%" PRId64 ",'kind':'truck','plate_country':'VN','plate':'12C-045.67',"
                       "'trailer_country':null,'trailer_plate':null,'max_gross_kg':40000,'status':'active',"
                       "'version':1,'created_at':'" T0S "','updated_at':'" T0S "'}",
                       lp_test_idof(va, idva), ca));
    vb = ins(f, &lp_tbl_vehicles, NULL,
             lp_test_jf("{'company_id':%" PRId64 ",'kind':'tractor','plate_country':'CN','plate':'桂F·A1234',"
                        "'trailer_country':'CN','trailer_plate':'桂F·B567挂'}",
                        cb));
    lp_test_idof(vb, idvb);

    assert_int_equal(get_rc(f, &lp_tbl_vehicles, idvb, ca, &out), LP_ENOTFOUND);
    assert_int_equal(upd_rc(f, &lp_tbl_vehicles, idvb, ca, -1, lp_test_jf("{'status':'blocked'}"), NULL), LP_ENOTFOUND);
    assert_stored(f, &lp_tbl_vehicles, idvb, cJSON_Duplicate(vb, 1));
    out = get(f, &lp_tbl_vehicles, idvb, cb);
    lp_test_assert_json(out, cJSON_Duplicate(vb, 1));
    cJSON_Delete(out);
    f->fc.now = T1;
    assert_int_equal(
        upd_rc(f, &lp_tbl_vehicles, idvb, cb, 1, lp_test_jf("{'status':'suspended','max_gross_kg':null}"), &out), 0);
    lp_test_assert_subset(out,
                          lp_test_jf("{'status':'suspended','max_gross_kg':null,'version':2,'updated_at':'" T1S "'}"));
    cJSON_Delete(out);

    /* One plate per country, across companies; a failed update changes nothing. */
    ev = lp_fx_events(f);
    assert_int_equal(
        ins_rc(f, &lp_tbl_vehicles, NULL,
               lp_test_jf("{'company_id':%" PRId64 ",'kind':'truck','plate_country':'VN','plate':'12C-045.67'}", cb),
               NULL),
        LP_ECONFLICT);
    assert_int_equal(
        upd_rc(f, &lp_tbl_vehicles, idva, 0, -1, lp_test_jf("{'plate_country':'CN','plate':'桂F·A1234'}"), NULL),
        LP_ECONFLICT);
    assert_stored(f, &lp_tbl_vehicles, idva, cJSON_Duplicate(va, 1));
    assert_int_equal(lp_fx_scalar(f, "SELECT COUNT(*) FROM vehicles"), 2);
    assert_int_equal(lp_fx_events(f), ev);

    d = ins(f, &lp_tbl_drivers, NULL,
            lp_test_jf("{'company_id':%" PRId64 ",'full_name':'Nguyễn Văn An','nationality':'VN',"
                       "'document_kind':'passport','document_number':'C1234567','licence_number':'790123456789',"
                       "'licence_class':'FC','licence_valid_until':'2030-05-31'}",
                       ca));
    lp_test_assert_json(
        d, lp_test_jf("{'id':%s,'company_id':%" PRId64 ",'full_name':'Nguyễn Văn An','nationality':'VN',"
                      "'document_kind':'passport','document_number':'C1234567','licence_number':'790123456789',"
                      "'licence_class':'FC','licence_valid_until':'2030-05-31','phone':null,'status':'active',"
                      "'version':1,'created_at':'" T1S "','updated_at':'" T1S "'}",
                      lp_test_idof(d, idd), ca));
    assert_int_equal(ins_rc(f, &lp_tbl_drivers, NULL,
                            lp_test_jf("{'company_id':%" PRId64 ",'full_name':'Lǐ Wěi','nationality':'CN',"
                                       "'document_kind':'passport','document_number':'C1234567','licence_number':'1',"
                                       "'licence_valid_until':'2031-01-01'}",
                                       cb),
                            NULL),
                     LP_ECONFLICT);
    assert_int_equal(get_rc(f, &lp_tbl_drivers, idd, cb, &out), LP_ENOTFOUND);
    assert_int_equal(upd_rc(f, &lp_tbl_drivers, idd, cb, 1, lp_test_jf("{'phone':'1'}"), NULL), LP_ENOTFOUND);
    assert_int_equal(upd_rc(f, &lp_tbl_drivers, idd, ca, 1, lp_test_jf("{'phone':'+84 912 000 111'}"), &out), 0);
    lp_test_assert_subset(out, lp_test_jf("{'phone':'+84 912 000 111','version':2}"));
    cJSON_Delete(out);
    assert_int_equal(upd_rc(f, &lp_tbl_drivers, idd, ca, 1, lp_test_jf("{'phone':'2'}"), NULL), LP_ESTALE);
    out = get(f, &lp_tbl_drivers, idd, ca);
    lp_test_assert_subset(out, lp_test_jf("{'phone':'+84 912 000 111','version':2}"));
    cJSON_Delete(out);
    assert_int_equal(lp_fx_scalar(f, "SELECT COUNT(*) FROM drivers"), 1);
    cJSON_Delete(va);
    cJSON_Delete(vb);
    cJSON_Delete(d);
}

static void test_crossing_points(void **state)
{
    static const char point[] =
        "{'gate_pair_id':'%s','name':'Test lane','kind':'lane','markers':'1092','directions':['import'],'lanes':1,"
        "'opening_hours':[{'open':'08:00','close':'12:00'},{'open':'13:00','close':'17:00'}],"
        "'capacity_per_hour':10,'status':'closed','agv':false}";
    lp_fx *f = *state;
    cJSON *p, *out = NULL;
    lp_filter agv = {"agv", "true"}, lane = {"kind", "lane"};
    char ids[512], *next = NULL;

    p = ins(f, &lp_tbl_crossing_points, "lane-test", lp_test_jf(point, "huu-nghi"));
    lp_test_assert_json(
        p, lp_test_jf("{'id':'lane-test','gate_pair_id':'huu-nghi','name':'Test lane','name_vi':null,'name_zh':null,"
                      "'kind':'lane','markers':'1092','directions':['import'],'lanes':1,"
                      "'opening_hours':[{'open':'08:00','close':'12:00'},{'open':'13:00','close':'17:00'}],"
                      "'capacity_per_hour':10,'status':'closed','agv':false,'agv_windows':[],'length_m':null,"
                      "'notes':null,'version':1,'created_at':'" T0S "','updated_at':'" T0S "'}"));
    assert_int_equal(ins_rc(f, &lp_tbl_crossing_points, "lane-test", lp_test_jf(point, "huu-nghi"), NULL),
                     LP_ECONFLICT);
    assert_int_equal(ins_rc(f, &lp_tbl_crossing_points, "lane-x", lp_test_jf(point, "nowhere"), NULL), LP_ESTORE);
    assert_int_equal(lp_fx_scalar(f, "SELECT COUNT(*) FROM crossing_points"), 5);

    assert_int_equal(upd_rc(f, &lp_tbl_crossing_points, "lane-test", 0, 1,
                            lp_test_jf("{'agv':true,'agv_windows':[{'open':'12:00','close':'13:00'}],'length_m':800}"),
                            &out),
                     0);
    lp_test_assert_subset(out,
                          lp_test_jf("{'id':'lane-test','agv':true,'agv_windows':[{'open':'12:00','close':'13:00'}],"
                                     "'length_m':800,'version':2}"));
    assert_stored(f, &lp_tbl_crossing_points, "lane-test", out);

    page(f, &lp_tbl_crossing_points, &agv, 1, 0, NULL, 10, ids, &next);
    assert_string_equal(ids, "lane-test,road-1088");
    page(f, &lp_tbl_crossing_points, &lane, 1, 0, NULL, 10, ids, &next);
    assert_string_equal(ids, "cocnam-1104,lane-test,tanthanh-1090");
    assert_null(next);
    page(f, &lp_tbl_crossing_points, NULL, 0, 0, NULL, 2, ids, &next);
    assert_string_equal(ids, "cocnam-1104,huunghi-main");
    assert_string_equal(next, "huunghi-main");
    lp_free(next);
    page(f, &lp_tbl_crossing_points, NULL, 0, 0, "huunghi-main", 2, ids, &next);
    assert_string_equal(ids, "lane-test,road-1088");
    assert_string_equal(next, "road-1088");
    lp_free(next);
    page(f, &lp_tbl_crossing_points, NULL, 0, 0, "road-1088", 2, ids, &next);
    assert_string_equal(ids, "tanthanh-1090");
    assert_null(next);
    cJSON_Delete(p);
}

/* "id,id,..." of the vehicles id[k] for each digit k of which. */
static const char *idlist(char buf[512], const int64_t *id, const char *which)
{
    buf[0] = '\0';
    for (; *which; which++)
        snprintf(buf + strlen(buf), 512 - strlen(buf), "%s%" PRId64, buf[0] ? "," : "", id[*which - '0']);
    return buf;
}

/* Paging through one company's vehicles with filters. */
static void test_list_pages(void **state)
{
    static const char *const kinds[] = {"truck", "truck", "tractor", "truck", "van", "truck", "van"};
    lp_fx *f = *state;
    int64_t ca = company(f, "VN", "4900100001"), cb = company(f, "CN", "91451481"), id[7];
    char want[512], ids[512], cur[32], *next = NULL;
    lp_filter truck = {"kind", "truck"}, cn = {"plate_country", "CN"}, bad = {"nosuch", "1"}, own = {"company_id", cur};
    lp_filter both[2];
    cJSON *items = NULL;
    lp_err err;
    int i;

    for (i = 0; i < 7; i++) {
        cJSON *v = ins(f, &lp_tbl_vehicles, NULL,
                       lp_test_jf("{'company_id':%" PRId64 ",'kind':'%s','plate_country':'%s','plate':'P-%d'}",
                                  i < 5 ? ca : cb, kinds[i], i < 5 ? "VN" : "CN", i));
        id[i] = lp_test_jnum(v, "id");
        cJSON_Delete(v);
    }
    /* Company A's five, two at a time; the cursor is the last id of a page. */
    page(f, &lp_tbl_vehicles, NULL, 0, ca, NULL, 2, ids, &next);
    assert_string_equal(ids, idlist(want, id, "01"));
    assert_string_equal(next, idlist(cur, id, "1"));
    lp_free(next);
    page(f, &lp_tbl_vehicles, NULL, 0, ca, cur, 2, ids, &next);
    assert_string_equal(ids, idlist(want, id, "23"));
    assert_string_equal(next, idlist(cur, id, "3"));
    lp_free(next);
    page(f, &lp_tbl_vehicles, NULL, 0, ca, cur, 2, ids, &next);
    assert_string_equal(ids, idlist(want, id, "4"));
    assert_null(next);
    /* A page that ends exactly at the last record has no next. */
    page(f, &lp_tbl_vehicles, NULL, 0, cb, NULL, 2, ids, &next);
    assert_string_equal(ids, idlist(want, id, "56"));
    assert_null(next);

    page(f, &lp_tbl_vehicles, &truck, 1, ca, NULL, 10, ids, &next);
    assert_string_equal(ids, idlist(want, id, "013"));
    page(f, &lp_tbl_vehicles, &truck, 1, 0, NULL, 10, ids, &next);
    assert_string_equal(ids, idlist(want, id, "0135"));
    both[0] = truck;
    both[1] = cn;
    page(f, &lp_tbl_vehicles, both, 2, 0, NULL, 10, ids, &next);
    assert_string_equal(ids, idlist(want, id, "5"));
    page(f, &lp_tbl_vehicles, both, 2, ca, NULL, 10, ids, &next);
    assert_string_equal(ids, "");
    snprintf(cur, sizeof cur, "%" PRId64, cb);
    page(f, &lp_tbl_vehicles, &own, 1, 0, NULL, 10, ids, &next);
    assert_string_equal(ids, idlist(want, id, "56"));
    assert_null(next);

    lp_err_init(&err);
    assert_int_equal(lp_table_list(f->st, &lp_tbl_vehicles, &bad, 1, 0, NULL, 10, &items, &next, &err), LP_EINVAL);
    assert_null(items);
    assert_null(next);
}

/* Tokens -------------------------------------------------------------------- */

static int tok_create(lp_fx *f, lp_role role, int64_t company, char **secret, cJSON **out, lp_err *err)
{
    lp_err_init(err);
    return lp_tokens_create(f->st, &ADMIN, lp_role_name(role), role, company, secret, out, err);
}

static int tok_check(lp_fx *f, const char *secret, lp_principal *p)
{
    lp_err err;
    lp_err_init(&err);
    return lp_tokens_check(f->st, secret, p, &err);
}

/* Fails if any cell of table holds s. */
static void assert_nowhere(lp_fx *f, const char *table, const char *s)
{
    char sql[64];
    lp_db_res *r = NULL;
    lp_err err;
    int row, col;
    lp_err_init(&err);
    snprintf(sql, sizeof sql, "SELECT * FROM %s", table);
    assert_int_equal(lp_db_query(lp_store_db(f->st), sql, NULL, 0, &r, &err), 0);
    for (row = 0; row < lp_db_res_nrows(r); row++)
        for (col = 0; col < lp_db_res_ncols(r); col++)
            if (strstr(lp_db_res_text(r, row, col), s))
                fail_msg("%s.%s holds the token secret", table, lp_db_res_colname(r, col));
    lp_db_res_free(r);
}

static void test_tokens(void **state)
{
    lp_fx *f = *state;
    int64_t ca = company(f, "VN", "4900100001"), ev, admin_id = 0;
    char *secret[LP_ROLE__COUNT] = {NULL}, *s = NULL, bad[128], cid_json[32];
    cJSON *rec = NULL;
    lp_principal p;
    lp_err err;
    int r;

    for (r = LP_ROLE_OPERATOR; r < LP_ROLE__COUNT; r++) {
        int64_t cid = r == LP_ROLE_COMPANY ? ca : 0;
        snprintf(cid_json, sizeof cid_json, cid ? "%" PRId64 : "null", cid);
        assert_int_equal(tok_create(f, (lp_role)r, cid, &secret[r], &rec, &err), 0);
        assert_int_equal(strncmp(secret[r], "lp_", 3), 0);
        assert_int_equal(strlen(secret[r]), 3 + 43);
        assert_null(cJSON_GetObjectItem(rec, "hash"));
        lp_test_assert_json(
            rec, lp_test_jf("{'id':%" PRId64 ",'name':'%s','role':'%s','company_id':%s,'created_by':'tok:admin',"
                            "'revoked_at':null,'version':1,'created_at':'" T0S "','updated_at':'" T0S "'}",
                            lp_test_jnum(rec, "id"), lp_role_name((lp_role)r), lp_role_name((lp_role)r), cid_json));
        assert_int_equal(tok_check(f, secret[r], &p), 0);
        assert_int_equal(p.role, r);
        assert_int_equal(p.company_id, cid);
        assert_int_equal(p.token_id, lp_test_jnum(rec, "id"));
        assert_string_equal(p.name, lp_role_name((lp_role)r));
        if (r == LP_ROLE_ADMIN) admin_id = p.token_id;
        cJSON_Delete(rec);
        rec = NULL;
    }
    /* Stored as a hash only: not in the tokens table, not in the audit log. */
    for (r = LP_ROLE_OPERATOR; r < LP_ROLE__COUNT; r++) {
        assert_nowhere(f, "tokens", secret[r] + 3);
        assert_nowhere(f, "audit_events", secret[r] + 3);
    }

    /* Revoked: refused; revoking again keeps the first time. */
    f->fc.now = T1;
    lp_err_init(&err);
    assert_int_equal(lp_tokens_revoke(f->st, &ADMIN, admin_id, &rec, &err), 0);
    lp_test_assert_subset(rec, lp_test_jf("{'revoked_at':'" T1S "','version':2}"));
    cJSON_Delete(rec);
    assert_int_equal(tok_check(f, secret[LP_ROLE_ADMIN], &p), LP_EUNAUTH);
    f->fc.now = T1 + 1000;
    assert_int_equal(lp_tokens_revoke(f->st, &ADMIN, admin_id, &rec, &err), 0);
    lp_test_assert_subset(rec, lp_test_jf("{'revoked_at':'" T1S "','version':3}"));
    cJSON_Delete(rec);
    assert_int_equal(lp_tokens_revoke(f->st, &ADMIN, 999999, NULL, &err), LP_ENOTFOUND);
    assert_int_equal(tok_check(f, secret[LP_ROLE_OPERATOR], &p), 0);

    /* Malformed or altered secrets. */
    snprintf(bad, sizeof bad, "%s", secret[LP_ROLE_OPERATOR]);
    bad[10] = bad[10] == 'A' ? 'B' : 'A';
    assert_int_equal(tok_check(f, bad, &p), LP_EUNAUTH);
    assert_int_equal(p.role, LP_ROLE_NONE);
    assert_int_equal(tok_check(f, secret[LP_ROLE_OPERATOR] + 3, &p), LP_EUNAUTH);
    assert_int_equal(tok_check(f, "", &p), LP_EUNAUTH);
    assert_int_equal(tok_check(f, NULL, &p), LP_EUNAUTH);
    assert_int_equal(tok_check(f, "lp_", &p), LP_EUNAUTH);
    memset(bad, 'x', sizeof bad - 1);
    bad[sizeof bad - 1] = '\0';
    memcpy(bad, "lp_", 3);
    assert_int_equal(tok_check(f, bad, &p), LP_EUNAUTH);

    /* Bad role/company combinations write nothing. */
    ev = lp_fx_events(f);
    assert_int_equal(tok_create(f, LP_ROLE_COMPANY, 0, &s, NULL, &err), LP_EINVAL);
    assert_string_equal(err.fields[0].pointer, "/company_id");
    assert_int_equal(tok_create(f, LP_ROLE_OPERATOR, ca, &s, NULL, &err), LP_EINVAL);
    assert_int_equal(tok_create(f, LP_ROLE_NONE, 0, &s, NULL, &err), LP_EINVAL);
    assert_int_equal(tok_create(f, LP_ROLE_COMPANY, ca + 1000, &s, NULL, &err), LP_EINVAL);
    assert_int_equal(err.nfields, 1);
    assert_string_equal(err.fields[0].pointer, "/company_id");
    lp_err_init(&err);
    assert_int_equal(lp_tokens_create(f->st, &ADMIN, "x", LP_ROLE_COMPANY, ca + 1000, &s, NULL, NULL), LP_EINVAL);
    assert_null(s);
    assert_int_equal(lp_fx_scalar(f, "SELECT COUNT(*) FROM tokens"), LP_ROLE__COUNT - 1);
    assert_int_equal(lp_fx_events(f), ev);

    for (r = 0; r < LP_ROLE__COUNT; r++) lp_free(secret[r]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_migrate, setup_empty, lp_fx_teardown),
        cmocka_unit_test_setup_teardown(test_migrate_refuses_newer, setup_empty, lp_fx_teardown),
        cmocka_unit_test_setup_teardown(test_default_data, setup, lp_fx_teardown),
        cmocka_unit_test_setup_teardown(test_companies, setup, lp_fx_teardown),
        cmocka_unit_test_setup_teardown(test_vehicles_drivers, setup, lp_fx_teardown),
        cmocka_unit_test_setup_teardown(test_crossing_points, setup, lp_fx_teardown),
        cmocka_unit_test_setup_teardown(test_list_pages, setup, lp_fx_teardown),
        cmocka_unit_test_setup_teardown(test_tokens, setup, lp_fx_teardown),
    };
    return cmocka_run_group_tests_name(lp_test_backend_is_pg() ? "store (postgresql)" : "store (sqlite)", tests,
                                       NULL, NULL);
}
