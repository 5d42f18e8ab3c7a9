/* h_declarations.c - customs declarations filed by a company before arrival
 * (DESIGN.md, "A manned truck crossing", steps 1-2): the body declarations,
 * filing with its risk channel and agency tasks, reading, listing and
 * amending.  The body check is in h_decl_check.c, cancel, override, the
 * amendment history and the risk replay in h_decl_actions.c.
 *
 * Invariant: nothing is stored unless every check passed; filing, amending,
 * cancelling and overriding each change the declaration, its tasks and its
 * crossing record in one transaction, with their audit events.  Expiry is
 * computed when a declaration is read (see expired() in h_decl_record.c),
 * not written. */
#include "h_decl_internal.h"
#include "../core/ident.h"
#include "../core/mem.h"
#include "../store/clearance.h"
#include "../store/decl_tasks.h"
#include "../store/resources.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define MAX_ID 9007199254740991LL      /* largest integer a JSON number holds exactly */

/* Body declarations ---------------------------------------------------------------- */

static const char *const directions[] = {"export", "import", NULL};
static const char *const transports[] = {"truck", "agv", NULL};
static const char *const channels[] = {"green", "yellow", "red", NULL};

static const lp_jfield container_fields[] = {
    {"number", LP_J_STRING, LP_JF_REQUIRED, 1, 20, NULL, NULL, "ISO 6346 container number with its check digit",
     "\"CSQU3054383\""},
    {"seals", LP_J_STRING_ARRAY, 0, 1, 40, NULL, NULL,
     "Seal numbers, at most 4: 4-20 letters, digits and '-' (spaces are dropped)", "[\"ML-CN1234567\"]"},
};
static const lp_jspec container_spec = {container_fields, N(container_fields)};

static const lp_jfield line_fields[] = {
    {"hs_code", LP_J_STRING, LP_JF_REQUIRED, 1, 20, NULL, NULL, "Vietnamese HS code, 8 digits ('.' and spaces allowed)",
     "\"0810.90.10\""},
    {"description", LP_J_STRING, LP_JF_REQUIRED, 1, LP_DECL_DESC_SIZE - 1, NULL, NULL,
     "Description of the goods (at most 512 bytes of UTF-8)", "\"Sầu riêng tươi (fresh durian)\""},
    {"packages", LP_J_INT, LP_JF_REQUIRED, 1, LP_DECL_PACKAGES_MAX, NULL, NULL, "Number of packages", "1200"},
    {"gross_weight_kg", LP_J_NUMBER, LP_JF_REQUIRED, 0, 0, NULL, NULL, "Gross weight in kg, at most 3 decimals",
     "18500.5"},
    {"value", LP_J_NUMBER, LP_JF_REQUIRED, 0, 0, NULL, NULL,
     "Customs value in the declaration's currency, at most its minor-unit decimals", "1250000000"},
    {"origin", LP_J_STRING, LP_JF_REQUIRED, 2, 2, NULL, NULL, "Country of origin, ISO 3166-1 alpha-2", "\"VN\""},
};
static const lp_jspec line_spec = {line_fields, N(line_fields)};

static const lp_jfield totals_fields[] = {
    {"packages", LP_J_INT, LP_JF_REQUIRED, 0, LP_DECL_PACKAGES_MAX * LP_DECL_MAX_LINES, NULL, NULL,
     "Sum of the lines' packages", "1200"},
    {"gross_weight_kg", LP_J_NUMBER, LP_JF_REQUIRED, 0, 0, NULL, NULL, "Sum of the lines' gross weights", "18500.5"},
    {"value", LP_J_NUMBER, LP_JF_REQUIRED, 0, 0, NULL, NULL, "Sum of the lines' values", "1250000000"},
};
static const lp_jspec totals_spec = {totals_fields, N(totals_fields)};

#define DECL_FIELDS(req, fixed)                                                                                   \
    {"number", LP_J_STRING, req | fixed, 1, 40, NULL, NULL,                                                     \
     "Customs declaration number: 12 digits (VNACCS) or 18 (Chinese customs)", "\"305123456789\""},             \
    {"direction", LP_J_ENUM, req | fixed, 0, 0, directions, NULL, "export (Vietnam to China) or import", NULL},  \
    {"crossing_point_id", LP_J_STRING, req, 2, 40, NULL, NULL, "Crossing point, open for this direction",       \
     "\"tanthanh-1090\""},                                                                                       \
    {"transport", LP_J_ENUM, req | fixed, 0, 0, transports, NULL,                                               \
     "truck (with vehicle and driver) or agv (road-1088; the fleet assigns the AGV)", NULL},                    \
    {"vehicle_id", LP_J_INT, LP_JF_NULLABLE, 1, MAX_ID, NULL, NULL,                                             \
     "Truck: an active truck of the company; AGV: absent", "12"},                                               \
    {"driver_id", LP_J_INT, LP_JF_NULLABLE, 1, MAX_ID, NULL, NULL,                                              \
     "Truck: an active driver of the company with a licence valid at arrival; AGV: absent", "7"},               \
    {"trailer_plate", LP_J_STRING, LP_JF_NULLABLE, 4, 20, NULL, NULL, "Trailer plate, if any", "\"29R-012.34\""}, \
    {"expected_arrival", LP_J_STRING, req, 1, 40, NULL, NULL,                                                  \
     "RFC 3339 date and time with offset; from 2 h ago to 30 days ahead", "\"2026-11-24T08:30:00+07:00\""},     \
    {"currency", LP_J_STRING, req, 3, 3, NULL, NULL, "ISO 4217 currency of the values", "\"VND\""},            \
    {"containers", LP_J_OBJECT_ARRAY, 0, 0, LP_DECL_MAX_CONTAINERS, NULL, &container_spec,                      \
     "Containers with their seals (an AGV carries at least one)", NULL},                                        \
    {"goods", LP_J_OBJECT_ARRAY, req, 0, LP_DECL_MAX_LINES, NULL, &line_spec, "Goods lines, 1-200", NULL},      \
    {"totals", LP_J_OBJECT, req, 0, 0, NULL, &totals_spec, "The sums of the lines", NULL}

static const lp_jfield create_fields[] = {DECL_FIELDS(LP_JF_REQUIRED, 0)};
const lp_jspec lp_spec_declaration_create = {create_fields, N(create_fields)};
static const lp_jfield amend_fields[] = {DECL_FIELDS(0, LP_JF_CREATE_ONLY)};
const lp_jspec lp_spec_declaration_amend = {amend_fields, N(amend_fields)};

static const lp_jfield cancel_fields[] = {
    {"reason", LP_J_STRING, LP_JF_REQUIRED, 3, NET__REASON_MAX, NULL, NULL, "Why the declaration is withdrawn",
     "\"Shipment postponed by the buyer\""},
};
const lp_jspec lp_spec_declaration_cancel = {cancel_fields, N(cancel_fields)};
static const lp_jfield override_fields[] = {
    {"channel", LP_J_ENUM, LP_JF_REQUIRED, 0, 0, channels, NULL, "The channel customs sets", NULL},
    {"reason", LP_J_STRING, LP_JF_REQUIRED, 3, NET__REASON_MAX, NULL, NULL, "Why (kept in the audit log)",
     "\"Intelligence report on this consignee\""},
};
const lp_jspec lp_spec_declaration_override = {override_fields, N(override_fields)};

const lp_qparam lp_declaration_query[] = {
    {"status", "string", "pending, held, rejected, cleared, gate_open, exited, cancelled or expired"},
    {"channel", "string", "green, yellow or red"},
    {"crossing_point_id", "string", "e.g. road-1088"},
    {"direction", "string", "export or import"},
    {"number", "string", "Customs declaration number (any separators)"},
    {"vehicle_plate", "string", "Plate of the truck (any spelling the plate check accepts)"},
    {"company_id", "integer", "Declarant company (staff only; a company sees its own)"},
    {0}};

/* Filing -------------------------------------------------------------------------------------- */

void lp_h_declarations_create(lp_req *r)
{
    lp_decl_parsed p;
    lp_err err;
    lp_clearance_settings cs;
    lp_risk_channel ch = LP_RISK_RED;
    cJSON *values = NULL, *risk = NULL, *rec = NULL;
    int64_t now = net__decl_now(r->store), company = r->who.company_id, id;
    uint64_t seed = 0;
    char hex[17];
    int rc, in_tx = 0, quarantine;

    lp_err_init(&err);
    net__decl_parsed_init(&p);
    /* The check step passed; this only repeats the conversion. */
    rc = net__decl_parse_and_check(r->store, r->body, company, now, now, &p, &err);
    if (rc) goto out;
    if ((rc = lp_clearance_settings_get(r->store, &cs, &err)) || (rc = net__decl_new_seed(r->store, &seed, &err))) goto out;
    rc = lp_store_begin(r->store, &err);
    if (rc) goto out;
    in_tx = 1;
    rc = net__decl_run_risk(r->store, p.d, company, seed, &ch, &risk, &err);
    if (rc) goto out;
    cJSON_AddStringToObject(risk, "run", "filing");
    quarantine = lp_decl_needs_quarantine(p.d);
    snprintf(hex, sizeof hex, "%016" PRIx64, seed);
    values = net__decl_values(&p);
    cJSON_AddNumberToObject(values, "company_id", (double)company);
    cJSON_AddStringToObject(values, "status", "pending");
    cJSON_AddStringToObject(values, "channel", lp_risk_channel_name(ch));
    cJSON_AddStringToObject(values, "channel_source", "risk");
    cJSON_AddStringToObject(values, "risk_seed", hex);
    cJSON_AddNumberToObject(values, "risk_algo", LP_RISK_ALGO_VERSION);
    cJSON_AddItemToObject(values, "risk", risk);
    risk = NULL;
    cJSON_AddBoolToObject(values, "needs_quarantine", quarantine);
    cJSON_AddNumberToObject(values, "valid_until", (double)(now + (int64_t)cs.validity_hours * 3600 * 1000));
    cJSON_AddNumberToObject(values, "amendments", 0);
    rc = lp_table_insert(r->store, &lp_tbl_declarations, &r->actor, NULL, values, &rec, &err);
    if (rc) goto out;
    id = lp_json_int(rec, "id", 0);
    if ((rc = lp_decl_tasks_plan(r->store, &r->actor, id, company, p.d, p.vehicle_ok, ch, quarantine, &err)) ||
        (rc = lp_decl_tasks_add_crossing(r->store, &r->actor, id, company, p.d, ch, now, &err)))
        goto out;
    cJSON_Delete(rec);
    rec = NULL;
    rc = lp_clearance_refresh(r->store, &r->actor, id, &rec, &err);
    if (rc) goto out;
    rc = lp_store_commit(r->store, &err);
    in_tx = 0;
    if (rc) goto out;
    net__decl_reply(r, 201, rec);
    rec = NULL;
out:
    if (in_tx) lp_store_rollback(r->store);
    if (rc && err.code == LP_EINVAL) net__decl_reply_problems(r, &err);
    else if (rc) net__fail(r, &err, "/number");
    net__decl_parsed_deinit(&p);
    cJSON_Delete(values);
    cJSON_Delete(rec);
}

/* Reading ------------------------------------------------------------------------------------- */

void lp_h_declarations_get(lp_req *r)
{
    cJSON *rec = NULL;
    lp_err err;
    lp_err_init(&err);
    if (lp_table_get(r->store, &lp_tbl_declarations, r->params[0], lp_req_scope(r), &rec, &err)) {
        net__fail(r, &err, NULL);
        return;
    }
    net__decl_reply(r, 200, rec);
}

/* The SQL of a listing with its parameters; the parameters point into num
 * and plate, so the query lives as long as they do. */
typedef struct list_query {
    lp_buf sql;
    lp_db_val p[16];
    int n;
    char num[LP_DECL_NUMBER_SIZE], plate[LP_DECL_PLATE_SIZE];
} list_query;

/* Appends the filters of the query string to q->sql; problems with them go
 * to err. */
static void list_where(lp_req *r, list_query *q, int64_t now, const char *cursor, lp_err *err)
{
    static const char *const eq[] = {"channel", "crossing_point_id", "direction", "number", "vehicle_plate", NULL};
    static const char *const live[] = {"pending", "held", "cleared", NULL};
    const char *const *f;
    const char *status = lp_req_query(r, "status"), *cid = lp_req_query(r, "company_id");
    char *end;
    int64_t scope = lp_req_scope(r);

    for (f = eq; *f; f++) {
        const char *v = lp_req_query(r, *f);
        if (!v) continue;
        /* Identifiers are stored canonical; accept the ways people write them. */
        if (strcmp(*f, "number") == 0 && lp_decl_number(v, 0, q->num, sizeof q->num, NULL, 0) == LP_OK) v = q->num;
        if (strcmp(*f, "vehicle_plate") == 0 &&
            (lp_ident_plate("VN", v, q->plate, sizeof q->plate, NULL, 0) == LP_OK ||
             lp_ident_plate("CN", v, q->plate, sizeof q->plate, NULL, 0) == LP_OK))
            v = q->plate;
        lp_buf_printf(&q->sql, " AND %s = ?", *f);
        q->p[q->n++] = LP_DB_S(v);
    }
    if (cid) {
        long long c = strtoll(cid, &end, 10);
        if (!*cid || *end) lp_err_field_add(err, "?company_id", "must be an integer");
        lp_buf_puts(&q->sql, " AND company_id = ?");
        q->p[q->n++] = LP_DB_I(c);
    }
    if (status && strcmp(status, "expired") == 0) {
        lp_buf_puts(&q->sql, " AND (status = 'expired' OR (status IN ('pending', 'held', 'cleared') AND valid_until < ?))");
        q->p[q->n++] = LP_DB_I(now);
    } else if (status) {
        lp_buf_puts(&q->sql, " AND status = ?");
        q->p[q->n++] = LP_DB_S(status);
        if (net__decl_in_set(status, live)) {
            lp_buf_puts(&q->sql, " AND valid_until >= ?");
            q->p[q->n++] = LP_DB_I(now);
        }
    }
    if (scope) {
        lp_buf_puts(&q->sql, " AND company_id = ?");
        q->p[q->n++] = LP_DB_I(scope);
    }
    if (cursor && *cursor) {
        long long c = strtoll(cursor, &end, 10);
        if (*end || c < 0) lp_err_field_add(err, "?cursor", "is not a cursor this server gave out");
        lp_buf_puts(&q->sql, " AND id > ?");
        q->p[q->n++] = LP_DB_I(c);
    }
}

/* Like lp_table_list, with the status filter knowing about expiry: a
 * pending declaration past valid_until is listed as expired, not pending. */
void lp_h_declarations_list(lp_req *r)
{
    const char *cursor;
    list_query q;
    lp_db_res *res = NULL;
    lp_err err;
    cJSON *items = NULL;
    int64_t now = net__decl_now(r->store);
    int i, rows, limit;

    lp_err_init(&err);
    if (lp_req_page(r, &limit, &cursor)) return;
    q.n = 0;
    lp_buf_init(&q.sql);
    lp_buf_puts(&q.sql, "SELECT id");
    for (i = 0; i < lp_tbl_declarations.ncols; i++) lp_buf_printf(&q.sql, ", %s", lp_tbl_declarations.cols[i].name);
    lp_buf_puts(&q.sql, ", version, created_at, updated_at FROM declarations WHERE 1=1");
    list_where(r, &q, now, cursor, &err);
    lp_buf_puts(&q.sql, " ORDER BY id LIMIT ?");
    q.p[q.n++] = LP_DB_I(limit + 1);
    if (err.code || lp_db_query(lp_store_db(r->store), lp_buf_str(&q.sql), q.p, q.n, &res, &err)) {
        lp_buf_deinit(&q.sql);
        if (err.code == LP_EINVAL) lp_reply_problem(r, 400, "the request has invalid query parameters", &err);
        else lp_reply_error(r, &err);
        return;
    }
    lp_buf_deinit(&q.sql);
    rows = lp_db_res_nrows(res);
    items = cJSON_CreateArray();
    for (i = 0; i < rows && i < limit; i++) {
        cJSON *rec = lp_table_row_json(&lp_tbl_declarations, res, i);
        cJSON_ReplaceItemInObjectCaseSensitive(rec, "status", cJSON_CreateString(net__decl_status_now(rec, now)));
        cJSON_AddItemToArray(items, rec);
    }
    lp_reply_page(r, items, rows > limit ? lp_db_res_text(res, limit - 1, 0) : NULL);
    lp_db_res_free(res);
}

/* Amendments ---------------------------------------------------------------------------------- */

/* The values an amendment stores: the declaration p, the channel (*was
 * before, *ch after) and the risk run, whether it needs quarantine
 * (*need_q).  Caller owns *values. */
static int amended_values(lp_store *st, const cJSON *stored, const lp_decl_parsed *p, int64_t company,
                          uint64_t seed, lp_risk_channel *was, lp_risk_channel *ch, int *need_q, cJSON **values,
                          lp_err *err)
{
    lp_risk_channel risk_ch = LP_RISK_RED;
    const cJSON *stored_risk = cJSON_GetObjectItemCaseSensitive(stored, "risk");
    const char *source;
    cJSON *risk = NULL;
    int rc, had_q;

    /* The same seed: amending must not re-roll the draws.  The channel only
     * goes up, so that fixing a typo never releases goods; and only when
     * this run is stricter than the previous one, so that a customs
     * override to a lower channel stands while the facts it judged do. */
    rc = net__decl_run_risk(st, p->d, company, seed, &risk_ch, &risk, err);
    if (rc) return rc;
    cJSON_AddStringToObject(risk, "run", "amendment");
    *was = net__decl_channel_of(lp_json_str(stored, "channel"));
    source = lp_json_str(stored, "channel_source");
    *ch = *was;
    if (risk_ch > net__decl_channel_of(lp_json_str(stored_risk, "channel")) && risk_ch > *was) {
        *ch = risk_ch;
        source = "risk";
    }
    had_q = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(stored, "needs_quarantine"));
    *need_q = had_q || lp_decl_needs_quarantine(p->d);

    *values = net__decl_values(p);
    cJSON_AddStringToObject(*values, "channel", lp_risk_channel_name(*ch));
    cJSON_AddStringToObject(*values, "channel_source", source ? source : "risk");
    cJSON_AddItemToObject(*values, "risk", risk);
    cJSON_AddBoolToObject(*values, "needs_quarantine", *need_q);
    cJSON_AddNumberToObject(*values, "amendments", (double)(lp_json_int(stored, "amendments", 0) + 1));
    return LP_OK;
}

void lp_h_declarations_amend(lp_req *r)
{
    lp_decl_parsed p;
    lp_err err;
    cJSON *stored = NULL, *doc = NULL, *values = NULL, *rec = NULL;
    int64_t ver, now = net__decl_now(r->store), company, id;
    uint64_t seed;
    lp_risk_channel was, ch;
    int rc, in_tx = 0, need_q;
    char ids[32];

    lp_err_init(&err);
    net__decl_parsed_init(&p);
    if (lp_req_if_match(r, &ver)) goto out0;
    rc = lp_store_begin(r->store, &err);
    if (rc) goto out;
    in_tx = 1;
    rc = lp_table_get(r->store, &lp_tbl_declarations, r->params[0], lp_req_scope(r), &stored, &err);
    if (rc || (rc = net__decl_amendable(r, stored, "be amended", &err)) ||
        (rc = net__decl_stored_seed(stored, &seed, &err)))
        goto out;
    company = lp_json_int(stored, "company_id", 0);
    id = lp_json_int(stored, "id", 0);
    net__decl_id_text(stored, ids);
    doc = net__decl_merged(stored, r->body);
    rc = net__decl_parse_and_check(r->store, doc, company, now,
                                   cJSON_GetObjectItemCaseSensitive(r->body, "expected_arrival") ? now : 0, &p, &err);
    if (rc) goto out;
    rc = amended_values(r->store, stored, &p, company, seed, &was, &ch, &need_q, &values, &err);
    if (rc) goto out;
    rc = lp_table_update(r->store, &lp_tbl_declarations, &r->actor, ids, lp_req_scope(r), ver, "amend", values, &rec,
                         &err);
    if (rc) goto out;
    if (ch != was && (rc = lp_decl_tasks_adjust_customs(r->store, &r->actor, id, company, ch, "amendment", &err)))
        goto out;
    if (need_q) rc = lp_decl_tasks_ensure_quarantine(r->store, &r->actor, id, company, p.d, &err);
    if (rc || (rc = lp_decl_tasks_sync_crossing(r->store, &r->actor, rec, &err))) goto out;
    cJSON_Delete(rec);
    rec = NULL;
    if ((rc = lp_clearance_refresh(r->store, &r->actor, id, &rec, &err))) goto out;
    rc = lp_store_commit(r->store, &err);
    in_tx = 0;
    if (rc) goto out;
    net__decl_reply(r, 200, rec);
    rec = NULL;
out:
    if (in_tx) lp_store_rollback(r->store);
    if (rc) net__decl_reply_problems(r, &err);
out0:
    net__decl_parsed_deinit(&p);
    cJSON_Delete(stored);
    cJSON_Delete(doc);
    cJSON_Delete(values);
    cJSON_Delete(rec);
}

