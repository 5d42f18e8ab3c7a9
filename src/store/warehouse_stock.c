/* warehouse_stock.c - check-in, check-out, stock and overstay (see
 * warehouse_stock.h).
 *
 * A kiosk step runs in one transaction: the code is presented (and used),
 * then the lots and their movements are written.  When the step is refused
 * after the code was accepted (customs hold, more than on hand, a lot of
 * another declaration), the transaction is rolled back, so the code stays
 * usable, and the refusal is recorded in a transaction of its own. */
#include "warehouse_stock.h"
#include "invoices.h"
#include "resources.h"
#include "table.h"
#include "warehouse.h"
#include "warehouse_codes.h"
#include "../core/mem.h"
#include "../os/vclock.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int64_t now_of(lp_store *st)
{
    const lp_clock *ck = lp_store_clock(st);
    return ck->now_ms(ck->ud);
}

/* Problem for a refused code: LP_EFORBIDDEN with the outcome in the message. */
static int refused(lp_err *err, lp_wh_outcome o)
{
    static const char *const why[LP_WH_OUTCOME__COUNT] = {
        "",
        "no such access code",
        "the access code is wrong",
        "the access code is locked after too many wrong attempts",
        "the access code was already used (codes are single use)",
        "the access code has expired",
        "the access code's reservation was cancelled",
        "the access code is bound to another vehicle",
        "the access code is for the other direction (drop-off vs pick-up)",
        [LP_WH_NOT_YET] = "the access code is not valid yet (its reservation starts later)",
    };
    const char *text = o >= 0 && o < LP_WH_OUTCOME__COUNT && why[o] ? why[o] : "the access code is refused";
    int rc = lp_err_set(err, LP_EFORBIDDEN, "%s (%s)", text, lp_wh_outcome_name(o));
    lp_err_field_add(err, "/code", "%s", lp_wh_outcome_name(o));
    if (err) err->code = LP_EFORBIDDEN;
    return rc;
}

static int ins(lp_store *st, const lp_actor *who, const lp_table *t, cJSON *rec, cJSON **out, lp_err *err)
{
    int rc = lp_table_insert(st, t, who, NULL, rec, out, err);
    cJSON_Delete(rec);
    return rc;
}

static int add_move(lp_store *st, const lp_actor *who, const lp_wh_code_info *ci, int64_t lot, const char *dir,
                    int64_t pk, int64_t g, lp_err *err)
{
    cJSON *m = cJSON_CreateObject();
    cJSON_AddNumberToObject(m, "lot_id", (double)lot);
    cJSON_AddNumberToObject(m, "company_id", (double)ci->company_id);
    cJSON_AddNumberToObject(m, "declaration_id", (double)ci->declaration_id);
    cJSON_AddNumberToObject(m, "unit_id", (double)ci->unit_id);
    cJSON_AddStringToObject(m, "direction", dir);
    cJSON_AddNumberToObject(m, "packages", (double)pk);
    cJSON_AddNumberToObject(m, "grams", (double)g);
    cJSON_AddNumberToObject(m, "code_id", (double)ci->id);
    return ins(st, who, &lp_tbl_wh_moves, m, NULL, err);
}

static int decl_status(lp_store *st, int64_t decl, char *status, size_t n, char *direction, size_t dn, lp_err *err)
{
    lp_db_res *r = NULL;
    lp_db_val p[] = {LP_DB_I(decl)};
    int rc = lp_db_query(lp_store_db(st), "SELECT status, direction FROM declarations WHERE id = ?", p, 1, &r, err);
    if (rc) return rc;
    snprintf(status, n, "%s", lp_db_res_nrows(r) ? lp_db_res_text(r, 0, 0) : "");
    snprintf(direction, dn, "%s", lp_db_res_nrows(r) ? lp_db_res_text(r, 0, 1) : "");
    lp_db_res_free(r);
    return LP_OK;
}

/* Presents the code; on a refusal commits the record of it and returns
 * LP_EFORBIDDEN.  On acceptance the transaction stays open (*in_tx). */
static int present(lp_store *st, const lp_actor *who, const char *code, const char *plate, const char *purpose,
                   lp_wh_outcome *outcome, lp_wh_code_info *ci, int *in_tx, lp_err *err)
{
    int rc = lp_store_begin(st, err);
    if (rc) return rc;
    *in_tx = 1;
    rc = lp_wh_code_present(st, who, code, plate, purpose, outcome, ci, err);
    if (rc) return rc;
    if (*outcome == LP_WH_ACCEPTED) return LP_OK;
    *in_tx = 0;
    rc = lp_store_commit(st, err);
    return rc ? rc : refused(err, *outcome);
}

/* Check-in ------------------------------------------------------------------------ */

int lp_wh_checkin(lp_store *st, const lp_actor *who, const char *code, const char *plate, const lp_wh_item *items,
                  int n, cJSON **out, lp_wh_outcome *outcome, lp_err *err)
{
    lp_wh_code_info ci;
    cJSON *res = NULL, *lots, *lot = NULL;
    char status[32], dir[16];
    int64_t now = now_of(st);
    int rc, in_tx = 0, i;

    *out = NULL;
    *outcome = LP_WH_UNKNOWN_CODE;
    if (n < 1) return lp_err_field_add(err, "/items", "at least one container or package");
    for (i = 0; i < n; i++)
        if (items[i].packages < 1 || items[i].packages > LP_WH_PACKAGES_MAX || items[i].grams < 0 ||
            items[i].grams > LP_WH_GRAMS_MAX || !items[i].ref || !items[i].kind) {
            char ptr[48];
            snprintf(ptr, sizeof ptr, "/items/%d", i);
            return lp_err_field_add(err, ptr, "needs a reference, 1 to %" PRId64 " packages and a gross weight",
                                    LP_WH_PACKAGES_MAX);
        }
    rc = present(st, who, code, plate, "drop_off", outcome, &ci, &in_tx, err);
    if (rc) goto done;
    rc = decl_status(st, ci.declaration_id, status, sizeof status, dir, sizeof dir, err);
    if (rc) goto done;
    if (!lp_wh_dropoff_allowed(status)) {
        lp_store_rollback(st);
        in_tx = 0;
        *outcome = LP_WH_CUSTOMS_HOLD;
        rc = lp_wh_code_refusal(st, who, ci.id, *outcome, status, err);
        if (!rc) rc = lp_err_set(err, LP_ECONFLICT, "declaration %" PRId64 " is %s: no goods are taken in under it (customs_hold)",
                                 ci.declaration_id, status);
        goto done;
    }
    res = cJSON_CreateObject();
    cJSON_AddNumberToObject(res, "code_id", (double)ci.id);
    cJSON_AddNumberToObject(res, "declaration_id", (double)ci.declaration_id);
    lots = cJSON_AddArrayToObject(res, "lots");
    for (i = 0; i < n; i++) {
        cJSON *l = cJSON_CreateObject();
        int64_t id;
        cJSON_AddNumberToObject(l, "company_id", (double)ci.company_id);
        cJSON_AddNumberToObject(l, "declaration_id", (double)ci.declaration_id);
        cJSON_AddNumberToObject(l, "reservation_id", (double)ci.reservation_id);
        cJSON_AddNumberToObject(l, "unit_id", (double)ci.unit_id);
        cJSON_AddStringToObject(l, "warehouse_id", ci.warehouse_id);
        cJSON_AddStringToObject(l, "unit_kind", ci.unit_kind);
        cJSON_AddNumberToObject(l, "checkin_code_id", (double)ci.id);
        cJSON_AddStringToObject(l, "kind", items[i].kind);
        cJSON_AddStringToObject(l, "ref", items[i].ref);
        cJSON_AddNumberToObject(l, "packages_in", (double)items[i].packages);
        cJSON_AddNumberToObject(l, "grams_in", (double)items[i].grams);
        cJSON_AddNumberToObject(l, "packages_on_hand", (double)items[i].packages);
        cJSON_AddNumberToObject(l, "grams_on_hand", (double)items[i].grams);
        cJSON_AddNumberToObject(l, "checked_in_at", (double)now);
        cJSON_AddStringToObject(l, "status", "in_stock");
        rc = ins(st, who, &lp_tbl_wh_lots, l, &lot, err);
        if (rc) goto done;
        id = lp_json_int(lot, "id", 0);
        rc = add_move(st, who, &ci, id, "in", items[i].packages, items[i].grams, err);
        if (rc) goto done;
        lp_wh_lot_decorate(st, lot);
        cJSON_AddItemToArray(lots, lot);
        lot = NULL;
    }
done:
    *out = res;
    rc = warehouse__finish(st, rc, in_tx, out, err);
    cJSON_Delete(lot);
    return rc;
}

/* Check-out ---------------------------------------------------------------------- */

typedef struct lot_row {
    int found;
    int64_t company_id, declaration_id, pk_on, g_on, pk_in, g_in, pk_out, g_out, checked_in_at;
    char unit_kind[16], status[16];
} lot_row;

static int load_lot(lp_store *st, int64_t id, lot_row *l, lp_err *err)
{
    lp_db_res *r = NULL;
    lp_db_val p[] = {LP_DB_I(id)};
    int rc;
    memset(l, 0, sizeof *l);
    /* Lock the lot's row (PostgreSQL) before reading what is on hand. */
    rc = lp_db_query(lp_store_db(st), "UPDATE wh_lots SET version = version WHERE id = ?", p, 1, NULL, err);
    if (!rc)
        rc = lp_db_query(lp_store_db(st),
                         "SELECT company_id, declaration_id, packages_on_hand, grams_on_hand, packages_in, grams_in,"
                         " packages_out, grams_out, checked_in_at, unit_kind, status FROM wh_lots WHERE id = ?",
                         p, 1, &r, err);
    if (rc) return rc;
    if (lp_db_res_nrows(r)) {
        l->found = 1;
        l->company_id = lp_db_res_int(r, 0, 0);
        l->declaration_id = lp_db_res_int(r, 0, 1);
        l->pk_on = lp_db_res_int(r, 0, 2);
        l->g_on = lp_db_res_int(r, 0, 3);
        l->pk_in = lp_db_res_int(r, 0, 4);
        l->g_in = lp_db_res_int(r, 0, 5);
        l->pk_out = lp_db_res_int(r, 0, 6);
        l->g_out = lp_db_res_int(r, 0, 7);
        l->checked_in_at = lp_db_res_int(r, 0, 8);
        snprintf(l->unit_kind, sizeof l->unit_kind, "%s", lp_db_res_text(r, 0, 9));
        snprintf(l->status, sizeof l->status, "%s", lp_db_res_text(r, 0, 10));
    }
    lp_db_res_free(r);
    return LP_OK;
}

static int invoice_lot(lp_store *st, const lp_actor *who, const lp_wh_code_info *ci, int64_t lot, const lot_row *l,
                       const char *direction, int64_t now, cJSON **inv, lp_err *err)
{
    lp_invoice_req rq;
    char ids[32];
    int64_t kg = (l->g_in + 999) / 1000, dwell = now - l->checked_in_at;
    memset(&rq, 0, sizeof rq);
    snprintf(ids, sizeof ids, "%" PRId64, lot);
    rq.company_id = ci->company_id;
    rq.subject_type = "warehouse_lot";
    rq.subject_id = ids;
    rq.declaration_id = ci->declaration_id;
    rq.plate = ci->plate;
    rq.fee_table = LP_FEES_WAREHOUSE;
    rq.trip.gross_kg = kg > LP_FEE_KG_MAX ? LP_FEE_KG_MAX : kg;
    rq.trip.goods = strcmp(l->unit_kind, "cold") == 0 ? LP_FEE_GOODS_REFRIGERATED : LP_FEE_GOODS_NORMAL;
    rq.trip.journey = strcmp(direction, "import") == 0 ? LP_FEE_JOURNEY_IMPORT : LP_FEE_JOURNEY_EXPORT;
    rq.trip.yard_ms = dwell < 0 ? 0 : dwell > LP_FEE_YARD_MS_MAX ? LP_FEE_YARD_MS_MAX : dwell;
    return lp_invoices_issue(st, who, &rq, inv, err);
}

/* Takes item it (index i) out; fills *o with a refusal outcome, or the
 * closed lot's invoice into invoices. */
static int take_one(lp_store *st, const lp_actor *who, const lp_wh_code_info *ci, const lp_wh_item *it, int i,
                    const char *status, const char *direction, int64_t now, cJSON *lots, cJSON *invoices,
                    lp_wh_outcome *o, lp_err *err)
{
    lot_row l;
    int64_t take, g = 0;
    cJSON *patch = NULL, *rec = NULL, *inv = NULL;
    char ptr[48], ids[32];
    int rc = load_lot(st, it->lot_id, &l, err);
    if (rc) return rc;
    snprintf(ptr, sizeof ptr, "/items/%d/lot_id", i);
    if (!l.found || l.company_id != ci->company_id || l.declaration_id != ci->declaration_id) {
        *o = LP_WH_UNKNOWN_LOT;
        rc = lp_err_set(err, LP_ENOTFOUND, "lot %" PRId64 " is not stock of declaration %" PRId64 " (unknown_lot)",
                        it->lot_id, ci->declaration_id);
        lp_err_field_add(err, ptr, "no lot %" PRId64 " of this declaration", it->lot_id);
        return rc;
    }
    if (!lp_wh_release_allowed((lp_wh_kind)lp_wh_kind_parse(l.unit_kind), status)) {
        *o = LP_WH_CUSTOMS_HOLD;
        rc = lp_err_set(err, LP_ECONFLICT,
                        "goods of declaration %" PRId64 " in a %s unit stay until customs clears them; it is %s"
                        " (customs_hold)", ci->declaration_id, l.unit_kind, status);
        lp_err_field_add(err, ptr, "held: declaration status %s", status);
        return rc;
    }
    take = it->packages ? it->packages : l.pk_on;
    if (l.pk_on < 1 || lp_wh_take(l.pk_on, l.g_on, take, &g) != LP_OK) {
        *o = LP_WH_OVER_STOCK;
        snprintf(ptr, sizeof ptr, "/items/%d/packages", i);
        rc = lp_err_set(err, LP_ECONFLICT, "lot %" PRId64 " has %" PRId64 " package(s) on hand, not %" PRId64
                        " (over_stock)", it->lot_id, l.pk_on, take);
        lp_err_field_add(err, ptr, "at most %" PRId64 " on hand", l.pk_on);
        return rc;
    }
    snprintf(ids, sizeof ids, "%" PRId64, it->lot_id);
    patch = cJSON_CreateObject();
    cJSON_AddNumberToObject(patch, "packages_out", (double)(l.pk_out + take));
    cJSON_AddNumberToObject(patch, "grams_out", (double)(l.g_out + g));
    cJSON_AddNumberToObject(patch, "packages_on_hand", (double)(l.pk_on - take));
    cJSON_AddNumberToObject(patch, "grams_on_hand", (double)(l.g_on - g));
    if (take == l.pk_on) {
        rc = invoice_lot(st, who, ci, it->lot_id, &l, direction, now, &inv, err);
        if (rc) goto done;
        cJSON_AddStringToObject(patch, "status", "closed");
        cJSON_AddNumberToObject(patch, "closed_at", (double)now);
        cJSON_AddNumberToObject(patch, "invoice_id", (double)lp_json_int(inv, "id", 0));
    }
    rc = lp_table_update(st, &lp_tbl_wh_lots, who, ids, 0, -1, "checkout", patch, &rec, err);
    if (rc) goto done;
    rc = add_move(st, who, ci, it->lot_id, "out", take, g, err);
    if (rc) goto done;
    lp_wh_lot_decorate(st, rec);
    cJSON_AddItemToArray(lots, rec);
    rec = NULL;
    if (inv) {
        cJSON_AddItemToArray(invoices, inv);
        inv = NULL;
    }
done:
    cJSON_Delete(patch);
    cJSON_Delete(rec);
    cJSON_Delete(inv);
    return rc;
}

int lp_wh_checkout(lp_store *st, const lp_actor *who, const char *code, const char *plate, const lp_wh_item *items,
                   int n, cJSON **out, lp_wh_outcome *outcome, lp_err *err)
{
    lp_wh_code_info ci;
    cJSON *res = NULL, *lots, *invoices;
    char status[32], dir[16];
    int64_t now = now_of(st);
    int rc, in_tx = 0, i;

    *out = NULL;
    *outcome = LP_WH_UNKNOWN_CODE;
    if (n < 1) return lp_err_field_add(err, "/items", "at least one lot");
    rc = present(st, who, code, plate, "pick_up", outcome, &ci, &in_tx, err);
    if (rc) goto done;
    rc = decl_status(st, ci.declaration_id, status, sizeof status, dir, sizeof dir, err);
    if (rc) goto done;
    res = cJSON_CreateObject();
    cJSON_AddNumberToObject(res, "code_id", (double)ci.id);
    cJSON_AddNumberToObject(res, "declaration_id", (double)ci.declaration_id);
    cJSON_AddStringToObject(res, "declaration_status", status);
    lots = cJSON_AddArrayToObject(res, "lots");
    invoices = cJSON_AddArrayToObject(res, "invoices");
    for (i = 0; i < n; i++) {
        lp_wh_outcome o = LP_WH_ACCEPTED;
        rc = take_one(st, who, &ci, &items[i], i, status, dir, now, lots, invoices, &o, err);
        if (rc && o != LP_WH_ACCEPTED) {
            /* Nothing moves; the code stays usable; the refusal is recorded. */
            lp_err rec;
            lp_store_rollback(st);
            in_tx = 0;
            *outcome = o;
            lp_err_init(&rec);
            if (lp_wh_code_refusal(st, who, ci.id, o, err ? err->msg : NULL, &rec)) {
                if (err) *err = rec;
                rc = rec.code;
            }
            goto done;
        }
        if (rc) goto done;
    }
done:
    *out = res;
    return warehouse__finish(st, rc, in_tx, out, err);
}

/* Stock ------------------------------------------------------------------------------ */

static cJSON *qty(cJSON *o, const char *name, int64_t pk, int64_t g)
{
    cJSON *q = cJSON_AddObjectToObject(o, name);
    cJSON_AddNumberToObject(q, "packages", (double)pk);
    cJSON_AddNumberToObject(q, "gross_kg", (double)g / 1000.0);
    cJSON_AddNumberToObject(q, "grams", (double)g);
    return q;
}

static int stock_rows(lp_store *st, const char *group, int64_t company, int64_t declaration, cJSON *arr, lp_err *err)
{
    char sql[640];
    lp_db_val p[2];
    lp_db_res *r = NULL;
    int np = 0, rc, i;
    snprintf(sql, sizeof sql,
             "SELECT %s, COUNT(*), CAST(SUM(packages_in) AS BIGINT), CAST(SUM(grams_in) AS BIGINT),"
             " CAST(SUM(packages_out) AS BIGINT), CAST(SUM(grams_out) AS BIGINT),"
             " CAST(SUM(packages_on_hand) AS BIGINT), CAST(SUM(grams_on_hand) AS BIGINT)"
             " FROM wh_lots WHERE 1 = 1%s%s GROUP BY %s ORDER BY %s",
             group, company ? " AND company_id = ?" : "", declaration ? " AND declaration_id = ?" : "", group, group);
    if (company) p[np++] = LP_DB_I(company);
    if (declaration) p[np++] = LP_DB_I(declaration);
    rc = lp_db_query(lp_store_db(st), sql, p, np, &r, err);
    if (rc) return rc;
    for (i = 0; i < lp_db_res_nrows(r); i++) {
        cJSON *o = cJSON_CreateObject();
        int c = 0;
        cJSON_AddNumberToObject(o, "company_id", (double)lp_db_res_int(r, i, c++));
        if (strchr(group, ',')) cJSON_AddNumberToObject(o, "declaration_id", (double)lp_db_res_int(r, i, c++));
        cJSON_AddNumberToObject(o, "lots", (double)lp_db_res_int(r, i, c++));
        qty(o, "in", lp_db_res_int(r, i, c), lp_db_res_int(r, i, c + 1));
        qty(o, "out", lp_db_res_int(r, i, c + 2), lp_db_res_int(r, i, c + 3));
        qty(o, "on_hand", lp_db_res_int(r, i, c + 4), lp_db_res_int(r, i, c + 5));
        cJSON_AddItemToArray(arr, o);
    }
    lp_db_res_free(r);
    return LP_OK;
}

int lp_wh_stock(lp_store *st, int64_t company, int64_t declaration, cJSON **out, lp_err *err)
{
    cJSON *o = cJSON_CreateObject();
    int rc = stock_rows(st, "company_id", company, declaration, cJSON_AddArrayToObject(o, "companies"), err);
    if (!rc)
        rc = stock_rows(st, "company_id, declaration_id", company, declaration,
                        cJSON_AddArrayToObject(o, "declarations"), err);
    if (rc) {
        cJSON_Delete(o);
        o = NULL;
    }
    *out = o;
    return rc;
}

/* Dwell and overstay ------------------------------------------------------------------ */

#define LOT_SELECT                                                                                                 \
    "SELECT l.id, l.company_id, l.declaration_id, l.reservation_id, l.unit_id, l.warehouse_id, l.unit_kind,"     \
    " l.checkin_code_id, l.kind, l.ref, l.packages_in, l.grams_in, l.packages_out, l.grams_out,"                 \
    " l.packages_on_hand, l.grams_on_hand, l.checked_in_at, l.closed_at, l.overstay_at, l.invoice_id, l.status," \
    " l.version, l.created_at, l.updated_at FROM wh_lots l JOIN warehouses w ON w.id = l.warehouse_id"

#define OVERSTAY_DUE                                                                 \
    "SELECT l.id FROM wh_lots l JOIN warehouses w ON w.id = l.warehouse_id"          \
    " WHERE l.status = 'in_stock' AND l.overstay_at IS NULL"                         \
    " AND l.checked_in_at + w.overstay_days * ? <= ? ORDER BY l.id"

int lp_wh_overstay_sweep(lp_store *st, const lp_actor *who, int *marked, lp_err *err)
{
    lp_db_res *r = NULL;
    int64_t now = now_of(st);
    lp_db_val p[] = {LP_DB_I(LP_WH_DAY_MS), LP_DB_I(now)};
    int rc, i, in_tx = 0;

    if (marked) *marked = 0;
    /* Reads find nothing to mark almost always: look before taking the
     * write lock, then look again under it so that each lot is marked once. */
    rc = lp_db_query(lp_store_db(st), OVERSTAY_DUE, p, 2, &r, err);
    if (rc || lp_db_res_nrows(r) == 0) goto done;
    lp_db_res_free(r);
    r = NULL;
    rc = lp_store_begin(st, err);
    if (rc) goto done;
    in_tx = 1;
    rc = lp_db_query(lp_store_db(st), OVERSTAY_DUE, p, 2, &r, err);
    if (rc) goto done;
    for (i = 0; i < lp_db_res_nrows(r); i++) {
        cJSON *patch = cJSON_CreateObject();
        cJSON_AddNumberToObject(patch, "overstay_at", (double)now);
        rc = lp_table_update(st, &lp_tbl_wh_lots, who, lp_db_res_text(r, i, 0), 0, -1, "overstay", patch, NULL, err);
        cJSON_Delete(patch);
        if (rc) goto done;
        if (marked) (*marked)++;
    }
done:
    rc = warehouse__finish(st, rc, in_tx, NULL, err);
    lp_db_res_free(r);
    return rc;
}

int lp_wh_overstay_list(lp_store *st, const lp_actor *who, int64_t company, cJSON **items, lp_err *err)
{
    lp_db_res *r = NULL;
    lp_db_val p[] = {LP_DB_I(company)};
    cJSON *arr;
    int rc, i;

    *items = NULL;
    rc = lp_wh_overstay_sweep(st, who, NULL, err);
    if (rc) return rc;
    rc = lp_db_query(lp_store_db(st),
                     company ? LOT_SELECT " WHERE l.status = 'in_stock' AND l.overstay_at IS NOT NULL"
                                          " AND l.company_id = ? ORDER BY l.id"
                             : LOT_SELECT " WHERE l.status = 'in_stock' AND l.overstay_at IS NOT NULL ORDER BY l.id",
                     p, company ? 1 : 0, &r, err);
    if (rc) return rc;
    arr = cJSON_CreateArray();
    for (i = 0; i < lp_db_res_nrows(r); i++) {
        cJSON *lot = lp_table_row_json(&lp_tbl_wh_lots, r, i);
        lp_wh_lot_decorate(st, lot);
        cJSON_AddItemToArray(arr, lot);
    }
    lp_db_res_free(r);
    *items = arr;
    return LP_OK;
}

static int64_t time_of(const cJSON *lot, const char *name)
{
    int64_t ms = 0;
    const char *s = lp_json_str(lot, name);
    return s && lp_vclock_parse_time(s, &ms) == LP_OK ? ms : 0;
}

void lp_wh_lot_decorate(lp_store *st, cJSON *lot)
{
    int64_t in = time_of(lot, "checked_in_at"), closed = time_of(lot, "closed_at");
    if (!lot) return;
    cJSON_AddNumberToObject(lot, "dwell_minutes", (double)lp_wh_dwell_minutes(in, closed ? closed : now_of(st)));
    cJSON_AddNumberToObject(lot, "gross_kg_in", (double)lp_json_int(lot, "grams_in", 0) / 1000.0);
    cJSON_AddNumberToObject(lot, "gross_kg_out", (double)lp_json_int(lot, "grams_out", 0) / 1000.0);
    cJSON_AddNumberToObject(lot, "gross_kg_on_hand", (double)lp_json_int(lot, "grams_on_hand", 0) / 1000.0);
    cJSON_AddBoolToObject(lot, "overstaying", !cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(lot, "overstay_at")) &&
                                                  cJSON_GetObjectItemCaseSensitive(lot, "overstay_at") != NULL);
}
