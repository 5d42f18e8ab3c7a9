/* slots.c - crossing slots and bookings (see slots.h).
 *
 * Use of an hour is counted by a scan of the bookings rather than kept in
 * counters: one array is the whole state, so the store can persist it
 * row by row and nothing can drift out of step.  A scan of a few thousand
 * bookings per call is far below the rate at which companies book. */
#include "slots.h"
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *lp_slots_result_name(lp_slots_result r)
{
    static const char *const names[LP_SLOTS_R__COUNT] = {
        "OK",           "FULL",      "CLOSED",     "TOO_LATE",  "NO_LANE",
        "REBOOK_LIMIT", "NOT_FOUND", "NO_STORAGE", "BAD_INPUT",
    };
    return (unsigned)r < LP_SLOTS_R__COUNT ? names[r] : "?";
}

int lp_slots_hour_of_day(int64_t t_ms)
{
    return (int)(((t_ms + LP_SLOTS_TZ_MS) / LP_SLOTS_HOUR_MS) % 24);
}

static int64_t hour_start(int64_t t_ms) { return t_ms - t_ms % LP_SLOTS_HOUR_MS; }

/* Set up ------------------------------------------------------------------------------------ */

int lp_slots_init(lp_slots *s, const lp_slots_lane *lanes, int nlanes, lp_slots_booking *bookings,
                  int cap, const lp_slots_rules *rules)
{
    int i, j, h;
    if (!s || !rules || nlanes < 0 || cap < 0 || (nlanes && !lanes) || (cap && !bookings))
        return LP_EINVAL;
    if (rules->min_notice_ms < 0 || rules->max_rebookings < 0) return LP_EINVAL;
    for (i = 0; i < nlanes; i++) {
        size_t n = strnlen(lanes[i].point, LP_SLOTS_POINT_MAX);
        if (n == 0 || n == LP_SLOTS_POINT_MAX || (unsigned)lanes[i].dir >= LP_SLOTS_DIR__COUNT)
            return LP_EINVAL;
        for (h = 0; h < 24; h++)
            if (lanes[i].quota[h] < 0 || lanes[i].quota[h] > LP_SLOTS_QUOTA_MAX) return LP_EINVAL;
        for (j = 0; j < i; j++)
            if (lanes[j].dir == lanes[i].dir && strcmp(lanes[j].point, lanes[i].point) == 0)
                return LP_EINVAL;
    }
    if (cap) memset(bookings, 0, (size_t)cap * sizeof *bookings);
    s->lanes = lanes;
    s->nlanes = nlanes;
    s->bookings = bookings;
    s->cap = cap;
    s->rules = *rules;
    return LP_OK;
}

/* Queries ------------------------------------------------------------------------------------ */

const lp_slots_booking *lp_slots_get(const lp_slots *s, int id)
{
    if (!s || id < 1 || id > s->cap || !s->bookings[id - 1].active) return NULL;
    return &s->bookings[id - 1];
}

int lp_slots_lane_find(const lp_slots *s, const char *point, lp_slots_dir dir)
{
    int i;
    if (!s || !point) return -1;
    for (i = 0; i < s->nlanes; i++)
        if (s->lanes[i].dir == dir && strcmp(s->lanes[i].point, point) == 0) return i;
    return -1;
}

int lp_slots_quota(const lp_slots *s, int lane, int64_t t_ms)
{
    if (!s || lane < 0 || lane >= s->nlanes || t_ms < 0) return 0;
    return s->lanes[lane].quota[lp_slots_hour_of_day(t_ms)];
}

int lp_slots_used(const lp_slots *s, int lane, int64_t t_ms)
{
    int i, n = 0;
    int64_t h = hour_start(t_ms);
    if (!s) return 0;
    for (i = 0; i < s->cap; i++)
        if (s->bookings[i].active && s->bookings[i].lane == lane && s->bookings[i].hour_ms == h) n++;
    return n;
}

/* Outcomes ----------------------------------------------------------------------------------- */

static int finish(lp_slots_outcome *out, lp_slots_result r, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int finish(lp_slots_outcome *out, lp_slots_result r, const char *fmt, ...)
{
    va_list ap;
    out->result = r;
    va_start(ap, fmt);
    vsnprintf(out->msg, sizeof out->msg, fmt, ap);
    va_end(ap);
    switch (r) {
    case LP_SLOTS_OK: return LP_OK;
    case LP_SLOTS_NO_LANE:
    case LP_SLOTS_NOT_FOUND: return LP_ENOTFOUND;
    case LP_SLOTS_NO_STORAGE: return LP_ETOOBIG;
    case LP_SLOTS_BAD_INPUT: return LP_EINVAL;
    default: return LP_ECONFLICT;
    }
}

static void begin(lp_slots_outcome *out)
{
    memset(out, 0, sizeof *out);
    out->suggest_ms = -1;
}

static int has_room(const lp_slots *s, int lane, int64_t h)
{
    return lp_slots_used(s, lane, h) < lp_slots_quota(s, lane, h);
}

/* Refuses hour h of lane (quota 0 or full) and suggests the next hour with
 * room.  Later hours are further from now, so the notice rule holds there. */
static int refuse_hour(const lp_slots *s, int lane, int64_t h, lp_slots_outcome *out)
{
    int k, closed = lp_slots_quota(s, lane, h) == 0;
    for (k = 1; k <= LP_SLOTS_SUGGEST_HOURS && out->suggest_ms < 0; k++)
        if (has_room(s, lane, h + k * LP_SLOTS_HOUR_MS)) out->suggest_ms = h + k * LP_SLOTS_HOUR_MS;
    return finish(out, closed ? LP_SLOTS_CLOSED : LP_SLOTS_FULL, "%s %s at %02d:00 is %s%s",
                  s->lanes[lane].point, s->lanes[lane].dir == LP_SLOTS_EXPORT ? "export" : "import",
                  lp_slots_hour_of_day(h), closed ? "closed" : "full",
                  out->suggest_ms < 0 ? "; no free hour in the next 7 days" : "");
}

static int too_late(const lp_slots *s, int64_t h, int64_t now_ms)
{
    return h - now_ms < s->rules.min_notice_ms;
}

static int text_ok(const char *t, size_t max) { return t && t[0] && strnlen(t, max) < max; }

/* Booking ---------------------------------------------------------------------------------------- */

int lp_slots_book(lp_slots *s, const lp_slots_request *rq, int64_t now_ms, lp_slots_outcome *out)
{
    int lane, i, free_at = -1;
    int64_t h;
    lp_slots_booking *b;
    if (!out) return LP_EINVAL;
    begin(out);
    if (!s || !rq || !rq->point || rq->hour_ms < 0 || !text_ok(rq->plate, LP_SLOTS_PLATE_MAX) ||
        !text_ok(rq->driver, LP_SLOTS_DRIVER_MAX))
        return finish(out, LP_SLOTS_BAD_INPUT, "point, hour >= 0, plate and driver are required");
    lane = lp_slots_lane_find(s, rq->point, rq->dir);
    if (lane < 0)
        return finish(out, LP_SLOTS_NO_LANE, "no crossing point %.23s for that direction", rq->point);
    h = hour_start(rq->hour_ms);
    if (too_late(s, h, now_ms))
        return finish(out, LP_SLOTS_TOO_LATE, "slots close %lld min before the hour",
                      (long long)(s->rules.min_notice_ms / 60000));
    if (!has_room(s, lane, h)) return refuse_hour(s, lane, h, out);
    for (i = 0; i < s->cap && free_at < 0; i++)
        if (!s->bookings[i].active) free_at = i;
    if (free_at < 0) return finish(out, LP_SLOTS_NO_STORAGE, "no room for more bookings");
    b = &s->bookings[free_at];
    memset(b, 0, sizeof *b);
    b->active = 1;
    b->lane = lane;
    b->hour_ms = h;
    snprintf(b->plate, sizeof b->plate, "%s", rq->plate);
    snprintf(b->driver, sizeof b->driver, "%s", rq->driver);
    out->id = free_at + 1;
    return finish(out, LP_SLOTS_OK, "booked %s at %02d:00", s->lanes[lane].point,
                  lp_slots_hour_of_day(h));
}

static lp_slots_booking *active(lp_slots *s, int id)
{
    return (lp_slots_booking *)lp_slots_get(s, id);
}

int lp_slots_rebook(lp_slots *s, int id, int64_t hour_ms, int64_t now_ms, lp_slots_outcome *out)
{
    lp_slots_booking *b;
    int64_t h;
    if (!out) return LP_EINVAL;
    begin(out);
    if (!s || hour_ms < 0) return finish(out, LP_SLOTS_BAD_INPUT, "hour must be >= 0");
    b = active(s, id);
    if (!b) return finish(out, LP_SLOTS_NOT_FOUND, "no active booking %d", id);
    h = hour_start(hour_ms);
    if (h == b->hour_ms) {
        out->id = id;
        return finish(out, LP_SLOTS_OK, "already booked at %02d:00", lp_slots_hour_of_day(h));
    }
    if (too_late(s, b->hour_ms, now_ms) || too_late(s, h, now_ms))
        return finish(out, LP_SLOTS_TOO_LATE, "changes close %lld min before the hour",
                      (long long)(s->rules.min_notice_ms / 60000));
    if (b->rebookings >= s->rules.max_rebookings)
        return finish(out, LP_SLOTS_REBOOK_LIMIT, "booking %d was already moved %d times", id,
                      b->rebookings);
    if (!has_room(s, b->lane, h)) return refuse_hour(s, b->lane, h, out);
    b->hour_ms = h;
    b->rebookings++;
    out->id = id;
    return finish(out, LP_SLOTS_OK, "moved to %02d:00", lp_slots_hour_of_day(h));
}

int lp_slots_cancel(lp_slots *s, int id, lp_slots_outcome *out)
{
    lp_slots_booking *b;
    if (!out) return LP_EINVAL;
    begin(out);
    b = active(s, id);
    if (!b) return finish(out, LP_SLOTS_NOT_FOUND, "no active booking %d", id);
    b->active = 0;
    out->id = id;
    return finish(out, LP_SLOTS_OK, "booking %d cancelled", id);
}

int lp_slots_set_vehicle(lp_slots *s, int id, const char *plate, const char *driver,
                         lp_slots_outcome *out)
{
    lp_slots_booking *b;
    if (!out) return LP_EINVAL;
    begin(out);
    if ((plate && !text_ok(plate, LP_SLOTS_PLATE_MAX)) ||
        (driver && !text_ok(driver, LP_SLOTS_DRIVER_MAX)))
        return finish(out, LP_SLOTS_BAD_INPUT, "plate or driver empty or too long");
    b = active(s, id);
    if (!b) return finish(out, LP_SLOTS_NOT_FOUND, "no active booking %d", id);
    if (plate) snprintf(b->plate, sizeof b->plate, "%s", plate);
    if (driver) snprintf(b->driver, sizeof b->driver, "%s", driver);
    out->id = id;
    return finish(out, LP_SLOTS_OK, "booking %d: vehicle %s, driver %s", id, b->plate, b->driver);
}
