/* queuestore.c - the e-queue's tables and the lp_queue rebuilt from them on
 * every operation (see queuestore.h).  Rebuilding per operation rather
 * than caching keeps one truth across processes; a group holds a few
 * thousand rows at most (the 2021 backlog was about 4,800 trucks). */
#include "queuestore.h"
#include "resources.h"
#include "table.h"
#include "yardstore.h"
#include "../core/mem.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int64_t now_ms(lp_store *st)
{
    const lp_clock *c = lp_store_clock(st);
    return c->now_ms(c->ud);
}

static const char *const class_names[] = {"perishable", "normal", "walk_in"};

static lp_queue_class class_of(const char *s)
{
    int i;
    for (i = 0; i < 3; i++)
        if (s && strcmp(s, class_names[i]) == 0) return (lp_queue_class)i;
    return LP_QUEUE_NORMAL;
}

/* One group, rebuilt --------------------------------------------------------------- */

typedef struct qgroup {
    char id[96];
    lp_queue *q;
    int nlanes;
    int64_t state_version;
    int64_t *company; /* per entry row loaded: company of truck id (parallel to ids) */
    int64_t *ids;
    char (*plates)[40];
    int n;
} qgroup;

static void group_free(qgroup *g)
{
    lp_queue_destroy(g->q);
    lp_free(g->company);
    lp_free(g->ids);
    lp_free(g->plates);
    memset(g, 0, sizeof *g);
}

static int entry_index(const qgroup *g, int64_t id)
{
    int i;
    for (i = 0; i < g->n; i++)
        if (g->ids[i] == id) return i;
    return -1;
}

/* Creates group point:dir with the point's gate lanes unless it exists. */
static int group_ensure(lp_store *st, const lp_actor *who, const char *point, const char *dir, lp_err *err)
{
    lp_db *db = lp_store_db(st);
    char id[96], after[160];
    cJSON *cp = NULL;
    lp_db_res *r = NULL;
    int64_t lanes, l, now = now_ms(st);
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
static int group_open(lp_store *st, const char *id, int lock, qgroup *g, lp_err *err)
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
        t.cls = class_of(lp_db_res_text(re, i, 3));
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
    if (rc) group_free(g);
    return rc;
}

/* Writing back ------------------------------------------------------------------ */

static void add_time(cJSON *o, const char *name, int64_t ms)
{
    char ts[40];
    if (ms <= 0) {
        cJSON_AddNullToObject(o, name);
        return;
    }
    lp_time_format(ms, ts, sizeof ts);
    cJSON_AddStringToObject(o, name, ts);
}

/* The audit record of one event: the state that produced it. */
static char *event_json(const qgroup *g, const lp_queue_event *ev, const char *plate)
{
    cJSON *o = cJSON_CreateObject();
    char *s;
    cJSON_AddStringToObject(o, "queue", g->id);
    cJSON_AddStringToObject(o, "event", lp_queue_event_name(ev->kind));
    cJSON_AddStringToObject(o, "plate", plate);
    add_time(o, "at", ev->at_ms);
    cJSON_AddStringToObject(o, "state", lp_queue_state_name(ev->state));
    cJSON_AddStringToObject(o, "class", lp_queue_class_name(ev->cls));
    add_time(o, "slot", ev->slot_ms);
    add_time(o, "arrival", ev->arrival_ms);
    cJSON_AddNumberToObject(o, "position", ev->position);
    if (ev->lane >= 0) cJSON_AddNumberToObject(o, "lane", ev->lane + 1);
    else cJSON_AddNullToObject(o, "lane");
    add_time(o, "called_at", ev->called_at_ms);
    cJSON_AddNumberToObject(o, "no_shows", ev->no_shows);
    cJSON_AddNumberToObject(o, "waiting", ev->waiting);
    s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return s;
}

/* Writes truck id's row as the queue now holds it (or its final state
 * from the event) and the event's audit record. */
static int save_event(lp_store *st, const lp_actor *who, const qgroup *g, const lp_queue_event *ev, lp_err *err)
{
    lp_queue_truck t;
    int i = entry_index(g, ev->truck_id), rc;
    char action[40], oid[32], *after;
    int64_t now = now_ms(st);
    const char *plate = i >= 0 ? g->plates[i] : "";

    if (lp_queue_get(g->q, ev->truck_id, &t) == LP_OK) {
        lp_db_val p[9] = {LP_DB_S(t.state == LP_QUEUE_CALLED ? "called" : "waiting"), LP_DB_I(t.slot_ms),
                          LP_DB_I(t.arrival_ms), LP_DB_I(t.called_at_ms), LP_DB_I(t.lane + 1),
                          LP_DB_I(t.no_shows), LP_DB_I(now), LP_DB_I(t.id), LP_DB_S(g->id)};
        rc = lp_db_query(lp_store_db(st),
                         "UPDATE queue_entries SET state = ?, slot_ms = ?, arrival_ms = ?, called_at_ms = ?, lane = ?,"
                         " no_shows = ?, updated_at = ? WHERE id = ? AND group_id = ?",
                         p, 9, NULL, err);
    } else {
        lp_db_val p[5] = {LP_DB_S(lp_queue_event_name(ev->kind)), LP_DB_I(ev->no_shows), LP_DB_I(now),
                          LP_DB_I(ev->truck_id), LP_DB_S(g->id)};
        rc = lp_db_query(lp_store_db(st),
                         "UPDATE queue_entries SET state = ?, no_shows = ?, lane = 0, updated_at = ?"
                         " WHERE id = ? AND group_id = ?",
                         p, 5, NULL, err);
    }
    if (rc) return rc;
    snprintf(action, sizeof action, "queue.%s", lp_queue_event_name(ev->kind));
    snprintf(oid, sizeof oid, "%" PRId64, ev->truck_id);
    after = event_json(g, ev, plate);
    rc = lp_store_audit_append(st, who, action, "queue_entry", oid, i >= 0 ? g->company[i] : 0, NULL, after, err);
    cJSON_free(after);
    return rc;
}

static int save_rate(lp_store *st, qgroup *g, lp_err *err)
{
    lp_queue_rate_state rs;
    lp_queue_rate_state_get(g->q, &rs);
    {
        lp_db_val p[8] = {LP_DB_I(g->state_version + 1), LP_DB_R(rs.service_ms), LP_DB_I(rs.samples),
                          LP_DB_I(rs.last_gate_ms), LP_DB_I(rs.have_last), LP_DB_I(rs.saturated), LP_DB_I(now_ms(st)),
                          LP_DB_S(g->id)};
        return lp_db_query(lp_store_db(st),
                           "UPDATE queue_groups SET state_version = ?, service_ms = ?, samples = ?, last_gate_ms = ?,"
                           " have_last = ?, saturated = ?, updated_at = ? WHERE id = ?",
                           p, 8, NULL, err);
    }
}

/* Calls forward at now and saves every event and the estimator.  *n (may
 * be NULL) receives the number of events written by the call. */
#define CALL_BATCH 64
static int call_and_save(lp_store *st, const lp_actor *who, qgroup *g, int *n, lp_err *err)
{
    lp_queue_event ev[CALL_BATCH];
    int k, i, rc, total = 0;
    int64_t now = now_ms(st);
    do {
        if (lp_queue_call(g->q, now, ev, CALL_BATCH, &k)) return lp_err_set(err, LP_ESTORE, "queue call refused");
        for (i = 0; i < k; i++)
            if ((rc = save_event(st, who, g, &ev[i], err))) return rc;
        total += k;
    } while (k == CALL_BATCH);
    if (n) *n = total;
    return save_rate(st, g, err);
}

/* Runs op on the locked group id in a transaction (nested in the caller's
 * if any), then calls forward and saves, then runs post (may be NULL: a
 * look at the queue as it now is). */
typedef int (*group_op)(lp_store *st, const lp_actor *who, qgroup *g, void *arg, lp_err *err);

static int with_group_post(lp_store *st, const lp_actor *who, const char *id, group_op op, group_op post, void *arg,
                           int *events, lp_err *err)
{
    qgroup g;
    int rc;
    memset(&g, 0, sizeof g);
    if ((rc = lp_store_begin(st, err))) return rc;
    if ((rc = group_open(st, id, 1, &g, err))) goto fail;
    if (op && (rc = op(st, who, &g, arg, err))) goto fail;
    if ((rc = call_and_save(st, who, &g, events, err))) goto fail;
    if (post && (rc = post(st, who, &g, arg, err))) goto fail;
    group_free(&g);
    return lp_store_commit(st, err);
fail:
    group_free(&g);
    lp_store_rollback(st);
    return rc;
}

static int with_group(lp_store *st, const lp_actor *who, const char *id, group_op op, void *arg, int *events,
                      lp_err *err)
{
    return with_group_post(st, who, id, op, NULL, arg, events, err);
}

/* Operations ---------------------------------------------------------------------- */

typedef struct add_arg {
    const lp_queuestore_truck *t;
    int *pos;
    int64_t *eta;
} add_arg;

static int op_add(lp_store *st, const lp_actor *who, qgroup *g, void *arg, lp_err *err)
{
    const lp_queuestore_truck *t = ((add_arg *)arg)->t;
    int64_t now = now_ms(st);
    int rc = lp_queue_add(g->q, t->visit_id, t->cls, t->slot_ms, t->arrival_ms);
    (void)who;
    if (rc == LP_ECONFLICT) return lp_err_set(err, rc, "visit %" PRId64 " is already in the queue", t->visit_id);
    if (rc) return lp_err_set(err, rc, "the queue refused visit %" PRId64, t->visit_id);
    {
        lp_db_val p[11] = {LP_DB_I(t->visit_id), LP_DB_S(g->id), t->company_id ? LP_DB_I(t->company_id) : LP_DB_NUL,
                           LP_DB_S(t->plate), LP_DB_S(class_names[t->cls]), LP_DB_I(t->slot_ms),
                           LP_DB_I(t->arrival_ms), LP_DB_I(t->slot_ms), LP_DB_I(t->arrival_ms), LP_DB_I(now),
                           LP_DB_I(now)};
        rc = lp_db_query(lp_store_db(st),
                         "INSERT INTO queue_entries (id, group_id, company_id, plate, class, slot_ms, arrival_ms,"
                         " booked_slot_ms, yard_arrival_ms, state, called_at_ms, lane, no_shows, created_at, updated_at)"
                         " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'waiting', 0, 0, 0, ?, ?)",
                         p, 11, NULL, err);
    }
    if (rc) return rc;
    /* Known to the write-back from now on. */
    g->ids[g->n] = t->visit_id;
    g->company[g->n] = t->company_id;
    snprintf(g->plates[g->n], sizeof g->plates[0], "%s", t->plate);
    g->n++;
    return LP_OK;
}

/* The position and estimate of the truck just added, after the call. */
static int post_add(lp_store *st, const lp_actor *who, qgroup *g, void *arg, lp_err *err)
{
    add_arg *a = arg;
    int p = 0;
    int64_t e = 0;
    (void)st, (void)who, (void)err;
    lp_queue_position(g->q, a->t->visit_id, &p, &e);
    if (a->pos) *a->pos = p;
    if (a->eta) *a->eta = e;
    return LP_OK;
}

int lp_queuestore_add(lp_store *st, const lp_actor *who, const lp_queuestore_truck *t, int *pos, int64_t *eta_ms,
                      lp_err *err)
{
    char id[96];
    add_arg a = {t, pos, eta_ms};
    int rc;
    lp_yard_settings ys;

    if ((rc = lp_store_begin(st, err))) return rc;
    if ((rc = lp_yard_settings_get(st, &ys, err))) goto fail;
    if (t->cls == LP_QUEUE_WALKIN && !ys.walk_ins) {
        rc = lp_err_set(err, LP_EFORBIDDEN, "walk-ins are not admitted (settings yard.walk_ins)");
        goto fail;
    }
    if ((rc = group_ensure(st, who, t->point, t->dir, err))) goto fail;
    snprintf(id, sizeof id, "%s:%s", t->point, t->dir);
    if ((rc = with_group_post(st, who, id, op_add, post_add, &a, NULL, err))) goto fail;
    return lp_store_commit(st, err);
fail:
    lp_store_rollback(st);
    return rc;
}

/* The group and state of entry id; group "" when none. */
static int entry_group(lp_store *st, int64_t id, char group[96], char state[16], lp_err *err)
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

typedef struct one_arg {
    int64_t id;
    int done;
    const char *kind;
} one_arg;

static int op_exit(lp_store *st, const lp_actor *who, qgroup *g, void *arg, lp_err *err)
{
    one_arg *a = arg;
    lp_queue_truck t;
    lp_queue_event ev;
    if (lp_queue_get(g->q, a->id, &t) || t.state != LP_QUEUE_WAITING) return LP_OK;
    if (lp_queue_withdraw(g->q, a->id, now_ms(st), &ev)) return LP_OK;
    a->done = 1;
    return save_event(st, who, g, &ev, err);
}

int lp_queuestore_yard_exit(lp_store *st, const lp_actor *who, int64_t visit_id, int *withdrawn, lp_err *err)
{
    char group[96], state[16];
    one_arg a = {visit_id, 0, NULL};
    int rc;
    if (withdrawn) *withdrawn = 0;
    if ((rc = entry_group(st, visit_id, group, state, err))) return rc;
    if (!group[0] || strcmp(state, "waiting") != 0) return LP_OK;
    rc = with_group(st, who, group, op_exit, &a, NULL, err);
    if (rc == LP_OK && withdrawn) *withdrawn = a.done;
    return rc;
}

static int op_arrive(lp_store *st, const lp_actor *who, qgroup *g, void *arg, lp_err *err)
{
    one_arg *a = arg;
    lp_queue_event ev;
    int rc = lp_queue_arrived_at_gate(g->q, a->id, now_ms(st), &ev);
    if (rc != LP_OK && !(rc == LP_ECONFLICT && (ev.kind == LP_QUEUE_EV_NO_SHOW || ev.kind == LP_QUEUE_EV_REMOVED)))
        return LP_OK; /* not called (waiting): the gate decides on its own */
    a->kind = lp_queue_event_name(ev.kind);
    return save_event(st, who, g, &ev, err);
}

int lp_queuestore_gate_arrival(lp_store *st, const lp_actor *who, const char *point, const char *plate,
                               const char **kind, lp_err *err)
{
    lp_db_res *r = NULL;
    lp_db_val p[2] = {LP_DB_S(point), LP_DB_S(plate)};
    one_arg a = {0, 0, ""};
    char group[96];
    int rc;

    if (kind) *kind = "";
    rc = lp_db_query(lp_store_db(st),
                     "SELECT e.id, e.group_id FROM queue_entries e JOIN queue_groups g ON g.id = e.group_id"
                     " WHERE g.crossing_point_id = ? AND e.plate = ? AND e.state = 'called' ORDER BY e.id LIMIT 1",
                     p, 2, &r, err);
    if (rc || lp_db_res_nrows(r) == 0) goto out;
    a.id = lp_db_res_int(r, 0, 0);
    snprintf(group, sizeof group, "%s", lp_db_res_text(r, 0, 1));
    rc = with_group(st, who, group, op_arrive, &a, NULL, err);
    if (rc == LP_OK && kind) *kind = a.kind;
out:
    lp_db_res_free(r);
    return rc;
}

/* Whether lp_queue_call would change group id at now: a called truck is
 * late, or a truck waits and an open lane has a free place.  Asked of the
 * tables with counts, so that an idle tick does not rebuild the queue. */
static int group_due(lp_store *st, const char *id, int64_t window_ms, int *due, lp_err *err)
{
    lp_db_res *r = NULL;
    lp_db_val p[5] = {LP_DB_S(id), LP_DB_I(now_ms(st) - window_ms), LP_DB_S(id), LP_DB_S(id), LP_DB_S(id)};
    int rc = lp_db_query(lp_store_db(st),
                         "SELECT (SELECT COUNT(*) FROM queue_entries WHERE group_id = ? AND state = 'called'"
                         " AND called_at_ms < ?),"
                         " (SELECT COUNT(*) FROM queue_entries WHERE group_id = ? AND state = 'waiting'),"
                         " (SELECT COUNT(*) FROM queue_lanes l WHERE l.group_id = ? AND l.paused = 0 AND l.capacity >"
                         " (SELECT COUNT(*) FROM queue_entries e WHERE e.group_id = ? AND e.state = 'called'"
                         " AND e.lane = l.lane))",
                         p, 5, &r, err);
    *due = rc == LP_OK && lp_db_res_nrows(r) > 0 &&
           (lp_db_res_int(r, 0, 0) > 0 || (lp_db_res_int(r, 0, 1) > 0 && lp_db_res_int(r, 0, 2) > 0));
    lp_db_res_free(r);
    return rc;
}

int lp_queuestore_tick(lp_store *st, const lp_actor *who, int *events, lp_err *err)
{
    lp_db_res *r = NULL;
    lp_yard_settings ys;
    int rc, i, n, due, total = 0;
    if (events) *events = 0;
    if ((rc = lp_yard_settings_get(st, &ys, err))) return rc;
    rc = lp_db_query(lp_store_db(st),
                     "SELECT DISTINCT group_id FROM queue_entries WHERE state IN ('waiting', 'called') ORDER BY group_id",
                     NULL, 0, &r, err);
    for (i = 0; rc == LP_OK && i < lp_db_res_nrows(r); i++) {
        if ((rc = group_due(st, lp_db_res_text(r, i, 0), ys.no_show_window_ms, &due, err)) || !due) continue;
        n = 0;
        rc = with_group(st, who, lp_db_res_text(r, i, 0), NULL, NULL, &n, err);
        total += n;
    }
    lp_db_res_free(r);
    if (events) *events = total;
    return rc;
}

typedef struct lane_arg {
    int lane, paused, capacity;
} lane_arg;

static int op_lane(lp_store *st, const lp_actor *who, qgroup *g, void *arg, lp_err *err)
{
    lane_arg *a = arg;
    int cap0, paused0, cap, paused, rc;
    char before[96], after[96], oid[128];
    if (lp_queue_lane_get(g->q, a->lane - 1, &cap0, &paused0, NULL))
        return lp_err_set(err, LP_ENOTFOUND, "queue '%s' has no lane %d", g->id, a->lane);
    cap = a->capacity >= 0 ? a->capacity : cap0;
    paused = a->paused >= 0 ? a->paused : paused0;
    if (lp_queue_lane_set_capacity(g->q, a->lane - 1, cap) || lp_queue_lane_pause(g->q, a->lane - 1, paused))
        return lp_err_field_add(err, "/capacity", "must be from 0 to %d", LP_QUEUE_CAPACITY_MAX);
    {
        lp_db_val p[5] = {LP_DB_I(cap), LP_DB_I(paused), LP_DB_I(now_ms(st)), LP_DB_S(g->id), LP_DB_I(a->lane)};
        rc = lp_db_query(lp_store_db(st),
                         "UPDATE queue_lanes SET capacity = ?, paused = ?, updated_at = ? WHERE group_id = ? AND lane = ?",
                         p, 5, NULL, err);
    }
    if (rc) return rc;
    snprintf(before, sizeof before, "{\"capacity\":%d,\"paused\":%s}", cap0, paused0 ? "true" : "false");
    snprintf(after, sizeof after, "{\"capacity\":%d,\"paused\":%s}", cap, paused ? "true" : "false");
    snprintf(oid, sizeof oid, "%s:%d", g->id, a->lane);
    return lp_store_audit_append(st, who, "queue_lane.update", "queue_lane", oid, 0, before, after, err);
}

/* Splits "point:dir" into its parts (point at most 63 bytes). */
static int split_group(const char *id, char point[64], char dir[16])
{
    const char *c = strrchr(id, ':');
    if (!c || c == id || (size_t)(c - id) >= 64 || strlen(c + 1) >= 16) return 0;
    memcpy(point, id, (size_t)(c - id));
    point[c - id] = '\0';
    snprintf(dir, 16, "%s", c + 1);
    return 1;
}

int lp_queuestore_lane_set(lp_store *st, const lp_actor *who, const char *group, int lane, int paused, int capacity,
                           cJSON **out, lp_err *err)
{
    lane_arg a = {lane, paused, capacity};
    char point[64], dir[16];
    int rc;
    if (out) *out = NULL;
    if (!split_group(group, point, dir)) return lp_err_set(err, LP_ENOTFOUND, "no queue '%.60s'", group);
    if ((rc = lp_store_begin(st, err))) return rc;
    if ((rc = group_ensure(st, who, point, dir, err)) || (rc = with_group(st, who, group, op_lane, &a, NULL, err))) {
        lp_store_rollback(st);
        return rc;
    }
    if ((rc = lp_store_commit(st, err))) return rc;
    return out ? lp_queuestore_view(st, group, 0, out, err) : LP_OK;
}

/* Views ---------------------------------------------------------------------------- */

static cJSON *eta_json(int64_t eta)
{
    return eta == LP_QUEUE_ETA_UNKNOWN ? cJSON_CreateNull() : cJSON_CreateNumber((double)(eta / 1000));
}

static cJSON *entry_json(const qgroup *g, int i, int pos, int64_t eta)
{
    lp_queue_truck t;
    cJSON *o = cJSON_CreateObject();
    lp_queue_get(g->q, g->ids[i], &t);
    cJSON_AddNumberToObject(o, "visit_id", (double)t.id);
    cJSON_AddStringToObject(o, "plate", g->plates[i]);
    if (g->company[i]) cJSON_AddNumberToObject(o, "company_id", (double)g->company[i]);
    else cJSON_AddNullToObject(o, "company_id");
    cJSON_AddStringToObject(o, "class", lp_queue_class_name(t.cls));
    cJSON_AddStringToObject(o, "state", lp_queue_state_name(t.state));
    cJSON_AddNumberToObject(o, "position", pos);
    cJSON_AddItemToObject(o, "eta_s", t.state == LP_QUEUE_CALLED ? cJSON_CreateNumber(0) : eta_json(eta));
    if (t.lane >= 0) cJSON_AddNumberToObject(o, "lane", t.lane + 1);
    else cJSON_AddNullToObject(o, "lane");
    add_time(o, "slot", t.booked_slot_ms);
    add_time(o, "order_slot", t.slot_ms);
    add_time(o, "arrival", t.yard_arrival_ms);
    add_time(o, "order_arrival", t.arrival_ms);
    add_time(o, "called_at", t.state == LP_QUEUE_CALLED ? t.called_at_ms : 0);
    cJSON_AddNumberToObject(o, "no_shows", t.no_shows);
    return o;
}

int lp_queuestore_view(lp_store *st, const char *group, int64_t company, cJSON **out, lp_err *err)
{
    qgroup g;
    lp_queue_pos *pos = NULL;
    cJSON *o, *lanes, *entries, *rate;
    char point[64], dir[16];
    int rc, i, n = 0, l;
    int64_t service, interval, samples;
    lp_err e;

    *out = NULL;
    if (!split_group(group, point, dir)) return lp_err_set(err, LP_ENOTFOUND, "no queue '%.60s'", group);
    lp_err_init(&e);
    rc = group_open(st, group, 0, &g, &e);
    if (rc == LP_ENOTFOUND) {
        /* Not used yet: show it as it will be created. */
        if ((rc = lp_store_begin(st, err))) return rc;
        static const lp_actor sys = {"system:queue", LP_ROLE_ADMIN, 0, "first use of the queue"};
        if ((rc = group_ensure(st, &sys, point, dir, err)) || (rc = lp_store_commit(st, err))) {
            if (rc != LP_OK) lp_store_rollback(st);
            return rc;
        }
        rc = group_open(st, group, 0, &g, err);
    } else if (rc) {
        *err = e;
    }
    if (rc) return rc;
    o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", group);
    cJSON_AddStringToObject(o, "crossing_point_id", point);
    cJSON_AddStringToObject(o, "direction", dir);
    cJSON_AddNumberToObject(o, "state_version", (double)g.state_version);
    cJSON_AddNumberToObject(o, "waiting", lp_queue_waiting(g.q));
    cJSON_AddNumberToObject(o, "called", lp_queue_called(g.q));
    lanes = cJSON_AddArrayToObject(o, "lanes");
    for (l = 0; l < LP_QUEUE_LANES_MAX; l++) {
        int cap, paused, busy;
        cJSON *lo;
        if (lp_queue_lane_get(g.q, l, &cap, &paused, &busy)) break;
        lo = cJSON_CreateObject();
        cJSON_AddNumberToObject(lo, "lane", l + 1);
        cJSON_AddNumberToObject(lo, "capacity", cap);
        cJSON_AddBoolToObject(lo, "paused", paused);
        cJSON_AddNumberToObject(lo, "in_service", busy);
        cJSON_AddItemToArray(lanes, lo);
    }
    lp_queue_rate(g.q, &service, &interval, &samples);
    rate = cJSON_AddObjectToObject(o, "rate");
    cJSON_AddNumberToObject(rate, "service_s_per_place", (double)service / 1000.0);
    cJSON_AddItemToObject(rate, "interval_s", interval < 0 ? cJSON_CreateNull() : cJSON_CreateNumber((double)interval / 1000.0));
    cJSON_AddNumberToObject(rate, "samples", (double)samples);
    entries = cJSON_AddArrayToObject(o, "entries");
    for (i = 0; i < g.n; i++) {
        lp_queue_truck t;
        if (lp_queue_get(g.q, g.ids[i], &t) == LP_OK && t.state == LP_QUEUE_CALLED &&
            (!company || g.company[i] == company))
            cJSON_AddItemToArray(entries, entry_json(&g, i, 0, 0));
    }
    pos = lp_calloc((size_t)g.n + 1, sizeof *pos);
    lp_queue_positions(g.q, pos, g.n, &n);
    for (i = 0; i < n; i++) {
        int k = entry_index(&g, pos[i].truck_id);
        if (k >= 0 && (!company || g.company[k] == company))
            cJSON_AddItemToArray(entries, entry_json(&g, k, pos[i].position, pos[i].eta_ms));
    }
    lp_free(pos);
    group_free(&g);
    *out = o;
    return LP_OK;
}

int lp_queuestore_groups(lp_store *st, cJSON **items, lp_err *err)
{
    lp_db_res *r = NULL;
    int rc, i;
    *items = NULL;
    rc = lp_db_query(lp_store_db(st),
                     "SELECT g.id, g.crossing_point_id, g.direction, g.state_version,"
                     " (SELECT COUNT(*) FROM queue_entries e WHERE e.group_id = g.id AND e.state = 'waiting'),"
                     " (SELECT COUNT(*) FROM queue_entries e WHERE e.group_id = g.id AND e.state = 'called'),"
                     " (SELECT COUNT(*) FROM queue_lanes l WHERE l.group_id = g.id)"
                     " FROM queue_groups g ORDER BY g.id",
                     NULL, 0, &r, err);
    if (rc) return rc;
    *items = cJSON_CreateArray();
    for (i = 0; i < lp_db_res_nrows(r); i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "id", lp_db_res_text(r, i, 0));
        cJSON_AddStringToObject(o, "crossing_point_id", lp_db_res_text(r, i, 1));
        cJSON_AddStringToObject(o, "direction", lp_db_res_text(r, i, 2));
        cJSON_AddNumberToObject(o, "state_version", (double)lp_db_res_int(r, i, 3));
        cJSON_AddNumberToObject(o, "waiting", (double)lp_db_res_int(r, i, 4));
        cJSON_AddNumberToObject(o, "called", (double)lp_db_res_int(r, i, 5));
        cJSON_AddNumberToObject(o, "lanes", (double)lp_db_res_int(r, i, 6));
        cJSON_AddItemToArray(*items, o);
    }
    lp_db_res_free(r);
    return LP_OK;
}

int lp_queuestore_position(lp_store *st, int64_t visit_id, int *pos, int64_t *eta_ms, char state[16], lp_err *err)
{
    char group[96];
    qgroup g;
    int rc;
    *pos = 0;
    *eta_ms = 0;
    if ((rc = entry_group(st, visit_id, group, state, err))) return rc;
    if (!group[0] || (strcmp(state, "waiting") && strcmp(state, "called"))) return LP_OK;
    if ((rc = group_open(st, group, 0, &g, err))) return rc;
    lp_queue_position(g.q, visit_id, pos, eta_ms);
    group_free(&g);
    return LP_OK;
}
