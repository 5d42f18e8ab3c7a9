/* config.h - landport's settings and where they come from.
 *
 * Precedence, lowest to highest: built-in defaults, the INI file (--config
 * FILE, or LANDPORT_CONFIG), LANDPORT_* environment variables, command-line
 * flags.  Every source is checked: an unknown key or a bad value is an error
 * naming the source, not a silent default. */
#ifndef LP_CONFIG_H
#define LP_CONFIG_H

#include <stddef.h>
#include "../core/err.h"

typedef struct lp_config {
    char db[1024];          /* [store] db        LANDPORT_DB          --db */
    char listen[128];       /* [server] listen   LANDPORT_LISTEN      --listen */
    size_t max_body;        /* [server] max_body LANDPORT_MAX_BODY    --max-body */
    size_t max_headers;     /* [server] max_headers LANDPORT_MAX_HEADERS */
    char web_root[1024];    /* [server] web_root LANDPORT_WEB_ROOT    --web-root */
    int access_log;         /* [server] access_log LANDPORT_ACCESS_LOG --access-log */
    char port_file[1024];   /* --port-file: write the bound port here */
    char clock[1100];       /* [server] clock    LANDPORT_CLOCK       --clock (os/vclock.h) */
    char mqtt[128];         /* [agv] mqtt        LANDPORT_MQTT        --mqtt HOST:PORT ("" = fleet off) */
    char road[1024];        /* [agv] road        LANDPORT_ROAD        --road FILE */
    size_t agv_battery_min; /* [agv] agv_battery_min LANDPORT_AGV_BATTERY_MIN: % a mission needs (20) */
    size_t agv_lost_ms;     /* [agv] agv_lost_ms LANDPORT_AGV_LOST_MS: state silence that means lost (5000) */
    size_t agv_charge_below; /* [agv] agv_charge_below LANDPORT_AGV_CHARGE_BELOW: % that sends an idle AGV to charge (30) */
    size_t agv_charge_to;   /* [agv] agv_charge_to LANDPORT_AGV_CHARGE_TO: % at which charging stops (90) */
    size_t agv_inspection_s; /* [agv] agv_inspection_s LANDPORT_AGV_INSPECTION_S: planned inspection stop (300) */
} lp_config;

/* Fills c with the defaults. */
void lp_config_defaults(lp_config *c);
/* Applies an INI file. Returns LP_EIO (unreadable) or LP_EINVAL (with the
 * line and key in err). */
int lp_config_load_file(lp_config *c, const char *path, lp_err *err);
/* Applies LANDPORT_* variables. Returns LP_EINVAL naming the variable. */
int lp_config_load_env(lp_config *c, lp_err *err);
/* Sets one key (INI name, e.g. "listen") from text; src names the source in
 * messages. */
int lp_config_set(lp_config *c, const char *key, const char *value, const char *src, lp_err *err);
/* Checks what single keys cannot: agv_battery_min < agv_charge_below <
 * agv_charge_to.  Returns LP_EINVAL saying which keys to change. */
int lp_config_check(const lp_config *c, lp_err *err);

#endif
