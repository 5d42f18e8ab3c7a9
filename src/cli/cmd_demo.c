/* cmd_demo.c - `landport demo`: a live evening at the Hữu Nghị gate in one
 * command.  Starts the server on a fresh SQLite file with a scaled virtual
 * clock, a private mosquitto and the AGV simulator as child processes,
 * creates the demo's cast through the API, prints the URL and a token per
 * role, then plays the trucks (demo_traffic.h) and the AGV crossings of the
 * evening (demo_agv.h) on one libevent loop until SIGINT/SIGTERM, when
 * every child is stopped and reaped.
 *
 * Start order: the broker, the server with its fleet on that broker
 * (serve --mqtt), then agv-sim with the vehicles standing in the road's
 * China yard (read from GET /api/v1/road), timed by the same scaled clock
 * and at the same speed-up. */
#include "cli.h"
#include "demo_agv.h"
#include "demo_http.h"
#include "demo_proc.h"
#include "demo_setup.h"
#include "demo_traffic.h"

#include <curl/curl.h>
#include <errno.h>
#include <event2/event.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char usage[] =
    "usage: landport demo [--db PATH] [--keep] [--listen HOST:PORT] [--speed X] [--start TIME]\n"
    "                     [--broker HOST:PORT] [--agvs N] [--road FILE] [--manual-release]\n"
    "                     [--trucks-per-hour N] [--seed S] [--web-root DIR]\n"
    "Plays an evening at the Hữu Nghị gate through the real API, at X times real speed:\n"
    "the server (SQLite at --db, var/demo.db; fresh each run unless --keep) with its AGV\n"
    "fleet on a private mosquitto (a free loopback port, unless --broker), N simulated\n"
    "AGVs in the China yard of road 1088, and trucks declaring, booking, entering the\n"
    "yard, being called, cleared and crossing km 0.  In the AGV window (18:30-20:00 gate\n"
    "time) importers declare AGV loads, officers clear them, the AGVs cross km 0 to the\n"
    "Vietnamese yard and come back empty; the demo's border guard releases each one at\n"
    "the inspection stop after its inspection, unless --manual-release leaves that to\n"
    "you (sign in as border_guard in the dashboard).\n"
    "Prints the dashboard's URL and a token per role.  Ctrl-C stops all of it.\n"
    "Defaults: --listen 127.0.0.1:8080 (LANDPORT_LISTEN), --speed 10,\n"
    "--start 2026-11-23T18:25:00+07:00 (the first AGVs leave at 18:30, half a minute in),\n"
    "--agvs 6, --road: the server's (road-1088), --trucks-per-hour: the simulator's\n"
    "hourly profile of the main gate (about 45 exports an hour at 18:00; N sets its\n"
    "busiest hour to N), --web-root web.\n"
    "Logs of the children go to DIR/demo-logs/ next to the database.\n";

typedef struct demo_opts {
    char db[PATH_MAX], listen[128], start[64], broker[128], web_root[PATH_MAX], road[PATH_MAX];
    double speed, per_hour; /* per_hour 0: the scenario's profile */
    int agvs, keep, manual_release;
    unsigned long long seed;
} demo_opts;

enum { P_SERVE, P_BROKER, P_AGV, P_N };

typedef struct demo {
    demo_opts o;
    pid_t pid[P_N];
    char self[PATH_MAX], logdir[PATH_MAX], base[160], clock[160], broker[128];
    lp_vclock vc;
    lp_demo_http *http;
    lp_demo_cast cast;
    lp_demo_traffic *traffic;
    lp_demo_agv *agv;
    struct event_base *loop;
    int tty, ticks;
    long last_crossed;
} demo;

enum { O_DB = 1, O_KEEP, O_LISTEN, O_SPEED, O_START, O_BROKER, O_AGVS, O_TPH, O_SEED, O_WEB, O_HELP, O_ROAD,
       O_MANUAL };

static const struct option longopts[] = {
    {"db", required_argument, NULL, O_DB},       {"keep", no_argument, NULL, O_KEEP},
    {"listen", required_argument, NULL, O_LISTEN}, {"speed", required_argument, NULL, O_SPEED},
    {"start", required_argument, NULL, O_START}, {"broker", required_argument, NULL, O_BROKER},
    {"agvs", required_argument, NULL, O_AGVS},   {"trucks-per-hour", required_argument, NULL, O_TPH},
    {"seed", required_argument, NULL, O_SEED},   {"web-root", required_argument, NULL, O_WEB},
    {"help", no_argument, NULL, O_HELP},         {"road", required_argument, NULL, O_ROAD},
    {"manual-release", no_argument, NULL, O_MANUAL}, {NULL, 0, NULL, 0},
};

static int copy(char *dst, size_t n, const char *src)
{
    return snprintf(dst, n, "%s", src) >= (int)n ? -1 : 0;
}

/* Fills o from argv; 2 on a usage error, -1 for --help, else 0. */
static int parse(int argc, char **argv, demo_opts *o)
{
    const char *env = getenv("LANDPORT_LISTEN");
    int c, bad = 0;
    double d;
    int64_t ms;

    memset(o, 0, sizeof *o);
    copy(o->db, sizeof o->db, "var/demo.db");
    copy(o->listen, sizeof o->listen, env && *env ? env : "127.0.0.1:8080");
    copy(o->start, sizeof o->start, "2026-11-23T18:25:00+07:00");
    copy(o->web_root, sizeof o->web_root, "web");
    o->speed = 10;
    o->agvs = 6;
    o->seed = 20261123;
    optind = 1;
    while (!bad && (c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case O_DB: bad = copy(o->db, sizeof o->db, optarg); break;
        case O_KEEP: o->keep = 1; break;
        case O_LISTEN: bad = copy(o->listen, sizeof o->listen, optarg) || !strrchr(optarg, ':'); break;
        case O_SPEED: bad = cli__number(optarg, 0.01, 1000, &o->speed); break;
        case O_START: bad = copy(o->start, sizeof o->start, optarg) || lp_vclock_parse_time(optarg, &ms); break;
        case O_BROKER: bad = copy(o->broker, sizeof o->broker, optarg) || !strrchr(optarg, ':'); break;
        case O_AGVS: bad = cli__number(optarg, 0, 500, &d); o->agvs = (int)d; break;
        case O_TPH: bad = cli__number(optarg, 1, 2000, &o->per_hour); break;
        case O_SEED: bad = cli__number(optarg, 0, 1e18, &d); o->seed = (unsigned long long)d; break;
        case O_WEB: bad = copy(o->web_root, sizeof o->web_root, optarg); break;
        case O_ROAD: bad = copy(o->road, sizeof o->road, optarg) || access(optarg, R_OK); break;
        case O_MANUAL: o->manual_release = 1; break;
        case O_HELP: fputs(usage, stdout); return -1;
        default: bad = 1; break;
        }
    }
    if (bad || optind < argc) {
        if (bad && c > 0 && c != '?') fprintf(stderr, "landport demo: bad value for --%s\n", longopts[c - 1].name);
        else if (optind < argc) fprintf(stderr, "landport demo: unexpected argument '%s'\n", argv[optind]);
        fputs(usage, stderr);
        return 2;
    }
    return 0;
}

/* The directory of path into out (n bytes). */
static void dir_of(const char *path, char *out, size_t n)
{
    const char *s = strrchr(path, '/');
    if (!s) snprintf(out, n, ".");
    else if (s == path) snprintf(out, n, "/");
    else snprintf(out, n, "%.*s", (int)(s - path), path);
}

static int mkdir_p(const char *dir)
{
    char buf[PATH_MAX], *p;
    if (copy(buf, sizeof buf, dir)) return -1;
    for (p = buf + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(buf, 0755) && errno != EEXIST) return -1;
        *p = '/';
    }
    return mkdir(buf, 0755) && errno != EEXIST ? -1 : 0;
}

static void log_path(const demo *d, const char *name, char *out, size_t n)
{
    snprintf(out, n, "%s/%s.log", d->logdir, name);
}

/* Waits (up to 20 s) for the server's port file, then /healthz. */
static int wait_server(demo *d, const char *port_file)
{
    int i, port = 0;
    cJSON *j = NULL;
    for (i = 0; i < 400 && port <= 0; i++) {
        FILE *f = fopen(port_file, "r");
        if (f) {
            if (fscanf(f, "%d", &port) != 1) port = 0;
            fclose(f);
        }
        if (port <= 0) {
            if (waitpid(d->pid[P_SERVE], NULL, WNOHANG) != 0) {
                d->pid[P_SERVE] = 0;
                return -1;
            }
            usleep(50 * 1000);
        }
    }
    if (port <= 0) return -1;
    snprintf(d->base, sizeof d->base, "http://%.*s:%d", (int)(strrchr(d->o.listen, ':') - d->o.listen), d->o.listen,
             port);
    d->http = lp_demo_http_new(d->base);
    if (!d->http) return -1;
    for (i = 0; i < 200; i++) {
        if (lp_demo_http_call(d->http, "GET", "/healthz", NULL, &j, NULL) == 200) {
            cJSON_Delete(j);
            return 0;
        }
        cJSON_Delete(j);
        usleep(100 * 1000);
    }
    return -1;
}

/* The server on a fresh (unless --keep) database with the virtual clock
 * and the AGV fleet on the demo's broker. */
static int start_server(demo *d)
{
    char port_file[PATH_MAX + 16], log[PATH_MAX + 16], admin_out[LP_DEMO_TOKEN_MAX];
    char *tok_argv[] = {d->self, "token", "create", "--role", "admin", "--name", "demo-admin", "--db", d->o.db, NULL};
    char *argv[20] = {d->self, "serve", "--db", d->o.db, "--listen", d->o.listen, "--port-file", port_file,
                      "--clock", d->clock, "--mqtt", d->broker};
    int argc = 12;
    struct stat sb;
    if (d->o.road[0]) {
        argv[argc++] = "--road";
        argv[argc++] = d->o.road;
    }
    if (stat(d->o.web_root, &sb) || !S_ISDIR(sb.st_mode)) {
        fprintf(stderr, "landport demo: no dashboard at %s (--web-root); serving the API only\n", d->o.web_root);
    } else {
        argv[argc++] = "--web-root";
        argv[argc++] = d->o.web_root;
    }
    if (!d->o.keep) {
        char side[PATH_MAX + 8];
        unlink(d->o.db);
        snprintf(side, sizeof side, "%s-wal", d->o.db);
        unlink(side);
        snprintf(side, sizeof side, "%s-shm", d->o.db);
        unlink(side);
    }
    /* The bootstrap admin token comes from the command line (it migrates the
     * fresh database); every other token is made through the API. */
    if (lp_demo_proc_capture(tok_argv, admin_out, sizeof admin_out)) {
        fprintf(stderr, "landport demo: cannot create the admin token on %s\n", d->o.db);
        return -1;
    }
    copy(d->cast.token[LP_DEMO_R_ADMIN], LP_DEMO_TOKEN_MAX, admin_out);
    snprintf(port_file, sizeof port_file, "%s/serve.port", d->logdir);
    unlink(port_file);
    log_path(d, "serve", log, sizeof log);
    d->pid[P_SERVE] = lp_demo_proc_spawn(argv, log);
    if (d->pid[P_SERVE] <= 0 || wait_server(d, port_file)) {
        fprintf(stderr, "landport demo: the server did not start; see %s\n", log);
        return -1;
    }
    return 0;
}

/* A private mosquitto unless --broker. */
static int start_broker(demo *d)
{
    char conf[PATH_MAX + 16], log[PATH_MAX + 16];
    int port = 0, attempt;
    if (d->o.broker[0]) {
        copy(d->broker, sizeof d->broker, d->o.broker);
    } else {
        char mosq[] = "/usr/sbin/mosquitto";
        char *argv_m[] = {mosq, "-c", conf, NULL};
        if (access(mosq, X_OK)) {
            fprintf(stderr, "landport demo: %s not found (Debian package mosquitto; scripts/setup.sh)\n", mosq);
            return -1;
        }
        snprintf(conf, sizeof conf, "%s/mosquitto.conf", d->logdir);
        log_path(d, "mosquitto", log, sizeof log);
        for (attempt = 0; attempt < 5 && d->pid[P_BROKER] <= 0; attempt++) {
            FILE *f = fopen(conf, "w");
            port = lp_demo_proc_free_port();
            if (!f || port <= 0) {
                if (f) fclose(f);
                return -1;
            }
            fprintf(f, "# Generated by landport demo: a private broker on loopback.\n"
                       "listener %d 127.0.0.1\nallow_anonymous true\npersistence false\n"
                       "max_queued_messages 100000\nset_tcp_nodelay true\n", port);
            fclose(f);
            d->pid[P_BROKER] = lp_demo_proc_spawn(argv_m, log);
            if (d->pid[P_BROKER] > 0 && lp_demo_proc_wait_port(port, d->pid[P_BROKER], 10000)) {
                lp_demo_proc_stop(&d->pid[P_BROKER], 1, 1000); /* port taken meanwhile: try another */
            }
        }
        if (d->pid[P_BROKER] <= 0) {
            fprintf(stderr, "landport demo: mosquitto did not start; see %s\n", log);
            return -1;
        }
        snprintf(d->broker, sizeof d->broker, "127.0.0.1:%d", port);
    }
    return 0;
}

/* agv-sim with the vehicles standing in the China yard of the fleet's road,
 * driving at the demo's speed-up on its clock. */
static int start_agvs(demo *d)
{
    char log[PATH_MAX + 16], count[16], speed[32], node[32], sx[32], sy[32];
    char *argv_agv[] = {d->self, "agv-sim", "--count", count, "--broker", d->broker, "--speedup", speed,
                        "--clock", d->clock, "--start-node", node, "--start-x", sx, "--start-y", sy, NULL};
    double x, y;
    if (d->o.agvs <= 0) return 0;
    if (lp_demo_agv_yard(d->http, d->cast.token[LP_DEMO_R_OPERATOR], node, &x, &y)) {
        fprintf(stderr, "landport demo: the server's AGV fleet has no road with a china_yard zone\n");
        return -1;
    }
    snprintf(sx, sizeof sx, "%.3f", x);
    snprintf(sy, sizeof sy, "%.3f", y);
    snprintf(count, sizeof count, "%d", d->o.agvs);
    snprintf(speed, sizeof speed, "%g", d->o.speed);
    log_path(d, "agv-sim", log, sizeof log);
    d->pid[P_AGV] = lp_demo_proc_spawn(argv_agv, log);
    if (d->pid[P_AGV] <= 0) {
        fprintf(stderr, "landport demo: agv-sim did not start; see %s\n", log);
        return -1;
    }
    return 0;
}

static void print_welcome(const demo *d)
{
    int i;
    printf("\nlandport demo: an evening at the Hữu Nghị gate from %s at %gx\n", d->o.start, d->o.speed);
    printf("Dashboard: %s/  (sign in with a token below)\n", d->base);
    printf("API description: %s/api/v1/openapi.json\n", d->base);
    printf("MQTT broker: %s (%d simulated AGVs in the China yard of road 1088)\n", d->broker, d->o.agvs);
    printf("AGV window: %s gate time; %s\n", lp_demo_agv_windows(d->agv),
           d->o.manual_release ? "--manual-release: AGVs wait at the inspection stop until you release them"
                                 " (sign in as border_guard)"
                               : "the demo's border guard releases AGVs at the inspection stop");
    printf("Tokens:\n");
    for (i = 0; i < LP_DEMO_ROLES; i++) printf("  %-13s %s\n", lp_demo_role_names[i], d->cast.token[i]);
    printf("Logs: %s/   Ctrl-C stops everything.\n\n", d->logdir);
    fflush(stdout);
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
    (void)sig, (void)what;
    event_base_loopbreak(arg);
}

static int owned_by_agv(void *agv, long decl)
{
    return lp_demo_agv_owns(agv, decl);
}

static int64_t vnow(demo *d)
{
    const lp_clock *c = lp_vclock_clock(&d->vc);
    return c->now_ms(c->ud);
}

/* Virtual time as hh:mm at the gate (+07:00). */
static void clock_text(int64_t ms, char *out, size_t n)
{
    int64_t s = ms / 1000 + 7 * 3600;
    snprintf(out, n, "%02d:%02d", (int)(s / 3600 % 24), (int)(s / 60 % 60));
}

/* One status line: on a terminal redrawn in place and cut to its width. */
static void status(demo *d, int64_t now, int final)
{
    lp_demo_stats s;
    lp_demo_agv_stats a;
    struct winsize ws;
    char hhmm[8], line[640];
    long calls, failed;
    size_t cols = 0;
    lp_demo_traffic_stats(d->traffic, &s);
    lp_demo_agv_stats_get(d->agv, &a);
    lp_demo_http_counts(d->http, &calls, &failed);
    clock_text(now, hhmm, sizeof hhmm);
    snprintf(line, sizeof line,
             "%s | trucks: yard %ld (%ld waiting), to gate %ld, crossed %ld | AGV missions: %ld running, %ld at "
             "inspection%s, %ld completed, %.1f km%s%s | declared: %ld trucks (G%ld Y%ld R%ld, %ld booked), %ld AGV | "
             "decisions %ld, exceptions %ld | API calls %ld (%ld failed)",
             hhmm, s.in_yard, s.waiting, s.to_gate, s.crossed, a.running, a.held,
             a.held && d->o.manual_release ? " (waiting for you)" : "", a.completed, a.km, a.note[0] ? "; " : "",
             a.note, s.filed, s.green, s.yellow, s.red, s.booked, a.filed, s.decided, s.exceptions, calls, failed);
    if (d->tty && !final && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1) cols = ws.ws_col - 1u;
    if (cols && cols < strlen(line)) line[cols] = '\0';
    printf("%s%s%s", d->tty ? "\r\033[K" : "", line, d->tty && !final ? "" : "\n");
    fflush(stdout);
}

/* Every 250 ms of real time: the traffic due by now; the queue and the
 * officers every second; a status line every second (TTY) or every 10 s. */
static void on_tick(evutil_socket_t fd, short what, void *arg)
{
    demo *d = arg;
    int64_t now = vnow(d);
    (void)fd, (void)what;
    d->ticks++;
    lp_demo_traffic_step(d->traffic, now, d->ticks % 4 == 0);
    if (d->ticks % 4 == 2) {
        char ev[LP_DEMO_AGV_EVENT];
        lp_demo_agv_step(d->agv, now);
        /* what the AGVs did, one line each above the status line */
        while (lp_demo_agv_take_event(d->agv, ev, sizeof ev)) printf("%s%s\n", d->tty ? "\r\033[K" : "", ev);
        if (d->tty) status(d, now, 0);
    }
    if (d->tty ? d->ticks % 4 == 0 : d->ticks % 40 == 0) status(d, now, 0);
}

/* The loop until SIGINT/SIGTERM; old is the signal mask to restore once
 * the loop's handlers are in place (a signal held since start then ends it). */
static int run(demo *d, const sigset_t *old)
{
    struct event *sigint = NULL, *sigterm = NULL, *tick = NULL;
    const struct timeval quarter = {0, 250000};
    int64_t now;
    if (!(d->loop = event_base_new())) return 1;
    sigint = evsignal_new(d->loop, SIGINT, on_signal, d->loop);
    sigterm = evsignal_new(d->loop, SIGTERM, on_signal, d->loop);
    tick = event_new(d->loop, -1, EV_PERSIST, on_tick, d);
    event_add(sigint, NULL);
    event_add(sigterm, NULL);
    sigprocmask(SIG_SETMASK, old, NULL);
    now = vnow(d);
    d->traffic = lp_demo_traffic_new(d->http, &d->cast, d->o.per_hour, d->o.seed, now);
    if (d->traffic) {
        lp_demo_traffic_skip(d->traffic, owned_by_agv, d->agv);
        event_add(tick, &quarter);
        event_base_dispatch(d->loop);
        status(d, vnow(d), 1);
    }
    event_free(sigint);
    event_free(sigterm);
    event_free(tick);
    event_base_free(d->loop);
    return d->traffic ? 0 : 1;
}

int lp_cmd_demo(int argc, char **argv)
{
    demo *d = calloc(1, sizeof *d);
    sigset_t block, old;
    lp_err err;
    int rc;

    if (!d) return 1;
    rc = parse(argc, argv, &d->o);
    if (rc) {
        free(d);
        return rc < 0 ? 0 : rc;
    }
    lp_err_init(&err);
    signal(SIGPIPE, SIG_IGN);
    /* Until the loop takes them, SIGINT/SIGTERM are held so that a Ctrl-C
     * during start still reaches the cleanup below. */
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigprocmask(SIG_BLOCK, &block, &old);
    d->tty = isatty(STDOUT_FILENO);
    snprintf(d->clock, sizeof d->clock, "scaled:%s:%g", d->o.start, d->o.speed);
    dir_of(d->o.db, d->logdir, sizeof d->logdir);
    if (strlen(d->logdir) + 12 >= sizeof d->logdir) d->logdir[sizeof d->logdir - 12] = '\0';
    strcat(d->logdir, "/demo-logs");
    curl_global_init(CURL_GLOBAL_DEFAULT);
    rc = 1;
    if (lp_demo_proc_self(d->self, sizeof d->self) || mkdir_p(d->logdir)) {
        fprintf(stderr, "landport demo: cannot prepare %s\n", d->logdir);
        goto out;
    }
    if (lp_vclock_init(&d->vc, d->clock, &err)) {
        fprintf(stderr, "landport demo: %s\n", err.msg);
        goto out;
    }
    if (start_broker(d) || start_server(d) || lp_demo_setup(d->http, &d->cast) || start_agvs(d)) goto out;
    if (!(d->agv = lp_demo_agv_new(d->http, &d->cast, d->o.seed, d->o.manual_release))) goto out;
    print_welcome(d);
    rc = run(d, &old);
out:
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (lp_demo_proc_stop(d->pid, P_N, 5000) > 0) fprintf(stderr, "landport demo: a child had to be killed\n");
    lp_demo_traffic_free(d->traffic);
    lp_demo_agv_free(d->agv);
    lp_demo_http_free(d->http);
    curl_global_cleanup();
    free(d);
    return rc;
}
