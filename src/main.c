/* main.c - the landport program: picks the subcommand and runs it.  Wiring
 * only; each subcommand lives in src/cli/. */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *help;
} commands[] = {
    {"serve", lp_cmd_serve, "run the gate server (HTTP API) on SQLite or PostgreSQL"},
    {"migrate", lp_cmd_migrate, "bring the database schema up to date"},
    {"token", lp_cmd_token, "create, list or revoke API tokens"},
    {"audit", lp_cmd_audit, "verify the hash-chained audit log"},
    {"sim", lp_cmd_sim, "simulate the gate for capacity planning (digital twin)"},
    {"agv-sim", lp_cmd_agv_sim, "run simulated VDA 5050 AGV trucks against an MQTT broker"},
    {"demo", lp_cmd_demo, "play a live evening at the gate: server, AGVs and traffic (try it first)"},
    {"version", lp_cmd_version, "print the version"},
};

static void usage(FILE *f)
{
    size_t i;
    fprintf(f, "usage: landport COMMAND [options]   (landport COMMAND --help for each)\n\ncommands:\n");
    for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].help);
}

int main(int argc, char **argv)
{
    size_t i;
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version")) return lp_cmd_version(argc - 1, argv + 1);
    for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name)) return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "landport: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
