/* h_agv.c - HTTP handlers of the AGV fleet: vehicles, pause/resume all,
 * the road and its traffic, missions with their release at the inspection
 * stop and their trip record as CSV (h_agv.h, routes_agv.inc). */
#include "h_agv.h"

#include <event2/http.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/clock.h"
#include "../core/mem.h"
#include "../store/agvstore.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const lp_jfield mission_fields[] = {
    {"from", LP_J_STRING, LP_JF_NULLABLE, 1, 31, NULL, NULL,
     "Zone of the road the mission starts at.  A vehicle standing elsewhere on its side of km 0 drives there"
     " first.  Required unless agv is given; with agv and no from the mission starts where that AGV stands",
     "\"china_yard\""},
    {"to", LP_J_STRING, LP_JF_REQUIRED, 1, 31, NULL, NULL, "Zone of the road it goes to", "\"vn_yard\""},
    {"declaration_id", LP_J_STRING, LP_JF_NULLABLE, 1, 64, NULL, NULL,
     "The declaration (transport agv) of the load.  The mission may start before it is cleared: the AGV then"
     " waits at the inspection stop until the declaration's gate decision lets it cross", NULL},
    {"agv", LP_J_STRING, LP_JF_NULLABLE, 1, 63, NULL, NULL,
     "Serial number of the vehicle to use (it must be idle); by default the fleet picks the nearest idle one"
     " with enough battery",
     NULL},
};
const lp_jspec lp_spec_agv_mission = {mission_fields, N(mission_fields)};

static const lp_jfield release_fields[] = {
    {"reason", LP_J_STRING, LP_JF_REQUIRED, 1, 500, NULL, NULL, "Why the border guard releases the AGV",
     "\"seal checked, load matches\""},
};
const lp_jspec lp_spec_agv_release = {release_fields, N(release_fields)};

static const lp_jfield cancel_fields[] = {
    {"reason", LP_J_STRING, LP_JF_REQUIRED, 1, 500, NULL, NULL, "Why the mission is cancelled",
     "\"load withdrawn by the importer\""},
};
const lp_jspec lp_spec_agv_cancel = {cancel_fields, N(cancel_fields)};

const lp_qparam lp_query_agv_missions[] = {
    {"agv", "string", "Serial number of the vehicle"},
    {"state", "string", "planned, running, held_at_inspection, completed, cancelled, interrupted"},
    {0}};
static const char *const mission_filters[] = {"agv", "state", NULL};

const lp_qparam lp_query_agvs[] = {{"state", "string", "idle, on_mission, charging, lost or offline"}, {0}};

/* The fleet, or NULL after replying 503. */
static lp_fleet *fleet(lp_req *r)
{
    lp_fleet *f = lp_server_fleet(r->srv);
    if (!f) lp_reply_problem(r, 503, "the AGV fleet is off: start landport serve with --mqtt HOST:PORT", NULL);
    return f;
}

/* A page of the vehicles in registration order; the cursor is the index
 * of the next one (vehicles are never removed, so it stays valid). */
void lp_h_agvs_list(lp_req *r)
{
    lp_fleet *f = fleet(r);
    const char *state = lp_req_query(r, "state"), *cursor;
    int limit, start = 0;
    cJSON *items;
    char next[16], *end = NULL;
    lp_err err;
    if (!f || lp_req_page(r, &limit, &cursor)) return;
    lp_err_init(&err);
    if (state && !lp_fleet_agv_state_known(state))
        lp_err_field_add(&err, "?state", "must be idle, on_mission, charging, lost or offline");
    if (cursor) {
        long v = strtol(cursor, &end, 10);
        if (*end || v < 0 || v > 1000000 || !(*cursor >= '0' && *cursor <= '9'))
            lp_err_field_add(&err, "?cursor", "is not a cursor this server gave out");
        else
            start = (int)v;
    }
    if (err.nfields) {
        lp_reply_problem(r, 400, "invalid query parameters", &err);
        return;
    }
    items = lp_fleet_agvs_page(f, state, &start, limit);
    snprintf(next, sizeof next, "%d", start);
    lp_reply_page(r, items, start >= 0 ? next : NULL);
}

static void pause_all(lp_req *r, int pause)
{
    lp_fleet *f = fleet(r);
    lp_err err;
    cJSON *o;
    int n;
    char after[64];
    if (!f) return;
    lp_err_init(&err);
    n = lp_fleet_pause_all(f, pause);
    snprintf(after, sizeof after, "{\"vehicles\":%d}", n);
    if (lp_store_audit_append(r->store, &r->actor, pause ? "agv.pause_all" : "agv.resume_all", "agv", "*", 0, NULL,
                              after, &err)) {
        lp_reply_error(r, &err);
        return;
    }
    o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "vehicles", n);
    lp_reply_json(r, 200, o);
}

void lp_h_agvs_pause_all(lp_req *r) { pause_all(r, 1); }
void lp_h_agvs_resume_all(lp_req *r) { pause_all(r, 0); }

void lp_h_road_get(lp_req *r)
{
    lp_fleet *f = fleet(r);
    const lp_road *rd;
    cJSON *o, *a;
    int i;
    if (!f) return;
    rd = lp_fleet_road(f);
    o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", rd->id);
    cJSON_AddStringToObject(o, "name", rd->name);
    a = cJSON_AddArrayToObject(o, "nodes");
    for (i = 0; i < rd->nnodes; i++) {
        cJSON *n = cJSON_CreateObject();
        static const char *const kinds[] = {"point", "passing", "parking"};
        cJSON_AddStringToObject(n, "id", rd->nodes[i].id);
        cJSON_AddStringToObject(n, "name", rd->nodes[i].name);
        cJSON_AddNumberToObject(n, "x", rd->nodes[i].x);
        cJSON_AddNumberToObject(n, "y", rd->nodes[i].y);
        cJSON_AddStringToObject(n, "kind", kinds[rd->nodes[i].kind]);
        cJSON_AddItemToArray(a, n);
    }
    a = cJSON_AddArrayToObject(o, "edges");
    for (i = 0; i < rd->nedges; i++) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "id", rd->edges[i].id);
        cJSON_AddStringToObject(e, "from", rd->nodes[rd->edges[i].from].id);
        cJSON_AddStringToObject(e, "to", rd->nodes[rd->edges[i].to].id);
        cJSON_AddNumberToObject(e, "length_m", rd->edges[i].length_m);
        cJSON_AddNumberToObject(e, "speed_mps", rd->edges[i].speed_mps);
        cJSON_AddStringToObject(e, "lane", rd->edges[i].lane == LP_ROAD_SINGLE ? "single" : "double");
        cJSON_AddItemToArray(a, e);
    }
    a = cJSON_AddArrayToObject(o, "zones");
    for (i = 0; i < rd->nzones; i++) {
        cJSON *z = cJSON_CreateObject();
        cJSON_AddStringToObject(z, "id", rd->zones[i].id);
        cJSON_AddStringToObject(z, "name", rd->zones[i].name);
        cJSON_AddStringToObject(z, "node", rd->nodes[rd->zones[i].node].id);
        cJSON_AddItemToArray(a, z);
    }
    lp_reply_json(r, 200, o);
}

void lp_h_traffic_get(lp_req *r)
{
    lp_fleet *f = fleet(r);
    if (f) lp_reply_json(r, 200, lp_fleet_traffic_json(f));
}

/* The declaration of a mission must exist and be carried by AGV; an
 * uncleared one is no reason to refuse (the fleet holds the AGV at the
 * inspection stop), a withdrawn or expired one is. */
static int check_declaration(lp_req *r, const char *decl, lp_err *err)
{
    char status[40], transport[16];
    int rc = lp_agvstore_decl(r->store, decl, status, sizeof status, transport, sizeof transport, err);
    if (rc == LP_ENOTFOUND) {
        lp_err_init(err);
        lp_err_field_add(err, "/declaration_id", "no such declaration");
        return lp_err_set(err, LP_EINVAL, "unknown declaration %s", decl);
    }
    if (rc) return rc;
    if (strcmp(transport, "agv")) {
        lp_err_field_add(err, "/declaration_id", "declaration %s has transport %s, not agv", decl, transport);
        return lp_err_set(err, LP_EINVAL, "declaration %s is not carried by AGV (transport %s)", decl, transport);
    }
    if (!strcmp(status, "cancelled") || !strcmp(status, "expired")) {
        lp_err_field_add(err, "/declaration_id", "declaration %s is %s", decl, status);
        return lp_err_set(err, LP_ECONFLICT, "declaration %s is %s: there is nothing to carry", decl, status);
    }
    return LP_OK;
}

void lp_h_agv_missions_create(lp_req *r)
{
    lp_fleet *f = fleet(r);
    const char *decl = lp_json_str(r->body, "declaration_id");
    cJSON *rec = NULL, *stored = NULL;
    char *windows = NULL, loc[96];
    int64_t id;
    lp_err err;
    if (!f) return;
    lp_err_init(&err);
    if (decl && check_declaration(r, decl, &err)) goto fail;
    if (lp_agvstore_windows(r->store, &windows, &err)) goto fail;
    lp_fleet_set_windows(f, windows);
    if (lp_fleet_mission_plan(f, lp_json_str(r->body, "from"), lp_json_str(r->body, "to"),
                              lp_json_str(r->body, "agv"), &rec, &err))
        goto fail;
    if (decl) cJSON_AddStringToObject(rec, "declaration_id", decl);
    if (lp_table_insert(r->store, &lp_tbl_agv_missions, &r->actor, NULL, rec, &stored, &err)) goto fail;
    id = lp_json_int(stored, "id", 0);
    if (lp_fleet_mission_start(f, id, rec, &err)) goto fail;
    cJSON_Delete(stored);
    stored = NULL;
    snprintf(loc, sizeof loc, "%" PRId64, id);
    if (lp_table_get(r->store, &lp_tbl_agv_missions, loc, 0, &stored, &err)) goto fail;
    snprintf(loc, sizeof loc, "/api/v1/agv-missions/%" PRId64, id);
    evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Location", loc);
    net__etag(r, stored);
    lp_reply_json(r, 201, stored);
    stored = NULL;
    goto done;
fail:
    lp_reply_error(r, &err);
done:
    cJSON_Delete(rec);
    cJSON_Delete(stored);
    lp_free(windows);
}

/* Parses the {id} of a mission path; 0 (after filling err) when bad. */
static int64_t mission_id(lp_req *r, lp_err *err)
{
    char *end;
    int64_t id = strtoll(r->params[0], &end, 10);
    if (*end || id <= 0) {
        lp_err_set(err, LP_ENOTFOUND, "no mission %s", r->params[0]);
        return 0;
    }
    return id;
}

void lp_h_agv_missions_release(lp_req *r)
{
    lp_fleet *f = fleet(r);
    cJSON *rec = NULL;
    int64_t id;
    lp_err err;
    if (!f) return;
    lp_err_init(&err);
    if (!(id = mission_id(r, &err))) goto fail;
    if (lp_table_get(r->store, &lp_tbl_agv_missions, r->params[0], 0, &rec, &err)) goto fail;
    cJSON_Delete(rec);
    rec = NULL;
    /* the fleet records the release (audited) before the answer */
    if (lp_fleet_mission_release(f, id, r->actor.name, lp_json_str(r->body, "reason"), &err)) goto fail;
    if (lp_table_get(r->store, &lp_tbl_agv_missions, r->params[0], 0, &rec, &err)) goto fail;
    lp_reply_json(r, 200, rec);
    return;
fail:
    lp_reply_error(r, &err);
}

static void csv_row(lp_buf *b, const char *kind, const char *time, double x, double y, const char *place,
                    const char *cause, double dur, const char *note)
{
    char line[512];
    snprintf(line, sizeof line, "%s,%s,%.1f,%.1f,%s,%s,%.1f,%s\n", kind, time, x, y, place ? place : "",
             cause ? cause : "", dur, note ? note : "");
    lp_buf_puts(b, line);
}

void lp_h_agv_missions_trip(lp_req *r)
{
    cJSON *rec = NULL;
    const cJSON *it;
    lp_buf b;
    char ts[40];
    lp_err err;
    lp_err_init(&err);
    if (lp_table_get(r->store, &lp_tbl_agv_missions, r->params[0], 0, &rec, &err)) {
        lp_reply_error(r, &err);
        return;
    }
    lp_buf_init(&b);
    lp_buf_puts(&b, "kind,time,x,y,place,cause,duration_s,note\n");
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(rec, "track")) {
        lp_time_format((int64_t)cJSON_GetNumberValue(cJSON_GetArrayItem(it, 0)), ts, sizeof ts);
        csv_row(&b, "track", ts, cJSON_GetNumberValue(cJSON_GetArrayItem(it, 1)),
                cJSON_GetNumberValue(cJSON_GetArrayItem(it, 2)), NULL, NULL, 0, NULL);
    }
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(rec, "stops")) {
        lp_time_format((int64_t)lp_json_int(it, "start", 0), ts, sizeof ts);
        csv_row(&b, "stop", ts, 0, 0, lp_json_str(it, "place"), lp_json_str(it, "cause"),
                cJSON_GetNumberValue(cJSON_GetObjectItem(it, "duration_s")), NULL);
    }
    if (lp_json_str(rec, "handover_at"))
        csv_row(&b, "handover", lp_json_str(rec, "handover_at"), 0, 0, "handover", NULL, 0,
                "safety driver took over supervision");
    if (lp_json_str(rec, "released_at"))
        csv_row(&b, "release", lp_json_str(rec, "released_at"), 0, 0, "inspection", NULL, 0,
                lp_json_str(rec, "released_by"));
    snprintf(ts, sizeof ts, "%" PRId64, lp_json_int(rec, "distance_m", 0));
    csv_row(&b, "distance", lp_json_str(rec, "finished_at") ? lp_json_str(rec, "finished_at") : "", 0, 0, NULL, NULL,
            0, ts);
    lp_reply_text(r, 200, "text/csv", lp_buf_str(&b), strlen(lp_buf_str(&b)));
    lp_buf_deinit(&b);
    cJSON_Delete(rec);
}

void lp_h_agv_missions_cancel(lp_req *r)
{
    static const char *const finished[] = {"completed", "cancelled", "interrupted", NULL};
    lp_fleet *f = fleet(r);
    const char *state, *reason = lp_json_str(r->body, "reason");
    cJSON *rec = NULL, *patch = NULL;
    const lp_clock *ck;
    int64_t id;
    int i, rc;
    lp_err err;
    if (!f) return;
    lp_err_init(&err);
    if (!(id = mission_id(r, &err))) goto fail;
    if (lp_table_get(r->store, &lp_tbl_agv_missions, r->params[0], 0, &rec, &err)) goto fail;
    state = lp_json_str(rec, "state");
    for (i = 0; state && finished[i]; i++)
        if (!strcmp(state, finished[i])) {
            lp_err_set(&err, LP_ECONFLICT, "mission %s is %s", r->params[0], state);
            goto fail;
        }
    /* the fleet records the cancellation (audited) before the answer */
    rc = lp_fleet_mission_cancel(f, id, r->actor.name, reason, &err);
    if (rc == LP_ENOTFOUND) { /* planned, or not re-adopted after a restart: nothing drives it */
        lp_err_init(&err);
        ck = lp_store_clock(r->store);
        patch = cJSON_CreateObject();
        cJSON_AddStringToObject(patch, "state", "cancelled");
        cJSON_AddNumberToObject(patch, "cancelled_at", (double)ck->now_ms(ck->ud));
        cJSON_AddStringToObject(patch, "cancelled_by", r->actor.name);
        cJSON_AddStringToObject(patch, "cancel_reason", reason);
        cJSON_AddNullToObject(patch, "waiting_for");
        rc = lp_table_update(r->store, &lp_tbl_agv_missions, &r->actor, r->params[0], 0, -1, "cancel", patch, NULL,
                             &err);
    }
    if (rc) goto fail;
    cJSON_Delete(rec);
    rec = NULL;
    if (lp_table_get(r->store, &lp_tbl_agv_missions, r->params[0], 0, &rec, &err)) goto fail;
    lp_reply_json(r, 200, rec);
    cJSON_Delete(patch);
    return;
fail:
    lp_reply_error(r, &err);
    cJSON_Delete(rec);
    cJSON_Delete(patch);
}

int lp_h_agv_fleet_load(lp_fleet *f, lp_store *st, lp_err *err)
{
    char *windows = NULL;
    cJSON *open = NULL, *it;
    int rc = lp_agvstore_windows(st, &windows, err);
    if (rc) goto cleanup;
    lp_fleet_set_windows(f, windows);
    rc = lp_agvstore_missions_open(st, &open, err);
    if (rc) goto cleanup;
    cJSON_ArrayForEach(it, open) lp_fleet_mission_adopt(f, lp_json_int(it, "id", 0), it);
cleanup:
    lp_free(windows);
    cJSON_Delete(open);
    return rc;
}

void lp_h_agv_windows_refresh(lp_req *r)
{
    lp_fleet *f = lp_server_fleet(r->srv);
    char *windows = NULL;
    lp_err err;
    if (!f) return;
    lp_err_init(&err);
    if (lp_agvstore_windows(r->store, &windows, &err))
        fprintf(stderr, "landport fleet: cannot read the AGV windows: %s\n", err.msg);
    else lp_fleet_set_windows(f, windows);
    lp_free(windows);
}

void lp_h_agv_missions_list(lp_req *r) { net__list(r, &lp_tbl_agv_missions, mission_filters, NULL); }
void lp_h_agv_missions_get(lp_req *r) { net__get(r, &lp_tbl_agv_missions, NULL); }
