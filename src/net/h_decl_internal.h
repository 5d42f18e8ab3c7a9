/* h_decl_internal.h - what the declaration handlers share across their
 * files (h_declarations.c, h_decl_actions.c, h_decl_check.c,
 * h_decl_record.c): the body converted to an lp_decl, the stored record,
 * the risk run and the replies.  Not for use outside these files. */
#ifndef LP_H_DECL_INTERNAL_H
#define LP_H_DECL_INTERNAL_H

#include "h_declarations.h"
#include "../core/decl.h"
#include "../core/risk.h"

#define NET__REASON_MAX 500 /* characters of a reason (body or X-Reason) */

/* A declaration being checked, with what the task planner needs to know of
 * its references. */
typedef struct lp_decl_parsed {
    lp_decl *d;      /* owned; about 115 KB, so on the heap */
    int exponent;    /* minor-unit digits of the currency; -1 when unknown */
    int vehicle_ok;  /* truck: vehicle active and driver's licence valid at arrival */
} lp_decl_parsed;

/* Small helpers (h_decl_record.c) ------------------------------------------ */

int64_t net__decl_now(lp_store *st);
/* 1 when s (may be NULL) is one of the NULL-terminated set. */
int net__decl_in_set(const char *s, const char *const *set);
/* "red", "yellow", else green. */
lp_risk_channel net__decl_channel_of(const char *s);
/* The id of a stored record as text (ids are integers here). */
void net__decl_id_text(const cJSON *rec, char out[32]);

/* From JSON to lp_decl, and the checks (h_decl_check.c) --------------------- */

void net__decl_parsed_init(lp_decl_parsed *p);
void net__decl_parsed_deinit(lp_decl_parsed *p);
/* RFC 3339 date-time into ms since 1970.  Returns LP_OK or LP_EINVAL. */
int net__decl_parse_time(const char *s, int64_t *ms);
/* Converts doc and checks everything about it; st NULL skips the
 * references (a replay of what is stored).  arrival_now: the clock for the
 * expected arrival window, 0 to skip it.  Returns LP_OK or err's code. */
int net__decl_parse_and_check(lp_store *st, const cJSON *doc, int64_t company, int64_t now, int64_t arrival_now,
                              lp_decl_parsed *p, lp_err *err);

/* The record and the risk run (h_decl_record.c) ------------------------------ */

/* The body members of the declaration in canonical form, as stored.
 * Caller owns the result. */
cJSON *net__decl_values(const lp_decl_parsed *p);
/* stored's body members with patch's replacing them.  Caller owns the result. */
cJSON *net__decl_merged(const cJSON *stored, const cJSON *patch);
/* The status of rec as of now: "expired" when past valid_until unfinished. */
const char *net__decl_status_now(const cJSON *rec, int64_t now);
/* LP_OK when rec is pending, held or cleared; else LP_ECONFLICT saying
 * that it cannot verb. */
int net__decl_amendable(lp_req *r, const cJSON *rec, const char *verb, lp_err *err);
/* The risk selection on d with seed; *json (caller owns) is what is stored
 * as declarations.risk.  Returns LP_OK or the store's error. */
int net__decl_run_risk(lp_store *st, const lp_decl *d, int64_t company, uint64_t seed, lp_risk_channel *channel,
                       cJSON **json, lp_err *err);
int net__decl_new_seed(lp_store *st, uint64_t *seed, lp_err *err);
int net__decl_stored_seed(const cJSON *rec, uint64_t *seed, lp_err *err);

/* Replies status with rec (taken) as the API shows a declaration. */
void net__decl_reply(lp_req *r, int status, cJSON *rec);
/* 400 with the field problems, else the error's own status. */
void net__decl_reply_problems(lp_req *r, const lp_err *err);

#endif
