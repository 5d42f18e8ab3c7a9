/* cmd_serve.c - `landport serve`: the gate server on one event loop. */
#include "cli.h"
#include "../agv/fleet.h"
#include "../net/events.h"
#include "../net/h_agv.h"
#include "../net/http.h"
#include "../os/sysclock.h"
#include "../store/queuestore.h"
#include "../core/mem.h"

#include <event2/event.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "usage: landport serve [--db PATH|postgresql://URL] [--listen HOST:PORT] [--config FILE]\n"
    "                      [--max-body BYTES] [--web-root DIR] [--port-file FILE] [--access-log]\n"
    "                      [--clock wall|scaled:START:SPEED|file:PATH] [--mqtt HOST:PORT [--road FILE]]\n"
    "Runs the HTTP API (and the dashboard, with --web-root) on one event loop.\n"
    "The database is migrated at start.  --listen 127.0.0.1:0 picks a free port;\n"
    "--port-file then says which.  SIGINT/SIGTERM stop it cleanly.\n"
    "--clock runs the gate on virtual time: scaled:2026-11-23T18:00:00+07:00:10 plays from\n"
    "that moment at 10x; file:PATH reads ms since the epoch from PATH (for tests).\n"
    "--mqtt runs the AGV fleet manager (VDA 5050 master control) on that broker, on the\n"
    "road of --road (default data/roads/road-1088.json); without it the fleet routes answer 503.\n"
    "Settings: flags > LANDPORT_* environment > --config FILE (INI) > defaults.\n";

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
    (void)what;
    fprintf(stderr, "landport: signal %d, stopping\n", (int)sig);
    event_base_loopexit(arg, NULL);
}

/* The e-queue's clock: the no-show rule and calls forward happen without a
 * request (queuestore.h); errors are logged and the next tick tries again. */
static void on_queue_tick(evutil_socket_t fd, short what, void *arg)
{
    static const lp_actor sys = {"system:queue", LP_ROLE_ADMIN, 0, "queue tick"};
    lp_err err;
    (void)fd, (void)what;
    lp_err_init(&err);
    if (lp_queuestore_tick(arg, &sys, NULL, &err)) fprintf(stderr, "landport: queue tick: %s\n", err.msg);
}

/* The fleet manager on the configured broker and road, or LP_OK with *out
 * NULL when no broker is configured. */
static int start_fleet(struct event_base *base, const lp_config *cfg, const lp_clock *clock, lp_agv_sink_ctx *sc,
                       lp_fleet **out, lp_err *err)
{
    const char *path = cfg->road[0] ? cfg->road : LP_DEFAULT_ROAD;
    char host[128], *text = NULL;
    const char *colon = strrchr(cfg->mqtt, ':');
    lp_fleet_opts fo;
    lp_road *road = NULL;
    FILE *fp;
    long n;
    int rc;
    *out = NULL;
    if (!cfg->mqtt[0]) return LP_OK;
    if (!(fp = fopen(path, "rb"))) return lp_err_set(err, LP_EIO, "cannot read road %s", path);
    fseek(fp, 0, SEEK_END);
    n = ftell(fp);
    rewind(fp);
    text = malloc(n > 0 ? (size_t)n : 1);
    if (n <= 0 || !text || fread(text, 1, (size_t)n, fp) != (size_t)n) {
        fclose(fp);
        free(text);
        return lp_err_set(err, LP_EIO, "cannot read road %s", path);
    }
    fclose(fp);
    rc = lp_road_parse(text, (size_t)n, &road, err);
    free(text);
    if (rc) return rc;
    memset(&fo, 0, sizeof fo);
    snprintf(host, sizeof host, "%.*s", (int)(colon - cfg->mqtt), cfg->mqtt);
    fo.host = host;
    fo.port = atoi(colon + 1);
    fo.tz_offset_min = 7 * 60; /* gate time: Indochina Time */
    fo.battery_min = cfg->agv_battery_min ? (double)cfg->agv_battery_min : 0.01;
    fo.lost_after_ms = (int)cfg->agv_lost_ms;
    fo.charge_below = (double)cfg->agv_charge_below;
    fo.charge_to = (double)cfg->agv_charge_to;
    fo.inspection_s = (int)cfg->agv_inspection_s;
    fo.clock = clock;
    lp_h_agv_sink(&fo.sink, sc);
    rc = lp_fleet_create(base, road, &fo, out, err);
    if (rc) lp_road_destroy(road);
    return rc;
}

/* Written to a temporary name and renamed, so a reader never sees half a number. */
static int write_port_file(const char *path, int port)
{
    char tmp[1100];
    FILE *f;
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    f = fopen(tmp, "w");
    if (!f) return -1;
    fprintf(f, "%d\n", port);
    if (fclose(f) != 0) return -1;
    return rename(tmp, path);
}

int lp_cmd_serve(int argc, char **argv)
{
    cli_opts o;
    lp_store *st = NULL;
    lp_server *srv = NULL;
    lp_events *hub = NULL;
    lp_fleet *fleet = NULL;
    lp_agv_sink_ctx sink_ctx;
    struct event_base *base = NULL;
    struct event *sigint = NULL, *sigterm = NULL, *tick = NULL;
    const struct timeval one_second = {1, 0};
    lp_server_opts so;
    lp_err err;
    int rc = cli__parse(argc, argv, "db,config,listen,max-body,web-root,port-file,access-log,clock,mqtt,road", usage, &o);

    if (rc) return rc < 0 ? 0 : rc;
    if (o.nargs) {
        fprintf(stderr, "landport serve: unexpected argument '%s'\n%s", o.args[0], usage);
        return 2;
    }
    lp_err_init(&err);
    signal(SIGPIPE, SIG_IGN);
    if (cli__open_store(&o, &st)) return 1;
    base = event_base_new();
    memset(&so, 0, sizeof so);
    so.listen = o.cfg.listen;
    so.max_body = o.cfg.max_body;
    so.max_headers = o.cfg.max_headers;
    so.access_log = o.cfg.access_log;
    so.web_root = o.cfg.web_root[0] ? o.cfg.web_root : NULL;
    if (lp_server_create(base, st, &so, &srv, &err)) {
        fprintf(stderr, "landport serve: %s\n", err.msg);
        rc = 1;
        goto out;
    }
    if (lp_events_create(base, st, NULL, &hub, &err)) {
        fprintf(stderr, "landport serve: %s\n", err.msg);
        rc = 1;
        goto out;
    }
    lp_server_set_events(srv, hub);
    sink_ctx.store = st;
    sink_ctx.hub = hub;
    if (start_fleet(base, &o.cfg, lp_vclock_clock(&o.vclock), &sink_ctx, &fleet, &err)) {
        fprintf(stderr, "landport serve: AGV fleet: %s\n", err.msg);
        rc = 1;
        goto out;
    }
    /* the windows (known before the first charge mission) and the missions to re-adopt */
    if (fleet && lp_h_agv_fleet_load(fleet, st, &err)) {
        fprintf(stderr, "landport serve: AGV fleet: %s\n", err.msg);
        rc = 1;
        goto out;
    }
    lp_server_set_fleet(srv, fleet);
    if (o.cfg.port_file[0] && write_port_file(o.cfg.port_file, lp_server_port(srv))) {
        fprintf(stderr, "landport serve: cannot write port file %s\n", o.cfg.port_file);
        rc = 1;
        goto out;
    }
    sigint = evsignal_new(base, SIGINT, on_signal, base);
    sigterm = evsignal_new(base, SIGTERM, on_signal, base);
    event_add(sigint, NULL);
    event_add(sigterm, NULL);
    tick = event_new(base, -1, EV_PERSIST, on_queue_tick, st);
    event_add(tick, &one_second);
    fprintf(stderr, "landport: serving on http://%.*s:%d (store: %s)\n",
            (int)(strrchr(o.cfg.listen, ':') - o.cfg.listen), o.cfg.listen, lp_server_port(srv),
            lp_db_backend_name(lp_store_db(st)));
    event_base_dispatch(base);
out:
    if (sigint) event_free(sigint);
    if (sigterm) event_free(sigterm);
    if (tick) event_free(tick);
    lp_fleet_destroy(fleet);
    lp_events_destroy(hub); /* ends the open event streams before the server goes */
    lp_server_destroy(srv);
    if (base) event_base_free(base);
    lp_store_close(st);
    return rc;
}
