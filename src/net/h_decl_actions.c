/* h_decl_actions.c - what is done to a filed declaration besides amending
 * it: the amendment history, cancellation, the customs channel override and
 * the replay of a risk decision.  Cancel and override change the
 * declaration, its tasks and its crossing record in one transaction. */
#include "h_decl_internal.h"
#include "../core/mem.h"
#include "../store/clearance.h"
#include "../store/decl_tasks.h"
#include "../store/resources.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Amendment history ---------------------------------------------------------------------------- */

/* The members of after that differ from before, with both values. */
static void changed_members(const cJSON *before, const cJSON *after, cJSON *out_before, cJSON *out_after)
{
    const cJSON *m;
    cJSON_ArrayForEach(m, after) {
        const cJSON *b = cJSON_GetObjectItemCaseSensitive(before, m->string);
        if (strcmp(m->string, "version") == 0 || strcmp(m->string, "updated_at") == 0) continue;
        if (b && cJSON_Compare(b, m, 1)) continue;
        cJSON_AddItemToObject(out_before, m->string, b ? cJSON_Duplicate(b, 1) : cJSON_CreateNull());
        cJSON_AddItemToObject(out_after, m->string, cJSON_Duplicate(m, 1));
    }
}

void lp_h_declarations_amendments(lp_req *r)
{
    cJSON *rec = NULL, *events = NULL, *items;
    const cJSON *ev;
    const char *cursor;
    int64_t after = 0, next = 0;
    char ids[32], nbuf[32], *end;
    int limit;
    lp_err err;

    lp_err_init(&err);
    if (lp_req_page(r, &limit, &cursor)) return;
    if (cursor && ((after = strtoll(cursor, &end, 10)) < 0 || *end)) {
        lp_err_field_add(&err, "?cursor", "is not a cursor this server gave out");
        lp_reply_problem(r, 400, "the request has invalid query parameters", &err);
        return;
    }
    if (lp_table_get(r->store, &lp_tbl_declarations, r->params[0], lp_req_scope(r), &rec, &err)) {
        net__fail(r, &err, NULL);
        return;
    }
    net__decl_id_text(rec, ids);
    cJSON_Delete(rec);
    if (lp_store_audit_list(r->store, "declaration", ids, "declaration.amend", 0, after, limit, &events, &next, &err)) {
        lp_reply_error(r, &err);
        return;
    }
    items = cJSON_CreateArray();
    cJSON_ArrayForEach(ev, events) {
        const cJSON *b = cJSON_GetObjectItemCaseSensitive(ev, "before"), *a = cJSON_GetObjectItemCaseSensitive(ev, "after");
        cJSON *o = cJSON_CreateObject(), *ob, *oa;
        const char *reason = lp_json_str(ev, "reason");
        cJSON_AddNumberToObject(o, "seq", (double)lp_json_int(ev, "seq", 0));
        cJSON_AddNumberToObject(o, "amendment", (double)lp_json_int(a, "amendments", 0));
        cJSON_AddStringToObject(o, "at", lp_json_str(ev, "ts") ? lp_json_str(ev, "ts") : "");
        cJSON_AddStringToObject(o, "by", lp_json_str(ev, "actor") ? lp_json_str(ev, "actor") : "");
        cJSON_AddStringToObject(o, "role", lp_json_str(ev, "role") ? lp_json_str(ev, "role") : "");
        if (reason) cJSON_AddStringToObject(o, "reason", reason);
        else cJSON_AddNullToObject(o, "reason");
        ob = cJSON_AddObjectToObject(o, "before");
        oa = cJSON_AddObjectToObject(o, "after");
        changed_members(b, a, ob, oa);
        cJSON_AddItemToArray(items, o);
    }
    cJSON_Delete(events);
    snprintf(nbuf, sizeof nbuf, "%" PRId64, next);
    lp_reply_page(r, items, next ? nbuf : NULL);
}

/* Cancel and override ---------------------------------------------------------------------------- */


void lp_h_declarations_cancel(lp_req *r)
{
    static const char *const ok[] = {"pending", "held", "cleared", "rejected", NULL};
    lp_actor who = r->actor;
    cJSON *stored = NULL, *rec = NULL, *patch = NULL;
    const char *s;
    char ids[32];
    int rc, in_tx = 0;
    lp_err err;

    lp_err_init(&err);
    who.reason = lp_json_str(r->body, "reason");
    rc = lp_store_begin(r->store, &err);
    if (rc) goto out;
    in_tx = 1;
    rc = lp_table_get(r->store, &lp_tbl_declarations, r->params[0], lp_req_scope(r), &stored, &err);
    if (rc) goto out;
    s = net__decl_status_now(stored, net__decl_now(r->store));
    if (!net__decl_in_set(s, ok)) {
        rc = lp_err_set(&err, LP_ECONFLICT, "declaration %s is %s; it can no longer be cancelled", r->params[0], s);
        goto out;
    }
    net__decl_id_text(stored, ids);
    patch = cJSON_CreateObject();
    cJSON_AddStringToObject(patch, "status", "cancelled");
    rc = lp_table_update(r->store, &lp_tbl_declarations, &who, ids, 0, -1, "cancel", patch, &rec, &err);
    if (rc || (rc = lp_decl_tasks_cancel(r->store, &who, lp_json_int(stored, "id", 0), &err))) goto out;
    rc = lp_store_commit(r->store, &err);
    in_tx = 0;
    if (rc) goto out;
    net__decl_reply(r, 200, rec);
    rec = NULL;
out:
    if (in_tx) lp_store_rollback(r->store);
    if (rc) net__fail(r, &err, NULL);
    cJSON_Delete(stored);
    cJSON_Delete(rec);
    cJSON_Delete(patch);
}

void lp_h_declarations_override(lp_req *r)
{
    lp_actor who = r->actor;
    cJSON *stored = NULL, *rec = NULL, *patch = NULL;
    lp_risk_channel to = net__decl_channel_of(lp_json_str(r->body, "channel"));
    const char *cur;
    char ids[32];
    int64_t id;
    int rc, in_tx = 0;
    lp_err err;

    lp_err_init(&err);
    who.reason = lp_json_str(r->body, "reason");
    rc = lp_store_begin(r->store, &err);
    if (rc) goto out;
    in_tx = 1;
    rc = lp_table_get(r->store, &lp_tbl_declarations, r->params[0], 0, &stored, &err);
    if (rc || (rc = net__decl_amendable(r, stored, "have its channel changed", &err))) goto out;
    cur = lp_json_str(stored, "channel");
    if (net__decl_channel_of(cur) == to) {
        rc = lp_err_set(&err, LP_ECONFLICT, "declaration %s is already in the %s channel", r->params[0], cur);
        goto out;
    }
    id = lp_json_int(stored, "id", 0);
    net__decl_id_text(stored, ids);
    patch = cJSON_CreateObject();
    cJSON_AddStringToObject(patch, "channel", lp_risk_channel_name(to));
    cJSON_AddStringToObject(patch, "channel_source", "override");
    rc = lp_table_update(r->store, &lp_tbl_declarations, &who, ids, 0, -1, "override", patch, &rec, &err);
    if (rc ||
        (rc = lp_decl_tasks_adjust_customs(r->store, &who, id, lp_json_int(stored, "company_id", 0), to, "override",
                                           &err)) ||
        (rc = lp_decl_tasks_sync_crossing(r->store, &who, rec, &err)))
        goto out;
    cJSON_Delete(rec);
    rec = NULL;
    if ((rc = lp_clearance_refresh(r->store, &who, id, &rec, &err))) goto out;
    rc = lp_store_commit(r->store, &err);
    in_tx = 0;
    if (rc) goto out;
    net__decl_reply(r, 200, rec);
    rec = NULL;
out:
    if (in_tx) lp_store_rollback(r->store);
    if (rc) net__fail(r, &err, NULL);
    cJSON_Delete(stored);
    cJSON_Delete(rec);
    cJSON_Delete(patch);
}

/* Risk replay ------------------------------------------------------------------------------------- */

/* The stored decision and the same seed run again under today's rules:
 * the same channel means the decision is reproducible (or the rules that
 * decided it did not change); a different one says what changed since. */
void lp_h_declarations_risk(lp_req *r)
{
    lp_decl_parsed p;
    cJSON *rec = NULL, *replay = NULL, *o = NULL;
    const cJSON *stored_risk;
    lp_risk_channel ch = LP_RISK_RED;
    uint64_t seed;
    lp_err err, ignored;
    int rc;

    lp_err_init(&err);
    lp_err_init(&ignored);
    net__decl_parsed_init(&p);
    rc = lp_table_get(r->store, &lp_tbl_declarations, r->params[0], 0, &rec, &err);
    if (rc || (rc = net__decl_stored_seed(rec, &seed, &err))) goto out;
    /* What was stored passed every check; only the facts are wanted here. */
    net__decl_parse_and_check(NULL, rec, 0, 0, 0, &p, &ignored);
    rc = net__decl_run_risk(r->store, p.d, lp_json_int(rec, "company_id", 0), seed, &ch, &replay, &err);
    if (rc) goto out;
    cJSON_AddStringToObject(replay, "run", "replay");
    stored_risk = cJSON_GetObjectItemCaseSensitive(rec, "risk");
    o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "declaration_id", (double)lp_json_int(rec, "id", 0));
    cJSON_AddStringToObject(o, "channel", lp_json_str(rec, "channel") ? lp_json_str(rec, "channel") : "?");
    cJSON_AddStringToObject(o, "channel_source", lp_json_str(rec, "channel_source") ? lp_json_str(rec, "channel_source") : "?");
    cJSON_AddStringToObject(o, "risk_seed", lp_json_str(rec, "risk_seed"));
    cJSON_AddNumberToObject(o, "risk_algo", (double)lp_json_int(rec, "risk_algo", 0));
    cJSON_AddNumberToObject(o, "risk_algo_now", LP_RISK_ALGO_VERSION);
    cJSON_AddItemToObject(o, "stored", stored_risk ? cJSON_Duplicate(stored_risk, 1) : cJSON_CreateNull());
    cJSON_AddBoolToObject(o, "same_channel", lp_json_str(stored_risk, "channel") &&
                                                 strcmp(lp_json_str(stored_risk, "channel"), lp_risk_channel_name(ch)) == 0);
    cJSON_AddItemToObject(o, "replay", replay);
    replay = NULL;
    lp_reply_json(r, 200, o);
out:
    if (rc) net__fail(r, &err, NULL);
    net__decl_parsed_deinit(&p);
    cJSON_Delete(rec);
    cJSON_Delete(replay);
}
