/* report.h - what `landport sim` prints and writes: the table on the
 * terminal, CSV files and SVG plots (written as text, no library).  The
 * files hold no time stamp or machine detail, so the same run gives
 * byte-identical files. */
#ifndef LP_SIM_REPORT_H
#define LP_SIM_REPORT_H

#include <stdio.h>

#include "run.h"
#include "scenario.h"

/* The table of every metric: mean, 95% half-width, min, max. */
void lp_simreport_table(FILE *f, const lp_scenario *s, const lp_simrun *r);

/* Writes summary.csv, queue.csv and wait.csv into dir (which must exist).
 * LP_OK, or LP_EIO with err naming the file. */
int lp_simreport_csv(const char *dir, const lp_simrun *r, lp_err *err);

/* Writes queue.svg (trucks waiting over time, replication 1), wait.svg
 * (distribution functions of the wait and of the time in the system) and
 * utilisation.svg (lanes and agencies with their 95% intervals) into dir.
 * LP_OK or LP_EIO. */
int lp_simreport_svg(const char *dir, const lp_simrun *r, lp_err *err);

/* Internal to the report files: opens dir/name for writing, or fills err. */
FILE *lp_simreport__open(const char *dir, const char *name, lp_err *err);
int lp_simreport__close(FILE *f, const char *name, lp_err *err);

#endif
