/* test_events.c - what each role sees of an audit event (lp_events_view),
 * the webhook signature against a value computed elsewhere (Python's hmac),
 * and the retry delays (lp_dispatch_backoff). */
#include "testlib.h"
#include "storefx.h"
#include "net/dispatch.h"
#include "net/events.h"

#include <cjson/cJSON.h>
#include <string.h>

static cJSON *decl_event(long company)
{
    return lp_test_jf("{'seq':7,'ts':'2026-11-23T10:00:00.000Z','actor':'op','role':'operator','company_id':%ld,"
                      "'action':'declaration.channel','object_type':'declaration','object_id':'12',"
                      "'before':{'status':'filed','channel':null},"
                      "'after':{'status':'cleared','channel':'yellow','risk':{'score':812,'rules':['r1']},"
                      "'value':1000000,'bay':'B-04','position':3}}",
                      company);
}

static void test_staff_see_everything(void **state)
{
    cJSON *ev = decl_event(5), *v;
    lp_role staff[] = {LP_ROLE_OPERATOR, LP_ROLE_CUSTOMS, LP_ROLE_BORDER_GUARD, LP_ROLE_QUARANTINE, LP_ROLE_ADMIN};
    size_t i;
    (void)state;
    for (i = 0; i < sizeof staff / sizeof staff[0]; i++) {
        v = lp_events_view(ev, staff[i], 0);
        assert_non_null(v);
        assert_int_equal(lp_test_jnum(v, "company_id"), 5);
        assert_int_equal(lp_test_jnum(cJSON_GetObjectItem(cJSON_GetObjectItem(v, "after"), "risk"), "score"), 812);
        assert_non_null(cJSON_GetObjectItem(v, "before"));
        cJSON_Delete(v);
    }
    cJSON_Delete(ev);
}

static void test_company_sees_own_redacted(void **state)
{
    cJSON *ev = decl_event(5), *v;
    (void)state;
    assert_null(lp_events_view(ev, LP_ROLE_COMPANY, 6));
    assert_null(lp_events_view(ev, LP_ROLE_COMPANY, 0));
    v = lp_events_view(ev, LP_ROLE_COMPANY, 5);
    lp_test_assert_json(v, lp_test_jf("{'seq':7,'ts':'2026-11-23T10:00:00.000Z','action':'declaration.channel',"
                                      "'object_type':'declaration','object_id':'12',"
                                      "'data':{'status':'cleared','position':3,'bay':'B-04','channel':'yellow'}}"));
    cJSON_Delete(v);
    cJSON_Delete(ev);
}

static void test_partner_sees_handovers(void **state)
{
    cJSON *exit_ev = lp_test_jf("{'seq':9,'ts':'t','company_id':5,'action':'crossing.update','object_type':'crossing',"
                                "'object_id':'3','before':{'exit_at':null},"
                                "'after':{'exit_at':'2026-11-23T10:00:00.000Z','handover':{'format':'landport.handover.v1'},"
                                "'risk':{'score':1}}}");
    cJSON *later = lp_test_jf("{'seq':10,'ts':'t','company_id':5,'action':'crossing.update','object_type':'crossing',"
                              "'object_id':'3','before':{'exit_at':'x'},'after':{'exit_at':'x'}}");
    cJSON *decl = decl_event(5), *v;
    (void)state;
    v = lp_events_view(exit_ev, LP_ROLE_PARTNER, 0);
    lp_test_assert_json(v, lp_test_jf("{'seq':9,'ts':'t','action':'crossing.update','object_type':'crossing',"
                                      "'object_id':'3','handover':{'format':'landport.handover.v1'}}"));
    cJSON_Delete(v);
    assert_null(lp_events_view(later, LP_ROLE_PARTNER, 0));
    assert_null(lp_events_view(decl, LP_ROLE_PARTNER, 0));
    assert_null(lp_events_view(decl, LP_ROLE_DEVICE, 0));
    assert_null(lp_events_view(decl, LP_ROLE_NONE, 0));
    cJSON_Delete(exit_ev);
    cJSON_Delete(later);
    cJSON_Delete(decl);
}

static void test_signature_and_backoff(void **state)
{
    char sig[128];
    (void)state;
    /* python3: hmac.new(b'whsec_test', b'1700000000.{"a":1}', hashlib.sha256).hexdigest() */
    lp_dispatch_sign("whsec_test", 1700000000, "{\"a\":1}", 7, sig, sizeof sig);
    assert_string_equal(sig, "t=1700000000,v1=38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789");
    assert_int_equal(lp_dispatch_backoff(30000, 4, 1, 1.0), 30000);
    assert_int_equal(lp_dispatch_backoff(30000, 4, 2, 1.0), 120000);
    assert_int_equal(lp_dispatch_backoff(30000, 4, 3, 1.0), 480000);
    assert_int_equal(lp_dispatch_backoff(30000, 4, 30, 1.0), 24LL * 3600 * 1000);
    assert_int_equal(lp_dispatch_backoff(1000, 2, 2, 0.75), 1500);
    assert_int_equal(lp_dispatch_backoff(1000, 2, 2, 1.2), 2400);
    assert_int_equal(lp_dispatch_backoff(1000, 2, 2, 7.0), 2000); /* out of range: no jitter */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_staff_see_everything),
        cmocka_unit_test(test_company_sees_own_redacted),
        cmocka_unit_test(test_partner_sees_handovers),
        cmocka_unit_test(test_signature_and_backoff),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
