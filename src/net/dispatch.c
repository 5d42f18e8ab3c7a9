/* dispatch.c - the webhook dispatcher (see dispatch.h).
 *
 * Transfers run on a libcurl multi handle driven by curl_multi_perform from a
 * 10 ms timer while any is in flight (none: no timer).  The socket-callback
 * interface would wake on each socket event instead, but webhooks are few and
 * their latency is not critical: a short timer keeps the code small and the
 * loop never waits on the network.  At most MAX_INFLIGHT transfers at once;
 * the rest wait in the outbox, which also survives restarts. */
#include "dispatch.h"
#include "events.h"
#include "../core/mem.h"
#include "../store/webhooks.h"

#include <curl/curl.h>
#include <inttypes.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <string.h>

#define PAGE 200
#define MAX_INFLIGHT 16
#define PUMP_MS 10
#define MIN_WAKE_MS 20
#define LEASE_SLACK_MS 5000
#define LAZY_CURSOR 1000 /* with no webhook, move the cursor only every this many events */

typedef struct xfer {
    struct xfer *next;
    CURL *easy;
    struct curl_slist *hdrs;
    char *body;
    int64_t id;
    int attempts; /* made before this one */
    char errbuf[CURL_ERROR_SIZE];
} xfer;

struct lp_dispatch {
    struct event_base *base;
    lp_store *store;
    struct event *kick, *wake, *pump;
    CURLM *multi;
    xfer *inflight;
    int ninflight;
};

static int64_t now_ms(lp_dispatch *d)
{
    const lp_clock *c = lp_store_clock(d->store);
    return c->now_ms(c->ud);
}

static void warn(const char *what, const lp_err *err)
{
    fprintf(stderr, "landport: webhooks: %s: %s\n", what, err->msg);
}

/* Signing and backoff ------------------------------------------------------------ */

void lp_dispatch_sign(const char *secret, int64_t t, const char *body, size_t body_len, char *out, size_t n)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0, i;
    char head[32];
    size_t hl = (size_t)snprintf(head, sizeof head, "%" PRId64 ".", t), off;
    char *msg = lp_malloc(hl + body_len + 1);

    memcpy(msg, head, hl);
    memcpy(msg + hl, body, body_len);
    HMAC(EVP_sha256(), secret, (int)strlen(secret), (const unsigned char *)msg, hl + body_len, md, &mdlen);
    lp_free(msg);
    off = (size_t)snprintf(out, n, "t=%" PRId64 ",v1=", t);
    for (i = 0; i < mdlen && off + 2 < n; i++, off += 2) snprintf(out + off, n - off, "%02x", md[i]);
}

int64_t lp_dispatch_backoff(int64_t base_ms, int factor, int attempts, double jitter)
{
    const int64_t day = 24LL * 3600 * 1000;
    int64_t delay = base_ms > 0 ? base_ms : 1;
    int i;
    for (i = 1; i < attempts && delay < day; i++) delay *= factor > 1 ? factor : 1;
    if (delay > day) delay = day;
    if (jitter < 0.75 || jitter >= 1.25) jitter = 1.0;
    return (int64_t)((double)delay * jitter);
}

static double jitter(lp_dispatch *d)
{
    const lp_clock *c = lp_store_clock(d->store);
    uint32_t r = 0;
    if (c->random(c->ud, &r, sizeof r) != 0) return 1.0;
    return 0.75 + 0.5 * ((double)r / 4294967296.0);
}

/* Events to deliveries ------------------------------------------------------------- */

static int in_json_list(const cJSON *list, const char *item, int prefix)
{
    const cJSON *e;
    if (cJSON_GetArraySize(list) == 0) return 1;
    if (!item) return 0;
    cJSON_ArrayForEach(e, list)
        if (cJSON_IsString(e) && (prefix ? strncmp(item, e->valuestring, strlen(e->valuestring)) == 0
                                         : strcmp(item, e->valuestring) == 0))
            return 1;
    return 0;
}

/* Adds the deliveries of one event to the webhooks it concerns. */
static int enqueue_event(lp_dispatch *d, const cJSON *hooks, const cJSON *ev, lp_err *err)
{
    const cJSON *h;
    int64_t seq = lp_json_int(ev, "seq", 0), company = lp_json_int(ev, "company_id", 0);
    int rc = LP_OK;
    if (!company) return LP_OK;
    cJSON_ArrayForEach(h, hooks) {
        cJSON *view;
        char *body;
        if (lp_json_int(h, "company_id", -1) != company || seq <= lp_json_int(h, "from_seq", 0) ||
            !in_json_list(cJSON_GetObjectItemCaseSensitive(h, "actions"), lp_json_str(ev, "action"), 1) ||
            !in_json_list(cJSON_GetObjectItemCaseSensitive(h, "object_types"), lp_json_str(ev, "object_type"), 0))
            continue;
        view = lp_events_view(ev, LP_ROLE_COMPANY, company);
        if (!view) continue;
        body = cJSON_PrintUnformatted(view);
        cJSON_Delete(view);
        rc = lp_webhooks_enqueue(d->store, lp_json_int(h, "id", 0), company, seq, lp_json_str(ev, "action"), body,
                                 NULL, err);
        cJSON_free(body);
        if (rc) break;
    }
    return rc;
}

/* Turns one page of new audit events into deliveries, moving the cursor in
 * the same transaction.  *more: another page follows. */
static int enqueue_page(lp_dispatch *d, int *more, lp_err *err)
{
    cJSON *hooks = NULL, *items = NULL;
    const cJSON *ev;
    int64_t cursor, next = 0, last;
    int rc, in_tx = 0, n;

    *more = 0;
    if ((rc = lp_webhooks_active(d->store, &hooks, err)) || (rc = lp_webhooks_cursor(d->store, &cursor, err)) ||
        (rc = lp_store_audit_list(d->store, NULL, NULL, NULL, 0, cursor, PAGE, &items, &next, err)))
        goto out;
    n = cJSON_GetArraySize(items);
    if (n == 0) goto out;
    last = lp_json_int(cJSON_GetArrayItem(items, n - 1), "seq", cursor);
    if (cJSON_GetArraySize(hooks) == 0 && !next && last - cursor < LAZY_CURSOR) goto out;
    if ((rc = lp_store_begin(d->store, err))) goto out;
    in_tx = 1;
    cJSON_ArrayForEach(ev, items)
        if ((rc = enqueue_event(d, hooks, ev, err))) goto out;
    rc = lp_webhooks_cursor_advance(d->store, cursor, last, err);
    if (rc == LP_ESTALE) { /* another node did this page */
        lp_store_rollback(d->store);
        in_tx = 0;
        rc = LP_OK;
        goto out;
    }
    if (rc || (rc = lp_store_commit(d->store, err))) goto out;
    in_tx = 0;
    *more = next != 0;
out:
    if (in_tx) lp_store_rollback(d->store);
    cJSON_Delete(hooks);
    cJSON_Delete(items);
    return rc;
}

/* Sending ------------------------------------------------------------------------ */

static void pump_start(lp_dispatch *d)
{
    struct timeval tv = {0, PUMP_MS * 1000};
    if (!event_pending(d->pump, EV_TIMEOUT, NULL)) event_add(d->pump, &tv);
}

static void start(lp_dispatch *d, const cJSON *item, const lp_webhook_settings *ws, int64_t now)
{
    xfer *x = lp_calloc(1, sizeof *x);
    char sig[128], hdr[256];
    const char *body = lp_json_str(item, "body");

    x->id = lp_json_int(item, "id", 0);
    x->attempts = (int)lp_json_int(item, "attempts", 0);
    x->body = lp_strdup(body ? body : "{}");
    lp_dispatch_sign(lp_json_str(item, "secret"), now / 1000, x->body, strlen(x->body), sig, sizeof sig);
    x->hdrs = curl_slist_append(x->hdrs, "Content-Type: application/json");
    snprintf(hdr, sizeof hdr, "X-Landport-Event: %.200s", lp_json_str(item, "event_type"));
    x->hdrs = curl_slist_append(x->hdrs, hdr);
    snprintf(hdr, sizeof hdr, "X-Landport-Delivery: %" PRId64, x->id);
    x->hdrs = curl_slist_append(x->hdrs, hdr);
    snprintf(hdr, sizeof hdr, "X-Landport-Signature: %s", sig);
    x->hdrs = curl_slist_append(x->hdrs, hdr);
    x->hdrs = curl_slist_append(x->hdrs, "Expect:");
    x->easy = curl_easy_init();
    curl_easy_setopt(x->easy, CURLOPT_URL, lp_json_str(item, "url"));
    curl_easy_setopt(x->easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(x->easy, CURLOPT_POSTFIELDS, x->body);
    curl_easy_setopt(x->easy, CURLOPT_POSTFIELDSIZE, (long)strlen(x->body));
    curl_easy_setopt(x->easy, CURLOPT_HTTPHEADER, x->hdrs);
    curl_easy_setopt(x->easy, CURLOPT_TIMEOUT_MS, (long)ws->timeout_ms);
    curl_easy_setopt(x->easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(x->easy, CURLOPT_USERAGENT, "landport-webhooks/1");
    curl_easy_setopt(x->easy, CURLOPT_ERRORBUFFER, x->errbuf);
    curl_easy_setopt(x->easy, CURLOPT_PRIVATE, x);
    curl_multi_add_handle(d->multi, x->easy);
    x->next = d->inflight;
    d->inflight = x;
    d->ninflight++;
    pump_start(d);
}

/* Sends the due deliveries, as many as the in-flight limit allows. */
static void send_due(lp_dispatch *d)
{
    lp_webhook_settings ws;
    cJSON *items = NULL;
    const cJSON *it;
    int64_t now = now_ms(d);
    lp_err err;

    lp_err_init(&err);
    if (d->ninflight >= MAX_INFLIGHT) return;
    if (lp_webhooks_settings_get(d->store, &ws, &err) ||
        lp_webhooks_due(d->store, now, MAX_INFLIGHT - d->ninflight, &items, &err)) {
        warn("reading due deliveries", &err);
        return;
    }
    cJSON_ArrayForEach(it, items) {
        if (lp_webhooks_claim(d->store, lp_json_int(it, "id", 0), lp_json_int(it, "next_attempt_at", 0),
                              now + ws.timeout_ms + LEASE_SLACK_MS, &err))
            continue; /* another node has it */
        start(d, it, &ws, now);
    }
    cJSON_Delete(items);
}

/* Wakes at the next retry (at most a minute ahead: the hub's poll kicks too).
 * With every transfer slot taken the end of a transfer sends the next; a
 * wake-up then would only read the same due deliveries again. */
static void schedule(lp_dispatch *d)
{
    int64_t at = 0, delay;
    struct timeval tv;
    lp_err err;
    lp_err_init(&err);
    if (d->ninflight >= MAX_INFLIGHT || lp_webhooks_next_due(d->store, &at, &err) || !at) return;
    delay = at - now_ms(d);
    if (delay < MIN_WAKE_MS) delay = MIN_WAKE_MS; /* never spin on a delivery it cannot take */
    if (delay > 60000) delay = 60000;
    tv.tv_sec = (time_t)(delay / 1000);
    tv.tv_usec = (suseconds_t)((delay % 1000) * 1000);
    event_del(d->wake);
    event_add(d->wake, &tv);
}

static void finish(lp_dispatch *d, xfer *x, CURLcode res)
{
    lp_webhook_settings ws;
    long code = 0;
    int attempts = x->attempts + 1, ok;
    char why[CURL_ERROR_SIZE + 32];
    const char *status;
    int64_t next = 0, now = now_ms(d);
    xfer **pp;
    lp_err err;

    lp_err_init(&err);
    curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &code);
    ok = res == CURLE_OK && code >= 200 && code <= 299;
    if (res != CURLE_OK) snprintf(why, sizeof why, "%s", x->errbuf[0] ? x->errbuf : curl_easy_strerror(res));
    else if (!ok) snprintf(why, sizeof why, "the receiver answered HTTP %ld", code);
    if (lp_webhooks_settings_get(d->store, &ws, &err)) warn("reading settings", &err);
    if (ok) status = "delivered";
    else if (attempts >= ws.max_attempts) status = "failed";
    else {
        status = "pending";
        next = now + lp_dispatch_backoff(ws.retry_base_ms, ws.retry_factor, attempts, jitter(d));
    }
    if (lp_webhooks_record(d->store, x->id, attempts, status, (int)code, ok ? NULL : why, next ? next : now, &err))
        warn("recording an attempt", &err);
    for (pp = &d->inflight; *pp; pp = &(*pp)->next)
        if (*pp == x) {
            *pp = x->next;
            break;
        }
    d->ninflight--;
    curl_multi_remove_handle(d->multi, x->easy);
    curl_easy_cleanup(x->easy);
    curl_slist_free_all(x->hdrs);
    lp_free(x->body);
    lp_free(x);
}

static void on_pump(evutil_socket_t fd, short what, void *arg)
{
    lp_dispatch *d = arg;
    int running = 0, left = 0, done = 0;
    CURLMsg *m;
    (void)fd, (void)what;
    curl_multi_perform(d->multi, &running);
    while ((m = curl_multi_info_read(d->multi, &left))) {
        xfer *x = NULL;
        if (m->msg != CURLMSG_DONE) continue;
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
        if (x) finish(d, x, m->data.result);
        done++;
    }
    if (done) {
        send_due(d);
        schedule(d);
    }
    if (d->ninflight) pump_start(d);
}

static void on_kick(evutil_socket_t fd, short what, void *arg)
{
    lp_dispatch *d = arg;
    int more = 1, pages = 0;
    lp_err err;
    (void)fd, (void)what;
    lp_err_init(&err);
    while (more && pages++ < 50)
        if (enqueue_page(d, &more, &err)) {
            warn("turning events into deliveries", &err);
            break;
        }
    send_due(d);
    schedule(d);
}

int lp_dispatch_create(struct event_base *base, lp_store *store, lp_dispatch **out, lp_err *err)
{
    lp_dispatch *d;
    *out = NULL;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) return lp_err_set(err, LP_EIO, "libcurl did not start");
    d = lp_calloc(1, sizeof *d);
    d->base = base;
    d->store = store;
    d->multi = curl_multi_init();
    d->kick = event_new(base, -1, 0, on_kick, d);
    d->wake = event_new(base, -1, 0, on_kick, d);
    d->pump = event_new(base, -1, 0, on_pump, d);
    *out = d;
    return LP_OK;
}

void lp_dispatch_destroy(lp_dispatch *d)
{
    if (!d) return;
    while (d->inflight) {
        xfer *x = d->inflight;
        d->inflight = x->next;
        curl_multi_remove_handle(d->multi, x->easy);
        curl_easy_cleanup(x->easy);
        curl_slist_free_all(x->hdrs);
        lp_free(x->body);
        lp_free(x);
    }
    curl_multi_cleanup(d->multi);
    event_free(d->kick);
    event_free(d->wake);
    event_free(d->pump);
    lp_free(d);
    curl_global_cleanup();
}

void lp_dispatch_kick(lp_dispatch *d)
{
    if (d && !event_pending(d->kick, EV_TIMEOUT, NULL)) event_active(d->kick, EV_TIMEOUT, 0);
}
