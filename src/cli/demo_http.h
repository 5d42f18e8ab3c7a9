/* demo_http.h - the small blocking HTTP client of `landport demo`'s traffic
 * generator: one JSON call to the local server at a time.  The server is on
 * loopback and each call is a single short request (a few ms), so the demo's
 * event loop is never held for long; a 5 s timeout bounds a stuck call. */
#ifndef LP_DEMO_HTTP_H
#define LP_DEMO_HTTP_H

#include <cjson/cJSON.h>
#include <stdarg.h>

typedef struct lp_demo_http lp_demo_http;

/* A client for base ("http://127.0.0.1:8080"); NULL when out of memory.
 * Free with lp_demo_http_free. */
lp_demo_http *lp_demo_http_new(const char *base);
void lp_demo_http_free(lp_demo_http *h);

/* method path with token (may be NULL) and a JSON body formatted from fmt
 * (NULL: no body).  Returns the HTTP status (0 when no answer came) and
 * writes the parsed answer to *out (may be NULL; caller frees with
 * cJSON_Delete; NULL when the answer is not JSON).  Writes "X-Reason" for
 * every write, as the API asks of staff. */
long lp_demo_http_call(lp_demo_http *h, const char *method, const char *path, const char *token, cJSON **out,
                       const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Member name of j as a number (0 when absent) or a string ("" when
 * absent); j may be NULL. */
long lp_demo_json_long(const cJSON *j, const char *name);
const char *lp_demo_json_str(const cJSON *j, const char *name);

/* How many calls were made and how many failed (no answer or status >= 500). */
void lp_demo_http_counts(const lp_demo_http *h, long *calls, long *failed);

#endif
