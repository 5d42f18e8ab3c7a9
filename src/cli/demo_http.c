/* demo_http.c - blocking JSON calls of the demo's traffic generator on one
 * reused libcurl handle (demo_http.h). */
#include "demo_http.h"
#include "../core/buf.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct lp_demo_http {
    CURL *curl;
    char base[128];
    lp_buf answer; /* the answer being received */
    long calls, failed;
};

static size_t on_data(char *p, size_t size, size_t n, void *arg)
{
    lp_demo_http *h = arg;
    lp_buf_append(&h->answer, p, size * n);
    return size * n;
}

lp_demo_http *lp_demo_http_new(const char *base)
{
    lp_demo_http *h = calloc(1, sizeof *h);
    if (!h) return NULL;
    h->curl = curl_easy_init();
    if (!h->curl) {
        free(h);
        return NULL;
    }
    snprintf(h->base, sizeof h->base, "%s", base);
    lp_buf_init(&h->answer);
    return h;
}

void lp_demo_http_free(lp_demo_http *h)
{
    if (!h) return;
    curl_easy_cleanup(h->curl);
    lp_buf_deinit(&h->answer);
    free(h);
}

long lp_demo_http_call(lp_demo_http *h, const char *method, const char *path, const char *token, cJSON **out,
                       const char *fmt, ...)
{
    char url[1024], auth[256], body[8192];
    struct curl_slist *hdr = NULL;
    long status = 0;
    va_list ap;

    if (out) *out = NULL;
    snprintf(url, sizeof url, "%s%s", h->base, path);
    lp_buf_reset(&h->answer);
    curl_easy_reset(h->curl);
    curl_easy_setopt(h->curl, CURLOPT_URL, url);
    curl_easy_setopt(h->curl, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(h->curl, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(h->curl, CURLOPT_WRITEDATA, h);
    curl_easy_setopt(h->curl, CURLOPT_TIMEOUT_MS, 5000L);
    curl_easy_setopt(h->curl, CURLOPT_NOSIGNAL, 1L);
    if (token) {
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
        hdr = curl_slist_append(hdr, auth);
    }
    hdr = curl_slist_append(hdr, "X-Reason: landport demo traffic");
    if (fmt) {
        va_start(ap, fmt);
        vsnprintf(body, sizeof body, fmt, ap);
        va_end(ap);
        hdr = curl_slist_append(hdr, "Content-Type: application/json");
        curl_easy_setopt(h->curl, CURLOPT_POSTFIELDS, body);
    } else if (strcmp(method, "GET") != 0) {
        curl_easy_setopt(h->curl, CURLOPT_POSTFIELDS, "");
    }
    curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, hdr);
    h->calls++;
    if (curl_easy_perform(h->curl) == CURLE_OK) curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(hdr);
    if (status == 0 || status >= 500) h->failed++;
    if (out && h->answer.len) *out = cJSON_Parse(lp_buf_str(&h->answer));
    return status;
}

void lp_demo_http_counts(const lp_demo_http *h, long *calls, long *failed)
{
    *calls = h->calls;
    *failed = h->failed;
}

long lp_demo_json_long(const cJSON *j, const char *name)
{
    return (long)cJSON_GetNumberValue(cJSON_GetObjectItem(j, name));
}

const char *lp_demo_json_str(const cJSON *j, const char *name)
{
    const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(j, name));
    return s ? s : "";
}
