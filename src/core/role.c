/* role.c - role names and sets (see role.h). */
#include "role.h"

#include <string.h>

static const char *const names[LP_ROLE__COUNT] = {
    "none", "operator", "customs", "border_guard", "quarantine",
    "company", "device", "partner", "admin",
};

const char *lp_role_name(lp_role r)
{
    return (r > 0 && r < LP_ROLE__COUNT) ? names[r] : names[0];
}

lp_role lp_role_parse(const char *name)
{
    int i;
    if (!name) return LP_ROLE_NONE;
    for (i = 1; i < LP_ROLE__COUNT; i++)
        if (strcmp(names[i], name) == 0) return (lp_role)i;
    return LP_ROLE_NONE;
}

int lp_roleset_has(lp_roleset s, lp_role r)
{
    return r > 0 && r < LP_ROLE__COUNT && (s & LP_RS(r)) != 0;
}
