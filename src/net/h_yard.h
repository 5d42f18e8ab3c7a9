/* h_yard.h - HTTP handlers of the electronic parking yard, bookings and the e-queue; their routes are in routes_yard.inc. */
#ifndef LP_H_YARD_H
#define LP_H_YARD_H

#include "handlers.h"

#endif
