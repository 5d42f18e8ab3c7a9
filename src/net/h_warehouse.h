/* h_warehouse.h - HTTP handlers of the self-service bonded warehouse; their routes are in routes_warehouse.inc. */
#ifndef LP_H_WAREHOUSE_H
#define LP_H_WAREHOUSE_H

#include "handlers.h"

#endif
