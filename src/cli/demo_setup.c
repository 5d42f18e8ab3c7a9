/* demo_setup.c - companies, drivers, tokens and settings of the demo,
 * through the API (demo_setup.h). */
#include "demo_setup.h"
#include "../core/ident.h"

#include <stdio.h>
#include <string.h>

const char *const lp_demo_role_names[LP_DEMO_ROLES] = {"operator", "customs", "border_guard", "quarantine",
                                                       "company",  "device",  "partner",      "admin"};

static const struct {
    const char *name, *country, *tax_id, *driver, *nationality, *doc_kind, *doc;
} companies[LP_DEMO_COMPANIES] = {
    {"Công ty TNHH Vận tải Bảo Nguyên", "VN", "0100109106", "Nguyễn Văn An", "VN", "vn_cccd", "001089012345"},
    {"Công ty CP Nông sản Lạng Sơn", "VN", NULL, "Hoàng Văn Tùng", "VN", "vn_cccd", "020088004512"},
    {"凭祥友谊物流有限公司 (Pingxiang Youyi Logistics)", "CN", "91350100M000100Y43", "黄志强", "VN", "vn_cccd",
     "020090007788"},
};

/* A valid Vietnamese tax id (MST) for the second company: the first
 * candidate from 4900123450 on that the MST rules accept. */
static void vn_taxid(char out[11])
{
    char canon[16], why[128];
    long k;
    for (k = 4900123450L; k < 4900124450L; k++) {
        snprintf(out, 11, "%ld", k);
        if (lp_ident_vn_taxid(out, canon, sizeof canon, why, sizeof why) == 0) return;
    }
}

/* The id of the company with tax id tid (an earlier run's, with --keep), or 0. */
static long company_by_tax_id(lp_demo_http *h, const char *admin, const char *tid)
{
    char path[128];
    cJSON *j = NULL;
    long id = 0;
    snprintf(path, sizeof path, "/api/v1/companies?tax_id=%s", tid);
    if (lp_demo_http_call(h, "GET", path, admin, &j, NULL) == 200)
        id = (long)cJSON_GetNumberValue(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(j, "items"), 0), "id"));
    cJSON_Delete(j);
    return id > 0 ? id : 0;
}

static int fail(const char *what, long status, const cJSON *j)
{
    char *s = j ? cJSON_PrintUnformatted(j) : NULL;
    fprintf(stderr, "landport demo: %s: HTTP %ld %s\n", what, status, s ? s : "");
    cJSON_free(s);
    return -1;
}

/* POSTs a token of role (company id, 0 for none) into out. */
static int token(lp_demo_http *h, const lp_demo_cast *c, const char *role, long company, char *out)
{
    cJSON *j = NULL;
    const cJSON *t;
    char co[48] = "";
    long st;
    if (company) snprintf(co, sizeof co, ",\"company_id\":%ld", company);
    st = lp_demo_http_call(h, "POST", "/api/v1/tokens", c->token[LP_DEMO_R_ADMIN], &j,
                           "{\"name\":\"demo-%s%s\",\"role\":\"%s\"%s}", role, company ? "-company" : "", role, co);
    t = cJSON_GetObjectItem(j, "token");
    if (st != 201 || !cJSON_IsString(t) || strlen(t->valuestring) >= LP_DEMO_TOKEN_MAX) {
        fail("create token", st, j);
        cJSON_Delete(j);
        return -1;
    }
    snprintf(out, LP_DEMO_TOKEN_MAX, "%s", t->valuestring);
    cJSON_Delete(j);
    return 0;
}

static long created_id(lp_demo_http *h, long st, cJSON *j, const char *what)
{
    long id = st == 201 ? (long)cJSON_GetNumberValue(cJSON_GetObjectItem(j, "id")) : 0;
    (void)h;
    if (id <= 0) fail(what, st, j);
    cJSON_Delete(j);
    return id;
}

int lp_demo_setup(lp_demo_http *h, lp_demo_cast *c)
{
    const char *admin = c->token[LP_DEMO_R_ADMIN];
    char tax[11];
    cJSON *j = NULL;
    long st;
    int i;

    for (i = 0; i < LP_DEMO_ROLES; i++)
        if (i != LP_DEMO_R_COMPANY && i != LP_DEMO_R_ADMIN &&
            token(h, c, lp_demo_role_names[i], 0, c->token[i]))
            return -1;
    vn_taxid(tax);
    for (i = 0; i < LP_DEMO_COMPANIES; i++) {
        const char *tid = companies[i].tax_id ? companies[i].tax_id : tax;
        snprintf(c->company_name[i], sizeof c->company_name[i], "%s", companies[i].name);
        st = lp_demo_http_call(h, "POST", "/api/v1/companies", admin, &j,
                               "{\"name\":\"%s (demo)\",\"country\":\"%s\",\"tax_id\":\"%s\","
                               "\"kinds\":[\"exporter\",\"transport\"]}",
                               companies[i].name, companies[i].country, tid);
        if (st == 409) { /* --keep: the company is there from an earlier run */
            cJSON_Delete(j);
            c->company_id[i] = company_by_tax_id(h, admin, tid);
            if (c->company_id[i] <= 0) return fail("find company", st, NULL);
        } else if ((c->company_id[i] = created_id(h, st, j, "create company")) <= 0) {
            return -1;
        }
        if (token(h, c, "company", c->company_id[i], c->company_token[i])) return -1;
        st = lp_demo_http_call(h, "POST", "/api/v1/drivers", c->company_token[i], &j,
                               "{\"full_name\":\"%s\",\"nationality\":\"%s\",\"document_kind\":\"%s\","
                               "\"document_number\":\"%s\",\"licence_number\":\"LS%06d\",\"licence_class\":\"FC\","
                               "\"licence_valid_until\":\"2031-06-30\"}",
                               companies[i].driver, companies[i].nationality, companies[i].doc_kind, companies[i].doc,
                               100 + i);
        if (st == 409) { /* --keep: the company's driver from an earlier run */
            cJSON_Delete(j);
            st = lp_demo_http_call(h, "GET", "/api/v1/drivers?limit=1", c->company_token[i], &j, NULL);
            c->driver_id[i] = st == 200 ? (long)cJSON_GetNumberValue(cJSON_GetObjectItem(
                                              cJSON_GetArrayItem(cJSON_GetObjectItem(j, "items"), 0), "id"))
                                        : 0;
            cJSON_Delete(j);
            if (c->driver_id[i] <= 0) return fail("find driver", st, NULL);
        } else if ((c->driver_id[i] = created_id(h, st, j, "create driver")) <= 0) {
            return -1;
        }
    }
    snprintf(c->token[LP_DEMO_R_COMPANY], LP_DEMO_TOKEN_MAX, "%s", c->company_token[0]);
    /* An evening at the gate: trucks that did not book are let in, a slot
     * can be booked up to 30 minutes before its hour (demo_traffic.c books
     * with that notice), and two export lanes take two called trucks each. */
    st = lp_demo_http_call(h, "PATCH", "/api/v1/settings/yard", c->token[LP_DEMO_R_OPERATOR], &j,
                           "{\"value\":{\"walk_ins\":true,\"booking_min_notice_minutes\":30}}");
    cJSON_Delete(j);
    if (st != 200) return fail("allow walk-ins", st, NULL);
    for (i = 1; i <= 2; i++) {
        char path[96];
        snprintf(path, sizeof path, "/api/v1/queues/huunghi-main:export/lanes/%d", i);
        st = lp_demo_http_call(h, "PATCH", path, c->token[LP_DEMO_R_OPERATOR], &j,
                               "{\"paused\":false,\"capacity\":2}");
        cJSON_Delete(j);
        if (st != 200) fprintf(stderr, "landport demo: lane %d not opened (HTTP %ld); the queue uses its defaults\n", i, st);
    }
    return 0;
}
