/* test_yard.c - unit tests for src/core/yard.c.
 *
 * The fixture is a small yard at Hữu Nghị: two normal bays, one
 * refrigerated, one dangerous goods bay; reads below 800 are unsure and a
 * re-read within 30 s is a duplicate.  Each test asserts the outcome of
 * every read and what the yard holds afterwards. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/err.h"
#include "core/yard.h"

#define T0 INT64_C(1795000000000) /* a morning in 2026 */
#define S (INT64_C(1000))
#define MIN (60 * S)

typedef struct fx {
    lp_yard_bay bays[4];
    lp_yard y;
} fx;

static void setup_yard(fx *f)
{
    lp_yard_config cfg = {800, 30 * S};
    const char *ids[4] = {"A-01", "A-02", "R-01", "D-01"};
    lp_bay_kind kinds[4] = {LP_BAY_NORMAL, LP_BAY_NORMAL, LP_BAY_REFRIGERATED, LP_BAY_DANGEROUS};
    int i;
    memset(f, 0, sizeof *f);
    for (i = 0; i < 4; i++) {
        strcpy(f->bays[i].id, ids[i]);
        f->bays[i].kind = kinds[i];
    }
    assert_int_equal(lp_yard_init(&f->y, f->bays, 4, &cfg), LP_OK);
}

static lp_yard_outcome enter(fx *f, const char *plate, int64_t at, const char *booking,
                             lp_bay_kind need, int walk_ins, lp_yard_result want)
{
    lp_yard_entry in = {{plate, at, 950}, booking, need, walk_ins};
    lp_yard_outcome out;
    assert_int_equal(lp_yard_enter(&f->y, &in, &out), LP_OK);
    if (out.result != want)
        print_error("got %s: %s\n", lp_yard_result_name(out.result), out.msg);
    assert_int_equal(out.result, want);
    return out;
}

static lp_yard_outcome leave(fx *f, const char *plate, int64_t at, lp_yard_result want)
{
    lp_yard_read r = {plate, at, 950};
    lp_yard_outcome out;
    assert_int_equal(lp_yard_exit(&f->y, &r, &out), LP_OK);
    if (out.result != want)
        print_error("got %s: %s\n", lp_yard_result_name(out.result), out.msg);
    assert_int_equal(out.result, want);
    return out;
}

static void booked_truck_in_and_out(void **state)
{
    fx f;
    lp_yard_outcome o;
    (void)state;
    setup_yard(&f);
    o = enter(&f, "29C12345", T0, "BK-0001", LP_BAY_NORMAL, 0, LP_YARD_ADMITTED);
    assert_int_equal(o.changed, 1);
    assert_int_equal(o.bay, 0);
    assert_int_equal(o.cls, LP_YARD_BOOKED);
    assert_string_equal(o.plate, "29C12345");
    assert_string_equal(o.msg, "plate 29C12345 admitted to normal bay A-01 (booking BK-0001)");
    assert_string_equal(f.bays[0].booking, "BK-0001");
    assert_int_equal(lp_yard_find(&f.y, "29C12345"), 0);
    assert_int_equal(lp_yard_free(&f.y, LP_BAY_NORMAL), 1);
    o = leave(&f, "29C12345", T0 + 3 * 60 * MIN + 25 * MIN, LP_YARD_EXITED);
    assert_int_equal(o.changed, 1);
    assert_int_equal(o.bay, 0);
    assert_int_equal(o.yard_ms, 205 * MIN);
    assert_int_equal(o.out_of_order, 0);
    assert_string_equal(o.msg, "plate 29C12345 left bay A-01 after 205 min");
    assert_int_equal(lp_yard_find(&f.y, "29C12345"), -1);
    assert_int_equal(lp_yard_free(&f.y, LP_BAY_NORMAL), 2);
}

static void bay_kinds(void **state)
{
    fx f;
    (void)state;
    setup_yard(&f);
    assert_int_equal(enter(&f, "51D11111", T0, "BK-1", LP_BAY_REFRIGERATED, 0, LP_YARD_ADMITTED).bay, 2);
    assert_int_equal(enter(&f, "51D22222", T0, "BK-2", LP_BAY_DANGEROUS, 0, LP_YARD_ADMITTED).bay, 3);
    /* The only reefer bay is taken: a second reefer is refused even though
     * normal bays are free, and a normal truck never takes a special bay. */
    enter(&f, "51D33333", T0, "BK-3", LP_BAY_REFRIGERATED, 0, LP_YARD_REFUSED_FULL);
    assert_int_equal(enter(&f, "51D44444", T0, "BK-4", LP_BAY_NORMAL, 0, LP_YARD_ADMITTED).bay, 0);
    assert_int_equal(enter(&f, "51D55555", T0, "BK-5", LP_BAY_NORMAL, 0, LP_YARD_ADMITTED).bay, 1);
    {
        lp_yard_outcome o = enter(&f, "51D66666", T0, "BK-6", LP_BAY_NORMAL, 1, LP_YARD_REFUSED_FULL);
        assert_int_equal(o.changed, 0);
        assert_int_equal(o.bay, -1);
        assert_string_equal(o.msg, "no free normal bay for plate 51D66666");
    }
    /* A bay freed is taken again. */
    leave(&f, "51D11111", T0 + MIN, LP_YARD_EXITED);
    assert_int_equal(enter(&f, "51D33333", T0 + 2 * MIN, "BK-3", LP_BAY_REFRIGERATED, 0,
                           LP_YARD_ADMITTED).bay, 2);
}

static void walk_ins(void **state)
{
    fx f;
    lp_yard_outcome o;
    (void)state;
    setup_yard(&f);
    o = enter(&f, "20C99999", T0, NULL, LP_BAY_NORMAL, 0, LP_YARD_REFUSED_UNKNOWN_PLATE);
    assert_int_equal(o.changed, 0);
    assert_int_equal(lp_yard_free(&f.y, LP_BAY_NORMAL), 2);
    enter(&f, "20C99999", T0, "", LP_BAY_NORMAL, 0, LP_YARD_REFUSED_UNKNOWN_PLATE);
    o = enter(&f, "20C99999", T0 + S, NULL, LP_BAY_NORMAL, 1, LP_YARD_ADMITTED);
    assert_int_equal(o.cls, LP_YARD_WALK_IN);
    assert_string_equal(o.msg, "plate 20C99999 admitted to normal bay A-01 as a walk-in");
    o = leave(&f, "20C99999", T0 + S + 10 * MIN, LP_YARD_EXITED);
    assert_int_equal(o.cls, LP_YARD_WALK_IN);
    assert_int_equal(o.yard_ms, 10 * MIN);
}

static void duplicate_and_already_inside(void **state)
{
    fx f;
    lp_yard_outcome o;
    (void)state;
    setup_yard(&f);
    enter(&f, "29C12345", T0, "BK-1", LP_BAY_NORMAL, 0, LP_YARD_ADMITTED);
    o = enter(&f, "29C12345", T0 + 30 * S, "BK-1", LP_BAY_NORMAL, 0, LP_YARD_DUPLICATE_READ);
    assert_int_equal(o.changed, 0);
    assert_int_equal(o.bay, 0);
    /* The window slides: each read renews it. */
    enter(&f, "29C12345", T0 + 60 * S, "BK-1", LP_BAY_NORMAL, 0, LP_YARD_DUPLICATE_READ);
    o = enter(&f, "29C12345", T0 + 91 * S, "BK-1", LP_BAY_NORMAL, 0, LP_YARD_ALREADY_INSIDE);
    assert_int_equal(o.changed, 0);
    assert_string_equal(o.msg, "plate 29C12345 is already inside, in bay A-01 since its entry");
    /* Nothing moved: one bay taken, the clock from the first read. */
    assert_int_equal(lp_yard_free(&f.y, LP_BAY_NORMAL), 1);
    assert_int_equal(f.bays[0].since_ms, T0);
    assert_int_equal(leave(&f, "29C12345", T0 + 60 * MIN, LP_YARD_EXITED).yard_ms, 60 * MIN);
}

static void low_confidence(void **state)
{
    fx f;
    lp_yard_entry in = {{"29C12345", T0, 799}, "BK-1", LP_BAY_NORMAL, 0};
    lp_yard_read r = {"29C12345", T0 + MIN, 700};
    lp_yard_outcome o;
    (void)state;
    setup_yard(&f);
    assert_int_equal(lp_yard_enter(&f.y, &in, &o), LP_OK);
    assert_int_equal(o.result, LP_YARD_LOW_CONFIDENCE);
    assert_int_equal(o.changed, 0);
    assert_string_equal(o.msg, "plate 29C12345 read with confidence 799 < 800; nothing decided");
    assert_int_equal(lp_yard_find(&f.y, "29C12345"), -1);
    in.read.confidence = 800;
    assert_int_equal(lp_yard_enter(&f.y, &in, &o), LP_OK);
    assert_int_equal(o.result, LP_YARD_ADMITTED);
    /* An unsure exit read does not free the bay. */
    assert_int_equal(lp_yard_exit(&f.y, &r, &o), LP_OK);
    assert_int_equal(o.result, LP_YARD_LOW_CONFIDENCE);
    assert_int_equal(lp_yard_find(&f.y, "29C12345"), 0);
}

static void exit_without_entry_and_out_of_order(void **state)
{
    fx f;
    lp_yard_outcome o;
    (void)state;
    setup_yard(&f);
    /* The exit read arrives before the entry read (a delayed message). */
    o = leave(&f, "29C12345", T0 + 40 * MIN, LP_YARD_EXIT_WITHOUT_ENTRY);
    assert_int_equal(o.changed, 0);
    assert_int_equal(o.bay, -1);
    assert_int_equal(o.at_ms, T0 + 40 * MIN);
    assert_string_equal(o.msg, "plate 29C12345 read at the exit but not inside the yard");
    assert_int_equal(lp_yard_free(&f.y, LP_BAY_NORMAL), 2);
    /* Then the entry read: the truck is admitted (the exit on record tells
     * the operator why it stays on the board)... */
    enter(&f, "29C12345", T0, "BK-1", LP_BAY_NORMAL, 0, LP_YARD_ADMITTED);
    /* ...and an exit stamped before the entry is flagged, not billed. */
    o = leave(&f, "29C12345", T0 - MIN, LP_YARD_EXITED);
    assert_int_equal(o.out_of_order, 1);
    assert_int_equal(o.yard_ms, 0);
    assert_string_equal(o.msg, "plate 29C12345 left bay A-01 after 0 min (exit read older than entry)");
    /* A second exit read of the same truck. */
    leave(&f, "29C12345", T0 + MIN, LP_YARD_EXIT_WITHOUT_ENTRY);
    /* An entry read older than the last one (out of order) of a truck
     * inside is not a duplicate and moves nothing. */
    enter(&f, "29C77777", T0 + 10 * MIN, "BK-2", LP_BAY_NORMAL, 0, LP_YARD_ADMITTED);
    enter(&f, "29C77777", T0 + 9 * MIN, "BK-2", LP_BAY_NORMAL, 0, LP_YARD_ALREADY_INSIDE);
    assert_int_equal(f.bays[0].since_ms, T0 + 10 * MIN);
    assert_int_equal(f.bays[0].last_read_ms, T0 + 10 * MIN);
}

static void invalid_calls(void **state)
{
    fx f;
    lp_yard y;
    lp_yard_config cfg = {800, 0};
    lp_yard_entry in = {{"29C12345", T0, 950}, NULL, LP_BAY_NORMAL, 1};
    lp_yard_read r = {"", T0, 950};
    lp_yard_outcome o;
    (void)state;
    setup_yard(&f);
    assert_int_equal(lp_yard_exit(&f.y, &r, &o), LP_EINVAL);
    assert_int_equal(o.bay, -1);
    r.plate = NULL;
    assert_int_equal(lp_yard_exit(&f.y, &r, &o), LP_EINVAL);
    r.plate = "0123456789ABCDEF"; /* 16 bytes: too long */
    assert_int_equal(lp_yard_exit(&f.y, &r, &o), LP_EINVAL);
    in.need = LP_BAY__COUNT;
    assert_int_equal(lp_yard_enter(&f.y, &in, &o), LP_EINVAL);
    in.need = LP_BAY_NORMAL;
    in.read.at_ms = -1;
    assert_int_equal(lp_yard_enter(&f.y, &in, &o), LP_EINVAL);
    in.read.at_ms = T0;
    in.read.confidence = 1001;
    assert_int_equal(lp_yard_enter(&f.y, &in, &o), LP_EINVAL);
    assert_int_equal(lp_yard_enter(&f.y, NULL, &o), LP_EINVAL);
    assert_int_equal(lp_yard_free(&f.y, LP_BAY_NORMAL), 2);
    cfg.min_confidence = 1001;
    assert_int_equal(lp_yard_init(&y, f.bays, 4, &cfg), LP_EINVAL);
    cfg.min_confidence = 800;
    f.bays[1].kind = (lp_bay_kind)7;
    assert_int_equal(lp_yard_init(&y, f.bays, 4, &cfg), LP_EINVAL);
    assert_int_equal(lp_yard_init(&y, NULL, 0, &cfg), LP_OK);
    assert_int_equal(lp_yard_free(&y, LP_BAY_NORMAL), 0);
}

static void names(void **state)
{
    (void)state;
    assert_string_equal(lp_yard_result_name(LP_YARD_EXIT_WITHOUT_ENTRY), "EXIT_WITHOUT_ENTRY");
    assert_string_equal(lp_yard_result_name(LP_YARD_R__COUNT), "?");
    assert_string_equal(lp_bay_kind_name(LP_BAY_DANGEROUS), "dangerous");
    assert_string_equal(lp_yard_class_name(LP_YARD_WALK_IN), "walk_in");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(booked_truck_in_and_out),
        cmocka_unit_test(bay_kinds),
        cmocka_unit_test(walk_ins),
        cmocka_unit_test(duplicate_and_already_inside),
        cmocka_unit_test(low_confidence),
        cmocka_unit_test(exit_without_entry_and_out_of_order),
        cmocka_unit_test(invalid_calls),
        cmocka_unit_test(names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
