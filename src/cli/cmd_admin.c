/* cmd_admin.c - `landport version`, `migrate`, `token` and `audit verify`. */
#include "cli.h"
#include "../core/mem.h"
#include "../store/tokens.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef LP_VERSION
#define LP_VERSION "dev"
#endif

int lp_cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("landport %s (schema %d)\n", LP_VERSION, lp_store_schema_latest());
    return 0;
}

static const char migrate_usage[] =
    "usage: landport migrate [--db PATH|postgresql://URL] [--config FILE]\n"
    "Brings the database schema up to this landport's version (%d); refuses a newer one.\n";

int lp_cmd_migrate(int argc, char **argv)
{
    cli_opts o;
    lp_store *st = NULL;
    lp_err err;
    int from = 0, to = 0, rc;
    char usage[512];

    snprintf(usage, sizeof usage, migrate_usage, lp_store_schema_latest());
    rc = cli__parse(argc, argv, "db,config", usage, &o);
    if (rc) return rc < 0 ? 0 : rc;
    lp_err_init(&err);
    if (lp_store_open(o.cfg.db, NULL, &st, &err) || lp_store_migrate(st, &from, &to, &err)) {
        fprintf(stderr, "landport migrate: %s\n", err.msg);
        lp_store_close(st);
        return 1;
    }
    if (from == to) printf("schema is at version %d; nothing to do\n", to);
    else printf("schema migrated from version %d to %d\n", from, to);
    lp_store_close(st);
    return 0;
}

static const char token_usage[] =
    "usage: landport token create --role ROLE --name NAME [--company ID] [--db ...]\n"
    "       landport token list [--db ...] [--json]\n"
    "       landport token revoke ID [--db ...]\n"
    "Roles: operator customs border_guard quarantine company device partner admin.\n"
    "A company token needs --company (the company's id).  The secret is printed once;\n"
    "only its SHA-256 is stored.  Set LANDPORT_REASON to record why.\n";

static int token_create(cli_opts *o, lp_store *st)
{
    lp_role role = lp_role_parse(o->role);
    int64_t company = 0;
    char *secret = NULL, *end, who[96];
    lp_actor actor = cli__actor(who, sizeof who);
    lp_err err;
    int i;

    lp_err_init(&err);
    if (!o->role || role == LP_ROLE_NONE) {
        fprintf(stderr, "landport token create: --role must be one of operator, customs, border_guard,"
                        " quarantine, company, device, partner, admin\n");
        return 2;
    }
    if (!o->name) {
        fprintf(stderr, "landport token create: --name is required (who or what uses the token)\n");
        return 2;
    }
    if (o->company) {
        company = strtoll(o->company, &end, 10);
        if (*end || company <= 0) {
            fprintf(stderr, "landport token create: --company must be a company id (a positive integer)\n");
            return 2;
        }
    }
    if (lp_tokens_create(st, &actor, o->name, role, company, &secret, NULL, &err)) {
        fprintf(stderr, "landport token create: %s", err.msg);
        for (i = 0; i < err.nfields; i++) fprintf(stderr, "%s %s", i ? ";" : ":", err.fields[i].msg);
        fprintf(stderr, "\n");
        return 1;
    }
    printf("%s\n", secret);
    lp_free(secret);
    return 0;
}

static int token_list(cli_opts *o, lp_store *st)
{
    char *cursor = NULL, *next = NULL;
    cJSON *items = NULL, *it;
    lp_err err;
    lp_err_init(&err);
    if (!o->json) printf("%-6s %-14s %-8s %-24s %s\n", "ID", "ROLE", "COMPANY", "CREATED", "NAME");
    do {
        if (lp_tokens_list(st, cursor, 500, &items, &next, &err)) {
            fprintf(stderr, "landport token list: %s\n", err.msg);
            lp_free(cursor);
            return 1;
        }
        cJSON_ArrayForEach(it, items) {
            if (o->json) {
                char *t = cJSON_PrintUnformatted(it);
                printf("%s\n", t);
                cJSON_free(t);
                continue;
            }
            {
                const cJSON *cid = cJSON_GetObjectItem(it, "company_id");
                char cbuf[24] = "-";
                if (cJSON_IsNumber(cid)) snprintf(cbuf, sizeof cbuf, "%.0f", cid->valuedouble);
                printf("%-6.0f %-14s %-8s %-24s %s%s\n", cJSON_GetNumberValue(cJSON_GetObjectItem(it, "id")),
                       cJSON_GetStringValue(cJSON_GetObjectItem(it, "role")), cbuf,
                       cJSON_GetStringValue(cJSON_GetObjectItem(it, "created_at")),
                       cJSON_GetStringValue(cJSON_GetObjectItem(it, "name")),
                       cJSON_IsNull(cJSON_GetObjectItem(it, "revoked_at")) ? "" : "  (revoked)");
            }
        }
        cJSON_Delete(items);
        lp_free(cursor);
        cursor = next;
    } while (cursor);
    return 0;
}

static int token_revoke(cli_opts *o, lp_store *st)
{
    char *end, who[96];
    long long id;
    lp_actor actor = cli__actor(who, sizeof who);
    lp_err err;
    lp_err_init(&err);
    if (o->nargs != 2) {
        fprintf(stderr, "landport token revoke: give the token's id (see landport token list)\n%s", token_usage);
        return 2;
    }
    id = strtoll(o->args[1], &end, 10);
    if (*end || id <= 0) {
        fprintf(stderr, "landport token revoke: '%s' is not a token id\n", o->args[1]);
        return 2;
    }
    if (lp_tokens_revoke(st, &actor, id, NULL, &err)) {
        fprintf(stderr, "landport token revoke: %s\n", err.msg);
        return 1;
    }
    printf("token %lld revoked\n", id);
    return 0;
}

int lp_cmd_token(int argc, char **argv)
{
    cli_opts o;
    lp_store *st = NULL;
    int rc = cli__parse(argc, argv, "db,config,role,company,name,json", token_usage, &o);
    const char *verb;
    if (rc) return rc < 0 ? 0 : rc;
    verb = o.nargs ? o.args[0] : "";
    if (strcmp(verb, "create") && strcmp(verb, "list") && strcmp(verb, "revoke")) {
        fprintf(stderr, "landport token: say create, list or revoke\n%s", token_usage);
        return 2;
    }
    if ((!strcmp(verb, "create") || !strcmp(verb, "list")) && o.nargs != 1) {
        fprintf(stderr, "landport token %s: unexpected argument '%s'\n", verb, o.args[1]);
        return 2;
    }
    if (cli__open_store(&o, &st)) return 1;
    if (!strcmp(verb, "create")) rc = token_create(&o, st);
    else if (!strcmp(verb, "list")) rc = token_list(&o, st);
    else rc = token_revoke(&o, st);
    lp_store_close(st);
    return rc;
}

static const char audit_usage[] =
    "usage: landport audit verify [--db PATH|postgresql://URL] [--config FILE]\n"
    "Walks the hash-chained audit log and reports the first edited, removed or\n"
    "reordered event.  Exit 0: intact; 1: tampered (or unreadable).\n";

static void progress(void *ud, int64_t done, int64_t total)
{
    (void)ud;
    if (isatty(2)) fprintf(stderr, "\rverifying audit events: %" PRId64 " / %" PRId64, done, total);
}

int lp_cmd_audit(int argc, char **argv)
{
    cli_opts o;
    lp_store *st = NULL;
    lp_audit_report rep;
    lp_err err;
    int rc = cli__parse(argc, argv, "db,config", audit_usage, &o);
    if (rc) return rc < 0 ? 0 : rc;
    if (o.nargs != 1 || strcmp(o.args[0], "verify")) {
        fprintf(stderr, "landport audit: the only audit command is 'verify'\n%s", audit_usage);
        return 2;
    }
    lp_err_init(&err);
    if (cli__open_store(&o, &st)) return 1;
    rc = lp_store_audit_verify(st, &rep, progress, NULL, &err);
    if (isatty(2)) fprintf(stderr, "\n");
    if (rc == LP_ECORRUPT) {
        printf("audit log TAMPERED: first bad event is seq %" PRId64 ": %s\n", rep.first_bad, rep.why);
        printf("events verified before it: %" PRId64 "\n", rep.events);
        rc = 1;
    } else if (rc) {
        fprintf(stderr, "landport audit verify: %s\n", err.msg);
        rc = 1;
    } else {
        printf("audit log intact: %" PRId64 " events, head %s\n", rep.events, rep.head_hash);
    }
    lp_store_close(st);
    return rc;
}
