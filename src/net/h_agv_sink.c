/* h_agv_sink.c - the fleet manager's sink (agv/fleet.h): vehicle and mission
 * changes become audited records (store/agvstore.h) and live events. */
#include "h_agv.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../store/agvstore.h"

static const lp_actor fleet_actor = {"system:fleet", LP_ROLE_ADMIN, 0, "AGV fleet manager"};

static void on_agv(void *ud, const char *serial, const char *action, const cJSON *rec)
{
    lp_agv_sink_ctx *c = ud;
    lp_err err;
    lp_err_init(&err);
    if (lp_agvstore_agv_put(c->store, &fleet_actor, serial, action, rec, &err))
        fprintf(stderr, "landport fleet: cannot record agv %s: %s\n", serial, err.msg);
    lp_events_kick(c->hub);
}

/* The members of rec that are columns of the missions table. */
static cJSON *columns(const cJSON *rec)
{
    cJSON *p = cJSON_CreateObject();
    const cJSON *it;
    int i;
    cJSON_ArrayForEach(it, rec) {
        for (i = 0; i < lp_tbl_agv_missions.ncols; i++)
            if (!strcmp(it->string, lp_tbl_agv_missions.cols[i].name))
                cJSON_AddItemToObject(p, it->string, cJSON_Duplicate(it, 1));
    }
    return p;
}

static void on_mission(void *ud, int64_t id, const char *action, const cJSON *rec)
{
    lp_agv_sink_ctx *c = ud;
    char sid[24];
    cJSON *patch = columns(rec);
    lp_err err;
    lp_err_init(&err);
    snprintf(sid, sizeof sid, "%" PRId64, id);
    if (lp_table_update(c->store, &lp_tbl_agv_missions, &fleet_actor, sid, 0, -1, action, patch, NULL, &err))
        fprintf(stderr, "landport fleet: cannot record mission %s: %s\n", sid, err.msg);
    cJSON_Delete(patch);
    lp_events_kick(c->hub);
}

static int on_mission_new(void *ud, const cJSON *rec, int64_t *id)
{
    lp_agv_sink_ctx *c = ud;
    cJSON *stored = NULL;
    lp_err err;
    lp_err_init(&err);
    if (lp_table_insert(c->store, &lp_tbl_agv_missions, &fleet_actor, NULL, rec, &stored, &err)) {
        fprintf(stderr, "landport fleet: cannot record a new mission: %s\n", err.msg);
        return -1;
    }
    *id = lp_json_int(stored, "id", 0);
    cJSON_Delete(stored);
    lp_events_kick(c->hub);
    return 0;
}

/* The clearance's gate decision for the fleet's customs hold. */
static int on_decl_ok(void *ud, const char *decl_id, char *status, size_t n)
{
    lp_agv_sink_ctx *c = ud;
    lp_err err;
    lp_err_init(&err);
    if (lp_agvstore_decl_status(c->store, decl_id, status, n, &err)) {
        fprintf(stderr, "landport fleet: cannot read declaration %s: %s\n", decl_id, err.msg);
        return -1;
    }
    return lp_agvstore_decl_crossing_ok(status);
}

/* An alert: an audit event "agv.alert_raised" on the vehicle naming kind and detail
 * (the vehicle's record itself changes through on_agv). */
static void on_alert(void *ud, const char *serial, const char *kind, const char *detail)
{
    lp_agv_sink_ctx *c = ud;
    cJSON *after = cJSON_CreateObject();
    char *text;
    lp_err err;
    lp_err_init(&err);
    cJSON_AddStringToObject(after, "kind", kind);
    cJSON_AddStringToObject(after, "detail", detail);
    text = cJSON_PrintUnformatted(after);
    if (lp_store_audit_append(c->store, &fleet_actor, "agv.alert_raised", "agv", serial, 0, NULL, text, &err))
        fprintf(stderr, "landport fleet: cannot record the alert on %s: %s\n", serial, err.msg);
    cJSON_free(text);
    cJSON_Delete(after);
    lp_events_kick(c->hub);
}

static void on_publish(void *ud, const char *type, cJSON *data)
{
    lp_agv_sink_ctx *c = ud;
    if (c->hub) lp_events_publish(c->hub, type, 0, data);
    else cJSON_Delete(data);
}

void lp_h_agv_sink(lp_fleet_sink *sink, lp_agv_sink_ctx *c)
{
    sink->agv = on_agv;
    sink->mission = on_mission;
    sink->mission_new = on_mission_new;
    sink->publish = on_publish;
    sink->decl_ok = on_decl_ok;
    sink->alert = on_alert;
    sink->ud = c;
}
