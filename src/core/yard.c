/* yard.c - the electronic parking yard (see yard.h).
 *
 * Bays are scanned linearly: a yard has hundreds of bays, a read comes every
 * few seconds, and a scan keeps the state in one caller-owned array that
 * the store can persist as it is.  Plates are compared exactly because
 * they arrive canonical. */
#include "yard.h"
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Names ------------------------------------------------------------------------------ */

const char *lp_yard_result_name(lp_yard_result r)
{
    static const char *const names[LP_YARD_R__COUNT] = {
        "ADMITTED",       "REFUSED_UNKNOWN_PLATE", "REFUSED_FULL", "DUPLICATE_READ",
        "ALREADY_INSIDE", "LOW_CONFIDENCE",        "EXITED",       "EXIT_WITHOUT_ENTRY",
    };
    return (unsigned)r < LP_YARD_R__COUNT ? names[r] : "?";
}

const char *lp_bay_kind_name(lp_bay_kind k)
{
    switch (k) {
    case LP_BAY_NORMAL: return "normal";
    case LP_BAY_REFRIGERATED: return "refrigerated";
    case LP_BAY_DANGEROUS: return "dangerous";
    default: return "?";
    }
}

const char *lp_yard_class_name(lp_yard_class c)
{
    switch (c) {
    case LP_YARD_BOOKED: return "booked";
    case LP_YARD_WALK_IN: return "walk_in";
    default: return "?";
    }
}

/* Set up ------------------------------------------------------------------------------- */

int lp_yard_init(lp_yard *y, lp_yard_bay *bays, int nbays, const lp_yard_config *cfg)
{
    int i;
    if (!y || !cfg || nbays < 0 || nbays > LP_YARD_BAYS_MAX || (nbays > 0 && !bays))
        return LP_EINVAL;
    if (cfg->min_confidence < 0 || cfg->min_confidence > 1000 || cfg->debounce_ms < 0)
        return LP_EINVAL;
    for (i = 0; i < nbays; i++)
        if ((unsigned)bays[i].kind >= LP_BAY__COUNT) return LP_EINVAL;
    for (i = 0; i < nbays; i++) {
        bays[i].occupied = 0;
        bays[i].plate[0] = '\0';
        bays[i].booking[0] = '\0';
        bays[i].cls = LP_YARD_BOOKED;
        bays[i].since_ms = 0;
        bays[i].last_read_ms = 0;
    }
    y->bays = bays;
    y->nbays = nbays;
    y->cfg = *cfg;
    return LP_OK;
}

/* Queries ------------------------------------------------------------------------------ */

int lp_yard_find(const lp_yard *y, const char *plate)
{
    int i;
    if (!y || !plate) return -1;
    for (i = 0; i < y->nbays; i++)
        if (y->bays[i].occupied && strcmp(y->bays[i].plate, plate) == 0) return i;
    return -1;
}

int lp_yard_free(const lp_yard *y, lp_bay_kind kind)
{
    int i, n = 0;
    if (!y) return 0;
    for (i = 0; i < y->nbays; i++)
        if (!y->bays[i].occupied && y->bays[i].kind == kind) n++;
    return n;
}

static int first_free(const lp_yard *y, lp_bay_kind kind)
{
    int i;
    for (i = 0; i < y->nbays; i++)
        if (!y->bays[i].occupied && y->bays[i].kind == kind) return i;
    return -1;
}

/* Reads ---------------------------------------------------------------------------------- */

static int read_ok(const lp_yard_read *r)
{
    size_t n;
    if (!r->plate) return 0;
    n = strnlen(r->plate, LP_YARD_PLATE_MAX);
    return n > 0 && n < LP_YARD_PLATE_MAX && r->at_ms >= 0 && r->confidence >= 0 &&
           r->confidence <= 1000;
}

/* Starts an outcome that changes nothing; the callers fill in the rest. */
static void begin(lp_yard_outcome *out, const lp_yard_read *r, lp_yard_result res)
{
    memset(out, 0, sizeof *out);
    out->result = res;
    out->bay = -1;
    out->at_ms = r->at_ms;
    snprintf(out->plate, sizeof out->plate, "%s", r->plate);
}

static void say(lp_yard_outcome *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(lp_yard_outcome *out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out->msg, sizeof out->msg, fmt, ap);
    va_end(ap);
}

static int low_confidence(const lp_yard *y, const lp_yard_read *r, lp_yard_outcome *out)
{
    if (r->confidence >= y->cfg.min_confidence) return 0;
    begin(out, r, LP_YARD_LOW_CONFIDENCE);
    say(out, "plate %s read with confidence %d < %d; nothing decided", r->plate, r->confidence,
        y->cfg.min_confidence);
    return 1;
}

int lp_yard_enter(lp_yard *y, const lp_yard_entry *in, lp_yard_outcome *out)
{
    const lp_yard_read *r;
    lp_yard_bay *b;
    int i, booked;
    if (out) {
        memset(out, 0, sizeof *out);
        out->bay = -1;
    }
    if (!y || !in || !out || !read_ok(&in->read) || (unsigned)in->need >= LP_BAY__COUNT ||
        (in->booking && strnlen(in->booking, LP_YARD_BOOKING_MAX) == LP_YARD_BOOKING_MAX))
        return LP_EINVAL;
    r = &in->read;
    if (low_confidence(y, r, out)) return LP_OK;
    i = lp_yard_find(y, r->plate);
    if (i >= 0) {
        /* The debounce window slides with each read, so a truck standing
         * under the camera stays a duplicate however long it stands. */
        b = &y->bays[i];
        if (r->at_ms >= b->last_read_ms && r->at_ms - b->last_read_ms <= y->cfg.debounce_ms) {
            begin(out, r, LP_YARD_DUPLICATE_READ);
            say(out, "plate %s read again at the entry; already in bay %s", r->plate, b->id);
        } else {
            begin(out, r, LP_YARD_ALREADY_INSIDE);
            say(out, "plate %s is already inside, in bay %s since its entry", r->plate, b->id);
        }
        if (r->at_ms > b->last_read_ms) b->last_read_ms = r->at_ms;
        out->bay = i;
        out->cls = b->cls;
        return LP_OK;
    }
    booked = in->booking && in->booking[0];
    if (!booked && !in->walk_ins) {
        begin(out, r, LP_YARD_REFUSED_UNKNOWN_PLATE);
        say(out, "plate %s has no booking and walk-ins are not admitted", r->plate);
        return LP_OK;
    }
    i = first_free(y, in->need);
    if (i < 0) {
        begin(out, r, LP_YARD_REFUSED_FULL);
        say(out, "no free %s bay for plate %s", lp_bay_kind_name(in->need), r->plate);
        return LP_OK;
    }
    b = &y->bays[i];
    b->occupied = 1;
    snprintf(b->plate, sizeof b->plate, "%s", r->plate);
    snprintf(b->booking, sizeof b->booking, "%s", booked ? in->booking : "");
    b->cls = booked ? LP_YARD_BOOKED : LP_YARD_WALK_IN;
    b->since_ms = b->last_read_ms = r->at_ms;
    begin(out, r, LP_YARD_ADMITTED);
    out->changed = 1;
    out->bay = i;
    out->cls = b->cls;
    if (booked)
        say(out, "plate %s admitted to %s bay %s (booking %.39s)", r->plate,
            lp_bay_kind_name(b->kind), b->id, b->booking);
    else
        say(out, "plate %s admitted to %s bay %s as a walk-in", r->plate, lp_bay_kind_name(b->kind),
            b->id);
    return LP_OK;
}

int lp_yard_exit(lp_yard *y, const lp_yard_read *r, lp_yard_outcome *out)
{
    lp_yard_bay *b;
    int i;
    if (out) {
        memset(out, 0, sizeof *out);
        out->bay = -1;
    }
    if (!y || !r || !out || !read_ok(r)) return LP_EINVAL;
    if (low_confidence(y, r, out)) return LP_OK;
    i = lp_yard_find(y, r->plate);
    if (i < 0) {
        begin(out, r, LP_YARD_EXIT_WITHOUT_ENTRY);
        say(out, "plate %s read at the exit but not inside the yard", r->plate);
        return LP_OK;
    }
    b = &y->bays[i];
    begin(out, r, LP_YARD_EXITED);
    out->changed = 1;
    out->bay = i;
    out->cls = b->cls;
    /* An exit stamped before its entry means a device clock or a delayed
     * message is wrong: bill nothing rather than guess, and flag it. */
    if (r->at_ms < b->since_ms) out->out_of_order = 1;
    else out->yard_ms = r->at_ms - b->since_ms;
    say(out, "plate %s left bay %s after %lld min%s", r->plate, b->id,
        (long long)(out->yard_ms / 60000), out->out_of_order ? " (exit read older than entry)" : "");
    b->occupied = 0;
    b->plate[0] = '\0';
    b->booking[0] = '\0';
    return LP_OK;
}
