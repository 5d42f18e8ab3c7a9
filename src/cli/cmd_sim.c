/* cmd_sim.c - landport sim: placeholder until the feature lands. */
#include "cli.h"

#include <stdio.h>

int lp_cmd_sim(int argc, char **argv)
{
    (void)argc, (void)argv;
    fprintf(stderr, "landport sim: not available in this build\n");
    return 1;
}
