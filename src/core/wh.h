/* wh.h - rules of the self-service bonded warehouse that need no store:
 * one-time access code text, the outcomes of presenting a code, overlap of
 * reservation periods, stock arithmetic of partial pick-ups, the customs
 * release rule and dwell / overstay.
 *
 * Invariant: stock is whole packages and grams in int64; a pick-up never
 * takes more than on hand, and the last pick-up of a lot takes exactly what
 * is left, so in - out = on hand holds for every lot.  Pure: no I/O, no
 * clock, no allocation.  Used by src/store/warehouse*.c and their handlers. */
#ifndef LP_WH_H
#define LP_WH_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* Limits ----------------------------------------------------------------------- */

#define LP_WH_SECRET_LEN 8                   /* characters of a code's secret part */
#define LP_WH_CODE_MAX 32                    /* bytes of "<id>-<secret>" with the NUL */
#define LP_WH_PACKAGES_MAX INT64_C(1000000)  /* packages in one lot */
#define LP_WH_GRAMS_MAX INT64_C(100000000000) /* 100,000 t in one lot */
#define LP_WH_DAY_MS (INT64_C(24) * 3600 * 1000)

/* Access codes -------------------------------------------------------------------- */

/* A code as shown once to the company: "<code id>-<secret>", the secret
 * LP_WH_SECRET_LEN characters of an alphabet without 0/O and 1/I (32
 * symbols, 5 bits each: 40 bits), e.g. "417-K7M3P9QX".  The id lets the
 * kiosk count wrong attempts per code; only a salted hash of the secret is
 * stored. */

/* Writes the secret made from rnd[0..LP_WH_SECRET_LEN) (random bytes) to
 * out (LP_WH_SECRET_LEN + 1 bytes). */
void lp_wh_secret_make(const unsigned char *rnd, char *out);

/* Formats "<id>-<secret>" into out[n]; returns LP_OK or LP_ETOOBIG. */
int lp_wh_code_format(int64_t id, const char *secret, char *out, size_t n);

/* Parses what a driver types at the kiosk: "<id>-<secret>", spaces dropped,
 * lower case accepted.  *id and secret (LP_WH_SECRET_LEN + 1 bytes, upper
 * case) on LP_OK; LP_EINVAL when it cannot be a code. */
int lp_wh_code_parse(const char *s, int64_t *id, char *secret);

/* What presenting a code at the kiosk gave: each refusal is its own
 * outcome, recorded as such. */
typedef enum lp_wh_outcome {
    LP_WH_ACCEPTED = 0,
    LP_WH_UNKNOWN_CODE,   /* no code with that id (or another company's) */
    LP_WH_WRONG_CODE,     /* the secret does not match (counts towards the lock) */
    LP_WH_LOCKED,         /* too many wrong attempts: the code is dead */
    LP_WH_USED,           /* single use: already used */
    LP_WH_EXPIRED,        /* past its validity window */
    LP_WH_REVOKED,        /* the reservation was cancelled */
    LP_WH_WRONG_PLATE,    /* bound to another vehicle */
    LP_WH_WRONG_PURPOSE,  /* a drop-off code at check-out or the reverse */
    LP_WH_CUSTOMS_HOLD,   /* the declaration's status does not release the goods */
    LP_WH_UNKNOWN_LOT,    /* a lot that is not the code's declaration's */
    LP_WH_OVER_STOCK,     /* more than on hand asked for */
    LP_WH_NOT_YET,        /* before its validity window (the reservation starts later) */
    LP_WH_OUTCOME__COUNT
} lp_wh_outcome;

/* "accepted", "unknown_code", "wrong_code", "locked", "used", "expired",
 * "revoked", "wrong_plate", "wrong_purpose", "customs_hold", "unknown_lot",
 * "over_stock", "not_yet_valid"; "?" otherwise. */
const char *lp_wh_outcome_name(int o);

/* The state of a code row, in the order the kiosk checks it (after the
 * secret): returns the outcome for a code with the given facts at now; it
 * is valid over [valid_from, expires_at). */
lp_wh_outcome lp_wh_code_state(int locked, int64_t used_at, int64_t valid_from, int64_t expires_at, int revoked,
                               int64_t now);

/* Reservations ---------------------------------------------------------------------- */

/* 1 when the half-open periods [a_from, a_to) and [b_from, b_to) share an
 * instant (a period that ends when the other starts does not). */
int lp_wh_overlaps(int64_t a_from, int64_t a_to, int64_t b_from, int64_t b_to);

/* Stock ------------------------------------------------------------------------------ */

/* A pick-up of take_pk packages from a lot holding on_pk packages and on_g
 * grams: *take_g receives the grams that leave with them (in proportion,
 * rounded down; all of on_g when take_pk == on_pk).  Returns LP_OK or
 * LP_EINVAL when take_pk is not 1..on_pk or the stock is out of range. */
int lp_wh_take(int64_t on_pk, int64_t on_g, int64_t take_pk, int64_t *take_g);

/* Release --------------------------------------------------------------------------- */

/* Storage unit kinds. */
typedef enum lp_wh_kind { LP_WH_DRY = 0, LP_WH_COLD, LP_WH_BONDED, LP_WH_KIND__COUNT } lp_wh_kind;
/* "dry", "cold", "bonded"; "?" otherwise. */
const char *lp_wh_kind_name(int k);
/* The kind for a name, -1 if unknown. */
int lp_wh_kind_parse(const char *s);

/* Whether goods of a declaration in status (clearance.h) may leave a unit of
 * kind: from a bonded unit only once customs released them (cleared,
 * gate_open, exited); from a dry or cold unit unless an agency stopped them
 * (held, rejected) or the declaration is void (cancelled, expired).
 * Returns 1 or 0. */
int lp_wh_release_allowed(lp_wh_kind kind, const char *status);

/* Whether a declaration in status may have goods dropped off: not when it is
 * cancelled, expired or rejected.  Returns 1 or 0. */
int lp_wh_dropoff_allowed(const char *status);

/* Dwell ------------------------------------------------------------------------------ */

/* Minutes since checked_in_ms at now (0 when now is earlier). */
int64_t lp_wh_dwell_minutes(int64_t checked_in_ms, int64_t now);

/* Whether a lot checked in at checked_in_ms overstays at now with a limit of
 * days (>= 1): now >= checked_in_ms + days * 24 h. */
int lp_wh_overstays(int64_t checked_in_ms, int64_t now, int days);

#endif
