/* cli.c - option parsing and store opening shared by the subcommands. */
#include "cli.h"
#include "../os/sysclock.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { O_DB = 1000, O_CONFIG, O_LISTEN, O_MAX_BODY, O_WEB_ROOT, O_PORT_FILE, O_ACCESS_LOG,
       O_CLOCK, O_MQTT, O_ROAD, O_ROLE, O_COMPANY, O_NAME, O_JSON, O_HELP };

static const struct option all_opts[] = {
    {"db", required_argument, NULL, O_DB},
    {"config", required_argument, NULL, O_CONFIG},
    {"listen", required_argument, NULL, O_LISTEN},
    {"max-body", required_argument, NULL, O_MAX_BODY},
    {"web-root", required_argument, NULL, O_WEB_ROOT},
    {"port-file", required_argument, NULL, O_PORT_FILE},
    {"access-log", no_argument, NULL, O_ACCESS_LOG},
    {"clock", required_argument, NULL, O_CLOCK},
    {"mqtt", required_argument, NULL, O_MQTT},
    {"road", required_argument, NULL, O_ROAD},
    {"role", required_argument, NULL, O_ROLE},
    {"company", required_argument, NULL, O_COMPANY},
    {"name", required_argument, NULL, O_NAME},
    {"json", no_argument, NULL, O_JSON},
    {"help", no_argument, NULL, O_HELP},
    {NULL, 0, NULL, 0},
};

static int allowed_opt(const char *allowed, const char *name)
{
    size_t n = strlen(name);
    const char *p = allowed;
    if (!strcmp(name, "help")) return 1;
    while ((p = strstr(p, name)) != NULL) {
        if ((p == allowed || p[-1] == ',') && (p[n] == ',' || p[n] == '\0')) return 1;
        p += n;
    }
    return 0;
}

int cli__parse(int argc, char **argv, const char *allowed, const char *usage, cli_opts *o)
{
    /* Flags are applied after the file and the environment, so remember them. */
    struct { const char *key, *val; } flags[16];
    int nflags = 0, c, idx, i;
    const char *cfgfile = getenv("LANDPORT_CONFIG");
    lp_err err;

    memset(o, 0, sizeof *o);
    lp_config_defaults(&o->cfg);
    lp_err_init(&err);
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", all_opts, &idx)) != -1) {
        const char *name = NULL;
        if (c == 'h' || c == O_HELP) {
            printf("%s", usage);
            return -1;
        }
        if (c == '?') {
            fprintf(stderr, "landport %s: unknown option or missing value: %s\n%s", argv[0],
                    argv[optind - 1], usage);
            return 2;
        }
        for (i = 0; all_opts[i].name; i++)
            if (all_opts[i].val == c) name = all_opts[i].name;
        if (!name || !allowed_opt(allowed, name)) {
            fprintf(stderr, "landport %s: option --%s does not apply here\n%s", argv[0], name ? name : "?", usage);
            return 2;
        }
        switch (c) {
        case O_CONFIG: cfgfile = optarg; break;
        case O_DB: flags[nflags].key = "db"; flags[nflags++].val = optarg; break;
        case O_LISTEN: flags[nflags].key = "listen"; flags[nflags++].val = optarg; break;
        case O_MAX_BODY: flags[nflags].key = "max_body"; flags[nflags++].val = optarg; break;
        case O_WEB_ROOT: flags[nflags].key = "web_root"; flags[nflags++].val = optarg; break;
        case O_PORT_FILE: flags[nflags].key = "port_file"; flags[nflags++].val = optarg; break;
        case O_ACCESS_LOG: flags[nflags].key = "access_log"; flags[nflags++].val = "true"; break;
        case O_CLOCK: flags[nflags].key = "clock"; flags[nflags++].val = optarg; break;
        case O_MQTT: flags[nflags].key = "mqtt"; flags[nflags++].val = optarg; break;
        case O_ROAD: flags[nflags].key = "road"; flags[nflags++].val = optarg; break;
        case O_ROLE: o->role = optarg; break;
        case O_COMPANY: o->company = optarg; break;
        case O_NAME: o->name = optarg; break;
        case O_JSON: o->json = 1; break;
        }
        if (nflags == 16) {
            fprintf(stderr, "landport %s: too many options\n", argv[0]);
            return 2;
        }
    }
    o->nargs = argc - optind;
    o->args = argv + optind;
    if (cfgfile && *cfgfile && lp_config_load_file(&o->cfg, cfgfile, &err)) goto bad;
    if (lp_config_load_env(&o->cfg, &err)) goto bad;
    for (i = 0; i < nflags; i++) {
        char src[64];
        snprintf(src, sizeof src, "--%s", flags[i].key);
        for (char *p = src; *p; p++)
            if (*p == '_') *p = '-';
        if (lp_config_set(&o->cfg, flags[i].key, flags[i].val, src, &err)) goto bad;
    }
    if (lp_vclock_init(&o->vclock, o->cfg.clock, &err)) goto bad;
    if (lp_config_check(&o->cfg, &err)) goto bad;
    return 0;
bad:
    fprintf(stderr, "landport %s: %s\n", argv[0], err.msg);
    return 2;
}

int cli__open_store(const cli_opts *o, lp_store **st)
{
    lp_err err;
    int from = 0, to = 0;
    lp_err_init(&err);
    if (lp_store_open(o->cfg.db, lp_vclock_clock((lp_vclock *)&o->vclock), st, &err)) {
        fprintf(stderr, "landport: %s\n", err.msg);
        return 1;
    }
    if (lp_store_migrate(*st, &from, &to, &err)) {
        fprintf(stderr, "landport: %s\n", err.msg);
        lp_store_close(*st);
        *st = NULL;
        return 1;
    }
    if (from != to) fprintf(stderr, "landport: database schema migrated from version %d to %d\n", from, to);
    return 0;
}

lp_actor cli__actor(char *buf, size_t n)
{
    const char *user = getenv("USER");
    lp_actor a = {0};
    snprintf(buf, n, "cli:%s", user && *user ? user : "unknown");
    a.name = buf;
    a.role = LP_ROLE_ADMIN;
    a.reason = getenv("LANDPORT_REASON");
    return a;
}

int cli__number(const char *s, double lo, double hi, double *out)
{
    char *end;
    double d;
    errno = 0;
    d = strtod(s, &end);
    if (end == s || *end || errno || d < lo || d > hi) return -1;
    *out = d;
    return 0;
}
