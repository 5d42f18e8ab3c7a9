/* it_yard.c - the electronic parking yard and the fair e-queue against the
 * real server on a file clock the test moves: priority order (perishable
 * first, then booked slot, then arrival), company scoping of positions,
 * calls as audit events with their state, the 20-minute no-show rule applied
 * by the server's own tick, gate arrival, yard exit with its invoice,
 * walk-ins, a full yard, duplicate, late and unsure reads, and a queue that
 * survives kill -9. */
#include "yard_fx.h"
#include "storefx.h"

#include <signal.h>
#include <unistd.h>

#define QUEUE "/api/v1/queues/huunghi-main:export"
#define YARD "huu-nghi-export"

typedef struct trucks {
    long visit[8], decl[8];
} trucks;
static trucks T; /* visits of the trucks of the queue tests, by index */
static const char *const plate_of[] = {"29C-201.01", "29C-201.02", "29C-201.03", "29C-201.04"};
enum { A1, B1, A2, A3 };

static int setup(void **state) { return fx_setup(state, "it_yard"); }

/* The entry of the queue view for plate, or NULL. */
static const cJSON *entry_of(const cJSON *view, const char *plate)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItem(view, "entries"))
        if (!strcmp(lp_test_jstr(e, "plate"), plate)) return e;
    return NULL;
}

static lp_test_resp queue_view(yfx *f, const char *tok)
{
    lp_test_resp r = fx_call(f, "GET", QUEUE, tok, NULL);
    lp_test_expect(&r, 200);
    return r;
}

/* Waits (bounded) for the server's tick to give plate state; fails after
 * about 10 s.  Returns the view (caller frees). */
static lp_test_resp wait_state(yfx *f, const char *plate, const char *state)
{
    int i;
    lp_test_resp r;
    for (i = 0;; i++) {
        const cJSON *e;
        r = queue_view(f, f->operator);
        e = entry_of(r.json, plate);
        if ((e && !strcmp(lp_test_jstr(e, "state"), state)) || i == 100) break;
        lp_test_resp_free(&r);
        usleep(100 * 1000);
    }
    if (i == 100) fail_msg("%s never became %s: %s", plate, state, r.body);
    return r;
}

/* The audit events of action about visit id, as an array (caller frees r). */
static lp_test_resp events_of(yfx *f, const char *action, long id)
{
    char path[160];
    snprintf(path, sizeof path, "/api/v1/audit-events?action=%s&object_type=queue_entry&object_id=%ld", action, id);
    lp_test_resp r = fx_call(f, "GET", path, f->operator, NULL);
    lp_test_expect(&r, 200);
    return r;
}

/* A gate passage of plate at lane 1, which must be its queue arrival.
 * Returns the reply (caller frees). */
static lp_test_resp gate_arrival(yfx *f, const char *plate)
{
    lp_test_resp r = fx_call(f, "POST", "/api/v1/gate-passages", f->device,
                             "{\"crossing_point_id\":\"huunghi-main\",\"lane\":1,\"plate\":{\"text\":\"%s\","
                             "\"confidence\":990}}",
                             plate);
    lp_test_expect(&r, 201);
    assert_string_equal(lp_test_jstr(r.json, "queue_event"), "arrived");
    return r;
}

static void test_priority_order_and_scoping(void **state)
{
    yfx *f = *state;
    static const struct { int b; const char *hs; int hour; } spec[] = {
        {0, "84713020", 4}, /* A1: laptops, booked 12:00 (gate time) */
        {1, "84713020", 2}, /* B1: laptops, booked 10:00 */
        {0, "08106000", 4}, /* A2: fresh durian, perishable, booked 12:00 */
        {0, "03038900", 2}, /* A3: frozen fish, perishable and refrigerated, booked 10:00 */
    };
    lp_test_resp r;
    int i, lane;
    char path[96];

    for (lane = 1; lane <= 4; lane++) {
        snprintf(path, sizeof path, QUEUE "/lanes/%d", lane);
        fx_ok(fx_call(f, "PATCH", path, f->operator, "{\"paused\":true}"), 200);
    }
    for (i = 0; i < 4; i++) {
        long d = fx_truck(f, spec[i].b, plate_of[i], "huunghi-main", "export", spec[i].hs, NULL);
        T.decl[i] = d;
        fx_book(f, spec[i].b, d, spec[i].hour);
    }
    for (i = 0; i < 4; i++) {
        fx_clock(f, f->now + FX_MIN);
        r = fx_expect_read(f, YARD, "entry", plate_of[i], 970, "admitted");
        T.visit[i] = lp_test_jint(r.json, "visit_id");
        assert_string_equal(lp_test_jstr(r.json, "bay_id"), i == A3 ? "R-001" : i == A1 ? "A-001" : i == B1 ? "A-002" : "A-003");
        lp_test_resp_free(&r);
    }

    /* Perishable first (A3 slot 10:00 before A2 slot 12:00), then normal
     * by slot (B1 10:00 before A1 12:00) whatever the arrival order. */
    r = queue_view(f, f->operator);
    {
        static const int order[] = {A3, A2, B1, A1};
        const cJSON *e = cJSON_GetObjectItem(r.json, "entries");
        assert_int_equal(cJSON_GetArraySize(e), 4);
        for (i = 0; i < 4; i++) {
            const cJSON *it = cJSON_GetArrayItem(e, i);
            assert_string_equal(lp_test_jstr(it, "plate"), plate_of[order[i]]);
            assert_int_equal(lp_test_jint(it, "position"), i + 1);
            assert_true(cJSON_IsNull(cJSON_GetObjectItem(it, "eta_s"))); /* every lane paused */
        }
        assert_string_equal(lp_test_jstr(cJSON_GetArrayItem(e, 0), "class"), "perishable");
        assert_string_equal(lp_test_jstr(cJSON_GetArrayItem(e, 2), "class"), "normal");
    }
    lp_test_resp_free(&r);

    /* Company B sees its own truck only, with its true position. */
    r = queue_view(f, f->company_b);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "entries")), 1);
    assert_int_equal(lp_test_jint(entry_of(r.json, plate_of[B1]), "position"), 3);
    lp_test_resp_free(&r);
    snprintf(path, sizeof path, "/api/v1/yard-visits/%ld", T.visit[B1]);
    fx_ok(fx_call(f, "GET", path, f->company_a, NULL), 404);
    r = fx_call(f, "GET", path, f->company_b, NULL);
    lp_test_expect(&r, 200);
    assert_int_equal(lp_test_jint(cJSON_GetObjectItem(r.json, "queue"), "position"), 3);
    lp_test_resp_free(&r);

    /* Operators cannot reorder: a lane with room calls the first truck, and
     * the call is an audit event with the state that produced it. */
    fx_ok(fx_call(f, "PATCH", QUEUE "/lanes/1", f->company_a, "{\"paused\":false}"), 403);
    r = fx_call(f, "PATCH", QUEUE "/lanes/1", f->operator, "{\"paused\":false,\"capacity\":1}");
    lp_test_expect(&r, 200);
    assert_string_equal(lp_test_jstr(entry_of(r.json, plate_of[A3]), "state"), "called");
    assert_int_equal(lp_test_jint(entry_of(r.json, plate_of[A3]), "lane"), 1);
    assert_int_equal(lp_test_jint(entry_of(r.json, plate_of[A2]), "position"), 1);
    lp_test_resp_free(&r);
    r = events_of(f, "queue.called", T.visit[A3]);
    {
        const cJSON *ev = cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "items"), 0);
        const cJSON *after = cJSON_GetObjectItem(ev, "after");
        assert_non_null(after);
        assert_string_equal(lp_test_jstr(after, "class"), "perishable");
        assert_string_equal(lp_test_jstr(after, "slot"), "2026-11-24T03:00:00.000Z");
        assert_int_equal(lp_test_jint(after, "position"), 1);
        assert_int_equal(lp_test_jint(after, "lane"), 1);
        assert_int_equal(lp_test_jint(after, "waiting"), 3);
        assert_non_null(lp_test_jstr(after, "arrival"));
    }
    lp_test_resp_free(&r);
}

static void test_no_show_rule_and_gate_arrival(void **state)
{
    yfx *f = *state;
    int64_t called = f->now;
    lp_test_resp r;

    /* 20 minutes and 1 ms after its call A3 is late: the server's tick,
     * with no request, applies the rule and calls the next truck. */
    fx_clock(f, called + 20 * FX_MIN + 1);
    r = wait_state(f, plate_of[A2], "called");
    {
        const cJSON *a3 = entry_of(r.json, plate_of[A3]);
        assert_string_equal(lp_test_jstr(a3, "state"), "waiting");
        assert_int_equal(lp_test_jint(a3, "no_shows"), 1);
        /* Behind its class as of the moment it became late: its slot is
         * pushed to A2's (12:00), but it is still the first waiting. */
        assert_int_equal(lp_test_jint(a3, "position"), 1);
        assert_string_equal(lp_test_jstr(a3, "order_slot"), "2026-11-24T05:00:00.000Z");
    }
    lp_test_resp_free(&r);
    r = events_of(f, "queue.no_show", T.visit[A3]);
    {
        const cJSON *after = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "items"), 0), "after");
        char at[40];
        assert_non_null(after);
        lp_time_format(called + 20 * FX_MIN + 1, at, sizeof at);
        assert_string_equal(lp_test_jstr(after, "at"), at);
        assert_int_equal(lp_test_jint(after, "no_shows"), 1);
    }
    lp_test_resp_free(&r);

    /* A2 reaches the gate in time: its passage is its arrival; A3 is called again. */
    fx_clock(f, f->now + 5 * FX_MIN);
    lp_test_resp_free((r = gate_arrival(f, plate_of[A2]), &r));
    r = queue_view(f, f->operator);
    assert_null(entry_of(r.json, plate_of[A2]));
    assert_string_equal(lp_test_jstr(entry_of(r.json, plate_of[A3]), "state"), "called");
    lp_test_resp_free(&r);

    /* Late a second time: removed, and B1 is called. */
    fx_clock(f, f->now + 20 * FX_MIN + 1);
    r = wait_state(f, plate_of[B1], "called");
    assert_null(entry_of(r.json, plate_of[A3]));
    lp_test_resp_free(&r);
    r = events_of(f, "queue.removed", T.visit[A3]);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "items")), 1);
    lp_test_resp_free(&r);
}

static void test_yard_exit_invoice_and_withdraw(void **state)
{
    yfx *f = *state;
    lp_test_resp r;
    char path[96];

    /* A1 is waiting: leaving the yard withdraws it; the visit's invoice is issued. */
    fx_clock(f, f->now + 5 * 60 * FX_MIN);
    r = fx_expect_read(f, YARD, "exit", plate_of[A1], 970, "exited");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "withdrawn_from_queue")));
    assert_int_equal(lp_test_jint(r.json, "visit_id"), T.visit[A1]);
    snprintf(path, sizeof path, "/api/v1/audit-events?object_type=invoice&object_id=%ld", lp_test_jint(r.json, "invoice_id"));
    lp_test_resp_free(&r);
    /* The invoice (its audit record, as company A sees it): the visit's,
     * 18 t of laptops on export, more than the four free hours in the yard. */
    r = fx_call(f, "GET", path, f->company_a, NULL);
    lp_test_expect(&r, 200);
    {
        const cJSON *inv = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "items"), 0), "after");
        const cJSON *line;
        int yard_line = 0;
        assert_non_null(inv);
        assert_string_equal(lp_test_jstr(inv, "subject_type"), "yard_visit");
        assert_int_equal(atol(lp_test_jstr(inv, "subject_id")), T.visit[A1]);
        assert_int_equal(lp_test_jint(inv, "company_id"), f->a);
        cJSON_ArrayForEach(line, cJSON_GetObjectItem(inv, "lines")) yard_line |= !strcmp(lp_test_jstr(line, "code"), "YARD");
        assert_true(yard_line);
        assert_true(lp_test_jint(inv, "total") > 400000);
    }
    lp_test_resp_free(&r);
    snprintf(path, sizeof path, "/api/v1/yard-visits/%ld", T.visit[A1]);
    r = fx_call(f, "GET", path, f->company_a, NULL);
    lp_test_expect(&r, 200);
    assert_string_equal(lp_test_jstr(r.json, "status"), "exited");
    assert_true(lp_test_jint(r.json, "yard_ms") > 5 * 60 * FX_MIN);
    assert_string_equal(lp_test_jstr(cJSON_GetObjectItem(r.json, "queue"), "state"), "withdrawn");
    lp_test_resp_free(&r);
    /* B1 is called: it leaves the yard for the gate and keeps its call. */
    r = fx_expect_read(f, YARD, "exit", plate_of[B1], 970, "exited");
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "withdrawn_from_queue")));
    lp_test_resp_free(&r);
    r = queue_view(f, f->operator);
    assert_string_equal(lp_test_jstr(entry_of(r.json, plate_of[B1]), "state"), "called");
    lp_test_resp_free(&r);

    /* Its gate passage opens the barrier (green, cleared) and it crosses:
     * the KPIs have its time from yard entry to exit. */
    fx_clock(f, f->now + 10 * FX_MIN);
    r = gate_arrival(f, plate_of[B1]);
    assert_string_equal(lp_test_jstr(r.json, "barrier"), "open");
    lp_test_resp_free(&r);
    snprintf(path, sizeof path, "/api/v1/declarations/%ld/exit", T.decl[B1]);
    fx_ok(fx_call(f, "POST", path, f->device, NULL), 200);
    r = fx_call(f, "GET", "/api/v1/kpis?crossing_point_id=huunghi-main", f->operator, NULL);
    lp_test_expect(&r, 200);
    {
        const cJSON *y = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "channels"), "green"),
                                             "yard_entry_to_exit_s");
        assert_int_equal(lp_test_jint(y, "n"), 1);
        assert_true(lp_test_jint(y, "mean") > 5 * 3600);
    }
    lp_test_resp_free(&r);
}

static void test_walk_ins_full_yard_and_odd_reads(void **state)
{
    yfx *f = *state;
    lp_test_resp r;
    long d;

    fx_ok(fx_call(f, "POST", "/api/v1/yards", f->operator,
                  "{\"id\":\"tiny\",\"crossing_point_id\":\"cocnam-1104\",\"direction\":\"export\",\"name\":\"Tiny\","
                  "\"bays\":{\"normal\":1,\"refrigerated\":0,\"dangerous\":1}}"),
          201);
    fx_ok(fx_call(f, "POST", "/api/v1/vehicles", f->company_a,
                  "{\"kind\":\"truck\",\"plate_country\":\"VN\",\"plate\":\"29C-301.01\",\"max_gross_kg\":30000}"),
          201);
    /* Without a booking and with walk-ins off: refused. */
    lp_test_resp_free((r = fx_expect_read(f, "tiny", "entry", "29C-301.01", 990, "refused_unknown_plate"), &r));
    fx_ok(fx_call(f, "PATCH", "/api/v1/settings/yard", f->operator, "{\"value\":{\"walk_ins\":true}}"), 200);
    r = fx_expect_read(f, "tiny", "entry", "29C-301.01", 990, "admitted");
    assert_string_equal(lp_test_jstr(cJSON_GetObjectItem(r.json, "queue"), "class"), "walk_in");
    lp_test_resp_free(&r);
    /* The only normal bay is taken. */
    lp_test_resp_free((r = fx_expect_read(f, "tiny", "entry", "29C-301.02", 990, "refused_full"), &r));
    /* Read again at once: a duplicate; a minute later: already inside. */
    lp_test_resp_free((r = fx_expect_read(f, "tiny", "entry", "29C-301.01", 990, "duplicate_read"), &r));
    fx_clock(f, f->now + 61 * 1000);
    lp_test_resp_free((r = fx_expect_read(f, "tiny", "entry", "29C-301.01", 990, "already_inside"), &r));
    lp_test_resp_free((r = fx_expect_read(f, "tiny", "entry", "29C-301.01", 400, "low_confidence"), &r));
    lp_test_resp_free((r = fx_expect_read(f, "tiny", "entry", "NOT A PLATE", 990, "low_confidence"), &r));
    lp_test_resp_free((r = fx_expect_read(f, "tiny", "exit", "29C-301.02", 990, "exit_without_entry"), &r));
    fx_clock(f, f->now + 60 * FX_MIN);
    r = fx_expect_read(f, "tiny", "exit", "29C-301.01", 990, "exited");
    assert_true(lp_test_jint(r.json, "invoice_id") > 0); /* the vehicle's company pays */
    lp_test_resp_free(&r);
    /* An entry read taken before that exit, arriving late, changes nothing. */
    r = fx_call(f, "POST", "/api/v1/yard-reads", f->device,
                "{\"yard_id\":\"tiny\",\"gate\":\"entry\",\"plate\":{\"text\":\"29C-301.01\",\"confidence\":990},"
                "\"read_at\":\"%" PRId64 "\"}",
                f->now - 10 * FX_MIN);
    lp_test_expect(&r, 201);
    assert_string_equal(lp_test_jstr(r.json, "outcome"), "out_of_order");
    lp_test_resp_free(&r);

    /* Dangerous goods take the dangerous bay, and only it. */
    d = fx_truck(f, 0, "29C-301.03", "cocnam-1104", "export", "36041000", NULL);
    fx_book(f, 0, d, 2);
    d = fx_truck(f, 0, "29C-301.04", "cocnam-1104", "export", "36041000", NULL);
    fx_book(f, 0, d, 2);
    r = fx_expect_read(f, "tiny", "entry", "29C-301.03", 990, "admitted");
    assert_string_equal(lp_test_jstr(r.json, "bay_id"), "D-001");
    lp_test_resp_free(&r);
    lp_test_resp_free((r = fx_expect_read(f, "tiny", "entry", "29C-301.04", 990, "refused_full"), &r));

    /* Every read is stored and audited. */
    r = fx_call(f, "GET", "/api/v1/yard-reads?yard_id=tiny&limit=100", f->operator, NULL);
    lp_test_expect(&r, 200);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "items")), 12);
    lp_test_resp_free(&r);
    r = fx_call(f, "GET", "/api/v1/audit-events?action=yard_read.create&limit=100", f->operator, NULL);
    lp_test_expect(&r, 200);
    assert_true(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "items")) >= 12);
    lp_test_resp_free(&r);
    fx_ok(fx_call(f, "PATCH", "/api/v1/settings/yard", f->operator, "{\"value\":{\"walk_ins\":false}}"), 200);
}

static void test_queue_survives_kill9(void **state)
{
    yfx *f = *state;
    lp_test_resp before, after;
    long d = fx_truck(f, 1, "29C-401.01", "huunghi-main", "export", "84713020", NULL);
    fx_book(f, 1, d, 2);
    fx_ok(fx_call(f, "PATCH", QUEUE "/lanes/1", f->operator, "{\"paused\":true}"), 200);
    lp_test_resp_free((before = fx_expect_read(f, YARD, "entry", "29C-401.01", 990, "admitted"), &before));
    before = queue_view(f, f->operator);
    lp_test_server_kill(&f->srv, SIGKILL);
    lp_test_server_restart(&f->srv);
    after = queue_view(f, f->operator);
    lp_test_assert_json(cJSON_GetObjectItem(after.json, "entries"),
                        cJSON_Duplicate(cJSON_GetObjectItem(before.json, "entries"), 1));
    lp_test_assert_json(cJSON_GetObjectItem(after.json, "lanes"),
                        cJSON_Duplicate(cJSON_GetObjectItem(before.json, "lanes"), 1));
    assert_int_equal(lp_test_jint(after.json, "state_version"), lp_test_jint(before.json, "state_version"));
    assert_int_equal(lp_test_jint(entry_of(after.json, "29C-401.01"), "position"), 1);
    lp_test_resp_free(&before);
    lp_test_resp_free(&after);
}

/* A booking missed by more than the grace (120 minutes after its hour) no
 * longer gives its early slot: without walk-ins the truck is refused. */
static void test_stale_booking(void **state)
{
    yfx *f = *state;
    lp_test_resp r;
    long d = fx_truck(f, 0, "29C-501.01", "huunghi-main", "export", "84713020", NULL);
    fx_book(f, 0, d, 2);
    fx_clock(f, f->now + 5 * FX_HOUR + 30 * FX_MIN); /* its hour began 2 h from now */
    r = fx_expect_read(f, YARD, "entry", "29C-501.01", 990, "refused_unknown_plate");
    lp_test_resp_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_priority_order_and_scoping),
        cmocka_unit_test(test_no_show_rule_and_gate_arrival),
        cmocka_unit_test(test_yard_exit_invoice_and_withdraw),
        cmocka_unit_test(test_walk_ins_full_yard_and_odd_reads),
        cmocka_unit_test(test_queue_survives_kill9),
        cmocka_unit_test(test_stale_booking),
    };
    return cmocka_run_group_tests(tests, setup, fx_teardown);
}
