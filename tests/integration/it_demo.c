/* it_demo.c - `landport demo` as a newcomer runs it, at 60x on a free
 * port from 18:28, just before the AGV window: the tokens it prints work
 * for their roles, the traffic generator's declarations, yard reads,
 * officers' decisions and crossings at km 0 show up through the API, an
 * AGV carries a cleared import declaration from the China yard to the
 * Vietnamese yard and is released at the inspection stop by the demo's
 * border guard, and SIGINT (Ctrl-C) stops it with exit status 0 and none of
 * its children (server, mosquitto, agv-sim) left.  Asserts counts > 0 only:
 * the evening is random. */
#include "testlib.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define WAIT_ROUNDS 240 /* of 250 ms: the bound on every wait below */

static const char *const roles[] = {"operator", "customs", "border_guard", "quarantine",
                                    "company",  "device",  "partner",      "admin"};
#define NROLES (sizeof roles / sizeof roles[0])

typedef struct demo_run {
    pid_t pid;
    char *dir, out[600], err[600];
    lp_test_server srv; /* base and port only: the demo's server */
    char token[NROLES][128];
} demo_run;

static void nap(void)
{
    struct timespec ts = {0, 250 * 1000 * 1000};
    nanosleep(&ts, NULL);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    char *buf;
    size_t n;
    if (!f) return NULL;
    buf = calloc(1, 65536);
    assert_non_null(buf);
    n = fread(buf, 1, 65535, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* Reads the URL and the tokens from the demo's stdout; 1 when all are there. */
static int parse_banner(demo_run *d)
{
    char *s = slurp(d->out), *p;
    size_t i;
    int port = 0, ok = 1;
    if (!s) return 0;
    p = strstr(s, "Dashboard: http://127.0.0.1:");
    if (!p || sscanf(p, "Dashboard: http://127.0.0.1:%d/", &port) != 1) ok = 0;
    for (i = 0; ok && i < NROLES; i++) {
        char key[32];
        snprintf(key, sizeof key, "\n  %-13s ", roles[i]);
        p = strstr(s, key);
        if (!p || sscanf(p + strlen(key), "%127s", d->token[i]) != 1) ok = 0;
    }
    free(s);
    if (ok) {
        d->srv.port = port;
        snprintf(d->srv.base, sizeof d->srv.base, "http://127.0.0.1:%d", port);
    }
    return ok;
}

static void start_demo(demo_run *d)
{
    char db[600], web[600];
    int i;
    d->dir = lp_test_mkdtemp("demo");
    snprintf(d->out, sizeof d->out, "%s/out.txt", d->dir);
    snprintf(d->err, sizeof d->err, "%s/err.txt", d->dir);
    snprintf(db, sizeof db, "%s/demo.db", d->dir);
    snprintf(web, sizeof web, "%s/web", LP_SOURCE_DIR);
    d->pid = fork();
    assert_true(d->pid >= 0);
    if (d->pid == 0) {
        int o = open(d->out, O_WRONLY | O_CREAT | O_TRUNC, 0644), e = open(d->err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(o, 1);
        dup2(e, 2);
        execl(LP_TEST_BINARY, LP_TEST_BINARY, "demo", "--db", db, "--listen", "127.0.0.1:0", "--speed", "60", "--agvs",
              "3", "--trucks-per-hour", "60", "--seed", "7", "--web-root", web, "--start",
              "2026-11-23T18:28:00+07:00", (char *)NULL);
        _exit(127);
    }
    for (i = 0; i < WAIT_ROUNDS && !parse_banner(d); i++) {
        if (waitpid(d->pid, NULL, WNOHANG) == d->pid) {
            char *e = slurp(d->err);
            d->pid = 0;
            fail_msg("landport demo exited at start: %s", e ? e : "");
        }
        nap();
    }
    if (i == WAIT_ROUNDS) fail_msg("landport demo printed no URL and tokens");
}

/* The pids whose parent is pid (from /proc), up to max; returns how many. */
static int children_of(pid_t pid, pid_t *out, int max)
{
    DIR *dir = opendir("/proc");
    struct dirent *e;
    int n = 0;
    assert_non_null(dir);
    while ((e = readdir(dir)) && n < max) {
        char path[300], buf[512], *rp;
        FILE *f;
        int ppid;
        long p = strtol(e->d_name, &rp, 10);
        if (*rp || p <= 0) continue;
        snprintf(path, sizeof path, "/proc/%ld/stat", p);
        if (!(f = fopen(path, "r"))) continue;
        if (fgets(buf, sizeof buf, f) && (rp = strrchr(buf, ')')) && sscanf(rp + 2, "%*c %d", &ppid) == 1 &&
            ppid == pid)
            out[n++] = (pid_t)p;
        fclose(f);
    }
    closedir(dir);
    return n;
}

/* Items of GET path with token (0 when the answer is not 200). */
static int count(demo_run *d, const char *path, const char *token)
{
    lp_test_resp r = lp_test_http(&d->srv, "GET", path, token, NULL, NULL);
    int n = r.status == 200 ? cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "items")) : 0;
    lp_test_resp_free(&r);
    return n;
}

/* 1 when a mission of the demo carried a declaration end to end: completed
 * China yard -> Vietnamese yard, released at the inspection stop by the
 * demo's border guard, its declaration cleared by the demo's officers. */
static int agv_crossed(demo_run *d)
{
    lp_test_resp r = lp_test_http(&d->srv, "GET", "/api/v1/agv-missions?state=completed", d->token[0], NULL, NULL);
    const cJSON *m;
    int ok = 0;
    if (r.status == 200) cJSON_ArrayForEach(m, cJSON_GetObjectItem(r.json, "items")) {
        const cJSON *decl = cJSON_GetObjectItem(m, "declaration_id");
        char path[96];
        lp_test_resp dr;
        if (ok || strcmp(lp_test_jstr(m, "from_zone"), "china_yard") || strcmp(lp_test_jstr(m, "to_zone"), "vn_yard"))
            continue;
        assert_string_equal(lp_test_jstr(m, "released_by"), "demo-border_guard");
        assert_true(cJSON_GetNumberValue(cJSON_GetObjectItem(m, "distance_m")) > 2000);
        if (cJSON_IsString(decl)) snprintf(path, sizeof path, "/api/v1/declarations/%s", decl->valuestring);
        else snprintf(path, sizeof path, "/api/v1/declarations/%.0f", cJSON_GetNumberValue(decl));
        dr = lp_test_http(&d->srv, "GET", path, d->token[0], NULL, NULL);
        lp_test_expect(&dr, 200);
        assert_string_equal(lp_test_jstr(dr.json, "transport"), "agv");
        { /* cleared by the demo's officers (or further on, should the fleet move it on) */
            const char *st = lp_test_jstr(dr.json, "status");
            assert_non_null(st);
            if (!strcmp(st, "pending") || !strcmp(st, "held") || !strcmp(st, "rejected") || !strcmp(st, "cancelled"))
                fail_msg("declaration of an AGV mission that crossed is %s", st);
        }
        lp_test_resp_free(&dr);
        ok = 1;
    }
    lp_test_resp_free(&r);
    return ok;
}

static void test_demo_plays_the_evening_and_stops_clean(void **state)
{
    demo_run d;
    pid_t kids[16];
    int nkids, i, status = -1, decl = 0, reads = 0, decided = 0, crossed = 0, agv = 0, booked = 0;
    (void)state;
    memset(&d, 0, sizeof d);
    start_demo(&d);

    /* Every printed token is accepted, in its role. */
    for (i = 0; i < (int)NROLES; i++) {
        lp_test_resp r = lp_test_http(&d.srv, "GET", "/api/v1/whoami", d.token[i], NULL, NULL);
        lp_test_expect(&r, 200);
        assert_string_equal(lp_test_jstr(r.json, "role"), roles[i]);
        lp_test_resp_free(&r);
    }

    /* The server, mosquitto and agv-sim are its children. */
    nkids = children_of(d.pid, kids, 16);
    assert_int_equal(nkids, 3);

    /* The evening shows through the API (bounded wait; at 60x a virtual
     * hour is a minute). */
    for (i = 0; i < WAIT_ROUNDS && !(decl && reads && decided && crossed && booked); i++) {
        decl = count(&d, "/api/v1/declarations?limit=5", d.token[0]);
        booked = count(&d, "/api/v1/bookings?limit=5", d.token[0]); /* trucks book their slots */
        reads = count(&d, "/api/v1/yard-reads?yard_id=huu-nghi-export&outcome=admitted&limit=5", d.token[0]);
        decided = count(&d, "/api/v1/audit-events?action=task.decide&limit=5", d.token[0]);
        crossed = count(&d, "/api/v1/crossings?limit=5", d.token[6]);
        nap();
    }
    if (!(decl && reads && decided && crossed && booked))
        fail_msg("after the wait: declarations %d, bookings %d, yard entries %d, decisions %d, crossings %d", decl,
                 booked, reads, decided, crossed);
    /* An AGV crossing of the 18:30 window, end to end (at 60x the trip with
     * its inspection takes well under a minute). */
    for (i = 0; i < WAIT_ROUNDS && !(agv = agv_crossed(&d)); i++) nap();
    if (!agv) fail_msg("no AGV mission of the demo completed China yard -> Vietnamese yard");
    /* The company token sees its own declarations. */
    assert_true(count(&d, "/api/v1/declarations?limit=5", d.token[4]) >= 0);

    /* Ctrl-C: exit 0, every child gone (reaped by the demo, not orphaned). */
    assert_int_equal(kill(d.pid, SIGINT), 0);
    for (i = 0; i < WAIT_ROUNDS && waitpid(d.pid, &status, WNOHANG) != d.pid; i++) nap();
    if (i == WAIT_ROUNDS) {
        kill(d.pid, SIGKILL);
        waitpid(d.pid, &status, 0);
        fail_msg("landport demo did not stop on SIGINT");
    }
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    for (i = 0; i < nkids; i++) {
        errno = 0;
        assert_int_equal(kill(kids[i], 0), -1);
        assert_int_equal(errno, ESRCH);
    }
    {
        char *out = slurp(d.out);
        assert_non_null(out);
        assert_non_null(strstr(out, "crossed")); /* plain status lines, stdout is not a TTY */
        assert_non_null(strstr(out, "AGV missions: "));
        assert_non_null(strstr(out, "leaves the China yard with ")); /* a line per AGV event */
        free(out);
    }
    lp_test_rmtree(d.dir);
    free(d.dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_demo_plays_the_evening_and_stops_clean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
