/* vda5050_order.h - the VDA 5050 order rules as pure functions, used by the
 * vehicle (agv-sim) to accept or reject what it receives and by the fleet
 * manager to build updates that will be accepted.
 *
 * An order's nodes and edges alternate along one path with sequenceIds
 * n0, n0+1, n0+2, ... (nodes even, edges odd); the base (released) comes
 * first and ends with a node, the horizon follows.  An update keeps the
 * orderId, raises orderUpdateId and starts at the last base node of the
 * current order (the stitching node); it replaces the horizon.  No I/O. */
#ifndef LP_VDA5050_ORDER_H
#define LP_VDA5050_ORDER_H

#include "vda5050.h"

/* Checks the structure of o: at least one node, nodes-1 edges, sequenceIds
 * even/odd and consecutive, each edge joining its neighbour nodes, the first
 * node released, no released element after a horizon one.  Returns 0 or
 * LP_EINVAL with one field error per violation (pointer to the member). */
int lp_vda_order_check(const lp_vda_order *o, lp_err *err);

/* Index of the last released node (the end of the base); -1 if none. */
int lp_vda_order_base_end(const lp_vda_order *o);

/* What the vehicle knows when a message arrives. */
typedef struct lp_vda_view {
    const lp_vda_order *current; /* NULL: no order received yet; borrowed */
    int cancelled;               /* current was cancelled */
    int executing;               /* base nodes left to reach or actions running */
    int has_horizon;             /* current still has horizon nodes (awaiting an update) */
    const char *last_node_id;    /* "" or NULL: none */
    int64_t last_node_seq;
    int has_position;
    double x, y; /* m, on the map */
} lp_vda_view;

typedef enum lp_vda_verdict {
    LP_VDA_ORDER_NEW,       /* replace everything with the incoming order */
    LP_VDA_ORDER_UPDATE,    /* merge with lp_vda_order_merge */
    LP_VDA_ORDER_DUPLICATE, /* same orderId and orderUpdateId again: ignore */
    LP_VDA_ORDER_REJECT     /* report why->error_type in state.errors */
} lp_vda_verdict;

typedef struct lp_vda_reject {
    char error_type[LP_VDA_ID_MAX]; /* validationError, orderError, orderUpdateError, noRouteError, noOrderToCancel */
    char pointer[96];               /* the member at fault, "" if none */
    char msg[LP_VDA_TEXT_MAX];
} lp_vda_reject;

/* Judges incoming against the view.  Rules, in order: a structurally bad
 * order is a validationError; a new orderId while executing (or while a
 * horizon awaits an update) is an orderError; a new order must start where
 * the vehicle is (its last node, or within allowedDeviationXY, default 1 m,
 * of its position) else noRouteError; the same orderId with a lower
 * orderUpdateId, an update of a cancelled order, or an update whose first
 * node is not the current base end (nodeId and sequenceId) is an
 * orderUpdateError; the same orderUpdateId is a duplicate.  why is filled
 * on LP_VDA_ORDER_REJECT only. */
lp_vda_verdict lp_vda_order_judge(const lp_vda_view *v, const lp_vda_order *incoming, lp_vda_reject *why);

/* The order after an accepted update: current's nodes and edges up to (not
 * including) its base end, then all of update's (whose first node is that
 * base end); header, orderUpdateId from update.  Caller deinits out. */
void lp_vda_order_merge(const lp_vda_order *current, const lp_vda_order *update, lp_vda_order *out);

/* cancelOrder: returns 0 when there is an order to cancel (executing, or a
 * horizon awaiting an update), else LP_ECONFLICT with why filled
 * (noOrderToCancel). */
int lp_vda_cancel_judge(const lp_vda_view *v, lp_vda_reject *why);

#endif
