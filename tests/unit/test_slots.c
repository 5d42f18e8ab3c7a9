/* test_slots.c - unit tests for src/core/slots.c.
 *
 * The fixture: road-1088 export open 07:00-19:00 gate time with 2 slots an
 * hour (3 at 09:00), import open 18:00-20:00 only; bookings close 2 hours
 * before the slot and may be moved twice.  DAY is 2026-11-23 00:00 UTC+7. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/err.h"
#include "core/slots.h"

#define DAY INT64_C(1795366800000) /* 2026-11-23T00:00+07:00 */
#define H LP_SLOTS_HOUR_MS
#define MIN (INT64_C(60000))
#define NOW (DAY + 6 * H) /* 06:00 gate time */

typedef struct fx {
    lp_slots_lane lanes[2];
    lp_slots_booking b[16];
    lp_slots s;
} fx;

static void setup_slots(fx *f, int cap)
{
    lp_slots_rules rules = {2 * H, 2};
    int h;
    memset(f, 0, sizeof *f);
    strcpy(f->lanes[0].point, "road-1088");
    f->lanes[0].dir = LP_SLOTS_EXPORT;
    for (h = 7; h < 19; h++) f->lanes[0].quota[h] = 2;
    f->lanes[0].quota[9] = 3;
    strcpy(f->lanes[1].point, "road-1088");
    f->lanes[1].dir = LP_SLOTS_IMPORT;
    f->lanes[1].quota[18] = f->lanes[1].quota[19] = 5;
    assert_int_equal(lp_slots_init(&f->s, f->lanes, 2, f->b, cap, &rules), LP_OK);
}

static lp_slots_outcome book(fx *f, int64_t at, const char *plate, int want_rc, lp_slots_result want)
{
    lp_slots_request rq = {"road-1088", LP_SLOTS_EXPORT, at, plate, "B123456"};
    lp_slots_outcome o;
    int rc = lp_slots_book(&f->s, &rq, NOW, &o);
    if (o.result != want) print_error("got %s: %s\n", lp_slots_result_name(o.result), o.msg);
    assert_int_equal(o.result, want);
    assert_int_equal(rc, want_rc);
    return o;
}

static void hour_of_day_is_gate_time(void **state)
{
    (void)state;
    assert_int_equal(lp_slots_hour_of_day(DAY), 0);
    assert_int_equal(lp_slots_hour_of_day(DAY + 9 * H + 59 * MIN), 9);
    assert_int_equal(lp_slots_hour_of_day(DAY - 1), 23);
    assert_int_equal(lp_slots_hour_of_day(0), 7); /* 1970-01-01 00:00 UTC */
}

static void quota_per_hour(void **state)
{
    fx f;
    lp_slots_outcome o;
    (void)state;
    setup_slots(&f, 16);
    o = book(&f, DAY + 10 * H + 25 * MIN, "29C12345", LP_OK, LP_SLOTS_OK);
    assert_int_equal(o.id, 1);
    assert_string_equal(o.msg, "booked road-1088 at 10:00");
    assert_int_equal(lp_slots_get(&f.s, 1)->hour_ms, DAY + 10 * H); /* stored as the hour */
    book(&f, DAY + 10 * H, "29C22222", LP_OK, LP_SLOTS_OK);
    assert_int_equal(lp_slots_used(&f.s, 0, DAY + 10 * H), 2);
    o = book(&f, DAY + 10 * H + 59 * MIN, "29C33333", LP_ECONFLICT, LP_SLOTS_FULL);
    assert_int_equal(o.id, 0);
    assert_int_equal(o.suggest_ms, DAY + 11 * H);
    assert_string_equal(o.msg, "road-1088 export at 10:00 is full");
    /* 09:00 has a quota of 3. */
    book(&f, DAY + 9 * H, "29C33333", LP_OK, LP_SLOTS_OK);
    book(&f, DAY + 9 * H, "29C44444", LP_OK, LP_SLOTS_OK);
    book(&f, DAY + 9 * H, "29C55555", LP_OK, LP_SLOTS_OK);
    book(&f, DAY + 9 * H, "29C66666", LP_ECONFLICT, LP_SLOTS_FULL);
    /* Import is another lane with its own quota. */
    {
        lp_slots_request rq = {"road-1088", LP_SLOTS_IMPORT, DAY + 18 * H, "29C12345", "B1"};
        assert_int_equal(lp_slots_book(&f.s, &rq, NOW, &o), LP_OK);
        assert_int_equal(lp_slots_used(&f.s, 1, DAY + 18 * H), 1);
        rq.point = "cocnam-1104";
        assert_int_equal(lp_slots_book(&f.s, &rq, NOW, &o), LP_ENOTFOUND);
        assert_int_equal(o.result, LP_SLOTS_NO_LANE);
    }
}

static void suggestion_skips_full_and_closed_hours(void **state)
{
    fx f;
    lp_slots_outcome o;
    (void)state;
    setup_slots(&f, 16);
    /* 17:00 and 18:00 full: from 17:00 the suggestion skips 18:00, and
     * 19:00-06:59 (closed), to 07:00 the next day. */
    book(&f, DAY + 17 * H, "A1", LP_OK, LP_SLOTS_OK);
    book(&f, DAY + 17 * H, "A2", LP_OK, LP_SLOTS_OK);
    book(&f, DAY + 18 * H, "A3", LP_OK, LP_SLOTS_OK);
    book(&f, DAY + 18 * H, "A4", LP_OK, LP_SLOTS_OK);
    o = book(&f, DAY + 17 * H, "A5", LP_ECONFLICT, LP_SLOTS_FULL);
    assert_int_equal(o.suggest_ms, DAY + 24 * H + 7 * H);
    /* A closed hour: refused with the next opening. */
    o = book(&f, DAY + 22 * H, "A5", LP_ECONFLICT, LP_SLOTS_CLOSED);
    assert_int_equal(o.suggest_ms, DAY + 31 * H);
    assert_string_equal(o.msg, "road-1088 export at 22:00 is closed");
    /* A lane that never opens: no suggestion. */
    f.lanes[1].quota[18] = f.lanes[1].quota[19] = 0;
    {
        lp_slots_request rq = {"road-1088", LP_SLOTS_IMPORT, DAY + 18 * H, "A5", "B1"};
        assert_int_equal(lp_slots_book(&f.s, &rq, NOW, &o), LP_ECONFLICT);
        assert_int_equal(o.result, LP_SLOTS_CLOSED);
        assert_int_equal(o.suggest_ms, -1);
        assert_string_equal(o.msg, "road-1088 import at 18:00 is closed; no free hour in the next 7 days");
    }
}

static void minimum_notice(void **state)
{
    fx f;
    (void)state;
    setup_slots(&f, 16);
    /* NOW is 06:00: 08:00 is exactly 2 hours away and may be booked; 07:00 not. */
    book(&f, DAY + 7 * H + 30 * MIN, "A1", LP_ECONFLICT, LP_SLOTS_TOO_LATE);
    book(&f, DAY + 8 * H, "A1", LP_OK, LP_SLOTS_OK);
    book(&f, DAY - 5 * H, "A2", LP_ECONFLICT, LP_SLOTS_TOO_LATE); /* in the past */
}

static void rebooking(void **state)
{
    fx f;
    lp_slots_outcome o;
    int id;
    (void)state;
    setup_slots(&f, 16);
    id = book(&f, DAY + 10 * H, "29C12345", LP_OK, LP_SLOTS_OK).id;
    book(&f, DAY + 12 * H, "B1", LP_OK, LP_SLOTS_OK);
    book(&f, DAY + 12 * H, "B2", LP_OK, LP_SLOTS_OK);
    /* A full hour: refused, nothing moved, nothing counted. */
    assert_int_equal(lp_slots_rebook(&f.s, id, DAY + 12 * H, NOW, &o), LP_ECONFLICT);
    assert_int_equal(o.result, LP_SLOTS_FULL);
    assert_int_equal(o.suggest_ms, DAY + 13 * H);
    assert_int_equal(lp_slots_get(&f.s, id)->hour_ms, DAY + 10 * H);
    assert_int_equal(lp_slots_get(&f.s, id)->rebookings, 0);
    /* Move twice, keeping the id; the old hour is free again. */
    assert_int_equal(lp_slots_rebook(&f.s, id, DAY + 13 * H, NOW, &o), LP_OK);
    assert_int_equal(o.id, id);
    assert_int_equal(lp_slots_used(&f.s, 0, DAY + 10 * H), 0);
    assert_int_equal(lp_slots_used(&f.s, 0, DAY + 13 * H), 1);
    /* The same hour again is a no-op and counts nothing. */
    assert_int_equal(lp_slots_rebook(&f.s, id, DAY + 13 * H + 5 * MIN, NOW, &o), LP_OK);
    assert_int_equal(lp_slots_get(&f.s, id)->rebookings, 1);
    assert_int_equal(lp_slots_rebook(&f.s, id, DAY + 14 * H, NOW, &o), LP_OK);
    assert_int_equal(lp_slots_get(&f.s, id)->rebookings, 2);
    /* The third move is over the limit. */
    assert_int_equal(lp_slots_rebook(&f.s, id, DAY + 15 * H, NOW, &o), LP_ECONFLICT);
    assert_int_equal(o.result, LP_SLOTS_REBOOK_LIMIT);
    assert_string_equal(o.msg, "booking 1 was already moved 2 times");
    assert_int_equal(lp_slots_get(&f.s, id)->hour_ms, DAY + 14 * H);
    /* Notice applies to the hour held and to the new one. */
    id = book(&f, DAY + 9 * H, "C1", LP_OK, LP_SLOTS_OK).id;
    assert_int_equal(lp_slots_rebook(&f.s, id, DAY + 7 * H, NOW, &o), LP_ECONFLICT);
    assert_int_equal(o.result, LP_SLOTS_TOO_LATE);
    assert_int_equal(lp_slots_rebook(&f.s, id, DAY + 15 * H, DAY + 7 * H + 1, &o), LP_ECONFLICT);
    assert_int_equal(o.result, LP_SLOTS_TOO_LATE);
    assert_int_equal(lp_slots_rebook(&f.s, 99, DAY + 15 * H, NOW, &o), LP_ENOTFOUND);
    assert_int_equal(o.result, LP_SLOTS_NOT_FOUND);
}

static void cancel_frees_the_place(void **state)
{
    fx f;
    lp_slots_outcome o;
    int id;
    (void)state;
    setup_slots(&f, 16);
    id = book(&f, DAY + 10 * H, "A1", LP_OK, LP_SLOTS_OK).id;
    book(&f, DAY + 10 * H, "A2", LP_OK, LP_SLOTS_OK);
    book(&f, DAY + 10 * H, "A3", LP_ECONFLICT, LP_SLOTS_FULL);
    assert_int_equal(lp_slots_cancel(&f.s, id, &o), LP_OK);
    assert_null(lp_slots_get(&f.s, id));
    assert_int_equal(lp_slots_cancel(&f.s, id, &o), LP_ENOTFOUND);
    assert_int_equal(book(&f, DAY + 10 * H, "A3", LP_OK, LP_SLOTS_OK).id, id); /* entry reused */
}

static void change_vehicle_or_driver_keeps_slot(void **state)
{
    fx f;
    lp_slots_outcome o;
    const lp_slots_booking *b;
    int id;
    (void)state;
    setup_slots(&f, 16);
    id = book(&f, DAY + 10 * H, "29C12345", LP_OK, LP_SLOTS_OK).id;
    book(&f, DAY + 10 * H, "29C22222", LP_OK, LP_SLOTS_OK);
    /* The hour is full, yet the booking changes truck and driver. */
    assert_int_equal(lp_slots_set_vehicle(&f.s, id, "29C99999", NULL, &o), LP_OK);
    assert_int_equal(lp_slots_set_vehicle(&f.s, id, NULL, "B765432", &o), LP_OK);
    assert_string_equal(o.msg, "booking 1: vehicle 29C99999, driver B765432");
    b = lp_slots_get(&f.s, id);
    assert_string_equal(b->plate, "29C99999");
    assert_string_equal(b->driver, "B765432");
    assert_int_equal(b->hour_ms, DAY + 10 * H);
    assert_int_equal(lp_slots_used(&f.s, 0, DAY + 10 * H), 2);
    assert_int_equal(lp_slots_set_vehicle(&f.s, id, "", NULL, &o), LP_EINVAL);
    assert_int_equal(lp_slots_set_vehicle(&f.s, id, "0123456789ABCDEF", NULL, &o), LP_EINVAL);
    assert_string_equal(lp_slots_get(&f.s, id)->plate, "29C99999");
    assert_int_equal(lp_slots_set_vehicle(&f.s, 7, "29C1", NULL, &o), LP_ENOTFOUND);
}

static void storage_and_bad_input(void **state)
{
    fx f;
    lp_slots s;
    lp_slots_rules rules = {0, 0};
    lp_slots_request rq = {"road-1088", LP_SLOTS_EXPORT, DAY + 10 * H, NULL, "B1"};
    lp_slots_outcome o;
    (void)state;
    setup_slots(&f, 1);
    book(&f, DAY + 10 * H, "A1", LP_OK, LP_SLOTS_OK);
    book(&f, DAY + 11 * H, "A2", LP_ETOOBIG, LP_SLOTS_NO_STORAGE);
    assert_int_equal(lp_slots_book(&f.s, &rq, NOW, &o), LP_EINVAL);
    assert_int_equal(o.result, LP_SLOTS_BAD_INPUT);
    assert_int_equal(lp_slots_book(&f.s, &rq, NOW, NULL), LP_EINVAL);
    /* Configuration refused: a quota out of range, a lane twice. */
    f.lanes[0].quota[3] = -1;
    assert_int_equal(lp_slots_init(&s, f.lanes, 2, f.b, 16, &rules), LP_EINVAL);
    f.lanes[0].quota[3] = 0;
    f.lanes[1].dir = LP_SLOTS_EXPORT;
    assert_int_equal(lp_slots_init(&s, f.lanes, 2, f.b, 16, &rules), LP_EINVAL);
    rules.max_rebookings = -1;
    assert_int_equal(lp_slots_init(&s, f.lanes, 1, f.b, 16, &rules), LP_EINVAL);
    rules.max_rebookings = 0;
    assert_int_equal(lp_slots_init(&s, NULL, 0, NULL, 0, &rules), LP_OK);
    assert_string_equal(lp_slots_result_name(LP_SLOTS_REBOOK_LIMIT), "REBOOK_LIMIT");
    assert_string_equal(lp_slots_result_name(LP_SLOTS_R__COUNT), "?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hour_of_day_is_gate_time),
        cmocka_unit_test(quota_per_hour),
        cmocka_unit_test(suggestion_skips_full_and_closed_hours),
        cmocka_unit_test(minimum_notice),
        cmocka_unit_test(rebooking),
        cmocka_unit_test(cancel_frees_the_place),
        cmocka_unit_test(change_vehicle_or_driver_keeps_slot),
        cmocka_unit_test(storage_and_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
