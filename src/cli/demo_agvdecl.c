/* demo_agvdecl.c - declarations and officers' decisions of the demo's AGV
 * loads (demo_agvdecl.h). */
#include "demo_agvdecl.h"
#include "demo_traffic.h"
#include "../core/clock.h"

#include <stdio.h>
#include <string.h>

#define POINT "road-1088"

/* Imports from China that ride the AGVs: electronics, solar modules,
 * fabric, and fruit (quarantine decides). */
static const struct {
    const char *hs, *desc;
    double kg, usd;
} goods[LP_DEMO_AGV_GOODS] = {
    {"85423100", "Vi mạch tích hợp / integrated circuits", 2600, 410000},
    {"85414300", "Tấm pin quang điện / solar PV modules", 17500, 96000},
    {"60063290", "Vải dệt kim / knitted fabric", 16000, 52000},
    {"08081000", "Táo tươi / fresh apples", 19000, 21000},
};

const char *lp_demo_agv_goods_name(int g)
{
    return strchr(goods[g].desc, '/') + 2;
}

long lp_demo_agv_file(lp_demo_http *h, const lp_demo_cast *c, long run_tag, long seq, int co, int g, int64_t now_ms,
                      char *why, size_t n)
{
    char when[40], container[16];
    cJSON *j = NULL;
    long st, id;
    lp_demo_container_number(seq % 2 ? "CSNU" : "TGHU", 500000 + run_tag * 10 + seq, container);
    lp_time_format(now_ms + 20 * 60000, when, sizeof when);
    st = lp_demo_http_call(
        h, "POST", "/api/v1/declarations", c->company_token[co], &j,
        "{\"number\":\"1%05ld%06ld\",\"direction\":\"import\",\"crossing_point_id\":\"" POINT "\","
        "\"transport\":\"agv\",\"expected_arrival\":\"%s\",\"currency\":\"USD\","
        "\"containers\":[{\"number\":\"%s\",\"seals\":[\"CN%08ld\"]}],"
        "\"goods\":[{\"hs_code\":\"%s\",\"description\":\"%s\",\"packages\":400,\"gross_weight_kg\":%.0f,"
        "\"value\":%.0f,\"origin\":\"CN\"}],\"totals\":{\"packages\":400,\"gross_weight_kg\":%.0f,\"value\":%.0f}}",
        run_tag, seq % 1000000, when, container, (run_tag * 1000 + seq) % 100000000, goods[g].hs, goods[g].desc,
        goods[g].kg, goods[g].usd, goods[g].kg, goods[g].usd);
    id = st == 201 ? lp_demo_json_long(j, "id") : 0;
    cJSON_Delete(j);
    if (id <= 0) snprintf(why, n, "an AGV declaration was refused (HTTP %ld)", st);
    return id > 0 ? id : 0;
}

static const char *reason_for(int role, const char *kind)
{
    if (role == LP_DEMO_R_QUARANTINE) return "phytosanitary certificate from China checked";
    if (role == LP_DEMO_R_BORDER_GUARD) return "AGV and container documents checked for the crossing";
    if (strstr(kind, "physical")) return "container scanned in the China yard, goods as declared";
    return "invoice, packing list and certificate of origin (form E) match the declaration";
}

int lp_demo_agv_decide(lp_demo_http *h, const lp_demo_cast *c, long decl, int who)
{
    static const int roles[] = {LP_DEMO_R_CUSTOMS, LP_DEMO_R_QUARANTINE, LP_DEMO_R_BORDER_GUARD};
    size_t r;
    int left = 0;
    for (r = 0; r < sizeof roles / sizeof roles[0]; r++) {
        const char *tok = c->token[roles[r]];
        const cJSON *t;
        char path[96];
        cJSON *j = NULL;
        if (!(who & (roles[r] == LP_DEMO_R_BORDER_GUARD ? LP_DEMO_AGV_RELEASE : LP_DEMO_AGV_CLEARANCE))) continue;
        snprintf(path, sizeof path, "/api/v1/tasks?declaration_id=%ld&state=pending", decl);
        if (lp_demo_http_call(h, "GET", path, tok, &j, NULL) != 200) left++;
        cJSON_ArrayForEach(t, cJSON_GetObjectItem(j, "items")) {
            cJSON *d = NULL;
            snprintf(path, sizeof path, "/api/v1/tasks/%ld/decision", lp_demo_json_long(t, "id"));
            if (lp_demo_http_call(h, "POST", path, tok, &d, "{\"decision\":\"approve\",\"reason\":\"%s\"}",
                                  reason_for(roles[r], lp_demo_json_str(t, "kind"))) != 200)
                left++;
            cJSON_Delete(d);
        }
        cJSON_Delete(j);
    }
    return left;
}
