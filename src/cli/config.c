/* config.c - defaults, INI file, environment (see config.h). */
#include "config.h"
#include "../os/vclock.h"

#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void lp_config_defaults(lp_config *c)
{
    memset(c, 0, sizeof *c);
    snprintf(c->db, sizeof c->db, "landport.db");
    snprintf(c->listen, sizeof c->listen, "127.0.0.1:8080");
    c->max_body = 1024 * 1024;
    c->max_headers = 16 * 1024;
    c->access_log = 0;
    c->agv_battery_min = 20;
    c->agv_lost_ms = 5000;
    c->agv_charge_below = 30;
    c->agv_charge_to = 90;
    c->agv_inspection_s = 300;
}

static int set_str(char *dst, size_t n, const char *key, const char *v, const char *src, lp_err *err)
{
    if (strlen(v) >= n) return lp_err_set(err, LP_EINVAL, "%s: %s is too long", src, key);
    snprintf(dst, n, "%s", v);
    return LP_OK;
}

static int set_size(size_t *dst, const char *key, const char *v, size_t lo, size_t hi, const char *src, lp_err *err)
{
    char *end;
    unsigned long long x = strtoull(v, &end, 10);
    if (!*v || *v == '-') goto bad;
    if (*end == 'k' || *end == 'K') x *= 1024, end++;
    else if (*end == 'm' || *end == 'M') x *= 1024 * 1024, end++;
    if (*end || x < lo || x > hi) goto bad;
    *dst = (size_t)x;
    return LP_OK;
bad:
    return lp_err_set(err, LP_EINVAL, "%s: %s must be a size from %zu to %zu bytes (k and M suffixes allowed), not '%s'",
                      src, key, lo, hi, v);
}

static int set_count(size_t *dst, const char *key, const char *v, size_t lo, size_t hi, const char *src, lp_err *err)
{
    char *end;
    unsigned long long x = strtoull(v, &end, 10);
    if (!*v || *v == '-' || *end || x < lo || x > hi)
        return lp_err_set(err, LP_EINVAL, "%s: %s must be a whole number from %zu to %zu, not '%s'", src, key, lo, hi,
                          v);
    *dst = (size_t)x;
    return LP_OK;
}

static int set_bool(int *dst, const char *key, const char *v, const char *src, lp_err *err)
{
    if (!strcmp(v, "1") || !strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "on")) *dst = 1;
    else if (!strcmp(v, "0") || !strcmp(v, "false") || !strcmp(v, "no") || !strcmp(v, "off")) *dst = 0;
    else return lp_err_set(err, LP_EINVAL, "%s: %s must be true or false, not '%s'", src, key, v);
    return LP_OK;
}

int lp_config_set(lp_config *c, const char *key, const char *v, const char *src, lp_err *err)
{
    if (!strcmp(key, "db")) return set_str(c->db, sizeof c->db, key, v, src, err);
    if (!strcmp(key, "listen")) {
        if (!strchr(v, ':')) return lp_err_set(err, LP_EINVAL, "%s: listen must be HOST:PORT, not '%s'", src, v);
        return set_str(c->listen, sizeof c->listen, key, v, src, err);
    }
    if (!strcmp(key, "max_body")) return set_size(&c->max_body, key, v, 1024, 64u * 1024 * 1024, src, err);
    if (!strcmp(key, "max_headers")) return set_size(&c->max_headers, key, v, 1024, 1024 * 1024, src, err);
    if (!strcmp(key, "web_root")) return set_str(c->web_root, sizeof c->web_root, key, v, src, err);
    if (!strcmp(key, "access_log")) return set_bool(&c->access_log, key, v, src, err);
    if (!strcmp(key, "port_file")) return set_str(c->port_file, sizeof c->port_file, key, v, src, err);
    if (!strcmp(key, "clock")) {
        lp_vclock probe;
        lp_err e;
        lp_err_init(&e);
        if (lp_vclock_init(&probe, v, &e)) return lp_err_set(err, LP_EINVAL, "%s: %s", src, e.msg);
        return set_str(c->clock, sizeof c->clock, key, v, src, err);
    }
    if (!strcmp(key, "mqtt")) {
        if (!strchr(v, ':')) return lp_err_set(err, LP_EINVAL, "%s: mqtt must be HOST:PORT, not '%s'", src, v);
        return set_str(c->mqtt, sizeof c->mqtt, key, v, src, err);
    }
    if (!strcmp(key, "road")) return set_str(c->road, sizeof c->road, key, v, src, err);
    if (!strcmp(key, "agv_battery_min")) return set_count(&c->agv_battery_min, key, v, 0, 100, src, err);
    if (!strcmp(key, "agv_lost_ms")) return set_count(&c->agv_lost_ms, key, v, 1000, 600000, src, err);
    if (!strcmp(key, "agv_charge_below")) return set_count(&c->agv_charge_below, key, v, 1, 99, src, err);
    if (!strcmp(key, "agv_charge_to")) return set_count(&c->agv_charge_to, key, v, 2, 100, src, err);
    if (!strcmp(key, "agv_inspection_s")) return set_count(&c->agv_inspection_s, key, v, 0, 7200, src, err);
    return lp_err_set(err, LP_EINVAL, "%s: unknown setting '%s'", src, key);
}

int lp_config_check(const lp_config *c, lp_err *err)
{
    if (c->agv_charge_below <= c->agv_battery_min)
        return lp_err_set(err, LP_EINVAL,
                          "agv_charge_below (%zu %%) must be above agv_battery_min (%zu %%): a vehicle must go to"
                          " charge before it is too low for a mission",
                          c->agv_charge_below, c->agv_battery_min);
    if (c->agv_charge_to <= c->agv_charge_below)
        return lp_err_set(err, LP_EINVAL, "agv_charge_to (%zu %%) must be above agv_charge_below (%zu %%)",
                          c->agv_charge_to, c->agv_charge_below);
    return LP_OK;
}

typedef struct ini_ctx {
    lp_config *c;
    const char *path;
    lp_err *err;
    int line;
} ini_ctx;

static int on_ini(void *ud, const char *section, const char *name, const char *value)
{
    ini_ctx *x = ud;
    char src[1200];
    x->line++;
    snprintf(src, sizeof src, "%s [%s] %s", x->path, section, name);
    if (strcmp(section, "server") && strcmp(section, "store"))
        return lp_err_set(x->err, LP_EINVAL, "%s: unknown section [%s] (use [server] or [store])", x->path, section), 0;
    if (!strcmp(section, "store") != !strcmp(name, "db"))
        return lp_err_set(x->err, LP_EINVAL, "%s: '%s' does not belong in [%s]", x->path, name, section), 0;
    return lp_config_set(x->c, name, value, src, x->err) == LP_OK;
}

int lp_config_load_file(lp_config *c, const char *path, lp_err *err)
{
    ini_ctx x = {c, path, err, 0};
    FILE *f = fopen(path, "r");
    int rc;
    if (!f) return lp_err_set(err, LP_EIO, "cannot read config file %s", path);
    rc = ini_parse_file(f, on_ini, &x);
    fclose(f);
    if (rc != 0) {
        if (err && err->code) return err->code;
        return lp_err_set(err, LP_EINVAL, "%s:%d: not valid INI syntax", path, rc);
    }
    return LP_OK;
}

int lp_config_load_env(lp_config *c, lp_err *err)
{
    static const struct { const char *env, *key; } map[] = {
        {"LANDPORT_DB", "db"}, {"LANDPORT_LISTEN", "listen"}, {"LANDPORT_MAX_BODY", "max_body"},
        {"LANDPORT_MAX_HEADERS", "max_headers"}, {"LANDPORT_WEB_ROOT", "web_root"},
        {"LANDPORT_ACCESS_LOG", "access_log"}, {"LANDPORT_CLOCK", "clock"},
        {"LANDPORT_MQTT", "mqtt"}, {"LANDPORT_ROAD", "road"}, {"LANDPORT_AGV_BATTERY_MIN", "agv_battery_min"},
        {"LANDPORT_AGV_LOST_MS", "agv_lost_ms"},
        {"LANDPORT_AGV_CHARGE_BELOW", "agv_charge_below"}, {"LANDPORT_AGV_CHARGE_TO", "agv_charge_to"},
        {"LANDPORT_AGV_INSPECTION_S", "agv_inspection_s"},
    };
    size_t i;
    for (i = 0; i < sizeof map / sizeof map[0]; i++) {
        const char *v = getenv(map[i].env);
        if (v && lp_config_set(c, map[i].key, v, map[i].env, err)) return err ? err->code : LP_EINVAL;
    }
    return LP_OK;
}
