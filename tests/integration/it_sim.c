/* it_sim.c - `landport sim` as a user runs it: usage errors (exit 2), a bad
 * scenario file reported by JSON pointer (exit 1), a run that prints the
 * table and writes CSV and SVG files, and determinism by seed: the same
 * seed gives byte-identical CSV, another seed different figures. */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TODAY LP_SOURCE_DIR "/scenarios/today.json"

/* Runs `landport CMD` where cmd is a printf format of the arguments
 * separated by single spaces (no argument here holds a space; at most 15);
 * checks the exit status and that stdout / stderr contain the needles
 * (NULL: no check). */
__attribute__((format(printf, 4, 5)))
static void expect(int want, const char *needle_out, const char *needle_err, const char *fmt, ...)
{
    char line[4096], *a[16] = {0}, *save = NULL, *out = NULL, *err = NULL;
    va_list ap;
    int n = 0, rc;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    for (a[n] = strtok_r(line, " ", &save); a[n] && n < 15; a[++n] = strtok_r(NULL, " ", &save)) {}
    rc = lp_test_run(&out, &err, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11],
                     a[12], a[13], a[14], NULL);
    if (rc != want || (needle_out && !strstr(out, needle_out)) || (needle_err && !strstr(err, needle_err)))
        print_error("landport %s: exit %d\nstdout: %s\nstderr: %s\n", fmt, rc, out, err);
    assert_int_equal(rc, want);
    assert_true(!needle_out || strstr(out, needle_out));
    assert_true(!needle_err || strstr(err, needle_err));
    free(out);
    free(err);
}

static char *slurp(const char *dir, const char *name)
{
    char p[1024];
    FILE *f;
    long n;
    char *s;
    snprintf(p, sizeof p, "%s/%s", dir, name);
    f = fopen(p, "rb");
    if (!f) lp_test_fail("cannot open %s", p);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    s = calloc(1, (size_t)n + 1);
    assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    return s;
}

/* Writes text to dir/bad.json and its path into path. */
static void put_file(char *path, size_t n, const char *dir, const char *text)
{
    FILE *f;
    snprintf(path, n, "%s/bad.json", dir);
    assert_non_null(f = fopen(path, "w"));
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static void test_usage(void **state)
{
    (void)state;
    expect(0, "usage: landport sim", NULL, "sim --help");
    expect(2, NULL, "--scenario FILE is required", "sim");
    expect(2, NULL, "--days must be 1..3650", "sim --scenario %s --days 0", TODAY);
    expect(2, NULL, "--replications must be", "sim --scenario %s --replications x", TODAY);
    expect(2, NULL, "--seed must be", "sim --scenario %s --seed -3", TODAY);
    expect(2, NULL, "unknown option", "sim --scenario %s --colour", TODAY);
    expect(2, NULL, "unexpected argument", "sim --scenario %s extra", TODAY);
}

static void test_bad_scenario(void **state)
{
    char *dir = lp_test_mkdtemp("it_sim");
    char path[1024];
    (void)state;
    expect(1, NULL, "cannot read", "sim --scenario %s/scenarios/none.json", LP_SOURCE_DIR);
    put_file(path, sizeof path, dir, "{\"lanes\": {\"export\": {\"count\": 40}}, \"agv\": {\"fleet\": \"six\"}}");
    expect(1, NULL, "/agv/fleet: must be an integer", "sim --scenario %s", path);
    put_file(path, sizeof path, dir, "{\"lanes\": {\"export\": {\"count\": 40}}}");
    expect(1, NULL, "/lanes/export/count: must be 0..16", "sim --scenario %s", path);
    put_file(path, sizeof path, dir, "{\"lanes\": ");
    expect(1, NULL, "(document): the scenario must be a JSON object", "sim --scenario %s", path);
    lp_test_rmtree(dir);
    free(dir);
}

static void run_into(const char *dir, const char *seed)
{
    expect(0, "throughput_per_day", NULL, "sim --scenario %s --days 1 --replications 2 --seed %s --out %s --csv --svg",
           TODAY, seed, dir);
}

static void test_run_and_determinism(void **state)
{
    char *base = lp_test_mkdtemp("it_sim");
    char a[1024], b[1024], c[1024];
    const char *files[] = {"summary.csv", "queue.csv", "wait.csv", "queue.svg", "wait.svg", "utilisation.svg"};
    size_t i;
    (void)state;
    snprintf(a, sizeof a, "%s/a", base);
    snprintf(b, sizeof b, "%s/b", base);
    snprintf(c, sizeof c, "%s/c", base);
    run_into(a, "3");
    run_into(b, "3");
    run_into(c, "4");
    for (i = 0; i < sizeof files / sizeof *files; i++) {
        char *x = slurp(a, files[i]), *y = slurp(b, files[i]);
        assert_string_equal(x, y); /* byte-identical */
        if (strstr(files[i], ".svg")) {
            assert_true(!strncmp(x, "<svg", 4));
            assert_non_null(strstr(x, "</svg>"));
        }
        free(x);
        free(y);
    }
    {
        char *x = slurp(a, "summary.csv"), *z = slurp(c, "summary.csv");
        const char *head = "metric,unit,mean,ci95_half_width,min,max,replications\n";
        assert_true(!strncmp(x, head, strlen(head)));
        assert_non_null(strstr(x, "\nthroughput_per_day,trucks/day,"));
        assert_non_null(strstr(x, "\nagv_trips_per_window,containers,"));
        assert_string_not_equal(x, z);
        free(x);
        free(z);
    }
    lp_test_rmtree(base);
    free(base);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_usage),
        cmocka_unit_test(test_bad_scenario),
        cmocka_unit_test(test_run_and_determinism),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
