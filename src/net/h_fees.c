/* h_fees.c - fee tables over HTTP: read by staff and companies (the rates
 * are public to those who pay them), replaced whole by operators and
 * admins, and priced for a trip that has not happened yet (quote).  The
 * rates are checked as a whole with every problem named at once; the
 * store keeps the canonical form and the version invoices record. */
#include "h_fees.h"
#include "../core/mem.h"
#include "../store/invoices.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Declarations --------------------------------------------------------------- */

static const char *const kinds[] = {"per_trip", "yard", NULL};
static const char *const goods_any[] = {"normal", "perishable", "dangerous", "refrigerated", "any", NULL};
static const char *const journeys_any[] = {"export", "import", "transit", "empty_return", "any", NULL};
static const char *const goods[] = {"normal", "perishable", "dangerous", "refrigerated", NULL};
static const char *const journeys[] = {"export", "import", "transit", "empty_return", NULL};
static const char *const currencies[] = {"VND", NULL};

static const lp_jfield rate_fields[] = {
    {"code", LP_J_STRING, LP_JF_REQUIRED, 1, LP_FEE_CODE_MAX - 1, NULL, NULL,
     "Invoice line code, A-Z 0-9 _; rates of one code make one line and may not overlap", "\"INFRA\""},
    {"description", LP_J_STRING, LP_JF_REQUIRED, 1, LP_FEE_DESC_MAX - 1, NULL, NULL, "Printed on the invoice line",
     "\"Infrastructure fee, 10-20 t\""},
    {"kind", LP_J_ENUM, LP_JF_REQUIRED, 0, 0, kinds, NULL,
     "per_trip: amount once; yard: free_minutes free, then amount per started hour (daily_cap per 24 billable hours)",
     NULL},
    {"optional", LP_J_BOOL, 0, 0, 0, NULL, NULL,
     "true: a surcharge applied only where it matches; false (default): every trip must match a rate of the code",
     NULL},
    {"min_kg", LP_J_INT, 0, 0, LP_FEE_KG_MAX, NULL, NULL, "Lowest gross weight, kg, inclusive (default 0)", "10001"},
    {"max_kg", LP_J_INT, 0, 0, LP_FEE_KG_MAX, NULL, NULL, "Highest gross weight, kg, inclusive (default 1000000)",
     "20000"},
    {"goods", LP_J_ENUM, LP_JF_NULLABLE, 0, 0, goods_any, NULL, "Goods kind the rate applies to (default any)", NULL},
    {"journey", LP_J_ENUM, LP_JF_NULLABLE, 0, 0, journeys_any, NULL, "Journey the rate applies to (default any)", NULL},
    {"amount", LP_J_INT, LP_JF_REQUIRED, 0, LP_FEE_AMOUNT_MAX, NULL, NULL,
     "VND (integer đồng) per trip, or per started hour for yard", "400000"},
    {"free_minutes", LP_J_INT, 0, 0, LP_FEE_FREE_MIN_MAX, NULL, NULL, "yard: minutes free of charge", "240"},
    {"daily_cap", LP_J_INT, 0, 0, LP_FEE_AMOUNT_MAX, NULL, NULL, "yard: most VND per 24 billable hours, 0 = none",
     "300000"},
};
static const lp_jspec rate_spec = {rate_fields, N(rate_fields)};

static const lp_jfield put_fields[] = {
    {"description", LP_J_STRING, LP_JF_REQUIRED, 1, 200, NULL, NULL, "What the table is for", NULL},
    {"currency", LP_J_ENUM, 0, 0, 0, currencies, NULL, "Always VND (integer đồng)", "\"VND\""},
    {"rates", LP_J_OBJECT_ARRAY, LP_JF_REQUIRED, 0, LP_FEE_RATES_MAX, NULL, &rate_spec,
     "The whole rate table, replacing the stored one", NULL},
};
const lp_jspec lp_spec_fee_table_put = {put_fields, N(put_fields)};

static const lp_jfield quote_fields[] = {
    {"gross_kg", LP_J_INT, LP_JF_REQUIRED, 0, LP_FEE_KG_MAX, NULL, NULL, "Vehicle gross weight, kg", "24500"},
    {"goods", LP_J_ENUM, 0, 0, 0, goods, NULL, "Goods kind (default normal)", NULL},
    {"journey", LP_J_ENUM, LP_JF_REQUIRED, 0, 0, journeys, NULL, "export, import, transit or empty_return", NULL},
    {"yard_minutes", LP_J_INT, 0, 0, LP_FEE_YARD_MS_MAX / 60000, NULL, NULL, "Time in the parking yard (default 0)",
     "300"},
};
const lp_jspec lp_spec_fee_quote = {quote_fields, N(quote_fields)};

/* Handlers ------------------------------------------------------------------- */

void lp_h_fee_tables_list(lp_req *r) { net__list(r, &lp_tbl_fee_tables, NULL, NULL); }
void lp_h_fee_tables_get(lp_req *r) { net__get(r, &lp_tbl_fee_tables, NULL); }

void lp_h_fee_tables_version(lp_req *r)
{
    cJSON *out = NULL;
    char *end;
    long long v = strtoll(r->params[1], &end, 10);
    lp_err err;
    lp_err_init(&err);
    if (!r->params[1][0] || *end || v < 1) {
        lp_err_set(&err, LP_ENOTFOUND, "a version is a whole number from 1");
        net__fail(r, &err, NULL);
        return;
    }
    if (lp_fees_table_version(r->store, r->params[0], v, &out, &err)) {
        net__fail(r, &err, NULL);
        return;
    }
    lp_reply_json(r, 200, out);
}

/* The rates as a table: what jsonspec cannot see (bands, overlaps between
 * rates, members that must agree).  Problems jsonspec already named for a
 * member are not repeated. */
void lp_check_fee_table_put(lp_req *r, lp_err *err)
{
    lp_fee_rate *rates = lp_calloc(LP_FEE_RATES_MAX, sizeof *rates);
    lp_err more;
    int n, i, j;
    lp_err_init(&more);
    if (!rates) {
        lp_err_set(err, LP_ENOMEM, "out of memory");
        return;
    }
    lp_fees_rates_parse(cJSON_GetObjectItemCaseSensitive(r->body, "rates"), "/rates", rates, LP_FEE_RATES_MAX, &n,
                        &more);
    for (i = 0; i < more.nfields; i++) {
        int known = 0;
        for (j = 0; j < err->nfields && !known; j++)
            known = strcmp(err->fields[j].pointer, more.fields[i].pointer) == 0;
        if (!known) lp_err_field_add(err, more.fields[i].pointer, "%s", more.fields[i].msg);
    }
    lp_free(rates);
}

void lp_h_fee_tables_put(lp_req *r)
{
    cJSON *rec = NULL;
    int64_t ver;
    lp_err err;
    lp_err_init(&err);
    if (lp_req_if_match(r, &ver)) return;
    if (lp_fees_table_put(r->store, &r->actor, r->params[0], ver, lp_json_str(r->body, "description"),
                          cJSON_GetObjectItemCaseSensitive(r->body, "rates"), &rec, &err)) {
        net__fail(r, &err, NULL);
        return;
    }
    net__etag(r, rec);
    lp_reply_json(r, 200, rec);
}

static int name_index(const char *s, const char *const *names, int fallback)
{
    int i;
    for (i = 0; s && names[i]; i++)
        if (strcmp(names[i], s) == 0) return i;
    return fallback;
}

void lp_h_fee_tables_quote(lp_req *r)
{
    lp_fee_trip trip;
    cJSON *out = NULL;
    lp_err err;
    int i;

    lp_err_init(&err);
    trip.gross_kg = lp_json_int(r->body, "gross_kg", 0);
    /* enum positions are lp_fee_goods / lp_fee_journey values */
    trip.goods = (lp_fee_goods)name_index(lp_json_str(r->body, "goods"), goods, LP_FEE_GOODS_NORMAL);
    trip.journey = (lp_fee_journey)name_index(lp_json_str(r->body, "journey"), journeys, LP_FEE_JOURNEY_EXPORT);
    trip.yard_ms = lp_json_int(r->body, "yard_minutes", 0) * 60000;
    if (lp_fees_quote(r->store, r->params[0], &trip, &out, &err)) {
        for (i = 0; i < err.nfields; i++) /* the store speaks of ms, the body of minutes */
            if (strcmp(err.fields[i].pointer, "/yard_ms") == 0)
                snprintf(err.fields[i].pointer, sizeof err.fields[i].pointer, "/yard_minutes");
        net__fail(r, &err, NULL);
        return;
    }
    lp_reply_json(r, 200, out);
}
