/* queuestore.c - the e-queue's operations and their write-back (see
 * queuestore.h); the rebuild is in queuestore_group.c, the views in
 * queuestore_view.c.  The lp_queue is rebuilt from the tables on every
 * operation.  Rebuilding per operation rather
 * than caching keeps one truth across processes; a group holds a few
 * thousand rows at most (the 2021 backlog was about 4,800 trucks). */
#include "queuestore_internal.h"
#include "resources.h"
#include "table.h"
#include "yardstore.h"
#include "../core/mem.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Writing back ------------------------------------------------------------------ */

/* The audit record of one event: the state that produced it. */
static char *event_json(const qgroup *g, const lp_queue_event *ev, const char *plate)
{
    cJSON *o = cJSON_CreateObject();
    char *s;
    cJSON_AddStringToObject(o, "queue", g->id);
    cJSON_AddStringToObject(o, "event", lp_queue_event_name(ev->kind));
    cJSON_AddStringToObject(o, "plate", plate);
    queuestore__add_time(o, "at", ev->at_ms);
    cJSON_AddStringToObject(o, "state", lp_queue_state_name(ev->state));
    cJSON_AddStringToObject(o, "class", lp_queue_class_name(ev->cls));
    queuestore__add_time(o, "slot", ev->slot_ms);
    queuestore__add_time(o, "arrival", ev->arrival_ms);
    cJSON_AddNumberToObject(o, "position", ev->position);
    if (ev->lane >= 0) cJSON_AddNumberToObject(o, "lane", ev->lane + 1);
    else cJSON_AddNullToObject(o, "lane");
    queuestore__add_time(o, "called_at", ev->called_at_ms);
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
    int i = queuestore__entry_index(g, ev->truck_id), rc;
    char action[40], oid[32], *after;
    int64_t now = queuestore__now(st);
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
                          LP_DB_I(rs.last_gate_ms), LP_DB_I(rs.have_last), LP_DB_I(rs.saturated), LP_DB_I(queuestore__now(st)),
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
    int64_t now = queuestore__now(st);
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
    if ((rc = queuestore__group_open(st, id, 1, &g, err))) goto fail;
    if (op && (rc = op(st, who, &g, arg, err))) goto fail;
    if ((rc = call_and_save(st, who, &g, events, err))) goto fail;
    if (post && (rc = post(st, who, &g, arg, err))) goto fail;
    queuestore__group_free(&g);
    return lp_store_commit(st, err);
fail:
    queuestore__group_free(&g);
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
    int64_t now = queuestore__now(st);
    int rc = lp_queue_add(g->q, t->visit_id, t->cls, t->slot_ms, t->arrival_ms);
    (void)who;
    if (rc == LP_ECONFLICT) return lp_err_set(err, rc, "visit %" PRId64 " is already in the queue", t->visit_id);
    if (rc) return lp_err_set(err, rc, "the queue refused visit %" PRId64, t->visit_id);
    {
        lp_db_val p[11] = {LP_DB_I(t->visit_id), LP_DB_S(g->id), t->company_id ? LP_DB_I(t->company_id) : LP_DB_NUL,
                           LP_DB_S(t->plate), LP_DB_S(queuestore__class_names[t->cls]), LP_DB_I(t->slot_ms),
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
    if ((rc = queuestore__group_ensure(st, who, t->point, t->dir, err))) goto fail;
    snprintf(id, sizeof id, "%s:%s", t->point, t->dir);
    if ((rc = with_group_post(st, who, id, op_add, post_add, &a, NULL, err))) goto fail;
    return lp_store_commit(st, err);
fail:
    lp_store_rollback(st);
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
    if (lp_queue_withdraw(g->q, a->id, queuestore__now(st), &ev)) return LP_OK;
    a->done = 1;
    return save_event(st, who, g, &ev, err);
}

int lp_queuestore_yard_exit(lp_store *st, const lp_actor *who, int64_t visit_id, int *withdrawn, lp_err *err)
{
    char group[96], state[16];
    one_arg a = {visit_id, 0, NULL};
    int rc;
    if (withdrawn) *withdrawn = 0;
    if ((rc = queuestore__entry_group(st, visit_id, group, state, err))) return rc;
    if (!group[0] || strcmp(state, "waiting") != 0) return LP_OK;
    rc = with_group(st, who, group, op_exit, &a, NULL, err);
    if (rc == LP_OK && withdrawn) *withdrawn = a.done;
    return rc;
}

static int op_arrive(lp_store *st, const lp_actor *who, qgroup *g, void *arg, lp_err *err)
{
    one_arg *a = arg;
    lp_queue_event ev;
    int rc = lp_queue_arrived_at_gate(g->q, a->id, queuestore__now(st), &ev);
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
    lp_db_val p[5] = {LP_DB_S(id), LP_DB_I(queuestore__now(st) - window_ms), LP_DB_S(id), LP_DB_S(id), LP_DB_S(id)};
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
        lp_db_val p[5] = {LP_DB_I(cap), LP_DB_I(paused), LP_DB_I(queuestore__now(st)), LP_DB_S(g->id), LP_DB_I(a->lane)};
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

int lp_queuestore_lane_set(lp_store *st, const lp_actor *who, const char *group, int lane, int paused, int capacity,
                           cJSON **out, lp_err *err)
{
    lane_arg a = {lane, paused, capacity};
    char point[64], dir[16];
    int rc;
    if (out) *out = NULL;
    if (!queuestore__split_group(group, point, dir)) return lp_err_set(err, LP_ENOTFOUND, "no queue '%.60s'", group);
    if ((rc = lp_store_begin(st, err))) return rc;
    if ((rc = queuestore__group_ensure(st, who, point, dir, err)) || (rc = with_group(st, who, group, op_lane, &a, NULL, err))) {
        lp_store_rollback(st);
        return rc;
    }
    if ((rc = lp_store_commit(st, err))) return rc;
    return out ? lp_queuestore_view(st, group, 0, out, err) : LP_OK;
}

