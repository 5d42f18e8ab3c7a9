/* vda5050.c - VDA 5050 header, topics, enum names, the memory of message
 * values (deinit/copy/append) and the connection codec.  The order,
 * instantActions, state and factsheet codecs are in vda5050_msg.c,
 * vda5050_state.c and vda5050_factsheet.c. */
#include "vda5050.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/mem.h"
#include "vda5050_json.h"

static void copy_str(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "");
}

void lp_vda_header_init(lp_vda_header *h, const char *manufacturer, const char *serial, int64_t id,
                        int64_t now_ms)
{
    memset(h, 0, sizeof *h);
    h->header_id = id;
    h->timestamp_ms = now_ms;
    copy_str(h->version, sizeof h->version, LP_VDA_VERSION);
    copy_str(h->manufacturer, sizeof h->manufacturer, manufacturer);
    copy_str(h->serial, sizeof h->serial, serial);
}

/* Topics ------------------------------------------------------------------ */

static const char *const topic_names[LP_VDA_T_COUNT] = {
    "order", "instantActions", "state", "visualization", "connection", "factsheet",
};

const char *lp_vda_topic_name(lp_vda_topic t)
{
    return (unsigned)t < LP_VDA_T_COUNT ? topic_names[t] : "?";
}

static int topic_level_ok(const char *s)
{
    return s && *s && !strpbrk(s, "/+#");
}

int lp_vda_topic_format(char *out, size_t n, const char *manufacturer, const char *serial, lp_vda_topic t)
{
    int k;
    if (!topic_level_ok(manufacturer) || !topic_level_ok(serial) || (unsigned)t >= LP_VDA_T_COUNT)
        return LP_EINVAL;
    k = snprintf(out, n, "uagv/v2/%s/%s/%s", manufacturer, serial, topic_names[t]);
    return k < 0 || (size_t)k >= n ? LP_ETOOBIG : 0;
}

int lp_vda_topic_parse(const char *topic, char *manufacturer, char *serial, lp_vda_topic *t)
{
    const char *p, *m, *s, *k;
    size_t ml, sl;
    int i;
    if (strncmp(topic, "uagv/v2/", 8) != 0) return LP_EINVAL;
    m = topic + 8;
    p = strchr(m, '/');
    if (!p) return LP_EINVAL;
    ml = (size_t)(p - m);
    s = p + 1;
    p = strchr(s, '/');
    if (!p) return LP_EINVAL;
    sl = (size_t)(p - s);
    k = p + 1;
    if (ml == 0 || sl == 0 || ml >= LP_VDA_ID_MAX || sl >= LP_VDA_ID_MAX) return LP_EINVAL;
    for (i = 0; i < LP_VDA_T_COUNT; i++)
        if (!strcmp(k, topic_names[i])) break;
    if (i == LP_VDA_T_COUNT) return LP_EINVAL;
    memcpy(manufacturer, m, ml);
    manufacturer[ml] = '\0';
    memcpy(serial, s, sl);
    serial[sl] = '\0';
    *t = (lp_vda_topic)i;
    return 0;
}

/* Enum names ----------------------------------------------------------------- */

const char *lp_vda_action_status_name(lp_vda_action_status s)
{
    static const char *const n[] = {"WAITING", "INITIALIZING", "RUNNING", "PAUSED", "FINISHED", "FAILED"};
    return (unsigned)s < 6 ? n[s] : "FAILED";
}

const char *lp_vda_opmode_name(lp_vda_opmode m)
{
    static const char *const n[] = {"AUTOMATIC", "SEMIAUTOMATIC", "MANUAL", "SERVICE", "TEACHIN"};
    return (unsigned)m < 5 ? n[m] : "AUTOMATIC";
}

const char *lp_vda_estop_name(lp_vda_estop e)
{
    static const char *const n[] = {"NONE", "AUTOACK", "MANUAL", "REMOTE"};
    return (unsigned)e < 4 ? n[e] : "NONE";
}

const char *lp_vda_conn_name(lp_vda_conn c)
{
    static const char *const n[] = {"ONLINE", "OFFLINE", "CONNECTIONBROKEN"};
    return (unsigned)c < 3 ? n[c] : "OFFLINE";
}

/* Actions -------------------------------------------------------------------- */

int lp_vda_action_param_num(const lp_vda_action *a, const char *key, double *v)
{
    int i;
    for (i = 0; i < a->nparams; i++) {
        char *end;
        double d;
        const char *txt = a->params[i].value_json;
        if (strcmp(a->params[i].key, key) != 0 || !txt) continue;
        if (*txt == '"') txt++; /* "5" as a string is accepted too */
        d = strtod(txt, &end);
        if (end == txt) return 0;
        *v = d;
        return 1;
    }
    return 0;
}

void lp_vda_action_deinit(lp_vda_action *a)
{
    int i;
    for (i = 0; i < a->nparams; i++) lp_free(a->params[i].value_json);
    lp_free(a->params);
    a->params = NULL;
    a->nparams = 0;
}

void lp_vda_action_copy(lp_vda_action *dst, const lp_vda_action *src)
{
    int i;
    *dst = *src;
    dst->params = NULL;
    if (src->nparams) {
        dst->params = lp_calloc((size_t)src->nparams, sizeof *dst->params);
        for (i = 0; i < src->nparams; i++) {
            dst->params[i] = src->params[i];
            dst->params[i].value_json = lp_strdup(src->params[i].value_json);
        }
    }
}

static lp_vda_action *copy_actions(const lp_vda_action *src, int n)
{
    lp_vda_action *a;
    int i;
    if (n == 0) return NULL;
    a = lp_calloc((size_t)n, sizeof *a);
    for (i = 0; i < n; i++) lp_vda_action_copy(&a[i], &src[i]);
    return a;
}

static void free_actions(lp_vda_action *a, int n)
{
    int i;
    for (i = 0; i < n; i++) lp_vda_action_deinit(&a[i]);
    lp_free(a);
}

/* Orders ----------------------------------------------------------------------- */

void lp_vda_order_deinit(lp_vda_order *o)
{
    int i;
    for (i = 0; i < o->nnodes; i++) free_actions(o->nodes[i].actions, o->nodes[i].nactions);
    for (i = 0; i < o->nedges; i++) free_actions(o->edges[i].actions, o->edges[i].nactions);
    lp_free(o->nodes);
    lp_free(o->edges);
    memset(o, 0, sizeof *o);
}

lp_vda_node *lp_vda_order_add_node(lp_vda_order *o, const lp_vda_node *n)
{
    lp_vda_node *d;
    o->nodes = vda__grow(o->nodes, o->nnodes, sizeof *o->nodes);
    d = &o->nodes[o->nnodes++];
    *d = *n;
    d->actions = copy_actions(n->actions, n->nactions);
    return d;
}

lp_vda_edge *lp_vda_order_add_edge(lp_vda_order *o, const lp_vda_edge *e)
{
    lp_vda_edge *d;
    o->edges = vda__grow(o->edges, o->nedges, sizeof *o->edges);
    d = &o->edges[o->nedges++];
    *d = *e;
    d->actions = copy_actions(e->actions, e->nactions);
    return d;
}

void lp_vda_order_copy(lp_vda_order *dst, const lp_vda_order *src)
{
    int i;
    *dst = *src;
    dst->nodes = NULL;
    dst->edges = NULL;
    dst->nnodes = dst->nedges = 0;
    for (i = 0; i < src->nnodes; i++) lp_vda_order_add_node(dst, &src->nodes[i]);
    for (i = 0; i < src->nedges; i++) lp_vda_order_add_edge(dst, &src->edges[i]);
}

/* instantActions memory ------------------------------------------------------ */

void lp_vda_instant_deinit(lp_vda_instant *m)
{
    free_actions(m->actions, m->nactions);
    m->actions = NULL;
    m->nactions = 0;
}

lp_vda_action *lp_vda_instant_add(lp_vda_instant *m, const char *action_id, const char *type,
                                  lp_vda_blocking blocking)
{
    lp_vda_action *a;
    m->actions = vda__grow(m->actions, m->nactions, sizeof *m->actions);
    a = &m->actions[m->nactions++];
    copy_str(a->action_id, sizeof a->action_id, action_id);
    copy_str(a->action_type, sizeof a->action_type, type);
    a->blocking = blocking;
    return a;
}

/* State memory ------------------------------------------------------------------ */

void lp_vda_state_deinit(lp_vda_state *s)
{
    lp_free(s->node_states);
    lp_free(s->edge_states);
    lp_free(s->action_states);
    lp_free(s->errors);
    s->node_states = NULL;
    s->edge_states = NULL;
    s->action_states = NULL;
    s->errors = NULL;
    s->nnode_states = s->nedge_states = s->naction_states = s->nerrors = 0;
}

lp_vda_error *lp_vda_state_add_error(lp_vda_state *s, const char *type, int fatal, const char *description)
{
    lp_vda_error *e;
    s->errors = vda__grow(s->errors, s->nerrors, sizeof *s->errors);
    e = &s->errors[s->nerrors++];
    copy_str(e->type, sizeof e->type, type);
    e->fatal = fatal;
    copy_str(e->description, sizeof e->description, description);
    return e;
}

void lp_vda_error_ref(lp_vda_error *e, const char *key, const char *value)
{
    if (e->nrefs >= LP_VDA_REFS_MAX) return;
    copy_str(e->refs[e->nrefs].key, sizeof e->refs[0].key, key);
    copy_str(e->refs[e->nrefs].value, sizeof e->refs[0].value, value);
    e->nrefs++;
}

const lp_vda_error *lp_vda_state_find_error(const lp_vda_state *s, const char *type)
{
    int i;
    for (i = 0; i < s->nerrors; i++)
        if (!strcmp(s->errors[i].type, type)) return &s->errors[i];
    return NULL;
}

const lp_vda_action_state *lp_vda_state_find_action(const lp_vda_state *s, const char *action_id)
{
    int i;
    for (i = 0; i < s->naction_states; i++)
        if (!strcmp(s->action_states[i].action_id, action_id)) return &s->action_states[i];
    return NULL;
}

/* Connection ------------------------------------------------------------------ */

int lp_vda_connection_parse(const char *json, size_t len, lp_vda_connection *c, lp_err *err)
{
    static const char *const names[] = {"ONLINE", "OFFLINE", "CONNECTIONBROKEN"};
    cJSON *root = vda__root(json, len, err);
    int bad = 0, st = 0;
    memset(c, 0, sizeof *c);
    if (!root) return LP_EINVAL;
    bad |= vda__header_parse(root, &c->h, err) < 0;
    bad |= vda__enum(root, "", "connectionState", 1, names, 3, &st, err) < 0;
    c->state = (lp_vda_conn)st;
    cJSON_Delete(root);
    return bad ? lp_err_set(err, LP_EINVAL, "invalid connection message") : 0;
}

char *lp_vda_connection_format(const lp_vda_connection *c)
{
    cJSON *root = cJSON_CreateObject();
    vda__header_add(root, &c->h);
    cJSON_AddStringToObject(root, "connectionState", lp_vda_conn_name(c->state));
    return vda__print(root);
}
