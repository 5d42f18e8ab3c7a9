/* schema_events.c - schema v5: notifications.  Companies' webhook endpoints
 * (webhooks, audited like every resource), their signing secrets (apart, so
 * that no record view can show them), the delivery outbox and log
 * (webhook_deliveries) and the dispatcher's position in the audit log
 * (webhook_cursor).  The store module is webhooks.c. */
#include "schema_parts.h"
#include "resources.h"
#include "table.h"

static const char v5_common[] =
    "CREATE TABLE webhooks ("
    " id {{AUTOID}}, company_id BIGINT NOT NULL REFERENCES companies(id), url TEXT NOT NULL,"
    " description TEXT, actions TEXT NOT NULL, object_types TEXT NOT NULL, active BIGINT NOT NULL,"
    " version BIGINT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);"
    "CREATE INDEX webhooks_company ON webhooks(company_id, id);"
    /* from_seq: the audit head when the webhook was made; it gets later events only. */
    "CREATE TABLE webhook_secrets ("
    " webhook_id BIGINT PRIMARY KEY, secret TEXT NOT NULL, from_seq BIGINT NOT NULL);"
    "CREATE TABLE webhook_deliveries ("
    " id {{AUTOID}}, webhook_id BIGINT NOT NULL, company_id BIGINT NOT NULL, event_seq BIGINT,"
    " event_type TEXT NOT NULL, body TEXT NOT NULL, status TEXT NOT NULL, attempts BIGINT NOT NULL,"
    " next_attempt_at BIGINT NOT NULL, last_status BIGINT, last_error TEXT, delivered_at BIGINT,"
    " created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, UNIQUE (webhook_id, event_seq));"
    "CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_attempt_at);"
    "CREATE INDEX webhook_deliveries_hook ON webhook_deliveries(webhook_id, id);"
    "CREATE TABLE webhook_cursor (id BIGINT PRIMARY KEY, seq BIGINT NOT NULL);"
    "INSERT INTO webhook_cursor SELECT 1, seq FROM audit_head WHERE id = 1;";

/* Delivery policy: first retry after 30 s, then x4 (2 min, 8 min, ...) with
 * jitter, 8 attempts in all, 10 s per attempt; at most 200 live event
 * streams per server. */
static int seed_notifications(lp_store *st, lp_err *err)
{
    static const lp_actor sys = {"system:migration", LP_ROLE_ADMIN, 0, "default notification settings"};
    cJSON *j = cJSON_Parse("{\"value\":{\"retry_base_ms\":30000,\"retry_factor\":4,\"max_attempts\":8,"
                           "\"timeout_ms\":10000,\"max_stream_clients\":200}}");
    int rc = lp_table_insert(st, &lp_tbl_settings, &sys, "notifications", j, NULL, err);
    cJSON_Delete(j);
    return rc;
}

const lp_schema_part lp_schema_events = {5, "notifications: webhooks and deliveries", v5_common, "", "",
                                         seed_notifications};
