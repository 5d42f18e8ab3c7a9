/* demo_agv.h - the AGV evening of `landport demo`: loads cross road 1088
 * from the China yard to the Vietnamese customs yard in the crossing point's
 * AGV window (18:30-20:00 gate time by default), through the real API.
 *
 * From half an hour before the window opens, the importers of the demo's
 * cast file import declarations with transport agv (goods from China, one
 * container each), and the demo's customs, quarantine and border-guard
 * officers decide their tasks: most within minutes, some only after a
 * quarter of an hour (with a fleet that lets a mission start uncleared, that
 * AGV waits at the inspection stop for customs).  While an AGV stands idle
 * in the China yard, the operator posts a mission china_yard -> vn_yard with
 * the declaration; at the inspection stop the demo's border guard releases
 * the vehicle after a few minutes of inspection (unless manual release is
 * asked for: then a human does it in the dashboard), and an AGV that arrived
 * goes back empty (vn_yard -> china_yard) after unloading.  A 409 from the
 * fleet (no vehicle free, outside the window, mission would not finish in
 * it, declaration not cleared) is normal and only noted. */
#ifndef LP_DEMO_AGV_H
#define LP_DEMO_AGV_H

#include <stddef.h>
#include <stdint.h>

#include "demo_http.h"
#include "demo_setup.h"

typedef struct lp_demo_agv lp_demo_agv;

typedef struct lp_demo_agv_stats {
    long filed;          /* AGV declarations filed */
    long running, held;  /* missions driving; of them standing at the inspection stop */
    long completed;      /* missions arrived (loaded and empty returns) */
    double km;           /* driven by the demo's missions */
    char note[96];       /* the latest thing worth saying ("" if none) */
} lp_demo_agv_stats;

/* Where the vehicles stand at start: the node of the road's zone china_yard
 * and its coordinates, read from GET /api/v1/road with token.  0, or -1
 * when the fleet does not answer (node and coordinates are then unset). */
int lp_demo_agv_yard(lp_demo_http *h, const char *token, char node[32], double *x, double *y);

/* The AGV evening on h with the cast (both borrowed; they must outlive it),
 * seeded by seed; manual_release leaves vehicles at the inspection stop to a
 * human border guard.  Reads the AGV windows of road-1088.  NULL when out
 * of memory.  Free with lp_demo_agv_free. */
lp_demo_agv *lp_demo_agv_new(lp_demo_http *h, const lp_demo_cast *cast, uint64_t seed, int manual_release);
void lp_demo_agv_free(lp_demo_agv *a);

/* The AGV windows as text ("18:30-20:00"), for the welcome. */
const char *lp_demo_agv_windows(const lp_demo_agv *a);

/* Does what is due at virtual time now_ms: filings, officers' decisions on
 * AGV declarations, new missions, releases, and reads the missions' state.
 * Call about once a second of real time.  Errors of single calls are
 * counted (demo_http.h), not fatal. */
void lp_demo_agv_step(lp_demo_agv *a, int64_t now_ms);

/* Whether declaration decl is one of the AGV loads (its officers' tasks are
 * decided here, not by the truck traffic's officers). */
/* The oldest AGV event not yet taken ("18:31 agv-1 leaves the China yard
 * with ..."), into out (n bytes); 1, or 0 when there is none. */
#define LP_DEMO_AGV_EVENT 128
int lp_demo_agv_take_event(lp_demo_agv *a, char *out, size_t n);

int lp_demo_agv_owns(const lp_demo_agv *a, long decl);

void lp_demo_agv_stats_get(const lp_demo_agv *a, lp_demo_agv_stats *s);

#endif
