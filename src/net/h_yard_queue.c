/* h_yard_queue.c - the e-queue over HTTP: the lane groups, one group's
 * lanes, estimate and trucks in call order (a company sees only its own
 * trucks, with their true positions), and the only change operators can
 * make: pause or resume a lane, or set its capacity.  The order itself is
 * lp_queue's (core/queue.h) and is never edited. */
#include "h_yard.h"
#include "../store/queuestore.h"

#include <stdlib.h>
#include <string.h>

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

void lp_h_queues_list(lp_req *r)
{
    cJSON *items = NULL;
    lp_err err;
    lp_err_init(&err);
    if (lp_queuestore_groups(r->store, &items, &err)) {
        net__fail(r, &err, NULL);
        return;
    }
    lp_reply_page(r, items, NULL);
}

void lp_h_queues_get(lp_req *r)
{
    cJSON *view = NULL;
    lp_err err;
    lp_err_init(&err);
    if (lp_queuestore_view(r->store, r->params[0], lp_req_scope(r), &view, &err)) {
        net__fail(r, &err, NULL);
        return;
    }
    lp_reply_json(r, 200, view);
}

static const lp_jfield lane_fields[] = {
    {"paused", LP_J_BOOL, 0, 0, 0, NULL, NULL, "true: the lane gets no new calls; trucks called keep their places", NULL},
    {"capacity", LP_J_INT, 0, 0, LP_QUEUE_CAPACITY_MAX, NULL, NULL,
     "Called trucks the lane holds at once (on their way or at the gate)", "2"},
};
const lp_jspec lp_spec_queue_lane_patch = {lane_fields, N(lane_fields)};

void lp_h_queue_lanes_patch(lp_req *r)
{
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(r->body, "paused");
    char *end;
    long lane = strtol(r->params[1], &end, 10);
    cJSON *view = NULL;
    lp_err err;

    lp_err_init(&err);
    if (*end || lane < 1 || lane > LP_QUEUE_LANES_MAX) {
        lp_err_set(&err, LP_ENOTFOUND, "no lane '%.20s'", r->params[1]);
        lp_reply_error(r, &err);
        return;
    }
    if (lp_queuestore_lane_set(r->store, &r->actor, r->params[0], (int)lane, p ? cJSON_IsTrue(p) : -1,
                               (int)lp_json_int(r->body, "capacity", -1), &view, &err)) {
        net__fail(r, &err, NULL);
        return;
    }
    lp_reply_json(r, 200, view);
}
