/* road_internal.h - shared between the files of the road module only. */
#ifndef LP_ROAD_INTERNAL_H
#define LP_ROAD_INTERNAL_H

#include "core/road.h"

/* Adds a field error for each required zone the road lacks. */
void road__check_zones(const lp_road *r, lp_err *err);

/* Builds adjacency and lane structure and checks connectivity of a
 * road whose nodes, edges and zones are filled and in range; adds one field
 * error per problem.  Returns LP_OK or LP_EINVAL. */
int road__validate(lp_road *r, lp_err *err);

#endif
