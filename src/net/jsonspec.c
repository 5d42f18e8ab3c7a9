/* jsonspec.c - declarative checks of JSON bodies (see jsonspec.h). */
#include "jsonspec.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const lp_jfield *find(const lp_jspec *spec, const char *name)
{
    int i;
    for (i = 0; i < spec->n; i++)
        if (strcmp(spec->fields[i].name, name) == 0) return &spec->fields[i];
    return NULL;
}

static int in_values(const char *const *values, const char *s)
{
    for (; values && *values; values++)
        if (strcmp(*values, s) == 0) return 1;
    return 0;
}

static void list_values(const char *const *values, char *out, size_t n)
{
    size_t len = 0;
    out[0] = '\0';
    for (; values && *values && len + 4 < n; values++) {
        int w = snprintf(out + len, n - len, "%s%s", len ? ", " : "", *values);
        if (w < 0) break;
        len += (size_t)w;
    }
}

/* UTF-8 characters, not bytes: a Vietnamese or Chinese name has the limit a
 * person would count. */
static int64_t utf8_len(const char *s)
{
    int64_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

static int check_value(const lp_jfield *f, const cJSON *v, const char *ptr, lp_err *err)
{
    char vals[160];
    switch (f->type) {
    case LP_J_STRING:
        if (!cJSON_IsString(v)) return lp_err_field_add(err, ptr, "must be a string");
        if (f->max && utf8_len(v->valuestring) > f->max)
            return lp_err_field_add(err, ptr, "must be at most %lld characters", (long long)f->max);
        if (f->min && utf8_len(v->valuestring) < f->min)
            return lp_err_field_add(err, ptr, "must be at least %lld characters", (long long)f->min);
        return LP_OK;
    case LP_J_INT:
        if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble) || fabs(v->valuedouble) > 9007199254740991.0)
            return lp_err_field_add(err, ptr, "must be an integer");
        if ((f->min || f->max) && (v->valuedouble < (double)f->min || v->valuedouble > (double)f->max))
            return lp_err_field_add(err, ptr, "must be between %lld and %lld", (long long)f->min, (long long)f->max);
        return LP_OK;
    case LP_J_NUMBER:
        if (!cJSON_IsNumber(v)) return lp_err_field_add(err, ptr, "must be a number");
        if ((f->min || f->max) && (v->valuedouble < (double)f->min || v->valuedouble > (double)f->max))
            return lp_err_field_add(err, ptr, "must be between %lld and %lld", (long long)f->min, (long long)f->max);
        return LP_OK;
    case LP_J_BOOL:
        return cJSON_IsBool(v) ? LP_OK : lp_err_field_add(err, ptr, "must be true or false");
    case LP_J_ENUM:
        list_values(f->values, vals, sizeof vals);
        if (!cJSON_IsString(v) || !in_values(f->values, v->valuestring))
            return lp_err_field_add(err, ptr, "must be one of: %s", vals);
        return LP_OK;
    case LP_J_ENUM_ARRAY: {
        const cJSON *a, *b;
        char p[160]; /* ptr (< 128) + "/" + index */
        int i = 0, rc = LP_OK;
        if (!cJSON_IsArray(v)) return lp_err_field_add(err, ptr, "must be an array");
        list_values(f->values, vals, sizeof vals);
        if (f->max && cJSON_GetArraySize(v) > f->max)
            return lp_err_field_add(err, ptr, "must have at most %lld entries", (long long)f->max);
        if (f->min && cJSON_GetArraySize(v) < f->min)
            return lp_err_field_add(err, ptr, "must have at least %lld entries", (long long)f->min);
        cJSON_ArrayForEach(a, v) {
            snprintf(p, sizeof p, "%.100s/%d", ptr, i);
            if (!cJSON_IsString(a) || !in_values(f->values, a->valuestring)) {
                rc = lp_err_field_add(err, p, "must be one of: %s", vals);
            } else {
                for (b = v->child; b != a; b = b->next)
                    if (cJSON_IsString(b) && strcmp(b->valuestring, a->valuestring) == 0) {
                        rc = lp_err_field_add(err, p, "'%s' is listed twice", a->valuestring);
                        break;
                    }
            }
            i++;
        }
        return rc;
    }
    case LP_J_OBJECT_ARRAY: {
        const cJSON *a;
        char p[160]; /* ptr (< 128) + "/" + index */
        int i = 0, rc = LP_OK;
        if (!cJSON_IsArray(v)) return lp_err_field_add(err, ptr, "must be an array");
        if (f->max && cJSON_GetArraySize(v) > f->max)
            return lp_err_field_add(err, ptr, "must have at most %lld entries", (long long)f->max);
        if (f->min && cJSON_GetArraySize(v) < f->min)
            return lp_err_field_add(err, ptr, "must have at least %lld entries", (long long)f->min);
        cJSON_ArrayForEach(a, v) {
            snprintf(p, sizeof p, "%.100s/%d", ptr, i++);
            if (lp_jspec_check(f->items, a, LP_JSPEC_CREATE, p, err)) rc = LP_EINVAL;
        }
        return rc;
    }
    case LP_J_OBJECT:
        if (!cJSON_IsObject(v)) return lp_err_field_add(err, ptr, "must be an object");
        return f->items ? lp_jspec_check(f->items, v, LP_JSPEC_CREATE, ptr, err) : LP_OK;
    case LP_J_STRING_ARRAY: {
        const cJSON *a;
        char p[160];
        int i = 0, rc = LP_OK;
        if (!cJSON_IsArray(v)) return lp_err_field_add(err, ptr, "must be an array");
        if (cJSON_GetArraySize(v) > 64) return lp_err_field_add(err, ptr, "must have at most 64 entries");
        cJSON_ArrayForEach(a, v) {
            snprintf(p, sizeof p, "%.100s/%d", ptr, i++);
            if (!cJSON_IsString(a)) rc = lp_err_field_add(err, p, "must be a string");
            else if ((f->max && utf8_len(a->valuestring) > f->max) || (f->min && utf8_len(a->valuestring) < f->min))
                rc = lp_err_field_add(err, p, "must be %lld to %lld characters", (long long)f->min, (long long)f->max);
        }
        return rc;
    }
    }
    return lp_err_field_add(err, ptr, "has an unsupported type");
}

int lp_jspec_check(const lp_jspec *spec, const cJSON *body, lp_jspec_mode mode,
                   const char *prefix, lp_err *err)
{
    const cJSON *m;
    char ptr[128];
    int i, rc = LP_OK;

    if (!prefix) prefix = "";
    if (!cJSON_IsObject(body))
        return lp_err_field_add(err, prefix, "must be a JSON object");
    cJSON_ArrayForEach(m, body) {
        const lp_jfield *f = find(spec, m->string);
        snprintf(ptr, sizeof ptr, "%s/%s", prefix, m->string);
        if (!f) {
            rc = lp_err_field_add(err, ptr, "is not a known field");
            continue;
        }
        if (mode == LP_JSPEC_PATCH && (f->flags & LP_JF_CREATE_ONLY)) {
            rc = lp_err_field_add(err, ptr, "cannot be changed after creation");
            continue;
        }
        if (cJSON_IsNull(m)) {
            if (!(f->flags & LP_JF_NULLABLE)) rc = lp_err_field_add(err, ptr, "may not be null");
            continue;
        }
        if (check_value(f, m, ptr, err)) rc = LP_EINVAL;
    }
    /* Duplicate members: cJSON keeps both; the second would be silently ignored. */
    cJSON_ArrayForEach(m, body) {
        const cJSON *k;
        for (k = m->next; k; k = k->next)
            if (m->string && k->string && strcmp(m->string, k->string) == 0) {
                snprintf(ptr, sizeof ptr, "%s/%s", prefix, m->string);
                rc = lp_err_field_add(err, ptr, "appears more than once");
            }
    }
    if (mode == LP_JSPEC_CREATE) {
        for (i = 0; i < spec->n; i++) {
            if (!(spec->fields[i].flags & LP_JF_REQUIRED)) continue;
            if (!cJSON_GetObjectItemCaseSensitive(body, spec->fields[i].name)) {
                snprintf(ptr, sizeof ptr, "%s/%s", prefix, spec->fields[i].name);
                rc = lp_err_field_add(err, ptr, "is required");
            }
        }
    } else if (!body->child) {
        rc = lp_err_field_add(err, prefix, "names no field to change");
    }
    return rc;
}

static cJSON *field_schema(const lp_jfield *f)
{
    cJSON *s = cJSON_CreateObject(), *t;
    const char *const *v;
    const char *ty = "string";

    switch (f->type) {
    case LP_J_INT: ty = "integer"; break;
    case LP_J_NUMBER: ty = "number"; break;
    case LP_J_BOOL: ty = "boolean"; break;
    case LP_J_ENUM_ARRAY:
    case LP_J_STRING_ARRAY:
    case LP_J_OBJECT_ARRAY: ty = "array"; break;
    case LP_J_OBJECT: ty = "object"; break;
    default: break;
    }
    if (f->flags & LP_JF_NULLABLE) {
        t = cJSON_AddArrayToObject(s, "type");
        cJSON_AddItemToArray(t, cJSON_CreateString(ty));
        cJSON_AddItemToArray(t, cJSON_CreateString("null"));
    } else {
        cJSON_AddStringToObject(s, "type", ty);
    }
    if (f->description) cJSON_AddStringToObject(s, "description", f->description);
    if (f->type == LP_J_STRING) {
        if (f->min) cJSON_AddNumberToObject(s, "minLength", (double)f->min);
        if (f->max) cJSON_AddNumberToObject(s, "maxLength", (double)f->max);
    } else if (f->type == LP_J_INT || f->type == LP_J_NUMBER) {
        if (f->min || f->max) {
            cJSON_AddNumberToObject(s, "minimum", (double)f->min);
            cJSON_AddNumberToObject(s, "maximum", (double)f->max);
        }
    } else if (f->type == LP_J_ENUM) {
        t = cJSON_AddArrayToObject(s, "enum");
        for (v = f->values; v && *v; v++) cJSON_AddItemToArray(t, cJSON_CreateString(*v));
    } else if (f->type == LP_J_ENUM_ARRAY) {
        cJSON *items = cJSON_AddObjectToObject(s, "items");
        cJSON_AddStringToObject(items, "type", "string");
        t = cJSON_AddArrayToObject(items, "enum");
        for (v = f->values; v && *v; v++) cJSON_AddItemToArray(t, cJSON_CreateString(*v));
        cJSON_AddBoolToObject(s, "uniqueItems", 1);
    } else if (f->type == LP_J_OBJECT_ARRAY) {
        cJSON_AddItemToObject(s, "items", lp_jspec_schema(f->items, LP_JSPEC_CREATE));
    } else if (f->type == LP_J_OBJECT && f->items) {
        cJSON *o = lp_jspec_schema(f->items, LP_JSPEC_CREATE), *m;
        /* Merge the object's schema into the member's (keeps description). */
        while ((m = o->child) != NULL) {
            cJSON_DetachItemViaPointer(o, m);
            if (!strcmp(m->string, "type")) cJSON_Delete(m);
            else cJSON_AddItemToObject(s, m->string, m);
        }
        cJSON_Delete(o);
    } else if (f->type == LP_J_STRING_ARRAY) {
        cJSON *items = cJSON_AddObjectToObject(s, "items");
        cJSON_AddStringToObject(items, "type", "string");
        if (f->min) cJSON_AddNumberToObject(items, "minLength", (double)f->min);
        if (f->max) cJSON_AddNumberToObject(items, "maxLength", (double)f->max);
        cJSON_AddNumberToObject(s, "maxItems", 64);
    }
    if ((f->type == LP_J_ENUM_ARRAY || f->type == LP_J_OBJECT_ARRAY) && (f->min || f->max)) {
        if (f->min) cJSON_AddNumberToObject(s, "minItems", (double)f->min);
        if (f->max) cJSON_AddNumberToObject(s, "maxItems", (double)f->max);
    }
    if (f->example) {
        cJSON *ex = cJSON_Parse(f->example);
        if (ex) {
            t = cJSON_AddArrayToObject(s, "examples");
            cJSON_AddItemToArray(t, ex);
        }
    }
    return s;
}

cJSON *lp_jspec_schema(const lp_jspec *spec, lp_jspec_mode mode)
{
    cJSON *s = cJSON_CreateObject();
    cJSON *props, *req = NULL;
    int i;
    cJSON_AddStringToObject(s, "type", "object");
    props = cJSON_AddObjectToObject(s, "properties");
    for (i = 0; i < spec->n; i++) {
        const lp_jfield *f = &spec->fields[i];
        if (mode == LP_JSPEC_PATCH && (f->flags & LP_JF_CREATE_ONLY)) continue;
        cJSON_AddItemToObject(props, f->name, field_schema(f));
        if (mode == LP_JSPEC_CREATE && (f->flags & LP_JF_REQUIRED)) {
            if (!req) req = cJSON_CreateArray();
            cJSON_AddItemToArray(req, cJSON_CreateString(f->name));
        }
    }
    if (req) cJSON_AddItemToObject(s, "required", req);
    cJSON_AddBoolToObject(s, "additionalProperties", 0);
    if (mode == LP_JSPEC_PATCH) cJSON_AddNumberToObject(s, "minProperties", 1);
    return s;
}
