/* cmd_sim.c - landport sim: the digital twin for capacity planning.  Reads
 * a scenario file, runs the replications (src/sim/run.c), prints the table
 * and writes CSV and SVG files on request.  A progress bar goes to stderr
 * when it is a terminal. */
#include "cli.h"
#include "../core/mem.h"
#include "../sim/report.h"
#include "../sim/run.h"
#include "../sim/scenario.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage[] =
    "usage: landport sim --scenario FILE [--days N] [--replications R] [--seed S]\n"
    "                    [--out DIR] [--csv] [--svg]\n"
    "  Simulates the gate of the scenario (JSON; see scenarios/) and prints throughput,\n"
    "  waits, utilisation and AGV trips with 95% confidence intervals over R replications.\n"
    "  --days N          days to simulate after the warm-up (1-3650; scenario or 30)\n"
    "  --replications R  independent runs (1-1000; scenario or 10)\n"
    "  --seed S          seed of replication 1 (scenario or 1); same seed, same output\n"
    "  --out DIR         where --csv and --svg write (created; default .)\n"
    "  --csv             summary.csv, queue.csv, wait.csv\n"
    "  --svg             queue.svg, wait.svg, utilisation.svg\n";

typedef struct sim_args {
    const char *scenario, *out;
    long days, reps;
    unsigned long long seed;
    int has_seed, csv, svg;
} sim_args;

static int bad(const char *fmt, const char *what)
{
    fprintf(stderr, "landport sim: ");
    fprintf(stderr, fmt, what);
    fprintf(stderr, "\n%s", usage);
    return 2;
}

static int number(const char *s, long lo, long hi, long *out)
{
    char *end;
    long v;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi) return -1;
    *out = v;
    return 0;
}

/* Returns 0, 2 (usage error, printed) or -1 (--help, printed). */
static int parse(int argc, char **argv, sim_args *a)
{
    static const struct option opts[] = {
        {"scenario", required_argument, NULL, 's'}, {"days", required_argument, NULL, 'd'},
        {"replications", required_argument, NULL, 'r'}, {"seed", required_argument, NULL, 'S'},
        {"out", required_argument, NULL, 'o'}, {"csv", no_argument, NULL, 'c'},
        {"svg", no_argument, NULL, 'g'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    int c;
    char *end;
    memset(a, 0, sizeof *a);
    a->out = ".";
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 's': a->scenario = optarg; break;
        case 'd':
            if (number(optarg, 1, 3650, &a->days)) return bad("--days must be 1..3650, not '%s'", optarg);
            break;
        case 'r':
            if (number(optarg, 1, 1000, &a->reps)) return bad("--replications must be 1..1000, not '%s'", optarg);
            break;
        case 'S':
            errno = 0;
            a->seed = strtoull(optarg, &end, 10);
            if (errno || end == optarg || *end || optarg[0] == '-')
                return bad("--seed must be a number 0..2^64-1, not '%s'", optarg);
            a->has_seed = 1;
            break;
        case 'o': a->out = optarg; break;
        case 'c': a->csv = 1; break;
        case 'g': a->svg = 1; break;
        case 'h': printf("%s", usage); return -1;
        default: return bad("unknown option or missing value: %s", argv[optind - 1]);
        }
    }
    if (optind < argc) return bad("unexpected argument: %s", argv[optind]);
    if (!a->scenario) return bad("%s", "--scenario FILE is required");
    return 0;
}

static void progress(void *ud, double done)
{
    int *last = ud, pct = (int)(done * 100), i;
    if (pct == *last) return;
    *last = pct;
    fprintf(stderr, "\r[");
    for (i = 0; i < 40; i++) fputc(i < pct * 40 / 100 ? '#' : '.', stderr);
    fprintf(stderr, "] %3d%%", pct);
    if (pct >= 100) fprintf(stderr, "\r%60s\r", "");
}

static int make_dir(const char *dir)
{
    struct stat sb;
    if (mkdir(dir, 0777) == 0 || (errno == EEXIST && stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode))) return 0;
    fprintf(stderr, "landport sim: cannot create %s: %s\n", dir, strerror(errno ? errno : ENOTDIR));
    return -1;
}

int lp_cmd_sim(int argc, char **argv)
{
    sim_args a;
    lp_scenario *s = NULL;
    lp_simrun *r = NULL;
    lp_err err;
    int rc, status = 1, last = -1, i;
    if ((rc = parse(argc, argv, &a)) != 0) return rc < 0 ? 0 : rc;
    lp_err_init(&err);
    s = lp_malloc(sizeof *s);
    if (lp_scenario_load(a.scenario, s, &err) != LP_OK) {
        fprintf(stderr, "landport sim: %s: %s\n", a.scenario, err.msg);
        for (i = 0; i < err.nfields; i++)
            fprintf(stderr, "  %s: %s\n", err.fields[i].pointer[0] ? err.fields[i].pointer : "(document)",
                    err.fields[i].msg);
        goto cleanup;
    }
    if (a.days) s->days = (int)a.days;
    if (a.reps) s->replications = (int)a.reps;
    if (a.has_seed) s->seed = a.seed;
    if ((a.csv || a.svg) && make_dir(a.out)) goto cleanup;
    if (lp_simrun_exec(s, isatty(2) ? progress : NULL, &last, &r, &err) != LP_OK) {
        fprintf(stderr, "landport sim: %s\n", err.msg[0] ? err.msg : "the simulation failed");
        goto cleanup;
    }
    lp_simreport_table(stdout, s, r);
    if ((a.csv && lp_simreport_csv(a.out, r, &err) != LP_OK) ||
        (a.svg && lp_simreport_svg(a.out, r, &err) != LP_OK)) {
        fprintf(stderr, "landport sim: %s\n", err.msg);
        goto cleanup;
    }
    if (a.csv || a.svg) printf("files written to %s\n", a.out);
    status = 0;
cleanup:
    lp_simrun_destroy(r);
    lp_scenario_deinit(s);
    lp_free(s);
    return status;
}
