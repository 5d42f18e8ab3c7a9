/* role.h - the roles of landport's users and devices, and role sets.
 *
 * Every HTTP route declares the set of roles that may call it; a token carries
 * exactly one role (and, for "company", the company it speaks for). */
#ifndef LP_ROLE_H
#define LP_ROLE_H

typedef enum lp_role {
    LP_ROLE_NONE = 0,
    LP_ROLE_OPERATOR,
    LP_ROLE_CUSTOMS,
    LP_ROLE_BORDER_GUARD,
    LP_ROLE_QUARANTINE,
    LP_ROLE_COMPANY,
    LP_ROLE_DEVICE,
    LP_ROLE_PARTNER,
    LP_ROLE_ADMIN,
    LP_ROLE__COUNT
} lp_role;

/* A set of roles as bits (1u << role). */
typedef unsigned lp_roleset;
#define LP_RS(r) (1u << (r))
#define LP_RS_ALL (((1u << LP_ROLE__COUNT) - 1u) & ~1u)
/* Gate staff: the management centre and the three agencies. */
#define LP_RS_STAFF (LP_RS(LP_ROLE_OPERATOR) | LP_RS(LP_ROLE_CUSTOMS) | LP_RS(LP_ROLE_BORDER_GUARD) | LP_RS(LP_ROLE_QUARANTINE))

/* "operator", ... ; "none" for LP_ROLE_NONE. Constant string. */
const char *lp_role_name(lp_role r);
/* The role for a name, LP_ROLE_NONE if unknown. */
lp_role lp_role_parse(const char *name);
int lp_roleset_has(lp_roleset s, lp_role r);

#endif
