/* road.h - a road for AGVs as data: nodes, edges, lanes and zones, with
 * validation, route planning and geometry.
 *
 * A road is parsed from a JSON text (docs/road-format.md) and validated as a
 * whole; after lp_road_parse succeeds every index in it is in range, the
 * graph is connected and every required zone exists.  It is read-only
 * afterwards and may be shared by any number of readers (traffic control,
 * the fleet manager, the simulators, the dashboard map).  Pure: no I/O. */
#ifndef LP_ROAD_H
#define LP_ROAD_H

#include <stddef.h>

#include "core/err.h"

#define LP_ROAD_ID_MAX 32       /* bytes of an id, with the NUL */
#define LP_ROAD_NAME_MAX 96     /* bytes of a name, with the NUL */
#define LP_ROAD_NODES_MAX 4096
#define LP_ROAD_EDGES_MAX 8192
#define LP_ROAD_ZONES_MAX 64
#define LP_ROAD_ROUTE_MAX 256   /* nodes in a planned route */
#define LP_ROAD_TEXT_MAX (4 * 1024 * 1024)

/* The model ------------------------------------------------------------------------ */

/* What a node is for the traffic rules.  A parking node (yard, charging
 * station) holds any number of vehicles; a passing node is a passing bay, a
 * place where vehicles of the two directions can stand side by side; any
 * other node is a point on the road. */
typedef enum lp_road_node_kind {
    LP_ROAD_POINT = 0,
    LP_ROAD_PASSING,
    LP_ROAD_PARKING
} lp_road_node_kind;

/* How many vehicles can stand at a node, derived by validation from the
 * node kind and the lanes of its edges. */
typedef enum lp_road_spots {
    LP_ROAD_SPOTS_ONE = 0, /* a point inside a single-lane block */
    LP_ROAD_SPOTS_TWO,     /* one per direction (passing bay, two-lane road, block end) */
    LP_ROAD_SPOTS_MANY     /* parking */
} lp_road_spots;

typedef enum lp_road_lane { LP_ROAD_DOUBLE = 0, LP_ROAD_SINGLE } lp_road_lane;

/* Directions an edge may be driven in, relative to its from -> to order. */
enum {
    LP_ROAD_FORWARD = 1,  /* from -> to */
    LP_ROAD_BACKWARD = 2, /* to -> from */
    LP_ROAD_BOTH = 3
};

typedef struct lp_road_node {
    char id[LP_ROAD_ID_MAX];
    char name[LP_ROAD_NAME_MAX];
    double x, y; /* metres, x east, y north */
    lp_road_node_kind kind;
    /* derived by validation: */
    lp_road_spots spots;
    int block;   /* single-lane block the node is inside, -1 if none */
} lp_road_node;

typedef struct lp_road_edge {
    char id[LP_ROAD_ID_MAX];
    int from, to;      /* node indices */
    double length_m;   /* > 0, at least the straight distance of its nodes */
    double speed_mps;  /* speed limit, > 0 */
    int dirs;          /* LP_ROAD_FORWARD | LP_ROAD_BACKWARD */
    lp_road_lane lane;
    /* derived by validation: */
    int block;         /* single-lane block of the edge, -1 for a two-lane edge */
} lp_road_edge;

/* A single-lane block: a maximal chain of single-lane edges whose inner
 * nodes have one spot.  Its ends (end[0], end[1]) are nodes with two or more
 * spots.  edges[] and nodes[] run from end[0] to end[1]: nodes[0] is end[0],
 * nodes[nedges] is end[1]. */
typedef struct lp_road_block {
    int end[2];
    int nedges;
    int *edges;    /* nedges edge indices */
    int *nodes;    /* nedges + 1 node indices */
    double length_m;
} lp_road_block;

typedef struct lp_road_zone {
    char id[LP_ROAD_ID_MAX];
    char name[LP_ROAD_NAME_MAX];
    int node;
} lp_road_zone;

/* All fields are read-only for callers. */
typedef struct lp_road {
    char id[LP_ROAD_ID_MAX];
    char name[LP_ROAD_NAME_MAX];
    int nnodes, nedges, nzones, nblocks;
    lp_road_node *nodes;
    lp_road_edge *edges;
    lp_road_zone *zones;
    lp_road_block *blocks;
    /* adjacency: the edges of node n are adj[adj_start[n] .. adj_start[n+1]) */
    int *adj_start;
    int *adj;
} lp_road;

/* The zones every road must have (ids in the file). */
extern const char *const lp_road_required_zones[];
#define LP_ROAD_REQUIRED_ZONES 7

/* Parse and free ------------------------------------------------------------------- */

/* Parses and validates a road from JSON text (len bytes, need not be
 * NUL-terminated).  On success returns LP_OK and *out; the caller owns it
 * and frees it with lp_road_destroy().  Returns LP_EINVAL with every problem
 * found in err (one field per problem, JSON pointers such as
 * "/edges/3/to"), LP_ETOOBIG for a text or a list over the limits.  *out is
 * NULL on failure. */
int lp_road_parse(const char *text, size_t len, lp_road **out, lp_err *err);

/* NULL-safe. */
void lp_road_destroy(lp_road *r);

/* Lookups -------------------------------------------------------------------------- */

/* Index of the node / edge / zone with that id, or -1. */
int lp_road_node_find(const lp_road *r, const char *id);
int lp_road_edge_find(const lp_road *r, const char *id);
int lp_road_zone_find(const lp_road *r, const char *id);
/* The node of a zone id, or -1. */
int lp_road_zone_node(const lp_road *r, const char *zone_id);
/* A node given by a node id or a zone id (zone ids are tried first), or -1. */
int lp_road_place(const lp_road *r, const char *id);
/* The other end of edge e seen from node n. */
int lp_road_edge_other(const lp_road *r, int e, int n);

/* Routes --------------------------------------------------------------------------- */

/* A route: n nodes and the n - 1 edges between them.  Plain value. */
typedef struct lp_road_route {
    int n;
    int nodes[LP_ROAD_ROUTE_MAX];
    int edges[LP_ROAD_ROUTE_MAX];   /* edges[i] joins nodes[i] and nodes[i + 1] */
    signed char fwd[LP_ROAD_ROUTE_MAX]; /* 1: edges[i] driven from -> to, 0: to -> from */
    double length_m;
    double time_s;                  /* at the speed limits */
} lp_road_route;

/* Plans the quickest route (Dijkstra on travel time at the speed limits,
 * honouring edge directions) from node `from` to node `to`.  A route from a
 * node to itself has one node.  Returns LP_OK, LP_EINVAL for a bad node
 * index, LP_ENOTFOUND when no route exists, LP_ETOOBIG when the route has
 * more than LP_ROAD_ROUTE_MAX nodes. */
int lp_road_plan(const lp_road *r, int from, int to, lp_road_route *out, lp_err *err);

/* Builds a route from a node list (a route the caller chose), checking that
 * consecutive nodes are joined by an edge drivable in that direction.
 * Returns LP_OK or LP_EINVAL (message names the first bad step). */
int lp_road_route_from_nodes(const lp_road *r, const int *nodes, int n, lp_road_route *out,
                             lp_err *err);

/* Distance from the route's first node to its node i, in metres. */
double lp_road_route_pos(const lp_road *r, const lp_road_route *rt, int i);

/* Geometry (for the simulator and the map) ---------------------------------------- */

typedef struct lp_road_point {
    double x, y;    /* metres */
    double heading; /* radians, 0 = east, counter-clockwise (VDA 5050 theta) */
    int edge;       /* edge the point is on, -1 at a one-node route */
    double edge_m;  /* metres from the edge's from node */
} lp_road_point;

/* The point at `along_m` metres from edge e's from node (clamped to the
 * edge), heading from -> to; fwd = 0 gives the heading to -> from (along_m
 * still counts from the from node).  Edges are drawn straight between their
 * nodes, scaled so that their length maps onto the segment. */
lp_road_point lp_road_edge_point(const lp_road *r, int e, double along_m, int fwd);

/* The point at `along_m` metres from the start of a route (clamped). */
lp_road_point lp_road_route_point(const lp_road *r, const lp_road_route *rt, double along_m);

/* Projects (x, y) onto edge e: metres from its from node (clamped), and the
 * distance of the point from the edge in *off_m (may be NULL). */
double lp_road_edge_project(const lp_road *r, int e, double x, double y, double *off_m);

#endif
