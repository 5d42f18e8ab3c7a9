/* risk.h - customs risk selection: which channel (green, yellow, red) a
 * declaration takes, from rules held as data and a random minimum.
 *
 * Invariant: the decision is a pure function of (rules, policy, facts, seed)
 * and of LP_RISK_ALGO_VERSION; storing the seed with the decision is enough
 * to replay and explain it later.  No I/O, no allocation, no globals.  Used
 * when a declaration is submitted or amended, and by the customs "explain"
 * and "what if" views. */
#ifndef LP_RISK_H
#define LP_RISK_H

#include <stdint.h>

#include "err.h"

/* Bumped whenever a change would make an old seed replay differently (the
 * draw function, the order of evaluation); store it next to the seed. */
#define LP_RISK_ALGO_VERSION 1

/* Values ------------------------------------------------------------------ */

/* Ordered by severity: a larger value is the stricter channel. */
typedef enum lp_risk_channel {
    LP_RISK_GREEN = 0, /* release when the gate reads match the declaration */
    LP_RISK_YELLOW,    /* document check by a customs officer */
    LP_RISK_RED        /* physical check or scanner */
} lp_risk_channel;

typedef enum lp_risk_dir {
    LP_RISK_DIR_ANY = 0, /* rules only: no condition on direction */
    LP_RISK_EXPORT,      /* Vietnam -> China */
    LP_RISK_IMPORT       /* China -> Vietnam */
} lp_risk_dir;

#define LP_RISK_NAME_MAX 100  /* bytes of a rule name, without the NUL */
#define LP_RISK_HS_MIN 2      /* digits of an HS prefix */
#define LP_RISK_HS_MAX 10
#define LP_RISK_POINT_MAX 40  /* bytes of a crossing point id ("road-1088") */
#define LP_RISK_NO_BOUND (-1) /* an open side of the value-per-kg band */

/* A rule.  Every condition is optional (the "any" value in brackets) and all
 * the conditions that are set must hold.  The declaration-level conditions
 * (company, direction, crossing point) are checked once; the line-level
 * ones (HS prefix, origin, value per kg) must all hold on the same goods
 * line, and the rule matches if any line does.  A rule with no line-level
 * condition matches the declaration as a whole.  A matching rule "fires"
 * when its draw is below its probability, and then selects its channel. */
typedef struct lp_risk_rule {
    int64_t id;                            /* >= 1, unique in a rule set; 0 before the store assigns one */
    char name[LP_RISK_NAME_MAX + 1];       /* for people: "fresh fruit from CN" */
    int enabled;                           /* 0: never matches */
    char hs_prefix[LP_RISK_HS_MAX + 1];    /* 2-10 digits ("") */
    char origin[3];                        /* ISO 3166-1 alpha-2 country of origin ("") */
    int64_t company_id;                    /* declarant company (0) */
    lp_risk_dir direction;                 /* (LP_RISK_DIR_ANY) */
    char crossing_point_id[LP_RISK_POINT_MAX + 1]; /* ("") */
    /* Customs value of the line divided by its gross weight, in đồng per
     * kilogram, rounded down: min <= value_vnd * 1000 / gross_g <= max.
     * Either side LP_RISK_NO_BOUND.  A line without weight never matches a
     * band.  Typical use: undervaluation (only a max). */
    int64_t min_vnd_per_kg;
    int64_t max_vnd_per_kg;
    lp_risk_channel channel; /* LP_RISK_YELLOW or LP_RISK_RED */
    int probability;         /* per mille, 0..1000: chance that a match fires */
} lp_risk_rule;

/* The random minimum: whatever the rules say, a declaration is sent to red
 * with probability min_red_permille and otherwise to yellow with
 * min_yellow_permille (one draw decides both, so these are the exact
 * shares the random selection alone produces).  Vietnam 2023 observed
 * about 296 yellow and 34 red per mille in total. */
typedef struct lp_risk_policy {
    int min_yellow_permille; /* 0..1000 */
    int min_red_permille;    /* 0..1000; yellow + red <= 1000 */
} lp_risk_policy;

/* One goods line as risk sees it.  Strings are borrowed for the call. */
typedef struct lp_risk_line {
    const char *hs_code; /* 8 (VN) or 10 (CN) digits; '.' and ' ' ignored; NULL: matches no HS prefix */
    const char *origin;  /* ISO alpha-2, any case; NULL: matches no origin */
    int64_t value_vnd;   /* customs value in đồng (VND has no minor unit);
                          * the caller converts other currencies at the
                          * customs rate of the day */
    int64_t gross_g;     /* gross weight in grams; <= 0 matches no band */
} lp_risk_line;

/* The facts of one declaration that rules can look at.  Kept apart from
 * decl.h so that risk does not depend on the declaration module. */
typedef struct lp_risk_facts {
    lp_risk_dir direction;          /* LP_RISK_EXPORT or LP_RISK_IMPORT */
    const char *crossing_point_id;  /* borrowed; NULL matches no point condition */
    int64_t company_id;
    const lp_risk_line *lines;      /* borrowed array of nlines */
    int nlines;
} lp_risk_facts;

/* Results ---------------------------------------------------------------- */

#define LP_RISK_MATCH_MAX 32
#define LP_RISK_EXPLAIN_MAX 8192 /* fits a full list of matches; see risk.c */

typedef struct lp_risk_match {
    int64_t rule_id;
    int rule;                /* index in the rules array given to lp_risk_decide */
    int line;                /* first matching goods line (0-based); -1: declaration-level rule */
    lp_risk_channel channel; /* the rule's channel */
    int probability;         /* per mille */
    int draw;                /* 0..999, the rule's own draw for this seed */
    int fired;               /* draw < probability */
} lp_risk_match;

typedef struct lp_risk_result {
    lp_risk_channel channel;        /* the most severe channel selected; GREEN if none */
    int64_t decided_by;             /* id of the first fired rule giving that channel; 0 otherwise */
    int by_random;                  /* 1 when the random minimum, and no rule, gave the channel */
    lp_risk_channel random_channel; /* what the random minimum selected (GREEN: nothing) */
    int random_draw;                /* 0..999 */
    int nmatches;
    int more;                       /* matched rules left out of matches[] (never a fired
                                     * one while a non-fired one could make room) */
    lp_risk_match matches[LP_RISK_MATCH_MAX]; /* in rule order */
    /* One sentence per line: the decision first, then each listed match,
     * then the random minimum, e.g.
     *   channel red, selected by rule 7
     *   rule 7 'fresh fruit from CN' matched line 2 (HS 08109010) and fired: red (p=0.300, draw 0.114)
     *   random minimum: nothing (draw 0.871; red below 0.034, yellow below 0.330) */
    char explain[LP_RISK_EXPLAIN_MAX];
} lp_risk_result;

/* Validation --------------------------------------------------------------- */

/* Checks one rule as it comes from the API.  Returns LP_OK, or LP_EINVAL
 * with one field error per problem in err (may be NULL): /id (negative),
 * /name (empty, too long), /hs_prefix (2-10 digits), /origin (assigned ISO
 * code), /company_id (negative), /direction, /crossing_point_id (2-40 of
 * a-z 0-9 '-'), /min_vnd_per_kg and /max_vnd_per_kg (>= 0 or no bound,
 * min <= max), /channel (yellow or red: a rule cannot lower the channel),
 * /probability (0..1000). */
int lp_risk_rule_check(const lp_risk_rule *r, lp_err *err);

/* Checks a policy: /min_yellow_permille, /min_red_permille (0..1000 each,
 * sum <= 1000).  Returns LP_OK or LP_EINVAL with field errors in err. */
int lp_risk_policy_check(const lp_risk_policy *p, lp_err *err);

/* Decision ----------------------------------------------------------------- */

/* Decides the channel of the declaration described by f under the n rules
 * (borrowed, read-only) and the policy, with the randomness fixed by seed.
 * The caller draws the seed once per declaration from unpredictable
 * randomness (lp_clock random), stores it with the result and keeps it
 * across amendments: a new seed per amendment would let a trader re-roll by
 * amending, and a predictable one (the declaration id) would let him compute
 * the draws in advance, since this code is no secret.  The same seed, rules
 * and facts always give the same result.
 *
 * Each rule draws from its own splitmix64 stream seeded from (seed, rule
 * id), so adding, removing or reordering rules never changes another rule's
 * draw, and raising a rule's probability only adds fires.  Disabled rules
 * are skipped.
 *
 * Returns LP_OK and fills *out; LP_EINVAL if an argument is NULL, n or
 * nlines is negative, the policy or an enabled rule is invalid (see the
 * checks above; rule ids must also be >= 1) or the facts' direction is not
 * export or import: then *out says why in explain, its channel is RED and
 * nothing else is filled, so that a caller ignoring the code fails closed. */
int lp_risk_decide(const lp_risk_rule *rules, int n, const lp_risk_policy *policy,
                   const lp_risk_facts *f, uint64_t seed, lp_risk_result *out);

/* Names -------------------------------------------------------------------- */

/* "green", "yellow", "red"; "?" for anything else.  Constant strings. */
const char *lp_risk_channel_name(lp_risk_channel c);
/* "any", "export", "import"; "?" for anything else. */
const char *lp_risk_dir_name(lp_risk_dir d);

#endif
