/* vda5050_json.c - typed reads of message members with JSON-pointer errors,
 * and the header, action and node-position parts every message shares. */
#include "vda5050_json.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../core/clock.h"
#include "../core/mem.h"
#include "../os/vclock.h"

static const char *const blocking_names[] = {"NONE", "SOFT", "HARD"};

cJSON *vda__root(const char *json, size_t len, lp_err *err)
{
    cJSON *j = cJSON_ParseWithLength(json, len);
    if (!j) {
        vda__ferr(err, "", NULL, "not valid JSON");
        return NULL;
    }
    if (!cJSON_IsObject(j)) {
        vda__ferr(err, "", NULL, "must be a JSON object");
        cJSON_Delete(j);
        return NULL;
    }
    return j;
}

char *vda__print(cJSON *j)
{
    char *raw = cJSON_PrintUnformatted(j);
    char *out;
    cJSON_Delete(j);
    if (!raw) return NULL;
    out = lp_strdup(raw);
    cJSON_free(raw);
    return out;
}

void vda__ferr(lp_err *err, const char *base, const char *name, const char *fmt, ...)
{
    char ptr[sizeof err->fields[0].pointer], msg[sizeof err->fields[0].msg];
    va_list ap;
    if (name)
        snprintf(ptr, sizeof ptr, "%s/%s", base, name);
    else
        snprintf(ptr, sizeof ptr, "%s", base);
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    lp_err_field_add(err, ptr, "%s", msg);
}

/* The member, or NULL; records "required" when it must be there. */
static const cJSON *member(const cJSON *o, const char *base, const char *name, int required, lp_err *err)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, name);
    if (!m && required) vda__ferr(err, base, name, "required");
    return m;
}

/* Field errors name the member by its JSON pointer. */
#define BAD(what) (vda__ferr(err, base, name, what), -1)

int vda__str(const cJSON *o, const char *base, const char *name, int required, char *dst, size_t cap, lp_err *err)
{
    const cJSON *m = member(o, base, name, required, err);
    size_t n;
    if (!m) return required ? -1 : 0;
    if (!cJSON_IsString(m)) return BAD("must be a string");
    n = strlen(m->valuestring);
    if (n >= cap) {
        vda__ferr(err, base, name, "longer than %zu bytes", cap - 1);
        return -1;
    }
    memcpy(dst, m->valuestring, n + 1);
    return 1;
}

int vda__int(const cJSON *o, const char *base, const char *name, int required, int64_t min, int64_t *dst,
             lp_err *err)
{
    const cJSON *m = member(o, base, name, required, err);
    double v;
    if (!m) return required ? -1 : 0;
    if (!cJSON_IsNumber(m)) return BAD("must be an integer");
    v = m->valuedouble;
    if (v != floor(v) || fabs(v) > 9007199254740992.0) return BAD("must be an integer");
    if (v < (double)min) {
        vda__ferr(err, base, name, "must be an integer >= %lld", (long long)min);
        return -1;
    }
    *dst = (int64_t)v;
    return 1;
}

int vda__num(const cJSON *o, const char *base, const char *name, int required, double min, double max,
             double *dst, lp_err *err)
{
    const cJSON *m = member(o, base, name, required, err);
    if (!m) return required ? -1 : 0;
    if (!cJSON_IsNumber(m) || !isfinite(m->valuedouble)) return BAD("must be a number");
    if (m->valuedouble < min || m->valuedouble > max) {
        vda__ferr(err, base, name, "must be between %g and %g", min, max);
        return -1;
    }
    *dst = m->valuedouble;
    return 1;
}

int vda__bool(const cJSON *o, const char *base, const char *name, int required, int *dst, lp_err *err)
{
    const cJSON *m = member(o, base, name, required, err);
    if (!m) return required ? -1 : 0;
    if (!cJSON_IsBool(m)) return BAD("must be true or false");
    *dst = cJSON_IsTrue(m);
    return 1;
}

int vda__enum(const cJSON *o, const char *base, const char *name, int required, const char *const *names, int n,
              int *dst, lp_err *err)
{
    const cJSON *m = member(o, base, name, required, err);
    int i;
    if (!m) return required ? -1 : 0;
    if (cJSON_IsString(m))
        for (i = 0; i < n; i++)
            if (!strcmp(m->valuestring, names[i])) {
                *dst = i;
                return 1;
            }
    vda__ferr(err, base, name, "must be one of %s%s%s%s%s%s%s%s%s", names[0],
                     n > 1 ? ", " : "", n > 1 ? names[1] : "", n > 2 ? ", " : "", n > 2 ? names[2] : "",
                     n > 3 ? ", " : "", n > 3 ? names[3] : "", n > 4 ? ", " : "", n > 4 ? names[4] : "");
    return -1;
}

const cJSON *vda__array(const cJSON *o, const char *base, const char *name, int required, lp_err *err)
{
    const cJSON *m = member(o, base, name, required, err);
    if (m && !cJSON_IsArray(m)) {
        (void)BAD("must be an array");
        return NULL;
    }
    return m;
}

const cJSON *vda__object(const cJSON *o, const char *base, const char *name, int required, lp_err *err)
{
    const cJSON *m = member(o, base, name, required, err);
    if (m && !cJSON_IsObject(m)) {
        (void)BAD("must be an object");
        return NULL;
    }
    return m;
}

void *vda__grow(void *arr, int count, size_t sz)
{
    char *p = lp_realloc(arr, (size_t)(count + 1) * sz);
    memset(p + (size_t)count * sz, 0, sz);
    return p;
}

int vda__header_parse(const cJSON *root, lp_vda_header *h, lp_err *err)
{
    char ts[48];
    int bad = 0;
    memset(h, 0, sizeof *h);
    bad |= vda__int(root, "", "headerId", 1, 0, &h->header_id, err) < 0;
    if (vda__str(root, "", "timestamp", 1, ts, sizeof ts, err) < 0)
        bad = 1;
    else if (lp_vclock_parse_time(ts, &h->timestamp_ms) != 0 || !strchr(ts, 'T')) {
        vda__ferr(err, "", "timestamp", "must be an ISO 8601 date-time (2026-11-23T11:40:03.120Z)");
        bad = 1;
    }
    bad |= vda__str(root, "", "version", 1, h->version, sizeof h->version, err) < 0;
    bad |= vda__str(root, "", "manufacturer", 1, h->manufacturer, sizeof h->manufacturer, err) < 0;
    bad |= vda__str(root, "", "serialNumber", 1, h->serial, sizeof h->serial, err) < 0;
    if (!bad && strncmp(h->version, "2.", 2) != 0) {
        vda__ferr(err, "", "version", "major version must be 2 (got %s)", h->version);
        bad = 1;
    }
    return bad ? -1 : 1;
}

void vda__header_add(cJSON *root, const lp_vda_header *h)
{
    char ts[40];
    lp_time_format(h->timestamp_ms, ts, sizeof ts);
    cJSON_AddNumberToObject(root, "headerId", (double)h->header_id);
    cJSON_AddStringToObject(root, "timestamp", ts);
    cJSON_AddStringToObject(root, "version", h->version[0] ? h->version : LP_VDA_VERSION);
    cJSON_AddStringToObject(root, "manufacturer", h->manufacturer);
    cJSON_AddStringToObject(root, "serialNumber", h->serial);
}

static int params_parse(const cJSON *arr, const char *base, lp_vda_action *a, lp_err *err)
{
    const cJSON *p;
    char ptr[260];
    int i = 0, bad = 0;
    cJSON_ArrayForEach(p, arr) {
        snprintf(ptr, sizeof ptr, "%s/%d", base, i++);
        if (!cJSON_IsObject(p)) {
            vda__ferr(err, ptr, NULL, "must be an object");
            bad = 1;
            continue;
        }
        a->params = vda__grow(a->params, a->nparams, sizeof *a->params);
        if (vda__str(p, ptr, "key", 1, a->params[a->nparams].key, LP_VDA_ID_MAX, err) < 0) bad = 1;
        {
            const cJSON *v = member(p, ptr, "value", 1, err);
            if (!v || cJSON_IsNull(v)) {
                if (v) vda__ferr(err, ptr, "value", "must not be null");
                bad = 1;
            } else {
                char *raw = cJSON_PrintUnformatted(v);
                a->params[a->nparams].value_json = lp_strdup(raw ? raw : "null");
                cJSON_free(raw);
            }
        }
        a->nparams++;
    }
    return bad ? -1 : 1;
}

int vda__actions_parse(const cJSON *arr, const char *base, int *n, lp_vda_action **out, lp_err *err)
{
    const cJSON *it;
    char ptr[200];
    int i = 0, bad = 0, b = 0;
    cJSON_ArrayForEach(it, arr) {
        lp_vda_action *a;
        const cJSON *params;
        snprintf(ptr, sizeof ptr, "%s/%d", base, i++);
        if (!cJSON_IsObject(it)) {
            vda__ferr(err, ptr, NULL, "must be an object");
            bad = 1;
            continue;
        }
        *out = vda__grow(*out, *n, sizeof **out);
        a = &(*out)[(*n)++];
        bad |= vda__str(it, ptr, "actionId", 1, a->action_id, sizeof a->action_id, err) < 0;
        bad |= vda__str(it, ptr, "actionType", 1, a->action_type, sizeof a->action_type, err) < 0;
        bad |= vda__str(it, ptr, "actionDescription", 0, a->description, sizeof a->description, err) < 0;
        if (vda__enum(it, ptr, "blockingType", 1, blocking_names, 3, &b, err) < 0) bad = 1;
        a->blocking = (lp_vda_blocking)b;
        params = vda__array(it, ptr, "actionParameters", 0, err);
        if (params) {
            char pp[240];
            snprintf(pp, sizeof pp, "%s/actionParameters", ptr);
            bad |= params_parse(params, pp, a, err) < 0;
        } else if (cJSON_GetObjectItemCaseSensitive(it, "actionParameters")) {
            bad = 1;
        }
    }
    return bad ? -1 : 1;
}

cJSON *vda__actions_json(const lp_vda_action *a, int n)
{
    cJSON *arr = cJSON_CreateArray();
    int i, k;
    for (i = 0; i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "actionId", a[i].action_id);
        cJSON_AddStringToObject(o, "actionType", a[i].action_type);
        if (a[i].description[0]) cJSON_AddStringToObject(o, "actionDescription", a[i].description);
        cJSON_AddStringToObject(o, "blockingType", blocking_names[a[i].blocking]);
        if (a[i].nparams) {
            cJSON *ps = cJSON_AddArrayToObject(o, "actionParameters");
            for (k = 0; k < a[i].nparams; k++) {
                cJSON *p = cJSON_CreateObject();
                cJSON *v = cJSON_Parse(a[i].params[k].value_json ? a[i].params[k].value_json : "null");
                cJSON_AddStringToObject(p, "key", a[i].params[k].key);
                cJSON_AddItemToObject(p, "value", v ? v : cJSON_CreateString(""));
                cJSON_AddItemToArray(ps, p);
            }
        }
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

int vda__node_pos_parse(const cJSON *o, const char *base, lp_vda_node_pos *p, lp_err *err)
{
    const double pi = 3.14159265359;
    int bad = 0, r;
    memset(p, 0, sizeof *p);
    p->allowed_dev_xy = -1;
    bad |= vda__num(o, base, "x", 1, -HUGE_VAL, HUGE_VAL, &p->x, err) < 0;
    bad |= vda__num(o, base, "y", 1, -HUGE_VAL, HUGE_VAL, &p->y, err) < 0;
    r = vda__num(o, base, "theta", 0, -pi, pi, &p->theta, err);
    bad |= r < 0;
    p->has_theta = r > 0;
    /* 2.0.0 spells it allowedDeviationXy; both are read. */
    if (cJSON_GetObjectItemCaseSensitive(o, "allowedDeviationXY"))
        bad |= vda__num(o, base, "allowedDeviationXY", 0, 0, HUGE_VAL, &p->allowed_dev_xy, err) < 0;
    else
        bad |= vda__num(o, base, "allowedDeviationXy", 0, 0, HUGE_VAL, &p->allowed_dev_xy, err) < 0;
    bad |= vda__str(o, base, "mapId", 1, p->map_id, sizeof p->map_id, err) < 0;
    p->present = !bad;
    return bad ? -1 : 1;
}

cJSON *vda__node_pos_json(const lp_vda_node_pos *p, const char *version)
{
    int v200 = !strncmp(version, "2.0.", 4);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "x", p->x);
    cJSON_AddNumberToObject(o, "y", p->y);
    if (p->has_theta) cJSON_AddNumberToObject(o, "theta", p->theta);
    if (p->allowed_dev_xy >= 0)
        cJSON_AddNumberToObject(o, v200 ? "allowedDeviationXy" : "allowedDeviationXY", p->allowed_dev_xy);
    cJSON_AddStringToObject(o, "mapId", p->map_id);
    return o;
}
