/* openapi.c - OpenAPI 3.1 from the route table (see openapi.h). */
#include "openapi.h"
#include "routes.h"
#include "../core/mem.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

static cJSON *problem_schema(void)
{
    return cJSON_Parse(
        "{\"type\":\"object\",\"description\":\"RFC 9457 problem details\",\"properties\":{"
        "\"type\":{\"type\":\"string\"},\"title\":{\"type\":\"string\"},\"status\":{\"type\":\"integer\"},"
        "\"detail\":{\"type\":\"string\"},\"instance\":{\"type\":\"string\"},"
        "\"errors\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
        "\"pointer\":{\"type\":\"string\",\"description\":\"JSON pointer (RFC 6901) into the body\"},"
        "\"parameter\":{\"type\":\"string\",\"description\":\"query parameter\"},"
        "\"header\":{\"type\":\"string\"},\"detail\":{\"type\":\"string\"}},\"required\":[\"detail\"]}}},"
        "\"required\":[\"type\",\"title\",\"status\",\"detail\"]}");
}

static void add_response(cJSON *responses, const char *code, const char *desc, const char *ctype, cJSON *schema)
{
    cJSON *r = cJSON_AddObjectToObject(responses, code);
    cJSON_AddStringToObject(r, "description", desc);
    if (ctype) {
        cJSON *c = cJSON_AddObjectToObject(cJSON_AddObjectToObject(r, "content"), ctype);
        cJSON_AddItemToObject(c, "schema", schema ? schema : cJSON_CreateObject());
    }
}

static cJSON *ref(const char *name)
{
    cJSON *o = cJSON_CreateObject();
    char buf[128];
    snprintf(buf, sizeof buf, "#/components/schemas/%s", name);
    cJSON_AddStringToObject(o, "$ref", buf);
    return o;
}

static void add_problem(cJSON *responses, const char *code, const char *desc)
{
    add_response(responses, code, desc, "application/problem+json", ref("Problem"));
}

static cJSON *param(const char *name, const char *in, const char *type, const char *desc, int required)
{
    cJSON *p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "name", name);
    cJSON_AddStringToObject(p, "in", in);
    cJSON_AddBoolToObject(p, "required", required);
    if (desc) cJSON_AddStringToObject(p, "description", desc);
    cJSON_AddStringToObject(cJSON_AddObjectToObject(p, "schema"), "type", type);
    return p;
}

static cJSON *operation(const lp_route *rt)
{
    cJSON *op = cJSON_CreateObject(), *a, *params, *responses;
    const lp_qparam *q;
    const char *p;
    char opid[160];
    size_t n = 0;
    int i;

    for (p = rt->method; *p && n + 1 < sizeof opid; p++) opid[n++] = (char)(*p | 0x20);
    for (p = rt->pattern; *p && n + 1 < sizeof opid; p++)
        opid[n++] = (*p == '/' || *p == '-' || *p == '.') ? '_' : (*p == '{' || *p == '}') ? 'B' : *p;
    opid[n] = '\0';
    cJSON_AddStringToObject(op, "operationId", opid);
    cJSON_AddStringToObject(op, "summary", rt->summary);
    if (rt->description) cJSON_AddStringToObject(op, "description", rt->description);
    cJSON_AddItemToArray(cJSON_AddArrayToObject(op, "tags"), cJSON_CreateString(rt->tag));
    a = cJSON_AddArrayToObject(op, "x-roles");
    for (i = 1; i < LP_ROLE__COUNT; i++)
        if (lp_roleset_has(rt->roles, (lp_role)i)) cJSON_AddItemToArray(a, cJSON_CreateString(lp_role_name((lp_role)i)));
    a = cJSON_AddArrayToObject(op, "security");
    if (rt->roles) cJSON_AddItemToArray(a, cJSON_Parse("{\"bearer\":[]}"));

    params = cJSON_CreateArray();
    for (p = strchr(rt->pattern, '{'); p; p = strchr(p + 1, '{')) {
        const char *e = strchr(p, '}');
        char name[32];
        snprintf(name, sizeof name, "%.*s", (int)(e - p - 1), p + 1);
        cJSON_AddItemToArray(params, param(name, "path", "string", NULL, 1));
    }
    for (q = rt->query; q && q->name; q++) cJSON_AddItemToArray(params, param(q->name, "query", q->type, q->description, 0));
    if (rt->list) {
        cJSON_AddItemToArray(params, param("limit", "query", "integer", "Page size, 1 to 500 (default 50)", 0));
        cJSON_AddItemToArray(params, param("cursor", "query", "string", "next_cursor of the previous page", 0));
    }
    if (!strcmp(rt->method, "PATCH") || !strcmp(rt->method, "PUT"))
        cJSON_AddItemToArray(params, param("If-Match", "header", "string", "ETag of the version you changed", 0));
    if (rt->roles)
        cJSON_AddItemToArray(params, param("X-Reason", "header", "string", "Why: recorded in the audit event", 0));
    if (cJSON_GetArraySize(params)) cJSON_AddItemToObject(op, "parameters", params);
    else cJSON_Delete(params);

    if (rt->body) {
        cJSON *rb = cJSON_AddObjectToObject(op, "requestBody");
        cJSON_AddBoolToObject(rb, "required", 1);
        cJSON *c = cJSON_AddObjectToObject(cJSON_AddObjectToObject(rb, "content"), "application/json");
        cJSON_AddItemToObject(c, "schema", lp_jspec_schema(rt->body, rt->body_mode));
    }

    responses = cJSON_AddObjectToObject(op, "responses");
    {
        char code[8];
        snprintf(code, sizeof code, "%d", rt->status);
        add_response(responses, code, rt->status == 201 ? "Created" : "OK",
                     rt->produces ? rt->produces : "application/json", rt->list ? ref("Page") : NULL);
    }
    add_problem(responses, "400", "Invalid query, body or header: each offending field is named");
    if (rt->roles) {
        add_problem(responses, "401", "No, unknown or revoked bearer token");
        add_problem(responses, "403", "The token's role may not call this route");
    }
    if (strchr(rt->pattern, '{')) add_problem(responses, "404", "No such record (or not yours)");
    if (rt->body) {
        add_problem(responses, "409", "A record with the same key exists");
        add_problem(responses, "413", "Body too large");
        add_problem(responses, "415", "Body is not application/json");
    }
    if (!strcmp(rt->method, "PATCH") || !strcmp(rt->method, "PUT")) add_problem(responses, "412", "If-Match does not match the current version");
    add_problem(responses, "500", "Server error; nothing was changed");
    return op;
}

char *lp_openapi_build(void)
{
    cJSON *doc = cJSON_CreateObject(), *info, *paths, *comp, *schemas;
    const lp_route *routes;
    int n, i;
    char *text, *out;

    cJSON_AddStringToObject(doc, "openapi", "3.1.0");
    info = cJSON_AddObjectToObject(doc, "info");
    cJSON_AddStringToObject(info, "title", "landport API");
    cJSON_AddStringToObject(info, "version", "1");
    cJSON_AddStringToObject(info, "description",
                            "The operating software of a smart land border gate (Hữu Nghị – Youyiguan). "
                            "JSON in and out; errors are RFC 9457 problem details naming the offending field; "
                            "unknown fields are rejected; every change is an audit event. x-roles lists the roles "
                            "that may call each operation.");
    paths = cJSON_AddObjectToObject(doc, "paths");
    routes = lp_routes(&n);
    for (i = 0; i < n; i++) {
        cJSON *item = cJSON_GetObjectItemCaseSensitive(paths, routes[i].pattern);
        char m[16];
        size_t k;
        if (!item) item = cJSON_AddObjectToObject(paths, routes[i].pattern);
        for (k = 0; routes[i].method[k] && k + 1 < sizeof m; k++) m[k] = (char)(routes[i].method[k] | 0x20);
        m[k] = '\0';
        cJSON_AddItemToObject(item, m, operation(&routes[i]));
    }
    comp = cJSON_AddObjectToObject(doc, "components");
    cJSON_AddItemToObject(cJSON_AddObjectToObject(comp, "securitySchemes"), "bearer",
                          cJSON_Parse("{\"type\":\"http\",\"scheme\":\"bearer\",\"description\":\"lp_... token from `landport token create` or POST /api/v1/tokens\"}"));
    schemas = cJSON_AddObjectToObject(comp, "schemas");
    cJSON_AddItemToObject(schemas, "Problem", problem_schema());
    cJSON_AddItemToObject(schemas, "Page",
                          cJSON_Parse("{\"type\":\"object\",\"properties\":{\"items\":{\"type\":\"array\"},"
                                      "\"next_cursor\":{\"type\":[\"string\",\"null\"]}},\"required\":[\"items\",\"next_cursor\"]}"));
    text = cJSON_Print(doc);
    cJSON_Delete(doc);
    out = lp_strdup(text);
    cJSON_free(text);
    return out;
}
