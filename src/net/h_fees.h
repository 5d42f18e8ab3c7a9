/* h_fees.h - HTTP handlers of fee tables, invoices and payments; their routes are in routes_fees.inc. */
#ifndef LP_H_FEES_H
#define LP_H_FEES_H

#include "handlers.h"

#endif
