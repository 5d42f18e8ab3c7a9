/* h_warehouse_stock.c - what is in the warehouse (see h_warehouse.h): stock
 * lots with dwell time, stock per company and declaration (in, out, on
 * hand) and the overstaying lots.  A company sees only its own. */
#include "h_warehouse.h"
#include "../store/warehouse.h"
#include "../store/warehouse_stock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const lp_qparam lp_query_wh_lots[] = {
    {"company_id", "integer", "Owner company"}, {"declaration_id", "integer", "Goods of this declaration"},
    {"unit_id", "integer", "In this storage unit"}, {"status", "string", "in_stock or closed"},
    {0}};
static const char *const lot_filters[] = {"company_id", "declaration_id", "unit_id", "status", NULL};

const lp_qparam lp_query_wh_stock[] = {
    {"company_id", "integer", "Only this company (staff); a company token sees only its own"},
    {"declaration_id", "integer", "Only this declaration"},
    {0}};

/* The alert is the warehouse's, found on a read: recorded as such. */
static const lp_actor sweeper = {"system:warehouse", LP_ROLE_OPERATOR, 0, "overstay found on read"};

/* Marks the lots that overstay by now, so that every read shows them
 * (see lp_wh_overstay_sweep); replies 500 and returns non-zero on a store error. */
static int sweep(lp_req *r)
{
    lp_err err;
    lp_err_init(&err);
    if (lp_wh_overstay_sweep(r->store, &sweeper, NULL, &err) == LP_OK) return 0;
    net__fail(r, &err, NULL);
    return 1;
}

static void decorate(lp_req *r, cJSON *lot) { lp_wh_lot_decorate(r->store, lot); }

void lp_h_wh_lots_list(lp_req *r)
{
    if (!sweep(r)) net__list(r, &lp_tbl_wh_lots, lot_filters, decorate);
}

void lp_h_wh_lots_get(lp_req *r)
{
    if (!sweep(r)) net__get(r, &lp_tbl_wh_lots, decorate);
}

/* An optional positive integer query parameter; LP_EINVAL (field added) when malformed. */
static int query_id(lp_req *r, const char *name, int64_t *out, lp_err *err)
{
    const char *v = lp_req_query(r, name);
    char *end, ptr[48];
    long long x;
    *out = 0;
    if (!v) return LP_OK;
    x = strtoll(v, &end, 10);
    if (!*v || *end || x < 1) {
        snprintf(ptr, sizeof ptr, "?%s", name);
        return lp_err_field_add(err, ptr, "must be a positive integer");
    }
    *out = x;
    return LP_OK;
}

void lp_h_wh_stock(lp_req *r)
{
    int64_t company = 0, decl = 0;
    cJSON *out = NULL;
    lp_err err;
    lp_err_init(&err);
    query_id(r, "company_id", &company, &err);
    query_id(r, "declaration_id", &decl, &err);
    if (lp_req_scope(r)) {
        /* Another company's figures are not there for this token. */
        if (company && company != lp_req_scope(r)) company = -1;
        else company = lp_req_scope(r);
    }
    if (err.code || lp_wh_stock(r->store, company, decl, &out, &err)) {
        net__fail(r, &err, NULL);
        return;
    }
    lp_reply_json(r, 200, out);
}

void lp_h_wh_overstays(lp_req *r)
{
    cJSON *items = NULL;
    lp_err err;
    lp_err_init(&err);
    if (lp_wh_overstay_list(r->store, &sweeper, lp_req_scope(r), &items, &err)) {
        net__fail(r, &err, NULL);
        return;
    }
    lp_reply_page(r, items, NULL);
}
