/* queuestore_group.c - a lane group of the e-queue rebuilt from its rows
 * (see queuestore.h): the lanes, the entries waiting or called, the
 * estimator; and the group created on first use. */
#include "queuestore_internal.h"
#include "resources.h"
#include "table.h"
#include "yardstore.h"
#include "../core/mem.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

int64_t queuestore__now(lp_store *st)
{
    const lp_clock *c = lp_store_clock(st);
    return c->now_ms(c->ud);
}

const char *const queuestore__class_names[] = {"perishable", "normal", "walk_in"};

lp_queue_class queuestore__class_of(const char *s)
{
    int i;
    for (i = 0; i < 3; i++)
        if (s && strcmp(s, queuestore__class_names[i]) == 0) return (lp_queue_class)i;
    return LP_QUEUE_NORMAL;
}

/* One group, rebuilt --------------------------------------------------------------- */


void queuestore__group_free(qgroup *g)
{
    lp_queue_destroy(g->q);
    lp_free(g->company);
    lp_free(g->ids);
    lp_free(g->plates);
    memset(g, 0, sizeof *g);
}

int queuestore__entry_index(const qgroup *g, int64_t id)
{
    int i;
    for (i = 0; i < g->n; i++)
        if (g->ids[i] == id) return i;
    return -1;
}

/* Creates group point:dir with the point's gate lanes unless it exists. */
int queuestore__group_ensure(lp_store *st, const lp_actor *who, const char *point, const char *dir, lp_err *err)
{
    lp_db *db = lp_store_db(st);
    char id[96], after[160];
    cJSON *cp = NULL;
    lp_db_res *r = NULL;
    int64_t lanes, l, now = queuestore__now(st);
    int rc;
    lp_queue_config dc;

    snprintf(id, sizeof id, "%s:%s", point, dir);
    rc = lp_db_query(db, "SELECT id FROM queue_groups WHERE id = ?", (lp_db_val[]){LP_DB_S(id)}, 1, &r, err);
    if (rc || lp_db_res_nrows(r) > 0) goto out;
    if (strcmp(dir, "export") && strcmp(dir, "import")) {
        rc = lp_err_set(err, LP_ENOTFOUND, "no direction '%s' (export or import)", dir);
        goto out;
    }
    if ((rc = lp_table_get(st, &lp_tbl_crossing_points, point, 0, &cp, err))) goto out;
    lanes = lp_json_int(cp, "lanes", 1);
    if (lanes < 1) lanes = 1;
    if (lanes > LP_QUEUE_LANES_MAX) lanes = LP_QUEUE_LANES_MAX;
    lp_queue_config_default(&dc);
    {
        lp_db_val p[6] = {LP_DB_S(id), LP_DB_S(point), LP_DB_S(dir), LP_DB_R((double)dc.prior_service_ms),
                          LP_DB_I(now), LP_DB_I(now)};
        rc = lp_db_query(db,
                         "INSERT INTO queue_groups (id, crossing_point_id, direction, state_version, service_ms,"
                         " samples, last_gate_ms, have_last, saturated, version, created_at, updated_at)"
                         " VALUES (?, ?, ?, 0, ?, 0, 0, 0, 0, 1, ?, ?)",
                         p, 6, NULL, err);
    }
    for (l = 1; rc == LP_OK && l <= lanes; l++) {
        lp_db_val p[4] = {LP_DB_S(id), LP_DB_I(l), LP_DB_I(LP_QUEUESTORE_LANE_CAPACITY), LP_DB_I(now)};
        rc = lp_db_query(db, "INSERT INTO queue_lanes (group_id, lane, capacity, paused, updated_at) VALUES (?, ?, ?, 0, ?)",
                         p, 4, NULL, err);
    }
    snprintf(after, sizeof after, "{\"lanes\":%" PRId64 ",\"capacity\":%d}", lanes, LP_QUEUESTORE_LANE_CAPACITY);
    if (rc == LP_OK) rc = lp_store_audit_append(st, who, "queue_group.create", "queue_group", id, 0, NULL, after, err);
out:
    cJSON_Delete(cp);
    lp_db_res_free(r);
    return rc;
}

/* Rebuilds group id (locked when lock is set) into *g. */
int queuestore__group_open(lp_store *st, const char *id, int lock, qgroup *g, lp_err *err)
{
    lp_db *db = lp_store_db(st);
    lp_db_res *r = NULL, *rl = NULL, *re = NULL;
    lp_queue_config cfg;
    lp_queue_rate_state rs;
    lp_yard_settings ys;
    char sql[320];
    int rc, i;

    memset(g, 0, sizeof *g);
    snprintf(g->id, sizeof g->id, "%s", id);
    snprintf(sql, sizeof sql,
             "SELECT state_version, service_ms, samples, last_gate_ms, have_last, saturated FROM queue_groups"
             " WHERE id = ?%s",
             lock && lp_db_dialect_of(db) == LP_DB_PG ? " FOR UPDATE" : "");
    if ((rc = lp_db_query(db, sql, (lp_db_val[]){LP_DB_S(id)}, 1, &r, err))) goto out;
    if (lp_db_res_nrows(r) == 0) {
        rc = lp_err_set(err, LP_ENOTFOUND, "no queue '%s'", id);
        goto out;
    }
    if ((rc = lp_yard_settings_get(st, &ys, err))) goto out;
    if ((rc = lp_db_query(db, "SELECT lane, capacity, paused FROM queue_lanes WHERE group_id = ? ORDER BY lane",
                          (lp_db_val[]){LP_DB_S(id)}, 1, &rl, err)))
        goto out;
    lp_queue_config_default(&cfg);
    cfg.nlanes = lp_db_res_nrows(rl);
    if (cfg.nlanes < 1 || cfg.nlanes > LP_QUEUE_LANES_MAX) {
        rc = lp_err_set(err, LP_ESTORE, "queue '%s' has %d lanes", id, cfg.nlanes);
        goto out;
    }
    for (i = 0; i < cfg.nlanes; i++) cfg.capacity[i] = (int)lp_db_res_int(rl, i, 1);
    cfg.no_show_window_ms = ys.no_show_window_ms;
    cfg.no_show_limit = ys.no_show_limit;
    /* Walk-ins already admitted stay; lp_queue_add is refused new ones
     * when the yard settings say so (checked by the caller). */
    cfg.walk_ins = 1;
    if (lp_queue_create(&cfg, &g->q)) {
        rc = lp_err_set(err, LP_ESTORE, "queue '%s': stored lanes out of range", id);
        goto out;
    }
    for (i = 0; i < cfg.nlanes; i++) lp_queue_lane_pause(g->q, i, lp_db_res_int(rl, i, 2) ? 1 : 0);
    if ((rc = lp_db_query(db,
                          "SELECT id, company_id, plate, class, slot_ms, arrival_ms, booked_slot_ms, yard_arrival_ms,"
                          " state, called_at_ms, lane, no_shows FROM queue_entries WHERE group_id = ?"
                          " AND state IN ('waiting', 'called') ORDER BY id",
                          (lp_db_val[]){LP_DB_S(id)}, 1, &re, err)))
        goto out;
    g->n = lp_db_res_nrows(re);
    g->ids = lp_calloc((size_t)g->n + 1, sizeof *g->ids);
    g->company = lp_calloc((size_t)g->n + 1, sizeof *g->company);
    g->plates = lp_calloc((size_t)g->n + 1, sizeof *g->plates);
    for (i = 0; i < g->n; i++) {
        lp_queue_truck t;
        memset(&t, 0, sizeof t);
        t.id = g->ids[i] = lp_db_res_int(re, i, 0);
        g->company[i] = lp_db_res_int(re, i, 1);
        snprintf(g->plates[i], sizeof g->plates[i], "%s", lp_db_res_text(re, i, 2));
        t.cls = queuestore__class_of(lp_db_res_text(re, i, 3));
        t.slot_ms = lp_db_res_int(re, i, 4);
        t.arrival_ms = lp_db_res_int(re, i, 5);
        t.booked_slot_ms = lp_db_res_int(re, i, 6);
        t.yard_arrival_ms = lp_db_res_int(re, i, 7);
        t.state = strcmp(lp_db_res_text(re, i, 8), "called") == 0 ? LP_QUEUE_CALLED : LP_QUEUE_WAITING;
        t.called_at_ms = lp_db_res_int(re, i, 9);
        t.lane = (int)lp_db_res_int(re, i, 10) - 1;
        t.no_shows = (int)lp_db_res_int(re, i, 11);
        if (t.no_shows >= cfg.no_show_limit) t.no_shows = cfg.no_show_limit - 1; /* the limit was lowered */
        if (lp_queue_restore(g->q, &t)) {
            rc = lp_err_set(err, LP_ESTORE, "queue '%s': entry %" PRId64 " is out of range", id, t.id);
            goto out;
        }
    }
    g->state_version = lp_db_res_int(r, 0, 0);
    rs.service_ms = lp_db_res_real(r, 0, 1);
    rs.samples = lp_db_res_int(r, 0, 2);
    rs.last_gate_ms = lp_db_res_int(r, 0, 3);
    rs.have_last = lp_db_res_int(r, 0, 4) ? 1 : 0;
    rs.saturated = lp_db_res_int(r, 0, 5) ? 1 : 0;
    if (lp_queue_rate_state_set(g->q, &rs)) rc = lp_err_set(err, LP_ESTORE, "queue '%s': rate state out of range", id);
out:
    lp_db_res_free(r);
    lp_db_res_free(rl);
    lp_db_res_free(re);
    if (rc) queuestore__group_free(g);
    return rc;
}

/* The group and state of entry id; group "" when none. */
int queuestore__entry_group(lp_store *st, int64_t id, char group[96], char state[16], lp_err *err)
{
    lp_db_res *r = NULL;
    int rc = lp_db_query(lp_store_db(st), "SELECT group_id, state FROM queue_entries WHERE id = ?",
                         (lp_db_val[]){LP_DB_I(id)}, 1, &r, err);
    group[0] = state[0] = '\0';
    if (rc == LP_OK && lp_db_res_nrows(r) > 0) {
        snprintf(group, 96, "%s", lp_db_res_text(r, 0, 0));
        snprintf(state, 16, "%s", lp_db_res_text(r, 0, 1));
    }
    lp_db_res_free(r);
    return rc;
}

/* Splits "point:dir" into its parts (point at most 63 bytes). */
int queuestore__split_group(const char *id, char point[64], char dir[16])
{
    const char *c = strrchr(id, ':');
    if (!c || c == id || (size_t)(c - id) >= 64 || strlen(c + 1) >= 16) return 0;
    memcpy(point, id, (size_t)(c - id));
    point[c - id] = '\0';
    snprintf(dir, 16, "%s", c + 1);
    return 1;
}

void queuestore__add_time(cJSON *o, const char *name, int64_t ms)
{
    char ts[40];
    if (ms <= 0) {
        cJSON_AddNullToObject(o, name);
        return;
    }
    lp_time_format(ms, ts, sizeof ts);
    cJSON_AddStringToObject(o, name, ts);
}

