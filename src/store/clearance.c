/* clearance.c - the store side of smart clearance (see clearance.h): the
 * settings rows as structs, the enabled risk rules as the risk engine wants
 * them, and the declaration status that follows from the agency tasks.
 *
 * Invariant: a declaration's status among pending / held / rejected /
 * cleared is always the one its tasks give; lp_clearance_refresh() is the
 * only writer of those four, and it never moves a declaration out of the
 * states other steps own (gate_open, exited, cancelled, expired). */
#include "clearance.h"
#include "resources.h"
#include "table.h"
#include "../core/mem.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Settings ------------------------------------------------------------------- */

/* The "value" object of settings row id.  Caller owns *row; *value is
 * borrowed from it. */
static int setting_value(lp_store *st, const char *id, cJSON **row, const cJSON **value, lp_err *err)
{
    lp_err e;
    int rc;
    lp_err_init(&e);
    rc = lp_table_get(st, &lp_tbl_settings, id, 0, row, &e);
    /* The migration seeds the row: without it the database is damaged, not
     * the caller's request wrong. */
    if (rc == LP_ENOTFOUND) return lp_err_set(err, LP_ESTORE, "the settings row '%s' is missing", id);
    if (rc) {
        if (err) *err = e;
        return rc;
    }
    *value = cJSON_GetObjectItemCaseSensitive(*row, "value");
    if (!cJSON_IsObject(*value)) return lp_err_set(err, LP_ESTORE, "the settings row '%s' holds no JSON object", id);
    return LP_OK;
}

/* Reads integer member name of v into *out when present.  A member of the
 * wrong type is a damaged row, not a reason to guess. */
static int member_int(const char *id, const cJSON *v, const char *name, int64_t lo, int64_t hi, int64_t *out,
                      lp_err *err)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(v, name);
    if (!m) return LP_OK;
    if (!cJSON_IsNumber(m) || m->valuedouble != (double)(int64_t)m->valuedouble || m->valuedouble < (double)lo ||
        m->valuedouble > (double)hi)
        return lp_err_set(err, LP_ESTORE, "settings '%s': %s must be an integer from %" PRId64 " to %" PRId64, id,
                          name, lo, hi);
    *out = (int64_t)m->valuedouble;
    return LP_OK;
}

int lp_clearance_settings_get(lp_store *st, lp_clearance_settings *out, lp_err *err)
{
    cJSON *row = NULL;
    const cJSON *v = NULL, *wr;
    /* Missing members take the starting values (schema.c seed_settings), so
     * that a member added by a later release needs no migration. */
    int64_t hours = 72, permille = 20, grams = 200000, plate = 900, ocr = 850;
    int rc;

    rc = setting_value(st, "clearance", &row, &v, err);
    if (rc) goto out;
    if ((rc = member_int("clearance", v, "declaration_validity_hours", 1, 720, &hours, err)) ||
        (rc = member_int("clearance", v, "weight_tolerance_permille", 0, 200, &permille, err)) ||
        (rc = member_int("clearance", v, "weight_tolerance_g", 0, 5000000, &grams, err)) ||
        (rc = member_int("clearance", v, "min_plate_confidence", 0, 1000, &plate, err)) ||
        (rc = member_int("clearance", v, "min_ocr_confidence", 0, 1000, &ocr, err)))
        goto out;
    wr = cJSON_GetObjectItemCaseSensitive(v, "weight_required");
    if (wr && !cJSON_IsBool(wr)) {
        rc = lp_err_set(err, LP_ESTORE, "settings 'clearance': weight_required must be true or false");
        goto out;
    }
    out->validity_hours = (int)hours;
    out->weight_tol_permille = (int)permille;
    out->weight_tol_g = grams;
    out->min_plate_confidence = (int)plate;
    out->min_ocr_confidence = (int)ocr;
    out->weight_required = cJSON_IsTrue(wr);
out:
    cJSON_Delete(row);
    return rc;
}

/* Risk rules ----------------------------------------------------------------- */

/* Copies text cell (row, col) into dst of cap bytes.  NULL is "". Text that
 * does not fit leaves dst unterminated on purpose: lp_risk_rule_check, and
 * so lp_risk_decide, then refuse the rule instead of matching a shortened
 * condition. */
static void copy_cell(char *dst, size_t cap, const lp_db_res *r, int row, int col)
{
    const char *s = lp_db_res_isnull(r, row, col) ? "" : lp_db_res_text(r, row, col);
    size_t n = strlen(s);
    if (n < cap) memcpy(dst, s, n + 1);
    else memset(dst, '?', cap);
}

static void rule_from_row(const lp_db_res *r, int i, lp_risk_rule *out)
{
    const char *dir = lp_db_res_isnull(r, i, 6) ? NULL : lp_db_res_text(r, i, 6);
    const char *ch = lp_db_res_text(r, i, 10);

    memset(out, 0, sizeof *out);
    out->id = lp_db_res_int(r, i, 0);
    copy_cell(out->name, sizeof out->name, r, i, 1);
    out->enabled = lp_db_res_int(r, i, 2) != 0;
    copy_cell(out->hs_prefix, sizeof out->hs_prefix, r, i, 3);
    copy_cell(out->origin, sizeof out->origin, r, i, 4);
    out->company_id = lp_db_res_isnull(r, i, 5) ? 0 : lp_db_res_int(r, i, 5);
    /* An unknown word becomes a value the rule check refuses (fail closed). */
    out->direction = !dir ? LP_RISK_DIR_ANY
                     : strcmp(dir, "export") == 0 ? LP_RISK_EXPORT
                     : strcmp(dir, "import") == 0 ? LP_RISK_IMPORT
                                                  : (lp_risk_dir)99;
    copy_cell(out->crossing_point_id, sizeof out->crossing_point_id, r, i, 7);
    out->min_vnd_per_kg = lp_db_res_isnull(r, i, 8) ? LP_RISK_NO_BOUND : lp_db_res_int(r, i, 8);
    out->max_vnd_per_kg = lp_db_res_isnull(r, i, 9) ? LP_RISK_NO_BOUND : lp_db_res_int(r, i, 9);
    out->channel = strcmp(ch, "red") == 0 ? LP_RISK_RED : strcmp(ch, "yellow") == 0 ? LP_RISK_YELLOW : LP_RISK_GREEN;
    out->probability = (int)lp_db_res_int(r, i, 11);
}

static int load_policy(lp_store *st, lp_risk_policy *policy, lp_err *err)
{
    cJSON *row = NULL;
    const cJSON *v = NULL, *y, *red;
    int rc = setting_value(st, "risk_policy", &row, &v, err);
    if (rc) goto out;
    y = cJSON_GetObjectItemCaseSensitive(v, "min_yellow_permille");
    red = cJSON_GetObjectItemCaseSensitive(v, "min_red_permille");
    if (!cJSON_IsNumber(y) || !cJSON_IsNumber(red)) {
        rc = lp_err_set(err, LP_ESTORE, "settings 'risk_policy' lacks min_yellow_permille or min_red_permille");
        goto out;
    }
    policy->min_yellow_permille = (int)y->valuedouble;
    policy->min_red_permille = (int)red->valuedouble;
out:
    cJSON_Delete(row);
    return rc;
}

int lp_clearance_risk_load(lp_store *st, lp_risk_rule **rules, int *n, lp_risk_policy *policy, lp_err *err)
{
    lp_db_res *r = NULL;
    lp_risk_rule *out = NULL;
    int rc, i, rows;

    *rules = NULL;
    *n = 0;
    rc = lp_db_query(lp_store_db(st),
                     "SELECT id, name, enabled, hs_prefix, origin, company_id, direction, crossing_point_id,"
                     " min_vnd_per_kg, max_vnd_per_kg, channel, probability"
                     " FROM risk_rules WHERE enabled = 1 ORDER BY id",
                     NULL, 0, &r, err);
    if (rc) goto out;
    rc = load_policy(st, policy, err);
    if (rc) goto out;
    rows = lp_db_res_nrows(r);
    out = lp_calloc((size_t)rows, sizeof *out);
    for (i = 0; i < rows; i++) rule_from_row(r, i, &out[i]);
    *rules = out;
    *n = rows;
    out = NULL;
out:
    lp_free(out);
    lp_db_res_free(r);
    return rc;
}

/* Status --------------------------------------------------------------------- */

/* The status the tasks of a declaration give (clearance.h): a rejection
 * outweighs a hold, a hold outweighs waiting, and only a full set of
 * approvals clears.  No task at all is not a clearance: filing creates the
 * tasks in the same transaction, so an empty set means "not ready". */
static int status_from_tasks(lp_store *st, int64_t decl_id, const char **status, lp_err *err)
{
    lp_db_val p[] = {LP_DB_I(decl_id)};
    lp_db_res *r = NULL;
    int rc, i, rows, rejected = 0, held = 0, waiting = 0;

    rc = lp_db_query(lp_store_db(st), "SELECT state FROM tasks WHERE declaration_id = ?", p, 1, &r, err);
    if (rc) return rc;
    rows = lp_db_res_nrows(r);
    for (i = 0; i < rows; i++) {
        const char *s = lp_db_res_text(r, i, 0);
        if (strcmp(s, "rejected") == 0) rejected++;
        else if (strcmp(s, "hold") == 0) held++;
        else if (strcmp(s, "approved") != 0) waiting++; /* pending, or anything unknown: not approved */
    }
    lp_db_res_free(r);
    *status = rejected ? "rejected" : held ? "held" : (waiting || rows == 0) ? "pending" : "cleared";
    return LP_OK;
}

static int refreshable(const char *status)
{
    return status && (strcmp(status, "pending") == 0 || strcmp(status, "held") == 0 ||
                      strcmp(status, "rejected") == 0 || strcmp(status, "cleared") == 0);
}

/* Sets (cleared: now; audited "crossing.cleared") or clears (leaving
 * cleared: "crossing.uncleared") the crossing record's cleared_at.  The
 * declarations code creates the record at filing; a declaration without one
 * has nothing to time, which is no reason to refuse its clearance. */
static int stamp_crossing(lp_store *st, const lp_actor *who, int64_t decl_id, int cleared, lp_err *err)
{
    lp_db_val p[] = {LP_DB_I(decl_id)};
    lp_db_res *r = NULL;
    cJSON *patch = NULL;
    char id[32];
    int rc;

    rc = lp_db_query(lp_store_db(st), "SELECT id FROM crossings WHERE declaration_id = ?", p, 1, &r, err);
    if (rc || lp_db_res_nrows(r) == 0) goto out;
    snprintf(id, sizeof id, "%" PRId64, lp_db_res_int(r, 0, 0));
    patch = cJSON_CreateObject();
    if (cleared) {
        const lp_clock *ck = lp_store_clock(st);
        cJSON_AddNumberToObject(patch, "cleared_at", (double)ck->now_ms(ck->ud));
    } else {
        cJSON_AddNullToObject(patch, "cleared_at");
    }
    rc = lp_table_update(st, &lp_tbl_crossings, who, id, 0, -1, cleared ? "cleared" : "uncleared", patch, NULL, err);
out:
    cJSON_Delete(patch);
    lp_db_res_free(r);
    return rc;
}

/* Two decisions on tasks of one declaration, committed on two nodes at
 * once, would each read the other's task as undecided and both leave the
 * status pending.  Locking the declaration row first makes the second
 * refresh wait and then read the first one's task (PostgreSQL reads
 * committed rows per statement); SQLite's write lock already serialises. */
static int lock_declaration(lp_store *st, int64_t decl_id, lp_err *err)
{
    lp_db_val p[] = {LP_DB_I(decl_id)};
    if (lp_db_dialect_of(lp_store_db(st)) != LP_DB_PG) return LP_OK;
    return lp_db_query(lp_store_db(st), "SELECT id FROM declarations WHERE id = ? FOR UPDATE", p, 1, NULL, err);
}

int lp_clearance_refresh(lp_store *st, const lp_actor *who, int64_t decl_id, cJSON **out, lp_err *err)
{
    cJSON *decl = NULL, *after = NULL, *patch = NULL;
    const char *cur, *next = NULL;
    char id[32];
    int rc, in_tx = 0;

    if (out) *out = NULL;
    snprintf(id, sizeof id, "%" PRId64, decl_id);
    rc = lp_store_begin(st, err);
    if (rc) goto out;
    in_tx = 1;
    rc = lock_declaration(st, decl_id, err);
    if (rc) goto out;
    rc = lp_table_get(st, &lp_tbl_declarations, id, 0, &decl, err);
    if (rc) goto out;
    cur = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(decl, "status"));
    if (refreshable(cur)) {
        rc = status_from_tasks(st, decl_id, &next, err);
        if (rc) goto out;
    }
    if (next && strcmp(cur, next) != 0) {
        int was_cleared = strcmp(cur, "cleared") == 0, now_cleared = strcmp(next, "cleared") == 0;
        patch = cJSON_CreateObject();
        cJSON_AddStringToObject(patch, "status", next);
        rc = lp_table_update(st, &lp_tbl_declarations, who, id, 0, -1, "status", patch, &after, err);
        if (rc) goto out;
        if (was_cleared != now_cleared) {
            rc = stamp_crossing(st, who, decl_id, now_cleared, err);
            if (rc) goto out;
        }
        cJSON_Delete(decl);
        decl = after;
        after = NULL;
    }
    rc = lp_store_commit(st, err);
    in_tx = 0;
    if (rc) goto out;
    if (out) {
        *out = decl;
        decl = NULL;
    }
out:
    if (in_tx) lp_store_rollback(st);
    cJSON_Delete(decl);
    cJSON_Delete(after);
    cJSON_Delete(patch);
    return rc;
}
