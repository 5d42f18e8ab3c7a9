/* http.c - a small HTTP client for the integration tests (see testlib.h), on
 * libcurl's easy API: one connection per request, bounded timeouts, the reply's
 * status, body, the headers the tests look at, and the body parsed as JSON.
 * A transport error fails the test: the server under test must answer.  Also
 * the helpers the API tests share (JSON members, tax ids, a group fixture). */
#include "testlib.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CONNECT_TIMEOUT_S 10L
#define REQUEST_TIMEOUT_S 30L

/* libcurl's global state is set up once per test program and torn down at
 * exit, so that the sanitizer's leak check sees it freed. */
static void global_init(void)
{
    static int done;
    if (done) return;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) lp_test_fail("curl_global_init failed");
    atexit(curl_global_cleanup);
    done = 1;
}

typedef struct body_buf {
    char *data;
    size_t len, cap;
    int oom;
} body_buf;

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    body_buf *b = ud;
    size_t add = size * n;
    if (b->len + add + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        char *nd;
        while (cap < b->len + add + 1) cap *= 2;
        nd = realloc(b->data, cap);
        if (!nd) {
            b->oom = 1;
            return 0;
        }
        b->data = nd;
        b->cap = cap;
    }
    memcpy(b->data + b->len, p, add);
    b->len += add;
    b->data[b->len] = '\0';
    return add;
}

/* Replaces *slot with a copy of value (trimmed of surrounding blanks). */
static void set_header(char **slot, const char *value, size_t n)
{
    char *v;
    while (n && (*value == ' ' || *value == '\t')) value++, n--;
    while (n && (value[n - 1] == ' ' || value[n - 1] == '\t' || value[n - 1] == '\r' || value[n - 1] == '\n')) n--;
    v = malloc(n + 1);
    if (!v) return;
    memcpy(v, value, n);
    v[n] = '\0';
    free(*slot);
    *slot = v;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
    lp_test_resp *r = ud;
    size_t len = size * n;
    static const struct { const char *name; size_t off; } wanted[] = {
        {"content-type", offsetof(lp_test_resp, content_type)},
        {"etag", offsetof(lp_test_resp, etag)},
        {"location", offsetof(lp_test_resp, location)},
        {"allow", offsetof(lp_test_resp, allow)},
    };
    const char *colon;
    size_t i;

    /* A new status line (after "100 Continue") starts a new set of headers. */
    if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) {
        free(r->content_type);
        free(r->etag);
        free(r->location);
        free(r->allow);
        r->content_type = r->etag = r->location = r->allow = NULL;
        return len;
    }
    colon = memchr(p, ':', len);
    if (!colon) return len;
    for (i = 0; i < sizeof wanted / sizeof wanted[0]; i++) {
        size_t nl = strlen(wanted[i].name);
        if ((size_t)(colon - p) == nl && strncasecmp(p, wanted[i].name, nl) == 0)
            set_header((char **)((char *)r + wanted[i].off), colon + 1, len - nl - 1);
    }
    return len;
}

/* 1 when one of headers sets name (case-insensitive). */
static int has_header(const char *const *headers, const char *name)
{
    size_t n = strlen(name);
    for (; headers && *headers; headers++)
        if (strncasecmp(*headers, name, n) == 0 && (*headers)[n] == ':') return 1;
    return 0;
}

lp_test_resp lp_test_http_n(lp_test_server *s, const char *method, const char *path, const char *token,
                            const char *body, size_t body_len, const char *const *headers)
{
    lp_test_resp r;
    body_buf b = {0};
    struct curl_slist *hl = NULL;
    char url[1024], auth[512], errbuf[CURL_ERROR_SIZE] = "";
    CURL *c;
    CURLcode rc;
    const char *const *h;

    memset(&r, 0, sizeof r);
    global_init();
    snprintf(url, sizeof url, "%s%s", s->base, path);
    c = curl_easy_init();
    if (!c) lp_test_fail("curl_easy_init failed");
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, CONNECT_TIMEOUT_S);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, REQUEST_TIMEOUT_S);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &r);
    /* The path is sent as given, so that tests can send odd ones. */
    curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    }
    if (strcmp(method, "HEAD") == 0) curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    else if (strcmp(method, "GET") != 0 || body) curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);

    if (token) {
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
        hl = curl_slist_append(hl, auth);
    }
    if (body && !has_header(headers, "Content-Type")) hl = curl_slist_append(hl, "Content-Type: application/json");
    /* No "Expect: 100-continue" round trip for bodies over 1 KiB. */
    if (!has_header(headers, "Expect")) hl = curl_slist_append(hl, "Expect:");
    for (h = headers; h && *h; h++) hl = curl_slist_append(hl, *h);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);

    rc = curl_easy_perform(c);
    if (rc == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
    curl_easy_cleanup(c);
    curl_slist_free_all(hl);
    if (rc != CURLE_OK || b.oom) {
        free(b.data);
        lp_test_resp_free(&r);
        lp_test_fail("%s %s: %s", method, url, b.oom ? "out of memory" : errbuf[0] ? errbuf : curl_easy_strerror(rc));
    }
    r.body = b.data ? b.data : strdup("");
    if (!r.body) lp_test_fail("out of memory");
    if (b.len) r.json = cJSON_ParseWithLength(r.body, b.len);
    return r;
}

lp_test_resp lp_test_http(lp_test_server *s, const char *method, const char *path, const char *token,
                          const char *body, const char *const *headers)
{
    return lp_test_http_n(s, method, path, token, body, body ? strlen(body) : 0, headers);
}

void lp_test_resp_free(lp_test_resp *r)
{
    if (!r) return;
    free(r->body);
    free(r->content_type);
    free(r->etag);
    free(r->location);
    free(r->allow);
    cJSON_Delete(r->json);
    memset(r, 0, sizeof *r);
}

/* 1 when an entry of the problem's errors names where (pointer, parameter or
 * header). */
static int names(const cJSON *problem, const char *where)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(problem, "errors")) {
        const char *p = lp_test_jstr(e, "pointer"), *q = lp_test_jstr(e, "parameter"), *h = lp_test_jstr(e, "header");
        if ((p && strcmp(p, where) == 0) || (q && strcmp(q, where) == 0) || (h && strcasecmp(h, where) == 0))
            return 1;
    }
    return 0;
}

void lp_test_assert_problem(const lp_test_resp *r, long status, const char *pointer)
{
    const cJSON *st;
    const char *why = NULL;

    if (r->status != status) why = "wrong status";
    else if (!r->content_type || strncmp(r->content_type, "application/problem+json", 24) != 0)
        why = "Content-Type is not application/problem+json";
    else if (!cJSON_IsObject(r->json)) why = "body is not a JSON object";
    else if (!lp_test_jstr(r->json, "type") || !lp_test_jstr(r->json, "title") || !lp_test_jstr(r->json, "detail"))
        why = "type, title or detail missing or not a string";
    else if (!cJSON_IsNumber(st = cJSON_GetObjectItemCaseSensitive(r->json, "status")) || (long)st->valuedouble != status)
        why = "member status missing or different from the HTTP status";
    else if (pointer && !names(r->json, pointer))
        why = "no entry of errors names the expected pointer";
    if (why)
        lp_test_fail("expected a %ld problem%s%s: %s; got %ld (%s): %s", status, pointer ? " naming " : "",
                     pointer ? pointer : "", why, r->status, r->content_type ? r->content_type : "no Content-Type",
                     r->body ? r->body : "");
}

void lp_test_expect(const lp_test_resp *r, long status)
{
    if (r->status != status) fail_msg("expected HTTP %ld, got %ld: %s", status, r->status, r->body);
}

/* Helpers for the API tests ------------------------------------------------- */

const char *lp_test_jstr(const cJSON *o, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

long lp_test_jint(const cJSON *o, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    if (!cJSON_IsNumber(v)) fail_msg("member %s is missing or not a number", name);
    return (long)v->valuedouble;
}

void lp_test_vn_taxid(int province, unsigned seed, char out[11])
{
    static const int w[9] = {31, 29, 23, 19, 17, 13, 7, 5, 3};
    for (;; seed++) {
        int i, sum = 0;
        snprintf(out, 11, "%02d%07u", province % 100, 1000000u + seed % 8000000u);
        for (i = 0; i < 9; i++) sum += (out[i] - '0') * w[i];
        if (sum % 11 == 0) continue;
        out[9] = (char)('0' + (10 - sum % 11) % 10);
        out[10] = '\0';
        return;
    }
}

void lp_test_fill_path(const char *pattern, const char *id, char *out, size_t n)
{
    size_t k = 0;
    const char *p;
    for (p = pattern; *p && k + 1 < n; p++) {
        if (*p == '{') {
            k += (size_t)snprintf(out + k, n - k, "%s", id);
            while (*p && *p != '}') p++;
            if (!*p) break;
        } else {
            out[k++] = *p;
        }
    }
    out[k < n ? k : n - 1] = '\0';
}

void *lp_test_group_setup(void **state, size_t size, const char *tag)
{
    lp_test_group *g;
    assert_true(size >= sizeof *g);
    g = calloc(1, size);
    assert_non_null(g);
    /* Set before anything can fail, so that the teardown frees what was made. */
    *state = g;
    lp_test_server_start(&g->srv, tag, NULL, NULL);
    g->operator = lp_test_token(&g->srv, "operator", 0);
    return g;
}

int lp_test_group_teardown(void **state)
{
    lp_test_group *g = *state;
    if (!g) return 0;
    free(g->operator);
    lp_test_server_stop(&g->srv);
    free(g);
    return 0;
}
