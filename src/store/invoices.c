/* invoices.c - fee tables as stored JSON and the invoices issued from them
 * (see invoices.h). */
#include "invoices.h"
#include "../core/mem.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const lp_col fee_table_cols[] = {
    {"description", LP_COL_TEXT}, {"currency", LP_COL_TEXT}, {"rates", LP_COL_JSON},
};
const lp_table lp_tbl_fee_tables = {"fee_tables", "fee_table", 1, NULL, fee_table_cols, N(fee_table_cols)};

static const lp_col invoice_cols[] = {
    {"company_id", LP_COL_INT},      {"number", LP_COL_TEXT},        {"subject_type", LP_COL_TEXT},
    {"subject_id", LP_COL_TEXT},     {"declaration_id", LP_COL_INT}, {"plate", LP_COL_TEXT},
    {"fee_table_id", LP_COL_TEXT},   {"fee_table_version", LP_COL_INT}, {"facts", LP_COL_JSON},
    {"currency", LP_COL_TEXT},       {"lines", LP_COL_JSON},         {"total", LP_COL_INT},
    {"paid", LP_COL_INT},            {"status", LP_COL_TEXT},        {"issued_at", LP_COL_TIME},
    {"paid_at", LP_COL_TIME},
};
const lp_table lp_tbl_invoices = {"invoices", "invoice", 0, "company_id", invoice_cols, N(invoice_cols)};

static const lp_col payment_cols[] = {
    {"invoice_id", LP_COL_INT}, {"company_id", LP_COL_INT}, {"reference", LP_COL_TEXT}, {"amount", LP_COL_INT},
    {"method", LP_COL_TEXT},    {"paid_at", LP_COL_TIME},   {"recorded_by", LP_COL_TEXT},
};
const lp_table lp_tbl_payments = {"payments", "payment", 0, "company_id", payment_cols, N(payment_cols)};

/* Parsing ------------------------------------------------------------------------- */

static int name_index(const char *s, const char *(*name)(int), int count)
{
    int i;
    for (i = 0; i < count; i++)
        if (strcmp(name(i), s) == 0) return i;
    return -2;
}

/* Integer member of rate i: *out, or a field error; absent keeps *out. */
static void rate_int(const cJSON *o, const char *name, const char *ptr, int64_t lo, int64_t hi, int64_t *out,
                     int required, lp_err *e)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, name);
    if (!m) {
        if (required) lp_err_field_add(e, ptr, "is required");
        return;
    }
    /* in range first: only then is the cast to int64 defined */
    if (!cJSON_IsNumber(m) || !(m->valuedouble >= (double)lo && m->valuedouble <= (double)hi) ||
        (double)(int64_t)m->valuedouble != m->valuedouble) {
        lp_err_field_add(e, ptr, "must be an integer from %" PRId64 " to %" PRId64, lo, hi);
        return;
    }
    *out = (int64_t)m->valuedouble;
}

static void rate_text(const cJSON *o, const char *name, const char *ptr, char *out, size_t cap, lp_err *e)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, name);
    if (!cJSON_IsString(m) || !m->valuestring[0]) lp_err_field_add(e, ptr, "is required: a non-empty string");
    else if (strlen(m->valuestring) >= cap) lp_err_field_add(e, ptr, "is longer than %zu bytes", cap - 1);
    else snprintf(out, cap, "%s", m->valuestring);
}

/* goods or journey: absent or "any" is LP_FEE_ANY. */
static void rate_key(const cJSON *o, const char *name, const char *ptr, const char *(*nm)(int), int count,
                     int *out, lp_err *e)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, name);
    int k;
    *out = LP_FEE_ANY;
    if (!m || cJSON_IsNull(m)) return;
    k = cJSON_IsString(m) ? name_index(m->valuestring, nm, count) : -2;
    if (cJSON_IsString(m) && strcmp(m->valuestring, "any") == 0) return;
    if (k < 0) {
        char names[160] = "";
        int i;
        for (i = 0; i < count; i++)
            snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", i ? ", " : "", nm(i));
        lp_err_field_add(e, ptr, "must be one of %s, any", names);
        return;
    }
    *out = k;
}

static const char *const rate_members[] = {"code", "description", "kind", "optional", "min_kg", "max_kg", "goods",
                                           "journey", "amount", "free_minutes", "daily_cap", NULL};

/* Adds the problems core finds in t (one or two rates, out[i] and out[j])
 * to e: pointers "/rates/1..." become prefix + "/" + j, and "/rates/0" in a
 * message (the earlier rate of an overlap) names out[i]. */
static int add_core_problems(const lp_fee_table *t, int i, int j, const char *prefix, lp_err *e)
{
    lp_err chk;
    char ptr[96], msg[sizeof chk.fields[0].msg], *at;
    int k, m;
    lp_err_init(&chk);
    if (lp_fees_table_check(t, &chk) == LP_OK) return 0;
    for (k = 0; k < chk.nfields; k++) {
        char *p;
        int idx = strtol(chk.fields[k].pointer + 7, &p, 10) ? j : i; /* "/rates/N..." */
        snprintf(ptr, sizeof ptr, "%s/%d%s", prefix, idx, p);
        snprintf(msg, sizeof msg, "%s", chk.fields[k].msg);
        if (t->nrates == 2 && (at = strstr(chk.fields[k].msg, "/rates/0")) != NULL)
            snprintf(msg, sizeof msg, "%.*s%s/%d%s", (int)(at - chk.fields[k].msg), chk.fields[k].msg, prefix, i,
                     at + 8);
        for (m = 0; m < e->nfields && strcmp(e->fields[m].pointer, ptr) != 0; m++) {}
        if (m == e->nfields) lp_err_field_add(e, ptr, "%s", msg); /* the first problem of a rate is enough */
    }
    if (!chk.nfields) lp_err_field_add(e, prefix, "%s", chk.msg);
    return 1;
}

/* Checks the parsed rates out[0..n) with core's rules, each rate that
 * parsed alone and then every pair of rates that passed, so that one bad
 * rate does not hide the problems (overlaps included) of the others. */
static void check_table(lp_fee_rate *out, int n, unsigned char *bad, const char *prefix, lp_err *e)
{
    lp_fee_rate pair[2];
    lp_fee_table t = {pair, 1};
    int i, j;
    for (i = 0; i < n; i++) {
        if (bad[i]) continue;
        pair[0] = out[i];
        bad[i] = (unsigned char)add_core_problems(&t, i, i, prefix, e);
    }
    t.nrates = 2;
    for (i = 0; i < n; i++)
        for (j = i + 1; j < n && !bad[i]; j++) {
            if (bad[j] || strncmp(out[i].code, out[j].code, LP_FEE_CODE_MAX) != 0) continue; /* only codes pair */
            pair[0] = out[i];
            pair[1] = out[j];
            add_core_problems(&t, i, j, prefix, e);
        }
}

int lp_fees_rates_parse(const cJSON *rates, const char *prefix, lp_fee_rate *out, int max, int *n, lp_err *e)
{
    const cJSON *o, *m;
    char ptr[96];
    unsigned char bad[LP_FEE_RATES_MAX];
    int i = 0, before = e ? e->nfields + e->more : 0;
    lp_err local;

    if (!e) {
        lp_err_init(&local);
        e = &local;
    }
    *n = 0;
    if (!cJSON_IsArray(rates)) {
        lp_err_field_add(e, prefix, "must be an array of rates");
        return LP_EINVAL;
    }
    if (max > LP_FEE_RATES_MAX) max = LP_FEE_RATES_MAX;
    if (cJSON_GetArraySize(rates) > max) {
        lp_err_field_add(e, prefix, "has more than %d rates", max);
        return LP_ETOOBIG;
    }
    cJSON_ArrayForEach(o, rates) {
        lp_fee_rate *r = &out[i];
        int64_t v;
        int errs = e->nfields + e->more;
        memset(r, 0, sizeof *r);
        bad[i] = 1;
        if (!cJSON_IsObject(o)) {
            snprintf(ptr, sizeof ptr, "%s/%d", prefix, i);
            lp_err_field_add(e, ptr, "must be an object");
            i++;
            continue;
        }
        cJSON_ArrayForEach(m, o) {
            const char *const *k;
            for (k = rate_members; *k && strcmp(*k, m->string); k++) {}
            if (!*k) {
                snprintf(ptr, sizeof ptr, "%s/%d/%.40s", prefix, i, m->string);
                lp_err_field_add(e, ptr, "is not a member of a rate");
            }
        }
#define P(name) (snprintf(ptr, sizeof ptr, "%s/%d/" name, prefix, i), ptr)
        rate_text(o, "code", P("code"), r->code, sizeof r->code, e);
        rate_text(o, "description", P("description"), r->description, sizeof r->description, e);
        m = cJSON_GetObjectItemCaseSensitive(o, "kind");
        r->kind = cJSON_IsString(m) ? (lp_fee_kind)name_index(m->valuestring, lp_fee_kind_name, LP_FEE_KIND__COUNT)
                                    : (lp_fee_kind)-2;
        if ((int)r->kind < 0) lp_err_field_add(e, P("kind"), "must be per_trip or yard");
        m = cJSON_GetObjectItemCaseSensitive(o, "optional");
        if (m && !cJSON_IsBool(m)) lp_err_field_add(e, P("optional"), "must be true or false");
        r->optional = cJSON_IsTrue(m);
        rate_key(o, "goods", P("goods"), lp_fee_goods_name, LP_FEE_GOODS__COUNT, &r->goods, e);
        rate_key(o, "journey", P("journey"), lp_fee_journey_name, LP_FEE_JOURNEY__COUNT, &r->journey, e);
        rate_int(o, "min_kg", P("min_kg"), 0, LP_FEE_KG_MAX, &r->min_kg, 0, e);
        r->max_kg = LP_FEE_KG_MAX;
        rate_int(o, "max_kg", P("max_kg"), 0, LP_FEE_KG_MAX, &r->max_kg, 0, e);
        rate_int(o, "amount", P("amount"), 0, LP_FEE_AMOUNT_MAX, &r->amount, 1, e);
        v = 0;
        rate_int(o, "free_minutes", P("free_minutes"), 0, LP_FEE_FREE_MIN_MAX, &v, 0, e);
        r->free_minutes = (int)v;
        rate_int(o, "daily_cap", P("daily_cap"), 0, LP_FEE_AMOUNT_MAX, &r->daily_cap, 0, e);
#undef P
        bad[i] = e->nfields + e->more > errs;
        i++;
    }
    check_table(out, i, bad, prefix, e);
    if (e->nfields + e->more > before) return LP_EINVAL;
    *n = i;
    return LP_OK;
}

cJSON *lp_fees_rates_json(const lp_fee_rate *rates, int n)
{
    cJSON *a = cJSON_CreateArray();
    int i;
    for (i = 0; a && i < n; i++) {
        const lp_fee_rate *r = &rates[i];
        cJSON *o = cJSON_CreateObject();
        if (!o) break;
        cJSON_AddItemToArray(a, o);
        cJSON_AddStringToObject(o, "code", r->code);
        cJSON_AddStringToObject(o, "description", r->description);
        cJSON_AddStringToObject(o, "kind", lp_fee_kind_name(r->kind));
        cJSON_AddBoolToObject(o, "optional", r->optional);
        cJSON_AddNumberToObject(o, "min_kg", (double)r->min_kg);
        cJSON_AddNumberToObject(o, "max_kg", (double)r->max_kg);
        cJSON_AddStringToObject(o, "goods", lp_fee_goods_name(r->goods));
        cJSON_AddStringToObject(o, "journey", lp_fee_journey_name(r->journey));
        cJSON_AddNumberToObject(o, "amount", (double)r->amount);
        if (r->kind == LP_FEE_YARD) {
            cJSON_AddNumberToObject(o, "free_minutes", r->free_minutes);
            cJSON_AddNumberToObject(o, "daily_cap", (double)r->daily_cap);
        }
    }
    return a;
}

int lp_fees_load(lp_store *st, const char *id, lp_fee_rate **rates, int *n, int64_t *version, lp_err *err)
{
    cJSON *row = NULL;
    lp_fee_rate *out = NULL;
    lp_err e;
    int rc;

    *rates = NULL;
    *n = 0;
    rc = lp_table_get(st, &lp_tbl_fee_tables, id, 0, &row, err);
    if (rc == LP_ENOTFOUND) return lp_err_set(err, LP_ENOTFOUND, "there is no fee table '%s'", id);
    if (rc) return rc;
    out = lp_calloc(LP_FEE_RATES_MAX, sizeof *out);
    if (!out) {
        rc = lp_err_set(err, LP_ENOMEM, "out of memory");
        goto done;
    }
    lp_err_init(&e);
    rc = lp_fees_rates_parse(cJSON_GetObjectItemCaseSensitive(row, "rates"), "/rates", out, LP_FEE_RATES_MAX, n, &e);
    if (rc) {
        rc = lp_err_set(err, LP_ESTORE, "fee table '%s' is damaged: %s %s", id,
                        e.nfields ? e.fields[0].pointer : "", e.nfields ? e.fields[0].msg : e.msg);
        goto done;
    }
    if (version) *version = lp_json_int(row, "version", 0);
    *rates = out;
    out = NULL;
done:
    lp_free(out);
    cJSON_Delete(row);
    return rc;
}

static int64_t store_now(lp_store *st)
{
    const lp_clock *clk = lp_store_clock(st);
    return clk->now_ms(clk->ud);
}

/* Pricing -------------------------------------------------------------------------- */

/* Prices trip under fee table id and adds to rec the members an invoice and
 * a quote share: facts, lines, fee_table_id, fee_table_version, currency,
 * total (also in *total).  Errors of the trip are field errors on the trip's
 * members ("/yard_ms" for the time). */
static int price(lp_store *st, const char *id, const lp_fee_trip *trip, cJSON *rec, int64_t *total, lp_err *err)
{
    lp_fee_rate *rates = NULL;
    lp_fee_line lines[32];
    lp_fee_table t;
    int nrates = 0, nlines = 0, rc, i;
    int64_t version = 0;
    cJSON *facts, *jl;
    lp_err e;

    *total = 0;
    rc = lp_fees_load(st, id, &rates, &nrates, &version, err);
    if (rc) return rc;
    lp_err_init(&e);
    t.rates = rates;
    t.nrates = nrates;
    rc = lp_fees_invoice(&t, trip, lines, N(lines), &nlines, total, &e);
    if (rc) {
        if (err) *err = e;
        goto done;
    }
    facts = cJSON_AddObjectToObject(rec, "facts");
    jl = cJSON_AddArrayToObject(rec, "lines");
    if (!facts || !jl) {
        rc = lp_err_set(err, LP_ENOMEM, "out of memory");
        goto done;
    }
    cJSON_AddNumberToObject(facts, "gross_kg", (double)trip->gross_kg);
    cJSON_AddStringToObject(facts, "goods", lp_fee_goods_name(trip->goods));
    cJSON_AddStringToObject(facts, "journey", lp_fee_journey_name(trip->journey));
    cJSON_AddNumberToObject(facts, "yard_minutes", (double)(trip->yard_ms / 60000));
    for (i = 0; i < nlines; i++) {
        cJSON *l = cJSON_CreateObject();
        cJSON_AddItemToArray(jl, l);
        cJSON_AddStringToObject(l, "code", lines[i].code);
        cJSON_AddStringToObject(l, "description", lines[i].description);
        cJSON_AddNumberToObject(l, "quantity", (double)lines[i].quantity);
        cJSON_AddNumberToObject(l, "unit_price", (double)lines[i].unit_price);
        cJSON_AddNumberToObject(l, "amount", (double)lines[i].amount);
    }
    cJSON_AddStringToObject(rec, "fee_table_id", id);
    cJSON_AddNumberToObject(rec, "fee_table_version", (double)version);
    cJSON_AddStringToObject(rec, "currency", "VND");
    cJSON_AddNumberToObject(rec, "total", (double)*total);
done:
    lp_free(rates);
    return rc;
}

int lp_fees_quote(lp_store *st, const char *id, const lp_fee_trip *trip, cJSON **out, lp_err *err)
{
    cJSON *rec = cJSON_CreateObject();
    int64_t total;
    int rc;
    *out = NULL;
    if (!rec) return lp_err_set(err, LP_ENOMEM, "out of memory");
    rc = price(st, id, trip, rec, &total, err);
    if (rc) cJSON_Delete(rec);
    else *out = rec;
    return rc;
}

/* Fee tables ------------------------------------------------------------------------- */

int lp_fees_table_put(lp_store *st, const lp_actor *who, const char *id, int64_t if_version,
                      const char *description, const cJSON *rates, cJSON **out, lp_err *err)
{
    lp_fee_rate *parsed = NULL;
    cJSON *patch = NULL, *canon;
    int n = 0, rc, in_tx = 0;

    if (out) *out = NULL;
    parsed = lp_calloc(LP_FEE_RATES_MAX, sizeof *parsed);
    patch = cJSON_CreateObject();
    if (!parsed || !patch) {
        rc = lp_err_set(err, LP_ENOMEM, "out of memory");
        goto done;
    }
    rc = lp_fees_rates_parse(rates, "/rates", parsed, LP_FEE_RATES_MAX, &n, err);
    if (rc) {
        if (err) snprintf(err->msg, sizeof err->msg, "the rate table is invalid; nothing was changed");
        rc = LP_EINVAL; /* too many rates is bad input here, not a size limit of the body */
        if (err) err->code = rc;
        goto done;
    }
    canon = lp_fees_rates_json(parsed, n);
    if (!canon) {
        rc = lp_err_set(err, LP_ENOMEM, "out of memory");
        goto done;
    }
    cJSON_AddItemToObject(patch, "rates", canon);
    if (description) cJSON_AddStringToObject(patch, "description", description);
    rc = lp_store_begin(st, err);
    if (rc) goto done;
    in_tx = 1;
    /* The version being replaced goes to the history first, in the same
     * transaction: an invoice that names it can always be explained. */
    {
        const lp_db_val p[2] = {LP_DB_I(store_now(st)), LP_DB_S(id)};
        rc = lp_db_query(lp_store_db(st),
                         "INSERT INTO fee_table_versions (fee_table_id, version, description, currency, rates,"
                         " valid_from, valid_until) SELECT id, version, description, currency, rates, updated_at, ?"
                         " FROM fee_tables WHERE id = ?",
                         p, 2, NULL, err);
    }
    if (rc == LP_ECONFLICT && err) snprintf(err->msg, sizeof err->msg, "fee table '%s' changed at the same time", id);
    if (rc) goto done;
    rc = lp_table_update(st, &lp_tbl_fee_tables, who, id, 0, if_version, "update", patch, out, err);
    if (rc == LP_ENOTFOUND && err) snprintf(err->msg, sizeof err->msg, "there is no fee table '%s'", id);
    if (rc) goto done;
    rc = lp_store_commit(st, err);
    in_tx = 0;
done:
    if (in_tx) lp_store_rollback(st);
    cJSON_Delete(patch);
    lp_free(parsed);
    return rc;
}

static cJSON *time_json(int64_t ms)
{
    char ts[40];
    lp_time_format(ms, ts, sizeof ts);
    return cJSON_CreateString(ts);
}

int lp_fees_table_version(lp_store *st, const char *id, int64_t version, cJSON **out, lp_err *err)
{
    const lp_db_val p[2] = {LP_DB_S(id), LP_DB_I(version)};
    lp_db_res *r = NULL;
    cJSON *cur = NULL, *o = NULL;
    int64_t now_version;
    int rc;

    *out = NULL;
    rc = lp_table_get(st, &lp_tbl_fee_tables, id, 0, &cur, err);
    if (rc == LP_ENOTFOUND && err) snprintf(err->msg, sizeof err->msg, "there is no fee table '%s'", id);
    if (rc) return rc;
    now_version = lp_json_int(cur, "version", 0);
    if (version == now_version) {
        o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "id", id);
        cJSON_AddNumberToObject(o, "version", (double)version);
        cJSON_AddItemToObject(o, "description", cJSON_DetachItemFromObjectCaseSensitive(cur, "description"));
        cJSON_AddItemToObject(o, "currency", cJSON_DetachItemFromObjectCaseSensitive(cur, "currency"));
        cJSON_AddItemToObject(o, "rates", cJSON_DetachItemFromObjectCaseSensitive(cur, "rates"));
        cJSON_AddItemToObject(o, "valid_from", cJSON_DetachItemFromObjectCaseSensitive(cur, "updated_at"));
        cJSON_AddNullToObject(o, "valid_until");
        goto done;
    }
    rc = lp_db_query(lp_store_db(st),
                     "SELECT description, currency, rates, valid_from, valid_until FROM fee_table_versions"
                     " WHERE fee_table_id = ? AND version = ?",
                     p, 2, &r, err);
    if (rc) goto done;
    if (lp_db_res_nrows(r) == 0) {
        rc = lp_err_set(err, LP_ENOTFOUND, "fee table '%s' has no version %" PRId64 " (it is at version %" PRId64 ")",
                        id, version, now_version);
        goto done;
    }
    o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", id);
    cJSON_AddNumberToObject(o, "version", (double)version);
    cJSON_AddStringToObject(o, "description", lp_db_res_text(r, 0, 0));
    cJSON_AddStringToObject(o, "currency", lp_db_res_text(r, 0, 1));
    cJSON_AddItemToObject(o, "rates", cJSON_Parse(lp_db_res_text(r, 0, 2)));
    cJSON_AddItemToObject(o, "valid_from", time_json(lp_db_res_int(r, 0, 3)));
    cJSON_AddItemToObject(o, "valid_until", time_json(lp_db_res_int(r, 0, 4)));
done:
    if (rc == LP_OK) *out = o;
    else cJSON_Delete(o);
    lp_db_res_free(r);
    cJSON_Delete(cur);
    return rc;
}

/* Issuing ------------------------------------------------------------------------- */

int lp_invoices_issue(lp_store *st, const lp_actor *who, const lp_invoice_req *rq, cJSON **out, lp_err *err)
{
    cJSON *rec = NULL;
    char number[96];
    int64_t total = 0, now;
    int rc, i;

    if (out) *out = NULL;
    if (!rq || !rq->subject_type || !rq->subject_id || !rq->fee_table || rq->company_id < 1)
        return lp_err_set(err, LP_EINVAL, "invoice request lacks company, subject or fee table");
    rec = cJSON_CreateObject();
    if (!rec) return lp_err_set(err, LP_ENOMEM, "out of memory");
    rc = price(st, rq->fee_table, &rq->trip, rec, &total, err);
    if (rc) goto done;
    snprintf(number, sizeof number, "%s-%s", rq->subject_type, rq->subject_id);
    for (i = 0; number[i]; i++)
        if (number[i] >= 'a' && number[i] <= 'z') number[i] = (char)(number[i] - 32);
        else if (number[i] == '_') number[i] = '-';
    cJSON_AddNumberToObject(rec, "company_id", (double)rq->company_id);
    cJSON_AddStringToObject(rec, "number", number);
    cJSON_AddStringToObject(rec, "subject_type", rq->subject_type);
    cJSON_AddStringToObject(rec, "subject_id", rq->subject_id);
    if (rq->declaration_id > 0) cJSON_AddNumberToObject(rec, "declaration_id", (double)rq->declaration_id);
    if (rq->plate) cJSON_AddStringToObject(rec, "plate", rq->plate);
    cJSON_AddNumberToObject(rec, "paid", 0);
    cJSON_AddStringToObject(rec, "status", total == 0 ? "paid" : "open");
    now = store_now(st);
    cJSON_AddNumberToObject(rec, "issued_at", (double)now);
    /* Nothing to pay: settled when issued, so the list of unpaid ones stays true. */
    if (total == 0) cJSON_AddNumberToObject(rec, "paid_at", (double)now);
    rc = lp_table_insert(st, &lp_tbl_invoices, who, NULL, rec, out, err);
    if (rc == LP_ECONFLICT && err && err->nfields == 0)
        snprintf(err->msg, sizeof err->msg, "%s %s already has an invoice", rq->subject_type, rq->subject_id);
done:
    cJSON_Delete(rec);
    return rc;
}
