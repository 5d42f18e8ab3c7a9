/* agvstore.h - the AGV fleet's audited records: the vehicles that registered
 * over VDA 5050 (agvs, text id = serial number) and the missions with their
 * trip record (agv_missions).  Written by the fleet manager's sink
 * (src/net/h_agv_sink.c), read by the HTTP handlers (h_agv.c). */
#ifndef LP_AGVSTORE_H
#define LP_AGVSTORE_H

#include "table.h"

/* agvs: manufacturer, state, battery, position (JSON), last_seen, mode, lost. */
extern const lp_table lp_tbl_agvs;
/* agv_missions: agv, from/to zone, declaration_id, state, order_id, distance_m,
 * track and stops (JSON), handover_at, released_at, release_reason, ... */
extern const lp_table lp_tbl_agv_missions;

/* Inserts the vehicle (serial) or, when it exists, updates it with values;
 * audited ("agv.create" / "agv.<action>").  Returns LP_OK or LP_ESTORE. */
int lp_agvstore_agv_put(lp_store *st, const lp_actor *who, const char *serial, const char *action,
                        const cJSON *values, lp_err *err);

/* The AGV operating windows of the crossing points with agv traffic, as one
 * JSON array text of {"open":"HH:MM","close":"HH:MM"}; caller frees with
 * lp_free().  "[]" when none. */
int lp_agvstore_windows(lp_store *st, char **out, lp_err *err);

/* The status of declaration id in *status (n bytes); LP_ENOTFOUND if none. */
int lp_agvstore_decl_status(lp_store *st, const char *id, char *status, size_t n, lp_err *err);

/* The status (n bytes) and transport (tn bytes; may be NULL) of
 * declaration id; LP_ENOTFOUND if none. */
int lp_agvstore_decl(lp_store *st, const char *id, char *status, size_t n, char *transport, size_t tn, lp_err *err);

/* 1 when a declaration in status lets its load cross (the gate decision
 * of the clearance: cleared, gate_open, exited), else 0. */
int lp_agvstore_decl_crossing_ok(const char *status);

/* The missions a restarted server must re-adopt (state running or
 * held_at_inspection) as a JSON array of records; caller owns *out. */
int lp_agvstore_missions_open(lp_store *st, cJSON **out, lp_err *err);

#endif
