/* vehicle_internal.h - the simulated vehicle's fields, shared by vehicle.c
 * (orders, actions, faults) and vehicle_drive.c (motion, state).  Internal
 * to src/agv. */
#ifndef LP_VEHICLE_INTERNAL_H
#define LP_VEHICLE_INTERNAL_H

#include "vda5050_order.h"
#include "vehicle.h"

typedef struct vehicle_act {
    lp_vda_action_state st;
    int node;             /* index of its node, -1 for edge or instant actions */
    int edge;             /* index of its edge, -1 for node or instant actions */
    int instant;
    lp_vda_blocking blocking;
    double remaining;     /* seconds left while RUNNING */
} vehicle_act;

struct lp_vehicle {
    char manufacturer[LP_VDA_ID_MAX], serial[LP_VDA_ID_MAX], map_id[LP_VDA_ID_MAX];
    double speed_max, accel, decel, drain_per_m, charge_per_s;
    /* Where it is and how fast it goes. */
    double x, y, theta, speed; /* m, rad, m/s */
    double battery;            /* % */
    int charging;
    /* The order: nodes[next] is the node it drives to; it has travelled
     * seg_pos metres along the edge from nodes[next-1]. */
    lp_vda_order order;
    int has_order, cancelled, cancelling;
    int next;
    double seg_pos, dist_since_last;
    char last_node_id[LP_VDA_ID_MAX];
    int64_t last_node_seq;
    int new_base_request;
    int paused, estop, stalled;
    lp_vda_opmode mode;
    int nacts, nerrors;
    vehicle_act *acts;
    lp_vda_error *errors;
};

lp_vda_error *vehicle__error(lp_vehicle *v, const char *type, int fatal, const char *desc);
void vehicle__clear_error(lp_vehicle *v, const char *type);
vehicle_act *vehicle__act_find(lp_vehicle *v, const char *id);
/* Starts node i's actions; returns events. */
int vehicle__start_node_actions(lp_vehicle *v, int i);
/* 1 while a blocking action of node i is not done. */
int vehicle__blocked_at(const lp_vehicle *v, int node);
void vehicle__view(const lp_vehicle *v, lp_vda_view *w);

#endif
