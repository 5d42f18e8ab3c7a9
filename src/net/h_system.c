/* h_system.c - /healthz, /metrics and the OpenAPI document. */
#include "handlers.h"

#include <string.h>

void lp_h_healthz(lp_req *r)
{
    cJSON *o = cJSON_CreateObject();
    int version = 0;
    lp_err err;
    lp_err_init(&err);
    /* Reading the schema version proves the store answers. */
    if (lp_store_schema_version(r->store, &version, &err)) {
        cJSON_AddStringToObject(o, "status", "unavailable");
        cJSON_AddStringToObject(o, "store", "error");
        lp_reply_json(r, 503, o);
        return;
    }
    cJSON_AddStringToObject(o, "status", "ok");
    cJSON_AddStringToObject(o, "store", lp_db_backend_name(lp_store_db(r->store)));
    cJSON_AddNumberToObject(o, "schema_version", version);
    lp_reply_json(r, 200, o);
}

void lp_h_metrics(lp_req *r)
{
    lp_buf b;
    lp_buf_init(&b);
    lp_server_metrics_text(r->srv, &b);
    lp_reply_text(r, 200, "text/plain; version=0.0.4", lp_buf_str(&b), b.len);
    lp_buf_deinit(&b);
}

void lp_h_openapi(lp_req *r)
{
    const char *doc = lp_server_openapi(r->srv);
    lp_reply_text(r, 200, "application/json", doc, strlen(doc));
}
