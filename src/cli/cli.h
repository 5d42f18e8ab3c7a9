/* cli.h - the landport command line: one function per subcommand
 * (cmd_*.c), and the option parsing they share (cli.c).  Each returns the
 * process exit status: 0 success, 1 failure, 2 usage error. */
#ifndef LP_CLI_H
#define LP_CLI_H

#include "config.h"
#include "../store/store.h"
#include "../os/vclock.h"

int lp_cmd_serve(int argc, char **argv);
int lp_cmd_migrate(int argc, char **argv);
int lp_cmd_token(int argc, char **argv);
int lp_cmd_audit(int argc, char **argv);
int lp_cmd_version(int argc, char **argv);
int lp_cmd_sim(int argc, char **argv);     /* cmd_sim.c */
int lp_cmd_agv_sim(int argc, char **argv); /* cmd_agv_sim.c */
int lp_cmd_demo(int argc, char **argv);    /* cmd_demo.c */

/* Options every command may take; which ones a command accepts is given by
 * the allowed string of long option names ("db,config,listen"). */
typedef struct cli_opts {
    lp_config cfg;
    const char *role, *company, *name;
    int json, help;
    lp_vclock vclock; /* the clock cfg.clock names, started by cli__parse */
    int nargs;
    char **args; /* operands after the options; borrowed from argv */
} cli_opts;

/* Parses argv (argv[0] is the subcommand) into o, applying the configuration
 * sources in order.  On a usage error prints it with the usage text and
 * returns 2; on --help prints usage and returns -1 (exit 0); else 0. */
int cli__parse(int argc, char **argv, const char *allowed, const char *usage, cli_opts *o);
/* Opens the store named by the configuration and migrates it.  Prints the
 * error and returns 1 on failure. */
int cli__open_store(const cli_opts *o, lp_store **st);
/* The actor for changes made from the command line: "cli:$USER" as admin,
 * with LANDPORT_REASON as the reason.  The name is written into buf. */
lp_actor cli__actor(char *buf, size_t n);
/* An option's number: s must be a whole decimal number in [lo, hi].
 * Returns 0 and *out, or -1 (the caller prints its usage error). */
int cli__number(const char *s, double lo, double hi, double *out);

#endif
