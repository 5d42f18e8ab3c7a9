/* decl_tasks.c - a declaration's agency tasks and crossing record (see
 * decl_tasks.h and clearance.h): planned at filing, adjusted when the
 * customs channel changes, closed on cancellation.
 *
 * Invariant: a task is never deleted; a check no longer needed is closed as
 * approved by whoever made it unnecessary, so the audit log tells why. */
#include "decl_tasks.h"
#include "resources.h"
#include "table.h"
#include "../core/cargo.h"
#include "../core/mem.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define REASON_MAX 500 /* characters of a reason, as the API accepts it (h_declarations.c) */
#define SYSTEM_RISK "system:risk"

/* Small helpers --------------------------------------------------------------- */

static int64_t now_ms(lp_store *st)
{
    const lp_clock *ck = lp_store_clock(st);
    return ck->now_ms(ck->ud);
}

/* The id of a stored record as text (ids are integers here). */
static void id_text(const cJSON *rec, char out[32])
{
    snprintf(out, 32, "%" PRId64, lp_json_int(rec, "id", 0));
}

static int in_set(const char *s, const char *const *set)
{
    for (; s && *set; set++)
        if (strcmp(s, *set) == 0) return 1;
    return 0;
}

/* Tasks ----------------------------------------------------------------------- */

/* Adds a task: pending, or approved when decided_by is given.  Takes
 * details (may be NULL). */
static int add_task(lp_store *st, const lp_actor *who, int64_t decl, int64_t company, const char *agency,
                    const char *kind, const char *decided_by, const char *reason, cJSON *details, lp_err *err)
{
    cJSON *v = cJSON_CreateObject();
    int rc;
    cJSON_AddNumberToObject(v, "declaration_id", (double)decl);
    cJSON_AddNumberToObject(v, "company_id", (double)company);
    cJSON_AddStringToObject(v, "agency", agency);
    cJSON_AddStringToObject(v, "kind", kind);
    cJSON_AddStringToObject(v, "state", decided_by ? "approved" : "pending");
    if (reason) cJSON_AddStringToObject(v, "reason", reason);
    else cJSON_AddNullToObject(v, "reason");
    if (decided_by) {
        cJSON_AddStringToObject(v, "decided_by", decided_by);
        cJSON_AddNumberToObject(v, "decided_at", (double)now_ms(st));
    } else {
        cJSON_AddNullToObject(v, "decided_by");
        cJSON_AddNullToObject(v, "decided_at");
    }
    cJSON_AddItemToObject(v, "details", details ? details : cJSON_CreateObject());
    rc = lp_table_insert(st, &lp_tbl_tasks, who, NULL, v, NULL, err);
    cJSON_Delete(v);
    return rc;
}

int lp_decl_tasks_list(lp_store *st, int64_t decl, cJSON **out, lp_err *err)
{
    char id[32], *next = NULL;
    lp_filter f = {"declaration_id", id};
    int rc;
    snprintf(id, sizeof id, "%" PRId64, decl);
    rc = lp_table_list(st, &lp_tbl_tasks, &f, 1, 0, NULL, 500, out, &next, err);
    lp_free(next);
    return rc;
}

/* Sets an open task's state with who as the decider. */
static int close_task(lp_store *st, const lp_actor *who, const cJSON *task, const char *state, const char *reason,
                      const char *action, lp_err *err)
{
    cJSON *patch = cJSON_CreateObject();
    char id[32];
    int rc;
    id_text(task, id);
    cJSON_AddStringToObject(patch, "state", state);
    cJSON_AddStringToObject(patch, "reason", reason);
    cJSON_AddStringToObject(patch, "decided_by", who->name ? who->name : "system");
    cJSON_AddNumberToObject(patch, "decided_at", (double)now_ms(st));
    rc = lp_table_update(st, &lp_tbl_tasks, who, id, 0, -1, action, patch, NULL, err);
    cJSON_Delete(patch);
    return rc;
}

static int task_open(const cJSON *t)
{
    static const char *const open[] = {"pending", "hold", NULL};
    return in_set(lp_json_str(t, "state"), open);
}

/* The customs check each channel asks for (green: none; the risk release). */
static const char *customs_kind(lp_risk_channel c)
{
    return c == LP_RISK_RED ? "physical_check" : c == LP_RISK_YELLOW ? "document_check" : NULL;
}

static lp_risk_channel kind_channel(const char *kind)
{
    return !kind ? LP_RISK_GREEN
           : strcmp(kind, "physical_check") == 0 ? LP_RISK_RED
           : strcmp(kind, "document_check") == 0 ? LP_RISK_YELLOW
                                                  : LP_RISK_GREEN;
}

static cJSON *channel_details(lp_risk_channel c, const char *source)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "channel", lp_risk_channel_name(c));
    cJSON_AddStringToObject(o, "source", source);
    return o;
}

/* The HS codes of the lines quarantine must see. */
static cJSON *quarantine_details(const lp_decl *d)
{
    cJSON *o = cJSON_CreateObject(), *a = cJSON_AddArrayToObject(o, "hs_codes");
    int i;
    for (i = 0; i < d->ngoods && i < LP_DECL_MAX_LINES; i++)
        if (lp_cargo_hs_needs_quarantine(d->goods[i].chapter))
            cJSON_AddItemToArray(a, cJSON_CreateString(d->goods[i].hs));
    return o;
}

int lp_decl_tasks_plan(lp_store *st, const lp_actor *who, int64_t decl, int64_t company, const lp_decl *d,
                       int vehicle_ok, lp_risk_channel ch, int quarantine, lp_err *err)
{
    int rc;
    if (ch == LP_RISK_GREEN)
        rc = add_task(st, who, decl, company, "customs", "risk_release", SYSTEM_RISK,
                      "green channel: released when the gate reads match the declaration",
                      channel_details(ch, "risk"), err);
    else
        rc = add_task(st, who, decl, company, "customs", customs_kind(ch), NULL, NULL, channel_details(ch, "risk"), err);
    if (rc == LP_OK && quarantine)
        rc = add_task(st, who, decl, company, "quarantine", "quarantine_check", NULL, NULL, quarantine_details(d), err);
    if (rc == LP_OK && d->transport == LP_DECL_TRUCK) {
        cJSON *det = cJSON_CreateObject();
        cJSON_AddNumberToObject(det, "vehicle_id", (double)d->vehicle_id);
        cJSON_AddStringToObject(det, "vehicle_plate", d->vehicle_plate);
        cJSON_AddNumberToObject(det, "driver_id", (double)d->driver_id);
        rc = add_task(st, who, decl, company, "border_guard", "vehicle_driver_check", vehicle_ok ? "system" : NULL,
                      vehicle_ok ? "vehicle active and driver's licence valid at arrival" : NULL, det, err);
    } else if (rc == LP_OK) {
        rc = add_task(st, who, decl, company, "border_guard", "agv_release", NULL, NULL, NULL, err);
    }
    return rc;
}

/* Brings the customs tasks in line with channel to.  A check a stricter
 * channel asked for that is still open is closed as approved by who: only
 * a customs override lowers a channel, and it is the officer's decision
 * that the check is not needed (the task states have no "withdrawn", and
 * any other state would keep the declaration from clearing).  The check
 * the new channel asks for is added unless one exists; a lower check
 * already open stays (a physical check does not replace the documents). */
int lp_decl_tasks_adjust_customs(lp_store *st, const lp_actor *who, int64_t decl, int64_t company,
                                 lp_risk_channel to, const char *source, lp_err *err)
{
    const char *want = customs_kind(to);
    cJSON *tasks = NULL;
    const cJSON *t;
    char reason[REASON_MAX + 96];
    int rc, have = 0;

    rc = lp_decl_tasks_list(st, decl, &tasks, err);
    if (rc) return rc;
    snprintf(reason, sizeof reason, "not required after the %s to %s: %s", source, lp_risk_channel_name(to),
             who->reason ? who->reason : "");
    cJSON_ArrayForEach(t, tasks) {
        const char *kind = lp_json_str(t, "kind"), *agency = lp_json_str(t, "agency");
        if (!agency || strcmp(agency, "customs") != 0) continue;
        if (want && kind && strcmp(kind, want) == 0) have = 1;
        if (task_open(t) && kind_channel(kind) > to) {
            rc = close_task(st, who, t, "approved", reason, "close", err);
            if (rc) break;
        }
    }
    cJSON_Delete(tasks);
    if (rc == LP_OK && want && !have)
        rc = add_task(st, who, decl, company, "customs", want, NULL, NULL, channel_details(to, source), err);
    return rc;
}

static int has_task(lp_store *st, int64_t decl, const char *kind, int *has, lp_err *err)
{
    cJSON *tasks = NULL;
    const cJSON *t;
    int rc = lp_decl_tasks_list(st, decl, &tasks, err);
    *has = 0;
    cJSON_ArrayForEach(t, tasks) {
        const char *k = lp_json_str(t, "kind");
        if (k && strcmp(k, kind) == 0) *has = 1;
    }
    cJSON_Delete(tasks);
    return rc;
}

int lp_decl_tasks_ensure_quarantine(lp_store *st, const lp_actor *who, int64_t decl, int64_t company,
                                    const lp_decl *d, lp_err *err)
{
    int has_q, rc = has_task(st, decl, "quarantine_check", &has_q, err);
    if (rc == LP_OK && !has_q)
        rc = add_task(st, who, decl, company, "quarantine", "quarantine_check", NULL, NULL, quarantine_details(d), err);
    return rc;
}

int lp_decl_tasks_cancel(lp_store *st, const lp_actor *who, int64_t decl, lp_err *err)
{
    cJSON *tasks = NULL;
    const cJSON *t;
    char why[REASON_MAX * 4 + 64];
    int rc = lp_decl_tasks_list(st, decl, &tasks, err);

    if (rc) goto out;
    snprintf(why, sizeof why, "declaration cancelled: %s", who->reason);
    cJSON_ArrayForEach(t, tasks) {
        if (task_open(t) && (rc = close_task(st, who, t, "cancelled", why, "cancel", err))) goto out;
    }
out:
    cJSON_Delete(tasks);
    return rc;
}

/* The crossing record -------------------------------------------------------- */

int lp_decl_tasks_add_crossing(lp_store *st, const lp_actor *who, int64_t decl, int64_t company, const lp_decl *d,
                               lp_risk_channel ch, int64_t now, lp_err *err)
{
    cJSON *v = cJSON_CreateObject();
    int rc;
    cJSON_AddNumberToObject(v, "declaration_id", (double)decl);
    cJSON_AddNumberToObject(v, "company_id", (double)company);
    cJSON_AddStringToObject(v, "crossing_point_id", d->crossing_point);
    cJSON_AddStringToObject(v, "direction", d->direction == LP_DECL_EXPORT ? "export" : "import");
    cJSON_AddStringToObject(v, "channel", lp_risk_channel_name(ch));
    cJSON_AddNumberToObject(v, "filed_at", (double)now);
    rc = lp_table_insert(st, &lp_tbl_crossings, who, NULL, v, NULL, err);
    cJSON_Delete(v);
    return rc;
}

/* Copies the declaration's crossing point and channel to its crossing
 * record when they differ. */
int lp_decl_tasks_sync_crossing(lp_store *st, const lp_actor *who, const cJSON *decl, lp_err *err)
{
    lp_db_val p[] = {LP_DB_I(lp_json_int(decl, "id", 0))};
    lp_db_res *res = NULL;
    cJSON *cr = NULL, *patch = cJSON_CreateObject();
    static const char *const members[] = {"crossing_point_id", "channel", NULL};
    const char *const *m;
    char id[32];
    int rc;

    rc = lp_db_query(lp_store_db(st), "SELECT id FROM crossings WHERE declaration_id = ?", p, 1, &res, err);
    if (rc || lp_db_res_nrows(res) == 0) goto out;
    rc = lp_table_get(st, &lp_tbl_crossings, lp_db_res_text(res, 0, 0), 0, &cr, err);
    if (rc) goto out;
    for (m = members; *m; m++) {
        const char *want = lp_json_str(decl, *m), *have = lp_json_str(cr, *m);
        if (want && (!have || strcmp(want, have) != 0)) cJSON_AddStringToObject(patch, *m, want);
    }
    id_text(cr, id);
    if (patch->child) rc = lp_table_update(st, &lp_tbl_crossings, who, id, 0, -1, "update", patch, NULL, err);
out:
    lp_db_res_free(res);
    cJSON_Delete(cr);
    cJSON_Delete(patch);
    return rc;
}
