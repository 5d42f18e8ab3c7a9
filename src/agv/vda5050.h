/* vda5050.h - VDA 5050 2.1.0 messages as C values, and their JSON codecs.
 *
 * One struct per topic (order, instantActions, state, connection,
 * factsheet), each starting with the common header.  lp_vda_*_parse checks
 * every member it reads (type, presence, enum, range) and reports each wrong
 * one as a JSON pointer in an lp_err, so master control and the simulator log
 * precisely why a message was rejected.  lp_vda_*_format writes a message
 * valid against the 2.1.0 schemas.  Strings are fixed-size (ids longer than
 * LP_VDA_ID_MAX-1 bytes are rejected); arrays are owned by the struct and
 * freed by its deinit.  Used by the fleet manager (src/agv) and agv-sim. */
#ifndef LP_VDA5050_H
#define LP_VDA5050_H

#include <stdint.h>

#include "../core/err.h"

#define LP_VDA_VERSION "2.1.0"
#define LP_VDA_ID_MAX 64
#define LP_VDA_TEXT_MAX 160

/* Header -------------------------------------------------------------------- */

typedef struct lp_vda_header {
    int64_t header_id;    /* per topic and sender, +1 per message sent */
    int64_t timestamp_ms; /* ms since the epoch (UTC) */
    char version[16];
    char manufacturer[LP_VDA_ID_MAX];
    char serial[LP_VDA_ID_MAX];
} lp_vda_header;

/* Fills h for a message from/to manufacturer/serial at now_ms with header
 * id id and version LP_VDA_VERSION.  Strings are truncated to fit. */
void lp_vda_header_init(lp_vda_header *h, const char *manufacturer, const char *serial, int64_t id,
                        int64_t now_ms);

/* Topics -------------------------------------------------------------------- */

typedef enum lp_vda_topic {
    LP_VDA_T_ORDER,
    LP_VDA_T_INSTANT_ACTIONS,
    LP_VDA_T_STATE,
    LP_VDA_T_VISUALIZATION,
    LP_VDA_T_CONNECTION,
    LP_VDA_T_FACTSHEET,
    LP_VDA_T_COUNT
} lp_vda_topic;

/* The last topic level ("order", "instantActions", ...). */
const char *lp_vda_topic_name(lp_vda_topic t);
/* Writes "uagv/v2/{manufacturer}/{serial}/{name}" into out (n bytes).
 * Returns 0, or LP_ETOOBIG when it does not fit, LP_EINVAL when manufacturer
 * or serial is empty or holds '/', '+' or '#'. */
int lp_vda_topic_format(char *out, size_t n, const char *manufacturer, const char *serial, lp_vda_topic t);
/* Splits a received topic into manufacturer, serial (LP_VDA_ID_MAX each) and
 * kind.  Returns 0 or LP_EINVAL when it is not a uagv/v2 topic we know. */
int lp_vda_topic_parse(const char *topic, char *manufacturer, char *serial, lp_vda_topic *t);

/* Actions (in orders and instantActions) ----------------------------------- */

typedef enum lp_vda_blocking { LP_VDA_BLOCK_NONE, LP_VDA_BLOCK_SOFT, LP_VDA_BLOCK_HARD } lp_vda_blocking;

typedef struct lp_vda_param {
    char key[LP_VDA_ID_MAX];
    char *value_json; /* the value as compact JSON text; owned */
} lp_vda_param;

typedef struct lp_vda_action {
    char action_id[LP_VDA_ID_MAX];
    char action_type[LP_VDA_ID_MAX];
    char description[LP_VDA_TEXT_MAX]; /* "" when absent */
    lp_vda_blocking blocking;
    int nparams;
    lp_vda_param *params; /* owned */
} lp_vda_action;

/* The parameter named key as a number; returns 1 and sets *v when present
 * and numeric, else 0. */
int lp_vda_action_param_num(const lp_vda_action *a, const char *key, double *v);
void lp_vda_action_deinit(lp_vda_action *a);
/* Deep copy of src into dst (caller deinits dst). */
void lp_vda_action_copy(lp_vda_action *dst, const lp_vda_action *src);

/* Order ----------------------------------------------------------------------- */

typedef struct lp_vda_node_pos {
    int present;
    double x, y;
    int has_theta;
    double theta;
    double allowed_dev_xy; /* -1 when absent */
    char map_id[LP_VDA_ID_MAX];
} lp_vda_node_pos;

typedef struct lp_vda_node {
    char node_id[LP_VDA_ID_MAX];
    int64_t seq; /* even */
    int released; /* 1 base, 0 horizon */
    lp_vda_node_pos pos;
    int nactions;
    lp_vda_action *actions; /* owned */
} lp_vda_node;

typedef struct lp_vda_edge {
    char edge_id[LP_VDA_ID_MAX];
    int64_t seq; /* odd */
    int released;
    char start_node[LP_VDA_ID_MAX], end_node[LP_VDA_ID_MAX];
    double max_speed; /* m/s; 0 when absent (no limit) */
    double length;    /* m; 0 when absent */
    int nactions;
    lp_vda_action *actions; /* owned */
} lp_vda_edge;

typedef struct lp_vda_order {
    lp_vda_header h;
    char order_id[LP_VDA_ID_MAX];
    int64_t order_update_id;
    char zone_set_id[LP_VDA_ID_MAX]; /* "" when absent */
    int nnodes, nedges;
    lp_vda_node *nodes; /* owned */
    lp_vda_edge *edges; /* owned */
} lp_vda_order;

void lp_vda_order_deinit(lp_vda_order *o);
/* Deep copy (caller deinits dst). */
void lp_vda_order_copy(lp_vda_order *dst, const lp_vda_order *src);
/* Appends a node / edge (deep copies of n / e) and returns the copy. */
lp_vda_node *lp_vda_order_add_node(lp_vda_order *o, const lp_vda_node *n);
lp_vda_edge *lp_vda_order_add_edge(lp_vda_order *o, const lp_vda_edge *e);

/* Parses an order message.  On success fills *o (caller deinits) and returns
 * 0; on bad input returns LP_EINVAL with one field error per wrong member
 * ("/nodes/2/sequenceId: must be an integer >= 0") and leaves *o empty. */
int lp_vda_order_parse(const char *json, size_t len, lp_vda_order *o, lp_err *err);
/* Compact JSON text of o; caller frees with lp_free(). */
char *lp_vda_order_format(const lp_vda_order *o);

/* instantActions ------------------------------------------------------------- */

typedef struct lp_vda_instant {
    lp_vda_header h;
    int nactions;
    lp_vda_action *actions; /* owned */
} lp_vda_instant;

void lp_vda_instant_deinit(lp_vda_instant *m);
int lp_vda_instant_parse(const char *json, size_t len, lp_vda_instant *m, lp_err *err);
char *lp_vda_instant_format(const lp_vda_instant *m);
/* Appends an action with no parameters; returns it (owned by m). */
lp_vda_action *lp_vda_instant_add(lp_vda_instant *m, const char *action_id, const char *type,
                                  lp_vda_blocking blocking);

/* State ---------------------------------------------------------------------- */

typedef enum lp_vda_action_status {
    LP_VDA_AS_WAITING,
    LP_VDA_AS_INITIALIZING,
    LP_VDA_AS_RUNNING,
    LP_VDA_AS_PAUSED, /* in the 2.1.0 text, missing from its state schema */
    LP_VDA_AS_FINISHED,
    LP_VDA_AS_FAILED
} lp_vda_action_status;
const char *lp_vda_action_status_name(lp_vda_action_status s);

typedef enum lp_vda_opmode {
    LP_VDA_MODE_AUTOMATIC,
    LP_VDA_MODE_SEMIAUTOMATIC,
    LP_VDA_MODE_MANUAL,
    LP_VDA_MODE_SERVICE,
    LP_VDA_MODE_TEACHIN
} lp_vda_opmode;
const char *lp_vda_opmode_name(lp_vda_opmode m);

typedef enum lp_vda_estop { LP_VDA_ESTOP_NONE, LP_VDA_ESTOP_AUTOACK, LP_VDA_ESTOP_MANUAL, LP_VDA_ESTOP_REMOTE } lp_vda_estop;
const char *lp_vda_estop_name(lp_vda_estop e);

typedef struct lp_vda_node_state {
    char node_id[LP_VDA_ID_MAX];
    int64_t seq;
    int released;
    lp_vda_node_pos pos; /* optional */
} lp_vda_node_state;

typedef struct lp_vda_edge_state {
    char edge_id[LP_VDA_ID_MAX];
    int64_t seq;
    int released;
} lp_vda_edge_state;

typedef struct lp_vda_action_state {
    char action_id[LP_VDA_ID_MAX];
    char action_type[LP_VDA_ID_MAX]; /* "" when absent */
    lp_vda_action_status status;
    char result[LP_VDA_TEXT_MAX]; /* "" when absent */
} lp_vda_action_state;

#define LP_VDA_REFS_MAX 4
typedef struct lp_vda_error {
    char type[LP_VDA_ID_MAX];
    int fatal; /* errorLevel FATAL (1) or WARNING (0) */
    char description[LP_VDA_TEXT_MAX];
    int nrefs;
    struct { char key[LP_VDA_ID_MAX], value[LP_VDA_ID_MAX]; } refs[LP_VDA_REFS_MAX];
} lp_vda_error;

typedef struct lp_vda_state {
    lp_vda_header h;
    char order_id[LP_VDA_ID_MAX];
    int64_t order_update_id;
    char last_node_id[LP_VDA_ID_MAX];
    int64_t last_node_seq;
    int nnode_states, nedge_states, naction_states, nerrors;
    lp_vda_node_state *node_states;     /* owned */
    lp_vda_edge_state *edge_states;     /* owned */
    lp_vda_action_state *action_states; /* owned */
    lp_vda_error *errors;               /* owned */
    int has_position;
    struct { double x, y, theta; char map_id[LP_VDA_ID_MAX]; int initialized; } position;
    int has_velocity;
    struct { double vx, vy, omega; } velocity;
    int driving, paused, new_base_request;
    double distance_since_last_node; /* < 0: absent */
    struct { double charge; int charging; double reach; /* reach < 0: absent */ } battery;
    lp_vda_opmode mode;
    lp_vda_estop estop;
    int field_violation;
} lp_vda_state;

void lp_vda_state_deinit(lp_vda_state *s);
/* Appends an error (type, level, description; no references); returns it. */
lp_vda_error *lp_vda_state_add_error(lp_vda_state *s, const char *type, int fatal, const char *description);
/* Adds a reference to e (dropped beyond LP_VDA_REFS_MAX). */
void lp_vda_error_ref(lp_vda_error *e, const char *key, const char *value);
/* Returns the first error of that type, or NULL. */
const lp_vda_error *lp_vda_state_find_error(const lp_vda_state *s, const char *type);
/* Returns the action state with that id, or NULL. */
const lp_vda_action_state *lp_vda_state_find_action(const lp_vda_state *s, const char *action_id);
int lp_vda_state_parse(const char *json, size_t len, lp_vda_state *s, lp_err *err);
char *lp_vda_state_format(const lp_vda_state *s);

/* Connection ----------------------------------------------------------------- */

typedef enum lp_vda_conn { LP_VDA_CONN_ONLINE, LP_VDA_CONN_OFFLINE, LP_VDA_CONN_BROKEN } lp_vda_conn;
const char *lp_vda_conn_name(lp_vda_conn c);

typedef struct lp_vda_connection {
    lp_vda_header h;
    lp_vda_conn state;
} lp_vda_connection;

int lp_vda_connection_parse(const char *json, size_t len, lp_vda_connection *c, lp_err *err);
char *lp_vda_connection_format(const lp_vda_connection *c);

/* Factsheet (the parts master control plans with) -------------------------- */

#define LP_VDA_FACT_ACTIONS_MAX 16
typedef struct lp_vda_factsheet {
    lp_vda_header h;
    char series_name[LP_VDA_ID_MAX];
    double speed_min, speed_max, accel_max, decel_max; /* m/s, m/s^2 */
    double height_max, width, length;                  /* m */
    double max_load_mass;                              /* kg */
    int nactions;
    struct { char type[LP_VDA_ID_MAX]; int instant, node, edge; } actions[LP_VDA_FACT_ACTIONS_MAX];
} lp_vda_factsheet;

int lp_vda_factsheet_parse(const char *json, size_t len, lp_vda_factsheet *f, lp_err *err);
char *lp_vda_factsheet_format(const lp_vda_factsheet *f);

#endif
