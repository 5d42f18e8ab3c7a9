/* gatecheck.h - the automatic gate decision: do the plate, trailer,
 * containers, seals and weight read at the gate match the declaration, and
 * are all required agency approvals in?  Then the barrier opens by itself;
 * otherwise the truck is held with every reason listed for the officer.
 *
 * Invariant: OPEN only when there is no reason at all; any doubt (a low
 * confidence read, a missing reading, invalid input) is a reason.  On the
 * gate's hot path: no I/O, no allocation, fixed-size inputs and outputs. */
#ifndef LP_GATECHECK_H
#define LP_GATECHECK_H

#include <stdint.h>

#include "risk.h"

/* Limits (a call beyond them is LP_EINVAL, which holds the truck). */
#define LP_GATE_CONTAINERS_MAX 8      /* declared containers */
#define LP_GATE_SEALS_MAX 4           /* seals per declared container */
#define LP_GATE_CONTAINER_READS_MAX 16 /* container numbers read (cameras may repeat) */
#define LP_GATE_SEAL_READS_MAX 32     /* seal numbers read */
#define LP_GATE_REASONS_MAX 16
#define LP_GATE_WEIGHT_MAX INT64_C(1000000000000) /* grams; bounds every weight input */
#define LP_GATE_NO_WEIGHT (-1)        /* unknown tare, no weighbridge reading */

/* Inputs ------------------------------------------------------------------- */

/* Identifiers (plates, container and seal numbers) are borrowed for the call
 * and should be canonical (ident.h); they are compared ignoring ASCII case,
 * ASCII spaces and punctuation, and U+00B7, so "29C-123.45" equals
 * "29c12345" and "MSKU 123456-5" equals "MSKU1234565". */

typedef struct lp_gate_container {
    const char *number;                   /* ISO 6346, e.g. "MSKU1234565" */
    const char *seals[LP_GATE_SEALS_MAX]; /* seal numbers on it */
    int nseals;
} lp_gate_container;

/* What the declaration (and the vehicle register) says should arrive. */
typedef struct lp_gate_expect {
    const char *plate;   /* tractor or truck plate; required */
    const char *trailer; /* NULL or "": no trailer */
    lp_gate_container containers[LP_GATE_CONTAINERS_MAX];
    int ncontainers;
    /* Weight: the weighbridge reads the whole vehicle, so it is compared with
     * goods_g + tare_g (tare = tractor, trailer and empty containers).  The
     * allowed difference is the larger of tol_g and tol_permille of that
     * expected total, rounded down; a difference equal to it passes. */
    int64_t goods_g;     /* gross weight of the goods, grams, >= 0 */
    int64_t tare_g;      /* grams, or LP_GATE_NO_WEIGHT if unknown */
    int tol_permille;    /* 0..1000 */
    int64_t tol_g;       /* >= 0 */
    int weight_required; /* 1: a missing reading or tare holds the truck;
                          * 0: weight is checked only when both are there */
} lp_gate_expect;

typedef enum lp_gate_agency {
    LP_GATE_CUSTOMS = 0,
    LP_GATE_BORDER_GUARD,
    LP_GATE_QUARANTINE,
    LP_GATE_AGENCIES
} lp_gate_agency;

/* Zero is PENDING, so a forgotten state holds the truck. */
typedef enum lp_gate_state {
    LP_GATE_ST_PENDING = 0,
    LP_GATE_ST_APPROVED,
    LP_GATE_ST_REJECTED,
    LP_GATE_ST_HOLD
} lp_gate_state;

typedef struct lp_gate_approval {
    int required; /* this agency must approve (quarantine: HS chapters 01-24) */
    lp_gate_state state;
} lp_gate_approval;

typedef struct lp_gate_ocr {
    const char *text; /* NULL or "": nothing read */
    int confidence;   /* 0..1000 */
} lp_gate_ocr;

/* What the devices at the gate read. */
typedef struct lp_gate_readings {
    lp_gate_ocr plate;   /* ANPR, front */
    lp_gate_ocr trailer; /* ANPR, rear; nothing read when there is no trailer */
    lp_gate_ocr containers[LP_GATE_CONTAINER_READS_MAX];
    int ncontainers;
    const char *seals[LP_GATE_SEAL_READS_MAX]; /* in any order, any container */
    int nseals;
    int64_t gross_g;     /* weighbridge, grams, or LP_GATE_NO_WEIGHT */
} lp_gate_readings;

typedef struct lp_gate_input {
    lp_gate_expect expect;
    lp_gate_approval approvals[LP_GATE_AGENCIES]; /* indexed by lp_gate_agency */
    lp_risk_channel channel;  /* yellow and red always need customs approval */
    lp_gate_readings read;
    int min_plate_confidence; /* 0..1000, ANPR plates */
    int min_ocr_confidence;   /* 0..1000, container numbers */
} lp_gate_input;

/* Result ------------------------------------------------------------------- */

typedef enum lp_gate_decision { LP_GATE_HOLD = 0, LP_GATE_OPEN } lp_gate_decision;

/* Reasons, in the order they are checked and listed: approvals first so that
 * a long list of seal problems can never push them out. */
typedef enum lp_gate_code {
    LP_GATE_R_INPUT_INVALID = 0,      /* the call itself was wrong (see message) */
    LP_GATE_R_APPROVAL_PENDING,       /* a required agency has not decided */
    LP_GATE_R_APPROVAL_REJECTED,      /* an agency rejected (required or not) */
    LP_GATE_R_APPROVAL_HOLD,          /* an agency put the goods on hold */
    LP_GATE_R_CHANNEL_NEEDS_OFFICER,  /* yellow or red, customs not yet decided */
    LP_GATE_R_PLATE_MISSING,          /* ANPR read nothing */
    LP_GATE_R_PLATE_LOW_CONFIDENCE,
    LP_GATE_R_PLATE_MISMATCH,
    LP_GATE_R_TRAILER_MISSING,        /* trailer declared, nothing read */
    LP_GATE_R_TRAILER_LOW_CONFIDENCE,
    LP_GATE_R_TRAILER_MISMATCH,       /* different, or read but none declared */
    LP_GATE_R_CONTAINER_MISSING,      /* declared, not read */
    LP_GATE_R_CONTAINER_LOW_CONFIDENCE, /* read below min_ocr_confidence */
    LP_GATE_R_CONTAINER_UNEXPECTED,   /* read, not declared */
    LP_GATE_R_WEIGHT_MISSING,         /* required, no weighbridge reading */
    LP_GATE_R_TARE_MISSING,           /* required, vehicle tare unknown */
    LP_GATE_R_WEIGHT_OUT_OF_TOLERANCE,
    LP_GATE_R_SEAL_MISSING,           /* a seal of a container that was read */
    LP_GATE_R_SEAL_UNEXPECTED,        /* read, declared on no container */
    LP_GATE_R__COUNT
} lp_gate_code;

typedef struct lp_gate_reason {
    lp_gate_code code;
    int agency;    /* lp_gate_agency for approval reasons, -1 otherwise */
    char msg[160]; /* "expected 29C-123.45, read 29C-123.46" */
} lp_gate_reason;

typedef struct lp_gate_result {
    lp_gate_decision decision; /* OPEN iff nreasons == 0 */
    int nreasons;
    int more; /* reasons found after the first LP_GATE_REASONS_MAX */
    lp_gate_reason reasons[LP_GATE_REASONS_MAX];
    /* The weight comparison, or LP_GATE_NO_WEIGHT in all three when none
     * was made. */
    int64_t weight_expected_g, weight_read_g, weight_tol_g;
} lp_gate_result;

/* Decision ------------------------------------------------------------------ */

/* Decides whether the barrier opens for the truck described by in.  Fills
 * *out and returns LP_OK; in and out are caller's storage and nothing is
 * kept.  Returns LP_EINVAL if in is NULL or out of the limits above (a
 * count, a confidence, a weight, an enum, a missing expected plate,
 * container or seal number): *out is then HOLD with one INPUT_INVALID reason
 * saying which field, so a caller that ignores the code still holds the
 * truck.  out NULL is LP_EINVAL. */
int lp_gate_decide(const lp_gate_input *in, lp_gate_result *out);

/* Names ---------------------------------------------------------------------- */

/* "PLATE_MISMATCH", ...: the code without its prefix; "?" if unknown. */
const char *lp_gate_code_name(lp_gate_code c);
/* "open", "hold". */
const char *lp_gate_decision_name(lp_gate_decision d);
/* "customs", "border_guard", "quarantine" (role names); "?" if unknown. */
const char *lp_gate_agency_name(lp_gate_agency a);
/* "pending", "approved", "rejected", "hold"; "?" if unknown. */
const char *lp_gate_state_name(lp_gate_state s);

#endif
