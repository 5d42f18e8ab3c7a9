/* h_tasks.c - customs' risk rules, the clearance settings and the agencies'
 * task lists (see h_tasks.h).  Every rule is checked as the risk engine
 * will read it, so a stored rule never makes lp_risk_decide refuse; every
 * setting is checked member by member before it is stored; a decision on a
 * task changes the task and the declaration's status in one transaction. */
#include "h_tasks.h"
#include "../core/mem.h"
#include "../core/risk.h"
#include "../store/clearance.h"
#include "../store/resources.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define MAX_ID 9007199254740991LL /* 2^53 - 1: every id a JSON number holds exactly */

/* Shared steps ------------------------------------------------------------- */

/* The integer value of v, or fallback when v is not a number a JSON reader
 * holds exactly (jsonspec has said so already). */
static int64_t as_int(const cJSON *v, int64_t fallback)
{
    if (!cJSON_IsNumber(v) || fabs(v->valuedouble) > (double)MAX_ID) return fallback;
    return (int64_t)v->valuedouble;
}

/* Adds the field errors of from to err, with prefix before each pointer,
 * leaving out pointers err already names: jsonspec's complaint about a
 * member comes first and one message per member is enough. */
static void add_new_errors(lp_err *err, const lp_err *from, const char *prefix)
{
    int i, j;
    for (i = 0; i < from->nfields; i++) {
        char ptr[sizeof err->fields[0].pointer];
        int known = 0;
        snprintf(ptr, sizeof ptr, "%s%s", prefix, from->fields[i].pointer);
        for (j = 0; j < err->nfields && !known; j++) known = strcmp(err->fields[j].pointer, ptr) == 0;
        if (!known) lp_err_field_add(err, ptr, "%s", from->fields[i].msg);
    }
}

/* Whether record id of t exists. */
static int exists(lp_req *r, const lp_table *t, const char *id)
{
    cJSON *rec = NULL;
    lp_err e;
    int rc;
    lp_err_init(&e);
    rc = lp_table_get(r->store, t, id, 0, &rec, &e);
    cJSON_Delete(rec);
    return rc == LP_OK;
}

/* Makes err a 403 with msg instead of whatever it held: who may not do a
 * thing need not learn what else is wrong with the request. */
static void forbid(lp_err *err, const char *msg)
{
    lp_err_init(err);
    err->code = LP_EFORBIDDEN;
    snprintf(err->msg, sizeof err->msg, "%s", msg);
}

/* Replies with a page of t filtered by the query parameters of q that are
 * present (each names a column) and by extra (may be NULL). */
static void list_filtered(lp_req *r, const lp_table *t, const lp_qparam *q, const lp_filter *extra)
{
    lp_filter f[16];
    int nf = 0, limit;
    const char *cursor;
    cJSON *items = NULL;
    char *next = NULL;
    lp_err err;

    lp_err_init(&err);
    if (lp_req_page(r, &limit, &cursor)) return;
    for (; q->name && nf < 15; q++) {
        const char *v = lp_req_query(r, q->name);
        if (v) f[nf++] = (lp_filter){q->name, v};
    }
    if (extra) f[nf++] = *extra;
    if (lp_table_list(r->store, t, f, nf, 0, cursor, limit, &items, &next, &err)) {
        net__fail(r, &err, NULL);
        return;
    }
    lp_reply_page(r, items, next);
    lp_free(next);
}

/* Risk rules -------------------------------------------------------------- */

static const char *const directions[] = {"export", "import", NULL};
static const char *const channels[] = {"yellow", "red", NULL};

#define RULE_FIELDS(req)                                                                                        \
    {"name", LP_J_STRING, req, 1, LP_RISK_NAME_MAX, NULL, NULL,                                              \
     "For people; quoted in the explanation of every decision it takes part in", "\"fresh fruit from CN\""}, \
    {"enabled", LP_J_BOOL, 0, 0, 0, NULL, NULL,                                                              \
     "false: the rule never matches (rules are switched off, never deleted); default true", NULL},           \
    {"hs_prefix", LP_J_STRING, LP_JF_NULLABLE, LP_RISK_HS_MIN, LP_RISK_HS_MAX, NULL, NULL,                   \
     "2 to 10 digits a goods line's HS code starts with; null: any", "\"0810\""},                            \
    {"origin", LP_J_STRING, LP_JF_NULLABLE, 2, 2, NULL, NULL,                                                \
     "Country of origin of a goods line (ISO 3166-1 alpha-2, upper case); null: any", "\"CN\""},             \
    {"company_id", LP_J_INT, LP_JF_NULLABLE, 1, MAX_ID, NULL, NULL, "Declarant company; null: any", NULL},   \
    {"direction", LP_J_ENUM, LP_JF_NULLABLE, 0, 0, directions, NULL,                                         \
     "export (VN to CN) or import (CN to VN); null: both", NULL},                                            \
    {"crossing_point_id", LP_J_STRING, LP_JF_NULLABLE, 2, LP_RISK_POINT_MAX, NULL, NULL,                     \
     "Crossing point of the declaration; null: any", "\"road-1088\""},                                       \
    {"min_vnd_per_kg", LP_J_INT, LP_JF_NULLABLE, 0, MAX_ID, NULL, NULL,                                      \
     "Lower bound of a goods line's customs value per kg gross, in đồng; null: none", NULL},                 \
    {"max_vnd_per_kg", LP_J_INT, LP_JF_NULLABLE, 0, MAX_ID, NULL, NULL,                                      \
     "Upper bound (e.g. to catch undervaluation); null: none", "20000"},                                     \
    {"channel", LP_J_ENUM, req, 0, 0, channels, NULL,                                                        \
     "Channel the rule selects when it fires (a rule cannot lower the channel)", "\"red\""},                 \
    {"probability", LP_J_INT, req, 0, 1000, NULL, NULL, "Chance in per mille that a match fires", "300"}

static const lp_jfield rule_create_fields[] = {RULE_FIELDS(LP_JF_REQUIRED)};
const lp_jspec lp_spec_risk_rule_create = {rule_create_fields, N(rule_create_fields)};
static const lp_jfield rule_patch_fields[] = {RULE_FIELDS(0)};
const lp_jspec lp_spec_risk_rule_patch = {rule_patch_fields, N(rule_patch_fields)};

const lp_qparam lp_query_risk_rules[] = {
    {"enabled", "boolean", "Only enabled (true) or disabled (false) rules"},
    {"channel", "string", "yellow or red"},
    {"direction", "string", "export or import"},
    {"crossing_point_id", "string", "Rules on this crossing point"},
    {"company_id", "integer", "Rules on this company"},
    {0}};

/* The member name of the body, or else of the stored record (may be NULL). */
static const cJSON *pick(const cJSON *body, const cJSON *stored, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, name);
    return v ? v : cJSON_GetObjectItemCaseSensitive(stored, name);
}

/* Copies the string v (else "") into dst of cap bytes; a string that does
 * not fit leaves dst unterminated, which lp_risk_rule_check reports. */
static void copy_text(char *dst, size_t cap, const cJSON *v)
{
    const char *s = cJSON_IsString(v) ? v->valuestring : "";
    size_t n = strlen(s);
    if (n < cap) memcpy(dst, s, n + 1);
    else memset(dst, '?', cap);
}

/* The rule the risk engine would read from the store after this request.
 * Members of the wrong type read as absent: jsonspec reports them. */
static void rule_of(const cJSON *body, const cJSON *stored, lp_risk_rule *rule)
{
    const cJSON *v;
    int64_t p;
    memset(rule, 0, sizeof *rule);
    copy_text(rule->name, sizeof rule->name, pick(body, stored, "name"));
    v = pick(body, stored, "enabled");
    rule->enabled = cJSON_IsBool(v) ? cJSON_IsTrue(v) : 1;
    copy_text(rule->hs_prefix, sizeof rule->hs_prefix, pick(body, stored, "hs_prefix"));
    copy_text(rule->origin, sizeof rule->origin, pick(body, stored, "origin"));
    rule->company_id = as_int(pick(body, stored, "company_id"), 0);
    v = pick(body, stored, "direction");
    rule->direction = !cJSON_IsString(v)                         ? LP_RISK_DIR_ANY
                      : strcmp(v->valuestring, "export") == 0 ? LP_RISK_EXPORT
                      : strcmp(v->valuestring, "import") == 0 ? LP_RISK_IMPORT
                                                              : (lp_risk_dir)99;
    copy_text(rule->crossing_point_id, sizeof rule->crossing_point_id, pick(body, stored, "crossing_point_id"));
    rule->min_vnd_per_kg = as_int(pick(body, stored, "min_vnd_per_kg"), LP_RISK_NO_BOUND);
    rule->max_vnd_per_kg = as_int(pick(body, stored, "max_vnd_per_kg"), LP_RISK_NO_BOUND);
    v = pick(body, stored, "channel");
    rule->channel = cJSON_IsString(v) && strcmp(v->valuestring, "red") == 0      ? LP_RISK_RED
                    : cJSON_IsString(v) && strcmp(v->valuestring, "yellow") == 0 ? LP_RISK_YELLOW
                                                                                 : LP_RISK_GREEN;
    /* Clamped just outside the valid range, so the check still reports it. */
    p = as_int(pick(body, stored, "probability"), -1);
    rule->probability = (int)(p < -1 ? -1 : p > 1001 ? 1001 : p);
}

/* The references the body names must exist (the stored ones did). */
static void check_rule_refs(lp_req *r, lp_err *err)
{
    const char *point = lp_json_str(r->body, "crossing_point_id");
    const cJSON *company = cJSON_GetObjectItemCaseSensitive(r->body, "company_id");
    char id[32];
    if (point && !exists(r, &lp_tbl_crossing_points, point))
        lp_err_field_add(err, "/crossing_point_id", "no crossing point with id '%.40s'", point);
    if (as_int(company, 0) > 0) {
        snprintf(id, sizeof id, "%" PRId64, as_int(company, 0));
        if (!exists(r, &lp_tbl_companies, id)) lp_err_field_add(err, "/company_id", "no company with id %s", id);
    }
}

static void check_rule(lp_req *r, const cJSON *stored, lp_err *err)
{
    lp_risk_rule rule;
    lp_err found;
    rule_of(r->body, stored, &rule);
    lp_err_init(&found);
    lp_risk_rule_check(&rule, &found);
    add_new_errors(err, &found, "");
    check_rule_refs(r, err);
}

void lp_check_risk_rule_create(lp_req *r, lp_err *err)
{
    check_rule(r, NULL, err);
}

void lp_check_risk_rule_patch(lp_req *r, lp_err *err)
{
    cJSON *stored = NULL;
    lp_err e;
    lp_err_init(&e);
    /* An unknown rule is the handler's 404; nothing to check against. */
    if (lp_table_get(r->store, &lp_tbl_risk_rules, r->params[0], 0, &stored, &e)) return;
    check_rule(r, stored, err);
    cJSON_Delete(stored);
}

void lp_h_risk_rules_list(lp_req *r) { list_filtered(r, &lp_tbl_risk_rules, lp_query_risk_rules, NULL); }
void lp_h_risk_rules_get(lp_req *r) { net__get(r, &lp_tbl_risk_rules, NULL); }

void lp_h_risk_rules_create(lp_req *r)
{
    if (!cJSON_GetObjectItemCaseSensitive(r->body, "enabled")) cJSON_AddTrueToObject(r->body, "enabled");
    net__create(r, &lp_tbl_risk_rules, NULL, r->body, NULL, NULL);
}

void lp_h_risk_rules_patch(lp_req *r) { net__patch(r, &lp_tbl_risk_rules, r->body, NULL, NULL); }

/* Settings ------------------------------------------------------------------ */

/* One member of a setting's value: an integer in [min, max], or a boolean. */
typedef struct setting_member {
    const char *name;
    int is_bool;
    int64_t min, max;
} setting_member;

typedef struct setting_kind {
    const char *id;
    lp_roleset roles; /* who may change it */
    const char *who;  /* the same, for people */
    const setting_member *members;
    int n;
} setting_kind;

static const setting_member policy_members[] = {
    {"min_yellow_permille", 0, 0, 1000},
    {"min_red_permille", 0, 0, 1000},
};
static const setting_member clearance_members[] = {
    {"declaration_validity_hours", 0, 1, 720}, {"weight_tolerance_permille", 0, 0, 200},
    {"weight_tolerance_g", 0, 0, 5000000},    {"min_plate_confidence", 0, 0, 1000},
    {"min_ocr_confidence", 0, 0, 1000},       {"weight_required", 1, 0, 0},
};
static const setting_member notification_members[] = {
    {"retry_base_ms", 0, 10, 86400000}, {"retry_factor", 0, 1, 10},         {"max_attempts", 0, 1, 20},
    {"timeout_ms", 0, 100, 60000},      {"max_stream_clients", 0, 0, 100000},
};
/* The electronic yard and the e-queue (store/yardstore.h). */
static const setting_member yard_members[] = {
    {"walk_ins", 1, 0, 0},
    {"no_show_window_minutes", 0, 1, 1440},
    {"no_show_limit", 0, 1, 10},
    {"min_plate_confidence", 0, 0, 1000},
    {"debounce_seconds", 0, 0, 3600},
    {"booking_min_notice_minutes", 0, 0, 10080},
    {"max_rebookings", 0, 0, 100},
    {"booking_grace_minutes", 0, 0, 1440},
};
static const setting_kind setting_kinds[] = {
    {"risk_policy", LP_RS(LP_ROLE_CUSTOMS), "customs", policy_members, N(policy_members)},
    {"clearance", LP_RS(LP_ROLE_OPERATOR) | LP_RS(LP_ROLE_ADMIN), "operator or admin", clearance_members,
     N(clearance_members)},
    {"notifications", LP_RS(LP_ROLE_OPERATOR) | LP_RS(LP_ROLE_ADMIN), "operator or admin", notification_members,
     N(notification_members)},
    {"yard", LP_RS(LP_ROLE_OPERATOR) | LP_RS(LP_ROLE_ADMIN), "operator or admin", yard_members, N(yard_members)},
};

static const setting_kind *kind_of(const char *id)
{
    int i;
    for (i = 0; i < N(setting_kinds); i++)
        if (strcmp(setting_kinds[i].id, id) == 0) return &setting_kinds[i];
    return NULL;
}

static const lp_jfield setting_fields[] = {
    /* An object: jsonspec has no object type, so it is declared as a string
     * and accept_value_object() takes jsonspec's type complaint back. */
    {"value", LP_J_STRING, LP_JF_REQUIRED, 0, 0, NULL, NULL,
     "A JSON object. risk_policy (customs): min_yellow_permille, min_red_permille (0-1000 each, sum <= 1000). "
     "clearance (operator, admin): declaration_validity_hours 1-720, weight_tolerance_permille 0-200, "
     "weight_tolerance_g 0-5000000, min_plate_confidence 0-1000, min_ocr_confidence 0-1000, weight_required "
     "(boolean). notifications (operator, admin): retry_base_ms 10-86400000, retry_factor 1-10, max_attempts "
     "1-20, timeout_ms 100-60000, max_stream_clients 0-100000 (webhook retries and event streams). "
     "yard (operator, admin): walk_ins (boolean), no_show_window_minutes 1-1440, no_show_limit 1-10, "
     "min_plate_confidence 0-1000, debounce_seconds 0-3600, booking_min_notice_minutes 0-10080, max_rebookings "
     "0-100, booking_grace_minutes 0-1440. Members not sent keep their value; unknown members are refused.",
     "{\"min_yellow_permille\":296,\"min_red_permille\":34}"},
};
const lp_jspec lp_spec_setting_patch = {setting_fields, N(setting_fields)};

/* Takes back jsonspec's "must be a string" on /value when the value is an
 * object, and says what is wanted when it is not. */
static void accept_value_object(const cJSON *value, lp_err *err)
{
    int i, j = 0;
    for (i = 0; i < err->nfields; i++) {
        if (strcmp(err->fields[i].pointer, "/value") == 0 && strncmp(err->fields[i].msg, "must be a string", 16) == 0)
            continue;
        err->fields[j++] = err->fields[i];
    }
    if (j < err->nfields && j == 0 && !err->more && err->code == LP_EINVAL) lp_err_init(err);
    else err->nfields = j;
    if (value && !cJSON_IsNull(value) && !cJSON_IsObject(value))
        lp_err_field_add(err, "/value", "must be a JSON object");
}

/* Checks the members of value against kind; pointers under /value. */
static void check_members(const setting_kind *kind, const cJSON *value, lp_err *err)
{
    const cJSON *m, *k;
    char ptr[96];
    int i;
    cJSON_ArrayForEach(m, value) {
        const setting_member *sm = NULL;
        snprintf(ptr, sizeof ptr, "/value/%.80s", m->string);
        for (i = 0; i < kind->n && !sm; i++)
            if (strcmp(kind->members[i].name, m->string) == 0) sm = &kind->members[i];
        for (k = value->child; k != m; k = k->next)
            if (strcmp(k->string, m->string) == 0) break;
        if (k != m) lp_err_field_add(err, ptr, "appears more than once");
        else if (!sm) lp_err_field_add(err, ptr, "is not a member of the %s setting", kind->id);
        else if (sm->is_bool && !cJSON_IsBool(m)) lp_err_field_add(err, ptr, "must be true or false");
        else if (!sm->is_bool && (!cJSON_IsNumber(m) || m->valuedouble != floor(m->valuedouble) ||
                                  m->valuedouble < (double)sm->min || m->valuedouble > (double)sm->max))
            lp_err_field_add(err, ptr, "must be an integer from %" PRId64 " to %" PRId64, sm->min, sm->max);
    }
}

/* The value to store: the stored value of kind with the members of sent
 * applied, checked as a whole (every member present; the policy's sum).
 * *version receives the version it builds on.  Caller owns *full.  Field
 * problems go to err under /value (LP_EINVAL); a missing row or a store
 * error goes to store_err. */
static int settle_value(lp_req *r, const setting_kind *kind, const cJSON *sent, cJSON **full, int64_t *version,
                        lp_err *err, lp_err *store_err)
{
    cJSON *row = NULL, *out = NULL;
    const cJSON *m;
    char ptr[96];
    int rc, i, before = err->nfields + err->more;

    *full = NULL;
    rc = lp_table_get(r->store, &lp_tbl_settings, kind->id, 0, &row, store_err);
    if (rc) return rc;
    *version = lp_json_int(row, "version", -1);
    out = cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(row, "value"))
              ? cJSON_DetachItemFromObjectCaseSensitive(row, "value")
              : cJSON_CreateObject();
    cJSON_Delete(row);
    cJSON_ArrayForEach(m, sent) {
        if (cJSON_GetObjectItemCaseSensitive(out, m->string))
            cJSON_ReplaceItemInObjectCaseSensitive(out, m->string, cJSON_Duplicate(m, 1));
        else
            cJSON_AddItemToObject(out, m->string, cJSON_Duplicate(m, 1));
    }
    for (i = 0; i < kind->n; i++)
        if (!cJSON_GetObjectItemCaseSensitive(out, kind->members[i].name)) {
            snprintf(ptr, sizeof ptr, "/value/%s", kind->members[i].name);
            lp_err_field_add(err, ptr, "is required (the stored value lacks it)");
        }
    if (strcmp(kind->id, "risk_policy") == 0 && err->nfields + err->more == before) {
        lp_risk_policy p = {(int)lp_json_int(out, "min_yellow_permille", 0), (int)lp_json_int(out, "min_red_permille", 0)};
        lp_err found;
        lp_err_init(&found);
        lp_risk_policy_check(&p, &found);
        add_new_errors(err, &found, "/value");
    }
    if (err->nfields + err->more > before) {
        cJSON_Delete(out);
        return LP_EINVAL;
    }
    *full = out;
    return LP_OK;
}

void lp_check_setting_patch(lp_req *r, lp_err *err)
{
    const setting_kind *kind = kind_of(r->params[0]);
    const cJSON *value = cJSON_GetObjectItemCaseSensitive(r->body, "value");
    cJSON *full = NULL;
    int64_t version;
    char msg[160];
    lp_err store_err;
    int before;

    accept_value_object(value, err);
    if (!kind) return; /* the handler answers 404 */
    if (!lp_roleset_has(kind->roles, r->who.role)) {
        snprintf(msg, sizeof msg, "the %s setting is changed by %s only, not by role %s", kind->id, kind->who,
                 lp_role_name(r->who.role));
        forbid(err, msg);
        return;
    }
    if (!cJSON_IsObject(value)) return;
    before = err->nfields + err->more;
    check_members(kind, value, err);
    if (err->nfields + err->more > before) return;
    /* The whole value as it would be stored; the handler builds it again
     * inside its transaction. */
    lp_err_init(&store_err);
    settle_value(r, kind, value, &full, &version, err, &store_err);
    cJSON_Delete(full);
}

static const lp_qparam no_query[] = {{0}};

void lp_h_settings_list(lp_req *r) { list_filtered(r, &lp_tbl_settings, no_query, NULL); }
void lp_h_settings_get(lp_req *r) { net__get(r, &lp_tbl_settings, NULL); }

/* Stores the settled value: a change of another member meanwhile (another
 * node) makes the update stale instead of being overwritten. */
void lp_h_settings_patch(lp_req *r)
{
    const setting_kind *kind = kind_of(r->params[0]);
    cJSON *full = NULL, *patch = NULL, *rec = NULL;
    int64_t if_match, version = -1;
    lp_err err, fields;
    int rc, in_tx = 0;

    lp_err_init(&err);
    lp_err_init(&fields);
    if (!kind) {
        lp_err_set(&err, LP_ENOTFOUND, "no setting with id '%.64s'", r->params[0]);
        lp_reply_error(r, &err);
        return;
    }
    if (lp_req_if_match(r, &if_match)) return;
    rc = lp_store_begin(r->store, &err);
    if (rc) goto out;
    in_tx = 1;
    rc = settle_value(r, kind, cJSON_GetObjectItemCaseSensitive(r->body, "value"), &full, &version, &fields, &err);
    if (rc == LP_EINVAL) err = fields;
    if (rc) goto out;
    patch = cJSON_CreateObject();
    cJSON_AddItemToObject(patch, "value", full);
    full = NULL;
    rc = lp_table_update(r->store, &lp_tbl_settings, &r->actor, kind->id, 0, if_match >= 0 ? if_match : version,
                         "update", patch, &rec, &err);
    if (rc) goto out;
    rc = lp_store_commit(r->store, &err);
    in_tx = 0;
    if (rc) goto out;
    net__etag(r, rec);
    lp_reply_json(r, 200, rec);
    rec = NULL;
out:
    if (in_tx) lp_store_rollback(r->store);
    if (rc) net__fail(r, &err, NULL);
    cJSON_Delete(full);
    cJSON_Delete(patch);
    cJSON_Delete(rec);
}

/* Agency tasks -------------------------------------------------------------- */

static const char *const decisions[] = {"approve", "reject", "hold", NULL};

static const lp_jfield decision_fields[] = {
    {"decision", LP_J_ENUM, LP_JF_REQUIRED, 0, 0, decisions, NULL,
     "approve, reject (final) or hold (to be decided again later)", "\"approve\""},
    {"reason", LP_J_STRING, 0, 1, 500, NULL, NULL, "Why; required for reject and hold", "\"seal number differs\""},
};
const lp_jspec lp_spec_task_decision = {decision_fields, N(decision_fields)};

const lp_qparam lp_query_tasks[] = {
    {"agency", "string", "customs, border_guard or quarantine (an agency role sees only its own)"},
    {"state", "string", "pending, approved, rejected or hold"},
    {"declaration_id", "integer", "The tasks of one declaration"},
    {"kind", "string", "e.g. document_check, physical_check, quarantine_check, gate_exception"},
    {0}};

/* The agency whose tasks role may see: its own for the three agencies, NULL
 * (every agency) for the others the routes let in. */
static const char *agency_of(lp_role role)
{
    return role == LP_ROLE_CUSTOMS || role == LP_ROLE_BORDER_GUARD || role == LP_ROLE_QUARANTINE ? lp_role_name(role)
                                                                                                : NULL;
}

static int visible(const lp_req *r, const cJSON *task)
{
    const char *mine = agency_of(r->who.role);
    const char *its = lp_json_str(task, "agency");
    return !mine || (its && strcmp(its, mine) == 0);
}

static int not_found(lp_err *err, const char *id)
{
    return lp_err_set(err, LP_ENOTFOUND, "no task with id '%.40s'", id);
}

void lp_h_tasks_list(lp_req *r)
{
    const char *mine = agency_of(r->who.role);
    lp_filter own = {"agency", mine};
    /* Both filters apply: asking for another agency's tasks finds none. */
    list_filtered(r, &lp_tbl_tasks, lp_query_tasks, mine ? &own : NULL);
}

void lp_h_tasks_get(lp_req *r)
{
    cJSON *task = NULL;
    lp_err err;
    lp_err_init(&err);
    if (lp_table_get(r->store, &lp_tbl_tasks, r->params[0], 0, &task, &err) == LP_OK && !visible(r, task))
        not_found(&err, r->params[0]);
    if (err.code) {
        cJSON_Delete(task);
        net__fail(r, &err, NULL);
        return;
    }
    net__etag(r, task);
    lp_reply_json(r, 200, task);
}

void lp_check_task_decision(lp_req *r, lp_err *err)
{
    const char *decision = lp_json_str(r->body, "decision"), *reason = lp_json_str(r->body, "reason");
    cJSON *task = NULL;
    lp_err e;

    lp_err_init(&e);
    if (lp_table_get(r->store, &lp_tbl_tasks, r->params[0], 0, &task, &e) == LP_OK && !visible(r, task)) {
        char msg[160];
        snprintf(msg, sizeof msg, "task %.32s is for %.20s; role %s decides only %s tasks", r->params[0],
                 lp_json_str(task, "agency") ? lp_json_str(task, "agency") : "another agency",
                 lp_role_name(r->who.role), lp_role_name(r->who.role));
        forbid(err, msg);
    }
    cJSON_Delete(task);
    if (err->code == LP_EFORBIDDEN) return;
    if (decision && strcmp(decision, "approve") != 0) {
        const char *p = reason;
        while (p && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) p++;
        if (!p || !*p) lp_err_field_add(err, "/reason", "is required to %s a task", decision);
    }
}

/* The task's state after decision. */
static const char *state_of(const char *decision)
{
    return strcmp(decision, "approve") == 0 ? "approved" : strcmp(decision, "reject") == 0 ? "rejected" : "hold";
}

/* Checks that the task may be decided now: not decided for good, and its
 * declaration still open to decisions. */
static int decidable(lp_req *r, const cJSON *task, lp_err *err)
{
    const char *state = lp_json_str(task, "state");
    cJSON *decl = NULL;
    const char *status;
    char id[32];
    int rc;

    if (state && (strcmp(state, "approved") == 0 || strcmp(state, "rejected") == 0))
        return lp_err_set(err, LP_ECONFLICT, "task %.32s is already %s by %.96s; a decision is final", r->params[0],
                          state, lp_json_str(task, "decided_by") ? lp_json_str(task, "decided_by") : "someone");
    snprintf(id, sizeof id, "%" PRId64, lp_json_int(task, "declaration_id", 0));
    rc = lp_table_get(r->store, &lp_tbl_declarations, id, 0, &decl, err);
    if (rc) return rc;
    status = lp_json_str(decl, "status");
    if (status && (strcmp(status, "cancelled") == 0 || strcmp(status, "expired") == 0 || strcmp(status, "exited") == 0))
        rc = lp_err_set(err, LP_ECONFLICT, "declaration %s is %s; its tasks can no longer be decided", id, status);
    cJSON_Delete(decl);
    return rc;
}

void lp_h_tasks_decide(lp_req *r)
{
    const char *decision = lp_json_str(r->body, "decision"), *reason = lp_json_str(r->body, "reason");
    const lp_clock *ck = lp_store_clock(r->store);
    cJSON *task = NULL, *after = NULL, *decl = NULL, *patch = NULL, *out;
    lp_actor actor = r->actor;
    lp_err err;
    int rc, in_tx = 0;

    lp_err_init(&err);
    /* The audit event says why: X-Reason if given, else the decision's own. */
    if (!actor.reason || !*actor.reason) actor.reason = reason;
    rc = lp_store_begin(r->store, &err);
    if (rc) goto out;
    in_tx = 1;
    rc = lp_table_get(r->store, &lp_tbl_tasks, r->params[0], 0, &task, &err);
    if (rc) goto out;
    if (!visible(r, task)) {
        rc = lp_err_set(&err, LP_EFORBIDDEN, "role %s decides only its own agency's tasks", lp_role_name(r->who.role));
        goto out;
    }
    rc = decidable(r, task, &err);
    if (rc) goto out;
    patch = cJSON_CreateObject();
    cJSON_AddStringToObject(patch, "state", state_of(decision));
    if (reason) cJSON_AddStringToObject(patch, "reason", reason);
    else cJSON_AddNullToObject(patch, "reason");
    cJSON_AddStringToObject(patch, "decided_by", r->who.name);
    cJSON_AddNumberToObject(patch, "decided_at", (double)ck->now_ms(ck->ud));
    /* Only the version read above may be decided: another node deciding
     * the same task meanwhile makes this one a conflict, not a second
     * final decision. */
    rc = lp_table_update(r->store, &lp_tbl_tasks, &actor, r->params[0], 0, lp_json_int(task, "version", 0), "decide",
                         patch, &after, &err);
    if (rc == LP_ESTALE) {
        lp_err_init(&err);
        rc = lp_err_set(&err, LP_ECONFLICT, "task %.32s was decided by someone else meanwhile; read it again",
                        r->params[0]);
    }
    if (rc) goto out;
    rc = lp_clearance_refresh(r->store, &actor, lp_json_int(after, "declaration_id", 0), &decl, &err);
    if (rc) goto out;
    rc = lp_store_commit(r->store, &err);
    in_tx = 0;
    if (rc) goto out;
    out = cJSON_CreateObject();
    cJSON_AddItemToObject(out, "task", after);
    after = NULL;
    {
        cJSON *d = cJSON_AddObjectToObject(out, "declaration");
        cJSON_AddNumberToObject(d, "id", (double)lp_json_int(decl, "id", 0));
        cJSON_AddStringToObject(d, "status", lp_json_str(decl, "status") ? lp_json_str(decl, "status") : "");
        cJSON_AddNumberToObject(d, "version", (double)lp_json_int(decl, "version", 0));
    }
    lp_reply_json(r, 200, out);
out:
    if (in_tx) lp_store_rollback(r->store);
    if (rc) net__fail(r, &err, NULL);
    cJSON_Delete(task);
    cJSON_Delete(after);
    cJSON_Delete(decl);
    cJSON_Delete(patch);
}
