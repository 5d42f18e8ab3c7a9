/* warehouse_stock.h - goods in the bonded warehouse: check-in at the kiosk
 * (a drop-off code, the plate read and the containers or packages brought),
 * check-out (a pick-up code, only what customs releases, partial pick-ups),
 * stock per company and declaration, dwell time and overstay alerts.
 *
 * Invariant: for every lot packages_in - packages_out = packages_on_hand >= 0
 * and the same in grams, and the lot's wh_moves (direction in / out) sum to
 * those figures; a lot whose on-hand reaches 0 is closed and invoiced from
 * the "warehouse" fee table in the same transaction.  Every movement,
 * refusal and overstay is an audit event.  Used by src/net/h_warehouse_*.c. */
#ifndef LP_WAREHOUSE_STOCK_H
#define LP_WAREHOUSE_STOCK_H

#include <cjson/cJSON.h>

#include "../core/wh.h"
#include "store.h"

/* One line of a check-in (kind, ref, packages, grams) or a check-out
 * (lot_id, packages: 0 = everything on hand). */
typedef struct lp_wh_item {
    const char *kind;  /* "container" or "package" */
    const char *ref;   /* canonical container number or the package id */
    int64_t packages;  /* 1..LP_WH_PACKAGES_MAX; check-out: 0 = all */
    int64_t grams;     /* 0..LP_WH_GRAMS_MAX */
    int64_t lot_id;    /* check-out */
} lp_wh_item;

/* Checks in items[0..n) with drop-off code text and the vehicle's canonical
 * plate.  On LP_OK *out (caller owns) is {"code_id", "declaration_id",
 * "lots": [...]}.  When the code is refused, returns LP_EFORBIDDEN with
 * *outcome saying why (recorded and committed); LP_ECONFLICT with outcome
 * customs_hold when the declaration was voided since the code was issued. */
int lp_wh_checkin(lp_store *st, const lp_actor *who, const char *code, const char *plate, const lp_wh_item *items,
                  int n, cJSON **out, lp_wh_outcome *outcome, lp_err *err);

/* Checks out items[0..n) with pick-up code text and the canonical plate.  On
 * LP_OK *out (caller owns) is {"code_id", "declaration_id", "lots": [...],
 * "invoices": [...]} (an invoice per lot closed).  Refusals: LP_EFORBIDDEN
 * (the code), LP_ECONFLICT with customs_hold (field /items/i/lot_id) or
 * over_stock (field /items/i/packages), LP_ENOTFOUND with unknown_lot; all
 * of them recorded, nothing moved. */
int lp_wh_checkout(lp_store *st, const lp_actor *who, const char *code, const char *plate, const lp_wh_item *items,
                   int n, cJSON **out, lp_wh_outcome *outcome, lp_err *err);

/* Stock of company (0 = every company) and declaration (0 = all): *out
 * (caller owns) is {"companies": [...], "declarations": [...]}, each entry
 * with lots, in, out and on_hand (packages and gross_kg). */
int lp_wh_stock(lp_store *st, int64_t company, int64_t declaration, cJSON **out, lp_err *err);

/* Marks every lot on hand that now overstays its warehouse's overstay_days
 * and was not marked yet (overstay_at), each audited once as
 * wh_lot.overstay; *marked (may be NULL) receives how many. */
int lp_wh_overstay_sweep(lp_store *st, const lp_actor *who, int *marked, lp_err *err);

/* Sweeps, then lists the overstaying lots on hand of company (0 = all) in
 * id order: *items (caller owns) a cJSON array. */
int lp_wh_overstay_list(lp_store *st, const lp_actor *who, int64_t company, cJSON **items, lp_err *err);

/* Adds what a reader wants to a lot record: dwell_minutes (until now, or
 * until closed_at), gross_kg_in / _out / _on_hand, overstaying. */
void lp_wh_lot_decorate(lp_store *st, cJSON *lot);

#endif
