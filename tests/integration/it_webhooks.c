/* it_webhooks.c - company webhooks against the real landport binary and a
 * receiver in this process (evhttp on 127.0.0.1, in a thread): the signature
 * checks out with the secret shown at creation, a receiver that fails is
 * retried with backoff until it answers 2xx (the attempts in the delivery
 * log), a receiver that keeps failing ends "failed" after the maximum of
 * attempts (also when it never answers: timeouts), an inactive webhook gets
 * nothing, and no company's webhook gets another company's events.  The
 * retry base is set small through the notifications setting. */
#include "testlib.h"

#include <cjson/cJSON.h>
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The receiver ------------------------------------------------------------------ */

#define MAX_SEEN 256

typedef struct seen {
    char path[32], event[64], delivery[32], signature[160];
    char *body;
} seen;

typedef struct receiver {
    struct event_base *base;
    struct evhttp *http;
    struct event *tick;
    pthread_t thread;
    pthread_mutex_t mu;
    atomic_int stop;
    int port;
    seen seen[MAX_SEEN];
    int nseen;
    int flaky_left; /* /flaky answers 500 this many more times */
} receiver;

static void on_request(struct evhttp_request *req, void *arg)
{
    receiver *rv = arg;
    struct evkeyvalq *in = evhttp_request_get_input_headers(req);
    struct evbuffer *b = evhttp_request_get_input_buffer(req);
    const char *path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));
    size_t n = evbuffer_get_length(b);
    int status = 200;

    pthread_mutex_lock(&rv->mu);
    if (rv->nseen < MAX_SEEN) {
        seen *s = &rv->seen[rv->nseen++];
        const char *h;
        snprintf(s->path, sizeof s->path, "%s", path ? path : "");
        snprintf(s->event, sizeof s->event, "%s", (h = evhttp_find_header(in, "X-Landport-Event")) ? h : "");
        snprintf(s->delivery, sizeof s->delivery, "%s", (h = evhttp_find_header(in, "X-Landport-Delivery")) ? h : "");
        snprintf(s->signature, sizeof s->signature, "%s",
                 (h = evhttp_find_header(in, "X-Landport-Signature")) ? h : "");
        s->body = calloc(1, n + 1);
        evbuffer_copyout(b, s->body, n);
    }
    if (path && !strcmp(path, "/slow")) { /* never answers: the sender times out */
        pthread_mutex_unlock(&rv->mu);
        return;
    }
    if (path && !strcmp(path, "/down")) status = 500;
    if (path && !strcmp(path, "/flaky") && rv->flaky_left > 0) {
        rv->flaky_left--;
        status = 500;
    }
    pthread_mutex_unlock(&rv->mu);
    evhttp_send_reply(req, status, status == 200 ? "OK" : "Internal Server Error", NULL);
}

/* The loop is not told to stop from this thread (libevent here has no
 * locking); it looks at the flag every 20 ms. */
static void on_tick(evutil_socket_t fd, short what, void *arg)
{
    receiver *rv = arg;
    (void)fd, (void)what;
    if (atomic_load(&rv->stop)) event_base_loopbreak(rv->base);
}

static void *receiver_main(void *arg)
{
    receiver *rv = arg;
    event_base_dispatch(rv->base);
    return NULL;
}

static void receiver_start(receiver *rv)
{
    struct evhttp_bound_socket *bs;
    struct timeval tv = {0, 20000};
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;

    memset(rv, 0, sizeof *rv);
    pthread_mutex_init(&rv->mu, NULL);
    rv->base = event_base_new();
    rv->http = evhttp_new(rv->base);
    evhttp_set_gencb(rv->http, on_request, rv);
    bs = evhttp_bind_socket_with_handle(rv->http, "127.0.0.1", 0);
    assert_non_null(bs);
    assert_int_equal(getsockname(evhttp_bound_socket_get_fd(bs), (struct sockaddr *)&ss, &sl), 0);
    rv->port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
    rv->tick = event_new(rv->base, -1, EV_PERSIST, on_tick, rv);
    event_add(rv->tick, &tv);
    assert_int_equal(pthread_create(&rv->thread, NULL, receiver_main, rv), 0);
}

static void receiver_stop(receiver *rv)
{
    int i;
    atomic_store(&rv->stop, 1);
    pthread_join(rv->thread, NULL);
    event_free(rv->tick);
    evhttp_free(rv->http);
    event_base_free(rv->base);
    for (i = 0; i < rv->nseen; i++) free(rv->seen[i].body);
    pthread_mutex_destroy(&rv->mu);
}

/* Requests seen on path (all paths: NULL) with event (any: NULL). */
static int count_seen(receiver *rv, const char *path, const char *event)
{
    int i, n = 0;
    pthread_mutex_lock(&rv->mu);
    for (i = 0; i < rv->nseen; i++)
        if ((!path || !strcmp(rv->seen[i].path, path)) && (!event || !strcmp(rv->seen[i].event, event))) n++;
    pthread_mutex_unlock(&rv->mu);
    return n;
}

/* A copy of the last request seen on path (caller frees copy->body). */
static int last_seen(receiver *rv, const char *path, seen *copy)
{
    int i, found = 0;
    pthread_mutex_lock(&rv->mu);
    for (i = rv->nseen - 1; i >= 0 && !found; i--)
        if (!strcmp(rv->seen[i].path, path)) {
            *copy = rv->seen[i];
            copy->body = strdup(rv->seen[i].body);
            found = 1;
        }
    pthread_mutex_unlock(&rv->mu);
    return found;
}

/* The tests' context ---------------------------------------------------------- */

typedef struct ctx {
    lp_test_group g; /* first: the server and an operator token */
    receiver rv;
    long company_a, company_b;
    char *tok_a, *tok_b;
    int seq;
} ctx;

static long created(ctx *c, const char *path, const char *token, const char *body, cJSON **rec)
{
    lp_test_resp r = lp_test_http(&c->g.srv, "POST", path, token, body, NULL);
    long id;
    lp_test_expect(&r, 201);
    id = lp_test_jint(r.json, "id");
    if (rec) *rec = cJSON_Duplicate(r.json, 1);
    lp_test_resp_free(&r);
    return id;
}

static long new_company(ctx *c)
{
    char tax[16], body[256];
    lp_test_vn_taxid(1, (unsigned)(7000 + ++c->seq), tax);
    snprintf(body, sizeof body, "{\"name\":\"Hook Co %d\",\"country\":\"VN\",\"tax_id\":\"%s\"}", c->seq, tax);
    return created(c, "/api/v1/companies", c->g.operator, body, NULL);
}

/* An event of company: the operator changes its phone number. */
static void touch_company(ctx *c, long company)
{
    char path[64], body[64];
    lp_test_resp r;
    snprintf(path, sizeof path, "/api/v1/companies/%ld", company);
    snprintf(body, sizeof body, "{\"phone\":\"+84 20 %07d\"}", ++c->seq);
    r = lp_test_http(&c->g.srv, "PATCH", path, c->g.operator, body, NULL);
    lp_test_expect(&r, 200);
    lp_test_resp_free(&r);
}

/* A webhook of the company of token to path on the receiver; *secret (may be
 * NULL) receives the secret (caller frees). */
static long new_webhook(ctx *c, const char *token, const char *path, const char *extra, char **secret)
{
    char body[512];
    cJSON *rec = NULL;
    long id;
    snprintf(body, sizeof body, "{\"url\":\"http://127.0.0.1:%d%s\"%s%s}", c->rv.port, path, extra ? "," : "",
             extra ? extra : "");
    id = created(c, "/api/v1/webhooks", token, body, &rec);
    if (secret) *secret = strdup(lp_test_jstr(rec, "secret"));
    assert_non_null(lp_test_jstr(rec, "secret"));
    cJSON_Delete(rec);
    return id;
}

/* The delivery log of webhook, newest first (caller frees with lp_test_resp_free). */
static lp_test_resp deliveries(ctx *c, long webhook, const char *token)
{
    char path[96];
    lp_test_resp r;
    snprintf(path, sizeof path, "/api/v1/webhooks/%ld/deliveries", webhook);
    r = lp_test_http(&c->g.srv, "GET", path, token, NULL, NULL);
    lp_test_expect(&r, 200);
    return r;
}

/* Waits (at most 30 s) until the newest delivery of webhook has status; returns it (caller frees). */
static cJSON *wait_delivery(ctx *c, long webhook, const char *status)
{
    int i;
    for (i = 0; i < 600; i++) {
        lp_test_resp r = deliveries(c, webhook, c->g.operator);
        const cJSON *first = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r.json, "items"), 0);
        const char *st = lp_test_jstr(first, "status");
        if (st && !strcmp(st, status)) {
            cJSON *out = cJSON_Duplicate(first, 1);
            lp_test_resp_free(&r);
            return out;
        }
        lp_test_resp_free(&r);
        usleep(50 * 1000);
    }
    lp_test_fail("webhook %ld: no delivery reached status %s", webhook, status);
}

/* Sets members of the notifications setting (a JSON object text). */
static void set_policy(ctx *c, const char *value)
{
    char body[256];
    lp_test_resp r;
    snprintf(body, sizeof body, "{\"value\":%s}", value);
    r = lp_test_http(&c->g.srv, "PATCH", "/api/v1/settings/notifications", c->g.operator, body, NULL);
    lp_test_expect(&r, 200);
    lp_test_resp_free(&r);
}

/* Tests ---------------------------------------------------------------------------- */

static void hex_hmac(const char *key, const char *msg, char out[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0, i;
    HMAC(EVP_sha256(), key, (int)strlen(key), (const unsigned char *)msg, strlen(msg), md, &n);
    for (i = 0; i < n && i < 32; i++) snprintf(out + 2 * i, 3, "%02x", md[i]);
    out[64] = '\0';
}

/* The receiver checks the signature with the secret shown once. */
static void test_signature(void **state)
{
    ctx *c = *state;
    char *secret = NULL, path[64], sig[65], *msg;
    long hook = new_webhook(c, c->tok_a, "/ok", NULL, &secret), t = 0;
    cJSON *d, *body;
    lp_test_resp r;
    seen s;

    /* The secret is never shown again. */
    snprintf(path, sizeof path, "/api/v1/webhooks/%ld", hook);
    r = lp_test_http(&c->g.srv, "GET", path, c->tok_a, NULL, NULL);
    lp_test_expect(&r, 200);
    assert_null(strstr(r.body, "secret"));
    lp_test_resp_free(&r);
    r = lp_test_http(&c->g.srv, "GET", "/api/v1/webhooks", c->g.operator, NULL, NULL);
    lp_test_expect(&r, 200);
    assert_null(strstr(r.body, "whsec_"));
    lp_test_resp_free(&r);

    touch_company(c, c->company_a);
    d = wait_delivery(c, hook, "delivered");
    assert_int_equal(lp_test_jint(d, "attempts"), 1);
    assert_int_equal(lp_test_jint(d, "last_status"), 200);
    assert_string_equal(lp_test_jstr(d, "event_type"), "company.update");
    assert_true(last_seen(&c->rv, "/ok", &s));
    assert_string_equal(s.event, "company.update");
    assert_int_equal(atol(s.delivery), lp_test_jint(d, "id"));
    /* t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")> */
    assert_int_equal(sscanf(s.signature, "t=%ld,v1=", &t), 1);
    assert_non_null(strstr(s.signature, ",v1="));
    msg = malloc(strlen(s.body) + 32);
    sprintf(msg, "%ld.%s", t, s.body);
    hex_hmac(secret, msg, sig);
    assert_string_equal(strstr(s.signature, ",v1=") + 4, sig);
    hex_hmac("whsec_wrong", msg, sig);
    assert_string_not_equal(strstr(s.signature, ",v1=") + 4, sig);
    /* The body is the company's view: its object, the whitelisted members, no before/after. */
    body = cJSON_Parse(s.body);
    assert_non_null(body);
    assert_string_equal(lp_test_jstr(body, "object_type"), "company");
    assert_int_equal(atol(lp_test_jstr(body, "object_id")), c->company_a);
    assert_string_equal(lp_test_jstr(cJSON_GetObjectItemCaseSensitive(body, "data"), "status"), "active");
    assert_null(cJSON_GetObjectItemCaseSensitive(body, "after"));
    assert_null(cJSON_GetObjectItemCaseSensitive(body, "before"));
    assert_null(strstr(s.body, "phone"));
    cJSON_Delete(body);
    cJSON_Delete(d);
    free(msg);
    free(s.body);
    free(secret);

    /* A test ping. */
    snprintf(path, sizeof path, "/api/v1/webhooks/%ld/test", hook);
    r = lp_test_http(&c->g.srv, "POST", path, c->tok_a, NULL, NULL);
    lp_test_expect(&r, 201);
    assert_string_equal(lp_test_jstr(r.json, "event_type"), "ping");
    lp_test_resp_free(&r);
    d = wait_delivery(c, hook, "delivered");
    assert_string_equal(lp_test_jstr(d, "event_type"), "ping");
    assert_true(count_seen(&c->rv, "/ok", "ping") == 1);
    cJSON_Delete(d);
}

/* 500, 500, 500, then 200: four attempts, delivered, with the same delivery id. */
static void test_retry_then_success(void **state)
{
    ctx *c = *state;
    long hook = new_webhook(c, c->tok_a, "/flaky", "\"actions\":[\"company.\"]", NULL);
    cJSON *d;
    int i, same = 0;

    pthread_mutex_lock(&c->rv.mu);
    c->rv.flaky_left = 3;
    pthread_mutex_unlock(&c->rv.mu);
    touch_company(c, c->company_a);
    d = wait_delivery(c, hook, "delivered");
    assert_int_equal(lp_test_jint(d, "attempts"), 4);
    assert_int_equal(lp_test_jint(d, "last_status"), 200);
    assert_null(lp_test_jstr(d, "last_error"));
    assert_int_equal(count_seen(&c->rv, "/flaky", "company.update"), 4);
    pthread_mutex_lock(&c->rv.mu);
    for (i = 0; i < c->rv.nseen; i++)
        if (!strcmp(c->rv.seen[i].path, "/flaky") && atol(c->rv.seen[i].delivery) == lp_test_jint(d, "id")) same++;
    pthread_mutex_unlock(&c->rv.mu);
    assert_int_equal(same, 4);
    cJSON_Delete(d);
}

/* A receiver that always answers 500: failed after max_attempts (4 here). */
static void test_failure_after_max_attempts(void **state)
{
    ctx *c = *state;
    long hook = new_webhook(c, c->tok_a, "/down", "\"object_types\":[\"company\"]", NULL);
    cJSON *d;

    touch_company(c, c->company_a);
    d = wait_delivery(c, hook, "failed");
    assert_int_equal(lp_test_jint(d, "attempts"), 4);
    assert_int_equal(lp_test_jint(d, "last_status"), 500);
    assert_non_null(strstr(lp_test_jstr(d, "last_error"), "500"));
    assert_int_equal(count_seen(&c->rv, "/down", NULL), 4);
    cJSON_Delete(d);
}

/* A receiver that never answers: each attempt times out (200 ms here) and
 * counts like a failure. */
static void test_timeout(void **state)
{
    ctx *c = *state;
    long hook;
    cJSON *d;

    set_policy(c, "{\"timeout_ms\":200}");
    hook = new_webhook(c, c->tok_a, "/slow", "\"object_types\":[\"company\"]", NULL);
    touch_company(c, c->company_a);
    d = wait_delivery(c, hook, "failed");
    assert_int_equal(lp_test_jint(d, "attempts"), 4);
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(d, "last_status"))); /* no answer */
    assert_non_null(strstr(lp_test_jstr(d, "last_error"), "timed out"));
    assert_int_equal(count_seen(&c->rv, "/slow", NULL), 4);
    cJSON_Delete(d);
    set_policy(c, "{\"timeout_ms\":5000}");
}

/* Company B's webhook gets B's events only, and A cannot see or touch it. */
static void test_no_cross_company(void **state)
{
    ctx *c = *state;
    long hook_b = new_webhook(c, c->tok_b, "/b", NULL, NULL);
    lp_test_resp r;
    cJSON *d;
    const cJSON *it;
    char path[96], body[160];
    int i;

    touch_company(c, c->company_a);
    touch_company(c, c->company_b);
    d = wait_delivery(c, hook_b, "delivered");
    cJSON_Delete(d);
    r = deliveries(c, hook_b, c->tok_b);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "items")), 1);
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(r.json, "items"))
        assert_int_equal(atol(lp_test_jstr(cJSON_GetObjectItemCaseSensitive(it, "body"), "object_id")), c->company_b);
    lp_test_resp_free(&r);
    pthread_mutex_lock(&c->rv.mu);
    for (i = 0; i < c->rv.nseen; i++)
        if (!strcmp(c->rv.seen[i].path, "/b")) {
            cJSON *b = cJSON_Parse(c->rv.seen[i].body);
            assert_int_equal(atol(lp_test_jstr(b, "object_id")), c->company_b);
            cJSON_Delete(b);
        }
    pthread_mutex_unlock(&c->rv.mu);

    /* Company A does not see B's webhook, its log, or make webhooks for B. */
    snprintf(path, sizeof path, "/api/v1/webhooks/%ld", hook_b);
    r = lp_test_http(&c->g.srv, "GET", path, c->tok_a, NULL, NULL);
    lp_test_assert_problem(&r, 404, NULL);
    lp_test_resp_free(&r);
    snprintf(path, sizeof path, "/api/v1/webhooks/%ld/deliveries", hook_b);
    r = lp_test_http(&c->g.srv, "GET", path, c->tok_a, NULL, NULL);
    lp_test_assert_problem(&r, 404, NULL);
    lp_test_resp_free(&r);
    snprintf(path, sizeof path, "/api/v1/webhooks/%ld", hook_b);
    r = lp_test_http(&c->g.srv, "DELETE", path, c->tok_a, NULL, NULL);
    lp_test_assert_problem(&r, 404, NULL);
    lp_test_resp_free(&r);
    snprintf(body, sizeof body, "{\"company_id\":%ld,\"url\":\"http://127.0.0.1:%d/x\"}", c->company_b, c->rv.port);
    r = lp_test_http(&c->g.srv, "POST", "/api/v1/webhooks", c->tok_a, body, NULL);
    lp_test_assert_problem(&r, 403, "/company_id");
    lp_test_resp_free(&r);
    r = lp_test_http(&c->g.srv, "GET", "/api/v1/webhooks", c->tok_a, NULL, NULL);
    lp_test_expect(&r, 200);
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(r.json, "items"))
        assert_int_equal(lp_test_jint(it, "company_id"), c->company_a);
    lp_test_resp_free(&r);
    /* B removes it: gone with its log. */
    snprintf(path, sizeof path, "/api/v1/webhooks/%ld", hook_b);
    r = lp_test_http(&c->g.srv, "DELETE", path, c->tok_b, NULL, NULL);
    lp_test_expect(&r, 200);
    lp_test_resp_free(&r);
    r = lp_test_http(&c->g.srv, "GET", path, c->tok_b, NULL, NULL);
    lp_test_assert_problem(&r, 404, NULL);
    lp_test_resp_free(&r);
}

/* An inactive webhook gets no deliveries; a ping queued meanwhile goes out
 * once it is active again. */
static void test_inactive(void **state)
{
    ctx *c = *state;
    long quiet = new_webhook(c, c->tok_a, "/quiet", "\"active\":false,\"object_types\":[\"company\"]", NULL);
    long marker = new_webhook(c, c->tok_a, "/ok", "\"object_types\":[\"company\"]", NULL);
    char path[96];
    lp_test_resp r;
    cJSON *d;

    touch_company(c, c->company_a);
    d = wait_delivery(c, marker, "delivered"); /* the event went out to the active one */
    cJSON_Delete(d);
    r = deliveries(c, quiet, c->tok_a);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.json, "items")), 0);
    lp_test_resp_free(&r);
    snprintf(path, sizeof path, "/api/v1/webhooks/%ld/test", quiet);
    r = lp_test_http(&c->g.srv, "POST", path, c->tok_a, NULL, NULL);
    lp_test_expect(&r, 201);
    lp_test_resp_free(&r);
    snprintf(path, sizeof path, "/api/v1/webhooks/%ld", quiet);
    r = lp_test_http(&c->g.srv, "PATCH", path, c->tok_a, "{\"active\":true}", NULL);
    lp_test_expect(&r, 200);
    lp_test_resp_free(&r);
    d = wait_delivery(c, quiet, "delivered");
    assert_string_equal(lp_test_jstr(d, "event_type"), "ping");
    assert_int_equal(count_seen(&c->rv, "/quiet", NULL), 1);
    cJSON_Delete(d);
}

/* Only http and https, each error on its pointer; staff must name the company. */
static void test_validation(void **state)
{
    ctx *c = *state;
    lp_test_resp r;
    r = lp_test_http(&c->g.srv, "POST", "/api/v1/webhooks", c->tok_a, "{\"url\":\"file:///etc/passwd\"}", NULL);
    lp_test_assert_problem(&r, 400, "/url");
    lp_test_resp_free(&r);
    r = lp_test_http(&c->g.srv, "POST", "/api/v1/webhooks", c->tok_a,
                     "{\"url\":\"gopher://example.com/\",\"actions\":[\"\"],\"active\":1}", NULL);
    lp_test_assert_problem(&r, 400, "/url");
    lp_test_assert_problem(&r, 400, "/actions/0");
    lp_test_assert_problem(&r, 400, "/active");
    lp_test_resp_free(&r);
    r = lp_test_http(&c->g.srv, "POST", "/api/v1/webhooks", c->g.operator, "{\"url\":\"https://example.com/h\"}", NULL);
    lp_test_assert_problem(&r, 400, "/company_id");
    lp_test_resp_free(&r);
    r = lp_test_http(&c->g.srv, "PATCH", "/api/v1/webhooks/1", c->tok_a, "{\"url\":\"mailto:x@example.com\"}", NULL);
    lp_test_assert_problem(&r, 400, "/url");
    lp_test_resp_free(&r);
}

/* Runner ------------------------------------------------------------------------------ */

static int group_setup(void **state)
{
    ctx *c = lp_test_group_setup(state, sizeof(ctx), "it_webhooks");
    receiver_start(&c->rv);
    /* Fast retries for the test: 50 ms, then x2, four attempts in all. */
    set_policy(c, "{\"retry_base_ms\":50,\"retry_factor\":2,\"max_attempts\":4,\"timeout_ms\":5000}");
    c->company_a = new_company(c);
    c->company_b = new_company(c);
    c->tok_a = lp_test_token(&c->g.srv, "company", c->company_a);
    c->tok_b = lp_test_token(&c->g.srv, "company", c->company_b);
    return 0;
}

static int group_teardown(void **state)
{
    ctx *c = *state;
    if (c) {
        receiver_stop(&c->rv);
        free(c->tok_a);
        free(c->tok_b);
    }
    return lp_test_group_teardown(state);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_validation),
        cmocka_unit_test(test_signature),
        cmocka_unit_test(test_retry_then_success),
        cmocka_unit_test(test_failure_after_max_attempts),
        cmocka_unit_test(test_no_cross_company),
        cmocka_unit_test(test_inactive),
        cmocka_unit_test(test_timeout),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
