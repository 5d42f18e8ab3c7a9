/* jsonspec.h - declarative checks of JSON request bodies.
 *
 * A resource declares its members once (name, type, limits); the same
 * declaration rejects unknown members and wrong types with a JSON pointer per
 * problem, and renders the JSON Schema that goes into the OpenAPI document, so
 * the document cannot drift from what the server accepts.  Checks of meaning
 * (check digits, plates) are the handlers' job, after this. */
#ifndef LP_JSONSPEC_H
#define LP_JSONSPEC_H

#include <cjson/cJSON.h>
#include <stdint.h>
#include "../core/err.h"
#include "../store/table.h"

typedef enum {
    LP_J_STRING = 1,
    LP_J_INT,
    LP_J_NUMBER,
    LP_J_BOOL,
    LP_J_ENUM,        /* string, one of .values */
    LP_J_ENUM_ARRAY,  /* array of distinct strings from .values */
    LP_J_OBJECT_ARRAY, /* array of objects, each checked against .items */
    LP_J_OBJECT,       /* an object checked against .items, or any object when .items is NULL */
    LP_J_STRING_ARRAY  /* array of strings, each of min..max characters; the array at most 64 */
} lp_jtype;

enum {
    LP_JF_REQUIRED = 1u, /* must be present on create */
    LP_JF_NULLABLE = 2u, /* null allowed (clears the value) */
    LP_JF_CREATE_ONLY = 4u, /* may not be changed by PATCH */
};

typedef struct lp_jfield lp_jfield;

typedef struct lp_jspec {
    const lp_jfield *fields;
    int n;
} lp_jspec;

struct lp_jfield {
    const char *name;
    lp_jtype type;
    unsigned flags;
    int64_t min, max;            /* string length or integer range; both 0 = no limit */
    const char *const *values;   /* ENUM / ENUM_ARRAY: NULL-terminated */
    const lp_jspec *items;       /* OBJECT_ARRAY, OBJECT */
    const char *description;     /* for the OpenAPI document */
    const char *example;         /* JSON text, for the OpenAPI document; may be NULL */
};

typedef enum { LP_JSPEC_CREATE, LP_JSPEC_PATCH } lp_jspec_mode;

/* Checks that body is an object whose members are all declared in spec, of the
 * declared type and within limits, and (CREATE) that required members are
 * present, or (PATCH) that no create-only member is present and at least one
 * member is.  Every problem is added to err with its pointer (prefix + "/" +
 * name).  Returns 0 or LP_EINVAL. */
int lp_jspec_check(const lp_jspec *spec, const cJSON *body, lp_jspec_mode mode,
                   const char *prefix, lp_err *err);

/* The JSON Schema of a body for spec (mode PATCH: nothing required,
 * create-only members left out).  Caller owns the result. */
cJSON *lp_jspec_schema(const lp_jspec *spec, lp_jspec_mode mode);

/* lp_json_str / lp_json_int (getters for checked bodies) live in table.h. */

#endif
