/* road_parse.c - reads a road from its JSON text (docs/road-format.md).
 *
 * Parsing a text is not I/O, so it lives in core with the model; it uses
 * cJSON, the JSON library the whole program already links.  Every problem
 * is reported, each with the JSON pointer of the member at fault. */
#include "core/road.h"
#include "core/road_internal.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/mem.h"

#define FORMAT "landport-road/1"

/* Copies string member `name` of o into dst (size cap); reports a missing,
 * empty (when required), non-string or too long member.  Returns 1 if dst
 * was set. */
static int get_str(const cJSON *o, const char *name, const char *base, char *dst, size_t cap,
                   int required, lp_err *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    char ptr[64];
    snprintf(ptr, sizeof ptr, "%s/%s", base, name);
    dst[0] = '\0';
    if (!v) {
        if (required) lp_err_field_add(err, ptr, "is required");
        return 0;
    }
    if (!cJSON_IsString(v)) return lp_err_field_add(err, ptr, "must be a string"), 0;
    if (strlen(v->valuestring) >= cap)
        return lp_err_field_add(err, ptr, "is longer than %zu bytes", cap - 1), 0;
    if (required && !v->valuestring[0]) return lp_err_field_add(err, ptr, "must not be empty"), 0;
    memcpy(dst, v->valuestring, strlen(v->valuestring) + 1);
    return 1;
}

/* Number member `name`; reports missing or non-number.  Returns 1 if set. */
static int get_num(const cJSON *o, const char *name, const char *base, double *dst, lp_err *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    char ptr[64];
    snprintf(ptr, sizeof ptr, "%s/%s", base, name);
    if (!v) return lp_err_field_add(err, ptr, "is required"), 0;
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
        return lp_err_field_add(err, ptr, "must be a number"), 0;
    *dst = v->valuedouble;
    return 1;
}

/* Index of word in words[] (n of them), or -1 with an error naming them. */
static int get_word(const cJSON *o, const char *name, const char *base, const char *const *words, int n,
                    int dflt, lp_err *err)
{
    char w[32], ptr[64];
    int i;
    if (!cJSON_GetObjectItemCaseSensitive(o, name)) return dflt;
    if (!get_str(o, name, base, w, sizeof w, 1, err)) return -1;
    for (i = 0; i < n; i++)
        if (strcmp(w, words[i]) == 0) return i;
    snprintf(ptr, sizeof ptr, "%s/%s", base, name);
    lp_err_field_add(err, ptr, "unknown value \"%s\"", w);
    return -1;
}

static const cJSON *get_list(const cJSON *doc, const char *name, int max, int *n, lp_err *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(doc, name);
    char ptr[32];
    snprintf(ptr, sizeof ptr, "/%s", name);
    *n = 0;
    if (!cJSON_IsArray(v)) return lp_err_field_add(err, ptr, "must be an array"), NULL;
    *n = cJSON_GetArraySize(v);
    if (*n > max) {
        lp_err_set(err, LP_ETOOBIG, "%s: more than %d entries", name, max);
        *n = 0;
        return NULL;
    }
    if (*n == 0) lp_err_field_add(err, ptr, "must not be empty");
    return v;
}

/* The "id" member of list entry `base`, which must not repeat an earlier
 * entry's (find: the lookup of that kind of id; i: the entry's index). */
static void get_id(const cJSON *o, const char *base, char *dst, size_t cap, int (*find)(const lp_road *, const char *),
                   const lp_road *r, int i, const char *what, lp_err *err)
{
    if (get_str(o, "id", base, dst, cap, 1, err) && find(r, dst) < i) {
        char ptr[48];
        snprintf(ptr, sizeof ptr, "%s/id", base);
        lp_err_field_add(err, ptr, "duplicate %s id \"%s\"", what, dst);
    }
}

static void parse_nodes(lp_road *r, const cJSON *list, lp_err *err)
{
    static const char *const kinds[] = {"point", "passing", "parking"};
    const cJSON *o;
    int i = 0;
    cJSON_ArrayForEach(o, list) {
        lp_road_node *n = &r->nodes[i];
        char base[32];
        int k;
        snprintf(base, sizeof base, "/nodes/%d", i);
        if (!cJSON_IsObject(o)) lp_err_field_add(err, base, "must be an object");
        else {
            get_id(o, base, n->id, sizeof n->id, lp_road_node_find, r, i, "node", err);
            get_str(o, "name", base, n->name, sizeof n->name, 0, err);
            get_num(o, "x", base, &n->x, err);
            get_num(o, "y", base, &n->y, err);
            k = get_word(o, "kind", base, kinds, 3, 0, err);
            n->kind = k < 0 ? LP_ROAD_POINT : (lp_road_node_kind)k;
        }
        i++;
    }
}

/* A node reference: its index, or -1 with an error. */
static int node_ref(const lp_road *r, const cJSON *o, const char *name, const char *base, lp_err *err)
{
    char id[LP_ROAD_ID_MAX], ptr[64];
    int n;
    if (!get_str(o, name, base, id, sizeof id, 1, err)) return -1;
    n = lp_road_node_find(r, id);
    snprintf(ptr, sizeof ptr, "%s/%s", base, name);
    if (n < 0) lp_err_field_add(err, ptr, "unknown node \"%s\"", id);
    return n;
}

static void check_length(const lp_road *r, const lp_road_edge *e, const char *base, lp_err *err)
{
    char ptr[64];
    double dx, dy, straight;
    snprintf(ptr, sizeof ptr, "%s/length_m", base);
    if (e->length_m <= 0) {
        lp_err_field_add(err, ptr, "edge \"%s\" has zero or negative length", e->id);
        return;
    }
    if (e->from < 0 || e->to < 0) return;
    dx = r->nodes[e->to].x - r->nodes[e->from].x;
    dy = r->nodes[e->to].y - r->nodes[e->from].y;
    straight = sqrt(dx * dx + dy * dy);
    /* a road may curve (longer than straight) but is never shorter */
    if (e->length_m < straight - fmax(1.0, straight * 0.01))
        lp_err_field_add(err, ptr, "edge \"%s\" is %.1f m long but its nodes are %.1f m apart", e->id,
                         e->length_m, straight);
}

static void parse_edge(lp_road *r, int i, const cJSON *o, lp_err *err)
{
    static const char *const dirs[] = {"forward", "backward", "both"};
    static const char *const lanes[] = {"double", "single"};
    lp_road_edge *e = &r->edges[i];
    char base[32], ptr[64];
    double kmh = 0;
    int k;
    snprintf(base, sizeof base, "/edges/%d", i);
    e->from = e->to = -1;
    e->dirs = LP_ROAD_BOTH;
    if (!cJSON_IsObject(o)) {
        lp_err_field_add(err, base, "must be an object");
        return;
    }
    get_id(o, base, e->id, sizeof e->id, lp_road_edge_find, r, i, "edge", err);
    e->from = node_ref(r, o, "from", base, err);
    e->to = node_ref(r, o, "to", base, err);
    if (e->from >= 0 && e->from == e->to) {
        snprintf(ptr, sizeof ptr, "%s/to", base);
        lp_err_field_add(err, ptr, "edge \"%s\" starts and ends at the same node", e->id);
    }
    if (get_num(o, "length_m", base, &e->length_m, err)) check_length(r, e, base, err);
    if (get_num(o, "speed_kmh", base, &kmh, err) && kmh <= 0) {
        snprintf(ptr, sizeof ptr, "%s/speed_kmh", base);
        lp_err_field_add(err, ptr, "must be greater than 0");
    }
    e->speed_mps = kmh / 3.6;
    k = get_word(o, "directions", base, dirs, 3, 2, err);
    e->dirs = k < 0 ? LP_ROAD_BOTH : k + 1;
    k = get_word(o, "lane", base, lanes, 2, 0, err);
    e->lane = k < 0 ? LP_ROAD_DOUBLE : (lp_road_lane)k;
}

static void parse_zones(lp_road *r, const cJSON *list, lp_err *err)
{
    const cJSON *o;
    int i = 0;
    cJSON_ArrayForEach(o, list) {
        lp_road_zone *z = &r->zones[i];
        char base[32];
        snprintf(base, sizeof base, "/zones/%d", i);
        z->node = -1;
        if (!cJSON_IsObject(o)) lp_err_field_add(err, base, "must be an object");
        else {
            get_id(o, base, z->id, sizeof z->id, lp_road_zone_find, r, i, "zone", err);
            get_str(o, "name", base, z->name, sizeof z->name, 0, err);
            z->node = node_ref(r, o, "node", base, err);
        }
        i++;
    }
}

int lp_road_parse(const char *text, size_t len, lp_road **out, lp_err *err)
{
    cJSON *doc = NULL;
    const cJSON *nodes, *edges, *zones, *o;
    lp_road *r = NULL;
    lp_err local;
    char fmt[32];
    int rc = LP_EINVAL, i;
    if (!err) {
        lp_err_init(&local);
        err = &local;
    }
    *out = NULL;
    if (!text) return lp_err_set(err, LP_EINVAL, "no road text");
    if (len > LP_ROAD_TEXT_MAX) return lp_err_set(err, LP_ETOOBIG, "road text over %d bytes", LP_ROAD_TEXT_MAX);
    doc = cJSON_ParseWithLength(text, len);
    if (!cJSON_IsObject(doc)) {
        rc = lp_err_set(err, LP_EINVAL, "the road is not a JSON object");
        goto done;
    }
    r = lp_calloc(1, sizeof *r);
    if (get_str(doc, "format", "", fmt, sizeof fmt, 1, err) && strcmp(fmt, FORMAT) != 0)
        lp_err_field_add(err, "/format", "must be \"%s\"", FORMAT);
    get_str(doc, "id", "", r->id, sizeof r->id, 1, err);
    get_str(doc, "name", "", r->name, sizeof r->name, 0, err);
    nodes = get_list(doc, "nodes", LP_ROAD_NODES_MAX, &r->nnodes, err);
    edges = get_list(doc, "edges", LP_ROAD_EDGES_MAX, &r->nedges, err);
    zones = get_list(doc, "zones", LP_ROAD_ZONES_MAX, &r->nzones, err);
    if (err->code == LP_ETOOBIG) {
        rc = LP_ETOOBIG;
        goto done;
    }
    r->nodes = lp_calloc((size_t)r->nnodes + 1, sizeof *r->nodes);
    r->edges = lp_calloc((size_t)r->nedges + 1, sizeof *r->edges);
    r->zones = lp_calloc((size_t)r->nzones + 1, sizeof *r->zones);
    if (nodes) parse_nodes(r, nodes, err);
    i = 0;
    if (edges) cJSON_ArrayForEach(o, edges) parse_edge(r, i++, o, err);
    if (zones) parse_zones(r, zones, err);
    road__check_zones(r, err);
    /* the lane structure needs every reference in range */
    if (err->code != LP_OK) goto done;
    rc = road__validate(r, err);
done:
    cJSON_Delete(doc);
    if (rc == LP_OK) *out = r;
    else lp_road_destroy(r);
    return rc;
}
