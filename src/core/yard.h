/* yard.h - the electronic parking yard: ANPR reads at the yard gate admit
 * trucks into bays and let them out, and every read gets exactly one
 * recorded outcome (the caller appends it to the audit log).
 *
 * Invariant: a plate occupies at most one bay; a read that is refused,
 * duplicate or unsure changes nothing.  Pure: the bays are the caller's
 * storage, time comes in with each read, no I/O.  Used by the yard API and
 * the simulator; lp_yard_exit's yard time feeds lp_fees_invoice. */
#ifndef LP_YARD_H
#define LP_YARD_H

#include <stdint.h>

#define LP_YARD_PLATE_MAX 16   /* bytes of a canonical plate, with the NUL */
#define LP_YARD_ID_MAX 16      /* bytes of a bay id, with the NUL */
#define LP_YARD_BOOKING_MAX 40 /* bytes of a booking id, with the NUL */
#define LP_YARD_BAYS_MAX 100000

/* Bays ---------------------------------------------------------------------------- */

/* Refrigerated goods need a refrigerated bay (power for the reefer unit) and
 * dangerous goods a dangerous goods bay (spacing, spill kit); normal goods
 * use normal bays only, even when special bays stand empty, so that those
 * scarce bays are free when a reefer or a tanker arrives. */
typedef enum lp_bay_kind {
    LP_BAY_NORMAL = 0,
    LP_BAY_REFRIGERATED,
    LP_BAY_DANGEROUS,
    LP_BAY__COUNT
} lp_bay_kind;

typedef enum lp_yard_class { LP_YARD_BOOKED = 0, LP_YARD_WALK_IN } lp_yard_class;

/* One bay.  id and kind are set by the caller before lp_yard_init; the rest
 * is the yard's state: read-only for the caller. */
typedef struct lp_yard_bay {
    char id[LP_YARD_ID_MAX]; /* "A-017" */
    lp_bay_kind kind;
    /* read-only: */
    int occupied;
    char plate[LP_YARD_PLATE_MAX];
    char booking[LP_YARD_BOOKING_MAX]; /* "" for a walk-in */
    lp_yard_class cls;
    int64_t since_ms;     /* admission read */
    int64_t last_read_ms; /* latest entry read of this plate */
} lp_yard_bay;

typedef struct lp_yard_config {
    int min_confidence;  /* 0..1000: an ANPR read below it is LOW_CONFIDENCE */
    int64_t debounce_ms; /* >= 0: an entry read of a plate inside within this
                          * time of its previous entry read is a DUPLICATE_READ */
} lp_yard_config;

/* Borrows bays (caller's storage, valid until the yard is no longer used). */
typedef struct lp_yard {
    lp_yard_bay *bays;
    int nbays;
    lp_yard_config cfg;
} lp_yard;

/* Binds the bays and empties them.  Returns LP_OK, or LP_EINVAL when y or
 * cfg is NULL, nbays is out of 0..LP_YARD_BAYS_MAX (bays NULL with nbays >
 * 0), a bay kind is unknown or the config is out of range. */
int lp_yard_init(lp_yard *y, lp_yard_bay *bays, int nbays, const lp_yard_config *cfg);

/* Reads and outcomes ------------------------------------------------------------------ */

typedef struct lp_yard_read {
    const char *plate; /* canonical (ident.h), borrowed for the call */
    int64_t at_ms;     /* ms since the epoch, >= 0 */
    int confidence;    /* 0..1000 */
} lp_yard_read;

typedef struct lp_yard_entry {
    lp_yard_read read;
    const char *booking; /* the booking found for the plate, NULL or "": none */
    lp_bay_kind need;    /* bay kind the goods need (declaration; NORMAL if none) */
    int walk_ins;        /* 1: admit a plate without a booking as a walk-in */
} lp_yard_entry;

typedef enum lp_yard_result {
    LP_YARD_ADMITTED = 0,          /* bay and class set; the yard clock starts */
    LP_YARD_REFUSED_UNKNOWN_PLATE, /* no booking and walk-ins not admitted */
    LP_YARD_REFUSED_FULL,          /* no free bay of the kind needed */
    LP_YARD_DUPLICATE_READ,        /* inside, read again within debounce_ms */
    LP_YARD_ALREADY_INSIDE,        /* inside, read again later */
    LP_YARD_LOW_CONFIDENCE,        /* below min_confidence: nothing decided */
    LP_YARD_EXITED,                /* bay freed; yard_ms set */
    LP_YARD_EXIT_WITHOUT_ENTRY,    /* exit read of a plate not inside */
    LP_YARD_R__COUNT
} lp_yard_result;

/* What happened to one read: the record the caller stores. */
typedef struct lp_yard_outcome {
    lp_yard_result result;
    int changed;       /* 1 for ADMITTED and EXITED only */
    int bay;           /* index in bays: the bay taken, freed or held; -1 if none */
    lp_yard_class cls; /* ADMITTED, EXITED: the class of the stay */
    char plate[LP_YARD_PLATE_MAX];
    int64_t at_ms;     /* the read's time */
    int64_t yard_ms;   /* EXITED: time in the yard, 0 otherwise */
    int out_of_order;  /* EXITED with an exit read older than the entry read:
                        * yard_ms is 0 and the operator should look */
    char msg[128];     /* for people: "admitted to bay A-017 (booked B-1)" */
} lp_yard_outcome;

/* An entry read.  Fills *out and returns LP_OK for every outcome above
 * (a refusal is an outcome, not an error).  Checked in this order: low
 * confidence, already inside (duplicate or not), no booking without
 * walk-ins, no bay of the kind; else the first free bay of the kind (lowest
 * index) is taken.  Returns LP_EINVAL (nothing changed, *out zeroed with
 * bay -1) for NULL arguments, an empty or too long plate, a negative time,
 * a confidence or a bay kind out of range. */
int lp_yard_enter(lp_yard *y, const lp_yard_entry *in, lp_yard_outcome *out);

/* An exit read: LOW_CONFIDENCE, EXIT_WITHOUT_ENTRY or EXITED (the bay is
 * freed and yard_ms = at_ms - since_ms, or 0 when out of order).  Returns
 * as lp_yard_enter. */
int lp_yard_exit(lp_yard *y, const lp_yard_read *r, lp_yard_outcome *out);

/* Queries --------------------------------------------------------------------------------- */

/* The bay index holding plate, or -1. */
int lp_yard_find(const lp_yard *y, const char *plate);
/* Free bays of a kind (0 for an unknown kind). */
int lp_yard_free(const lp_yard *y, lp_bay_kind kind);

/* "ADMITTED", "REFUSED_FULL", ...; "?" if unknown. */
const char *lp_yard_result_name(lp_yard_result r);
/* "normal", "refrigerated", "dangerous"; "?" */
const char *lp_bay_kind_name(lp_bay_kind k);
/* "booked", "walk_in"; "?" */
const char *lp_yard_class_name(lp_yard_class c);

#endif
