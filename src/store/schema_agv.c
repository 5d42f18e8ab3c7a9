/* schema_agv.c - schema v7 and v8: the AGV fleet.  The vehicles that registered
 * over VDA 5050 (agvs, id = serial number) and the missions with their trip
 * record (track and stops as JSON, set by the fleet manager). */
#include "schema_parts.h"

static const char v7_common[] =
    "CREATE TABLE agvs ("
    " id TEXT PRIMARY KEY, manufacturer TEXT NOT NULL, state TEXT NOT NULL, battery BIGINT, position TEXT,"
    " last_seen BIGINT, mode TEXT, lost BIGINT NOT NULL DEFAULT 0, holds BIGINT,"
    " version BIGINT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);"
    "CREATE TABLE agv_missions ("
    " id {{AUTOID}}, agv TEXT NOT NULL, from_zone TEXT NOT NULL, to_zone TEXT NOT NULL, declaration_id TEXT,"
    " state TEXT NOT NULL, order_id TEXT, route TEXT, length_m BIGINT, estimate_s BIGINT, distance_m BIGINT,"
    " track TEXT, stops TEXT, started_at BIGINT, handover_at BIGINT, released_at BIGINT, release_reason TEXT,"
    " released_by TEXT, finished_at BIGINT, reason TEXT,"
    " version BIGINT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);"
    "CREATE INDEX agv_missions_agv ON agv_missions(agv, id);";

const lp_schema_part lp_schema_agv = {7, "agv fleet: agvs, missions and trip records", v7_common, "", "", NULL};

/* v8: what a mission is for (delivery, charge, return), what it waits for
 * (customs, inspection), its cancellation, and the gate decision of its
 * declaration. */
static const char v8_common[] =
    "ALTER TABLE agv_missions ADD COLUMN kind TEXT NOT NULL DEFAULT 'delivery';"
    "ALTER TABLE agv_missions ADD COLUMN waiting_for TEXT;"
    "ALTER TABLE agv_missions ADD COLUMN customs_cleared_at BIGINT;"
    "ALTER TABLE agv_missions ADD COLUMN cancelled_at BIGINT;"
    "ALTER TABLE agv_missions ADD COLUMN cancelled_by TEXT;"
    "ALTER TABLE agv_missions ADD COLUMN cancel_reason TEXT;"
    "ALTER TABLE agv_missions ADD COLUMN alerts TEXT;"
    "CREATE INDEX agv_missions_state ON agv_missions(state, id);";

const lp_schema_part lp_schema_agv_missions2 = {8, "agv missions: kind, waiting, cancel, customs", v8_common, "", "",
                                               NULL};
