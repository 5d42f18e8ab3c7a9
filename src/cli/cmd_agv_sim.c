/* cmd_agv_sim.c - landport agv-sim: placeholder until the feature lands. */
#include "cli.h"

#include <stdio.h>

int lp_cmd_agv_sim(int argc, char **argv)
{
    (void)argc, (void)argv;
    fprintf(stderr, "landport agv-sim: not available in this build\n");
    return 1;
}
