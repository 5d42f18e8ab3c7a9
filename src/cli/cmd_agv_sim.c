/* cmd_agv_sim.c - landport agv-sim: N simulated VDA 5050 vehicles on an MQTT
 * broker in one process and one event loop, until SIGINT/SIGTERM (then
 * each publishes OFFLINE and disconnects). */
#include "cli.h"

#include <event2/event.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "../agv/agvsim.h"

static const char usage[] =
    "usage: landport agv-sim --count N --broker HOST:PORT [options]\n"
    "  --manufacturer M      VDA 5050 manufacturer (landport-sim)\n"
    "  --serial-prefix P     serial numbers P1..PN (agv-)\n"
    "  --start-x X --start-y Y   where the vehicles stand at start (0 0)\n"
    "  --start-node ID       their lastNodeId at start (none)\n"
    "  --speedup K           simulated seconds per second (1)\n"
    "  --speed-max V         m/s (8.3); --battery PCT initial charge (100)\n"
    "  --clock SPEC          message timestamps: wall | scaled:START:SPEED | file:PATH\n"
    "Faults for tests: publish {\"fault\":\"drop_connection\"|\"estop\"|\"stall\"|\"silence\"|\"clear\"}\n"
    "to landport-sim/SERIAL/fault.\n";

enum { O_COUNT = 1, O_BROKER, O_MANUF, O_PREFIX, O_SX, O_SY, O_SNODE, O_SPEEDUP, O_VMAX, O_BATT, O_CLOCK, O_HELP };

static const struct option opts[] = {
    {"count", required_argument, NULL, O_COUNT},       {"broker", required_argument, NULL, O_BROKER},
    {"manufacturer", required_argument, NULL, O_MANUF}, {"serial-prefix", required_argument, NULL, O_PREFIX},
    {"start-x", required_argument, NULL, O_SX},         {"start-y", required_argument, NULL, O_SY},
    {"start-node", required_argument, NULL, O_SNODE},   {"speedup", required_argument, NULL, O_SPEEDUP},
    {"speed-max", required_argument, NULL, O_VMAX},     {"battery", required_argument, NULL, O_BATT},
    {"clock", required_argument, NULL, O_CLOCK},        {"help", no_argument, NULL, O_HELP},
    {NULL, 0, NULL, 0},
};

/* HOST:PORT into host (n bytes) and port. */
static int broker(const char *s, char *host, size_t n, int *port)
{
    const char *c = strrchr(s, ':');
    double p;
    if (!c || c == s || (size_t)(c - s) >= n || cli__number(c + 1, 1, 65535, &p)) return -1;
    memcpy(host, s, (size_t)(c - s));
    host[c - s] = '\0';
    *port = (int)p;
    return 0;
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
    (void)sig, (void)what;
    event_base_loopbreak(arg);
}

/* One socket per vehicle: lift the soft descriptor limit to the hard one. */
static void raise_fd_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

static int parse(int argc, char **argv, lp_agvsim_opts *o, char *host, size_t n, const char **clock)
{
    int c, have_broker = 0;
    double d = 0;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        int bad = 0;
        switch (c) {
        case O_COUNT: bad = cli__number(optarg, 1, 100000, &d); o->count = (int)d; break;
        case O_BROKER: bad = broker(optarg, host, n, &o->port); have_broker = !bad; break;
        case O_MANUF: o->manufacturer = optarg; break;
        case O_PREFIX: o->serial_prefix = optarg; break;
        case O_SX: bad = cli__number(optarg, -1e9, 1e9, &o->start_x); break;
        case O_SY: bad = cli__number(optarg, -1e9, 1e9, &o->start_y); break;
        case O_SNODE: o->start_node = optarg; break;
        case O_SPEEDUP: bad = cli__number(optarg, 0.01, 1000, &o->speedup); break;
        case O_VMAX: bad = cli__number(optarg, 0.1, 50, &o->vehicle.speed_max); break;
        case O_BATT: bad = cli__number(optarg, 0.01, 100, &o->vehicle.battery); break;
        case O_CLOCK: *clock = optarg; break;
        case 'h':
        case O_HELP: printf("%s", usage); return -1;
        default:
            fprintf(stderr, "landport agv-sim: unknown option or missing value: %s\n%s", argv[optind - 1], usage);
            return 2;
        }
        if (bad) {
            fprintf(stderr, "landport agv-sim: bad value for %s: %s\n%s", argv[optind - 2 >= 0 ? optind - 2 : 0],
                    optarg, usage);
            return 2;
        }
    }
    if (!o->count || !have_broker || optind < argc) {
        fprintf(stderr, "landport agv-sim: --count and --broker HOST:PORT are required\n%s", usage);
        return 2;
    }
    return 0;
}

int lp_cmd_agv_sim(int argc, char **argv)
{
    lp_agvsim_opts o = {0};
    char host[256];
    const char *clock_spec = NULL;
    lp_vclock vc;
    lp_err err;
    struct event_base *base = NULL;
    struct event *sigint = NULL, *sigterm = NULL;
    lp_agvsim *sim = NULL;
    int rc = parse(argc, argv, &o, host, sizeof host, &clock_spec);
    if (rc) return rc < 0 ? 0 : rc;
    lp_err_init(&err);
    if (!clock_spec) clock_spec = getenv("LANDPORT_CLOCK");
    if (lp_vclock_init(&vc, clock_spec, &err) != 0) {
        fprintf(stderr, "landport agv-sim: --clock: %s\n", err.msg);
        return 2;
    }
    o.host = host;
    o.clock = lp_vclock_clock(&vc);
    raise_fd_limit();
    signal(SIGPIPE, SIG_IGN);
    rc = 1;
    base = event_base_new();
    if (!base || lp_agvsim_create(base, &o, &sim, &err) != 0) {
        fprintf(stderr, "landport agv-sim: %s\n", err.msg[0] ? err.msg : "cannot start");
        goto cleanup;
    }
    sigint = evsignal_new(base, SIGINT, on_signal, base);
    sigterm = evsignal_new(base, SIGTERM, on_signal, base);
    evsignal_add(sigint, NULL);
    evsignal_add(sigterm, NULL);
    if (lp_agvsim_start(sim) != 0)
        fprintf(stderr, "landport agv-sim: broker %s:%d not reachable yet; retrying\n", host, o.port);
    fprintf(stderr, "landport agv-sim: %d vehicles, broker %s:%d, speedup %g\n", o.count, host, o.port,
            o.speedup > 0 ? o.speedup : 1);
    event_base_dispatch(base);
    lp_agvsim_stop(sim);
    fprintf(stderr, "landport agv-sim: stopped (%lu messages sent)\n", lp_agvsim_sent(sim));
    rc = 0;
cleanup:
    lp_agvsim_destroy(sim);
    if (sigint) event_free(sigint);
    if (sigterm) event_free(sigterm);
    if (base) event_base_free(base);
    return rc;
}
