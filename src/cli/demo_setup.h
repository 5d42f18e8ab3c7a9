/* demo_setup.h - the cast of `landport demo`: the tokens of every role,
 * three companies (two Vietnamese, one Chinese) with a driver each, and the
 * gate settings of an evening (walk-ins allowed in the export yard, two
 * export lanes open), all made through the real API with a bootstrap admin
 * token. */
#ifndef LP_DEMO_SETUP_H
#define LP_DEMO_SETUP_H

#include "demo_http.h"

#define LP_DEMO_COMPANIES 3
#define LP_DEMO_TOKEN_MAX 128

enum { LP_DEMO_R_OPERATOR, LP_DEMO_R_CUSTOMS, LP_DEMO_R_BORDER_GUARD, LP_DEMO_R_QUARANTINE, LP_DEMO_R_COMPANY,
       LP_DEMO_R_DEVICE, LP_DEMO_R_PARTNER, LP_DEMO_R_ADMIN, LP_DEMO_ROLES };

/* The role names, in the order above. */
extern const char *const lp_demo_role_names[LP_DEMO_ROLES];

typedef struct lp_demo_cast {
    char token[LP_DEMO_ROLES][LP_DEMO_TOKEN_MAX]; /* company: the first company's */
    char company_token[LP_DEMO_COMPANIES][LP_DEMO_TOKEN_MAX];
    long company_id[LP_DEMO_COMPANIES];
    long driver_id[LP_DEMO_COMPANIES];
    char company_name[LP_DEMO_COMPANIES][96];
} lp_demo_cast;

/* Fills c through the API; c->token[LP_DEMO_R_ADMIN] must hold an admin
 * token already.  Returns 0, or -1 after printing what failed to stderr. */
int lp_demo_setup(lp_demo_http *h, lp_demo_cast *c);

#endif
