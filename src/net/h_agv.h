/* h_agv.h - HTTP handlers of the AGV fleet (VDA 5050) and the road; their routes are in routes_agv.inc. */
#ifndef LP_H_AGV_H
#define LP_H_AGV_H

#include "../agv/fleet.h"
#include "events.h"
#include "handlers.h"
#include "routes.h"

extern const lp_jspec lp_spec_agv_mission;
extern const lp_jspec lp_spec_agv_release;
extern const lp_jspec lp_spec_agv_cancel;
extern const lp_qparam lp_query_agv_missions[];
extern const lp_qparam lp_query_agvs[];
void lp_h_agvs_list(lp_req *r);
void lp_h_agvs_pause_all(lp_req *r);
void lp_h_agvs_resume_all(lp_req *r);
void lp_h_road_get(lp_req *r);
void lp_h_traffic_get(lp_req *r);
void lp_h_agv_missions_create(lp_req *r);
void lp_h_agv_missions_list(lp_req *r);
void lp_h_agv_missions_get(lp_req *r);
void lp_h_agv_missions_trip(lp_req *r);
void lp_h_agv_missions_release(lp_req *r);
void lp_h_agv_missions_cancel(lp_req *r);

/* At the start of serve: the AGV operating windows of the crossing points
 * and the missions left running by the previous run (re-adopted when their
 * vehicles report, fleet.h).  LP_OK or LP_ESTORE. */
int lp_h_agv_fleet_load(lp_fleet *f, lp_store *st, lp_err *err);
/* After a crossing point changed: the fleet (when on) applies its AGV
 * windows from now on, for window ends and charging too. */
void lp_h_agv_windows_refresh(lp_req *r);

/* h_agv_sink.c: fills sink so that the fleet's changes become audited
 * records of c->store (agvstore.h) and live events of c->hub (may be NULL).
 * c is the caller's and must outlive the fleet. */
typedef struct lp_agv_sink_ctx {
    lp_store *store;
    lp_events *hub;
} lp_agv_sink_ctx;
void lp_h_agv_sink(lp_fleet_sink *sink, lp_agv_sink_ctx *c);

#endif
