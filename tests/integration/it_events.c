/* it_events.c - the live event stream (GET /api/v1/events) against the real
 * landport binary: who may open it (device 403, no token 401), what each role
 * sees (the operator an event of company B with before/after; company A only
 * its own events, redacted; the partner no company events), exact resume with
 * Last-Event-ID and ?after=, the types/actions filters, and the cap on
 * streams (503).  The client is a plain socket speaking HTTP/1.0, so the
 * stream comes without chunked framing. */
#include "testlib.h"

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define WAIT_MS 20000 /* bound on waiting for an event */

#include "sse_client.inc"

/* Context ----------------------------------------------------------------------- */

typedef struct ctx {
    lp_test_group g; /* first: the server and an operator token */
    long company_a, company_b;
    char *tok_a, *partner, *device;
    int seq;
} ctx;

static long new_company(ctx *c)
{
    char tax[16], body[256];
    lp_test_resp r;
    long id;
    lp_test_vn_taxid(2, (unsigned)(9100 + ++c->seq), tax);
    snprintf(body, sizeof body, "{\"name\":\"Stream Co %d\",\"country\":\"VN\",\"tax_id\":\"%s\"}", c->seq, tax);
    r = lp_test_http(&c->g.srv, "POST", "/api/v1/companies", c->g.operator, body, NULL);
    lp_test_expect(&r, 201);
    id = lp_test_jint(r.json, "id");
    lp_test_resp_free(&r);
    return id;
}

/* The operator changes the company's phone: one company.update event; returns its seq. */
static long touch_company(ctx *c, long company)
{
    char path[160], body[64];
    lp_test_resp r;
    long seq;
    snprintf(path, sizeof path, "/api/v1/companies/%ld", company);
    snprintf(body, sizeof body, "{\"phone\":\"+84 25 %07d\"}", ++c->seq);
    r = lp_test_http(&c->g.srv, "PATCH", path, c->g.operator, body, NULL);
    lp_test_expect(&r, 200);
    lp_test_resp_free(&r);
    snprintf(path, sizeof path, "/api/v1/audit-events?object_type=company&object_id=%ld&limit=500", company);
    r = lp_test_http(&c->g.srv, "GET", path, c->g.operator, NULL, NULL);
    lp_test_expect(&r, 200);
    seq = lp_test_jint(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r.json, "items"),
                                          cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "items")) - 1),
                       "seq");
    lp_test_resp_free(&r);
    return seq;
}

static void set_max_streams(ctx *c, int n)
{
    char body[96];
    lp_test_resp r;
    snprintf(body, sizeof body, "{\"value\":{\"max_stream_clients\":%d}}", n);
    r = lp_test_http(&c->g.srv, "PATCH", "/api/v1/settings/notifications", c->g.operator, body, NULL);
    lp_test_expect(&r, 200);
    lp_test_resp_free(&r);
}

/* Tests ------------------------------------------------------------------------- */

static void test_who_may_listen(void **state)
{
    ctx *c = *state;
    lp_test_resp r = lp_test_http(&c->g.srv, "GET", "/api/v1/events", c->device, NULL, NULL);
    lp_test_assert_problem(&r, 403, NULL);
    lp_test_resp_free(&r);
    r = lp_test_http(&c->g.srv, "GET", "/api/v1/events", NULL, NULL, NULL);
    lp_test_assert_problem(&r, 401, NULL);
    lp_test_resp_free(&r);
    r = lp_test_http(&c->g.srv, "GET", "/api/v1/events?after=abc", c->g.operator, NULL, NULL);
    lp_test_assert_problem(&r, 400, "after");
    lp_test_resp_free(&r);
    {
        const char *h[] = {"Last-Event-ID: e-3", NULL};
        r = lp_test_http(&c->g.srv, "GET", "/api/v1/events", c->g.operator, NULL, h);
        lp_test_assert_problem(&r, 400, "Last-Event-ID");
        lp_test_resp_free(&r);
    }
}

/* The operator sees company B's event in full; company A sees its own event,
 * redacted, and never B's; the partner sees neither. */
static void test_scoping(void **state)
{
    ctx *c = *state;
    sse op, a, partner;
    frame f[64];
    char want_b[48], want_a[48];
    long seq_b, seq_a;
    int n, i;

    sse_open(&op, &c->g.srv, "/api/v1/events", c->g.operator, NULL);
    sse_open(&a, &c->g.srv, "/api/v1/events", c->tok_a, NULL);
    sse_open(&partner, &c->g.srv, "/api/v1/events", c->partner, NULL);
    assert_int_equal(op.status, 200);
    assert_int_equal(a.status, 200);
    assert_int_equal(partner.status, 200);
    assert_non_null(strstr(op.buf, "text/event-stream"));
    assert_true(sse_wait(&a, "retry:") && sse_wait(&partner, "retry:"));

    seq_b = touch_company(c, c->company_b); /* first B, then A: A's arrives after B's would have */
    seq_a = touch_company(c, c->company_a);
    snprintf(want_b, sizeof want_b, "id: %ld\n", seq_b);
    snprintf(want_a, sizeof want_a, "id: %ld\n", seq_a);
    assert_true(sse_wait(&op, want_a));
    assert_true(sse_wait(&a, want_a));
    assert_non_null(strstr(op.buf, want_b));

    /* Operator: B's event with before and after. */
    n = sse_frames(&op, f, 64);
    for (i = 0; i < n && f[i].id != seq_b; i++) {}
    assert_true(i < n);
    assert_string_equal(f[i].event, "company.update");
    assert_int_equal(lp_test_jint(f[i].data, "company_id"), c->company_b);
    assert_non_null(lp_test_jstr(cJSON_GetObjectItemCaseSensitive(f[i].data, "after"), "phone"));
    assert_non_null(cJSON_GetObjectItemCaseSensitive(f[i].data, "before"));
    frames_free(f, n);

    /* Company A: its own event only, with the whitelisted members. */
    assert_null(strstr(a.buf, want_b));
    n = sse_frames(&a, f, 64);
    assert_true(n >= 1);
    for (i = 0; i < n; i++) {
        const cJSON *m;
        assert_string_equal(lp_test_jstr(f[i].data, "object_type"), "company");
        assert_int_equal(atol(lp_test_jstr(f[i].data, "object_id")), c->company_a);
        cJSON_ArrayForEach(m, f[i].data) {
            static const char *const ok[] = {"seq", "ts", "action", "object_type", "object_id", "data", NULL};
            const char *const *k;
            for (k = ok; *k && strcmp(*k, m->string); k++) {}
            if (!*k) fail_msg("company stream shows member %s: %s", m->string, a.buf + a.body);
        }
        assert_string_equal(lp_test_jstr(cJSON_GetObjectItemCaseSensitive(f[i].data, "data"), "status"), "active");
        assert_null(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(f[i].data, "data"), "phone"));
    }
    assert_int_equal(f[n - 1].id, seq_a);
    frames_free(f, n);

    /* Partner: company changes are not handovers.  Everything written for
     * the operator's stream was written for the partner's in the same turn. */
    sse_read(&partner, 200);
    assert_null(strstr(partner.buf + partner.body, "id: "));
    assert_null(strstr(partner.buf + partner.body, "company"));
    sse_close(&op);
    sse_close(&a);
    sse_close(&partner);
}

/* A client that went away gets exactly the events it missed, in order. */
static void test_resume(void **state)
{
    ctx *c = *state;
    sse s;
    frame f[64];
    char hdr[64], want[48], path[96];
    long last, seqs[3];
    int n, i;

    sse_open(&s, &c->g.srv, "/api/v1/events", c->g.operator, NULL);
    last = touch_company(c, c->company_a);
    snprintf(want, sizeof want, "id: %ld\n", last);
    assert_true(sse_wait(&s, want));
    sse_close(&s);

    for (i = 0; i < 3; i++) seqs[i] = touch_company(c, i == 1 ? c->company_b : c->company_a);
    snprintf(hdr, sizeof hdr, "Last-Event-ID: %ld", last);
    sse_open(&s, &c->g.srv, "/api/v1/events", c->g.operator, hdr);
    assert_int_equal(s.status, 200);
    snprintf(want, sizeof want, "id: %ld\n", seqs[2]);
    assert_true(sse_wait(&s, want));
    n = sse_frames(&s, f, 64);
    assert_int_equal(n, 3);
    for (i = 0; i < 3; i++) assert_int_equal(f[i].id, seqs[i]);
    assert_int_equal(seqs[0], last + 1); /* nothing else happened meanwhile */
    frames_free(f, n);
    sse_close(&s);

    /* The same with ?after=, as company A: its two events of the three. */
    snprintf(path, sizeof path, "/api/v1/events?after=%ld", last);
    sse_open(&s, &c->g.srv, path, c->tok_a, NULL);
    snprintf(want, sizeof want, "id: %ld\n", seqs[2]);
    assert_true(sse_wait(&s, want));
    n = sse_frames(&s, f, 64);
    assert_int_equal(n, 2);
    assert_int_equal(f[0].id, seqs[0]);
    assert_int_equal(f[1].id, seqs[2]);
    frames_free(f, n);
    sse_close(&s);
}

/* ?types= and ?actions= narrow the stream. */
static void test_filters(void **state)
{
    ctx *c = *state;
    sse types, actions;
    frame f[64];
    char want[48];
    long seq;
    int n, i;
    lp_test_resp r;

    sse_open(&types, &c->g.srv, "/api/v1/events?types=setting,vehicle", c->g.operator, NULL);
    sse_open(&actions, &c->g.srv, "/api/v1/events?actions=company.upd", c->g.operator, NULL);
    set_max_streams(c, 100);
    seq = touch_company(c, c->company_a);
    snprintf(want, sizeof want, "id: %ld\n", seq);
    assert_true(sse_wait(&actions, want));
    assert_true(sse_wait(&types, "event: setting.update"));
    n = sse_frames(&types, f, 64);
    for (i = 0; i < n; i++) assert_string_equal(lp_test_jstr(f[i].data, "object_type"), "setting");
    frames_free(f, n);
    n = sse_frames(&actions, f, 64);
    assert_int_equal(n, 1);
    assert_string_equal(f[0].event, "company.update");
    frames_free(f, n);
    r = lp_test_http(&c->g.srv, "GET", "/api/v1/events?colour=red", c->g.operator, NULL, NULL);
    lp_test_assert_problem(&r, 400, "colour");
    lp_test_resp_free(&r);
    sse_close(&types);
    sse_close(&actions);
}

/* Past the maximum of streams a clear 503; a closed stream frees its place. */
static void test_cap(void **state)
{
    ctx *c = *state;
    sse one, two;
    int i, ok = 0;
    set_max_streams(c, 1);
    /* The streams of the tests before are closed; the server learns it when
     * it reads their end, in its own time. */
    for (i = 0; i < WAIT_MS / 100 && !ok; i++) {
        sse_open(&one, &c->g.srv, "/api/v1/events", c->g.operator, NULL);
        ok = one.status == 200;
        if (!ok) {
            sse_close(&one);
            usleep(100 * 1000);
        }
    }
    assert_true(ok);
    ok = 0;
    sse_open(&two, &c->g.srv, "/api/v1/events", c->tok_a, NULL);
    assert_int_equal(two.status, 503);
    assert_non_null(strstr(two.buf, "application/problem+json"));
    assert_non_null(strstr(two.buf, "max_stream_clients"));
    sse_close(&two);
    sse_close(&one);
    for (i = 0; i < WAIT_MS / 100 && !ok; i++) {
        sse_open(&two, &c->g.srv, "/api/v1/events", c->tok_a, NULL);
        ok = two.status == 200;
        sse_close(&two);
        if (!ok) usleep(100 * 1000);
    }
    assert_true(ok);
    set_max_streams(c, 200);
}

/* Runner ---------------------------------------------------------------------------- */

static int group_setup(void **state)
{
    ctx *c = lp_test_group_setup(state, sizeof(ctx), "it_events");
    c->company_a = new_company(c);
    c->company_b = new_company(c);
    c->tok_a = lp_test_token(&c->g.srv, "company", c->company_a);
    c->partner = lp_test_token(&c->g.srv, "partner", 0);
    c->device = lp_test_token(&c->g.srv, "device", 0);
    return 0;
}

/* A stream still open when the server stops is ended by it, cleanly (the
 * server's exit status, checked by the teardown, shows leaks under ASan). */
static int group_teardown(void **state)
{
    ctx *c = *state;
    sse open = {.fd = -1};
    if (c && c->g.srv.pid > 0) {
        sse_open(&open, &c->g.srv, "/api/v1/events", c->g.operator, NULL);
        assert_true(sse_wait(&open, "retry:"));
    }
    if (c) {
        free(c->tok_a);
        free(c->partner);
        free(c->device);
    }
    lp_test_group_teardown(state);
    sse_close(&open);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_who_may_listen),
        cmocka_unit_test(test_scoping),
        cmocka_unit_test(test_resume),
        cmocka_unit_test(test_filters),
        cmocka_unit_test(test_cap),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
