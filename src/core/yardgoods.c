/* yardgoods.c - goods classes for the yard from HS codes (see yardgoods.h). */
#include "yardgoods.h"

#include <string.h>

static int starts(const char *hs, const char *const *prefixes)
{
    for (; *prefixes; prefixes++)
        if (strncmp(hs, *prefixes, strlen(*prefixes)) == 0) return 1;
    return 0;
}

void lp_yardgoods_classify(const char *const *hs, int n, lp_yardgoods *out)
{
    static const char *const dangerous[] = {"36", "2710", "2711", "2806", "2807", "2814", NULL};
    static const char *const reefer[] = {"02", "03", "04", "0710", "0811", "2105", NULL};
    static const char *const perishable[] = {"01", "02", "03", "04", "05", "06", "07", "08", NULL};
    int i, dg = 0, rf = 0, pe = 0;

    for (i = 0; i < n; i++) {
        char d[12];
        size_t k = 0;
        const char *s = hs[i];
        if (!s) continue;
        /* Digits only: "0810.60.00" reads as 08106000. */
        for (; *s && k + 1 < sizeof d; s++)
            if (*s >= '0' && *s <= '9') d[k++] = *s;
        d[k] = '\0';
        if (k < 2) continue;
        dg |= starts(d, dangerous);
        rf |= starts(d, reefer);
        pe |= starts(d, perishable);
    }
    out->bay = dg ? LP_BAY_DANGEROUS : rf ? LP_BAY_REFRIGERATED : LP_BAY_NORMAL;
    out->perishable = pe;
    out->fee = dg ? LP_FEE_GOODS_DANGEROUS : rf ? LP_FEE_GOODS_REFRIGERATED : pe ? LP_FEE_GOODS_PERISHABLE
                                                                              : LP_FEE_GOODS_NORMAL;
}
