/* fees.h - infrastructure and yard fees of a trip, from a rate table that is
 * data (the store loads it from JSON; the operator edits it, not the code).
 *
 * Invariant: money is integer đồng (VND has no minor unit in use) in int64;
 * every invoice line has amount == quantity * unit_price, and the total is
 * the sum of the lines, all computed with overflow checks.  Pure: no I/O,
 * no clock, no allocation.  Used by the yard exit and the invoice API. */
#ifndef LP_FEES_H
#define LP_FEES_H

#include <stdint.h>

#include "err.h"

/* Limits ---------------------------------------------------------------------- */

#define LP_FEE_RATES_MAX 256
#define LP_FEE_CODE_MAX 16     /* bytes of a code, with the NUL */
#define LP_FEE_DESC_MAX 64     /* bytes of a description, with the NUL */
#define LP_FEE_KG_MAX INT64_C(1000000)            /* 1,000 t: top of the last band */
#define LP_FEE_AMOUNT_MAX INT64_C(1000000000000)  /* 10^12 đồng per rate */
#define LP_FEE_FREE_MIN_MAX (7 * 24 * 60)         /* a week of free yard time */
#define LP_FEE_YARD_MS_MAX (INT64_C(366) * 24 * 3600 * 1000) /* a year in the yard */
#define LP_FEE_ANY (-1) /* goods or journey: the rate applies to all */

/* Keys ------------------------------------------------------------------------ */

typedef enum lp_fee_goods {
    LP_FEE_GOODS_NORMAL = 0,
    LP_FEE_GOODS_PERISHABLE,
    LP_FEE_GOODS_DANGEROUS,
    LP_FEE_GOODS_REFRIGERATED,
    LP_FEE_GOODS__COUNT
} lp_fee_goods;

typedef enum lp_fee_journey {
    LP_FEE_JOURNEY_EXPORT = 0,
    LP_FEE_JOURNEY_IMPORT,
    LP_FEE_JOURNEY_TRANSIT,
    LP_FEE_JOURNEY_EMPTY_RETURN,
    LP_FEE_JOURNEY__COUNT
} lp_fee_journey;

typedef enum lp_fee_kind {
    LP_FEE_PER_TRIP = 0, /* amount once per trip */
    LP_FEE_YARD,         /* free_minutes, then amount per started hour */
    LP_FEE_KIND__COUNT
} lp_fee_kind;

/* Rate table -------------------------------------------------------------------- */

/* One line of the rate table.  A rate applies to a trip when the trip's
 * gross weight is in min_kg..max_kg (both inclusive, whole kg) and its goods
 * and journey equal the rate's (or the rate has LP_FEE_ANY there).
 *
 * Rates with the same code make one invoice line: they must have the same
 * kind and optional flag, and no two of them may apply to the same trip
 * (overlapping bands are refused, a LP_FEE_ANY overlaps every value; there
 * is no "most specific wins", so what a trip pays is never a guess).
 * A code that is not optional must apply to every trip: a trip no rate of
 * it matches gets LP_EINVAL naming the field (journey, goods or gross_kg).
 * An optional code is a surcharge that applies only where a rate matches
 * (e.g. dangerous goods escort).
 *
 * Yard time: the first free_minutes are free; after them each started hour
 * costs amount.  With daily_cap > 0, each block of 24 billable hours (and
 * the last, shorter block) costs at most daily_cap; a "day" is counted in
 * billable hours, not calendar days, so the fee does not depend on the hour
 * of entry. */
typedef struct lp_fee_rate {
    char code[LP_FEE_CODE_MAX];        /* "INFRA", "YARD"; [A-Z0-9_], required */
    char description[LP_FEE_DESC_MAX]; /* printed on the invoice, required */
    lp_fee_kind kind;
    int optional;      /* 0: every trip must match a rate of this code; 1: surcharge */
    int64_t min_kg;    /* 0..LP_FEE_KG_MAX */
    int64_t max_kg;    /* min_kg..LP_FEE_KG_MAX */
    int goods;         /* lp_fee_goods or LP_FEE_ANY */
    int journey;       /* lp_fee_journey or LP_FEE_ANY */
    int64_t amount;    /* đồng per trip, or per started hour (YARD); 0..LP_FEE_AMOUNT_MAX */
    int free_minutes;  /* YARD: 0..LP_FEE_FREE_MIN_MAX; PER_TRIP: 0 */
    int64_t daily_cap; /* YARD: 0 (none) or 1..LP_FEE_AMOUNT_MAX; PER_TRIP: 0 */
} lp_fee_rate;

/* Borrowed by every call; nothing is kept. */
typedef struct lp_fee_table {
    const lp_fee_rate *rates;
    int nrates; /* 0..LP_FEE_RATES_MAX */
} lp_fee_table;

/* Checks every rate and every pair of rates of one code.  Returns LP_OK, or
 * LP_EINVAL with one field entry per problem in e (may be NULL), pointers
 * like "/rates/3/amount" or "/rates/5" (overlap, naming the earlier rate). */
int lp_fees_table_check(const lp_fee_table *t, lp_err *e);

/* Invoice ------------------------------------------------------------------------ */

/* The facts of one trip that fees depend on. */
typedef struct lp_fee_trip {
    int64_t gross_kg;       /* vehicle gross weight, 0..LP_FEE_KG_MAX */
    lp_fee_goods goods;
    lp_fee_journey journey;
    int64_t yard_ms;        /* time in the yard (lp_yard_exit), 0..LP_FEE_YARD_MS_MAX */
} lp_fee_trip;

typedef struct lp_fee_line {
    char code[LP_FEE_CODE_MAX];
    char description[LP_FEE_DESC_MAX];
    int64_t quantity;   /* trips (1), started hours, or capped days */
    int64_t unit_price; /* đồng */
    int64_t amount;     /* quantity * unit_price, đồng */
} lp_fee_line;

/* Writes the invoice lines of trip into lines[0..cap) and their count to
 * *nlines, the sum to *total.  Lines come in the order of each code's first
 * rate in the table; a per-trip rate gives one line (even of 0 đồng: the
 * invoice shows the trip was free); yard time gives up to two lines, whole
 * capped days ("YARD", quantity days, unit price daily_cap, description
 * with ", daily cap") then started hours, and none inside the free time.
 * Returns LP_OK; LP_EINVAL (e says which field) when the table fails
 * lp_fees_table_check, the trip is out of range or no rate of a required
 * code applies; LP_ETOOBIG when cap lines are not enough or a sum overflows
 * int64.  On failure *nlines and *total are 0.  e may be NULL. */
int lp_fees_invoice(const lp_fee_table *t, const lp_fee_trip *trip, lp_fee_line *lines, int cap,
                    int *nlines, int64_t *total, lp_err *e);

/* Names ---------------------------------------------------------------------------- */

/* "normal", "perishable", "dangerous", "refrigerated"; "any" for LP_FEE_ANY; "?" */
const char *lp_fee_goods_name(int g);
/* "export", "import", "transit", "empty_return"; "any" for LP_FEE_ANY; "?" */
const char *lp_fee_journey_name(int j);
/* "per_trip", "yard"; "?" */
const char *lp_fee_kind_name(int k);

#endif
