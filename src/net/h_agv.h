/* h_agv.h - HTTP handlers of the AGV fleet (VDA 5050) and the road; their routes are in routes_agv.inc. */
#ifndef LP_H_AGV_H
#define LP_H_AGV_H

#include "handlers.h"

#endif
