/* vda5050_factsheet.c - the factsheet codec: the type, physical parameters
 * and supported actions master control plans with.  Writing fills the other
 * required 2.1.0 members with this project's fixed values (a diff-drive
 * container carrier, natural localisation, autonomous navigation). */
#include "vda5050.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "vda5050_json.h"

static int physical_parse(const cJSON *p, lp_vda_factsheet *f, lp_err *err)
{
    const char *b = "/physicalParameters";
    int bad = 0;
    bad |= vda__num(p, b, "speedMin", 1, 0, HUGE_VAL, &f->speed_min, err) < 0;
    bad |= vda__num(p, b, "speedMax", 1, 0, HUGE_VAL, &f->speed_max, err) < 0;
    bad |= vda__num(p, b, "accelerationMax", 1, 0, HUGE_VAL, &f->accel_max, err) < 0;
    bad |= vda__num(p, b, "decelerationMax", 1, 0, HUGE_VAL, &f->decel_max, err) < 0;
    bad |= vda__num(p, b, "heightMax", 1, 0, HUGE_VAL, &f->height_max, err) < 0;
    bad |= vda__num(p, b, "width", 1, 0, HUGE_VAL, &f->width, err) < 0;
    bad |= vda__num(p, b, "length", 1, 0, HUGE_VAL, &f->length, err) < 0;
    return bad ? -1 : 1;
}

static int actions_parse(const cJSON *feat, lp_vda_factsheet *f, lp_err *err)
{
    const char *b = "/protocolFeatures";
    const cJSON *acts = vda__array(feat, b, "agvActions", 1, err), *it, *sc;
    char ptr[96];
    int i = 0, bad = !acts;
    for (it = acts ? acts->child : NULL; it; it = it->next, i++) {
        snprintf(ptr, sizeof ptr, "%s/agvActions/%d", b, i);
        if (!cJSON_IsObject(it)) {
            vda__ferr(err, ptr, NULL, "must be an object");
            bad = 1;
            continue;
        }
        if (f->nactions >= LP_VDA_FACT_ACTIONS_MAX) continue;
        bad |= vda__str(it, ptr, "actionType", 1, f->actions[f->nactions].type, LP_VDA_ID_MAX, err) < 0;
        sc = vda__array(it, ptr, "actionScopes", 1, err);
        if (!sc) bad = 1;
        for (sc = sc ? sc->child : NULL; sc; sc = sc->next) {
            const char *s = cJSON_GetStringValue(sc);
            if (s && !strcmp(s, "INSTANT")) f->actions[f->nactions].instant = 1;
            else if (s && !strcmp(s, "NODE")) f->actions[f->nactions].node = 1;
            else if (s && !strcmp(s, "EDGE")) f->actions[f->nactions].edge = 1;
            else {
                vda__ferr(err, ptr, "actionScopes", "items must be INSTANT, NODE or EDGE");
                bad = 1;
            }
        }
        f->nactions++;
    }
    return bad ? -1 : 1;
}

int lp_vda_factsheet_parse(const char *json, size_t len, lp_vda_factsheet *f, lp_err *err)
{
    cJSON *root = vda__root(json, len, err);
    const cJSON *type, *phys, *feat;
    int bad = 0;
    memset(f, 0, sizeof *f);
    if (!root) return LP_EINVAL;
    bad |= vda__header_parse(root, &f->h, err) < 0;
    type = vda__object(root, "", "typeSpecification", 1, err);
    phys = vda__object(root, "", "physicalParameters", 1, err);
    feat = vda__object(root, "", "protocolFeatures", 1, err);
    bad |= !type || !phys || !feat;
    bad |= !vda__object(root, "", "protocolLimits", 1, err);
    if (type) {
        bad |= vda__str(type, "/typeSpecification", "seriesName", 1, f->series_name, sizeof f->series_name, err) < 0;
        bad |= vda__num(type, "/typeSpecification", "maxLoadMass", 1, 0, HUGE_VAL, &f->max_load_mass, err) < 0;
    }
    if (phys) bad |= physical_parse(phys, f, err) < 0;
    if (feat) bad |= actions_parse(feat, f, err) < 0;
    cJSON_Delete(root);
    return bad ? lp_err_set(err, LP_EINVAL, "invalid factsheet message") : 0;
}

static cJSON *strings(const char *a)
{
    cJSON *arr = cJSON_CreateArray();
    cJSON_AddItemToArray(arr, cJSON_CreateString(a));
    return arr;
}

char *lp_vda_factsheet_format(const lp_vda_factsheet *f)
{
    cJSON *root = cJSON_CreateObject(), *o, *p, *arr;
    int i;
    vda__header_add(root, &f->h);
    o = cJSON_AddObjectToObject(root, "typeSpecification");
    cJSON_AddStringToObject(o, "seriesName", f->series_name);
    cJSON_AddStringToObject(o, "agvKinematic", "DIFF");
    cJSON_AddStringToObject(o, "agvClass", "CARRIER");
    cJSON_AddNumberToObject(o, "maxLoadMass", f->max_load_mass);
    cJSON_AddItemToObject(o, "localizationTypes", strings("NATURAL"));
    cJSON_AddItemToObject(o, "navigationTypes", strings("AUTONOMOUS"));
    o = cJSON_AddObjectToObject(root, "physicalParameters");
    cJSON_AddNumberToObject(o, "speedMin", f->speed_min);
    cJSON_AddNumberToObject(o, "speedMax", f->speed_max);
    cJSON_AddNumberToObject(o, "accelerationMax", f->accel_max);
    cJSON_AddNumberToObject(o, "decelerationMax", f->decel_max);
    cJSON_AddNumberToObject(o, "heightMax", f->height_max);
    cJSON_AddNumberToObject(o, "width", f->width);
    cJSON_AddNumberToObject(o, "length", f->length);
    o = cJSON_AddObjectToObject(root, "protocolLimits");
    p = cJSON_AddObjectToObject(o, "maxStringLens");
    cJSON_AddNumberToObject(p, "idLen", LP_VDA_ID_MAX - 1);
    cJSON_AddObjectToObject(o, "maxArrayLens");
    p = cJSON_AddObjectToObject(o, "timing");
    cJSON_AddNumberToObject(p, "minOrderInterval", 0.1);
    cJSON_AddNumberToObject(p, "minStateInterval", 0.1);
    cJSON_AddNumberToObject(p, "defaultStateInterval", 1.0);
    o = cJSON_AddObjectToObject(root, "protocolFeatures");
    cJSON_AddArrayToObject(o, "optionalParameters");
    arr = cJSON_AddArrayToObject(o, "agvActions");
    for (i = 0; i < f->nactions; i++) {
        cJSON *a = cJSON_CreateObject(), *sc = cJSON_AddArrayToObject(a, "actionScopes");
        cJSON_AddStringToObject(a, "actionType", f->actions[i].type);
        if (f->actions[i].instant) cJSON_AddItemToArray(sc, cJSON_CreateString("INSTANT"));
        if (f->actions[i].node) cJSON_AddItemToArray(sc, cJSON_CreateString("NODE"));
        if (f->actions[i].edge) cJSON_AddItemToArray(sc, cJSON_CreateString("EDGE"));
        cJSON_AddItemToArray(arr, a);
    }
    cJSON_AddObjectToObject(root, "agvGeometry");
    cJSON_AddObjectToObject(root, "loadSpecification");
    return vda__print(root);
}
