/* gate_bench.c - figures for bench/gate.sh: the gate decision in process,
 * and the database the HTTP half of gate.sh runs against.
 *
 *   lp_bench_gate decide [CALLS]        decisions/s and p50/p99 latency of
 *                                       lp_gate_decide (OPEN and HOLD inputs)
 *                                       next to a reference measured in the
 *                                       same run
 *   lp_bench_gate prepare DB N          N cleared green declarations (plates
 *                                       29C-000.01 ...) + one held by seals,
 *                                       with tasks and crossing records
 *   lp_bench_gate count DB              passages by decision
 *
 * The reference is what any matcher has to do at least: copy the input
 * (struct assignment) and compare plate, trailer, every declared container
 * with every container read and every declared seal with every seal read
 * using plain strcmp.  lp_gate_decide does that work with its canonical
 * comparison (case, spaces, punctuation) plus the approvals, limits and
 * weight checks, and writes the reasons when it holds. */
#include "core/gatecheck.h"

#include <inttypes.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Inputs ------------------------------------------------------------------------ */

/* A truck with plate, trailer, two containers of two seals each, weighed,
 * green, customs and border guard approved: everything matches. */
static void open_input(lp_gate_input *in)
{
    static const char *const seals_read[] = {"VNSEAL102-2", "VNSEAL101-1", "VNSEAL102-1", "VNSEAL101-2"};
    int i;
    memset(in, 0, sizeof *in);
    in->expect.plate = "29C-123.45";
    in->expect.trailer = "29R-012.34";
    in->expect.ncontainers = 2;
    in->expect.containers[0].number = "CSQU3054383";
    in->expect.containers[0].seals[0] = "VNSEAL101-1";
    in->expect.containers[0].seals[1] = "VNSEAL101-2";
    in->expect.containers[0].nseals = 2;
    in->expect.containers[1].number = "MSKU1234565";
    in->expect.containers[1].seals[0] = "VNSEAL102-1";
    in->expect.containers[1].seals[1] = "VNSEAL102-2";
    in->expect.containers[1].nseals = 2;
    in->expect.goods_g = 24000500;
    in->expect.tare_g = 14000000;
    in->expect.tol_permille = 20;
    in->expect.tol_g = 200000;
    in->expect.weight_required = 1;
    in->approvals[LP_GATE_CUSTOMS] = (lp_gate_approval){1, LP_GATE_ST_APPROVED};
    in->approvals[LP_GATE_BORDER_GUARD] = (lp_gate_approval){1, LP_GATE_ST_APPROVED};
    in->channel = LP_RISK_GREEN;
    in->read.plate = (lp_gate_ocr){"29C 123.45", 960};
    in->read.trailer = (lp_gate_ocr){"29R-01234", 955};
    in->read.ncontainers = 2;
    in->read.containers[0] = (lp_gate_ocr){"CSQU 305438-3", 930};
    in->read.containers[1] = (lp_gate_ocr){"MSKU1234565", 925};
    for (i = 0; i < 4; i++) in->read.seals[i] = seals_read[i];
    in->read.nseals = 4;
    in->read.gross_g = 38120500;
    in->min_plate_confidence = 900;
    in->min_ocr_confidence = 850;
}

/* The same truck with a misread plate, a seal not read and a foreign seal:
 * three reasons, formatted. */
static void hold_input(lp_gate_input *in)
{
    open_input(in);
    in->read.plate.text = "29C-123.46";
    in->read.seals[3] = "VNSEAL999-9";
}

/* The reference: struct copy + plain strcmp of every pair a matcher looks at. */
static volatile int sink;

static int __attribute__((noinline)) reference(const lp_gate_input *src)
{
    lp_gate_input in = *src;
    int i, j, s, k, hits = 0;
    hits += strcmp(in.expect.plate, in.read.plate.text) == 0;
    hits += strcmp(in.expect.trailer, in.read.trailer.text) == 0;
    for (i = 0; i < in.expect.ncontainers; i++) {
        for (j = 0; j < in.read.ncontainers; j++)
            hits += strcmp(in.expect.containers[i].number, in.read.containers[j].text) == 0;
        for (s = 0; s < in.expect.containers[i].nseals; s++)
            for (k = 0; k < in.read.nseals; k++) hits += strcmp(in.expect.containers[i].seals[s], in.read.seals[k]) == 0;
    }
    return hits;
}

/* Measuring ---------------------------------------------------------------------- */

typedef struct figures {
    double per_s, p50_us, p99_us;
} figures;

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* Throughput: calls back to back; latency: each call timed on its own
 * (clock_gettime pairs, whose own cost is printed as the timer line). */
static figures measure(int which, const lp_gate_input *in, long calls, int64_t *lat)
{
    lp_gate_result res;
    figures f;
    double t0;
    long i;

    t0 = now_s();
    for (i = 0; i < calls; i++) {
        if (which == 0) lp_gate_decide(in, &res);
        else if (which == 1) sink = reference(in);
    }
    f.per_s = (double)calls / (now_s() - t0);
    for (i = 0; i < calls; i++) {
        int64_t a = now_ns();
        if (which == 0) lp_gate_decide(in, &res);
        else if (which == 1) sink = reference(in);
        lat[i] = now_ns() - a;
    }
    qsort(lat, (size_t)calls, sizeof *lat, cmp_i64);
    f.p50_us = (double)lat[calls / 2] / 1000.0;
    f.p99_us = (double)lat[calls * 99 / 100] / 1000.0;
    if (which == 2) f.per_s = 0;
    return f;
}

static void line(const char *name, figures f)
{
    if (f.per_s > 0)
        printf("%-44s %12.0f /s   p50 %7.3f us   p99 %7.3f us\n", name, f.per_s, f.p50_us, f.p99_us);
    else
        printf("%-44s %15s   p50 %7.3f us   p99 %7.3f us\n", name, "", f.p50_us, f.p99_us);
}

static int decide_main(long calls)
{
    lp_gate_input open_in, hold_in;
    lp_gate_result res;
    int64_t *lat = malloc((size_t)calls * sizeof *lat);
    figures od, hd, orf, hrf, timer;

    if (!lat) return 1;
    open_input(&open_in);
    hold_input(&hold_in);
    if (lp_gate_decide(&open_in, &res) != 0 || res.decision != LP_GATE_OPEN) {
        fprintf(stderr, "lp_bench_gate: the OPEN input does not open (%s)\n", res.nreasons ? res.reasons[0].msg : "?");
        return 1;
    }
    lp_gate_decide(&hold_in, &res);
    if (res.decision != LP_GATE_HOLD || res.nreasons != 3) {
        fprintf(stderr, "lp_bench_gate: the HOLD input gives %d reasons, not 3\n", res.nreasons);
        return 1;
    }
    printf("in process, %ld calls per line, one thread\n", calls);
    od = measure(0, &open_in, calls, lat);
    line("lp_gate_decide OPEN (2 containers, 4 seals)", od);
    hd = measure(0, &hold_in, calls, lat);
    line("lp_gate_decide HOLD (plate + 2 seal reasons)", hd);
    orf = measure(1, &open_in, calls, lat);
    line("reference: copy + strcmp pairs (OPEN input)", orf);
    hrf = measure(1, &hold_in, calls, lat);
    line("reference: copy + strcmp pairs (HOLD input)", hrf);
    timer = measure(2, &open_in, calls, lat);
    line("timer alone (in every p50/p99 above)", timer);
    printf("ratio decide/reference throughput: OPEN %.2f   HOLD %.2f\n", od.per_s / orf.per_s, hd.per_s / hrf.per_s);
    free(lat);
    return 0;
}

/* The HTTP bench's database ------------------------------------------------------- */

static int exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "lp_bench_gate: %s\n", msg ? msg : "?");
        sqlite3_free(msg);
        return 1;
    }
    return 0;
}

/* Declarations 1..n: cleared, green, plate 29C-ddd.dd of i, two containers
 * with two seals, customs and border guard approved.  Declaration n+1
 * (plate 29C-999.99) is the same truck whose seals the HOLD run misreads. */
static int prepare_main(const char *path, long n)
{
    static const char decl_sql[] =
        "INSERT INTO declarations (company_id, number, direction, crossing_point_id, transport, vehicle_plate,"
        " trailer_plate, expected_arrival, currency, containers, goods, totals, status, channel, channel_source,"
        " risk_seed, risk_algo, risk, needs_quarantine, valid_until, amendments, version, created_at, updated_at)"
        " VALUES (1, ?1, 'export', 'huunghi-main', 'truck', ?2, NULL, ?3, 'USD',"
        " '[{\"number\":\"CSQU3054383\",\"seals\":[\"VNSEAL101-1\",\"VNSEAL101-2\"]},"
        "{\"number\":\"MSKU1234565\",\"seals\":[\"VNSEAL102-1\",\"VNSEAL102-2\"]}]',"
        " '[{\"hs_code\":\"08109010\",\"description\":\"Fresh durian\",\"packages\":1200,"
        "\"gross_weight_kg\":24000.5,\"value\":48000,\"origin\":\"VN\"}]',"
        " '{\"packages\":1200,\"gross_weight_kg\":24000.5,\"value\":48000}', 'cleared', 'green', 'risk',"
        " 'bench', 1, '{}', 0, ?4, 0, 1, ?3, ?3)";
    static const char task_sql[] =
        "INSERT INTO tasks (declaration_id, company_id, agency, kind, state, details, version, created_at, updated_at)"
        " VALUES (?1, 1, ?2, ?3, 'approved', '{}', 1, ?4, ?4)";
    static const char crossing_sql[] =
        "INSERT INTO crossings (declaration_id, company_id, crossing_point_id, direction, channel, filed_at,"
        " cleared_at, version, created_at, updated_at) VALUES (?1, 1, 'huunghi-main', 'export', 'green', ?2, ?2, 1, ?2, ?2)";
    sqlite3 *db = NULL;
    sqlite3_stmt *d = NULL, *t = NULL, *c = NULL;
    int64_t now = (int64_t)time(NULL) * 1000;
    long i;
    int rc = 1;

    if (n < 1 || n > 99998) {
        fprintf(stderr, "lp_bench_gate: N must be 1..99998\n");
        return 2;
    }
    if (sqlite3_open(path, &db) != SQLITE_OK) goto out;
    if (exec(db, "BEGIN") ||
        exec(db, "INSERT INTO companies (id, name, country, tax_id, kinds, status, version, created_at, updated_at)"
                 " VALUES (1, 'Bench Export Co', 'VN', '0100109106', '[]', 'active', 1, 0, 0)"))
        goto out;
    if (sqlite3_prepare_v2(db, decl_sql, -1, &d, NULL) || sqlite3_prepare_v2(db, task_sql, -1, &t, NULL) ||
        sqlite3_prepare_v2(db, crossing_sql, -1, &c, NULL))
        goto out;
    for (i = 1; i <= n + 1; i++) {
        char number[32], plate[48];
        int64_t id;
        long k = i <= n ? i : 99999;
        int a;
        snprintf(number, sizeof number, "9%011ld", i);
        snprintf(plate, sizeof plate, "29C-%03ld.%02ld", k / 100, k % 100);
        sqlite3_bind_text(d, 1, number, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(d, 2, plate, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(d, 3, now);
        sqlite3_bind_int64(d, 4, now + 72 * 3600 * INT64_C(1000));
        if (sqlite3_step(d) != SQLITE_DONE) goto out;
        sqlite3_reset(d);
        id = sqlite3_last_insert_rowid(db);
        for (a = 0; a < 2; a++) {
            sqlite3_bind_int64(t, 1, id);
            sqlite3_bind_text(t, 2, a ? "border_guard" : "customs", -1, SQLITE_STATIC);
            sqlite3_bind_text(t, 3, a ? "vehicle_driver_check" : "risk_release", -1, SQLITE_STATIC);
            sqlite3_bind_int64(t, 4, now);
            if (sqlite3_step(t) != SQLITE_DONE) goto out;
            sqlite3_reset(t);
        }
        sqlite3_bind_int64(c, 1, id);
        sqlite3_bind_int64(c, 2, now);
        if (sqlite3_step(c) != SQLITE_DONE) goto out;
        sqlite3_reset(c);
    }
    if (exec(db, "COMMIT")) goto out;
    rc = 0;
out:
    if (rc) fprintf(stderr, "lp_bench_gate: prepare failed: %s\n", db ? sqlite3_errmsg(db) : "cannot open");
    sqlite3_finalize(d);
    sqlite3_finalize(t);
    sqlite3_finalize(c);
    sqlite3_close(db);
    return rc;
}

static int count_main(const char *path)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int rc = 1;
    if (sqlite3_open(path, &db) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT decision, COUNT(*) FROM gate_passages GROUP BY decision ORDER BY decision", -1,
                           &st, NULL) != SQLITE_OK)
        goto out;
    printf("passages stored:");
    while (sqlite3_step(st) == SQLITE_ROW)
        printf(" %s %lld", (const char *)sqlite3_column_text(st, 0), (long long)sqlite3_column_int64(st, 1));
    printf("\n");
    rc = 0;
out:
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "decide") == 0) return decide_main(argc > 2 ? atol(argv[2]) : 1000000);
    if (argc == 4 && strcmp(argv[1], "prepare") == 0) return prepare_main(argv[2], atol(argv[3]));
    if (argc == 3 && strcmp(argv[1], "count") == 0) return count_main(argv[2]);
    fprintf(stderr, "usage: lp_bench_gate decide [CALLS] | prepare DB N | count DB\n");
    return 2;
}
