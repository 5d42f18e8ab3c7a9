/* roadfx.h - loads the roads under data/roads/ for the road and traffic
 * tests (the file read that core leaves to its callers). */
#ifndef LP_TEST_ROADFX_H
#define LP_TEST_ROADFX_H

#include "core/road.h"

/* The text of a file of the source tree (path relative to it), NUL-ended;
 * caller owns it (lp_free).  Fails the test if it cannot be read. */
char *lp_test_source_file(const char *relpath, size_t *len);

/* data/roads/<id>.json parsed; caller owns it (lp_road_destroy).  Fails the
 * test with the parser's messages if the road is not valid. */
lp_road *lp_test_road(const char *id);

#endif
