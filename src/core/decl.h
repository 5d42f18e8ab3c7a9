/* decl.h - a customs declaration as the company files it before arrival
 * (DESIGN.md, "A manned truck crossing", step 1), and the checks that need
 * no database: identifiers and check digits, duplicates, totals against the
 * lines, the AGV rules, the expected arrival.
 *
 * Invariant: lp_decl_check reports every problem it finds in one call, each
 * with the JSON pointer of the offending field, so a company fixes its
 * declaration in one round.  No I/O, no allocation, no globals.  Used by the
 * declaration handlers (create, amend) and, through needs_quarantine, by
 * the task planner. */
#ifndef LP_DECL_H
#define LP_DECL_H

#include <stdint.h>

#include "cargo.h"
#include "err.h"

/* Limits -------------------------------------------------------------------- */

#define LP_DECL_MAX_CONTAINERS 8  /* = LP_GATE_CONTAINERS_MAX */
#define LP_DECL_MAX_SEALS 4       /* per container, = LP_GATE_SEALS_MAX */
#define LP_DECL_MAX_LINES 200
#define LP_DECL_NUMBER_SIZE 32    /* customs declaration number, 12 or 18 digits */
#define LP_DECL_POINT_SIZE 41     /* crossing point id, 2-40 of [a-z0-9-] */
#define LP_DECL_PLATE_SIZE 32     /* UTF-8: "29C-123.45", "桂A12345" */
#define LP_DECL_DESC_SIZE 513     /* goods description, UTF-8, 1-512 bytes */
#define LP_DECL_PACKAGES_MAX INT64_C(1000000000)

/* AGVs run only on the dedicated goods road (DESIGN.md, "The site"). */
#define LP_DECL_AGV_POINT "road-1088"

/* The declaration is filed with Vietnamese customs in both directions, so
 * its goods lines carry Vietnamese 8-digit HS codes ("VN"); "CN" (10
 * digits) is for data exchanged with the Chinese side. */
#define LP_DECL_HS_COUNTRY "VN"

/* Expected arrival: at most this far in the past when checked (a truck may
 * be late while its declaration is amended) ... */
#define LP_DECL_ARRIVAL_PAST_MS (2 * 3600 * INT64_C(1000))
/* ... and at most this far ahead (also catches seconds or microseconds
 * given for milliseconds). */
#define LP_DECL_ARRIVAL_AHEAD_MS (30 * 24 * 3600 * INT64_C(1000))

/* Values -------------------------------------------------------------------- */

/* Zero is "not set" and fails the check.  The values equal lp_risk_dir's
 * LP_RISK_EXPORT and LP_RISK_IMPORT. */
typedef enum lp_direction {
    LP_DECL_EXPORT = 1, /* Vietnam -> China */
    LP_DECL_IMPORT = 2  /* China -> Vietnam */
} lp_direction;

typedef enum lp_transport {
    LP_DECL_TRUCK = 1, /* manned truck, with driver and plates */
    LP_DECL_AGV = 2    /* driverless AGV on road-1088, assigned by the fleet */
} lp_transport;

/* In comments, "json:" names the member of the declaration's JSON body that
 * error pointers use.  Identifiers may be held in any form the cargo.h and
 * ident.h checks accept; the handlers store their canonical forms. */

typedef struct lp_decl_container {
    char number[LP_CARGO_CONTAINER_SIZE];                 /* json: number, ISO 6346 */
    char seals[LP_DECL_MAX_SEALS][LP_CARGO_SEAL_SIZE];    /* json: seals[] */
    int nseals;                                           /* 0..LP_DECL_MAX_SEALS */
} lp_decl_container;

typedef struct lp_decl_line {
    char hs[LP_CARGO_HS_SIZE];             /* json: hs_code, national HS code */
    int chapter;                           /* derived: HS chapter of hs (lp_cargo_hs) */
    char description[LP_DECL_DESC_SIZE];   /* json: description */
    int64_t packages;                      /* json: packages, >= 1 */
    int64_t gross_g;                       /* json: gross_weight_kg (kg, 3 decimals), grams >= 1 */
    int64_t value_minor;                   /* json: value, minor units of currency, >= 1 */
    char origin[3];                        /* json: origin, ISO 3166-1 alpha-2 */
} lp_decl_line;

/* About 115 KB: keep it off small stacks (the handlers take it from the
 * request arena).  Caller's storage; nothing in it is allocated. */
typedef struct lp_decl {
    char number[LP_DECL_NUMBER_SIZE];         /* json: number, see lp_decl_number() */
    lp_direction direction;                   /* json: direction, "export" | "import" */
    char crossing_point[LP_DECL_POINT_SIZE];  /* json: crossing_point, e.g. "road-1088" */
    lp_transport transport;                   /* json: transport, "truck" | "agv" */
    char vehicle_plate[LP_DECL_PLATE_SIZE];   /* json: vehicle_plate; "" for an AGV */
    char trailer_plate[LP_DECL_PLATE_SIZE];   /* json: trailer_plate; "" if none */
    int64_t vehicle_id;                       /* json: vehicle_id; 0 for an AGV */
    int64_t driver_id;                        /* json: driver_id; 0 for an AGV */
    int64_t expected_arrival_ms;              /* json: expected_arrival, ms since 1970 */
    char currency[LP_CARGO_CURRENCY_SIZE];    /* json: currency, ISO 4217 */
    lp_decl_container containers[LP_DECL_MAX_CONTAINERS]; /* json: containers[] */
    int ncontainers;
    lp_decl_line goods[LP_DECL_MAX_LINES];    /* json: goods[] */
    int ngoods;
    int64_t total_packages;                   /* json: totals.packages */
    int64_t total_gross_g;                    /* json: totals.gross_weight_kg */
    int64_t total_value_minor;                /* json: totals.value */
} lp_decl;

/* Set up ---------------------------------------------------------------------- */

/* Empties *d (all zero: no direction, no transport, no lines). */
void lp_decl_init(lp_decl *d);

/* Checks --------------------------------------------------------------------- */

/* Customs declaration number, digits only once spaces, '-' and '.' are
 * dropped:
 *   12 digits  Vietnamese declaration (VNACCS); not all zero.
 *   18 digits  Chinese declaration (报关单号): digits 1-4 the customs office,
 *              5-8 the year (2000-2099), 9 the flag, 1 = import into China,
 *              0 = export from China, 10-18 a serial number.  When dir is
 *              set, the flag must agree with it: our export (VN -> CN) is a
 *              Chinese import, flag 1; our import a Chinese export, flag 0.
 * dir 0 skips the flag check.  Canonical form: the digits. */
int lp_decl_number(const char *s, lp_direction dir, char *out, size_t outlen, char *why,
                   size_t whylen);

/* Checks everything about *d that needs no database (whether the vehicle,
 * driver and crossing point exist, and the company's rights, are the
 * store's and handler's business).  hs_country is the tariff of the goods
 * lines' HS codes: "VN" (LP_DECL_HS_COUNTRY) or "CN".  now_ms is the clock
 * for the expected arrival, which must lie within [now_ms -
 * LP_DECL_ARRIVAL_PAST_MS, now_ms + LP_DECL_ARRIVAL_AHEAD_MS]; now_ms 0
 * skips that check (an amendment after the truck arrived).
 *
 * Returns LP_OK, or LP_EINVAL with one field entry in err per problem, in
 * the order of the struct, e.g. "/containers/1/number" (check digit),
 * "/containers/1/seals/0" (duplicate seal), "/goods/3/hs_code",
 * "/totals/gross_weight_kg" (with both the total and the sum), and
 * err->msg counting them.  Rules beyond the field formats:
 *   - containers and seals unique (seals compared as the gate compares
 *     them, ignoring '-'); an AGV carries at least one container;
 *   - at least one goods line;
 *   - truck: vehicle_plate a valid VN or CN plate, trailer_plate empty or
 *     a valid plate different from it, vehicle_id and driver_id >= 1;
 *   - AGV: crossing point LP_DECL_AGV_POINT, no driver, vehicle and plates
 *     empty (the fleet manager assigns the AGV);
 *   - totals equal the sums of the lines (skipped when a line's own
 *     quantity is out of range, which is reported on the line).
 * A NULL d, or hs_country other than "VN" or "CN", is LP_EINVAL with a
 * message and no field.  err may be NULL (the code alone); if err already
 * holds an error, fields are appended and its message kept. */
int lp_decl_check(const lp_decl *d, const char *hs_country, int64_t now_ms, lp_err *err);

/* 1 when any goods line is in HS chapters 01-24 (quarantine must approve),
 * judged by both the chapter member and the HS code's first two digits so
 * that an inconsistent line errs on the side of inspection; else 0 (also
 * for NULL). */
int lp_decl_needs_quarantine(const lp_decl *d);

#endif
