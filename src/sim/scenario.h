/* scenario.h - scenario files of `landport sim`: JSON read with cJSON into
 * the gate model's configuration (core does no I/O, so files are read
 * here).  Every member is optional and defaults to today's gate; an
 * unknown member, a wrong type or a value out of range is reported with
 * the JSON pointer of the field, all of them at once. */
#ifndef LP_SIM_SCENARIO_H
#define LP_SIM_SCENARIO_H

#include <stdint.h>

#include "../core/err.h"
#include "../core/road.h"
#include "../core/simgate.h"

typedef struct lp_scenario {
    char name[64];
    int days;          /* to simulate after the warm-up, 1..3650 (default 30) */
    int replications;  /* 1..1000 (default 10) */
    uint64_t seed;     /* default 1 */
    lp_simgate_config gate; /* gate.agv.road points into road */
    lp_road *road;     /* the AGV road file, if the scenario names one; owned */
} lp_scenario;

/* Parses the JSON text into *s (the caller's storage; release it with
 * lp_scenario_deinit, also after a failure).  A road file named by
 * /agv/road/file is read relative to base_dir (NULL: the current
 * directory).  LP_OK, or LP_EINVAL with field errors in err (pointer ""
 * for text that is not JSON or not an object; a bad road file's errors
 * under /agv/road/file). */
int lp_scenario_parse(const char *text, const char *base_dir, lp_scenario *s, lp_err *err);
/* Reads and parses the file at path (road files relative to its
 * directory).  LP_EIO (message names the file) if it cannot be read,
 * otherwise as lp_scenario_parse. */
int lp_scenario_load(const char *path, lp_scenario *s, lp_err *err);
/* Frees what s owns (the road).  NULL-safe; s may be reused after. */
void lp_scenario_deinit(lp_scenario *s);

#endif
