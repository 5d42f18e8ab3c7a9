/* h_audit.c - reading the audit log (never writing it: there is no route
 * that changes or deletes an event).  A company sees only the events about
 * its own records. */
#include "handlers.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

void lp_h_audit_list(lp_req *r)
{
    int limit;
    const char *cursor;
    int64_t after = 0, next = 0;
    cJSON *items = NULL;
    char nbuf[32];
    lp_err err;

    lp_err_init(&err);
    if (lp_req_page(r, &limit, &cursor)) return;
    if (cursor) {
        char *end;
        after = strtoll(cursor, &end, 10);
        if (*end || after < 0) {
            lp_err_field_add(&err, "?cursor", "is not a cursor this server gave out");
            lp_reply_error(r, &err);
            return;
        }
    }
    if (lp_store_audit_list(r->store, lp_req_query(r, "object_type"), lp_req_query(r, "object_id"),
                            lp_req_query(r, "action"), lp_req_scope(r), after, limit, &items, &next, &err)) {
        lp_reply_error(r, &err);
        return;
    }
    snprintf(nbuf, sizeof nbuf, "%" PRId64, next);
    lp_reply_page(r, items, next ? nbuf : NULL);
}

void lp_h_audit_verify(lp_req *r)
{
    lp_audit_report rep;
    lp_err err;
    cJSON *o;
    int rc;
    lp_err_init(&err);
    rc = lp_store_audit_verify(r->store, &rep, NULL, NULL, &err);
    if (rc && rc != LP_ECORRUPT) {
        lp_reply_error(r, &err);
        return;
    }
    o = cJSON_CreateObject();
    cJSON_AddBoolToObject(o, "intact", rc == LP_OK);
    cJSON_AddNumberToObject(o, "events_checked", (double)rep.events);
    if (rep.first_bad) {
        cJSON_AddNumberToObject(o, "first_bad_seq", (double)rep.first_bad);
        cJSON_AddStringToObject(o, "problem", rep.why);
    }
    cJSON_AddStringToObject(o, "head_hash", rep.head_hash);
    lp_reply_json(r, 200, o);
}
