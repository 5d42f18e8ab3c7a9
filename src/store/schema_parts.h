/* schema_parts.h - one migration of the schema (see schema.c), so that the
 * SQL of a feature's tables can live next to the store module that owns
 * them.  Versions are consecutive from 1; schema.c lists the parts in order. */
#ifndef LP_SCHEMA_PARTS_H
#define LP_SCHEMA_PARTS_H

#include "store.h"

typedef struct lp_schema_part {
    int version;
    const char *name;
    const char *common; /* both dialects (tokens from db.h allowed); "" for none */
    const char *sqlite; /* then this on SQLite; "" for none */
    const char *pg;     /* or this on PostgreSQL; "" for none */
    int (*seed)(lp_store *st, lp_err *err); /* default data, audited; NULL for none */
} lp_schema_part;

extern const lp_schema_part lp_schema_yard;      /* 3: bookings, yards, bays, visits, lanes (yard.c) */
extern const lp_schema_part lp_schema_fees;      /* 4: fee tables, invoices, payments (invoices.c) */
extern const lp_schema_part lp_schema_events;    /* 5: webhooks and their deliveries (webhooks.c) */
extern const lp_schema_part lp_schema_warehouse; /* 6: bonded warehouse (warehouse.c) */
extern const lp_schema_part lp_schema_agv;       /* 7: AGV fleet (agvstore.c) */
extern const lp_schema_part lp_schema_agv_missions2; /* 8: AGV missions: kind, waiting, cancel (agvstore.c) */

#endif
