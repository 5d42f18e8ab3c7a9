/* test_webhooks.c - the store side of webhooks on SQLite and PostgreSQL:
 * the secret apart from the record, the dispatcher's cursor moved once
 * (a second node's move is stale), a delivery per event and webhook, the
 * lease that keeps two nodes from sending one delivery, the recorded
 * outcome and the log, and removal with the log. */
#include "testlib.h"
#include "storefx.h"
#include "store/resources.h"
#include "store/webhooks.h"

#include <string.h>

static const lp_actor admin = {"test", LP_ROLE_ADMIN, 0, NULL};

static int setup(void **state)
{
    lp_fx *f = lp_fx_open("test_webhooks", 1);
    cJSON *co = lp_test_jf("{'name':'A','country':'VN','tax_id':'0100109106'}");
    lp_err err;
    *state = f;
    lp_err_init(&err);
    assert_int_equal(lp_table_insert(f->st, &lp_tbl_companies, &admin, NULL, co, NULL, &err), 0);
    cJSON_Delete(co);
    return 0;
}

static void test_lifecycle(void **state)
{
    lp_fx *f = *state;
    char secret[LP_WEBHOOK_SECRET_LEN];
    cJSON *vals = lp_test_jf("{'company_id':1,'url':'https://example.com/h','actions':[],'object_types':[],'active':true}");
    cJSON *rec = NULL, *items = NULL, *d = NULL;
    int64_t cur = 0, id = 0, at = 0, next = 0;
    lp_webhook_settings ws;
    lp_err err;

    lp_err_init(&err);
    assert_int_equal(lp_webhooks_settings_get(f->st, &ws, &err), 0);
    assert_int_equal(ws.retry_base_ms, 30000);
    assert_int_equal(ws.max_attempts, 8);
    assert_int_equal(lp_webhooks_create(f->st, &admin, vals, &rec, secret, &err), 0);
    assert_int_equal(strlen(secret), 6 + 64);
    assert_int_equal(strncmp(secret, "whsec_", 6), 0);
    assert_null(cJSON_GetObjectItem(rec, "secret"));
    assert_int_equal(lp_fx_scalar(f, "SELECT COUNT(*) FROM audit_events WHERE action = 'webhook.create'"), 1);

    /* The cursor: one move from the value read; a second from the same is stale. */
    assert_int_equal(lp_webhooks_cursor(f->st, &cur, &err), 0);
    assert_int_equal(lp_webhooks_cursor_advance(f->st, cur, cur + 1, &err), 0);
    assert_int_equal(lp_webhooks_cursor_advance(f->st, cur, cur + 1, &err), LP_ESTALE);
    lp_err_init(&err); /* the first error is kept: start afresh */

    assert_int_equal(lp_webhooks_active(f->st, &items, &err), 0);
    assert_int_equal(cJSON_GetArraySize(items), 1);
    assert_int_equal(lp_test_jnum(cJSON_GetArrayItem(items, 0), "from_seq"), lp_fx_events(f));
    cJSON_Delete(items);

    /* One delivery per event and webhook. */
    assert_int_equal(lp_webhooks_enqueue(f->st, lp_test_jnum(rec, "id"), 1, 99, "x.update", "{}", &id, &err), 0);
    assert_int_equal(lp_webhooks_enqueue(f->st, lp_test_jnum(rec, "id"), 1, 99, "x.update", "{}", NULL, &err),
                     LP_ECONFLICT);
    lp_err_init(&err);
    assert_int_equal(lp_webhooks_next_due(f->st, &at, &err), 0);
    assert_int_equal(at, LP_FX_T0);
    assert_int_equal(lp_webhooks_due(f->st, LP_FX_T0, 10, &items, &err), 0);
    assert_int_equal(cJSON_GetArraySize(items), 1);
    assert_string_equal(lp_json_str(cJSON_GetArrayItem(items, 0), "secret"), secret);
    cJSON_Delete(items);
    /* The lease: a second node's claim of the same attempt is stale. */
    assert_int_equal(lp_webhooks_claim(f->st, id, LP_FX_T0, LP_FX_T0 + 15000, &err), 0);
    assert_int_equal(lp_webhooks_claim(f->st, id, LP_FX_T0, LP_FX_T0 + 15000, &err), LP_ESTALE);
    lp_err_init(&err);
    assert_int_equal(lp_webhooks_due(f->st, LP_FX_T0, 10, &items, &err), 0);
    assert_int_equal(cJSON_GetArraySize(items), 0);
    cJSON_Delete(items);

    assert_int_equal(lp_webhooks_record(f->st, id, 1, "pending", 503, "the receiver answered HTTP 503",
                                        LP_FX_T0 + 30000, &err), 0);
    assert_int_equal(lp_webhooks_deliveries(f->st, lp_test_jnum(rec, "id"), 0, 10, &items, &next, &err), 0);
    assert_int_equal(next, 0);
    lp_test_assert_subset(cJSON_GetArrayItem(items, 0),
                          lp_test_jf("{'status':'pending','attempts':1,'last_status':503,'event_seq':99,"
                                     "'last_error':'the receiver answered HTTP 503','body':{}}"));
    cJSON_Delete(items);
    assert_int_equal(lp_webhooks_record(f->st, id, 2, "delivered", 200, NULL, LP_FX_T0, &err), 0);
    assert_int_equal(lp_webhooks_delivery_get(f->st, lp_test_jnum(rec, "id"), id, &d, &err), 0);
    lp_test_assert_subset(d, lp_test_jf("{'status':'delivered','attempts':2,'last_status':200,'last_error':null}"));
    cJSON_Delete(d);

    /* Removal takes the secret and the log along, audited. */
    {
        char ids[32];
        assert_int_equal(lp_webhooks_delete(f->st, &admin, lp_test_idof(rec, ids), 2, NULL, &err), LP_ENOTFOUND);
        lp_err_init(&err);
        assert_int_equal(lp_webhooks_delete(f->st, &admin, ids, 1, NULL, &err), 0);
    }
    assert_int_equal(lp_fx_scalar(f, "SELECT COUNT(*) FROM webhook_deliveries"), 0);
    assert_int_equal(lp_fx_scalar(f, "SELECT COUNT(*) FROM webhook_secrets"), 0);
    assert_int_equal(lp_fx_scalar(f, "SELECT COUNT(*) FROM audit_events WHERE action = 'webhook.delete'"), 1);
    cJSON_Delete(rec);
    cJSON_Delete(vals);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_lifecycle, setup, lp_fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
