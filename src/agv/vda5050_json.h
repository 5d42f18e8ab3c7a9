/* vda5050_json.h - members of VDA 5050 messages read and written with cJSON
 * (internal to src/agv).  Readers take the JSON pointer of the enclosing
 * object (base, "" for the root) and add one lp_err field per wrong member.
 * They return 1 when the member is present and valid, 0 when it is absent
 * and optional, -1 when an error was recorded. */
#ifndef LP_VDA5050_JSON_H
#define LP_VDA5050_JSON_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "vda5050.h"

/* Parses json (len bytes) into an object; NULL with an error otherwise.
 * Caller frees with cJSON_Delete. */
cJSON *vda__root(const char *json, size_t len, lp_err *err);
/* Compact text of j, which it deletes; caller frees with lp_free(). */
char *vda__print(cJSON *j);

/* Adds the field error base/name (name NULL: base itself) with a message. */
void vda__ferr(lp_err *err, const char *base, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

int vda__str(const cJSON *o, const char *base, const char *name, int required, char *dst, size_t cap, lp_err *err);
int vda__int(const cJSON *o, const char *base, const char *name, int required, int64_t min, int64_t *dst,
             lp_err *err);
int vda__num(const cJSON *o, const char *base, const char *name, int required, double min, double max,
             double *dst, lp_err *err);
int vda__bool(const cJSON *o, const char *base, const char *name, int required, int *dst, lp_err *err);
/* names: the n allowed strings; *dst gets the index. */
int vda__enum(const cJSON *o, const char *base, const char *name, int required, const char *const *names, int n,
              int *dst, lp_err *err);
/* The array member; NULL when absent (an error if required) or not an array. */
const cJSON *vda__array(const cJSON *o, const char *base, const char *name, int required, lp_err *err);
/* The object member, likewise. */
const cJSON *vda__object(const cJSON *o, const char *base, const char *name, int required, lp_err *err);

/* The common header (all five members required, timestamp RFC 3339). */
int vda__header_parse(const cJSON *root, lp_vda_header *h, lp_err *err);
void vda__header_add(cJSON *root, const lp_vda_header *h);

/* An array of actions at pointer base ("/nodes/0/actions"). */
int vda__actions_parse(const cJSON *arr, const char *base, int *n, lp_vda_action **out, lp_err *err);
cJSON *vda__actions_json(const lp_vda_action *a, int n);
/* A nodePosition object (order and state share it).  Parsing accepts the
 * 2.0.0 spelling allowedDeviationXy; writing uses it when version is 2.0.x. */
int vda__node_pos_parse(const cJSON *o, const char *base, lp_vda_node_pos *p, lp_err *err);
cJSON *vda__node_pos_json(const lp_vda_node_pos *p, const char *version);

/* Grows *arr of elements of size sz to hold count+1 elements. */
void *vda__grow(void *arr, int count, size_t sz);

#endif
