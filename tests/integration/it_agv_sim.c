/* it_agv_sim.c - landport agv-sim against a real mosquitto (ctest fixture
 * "mqtt"): three simulated vehicles driven by a test client over VDA 5050.
 * Checks driving through base nodes only and stopping at the end of the
 * base, continuing after an update extends the base, the order-update
 * rejections, pause/resume (actionStatus PAUSED), cancelOrder, state at
 * 1 Hz, e-stop and stall faults, the last will on a dropped connection and
 * OFFLINE on SIGTERM.  Every VDA 5050 message on the vehicles' topics (both
 * directions: the client subscribes to uagv/v2/{manufacturer}/#) is logged
 * and validated against the 2.1.0 JSON schemas by tests/tools/vda5050_validate.py. */
#include "testlib.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <event2/event.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "agv/mqtt.h"
#include "agv/vda5050.h"
#include "os/sysclock.h"

#define NV 3
#define WAIT_S 60.0 /* bound of every wait: generous for a loaded machine */

typedef struct veh {
    char serial[16];
    lp_vda_state st; /* last state */
    int have_state;
    unsigned long nstates;
    double max_x;      /* largest x ever reported */
    int64_t ts[8];     /* timestamps of the last states */
    int64_t hid[8];    /* and their headerIds */
    char conn[32][20]; /* connection states received, in order (first 32) */
    unsigned long nconn;
} veh;

typedef struct ctx {
    char *dir, log_path[512];
    char *broker_dir; /* a private broker's (restart test), else NULL */
    char pattern[96]; /* the client's subscription, renewed on reconnect */
    FILE *log;
    char manuf[32];
    int port;
    pid_t sim;
    struct event_base *base;
    lp_mqtt *cli;
    int64_t hid_order, hid_instant;
    veh v[NV];
} ctx;

extern char **environ;

static void read_port(ctx *c, const char *file)
{
    FILE *f = fopen(file, "r");
    if (!f || fscanf(f, "%d", &c->port) != 1)
        lp_test_fail("no test broker: %s missing (run through ctest, fixture \"mqtt\")", file);
    fclose(f);
}

/* scripts/mqtt-test-broker.sh start|stop DIR [PORT] */
static void broker_script(const char *verb, const char *dir, int port)
{
    char cmd[1024];
    int rc;
    snprintf(cmd, sizeof cmd, "bash %s/scripts/mqtt-test-broker.sh %s %s %.0d >/dev/null", LP_SOURCE_DIR, verb, dir,
             port);
    rc = system(cmd);
    if (rc != 0) lp_test_fail("%s: exit status %d", cmd, rc);
}

static void on_connect(lp_mqtt *m, void *ud)
{
    ctx *c = ud;
    lp_mqtt_subscribe(m, c->pattern, 1);
}

static veh *by_serial(ctx *c, const char *serial)
{
    int i;
    for (i = 0; i < NV; i++)
        if (!strcmp(c->v[i].serial, serial)) return &c->v[i];
    return NULL;
}

static void log_msg(ctx *c, const char *topic, const void *payload, size_t len)
{
    cJSON *o = cJSON_CreateObject();
    char *s;
    char *p = strndup(payload, len);
    cJSON_AddStringToObject(o, "topic", topic);
    cJSON_AddStringToObject(o, "payload", p);
    s = cJSON_PrintUnformatted(o);
    fprintf(c->log, "%s\n", s);
    fflush(c->log);
    cJSON_free(s);
    cJSON_Delete(o);
    free(p);
}

static void on_message(lp_mqtt *m, const char *topic, const void *payload, size_t len, void *ud)
{
    ctx *c = ud;
    char manuf[LP_VDA_ID_MAX], serial[LP_VDA_ID_MAX];
    lp_vda_topic t;
    veh *v;
    lp_err err;
    (void)m;
    log_msg(c, topic, payload, len);
    if (lp_vda_topic_parse(topic, manuf, serial, &t) != 0 || !(v = by_serial(c, serial))) return;
    lp_err_init(&err);
    if (t == LP_VDA_T_STATE) {
        lp_vda_state s;
        if (lp_vda_state_parse(payload, len, &s, &err) != 0) {
            print_error("bad state from %s: %s %s\n", serial, err.fields[0].pointer, err.fields[0].msg);
            return;
        }
        if (v->have_state) lp_vda_state_deinit(&v->st);
        v->st = s;
        v->have_state = 1;
        memmove(v->ts, v->ts + 1, sizeof v->ts - sizeof v->ts[0]);
        memmove(v->hid, v->hid + 1, sizeof v->hid - sizeof v->hid[0]);
        v->ts[7] = s.h.timestamp_ms;
        v->hid[7] = s.h.header_id;
        v->nstates++;
        if (s.position.x > v->max_x) v->max_x = s.position.x;
    } else if (t == LP_VDA_T_CONNECTION) {
        lp_vda_connection cn;
        if (lp_vda_connection_parse(payload, len, &cn, &err) == 0) {
            if (v->nconn < 32) snprintf(v->conn[v->nconn], sizeof v->conn[0], "%s", lp_vda_conn_name(cn.state));
            v->nconn++;
        }
    }
}

/* Runs the loop until pred(c, arg) holds; fails after WAIT_S seconds. */
typedef int (*pred_fn)(ctx *c, const void *arg);
static void pump_until(ctx *c, pred_fn pred, const void *arg, const char *what)
{
    double end = lp_monotonic() + WAIT_S;
    struct timeval tv = {0, 20000};
    while (!pred(c, arg)) {
        if (lp_monotonic() > end) lp_test_fail("timed out waiting for %s", what);
        event_base_loopexit(c->base, &tv);
        event_base_dispatch(c->base);
    }
}

/* Runs the loop for s seconds of wall time (the vehicles keep moving). */
static void pump_for(ctx *c, double s)
{
    struct timeval tv = {(long)s, (long)((s - (long)s) * 1e6)};
    event_base_loopexit(c->base, &tv);
    event_base_dispatch(c->base);
}

static void publish(ctx *c, const char *serial, lp_vda_topic t, char *json)
{
    char topic[200];
    assert_int_equal(lp_vda_topic_format(topic, sizeof topic, c->manuf, serial, t), 0);
    assert_int_equal(lp_mqtt_publish(c->cli, topic, json, strlen(json), 1, 0), 0);
    free(json);
}

static void send_instant(ctx *c, const char *serial, const char *id, const char *type)
{
    lp_vda_instant m;
    memset(&m, 0, sizeof m);
    lp_vda_header_init(&m.h, c->manuf, serial, c->hid_instant++, lp_sysclock()->now_ms(NULL));
    lp_vda_instant_add(&m, id, type, LP_VDA_BLOCK_NONE);
    publish(c, serial, LP_VDA_T_INSTANT_ACTIONS, lp_vda_instant_format(&m));
    lp_vda_instant_deinit(&m);
}

static void send_fault(ctx *c, const char *serial, const char *fault)
{
    char topic[128], body[96];
    snprintf(topic, sizeof topic, "landport-sim/%s/fault", serial);
    snprintf(body, sizeof body, "{\"fault\":\"%s\"}", fault);
    assert_int_equal(lp_mqtt_publish(c->cli, topic, body, strlen(body), 1, 0), 0);
}

/* An order along the x axis: node i at x = xs[i]; the first nbase nodes are
 * released; node k may carry one action (type, duration) when act_node == k. */
typedef struct path {
    const char *order_id;
    int64_t update_id;
    int first_seq;
    int n, nbase;
    const char *ids[8];
    double xs[8];
    double max_speed; /* on every edge; 0 none */
    int act_node;
    const char *act_id, *act_type;
    const char *act_duration;
} path;

static void send_order(ctx *c, const char *serial, const path *p)
{
    lp_vda_order o;
    int i;
    memset(&o, 0, sizeof o);
    lp_vda_header_init(&o.h, c->manuf, serial, c->hid_order++, lp_sysclock()->now_ms(NULL));
    snprintf(o.order_id, sizeof o.order_id, "%s", p->order_id);
    o.order_update_id = p->update_id;
    for (i = 0; i < p->n; i++) {
        lp_vda_node n;
        lp_vda_action a;
        lp_vda_param prm;
        memset(&n, 0, sizeof n);
        snprintf(n.node_id, sizeof n.node_id, "%s", p->ids[i]);
        n.seq = p->first_seq + 2 * i;
        n.released = i < p->nbase;
        n.pos.present = 1;
        n.pos.x = p->xs[i];
        n.pos.allowed_dev_xy = 0.5;
        snprintf(n.pos.map_id, sizeof n.pos.map_id, "road");
        if (p->act_id && p->act_node == i) {
            memset(&a, 0, sizeof a);
            snprintf(a.action_id, sizeof a.action_id, "%s", p->act_id);
            snprintf(a.action_type, sizeof a.action_type, "%s", p->act_type);
            a.blocking = LP_VDA_BLOCK_HARD;
            snprintf(prm.key, sizeof prm.key, "duration");
            prm.value_json = (char *)p->act_duration;
            a.params = &prm;
            a.nparams = 1;
            n.actions = &a;
            n.nactions = 1;
        }
        lp_vda_order_add_node(&o, &n);
        if (i > 0) {
            lp_vda_edge e;
            memset(&e, 0, sizeof e);
            snprintf(e.edge_id, sizeof e.edge_id, "%s-%s", p->ids[i - 1], p->ids[i]);
            e.seq = n.seq - 1;
            e.released = n.released;
            snprintf(e.start_node, sizeof e.start_node, "%s", p->ids[i - 1]);
            snprintf(e.end_node, sizeof e.end_node, "%s", p->ids[i]);
            e.max_speed = p->max_speed;
            lp_vda_order_add_edge(&o, &e);
        }
    }
    publish(c, serial, LP_VDA_T_ORDER, lp_vda_order_format(&o));
    lp_vda_order_deinit(&o);
}

/* Predicates -------------------------------------------------------------------- */

typedef struct want {
    int vi;
    const char *node;     /* lastNodeId, or NULL */
    int standing;         /* driving false */
    int driving;          /* driving true */
    const char *action;   /* actionState id ... */
    int status;           /* ... with this status */
    const char *error;    /* errorType present */
    const char *no_error; /* errorType absent */
    const char *conn;     /* a connection state received ... */
    unsigned long nconn;  /* ... after the first nconn ones */
    int paused;           /* 1 paused, -1 not paused, 0 any */
    int no_nodes;         /* nodeStates empty */
    double min_x;         /* x beyond this (when > 0) */
    int estop;            /* 1 eStop not NONE, -1 NONE */
} want;

static int holds(ctx *c, const void *arg)
{
    const want *w = arg;
    const veh *v = &c->v[w->vi];
    const lp_vda_state *s = &v->st;
    const lp_vda_action_state *a;
    if (w->conn) {
        unsigned long i;
        for (i = w->nconn; i < v->nconn && i < 32; i++)
            if (!strcmp(v->conn[i], w->conn)) return 1;
        return 0;
    }
    if (!v->have_state) return 0;
    if (w->node && strcmp(s->last_node_id, w->node) != 0) return 0;
    if (w->standing && s->driving) return 0;
    if (w->driving && !s->driving) return 0;
    if (w->action && (!(a = lp_vda_state_find_action(s, w->action)) || (int)a->status != w->status)) return 0;
    if (w->error && !lp_vda_state_find_error(s, w->error)) return 0;
    if (w->no_error && lp_vda_state_find_error(s, w->no_error)) return 0;
    if (w->paused && s->paused != (w->paused > 0)) return 0;
    if (w->no_nodes && s->nnode_states) return 0;
    if (w->min_x > 0 && s->position.x <= w->min_x) return 0;
    if (w->estop && (s->estop != LP_VDA_ESTOP_NONE) != (w->estop > 0)) return 0;
    return 1;
}

#define WAIT(c, what, ...)                                   \
    do {                                                     \
        want w_ = {__VA_ARGS__};                             \
        pump_until(c, holds, &w_, what);                     \
    } while (0)

static int states_beyond(ctx *c, const void *arg)
{
    const unsigned long *n = arg;
    return c->v[n[0]].nstates >= n[1];
}

/* Waits for k more state messages of vehicle vi. */
static void wait_states(ctx *c, int vi, unsigned long k)
{
    unsigned long arg[2] = {(unsigned long)vi, c->v[vi].nstates + k};
    pump_until(c, states_beyond, arg, "state messages");
}

/* Setup and teardown -------------------------------------------------------------- */

static pid_t spawn_sim(ctx *c)
{
    char broker[64], log[600];
    char *argv[] = {"landport", "agv-sim", "--count", "3", "--broker", broker, "--manufacturer", c->manuf,
                    "--serial-prefix", "v", "--speedup", "10", "--start-x", "0", "--start-y", "0", NULL};
    int fd;
    pid_t pid, parent = getpid();
    snprintf(broker, sizeof broker, "127.0.0.1:%d", c->port);
    snprintf(log, sizeof log, "%s/agv-sim.log", c->dir);
    fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    assert_true(fd >= 0);
    fflush(NULL);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || getppid() != parent) _exit(125);
        if (dup2(fd, 1) < 0 || dup2(fd, 2) < 0) _exit(126);
        execve(LP_TEST_BINARY, argv, environ);
        _exit(127);
    }
    close(fd);
    return pid;
}

/* A test client subscribed to the vehicles' topics, then agv-sim with
 * three vehicles, all ONLINE and reporting.  private_broker: start a broker
 * of its own instead of the fixture's. */
static int setup(void **state, int private_broker)
{
    ctx *c = calloc(1, sizeof *c);
    lp_mqtt_opts mo = {0};
    char id[64], portfile[600];
    struct stat sb;
    lp_err err;
    int i;
    if (stat(LP_VDA5050_SCHEMA_DIR "/2.1.0/state.schema", &sb) != 0)
        lp_test_fail("VDA 5050 schemas not found in %s/2.1.0: configure with "
                     "-DLP_VDA5050_SCHEMAS=/path/to/vda5050 (the folder holding 2.1.0/)", LP_VDA5050_SCHEMA_DIR);
    c->dir = lp_test_mkdtemp("it_agv_sim");
    if (private_broker) {
        c->broker_dir = malloc(strlen(c->dir) + 8);
        sprintf(c->broker_dir, "%s/broker", c->dir);
        broker_script("start", c->broker_dir, 0);
        snprintf(portfile, sizeof portfile, "%s/port", c->broker_dir);
        read_port(c, portfile);
    } else {
        read_port(c, LP_TEST_MQTT_PORT_FILE);
    }
    snprintf(c->log_path, sizeof c->log_path, "%s/messages.jsonl", c->dir);
    c->log = fopen(c->log_path, "w");
    assert_non_null(c->log);
    snprintf(c->manuf, sizeof c->manuf, "it%d", (int)getpid());
    for (i = 0; i < NV; i++) snprintf(c->v[i].serial, sizeof c->v[i].serial, "v%d", i + 1);
    c->base = event_base_new();
    snprintf(id, sizeof id, "it-agv-sim-%d", (int)getpid());
    mo.host = "127.0.0.1";
    mo.port = c->port;
    mo.client_id = id;
    mo.on_message = on_message;
    mo.on_connect = on_connect;
    mo.ud = c;
    snprintf(c->pattern, sizeof c->pattern, "uagv/v2/%s/#", c->manuf);
    lp_err_init(&err);
    assert_int_equal(lp_mqtt_create(c->base, &mo, &c->cli, &err), 0);
    assert_int_equal(lp_mqtt_start(c->cli), 0);
    while (!lp_mqtt_connected(c->cli)) pump_for(c, 0.05);
    pump_for(c, 0.2); /* SUBACK before the vehicles start */
    c->sim = spawn_sim(c);
    for (i = 0; i < NV; i++) WAIT(c, "vehicle ONLINE", .vi = i, .conn = "ONLINE");
    for (i = 0; i < NV; i++) wait_states(c, i, 1);
    *state = c;
    return 0;
}

static int group_setup(void **state)
{
    return setup(state, 0);
}

static int restart_setup(void **state)
{
    return setup(state, 1);
}

static int group_teardown(void **state)
{
    ctx *c = *state;
    int i;
    if (!c) return 0; /* setup failed */
    if (c->sim > 0) {
        kill(c->sim, SIGKILL);
        waitpid(c->sim, NULL, 0);
    }
    lp_mqtt_destroy(c->cli);
    event_base_free(c->base);
    for (i = 0; i < NV; i++)
        if (c->v[i].have_state) lp_vda_state_deinit(&c->v[i].st);
    if (c->log) fclose(c->log);
    if (c->broker_dir) broker_script("stop", c->broker_dir, 0);
    free(c->broker_dir);
    if (getenv("LP_TEST_KEEP"))
        fprintf(stderr, "kept %s\n", c->dir);
    else
        lp_test_rmtree(c->dir);
    free(c->dir);
    free(c);
    return 0;
}

/* Tests ------------------------------------------------------------------------ */

/* v1 drives A-B-C (base) and stops at C, before the horizon node D. */
static void test_base_only(void **state)
{
    ctx *c = *state;
    path p = {.order_id = "o1", .n = 4, .nbase = 3, .ids = {"A", "B", "C", "D"}, .xs = {0, 100, 200, 300},
              .max_speed = 6};
    const lp_vda_state *s = &c->v[0].st;
    send_order(c, "v1", &p);
    WAIT(c, "v1 driving", .vi = 0, .driving = 1);
    WAIT(c, "v1 at C, standing", .vi = 0, .node = "C", .standing = 1);
    assert_string_equal(s->order_id, "o1");
    assert_int_equal(s->last_node_seq, 4);
    assert_true(s->new_base_request);
    assert_int_equal(s->nnode_states, 1);
    assert_string_equal(s->node_states[0].node_id, "D");
    assert_false(s->node_states[0].released);
    assert_int_equal(s->nedge_states, 1);
    assert_false(s->edge_states[0].released);
    assert_true(fabs(s->position.x - 200) < 1e-6);
    assert_true(s->battery.charge < 100); /* drained by 200 m */
    /* Standing at the base end: ten more simulated seconds change nothing. */
    wait_states(c, 0, 2);
    assert_string_equal(c->v[0].st.last_node_id, "C");
    assert_false(c->v[0].st.driving);
    assert_true(c->v[0].max_x <= 200 + 1e-6);
}

/* An update stitched at C releases D and E; a lower orderUpdateId and a
 * wrong stitching node are rejected; a new order elsewhere has no route. */
static void test_update_extends_base(void **state)
{
    ctx *c = *state;
    path up = {.order_id = "o1", .update_id = 1, .first_seq = 4, .n = 3, .nbase = 3, .ids = {"C", "D", "E"},
               .xs = {200, 300, 400}};
    path old = {.order_id = "o1", .update_id = 0, .first_seq = 4, .n = 2, .nbase = 2, .ids = {"C", "D"},
                .xs = {200, 300}};
    path badstitch = {.order_id = "o1", .update_id = 2, .first_seq = 2, .n = 2, .nbase = 2, .ids = {"B", "C"},
                      .xs = {100, 200}};
    path far = {.order_id = "o2", .n = 2, .nbase = 2, .ids = {"Y", "Z"}, .xs = {5000, 6000}};
    send_order(c, "v1", &up);
    WAIT(c, "v1 at E, order done", .vi = 0, .node = "E", .standing = 1, .no_nodes = 1);
    assert_int_equal(c->v[0].st.order_update_id, 1);
    assert_int_equal(c->v[0].st.last_node_seq, 8);
    assert_false(c->v[0].st.new_base_request);
    assert_true(fabs(c->v[0].st.position.x - 400) < 1e-6);
    send_order(c, "v1", &old);
    WAIT(c, "orderUpdateError", .vi = 0, .error = "orderUpdateError");
    assert_int_equal(c->v[0].st.order_update_id, 1);
    send_order(c, "v1", &badstitch);
    wait_states(c, 0, 1);
    assert_non_null(lp_vda_state_find_error(&c->v[0].st, "orderUpdateError"));
    assert_int_equal(c->v[0].st.order_update_id, 1);
    send_order(c, "v1", &far);
    WAIT(c, "noRouteError", .vi = 0, .error = "noRouteError");
    assert_string_equal(c->v[0].st.order_id, "o1");
}

/* v2: a blocking node action runs, pauses (PAUSED) and resumes; cancelOrder
 * fails it; then driving pauses and resumes, cancelOrder stops the vehicle
 * and a second cancelOrder finds nothing to cancel. */
static void test_pause_resume_cancel(void **state)
{
    ctx *c = *state;
    path p = {.order_id = "p1", .n = 2, .nbase = 2, .ids = {"A", "B"}, .xs = {0, 2000}, .act_node = 0,
              .act_id = "pick-1", .act_type = "pick", .act_duration = "600"};
    path q = {.order_id = "p2", .n = 2, .nbase = 2, .ids = {"A", "B"}, .xs = {0, 2000}};
    double x;
    send_order(c, "v2", &p);
    WAIT(c, "pick running", .vi = 1, .action = "pick-1", .status = LP_VDA_AS_RUNNING, .standing = 1);
    send_instant(c, "v2", "pause-1", "startPause");
    WAIT(c, "pick paused", .vi = 1, .action = "pick-1", .status = LP_VDA_AS_PAUSED, .paused = 1);
    assert_non_null(lp_vda_state_find_action(&c->v[1].st, "pause-1"));
    send_instant(c, "v2", "resume-1", "stopPause");
    WAIT(c, "pick running again", .vi = 1, .action = "pick-1", .status = LP_VDA_AS_RUNNING, .paused = -1);
    send_instant(c, "v2", "cancel-1", "cancelOrder");
    WAIT(c, "cancel finished", .vi = 1, .action = "cancel-1", .status = LP_VDA_AS_FINISHED, .no_nodes = 1);
    assert_int_equal(lp_vda_state_find_action(&c->v[1].st, "pick-1")->status, LP_VDA_AS_FAILED);

    send_order(c, "v2", &q);
    WAIT(c, "v2 driving", .vi = 1, .driving = 1, .min_x = 20);
    send_instant(c, "v2", "pause-2", "startPause");
    WAIT(c, "v2 paused and standing", .vi = 1, .paused = 1, .standing = 1);
    x = c->v[1].st.position.x;
    wait_states(c, 1, 2);
    assert_true(fabs(c->v[1].st.position.x - x) < 1e-9);
    assert_false(c->v[1].st.driving);
    send_instant(c, "v2", "resume-2", "stopPause");
    WAIT(c, "v2 moving again", .vi = 1, .driving = 1, .paused = -1, .min_x = x + 1);
    send_instant(c, "v2", "cancel-2", "cancelOrder");
    WAIT(c, "v2 cancelled", .vi = 1, .action = "cancel-2", .status = LP_VDA_AS_FINISHED, .no_nodes = 1,
         .standing = 1);
    assert_string_equal(c->v[1].st.order_id, "p2");
    assert_true(c->v[1].st.position.x < 2000);
    send_instant(c, "v2", "cancel-3", "cancelOrder");
    WAIT(c, "noOrderToCancel", .vi = 1, .action = "cancel-3", .status = LP_VDA_AS_FAILED,
         .error = "noOrderToCancel");
}

/* An idle vehicle reports once a second: consecutive headerIds, timestamps
 * about a second apart (bounds are wide: the machine may be loaded). */
static void test_state_1hz(void **state)
{
    ctx *c = *state;
    int i;
    wait_states(c, 2, 5);
    for (i = 4; i < 8; i++) {
        int64_t gap = c->v[2].ts[i] - c->v[2].ts[i - 1];
        assert_int_equal(c->v[2].hid[i], c->v[2].hid[i - 1] + 1);
        if (gap < 800 || gap > 5000) lp_test_fail("state gap of %lld ms at an idle vehicle", (long long)gap);
    }
}

/* e-stop and stall stop the vehicle with a FATAL error; clear lets it go. */
static void test_estop_and_stall(void **state)
{
    ctx *c = *state;
    path p = {.order_id = "f1", .n = 2, .nbase = 2, .ids = {"A", "B"}, .xs = {0, 3000}};
    const lp_vda_error *e;
    send_order(c, "v3", &p);
    WAIT(c, "v3 driving", .vi = 2, .driving = 1, .min_x = 10);
    send_fault(c, "v3", "estop");
    WAIT(c, "e-stop", .vi = 2, .estop = 1, .standing = 1, .error = "emergencyStop");
    e = lp_vda_state_find_error(&c->v[2].st, "emergencyStop");
    assert_true(e->fatal);
    assert_int_equal(c->v[2].st.estop, LP_VDA_ESTOP_REMOTE);
    send_fault(c, "v3", "clear");
    WAIT(c, "e-stop cleared", .vi = 2, .estop = -1, .no_error = "emergencyStop", .driving = 1);
    send_fault(c, "v3", "stall");
    WAIT(c, "stall", .vi = 2, .standing = 1, .error = "driveStall");
    assert_true(lp_vda_state_find_error(&c->v[2].st, "driveStall")->fatal);
    send_fault(c, "v3", "clear");
    WAIT(c, "stall cleared", .vi = 2, .no_error = "driveStall", .driving = 1);
}

/* drop_connection: the broker publishes the last will CONNECTIONBROKEN; the
 * vehicle reconnects and says ONLINE again. */
static void test_last_will(void **state)
{
    ctx *c = *state;
    unsigned long seen = c->v[2].nconn;
    send_fault(c, "v3", "drop_connection");
    WAIT(c, "CONNECTIONBROKEN", .vi = 2, .conn = "CONNECTIONBROKEN", .nconn = seen);
    WAIT(c, "ONLINE again", .vi = 2, .conn = "ONLINE", .nconn = seen);
    wait_states(c, 2, 1);
}

/* SIGTERM: every vehicle says OFFLINE and the process exits 0. */
static void test_sigterm_offline(void **state)
{
    ctx *c = *state;
    unsigned long seen[NV];
    int i, st;
    for (i = 0; i < NV; i++) seen[i] = c->v[i].nconn;
    kill(c->sim, SIGTERM);
    for (i = 0; i < NV; i++) WAIT(c, "OFFLINE", .vi = i, .conn = "OFFLINE", .nconn = seen[i]);
    assert_int_equal(waitpid(c->sim, &st, 0), c->sim);
    c->sim = 0;
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

/* Every message seen, both directions, against the 2.1.0 schemas; and the
 * validator itself rejects a broken message. */
static void test_schema_valid(void **state)
{
    ctx *c = *state;
    char cmd[2048], bad[600];
    FILE *f;
    int rc;
    fflush(c->log);
    snprintf(cmd, sizeof cmd, "python3 %s/tests/tools/vda5050_validate.py %s/2.1.0 %s", LP_SOURCE_DIR,
             LP_VDA5050_SCHEMA_DIR, c->log_path);
    rc = system(cmd);
    assert_int_equal(rc, 0);
    snprintf(bad, sizeof bad, "%s/bad.jsonl", c->dir);
    f = fopen(bad, "w");
    assert_non_null(f);
    fprintf(f, "{\"topic\":\"uagv/v2/m/s/connection\",\"payload\":\"{\\\"headerId\\\":1,"
               "\\\"timestamp\\\":\\\"2026-11-23T10:00:00.000Z\\\",\\\"version\\\":\\\"2.1.0\\\","
               "\\\"manufacturer\\\":\\\"m\\\",\\\"serialNumber\\\":\\\"s\\\",\\\"connectionState\\\":\\\"GONE\\\"}\"}\n");
    fclose(f);
    snprintf(cmd, sizeof cmd, "python3 %s/tests/tools/vda5050_validate.py %s/2.1.0 %s >/dev/null", LP_SOURCE_DIR,
             LP_VDA5050_SCHEMA_DIR, bad);
    rc = system(cmd);
    assert_true(WIFEXITED(rc) && WEXITSTATUS(rc) == 1);
}

/* The broker restarts on the same port: the vehicles and the client
 * reconnect with backoff, the vehicles say ONLINE again and renew their
 * subscriptions (an order sent afterwards is driven). */
static void test_broker_restart(void **state)
{
    ctx *c = *state;
    path p = {.order_id = "r1", .n = 2, .nbase = 2, .ids = {"A", "B"}, .xs = {0, 100}};
    unsigned long seen[NV];
    int i;
    for (i = 0; i < NV; i++) seen[i] = c->v[i].nconn;
    broker_script("stop", c->broker_dir, 0);
    pump_for(c, 0.5);
    assert_false(lp_mqtt_connected(c->cli));
    broker_script("start", c->broker_dir, c->port);
    for (i = 0; i < NV; i++) WAIT(c, "ONLINE after the restart", .vi = i, .conn = "ONLINE", .nconn = seen[i]);
    send_order(c, "v1", &p);
    WAIT(c, "v1 drove after the restart", .vi = 0, .node = "B", .standing = 1, .no_nodes = 1);
    test_sigterm_offline(state);
    test_schema_valid(state);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_base_only),
        cmocka_unit_test(test_update_extends_base),
        cmocka_unit_test(test_pause_resume_cancel),
        cmocka_unit_test(test_state_1hz),
        cmocka_unit_test(test_estop_and_stall),
        cmocka_unit_test(test_last_will),
        cmocka_unit_test(test_sigterm_offline),
        cmocka_unit_test(test_schema_valid),
    };
    const struct CMUnitTest restart[] = {
        cmocka_unit_test(test_broker_restart),
    };
    int failed;
    signal(SIGPIPE, SIG_IGN);
    failed = cmocka_run_group_tests_name("agv_sim", tests, group_setup, group_teardown);
    failed += cmocka_run_group_tests_name("agv_sim_restart", restart, restart_setup, group_teardown);
    return failed;
}
