/* test_clearance.c - the store side of smart clearance (src/store/clearance.c):
 * the settings rows as structs, the enabled risk rules and the policy as the
 * risk engine takes them, and the declaration status that follows from the
 * agency tasks (pending, held, rejected, cleared; the crossing record's
 * cleared_at; states owned by other steps left alone; nesting in a caller's
 * transaction).  Runs on the backend LANDPORT_TEST_BACKEND names (ctest:
 * test_clearance on SQLite, test_clearance_pg on PostgreSQL) with a fake clock.
 * Declarations and tasks are inserted directly with lp_table_insert. */
#include "storefx.h"
#include "core/mem.h"
#include "store/clearance.h"
#include "store/resources.h"
#include "store/table.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T1 (LP_FX_T0 + 3600000)

static int setup(void **state)
{
    *state = lp_fx_open("clearance", 1);
    return 0;
}

static const lp_actor ADMIN = {"tok:admin", LP_ROLE_ADMIN, 0, NULL};
static const lp_actor OFFICER = {"tok:customs-1", LP_ROLE_CUSTOMS, 0, "documents checked"};

/* Helpers ------------------------------------------------------------------- */

/* Inserts values (taken) into t; returns the new id. */
static int64_t ins(lp_fx *f, const lp_table *t, const char *text_id, cJSON *values)
{
    cJSON *out = NULL;
    int64_t id;
    lp_err err;
    lp_err_init(&err);
    if (lp_table_insert(f->st, t, &ADMIN, text_id, values, &out, &err)) fail_msg("insert into %s: %s", t->name, err.msg);
    cJSON_Delete(values);
    id = text_id ? 0 : lp_test_jnum(out, "id");
    cJSON_Delete(out);
    return id;
}

static void upd(lp_fx *f, const lp_table *t, int64_t id, cJSON *patch)
{
    char ids[32];
    lp_err err;
    lp_err_init(&err);
    snprintf(ids, sizeof ids, "%" PRId64, id);
    if (lp_table_update(f->st, t, &ADMIN, ids, 0, -1, NULL, patch, NULL, &err))
        fail_msg("update %s/%s: %s", t->name, ids, err.msg);
    cJSON_Delete(patch);
}

static int64_t company(lp_fx *f)
{
    return ins(f, &lp_tbl_companies, NULL, lp_test_jf("{'name':'Bảo Nguyên','country':'VN','tax_id':'0100109106'}"));
}

/* A filed declaration of company in status, with its crossing record. */
static int64_t declaration(lp_fx *f, int64_t company_id, const char *number, const char *status)
{
    int64_t id = ins(
        f, &lp_tbl_declarations, NULL,
        lp_test_jf("{'company_id':%" PRId64 ",'number':'%s','direction':'export','crossing_point_id':'road-1088',"
                   "'transport':'truck','vehicle_plate':'29C-123.45','expected_arrival':%" PRId64 ",'currency':'VND',"
                   "'containers':[],'goods':[{'hs_code':'08109010'}],'totals':{'packages':1},'status':'%s',"
                   "'channel':'yellow','channel_source':'risk','risk_seed':'42','risk_algo':1,'risk':{},"
                   "'needs_quarantine':true,'valid_until':%" PRId64 "}",
                   company_id, number, LP_FX_T0 + 86400000, status, LP_FX_T0 + 3 * 86400000));
    ins(f, &lp_tbl_crossings, NULL,
        lp_test_jf("{'declaration_id':%" PRId64 ",'company_id':%" PRId64 ",'crossing_point_id':'road-1088',"
                   "'direction':'export','channel':'yellow','filed_at':%" PRId64 "}",
                   id, company_id, LP_FX_T0));
    return id;
}

static int64_t task(lp_fx *f, int64_t decl, int64_t company_id, const char *agency, const char *kind,
                    const char *state)
{
    return ins(f, &lp_tbl_tasks, NULL,
               lp_test_jf("{'declaration_id':%" PRId64 ",'company_id':%" PRId64 ",'agency':'%s','kind':'%s',"
                          "'state':'%s','details':{}}",
                          decl, company_id, agency, kind, state));
}

static void set_state(lp_fx *f, int64_t task_id, const char *state)
{
    upd(f, &lp_tbl_tasks, task_id, lp_test_jf("{'state':'%s'}", state));
}

/* Refreshes decl as OFFICER and asserts the status it reports and stores. */
static void refresh_expect(lp_fx *f, int64_t decl, const char *want)
{
    cJSON *out = NULL;
    char sql[128];
    lp_err err;
    lp_err_init(&err);
    if (lp_clearance_refresh(f->st, &OFFICER, decl, &out, &err)) fail_msg("refresh: %s", err.msg);
    assert_non_null(out);
    assert_int_equal(lp_test_jnum(out, "id"), decl);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(out, "status")), want);
    cJSON_Delete(out);
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM declarations WHERE id = %" PRId64 " AND status = '%s'", decl, want);
    assert_int_equal(lp_fx_scalar(f, sql), 1);
}

static int64_t status_events(lp_fx *f)
{
    return lp_fx_scalar(f, "SELECT COUNT(*) FROM audit_events WHERE action = 'declaration.status'");
}

static int cleared_at_null(lp_fx *f, int64_t decl)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM crossings WHERE declaration_id = %" PRId64 " AND cleared_at IS NULL",
             decl);
    return lp_fx_scalar(f, sql) == 1;
}

/* Settings ------------------------------------------------------------------ */

static void test_settings_defaults(void **state)
{
    lp_fx *f = *state;
    lp_clearance_settings s;
    lp_err err;
    lp_err_init(&err);
    memset(&s, 0xff, sizeof s);
    assert_int_equal(lp_clearance_settings_get(f->st, &s, &err), LP_OK);
    assert_int_equal(s.validity_hours, 72);
    assert_int_equal(s.weight_tol_permille, 20);
    assert_int_equal(s.weight_tol_g, 200000);
    assert_int_equal(s.min_plate_confidence, 900);
    assert_int_equal(s.min_ocr_confidence, 850);
    assert_int_equal(s.weight_required, 0);
}

static void set_clearance(lp_fx *f, const char *value_json)
{
    lp_err err;
    cJSON *patch = lp_test_jf("{'value':%s}", value_json);
    lp_err_init(&err);
    if (lp_table_update(f->st, &lp_tbl_settings, &ADMIN, "clearance", 0, -1, NULL, patch, NULL, &err))
        fail_msg("update settings: %s", err.msg);
    cJSON_Delete(patch);
}

static void test_settings_changed_and_damaged(void **state)
{
    lp_fx *f = *state;
    lp_clearance_settings s;
    lp_err err;

    /* A changed row is read as it is; a member it lacks takes its default. */
    set_clearance(f, "{'declaration_validity_hours':24,'weight_tolerance_permille':0,'weight_tolerance_g':5000000,"
                     "'min_plate_confidence':1000,'weight_required':true}");
    lp_err_init(&err);
    assert_int_equal(lp_clearance_settings_get(f->st, &s, &err), LP_OK);
    assert_int_equal(s.validity_hours, 24);
    assert_int_equal(s.weight_tol_permille, 0);
    assert_int_equal(s.weight_tol_g, 5000000);
    assert_int_equal(s.min_plate_confidence, 1000);
    assert_int_equal(s.min_ocr_confidence, 850);
    assert_int_equal(s.weight_required, 1);

    /* A damaged row is an error naming the member, never a guess. */
    set_clearance(f, "{'declaration_validity_hours':'72'}");
    lp_err_init(&err);
    assert_int_equal(lp_clearance_settings_get(f->st, &s, &err), LP_ESTORE);
    assert_non_null(strstr(err.msg, "declaration_validity_hours"));
    set_clearance(f, "{'min_ocr_confidence':1001}");
    lp_err_init(&err);
    assert_int_equal(lp_clearance_settings_get(f->st, &s, &err), LP_ESTORE);
    assert_non_null(strstr(err.msg, "min_ocr_confidence"));
    set_clearance(f, "{'weight_required':1}");
    lp_err_init(&err);
    assert_int_equal(lp_clearance_settings_get(f->st, &s, &err), LP_ESTORE);
    assert_non_null(strstr(err.msg, "weight_required"));
    set_clearance(f, "[]");
    lp_err_init(&err);
    assert_int_equal(lp_clearance_settings_get(f->st, &s, &err), LP_ESTORE);

    lp_fx_exec(f, "DELETE FROM settings WHERE id = 'clearance'");
    lp_err_init(&err);
    assert_int_equal(lp_clearance_settings_get(f->st, &s, &err), LP_ESTORE);
    assert_non_null(strstr(err.msg, "clearance"));
}

/* Risk rules ---------------------------------------------------------------- */

static void set_policy(lp_fx *f, const char *value_json)
{
    lp_err err;
    cJSON *patch = lp_test_jf("{'value':%s}", value_json);
    lp_err_init(&err);
    if (lp_table_update(f->st, &lp_tbl_settings, &ADMIN, "risk_policy", 0, -1, NULL, patch, NULL, &err))
        fail_msg("update settings: %s", err.msg);
    cJSON_Delete(patch);
}

static void test_risk_load(void **state)
{
    lp_fx *f = *state;
    lp_risk_rule *rules = NULL;
    lp_risk_policy pol = {-1, -1};
    int n = -1;
    int64_t fruit, any, comp = company(f);
    lp_err err;

    /* None yet: an empty set and the seeded policy. */
    lp_err_init(&err);
    assert_int_equal(lp_clearance_risk_load(f->st, &rules, &n, &pol, &err), LP_OK);
    assert_int_equal(n, 0);
    assert_int_equal(pol.min_yellow_permille, 296);
    assert_int_equal(pol.min_red_permille, 34);
    lp_free(rules);

    fruit = ins(f, &lp_tbl_risk_rules, NULL,
                lp_test_jf("{'name':'fresh fruit from CN','enabled':true,'hs_prefix':'0810','origin':'CN',"
                           "'company_id':%" PRId64 ",'direction':'import','crossing_point_id':'road-1088',"
                           "'min_vnd_per_kg':1000,'max_vnd_per_kg':20000,'channel':'red','probability':300}",
                           comp));
    ins(f, &lp_tbl_risk_rules, NULL, lp_test_jf("{'name':'switched off','enabled':false,'channel':'red','probability':1000}"));
    any = ins(f, &lp_tbl_risk_rules, NULL,
              lp_test_jf("{'name':'Kiểm tra hồ sơ','enabled':true,'hs_prefix':null,'origin':null,'company_id':null,"
                         "'direction':null,'crossing_point_id':null,'min_vnd_per_kg':null,'max_vnd_per_kg':null,"
                         "'channel':'yellow','probability':50}"));
    set_policy(f, "{'min_yellow_permille':100,'min_red_permille':0}");

    rules = NULL;
    lp_err_init(&err);
    assert_int_equal(lp_clearance_risk_load(f->st, &rules, &n, &pol, &err), LP_OK);
    assert_int_equal(pol.min_yellow_permille, 100);
    assert_int_equal(pol.min_red_permille, 0);
    assert_int_equal(n, 2); /* the disabled rule is left out */

    assert_int_equal(rules[0].id, fruit);
    assert_string_equal(rules[0].name, "fresh fruit from CN");
    assert_int_equal(rules[0].enabled, 1);
    assert_string_equal(rules[0].hs_prefix, "0810");
    assert_string_equal(rules[0].origin, "CN");
    assert_int_equal(rules[0].company_id, comp);
    assert_int_equal(rules[0].direction, LP_RISK_IMPORT);
    assert_string_equal(rules[0].crossing_point_id, "road-1088");
    assert_int_equal(rules[0].min_vnd_per_kg, 1000);
    assert_int_equal(rules[0].max_vnd_per_kg, 20000);
    assert_int_equal(rules[0].channel, LP_RISK_RED);
    assert_int_equal(rules[0].probability, 300);

    /* Absent conditions read as "any". */
    assert_int_equal(rules[1].id, any);
    assert_string_equal(rules[1].name, "Kiểm tra hồ sơ");
    assert_string_equal(rules[1].hs_prefix, "");
    assert_string_equal(rules[1].origin, "");
    assert_int_equal(rules[1].company_id, 0);
    assert_int_equal(rules[1].direction, LP_RISK_DIR_ANY);
    assert_string_equal(rules[1].crossing_point_id, "");
    assert_int_equal(rules[1].min_vnd_per_kg, LP_RISK_NO_BOUND);
    assert_int_equal(rules[1].max_vnd_per_kg, LP_RISK_NO_BOUND);
    assert_int_equal(rules[1].channel, LP_RISK_YELLOW);
    assert_int_equal(rules[1].probability, 50);

    /* What the store hands over is what the engine accepts. */
    assert_int_equal(lp_risk_rule_check(&rules[0], NULL), LP_OK);
    assert_int_equal(lp_risk_rule_check(&rules[1], NULL), LP_OK);
    assert_int_equal(lp_risk_policy_check(&pol, NULL), LP_OK);
    lp_free(rules);
}

/* A rule damaged in the database is handed over so that the engine refuses
 * it (and fails closed), never shortened into a wider condition. */
static void test_risk_load_damaged(void **state)
{
    lp_fx *f = *state;
    lp_risk_rule *rules = NULL;
    lp_risk_policy pol;
    int n = 0;
    lp_err err;

    ins(f, &lp_tbl_risk_rules, NULL,
        lp_test_jf("{'name':'too long a prefix','enabled':true,'hs_prefix':'081090101234','channel':'red','probability':10}"));
    ins(f, &lp_tbl_risk_rules, NULL,
        lp_test_jf("{'name':'green?','enabled':true,'direction':'sideways','channel':'green','probability':10}"));
    lp_err_init(&err);
    assert_int_equal(lp_clearance_risk_load(f->st, &rules, &n, &pol, &err), LP_OK);
    assert_int_equal(n, 2);
    lp_err_init(&err);
    assert_int_equal(lp_risk_rule_check(&rules[0], &err), LP_EINVAL);
    assert_string_equal(err.fields[0].pointer, "/hs_prefix");
    lp_err_init(&err);
    assert_int_equal(lp_risk_rule_check(&rules[1], &err), LP_EINVAL);
    assert_int_equal(err.nfields, 2);
    assert_string_equal(err.fields[0].pointer, "/direction");
    assert_string_equal(err.fields[1].pointer, "/channel");
    lp_free(rules);

    /* A policy row without its members is an error. */
    set_policy(f, "{'min_yellow_permille':100}");
    rules = NULL;
    lp_err_init(&err);
    assert_int_equal(lp_clearance_risk_load(f->st, &rules, &n, &pol, &err), LP_ESTORE);
    assert_null(rules);
    assert_int_equal(n, 0);
}

/* Status ------------------------------------------------------------------- */

static void test_refresh_transitions(void **state)
{
    lp_fx *f = *state;
    int64_t comp = company(f), decl = declaration(f, comp, "300000000001", "pending");
    int64_t docs, vd, quar, exc, events;
    char sql[256];

    /* No task at all: not cleared. */
    refresh_expect(f, decl, "pending");
    assert_int_equal(status_events(f), 0);

    docs = task(f, decl, comp, "customs", "document_check", "pending");
    vd = task(f, decl, comp, "border_guard", "vehicle_driver_check", "approved");
    quar = task(f, decl, comp, "quarantine", "quarantine_check", "pending");
    refresh_expect(f, decl, "pending");
    assert_int_equal(status_events(f), 0); /* unchanged: nothing written */

    /* A hold holds the declaration; who and why go into the event. */
    set_state(f, docs, "hold");
    f->fc.now = T1;
    refresh_expect(f, decl, "held");
    assert_int_equal(status_events(f), 1);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM audit_events WHERE action = 'declaration.status' AND actor = 'tok:customs-1'"
             " AND role = 'customs' AND reason = 'documents checked' AND object_id = '%" PRId64 "'",
             decl);
    assert_int_equal(lp_fx_scalar(f, sql), 1);

    /* Approved by customs, quarantine still to decide. */
    set_state(f, docs, "approved");
    refresh_expect(f, decl, "pending");
    assert_true(cleared_at_null(f, decl));

    /* Every task approved: cleared, and the crossing record says when. */
    set_state(f, quar, "approved");
    f->fc.now = T1 + 1000;
    refresh_expect(f, decl, "cleared");
    snprintf(sql, sizeof sql, "SELECT cleared_at FROM crossings WHERE declaration_id = %" PRId64, decl);
    assert_int_equal(lp_fx_scalar(f, sql), T1 + 1000);
    assert_int_equal(lp_fx_scalar(f, "SELECT COUNT(*) FROM audit_events WHERE action = 'crossing.cleared'"), 1);
    events = lp_fx_events(f);
    refresh_expect(f, decl, "cleared"); /* idempotent */
    assert_int_equal(lp_fx_events(f), events);

    /* An exception opened at the gate takes the clearance back until decided. */
    exc = task(f, decl, comp, "customs", "gate_exception", "pending");
    refresh_expect(f, decl, "pending");
    assert_true(cleared_at_null(f, decl));
    set_state(f, exc, "approved");
    refresh_expect(f, decl, "cleared");
    assert_false(cleared_at_null(f, decl));

    /* A rejection outweighs everything, a hold included. */
    set_state(f, vd, "rejected");
    set_state(f, docs, "hold");
    refresh_expect(f, decl, "rejected");
    assert_true(cleared_at_null(f, decl));
    assert_int_equal(status_events(f), 6); /* held, pending, cleared, pending, cleared, rejected */
}

/* gate_open, exited, cancelled and expired belong to other steps. */
static void test_refresh_leaves_other_states(void **state)
{
    lp_fx *f = *state;
    static const char *const owned[] = {"gate_open", "exited", "cancelled", "expired"};
    int64_t comp = company(f);
    size_t i;

    for (i = 0; i < sizeof owned / sizeof owned[0]; i++) {
        char number[32];
        int64_t decl, t1;
        snprintf(number, sizeof number, "30000000010%zu", i);
        decl = declaration(f, comp, number, owned[i]);
        t1 = task(f, decl, comp, "customs", "document_check", "approved");
        refresh_expect(f, decl, owned[i]);
        set_state(f, t1, "rejected");
        refresh_expect(f, decl, owned[i]);
    }
    assert_int_equal(status_events(f), 0);
}

static void test_refresh_in_callers_transaction(void **state)
{
    lp_fx *f = *state;
    int64_t comp = company(f), decl = declaration(f, comp, "300000000201", "pending");
    int64_t t1 = task(f, decl, comp, "customs", "risk_release", "approved");
    cJSON *out = NULL;
    lp_err err;

    /* Rolled back by the caller: nothing of it stays. */
    lp_err_init(&err);
    assert_int_equal(lp_store_begin(f->st, &err), LP_OK);
    assert_int_equal(lp_clearance_refresh(f->st, &OFFICER, decl, &out, &err), LP_OK);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(out, "status")), "cleared");
    cJSON_Delete(out);
    lp_store_rollback(f->st);
    assert_int_equal(lp_fx_scalar(f, "SELECT COUNT(*) FROM declarations WHERE status = 'pending'"), 1);
    assert_true(cleared_at_null(f, decl));
    assert_int_equal(status_events(f), 0);

    /* Committed by the caller, with the caller's own change. */
    lp_err_init(&err);
    assert_int_equal(lp_store_begin(f->st, &err), LP_OK);
    set_state(f, t1, "hold");
    assert_int_equal(lp_clearance_refresh(f->st, &OFFICER, decl, NULL, &err), LP_OK);
    assert_int_equal(lp_store_commit(f->st, &err), LP_OK);
    assert_int_equal(lp_fx_scalar(f, "SELECT COUNT(*) FROM declarations WHERE status = 'held'"), 1);
    assert_int_equal(status_events(f), 1);
    assert_int_equal(err.code, 0);
}

static void test_refresh_unknown(void **state)
{
    lp_fx *f = *state;
    cJSON *out = (cJSON *)&out;
    lp_err err;
    lp_err_init(&err);
    assert_int_equal(lp_clearance_refresh(f->st, &OFFICER, 424242, &out, &err), LP_ENOTFOUND);
    assert_null(out);
    /* Nothing is left open: a new transaction starts and commits. */
    lp_err_init(&err);
    assert_int_equal(lp_store_begin(f->st, &err), LP_OK);
    assert_int_equal(lp_store_commit(f->st, &err), LP_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_settings_defaults, setup, lp_fx_teardown),
        cmocka_unit_test_setup_teardown(test_settings_changed_and_damaged, setup, lp_fx_teardown),
        cmocka_unit_test_setup_teardown(test_risk_load, setup, lp_fx_teardown),
        cmocka_unit_test_setup_teardown(test_risk_load_damaged, setup, lp_fx_teardown),
        cmocka_unit_test_setup_teardown(test_refresh_transitions, setup, lp_fx_teardown),
        cmocka_unit_test_setup_teardown(test_refresh_leaves_other_states, setup, lp_fx_teardown),
        cmocka_unit_test_setup_teardown(test_refresh_in_callers_transaction, setup, lp_fx_teardown),
        cmocka_unit_test_setup_teardown(test_refresh_unknown, setup, lp_fx_teardown),
    };
    return cmocka_run_group_tests_name(lp_test_backend_is_pg() ? "clearance (postgresql)" : "clearance (sqlite)",
                                       tests, NULL, NULL);
}
