/* test_events.c - what each role sees of an audit event (lp_events_view),
 * who gets an ephemeral event (lp_events_publish, on a hub in this process),
 * the webhook signature against a value computed elsewhere (Python's hmac),
 * and the retry delays (lp_dispatch_backoff). */
#include "testlib.h"
#include "storefx.h"
#include "net/dispatch.h"
#include "net/events.h"

#include "core/mem.h"
#include "net/http.h"
#include "store/resources.h"
#include "store/tokens.h"

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <event2/event.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

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

/* Ephemeral events: a hub and HTTP server in this process, three streams. */

typedef struct listener {
    int fd;
    char buf[8192];
    size_t len;
} listener;

static void listen_as(listener *l, int port, const char *token)
{
    struct sockaddr_in a;
    char req[512];
    memset(l, 0, sizeof *l);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    l->fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_int_equal(connect(l->fd, (struct sockaddr *)&a, sizeof a), 0);
    fcntl(l->fd, F_SETFL, O_NONBLOCK);
    snprintf(req, sizeof req, "GET /api/v1/events HTTP/1.0\r\nAuthorization: Bearer %s\r\n\r\n", token);
    assert_int_equal(write(l->fd, req, strlen(req)), (ssize_t)strlen(req));
}

/* Runs the loop a little and takes what each listener was sent. */
static void pump(struct event_base *base, listener *ls, int n)
{
    int i;
    event_base_loop(base, EVLOOP_NONBLOCK);
    usleep(2000);
    for (i = 0; i < n; i++) {
        ssize_t got = read(ls[i].fd, ls[i].buf + ls[i].len, sizeof ls[i].buf - ls[i].len - 1);
        if (got > 0) ls[i].len += (size_t)got;
        ls[i].buf[ls[i].len] = '\0';
    }
}

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (hay = strstr(hay, needle); hay; hay = strstr(hay + 1, needle)) n++;
    return n;
}

static char *token(lp_fx *f, lp_role role, int64_t company)
{
    static const lp_actor admin = {"test", LP_ROLE_ADMIN, 0, NULL};
    char *secret = NULL;
    lp_err err;
    lp_err_init(&err);
    assert_int_equal(lp_tokens_create(f->st, &admin, "t", role, company, &secret, NULL, &err), 0);
    return secret;
}

static void test_publish(void **state)
{
    static const lp_actor admin = {"test", LP_ROLE_ADMIN, 0, NULL};
    lp_fx *f = lp_fx_open("test_events", 1);
    struct event_base *base = event_base_new();
    lp_server_opts so = {.listen = "127.0.0.1:0"};
    lp_server *srv = NULL;
    lp_events *hub = NULL;
    listener ls[3];
    char *tok[3];
    int i;
    lp_err err;
    (void)state;

    lp_err_init(&err);
    for (i = 0; i < 2; i++) {
        char tax[16];
        cJSON *co;
        lp_test_vn_taxid(3, (unsigned)(500 + i), tax);
        co = lp_test_jf("{'name':'C%d','country':'VN','tax_id':'%s'}", i, tax);
        assert_int_equal(lp_table_insert(f->st, &lp_tbl_companies, &admin, NULL, co, NULL, &err), 0);
        cJSON_Delete(co);
    }
    tok[0] = token(f, LP_ROLE_OPERATOR, 0);
    tok[1] = token(f, LP_ROLE_COMPANY, 1);
    tok[2] = token(f, LP_ROLE_COMPANY, 2);
    assert_int_equal(lp_server_create(base, f->st, &so, &srv, &err), 0);
    assert_int_equal(lp_events_create(base, f->st, NULL, &hub, &err), 0);
    lp_server_set_events(srv, hub);
    for (i = 0; i < 3; i++) listen_as(&ls[i], lp_server_port(srv), tok[i]);
    for (i = 0; i < 5000 && lp_events_clients(hub) < 3; i++) pump(base, ls, 3);
    assert_int_equal(lp_events_clients(hub), 3);

    lp_events_publish(hub, "agv.position", 1, lp_test_jf("{'agv':'AGV-01','x':12}"));
    lp_events_publish(hub, "agv.position", 0, lp_test_jf("{'agv':'AGV-02','x':3}"));
    for (i = 0; i < 5000 && count(ls[0].buf, "event: agv.position") < 2; i++) pump(base, ls, 3);
    /* Staff: both, with the company; no id line (not resumable), the id in the data. */
    assert_int_equal(count(ls[0].buf, "event: agv.position"), 2);
    assert_int_equal(count(ls[0].buf, "id: "), 0);
    assert_non_null(strstr(ls[0].buf, "\"id\":\"e-1\",\"type\":\"agv.position\",\"data\":{\"agv\":\"AGV-01\",\"x\":12},"
                                      "\"company_id\":1}"));
    /* Company 1: its own, without company_id; company 2: nothing. */
    for (i = 0; i < 50; i++) pump(base, ls, 3);
    assert_int_equal(count(ls[1].buf, "event: agv.position"), 1);
    assert_non_null(strstr(ls[1].buf, "\"id\":\"e-1\",\"type\":\"agv.position\",\"data\":{\"agv\":\"AGV-01\",\"x\":12}}"));
    assert_int_equal(count(ls[2].buf, "agv.position"), 0);
    assert_non_null(strstr(ls[2].buf, "200 OK"));

    lp_events_destroy(hub);
    lp_server_destroy(srv);
    event_base_free(base);
    for (i = 0; i < 3; i++) {
        close(ls[i].fd);
        lp_free(tok[i]);
    }
    lp_fx_close(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_staff_see_everything),
        cmocka_unit_test(test_company_sees_own_redacted),
        cmocka_unit_test(test_partner_sees_handovers),
        cmocka_unit_test(test_signature_and_backoff),
        cmocka_unit_test(test_publish),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
