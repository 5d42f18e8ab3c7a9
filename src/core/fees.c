/* fees.c - infrastructure and yard fees from a rate table (see fees.h).
 *
 * The table is re-checked on every invoice: it is small (at most 256 rates)
 * and invoicing is not a hot path, so a table that skipped validation can
 * never produce a wrong bill.  All arithmetic goes through the checked
 * helpers below; a result that does not fit is an error, never a wrap. */
#include "fees.h"

#include <stdio.h>
#include <string.h>

#define HOUR_MS INT64_C(3600000)

/* Names -------------------------------------------------------------------------- */

const char *lp_fee_goods_name(int g)
{
    switch (g) {
    case LP_FEE_ANY: return "any";
    case LP_FEE_GOODS_NORMAL: return "normal";
    case LP_FEE_GOODS_PERISHABLE: return "perishable";
    case LP_FEE_GOODS_DANGEROUS: return "dangerous";
    case LP_FEE_GOODS_REFRIGERATED: return "refrigerated";
    default: return "?";
    }
}

const char *lp_fee_journey_name(int j)
{
    switch (j) {
    case LP_FEE_ANY: return "any";
    case LP_FEE_JOURNEY_EXPORT: return "export";
    case LP_FEE_JOURNEY_IMPORT: return "import";
    case LP_FEE_JOURNEY_TRANSIT: return "transit";
    case LP_FEE_JOURNEY_EMPTY_RETURN: return "empty_return";
    default: return "?";
    }
}

const char *lp_fee_kind_name(int k)
{
    switch (k) {
    case LP_FEE_PER_TRIP: return "per_trip";
    case LP_FEE_YARD: return "yard";
    default: return "?";
    }
}

/* Table check ----------------------------------------------------------------------- */

static int str_ok(const char *s, size_t max, int code_chars)
{
    size_t n = strnlen(s, max);
    size_t i;
    if (n == 0 || n == max) return 0;
    for (i = 0; code_chars && i < n; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_')) return 0;
    return 1;
}

static int key_overlaps(int a, int b) { return a == LP_FEE_ANY || b == LP_FEE_ANY || a == b; }

static int same_code(const lp_fee_rate *a, const lp_fee_rate *b)
{
    return strncmp(a->code, b->code, LP_FEE_CODE_MAX) == 0;
}

static void check_rate(const lp_fee_rate *r, int i, lp_err *e)
{
    char p[96];
#define FIELD(name, ...)                                              \
    do {                                                              \
        snprintf(p, sizeof p, "/rates/%d/" name, i);                  \
        lp_err_field_add(e, p, __VA_ARGS__);                          \
    } while (0)
    if (!str_ok(r->code, sizeof r->code, 1))
        FIELD("code", "must be 1 to %d characters A-Z, 0-9 or _", LP_FEE_CODE_MAX - 1);
    if (!str_ok(r->description, sizeof r->description, 0))
        FIELD("description", "must be 1 to %d bytes", LP_FEE_DESC_MAX - 1);
    if ((unsigned)r->kind >= LP_FEE_KIND__COUNT) FIELD("kind", "must be per_trip or yard");
    if (r->optional != 0 && r->optional != 1) FIELD("optional", "must be 0 or 1");
    if (r->min_kg < 0 || r->min_kg > LP_FEE_KG_MAX)
        FIELD("min_kg", "must be 0 to %lld kg", (long long)LP_FEE_KG_MAX);
    if (r->max_kg < r->min_kg || r->max_kg > LP_FEE_KG_MAX)
        FIELD("max_kg", "must be min_kg (%lld) to %lld kg", (long long)r->min_kg,
              (long long)LP_FEE_KG_MAX);
    if (r->goods != LP_FEE_ANY && (r->goods < 0 || r->goods >= LP_FEE_GOODS__COUNT))
        FIELD("goods", "must be normal, perishable, dangerous, refrigerated or any");
    if (r->journey != LP_FEE_ANY && (r->journey < 0 || r->journey >= LP_FEE_JOURNEY__COUNT))
        FIELD("journey", "must be export, import, transit, empty_return or any");
    if (r->amount < 0 || r->amount > LP_FEE_AMOUNT_MAX)
        FIELD("amount", "must be 0 to %lld VND", (long long)LP_FEE_AMOUNT_MAX);
    if (r->kind == LP_FEE_YARD) {
        if (r->free_minutes < 0 || r->free_minutes > LP_FEE_FREE_MIN_MAX)
            FIELD("free_minutes", "must be 0 to %d", LP_FEE_FREE_MIN_MAX);
        if (r->daily_cap < 0 || r->daily_cap > LP_FEE_AMOUNT_MAX)
            FIELD("daily_cap", "must be 0 (no cap) to %lld VND", (long long)LP_FEE_AMOUNT_MAX);
    } else {
        if (r->free_minutes != 0) FIELD("free_minutes", "must be 0 for a per_trip rate");
        if (r->daily_cap != 0) FIELD("daily_cap", "must be 0 for a per_trip rate");
    }
#undef FIELD
}

/* Rates j > i of the same code: same kind and optional flag, no overlap. */
static void check_pair(const lp_fee_rate *a, int i, const lp_fee_rate *b, int j, lp_err *e)
{
    char p[96];
    if (!same_code(a, b)) return;
    if (a->kind != b->kind || a->optional != b->optional) {
        snprintf(p, sizeof p, "/rates/%d/kind", j);
        lp_err_field_add(e, p, "code %.15s is %s%s in /rates/%d; all its rates must agree", b->code,
                         lp_fee_kind_name(a->kind), a->optional ? " (optional)" : "", i);
        return;
    }
    if (key_overlaps(a->goods, b->goods) && key_overlaps(a->journey, b->journey) &&
        a->min_kg <= b->max_kg && b->min_kg <= a->max_kg) {
        snprintf(p, sizeof p, "/rates/%d", j);
        lp_err_field_add(e, p,
                         "overlaps /rates/%d (%.15s: %lld-%lld kg, goods %s, journey %s): "
                         "a trip would match both",
                         i, a->code, (long long)a->min_kg, (long long)a->max_kg,
                         lp_fee_goods_name(a->goods), lp_fee_journey_name(a->journey));
    }
}

int lp_fees_table_check(const lp_fee_table *t, lp_err *e)
{
    lp_err local;
    int i, j;
    if (!e) e = &local;
    lp_err_init(e);
    if (!t || (t->nrates > 0 && !t->rates))
        return lp_err_set(e, LP_EINVAL, "no rate table given");
    if (t->nrates < 0 || t->nrates > LP_FEE_RATES_MAX) {
        lp_err_field_add(e, "/rates", "must have 0 to %d rates", LP_FEE_RATES_MAX);
        return e->code;
    }
    for (i = 0; i < t->nrates; i++) check_rate(&t->rates[i], i, e);
    /* Pairs only between well-formed rates, or the messages would multiply. */
    if (e->code != LP_OK) return e->code;
    for (i = 0; i < t->nrates; i++)
        for (j = i + 1; j < t->nrates; j++) check_pair(&t->rates[i], i, &t->rates[j], j, e);
    if (e->code != LP_OK) lp_err_set(e, LP_EINVAL, "the rate table is invalid");
    return e->code;
}

/* Invoice ------------------------------------------------------------------------------ */

typedef struct invoice {
    lp_fee_line *lines;
    int cap, n;
    int64_t total;
    lp_err *e;
} invoice;

static int add_line(invoice *inv, const lp_fee_rate *r, const char *suffix, int64_t qty,
                    int64_t unit)
{
    lp_fee_line *l;
    int64_t amount;
    if (inv->n >= inv->cap)
        return lp_err_set(inv->e, LP_ETOOBIG, "more than %d invoice lines", inv->cap);
    if (__builtin_mul_overflow(qty, unit, &amount) ||
        __builtin_add_overflow(inv->total, amount, &inv->total))
        return lp_err_set(inv->e, LP_ETOOBIG, "invoice amount for %.15s overflows", r->code);
    l = &inv->lines[inv->n++];
    memset(l, 0, sizeof *l);
    memcpy(l->code, r->code, sizeof l->code);
    snprintf(l->description, sizeof l->description, "%.*s%s",
             (int)(sizeof l->description - 1 - strlen(suffix)), r->description, suffix);
    l->quantity = qty;
    l->unit_price = unit;
    l->amount = amount;
    return LP_OK;
}

/* Started hours after the free time, split into capped days and hours so
 * that every line keeps amount == quantity * unit_price. */
static int add_yard(invoice *inv, const lp_fee_rate *r, int64_t yard_ms)
{
    int64_t billable = yard_ms - (int64_t)r->free_minutes * 60000;
    int64_t hours, days, rem, capped = 0;
    int rc = LP_OK;
    if (billable <= 0) return LP_OK;
    hours = (billable + HOUR_MS - 1) / HOUR_MS;
    if (r->daily_cap > 0) {
        days = hours / 24;
        rem = hours % 24;
        /* amount <= 10^12, so 24 * amount cannot overflow. */
        if (24 * r->amount > r->daily_cap) {
            capped = days;
            hours = rem;
        }
        if (rem * r->amount > r->daily_cap) {
            capped++;
            hours -= rem;
        }
    }
    if (capped > 0) rc = add_line(inv, r, ", daily cap", capped, r->daily_cap);
    if (rc == LP_OK && hours > 0) rc = add_line(inv, r, "", hours, r->amount);
    return rc;
}

/* No rate of a required code matched: name the first key that rules all
 * of them out, in the order journey, goods, weight. */
static int no_rate(invoice *inv, const lp_fee_table *t, const char *code, const lp_fee_trip *trip)
{
    int i, by_journey = 0, by_goods = 0;
    lp_err_set(inv->e, LP_EINVAL, "no %.15s rate applies to this trip", code);
    for (i = 0; i < t->nrates; i++) {
        const lp_fee_rate *r = &t->rates[i];
        if (strncmp(r->code, code, LP_FEE_CODE_MAX) != 0) continue;
        if (!key_overlaps(r->journey, trip->journey)) continue;
        by_journey = 1;
        if (key_overlaps(r->goods, trip->goods)) by_goods = 1;
    }
    if (!by_journey)
        lp_err_field_add(inv->e, "/journey", "no %.15s rate for journey %s", code,
                         lp_fee_journey_name(trip->journey));
    else if (!by_goods)
        lp_err_field_add(inv->e, "/goods", "no %.15s rate for %s goods on journey %s", code,
                         lp_fee_goods_name(trip->goods), lp_fee_journey_name(trip->journey));
    else
        lp_err_field_add(inv->e, "/gross_kg", "no %.15s rate for %lld kg, %s goods, journey %s",
                         code, (long long)trip->gross_kg, lp_fee_goods_name(trip->goods),
                         lp_fee_journey_name(trip->journey));
    return LP_EINVAL;
}

static int check_trip(const lp_fee_trip *trip, lp_err *e)
{
    if (trip->gross_kg < 0 || trip->gross_kg > LP_FEE_KG_MAX)
        lp_err_field_add(e, "/gross_kg", "must be 0 to %lld kg", (long long)LP_FEE_KG_MAX);
    if ((unsigned)trip->goods >= LP_FEE_GOODS__COUNT)
        lp_err_field_add(e, "/goods", "must be normal, perishable, dangerous or refrigerated");
    if ((unsigned)trip->journey >= LP_FEE_JOURNEY__COUNT)
        lp_err_field_add(e, "/journey", "must be export, import, transit or empty_return");
    if (trip->yard_ms < 0 || trip->yard_ms > LP_FEE_YARD_MS_MAX)
        lp_err_field_add(e, "/yard_ms", "must be 0 to %lld ms", (long long)LP_FEE_YARD_MS_MAX);
    return e->code;
}

static int first_of_code(const lp_fee_table *t, int i)
{
    int k;
    for (k = 0; k < i; k++)
        if (same_code(&t->rates[k], &t->rates[i])) return 0;
    return 1;
}

int lp_fees_invoice(const lp_fee_table *t, const lp_fee_trip *trip, lp_fee_line *lines, int cap,
                    int *nlines, int64_t *total, lp_err *e)
{
    lp_err local;
    invoice inv = {lines, cap, 0, 0, e ? e : &local};
    int i, k, rc;
    if (nlines) *nlines = 0;
    if (total) *total = 0;
    if (!nlines || !total || !trip || cap < 0 || (cap > 0 && !lines)) {
        lp_err_init(inv.e);
        rc = lp_err_set(inv.e, LP_EINVAL, "bad invoice call (NULL output or trip)");
        goto out;
    }
    rc = lp_fees_table_check(t, inv.e); /* also resets inv.e */
    if (rc == LP_OK) rc = check_trip(trip, inv.e);
    /* One code at a time, at its first rate, so lines follow the table. */
    for (i = 0; rc == LP_OK && i < t->nrates; i++) {
        const lp_fee_rate *r = &t->rates[i], *hit = NULL;
        if (!first_of_code(t, i)) continue;
        for (k = i; k < t->nrates && !hit; k++) {
            const lp_fee_rate *c = &t->rates[k];
            if (same_code(c, r) && key_overlaps(c->journey, trip->journey) &&
                key_overlaps(c->goods, trip->goods) && trip->gross_kg >= c->min_kg &&
                trip->gross_kg <= c->max_kg)
                hit = c;
        }
        if (!hit)
            rc = r->optional ? LP_OK : no_rate(&inv, t, r->code, trip);
        else if (hit->kind == LP_FEE_YARD)
            rc = add_yard(&inv, hit, trip->yard_ms);
        else
            rc = add_line(&inv, hit, "", 1, hit->amount);
    }
out:
    if (rc != LP_OK) return rc;
    *nlines = inv.n;
    *total = inv.total;
    return LP_OK;
}
