/* yardgoods.h - what a declaration's goods mean for the yard and the
 * queue: the bay kind they need, whether they are perishable (the queue's
 * priority class) and the goods kind of the yard fee.
 *
 * The rule, from the goods lines' HS codes (first digits; Vietnamese
 * 8-digit or Chinese 10-digit codes alike), since declarations carry no
 * other flag:
 *   dangerous     chapter 36 (explosives, pyrotechnics, matches) and the
 *                 headings 2710 (petroleum oils), 2711 (petroleum gases),
 *                 2806 (hydrogen chloride), 2807 (sulphuric acid), 2814
 *                 (ammonia): a dangerous goods bay
 *   refrigerated  chapters 02 (meat), 03 (fish), 04 (dairy, eggs) and the
 *                 headings 0710 (frozen vegetables), 0811 (frozen fruit),
 *                 2105 (ice cream): a refrigerated bay (reefer power)
 *   perishable    chapters 01-08 (live animals, meat, fish, dairy, live
 *                 plants and flowers, vegetables, fruit): the perishable
 *                 priority class of the queue
 * One dangerous line makes the load dangerous, else one refrigerated line
 * refrigerated; a dangerous load takes a dangerous bay even when it is also
 * chilled.  Pure: no I/O.  Used by the yard store (bay, class, invoice). */
#ifndef LP_YARDGOODS_H
#define LP_YARDGOODS_H

#include "fees.h"
#include "yard.h"

typedef struct lp_yardgoods {
    lp_bay_kind bay;    /* kind of bay needed */
    int perishable;     /* 1: the queue's perishable class (if booked) */
    lp_fee_goods fee;   /* dangerous > refrigerated > perishable > normal */
} lp_yardgoods;

/* Classifies the HS codes hs[0..n) (NULL entries and non-digits are
 * ignored; n 0 gives normal goods).  out must not be NULL. */
void lp_yardgoods_classify(const char *const *hs, int n, lp_yardgoods *out);

#endif
