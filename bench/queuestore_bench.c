/* queuestore_bench.c - figures for bench/queuestore.sh: the e-queue with a backlog
 * of N trucks waiting (default 5,000; the 2021 backlog was about 4,800).
 *
 *   lp_bench_queuestore DIR [N] [OPS]
 *
 * Store (SQLite in DIR, synchronous=FULL, each operation one transaction
 * that rebuilds the queue from its rows under the group's lock): a truck
 * joins and leaves the queue (lp_queuestore_add + lp_queuestore_yard_exit),
 * the view with every position and estimated wait (lp_queuestore_view),
 * and the tick that finds nothing to do.  References measured in the same
 * run: the same operations on the in-memory lp_queue (the pure core), and
 * the bare SELECT of the group's N rows, the floor of any rebuild. */
#include "core/queue.h"
#include "store/queuestore.h"
#include "store/store.h"
#include "os/sysclock.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T0 INT64_C(1795482600000)
#define GROUP "tanthanh-1090:export"

static int64_t bench_now = T0;
static int64_t now_fn(void *ud) { (void)ud; return bench_now; }
static int rnd_fn(void *ud, void *buf, size_t n) { (void)ud; memset(buf, 7, n); return 0; }

static const lp_actor OP = {"bench", LP_ROLE_OPERATOR, 0, NULL};

static void die(const char *what, const lp_err *err)
{
    fprintf(stderr, "lp_bench_queuestore: %s: %s\n", what, err ? err->msg : "");
    exit(1);
}

/* N waiting trucks written straight into the tables, in one transaction. */
static void fill(lp_store *st, int n)
{
    lp_err err;
    int i;
    lp_err_init(&err);
    if (lp_queuestore_lane_set(st, &OP, GROUP, 1, 1, -1, NULL, &err) ||
        lp_queuestore_lane_set(st, &OP, GROUP, 2, 1, -1, NULL, &err))
        die("pause lanes", &err);
    if (lp_store_begin(st, &err)) die("begin", &err);
    for (i = 1; i <= n; i++) {
        char plate[16];
        int cls = i % 10 == 0 ? 0 : 1;
        lp_db_val p[7] = {LP_DB_I(i), LP_DB_S(plate), LP_DB_S(cls ? "normal" : "perishable"),
                          LP_DB_I(T0 + (i % 48) * INT64_C(3600000)), LP_DB_I(T0 + i),
                          LP_DB_I(T0 + (i % 48) * INT64_C(3600000)), LP_DB_I(T0 + i)};
        snprintf(plate, sizeof plate, "29C-%03d.%02d", i / 100 % 1000, i % 100);
        if (lp_db_query(lp_store_db(st),
                        "INSERT INTO queue_entries (id, group_id, company_id, plate, class, slot_ms, arrival_ms,"
                        " booked_slot_ms, yard_arrival_ms, state, called_at_ms, lane, no_shows, created_at, updated_at)"
                        " VALUES (?, '" GROUP "', 1, ?, ?, ?, ?, ?, ?, 'waiting', 0, 0, 0, 0, 0)",
                        p, 7, NULL, &err))
            die("insert", &err);
    }
    if (lp_store_commit(st, &err)) die("commit", &err);
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : ".";
    int n = argc > 2 ? atoi(argv[2]) : 5000, ops = argc > 3 ? atoi(argv[3]) : 200, i;
    lp_clock ck = {now_fn, rnd_fn, NULL};
    char url[1100];
    lp_store *st = NULL;
    lp_err err;
    double t, store_pair, store_view, store_tick, core_pair, core_view, select_rows;

    if (n < 1 || ops < 1) {
        fprintf(stderr, "usage: lp_bench_queuestore DIR [N] [OPS]\n");
        return 2;
    }
    lp_err_init(&err);
    snprintf(url, sizeof url, "%s/queue.db", dir);
    if (lp_store_open(url, &ck, &st, &err) || lp_store_migrate(st, NULL, NULL, &err)) die("open", &err);
    fill(st, n);

    /* Store: join and leave (two transactions), view, idle tick. */
    t = lp_monotonic();
    for (i = 0; i < ops; i++) {
        lp_queuestore_truck tr = {"tanthanh-1090", "export", 1000000 + i, 1, "29C-999.99", LP_QUEUE_NORMAL,
                                  T0 + 10 * INT64_C(3600000), bench_now};
        if (lp_queuestore_add(st, &OP, &tr, NULL, NULL, &err)) die("add", &err);
        if (lp_queuestore_yard_exit(st, &OP, tr.visit_id, NULL, &err)) die("exit", &err);
        bench_now += 1000;
    }
    store_pair = (lp_monotonic() - t) / ops;
    t = lp_monotonic();
    for (i = 0; i < ops / 4 + 1; i++) {
        cJSON *v = NULL;
        if (lp_queuestore_view(st, GROUP, 0, &v, &err)) die("view", &err);
        cJSON_Delete(v);
    }
    store_view = (lp_monotonic() - t) / (ops / 4 + 1);
    t = lp_monotonic();
    for (i = 0; i < ops; i++)
        if (lp_queuestore_tick(st, &OP, NULL, &err)) die("tick", &err);
    store_tick = (lp_monotonic() - t) / ops;
    t = lp_monotonic();
    for (i = 0; i < ops; i++) {
        lp_db_res *r = NULL;
        if (lp_db_query(lp_store_db(st),
                        "SELECT id, company_id, plate, class, slot_ms, arrival_ms, booked_slot_ms, yard_arrival_ms,"
                        " state, called_at_ms, lane, no_shows FROM queue_entries WHERE group_id = ?"
                        " AND state IN ('waiting', 'called') ORDER BY id",
                        (lp_db_val[]){LP_DB_S(GROUP)}, 1, &r, &err))
            die("select", &err);
        lp_db_res_free(r);
    }
    select_rows = (lp_monotonic() - t) / ops;

    /* Core: the same backlog in memory. */
    {
        lp_queue_config c;
        lp_queue *q = NULL;
        lp_queue_pos *pos = malloc((size_t)(n + 1) * sizeof *pos);
        int k, reps = ops * 100;
        lp_queue_config_default(&c);
        c.nlanes = 2;
        lp_queue_create(&c, &q);
        lp_queue_lane_pause(q, 0, 1);
        lp_queue_lane_pause(q, 1, 1);
        for (i = 1; i <= n; i++)
            lp_queue_add(q, i, i % 10 == 0 ? LP_QUEUE_PERISHABLE : LP_QUEUE_NORMAL, T0 + (i % 48) * INT64_C(3600000),
                         T0 + i);
        t = lp_monotonic();
        for (i = 0; i < reps; i++) {
            lp_queue_add(q, 1000000 + i, LP_QUEUE_NORMAL, T0 + 10 * INT64_C(3600000), T0 + n + i);
            lp_queue_withdraw(q, 1000000 + i, T0 + n + i, NULL);
        }
        core_pair = (lp_monotonic() - t) / reps;
        t = lp_monotonic();
        for (i = 0; i < reps / 10; i++) lp_queue_positions(q, pos, n + 1, &k);
        core_view = (lp_monotonic() - t) / (reps / 10);
        lp_queue_destroy(q);
        free(pos);
    }

    printf("e-queue with %d trucks waiting (SQLite, synchronous=FULL)\n", n);
    printf("  store: join + leave        %8.3f ms  (%6.0f operations/s, each its own transaction)\n",
           store_pair * 1000 / 2, 2 / store_pair);
    printf("  store: view, all positions %8.3f ms\n", store_view * 1000);
    printf("  store: idle tick           %8.3f ms\n", store_tick * 1000);
    printf("  ref:   SELECT of the rows  %8.3f ms  (the floor of a rebuild)\n", select_rows * 1000);
    printf("  ref:   core join + leave   %8.4f ms  (in memory)\n", core_pair * 1000 / 2);
    printf("  ref:   core positions      %8.4f ms  (in memory, all %d)\n", core_view * 1000, n);
    printf("  ratio: store op / SELECT %.1f, store op / core op %.0f, store view / core positions %.0f\n",
           store_pair / 2 / select_rows, store_pair / core_pair, store_view / core_view);
    lp_store_close(st);
    return 0;
}
