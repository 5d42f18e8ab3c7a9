/* simgate_config.c - the gate model's configuration: today's gate as the
 * default, and the check that names every wrong field by the JSON pointer
 * of the scenario file (see simgate.h). */
#include "simgate.h"
#include "err.h"
#include "queue.h"

#include <stdio.h>
#include <string.h>

static const int month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

static lp_dist dist_min(lp_dist_kind k, double mean_min)
{
    lp_dist d;
    memset(&d, 0, sizeof d);
    d.kind = k;
    d.mean = mean_min * 60000.0;
    d.cv = 0.5;
    d.k = 2;
    return d;
}

void lp_simgate_config_default(lp_simgate_config *c)
{
    /* Hourly shape of the main gate road: a morning and an afternoon
     * peak, little at night (lanes close 22:00-07:00). */
    static const double hourly[24] = {1, 1, 1, 1, 1, 2, 4, 7, 9, 9, 8, 7,
                                      6, 7, 8, 8, 7, 6, 5, 4, 3, 2, 1, 1};
    int i;
    memset(c, 0, sizeof *c);
    c->trucks_per_day = 1500;
    memcpy(c->hourly, hourly, sizeof hourly);
    for (i = 0; i < 12; i++) c->monthly[i] = 1;
    c->start_month = 11;
    c->start_day = 23;
    c->export_share = 0.55;
    c->perishable_share = 0.35;
    c->walkin_share = 0.05;
    c->food_share = 0.40;
    c->channels.min_yellow_permille = 296; /* Vietnam 2023 */
    c->channels.min_red_permille = 34;
    c->yard_bays = 600;
    c->agency[LP_SIM_DOCS].servers = 6;
    c->agency[LP_SIM_DOCS].service = dist_min(LP_DIST_LOGNORMAL, 15);
    c->agency[LP_SIM_SCANNER].servers = 1;
    c->agency[LP_SIM_SCANNER].service = dist_min(LP_DIST_LOGNORMAL, 12);
    c->agency[LP_SIM_QUARANTINE].servers = 6;
    c->agency[LP_SIM_QUARANTINE].service = dist_min(LP_DIST_LOGNORMAL, 10);
    c->travel = dist_min(LP_DIST_UNIFORM, 0);
    c->travel.lo = 3 * 60000.0;
    c->travel.hi = 8 * 60000.0;
    c->no_show_prob = 0.02;
    c->no_show_window_ms = LP_QUEUE_WINDOW_DEFAULT_MS;
    c->no_show_limit = LP_QUEUE_NO_SHOW_LIMIT_DEFAULT;
    for (i = 0; i < LP_SIM_GROUPS; i++) {
        c->group[i].lanes = 4;
        c->group[i].places = 4;
        c->group[i].open_min = 7 * 60;
        c->group[i].close_min = 22 * 60;
        c->group[i].service = dist_min(LP_DIST_LOGNORMAL, 1.5);
    }
    c->exception_prob = 0.05;
    c->exception = dist_min(LP_DIST_EXP, 8);
    c->warmup_days = 1;
    c->sample_ms = 15 * 60000;
    c->agv_enabled = 1;
    lp_simagv_config_default(&c->agv);
    /* The yard line of the seeded rate table (schema v4): four free hours,
     * then 20,000 đồng per started hour, at most 300,000 per 24 hours. */
    snprintf(c->yard_fee.code, sizeof c->yard_fee.code, "YARD");
    snprintf(c->yard_fee.description, sizeof c->yard_fee.description, "Parking yard time");
    c->yard_fee.kind = LP_FEE_YARD;
    c->yard_fee.max_kg = LP_FEE_KG_MAX;
    c->yard_fee.goods = c->yard_fee.journey = LP_FEE_ANY;
    c->yard_fee.amount = 20000;
    c->yard_fee.free_minutes = 240;
    c->yard_fee.daily_cap = 300000;
}

static void check_dist(const lp_dist *d, const char *p, lp_err *err)
{
    if ((unsigned)d->kind >= LP_DIST_KINDS) lp_err_field_add(err, p, "unknown distribution");
    else if (d->kind == LP_DIST_UNIFORM ? !(d->lo >= 0 && d->hi >= d->lo) : !(d->mean >= 0))
        lp_err_field_add(err, p, "durations must be >= 0 (uniform: 0 <= min <= max)");
    else if (d->kind == LP_DIST_LOGNORMAL && !(d->cv > 0 && d->mean > 0))
        lp_err_field_add(err, p, "lognormal needs mean > 0 and cv > 0");
    else if (d->kind == LP_DIST_ERLANG && !(d->k >= 1 && d->k <= 100))
        lp_err_field_add(err, p, "erlang needs k in 1..100");
}

static int share_ok(double x) { return x >= 0 && x <= 1; }

int lp_simgate_config_check(const lp_simgate_config *c, lp_err *err)
{
    static const char *const ag[LP_SIM_AGENCIES] = {"customs_docs", "scanner", "quarantine"};
    static const char *const grp[LP_SIM_GROUPS] = {"export", "import"};
    double sum = 0;
    int i, before;
    lp_err local;
    if (!err) {
        lp_err_init(&local);
        err = &local;
    }
    before = err->nfields + err->more;
    if (!(c->trucks_per_day >= 0 && c->trucks_per_day <= 1e6))
        lp_err_field_add(err, "/arrivals/trucks_per_day", "must be 0..1000000");
    for (i = 0; i < 24; i++) {
        if (!(c->hourly[i] >= 0)) lp_err_field_add(err, "/arrivals/hourly", "weights must be >= 0");
        sum += c->hourly[i];
    }
    if (!(sum > 0)) lp_err_field_add(err, "/arrivals/hourly", "some weight must be > 0");
    for (i = 0; i < 12; i++)
        if (!(c->monthly[i] >= 0 && c->monthly[i] <= 100))
            lp_err_field_add(err, "/arrivals/monthly", "factors must be 0..100");
    if (c->start_month < 1 || c->start_month > 12) lp_err_field_add(err, "/start/month", "must be 1..12");
    else if (c->start_day < 1 || c->start_day > month_days[c->start_month - 1])
        lp_err_field_add(err, "/start/day", "not a day of that month");
    if (!share_ok(c->export_share)) lp_err_field_add(err, "/mix/export", "a share is 0..1");
    if (!share_ok(c->perishable_share)) lp_err_field_add(err, "/mix/perishable", "a share is 0..1");
    if (!share_ok(c->walkin_share)) lp_err_field_add(err, "/mix/walk_in", "a share is 0..1");
    if (!share_ok(c->food_share)) lp_err_field_add(err, "/mix/food", "a share is 0..1");
    if (lp_risk_policy_check(&c->channels, NULL) != LP_OK)
        lp_err_field_add(err, "/channels", "yellow and red per mille: 0..1000 each, sum <= 1000");
    if (c->yard_bays < 0) lp_err_field_add(err, "/yard/bays", "must be >= 0");
    for (i = 0; i < LP_SIM_AGENCIES; i++) {
        char p[96];
        snprintf(p, sizeof p, "/agencies/%s/servers", ag[i]);
        if (c->agency[i].servers < 1 || c->agency[i].servers > 1000) lp_err_field_add(err, p, "must be 1..1000");
        snprintf(p, sizeof p, "/agencies/%s/service", ag[i]);
        check_dist(&c->agency[i].service, p, err);
    }
    check_dist(&c->travel, "/queue/travel", err);
    if (!share_ok(c->no_show_prob)) lp_err_field_add(err, "/queue/no_show_prob", "a probability is 0..1");
    if (c->no_show_window_ms < 1 || c->no_show_window_ms > LP_SIM_DAY_MS)
        lp_err_field_add(err, "/queue/no_show_window_min", "must be > 0 and at most 24 h");
    if (c->no_show_limit < 1) lp_err_field_add(err, "/queue/no_show_limit", "must be >= 1");
    if (c->group[0].lanes + c->group[1].lanes < 1) lp_err_field_add(err, "/lanes", "no lane at all");
    for (i = 0; i < LP_SIM_GROUPS; i++) {
        const lp_sim_group_config *gc = &c->group[i];
        char p[96];
        snprintf(p, sizeof p, "/lanes/%s/count", grp[i]);
        if (gc->lanes < 0 || gc->lanes > LP_SIM_LANES_MAX) lp_err_field_add(err, p, "must be 0..16");
        snprintf(p, sizeof p, "/lanes/%s/places", grp[i]);
        if (gc->places < 1 || gc->places > LP_QUEUE_CAPACITY_MAX) lp_err_field_add(err, p, "must be 1..1000");
        snprintf(p, sizeof p, "/lanes/%s/open", grp[i]);
        if (gc->open_min < 0 || gc->open_min >= 1440) lp_err_field_add(err, p, "must be 00:00..23:59");
        snprintf(p, sizeof p, "/lanes/%s/close", grp[i]);
        if (gc->close_min < 0 || gc->close_min >= 1440) lp_err_field_add(err, p, "must be 00:00..23:59");
        snprintf(p, sizeof p, "/lanes/%s/service", grp[i]);
        check_dist(&gc->service, p, err);
    }
    if (!share_ok(c->exception_prob)) lp_err_field_add(err, "/gate/exception_prob", "a probability is 0..1");
    check_dist(&c->exception, "/gate/exception", err);
    if (!(c->lane_mtbf_h >= 0)) lp_err_field_add(err, "/failures/lane_mtbf_h", "must be >= 0 (0: none)");
    if (c->lane_mtbf_h > 0 && !(c->lane_mttr_h > 0)) lp_err_field_add(err, "/failures/lane_mttr_h", "must be > 0");
    if (c->warmup_days < 0 || c->warmup_days > 3650) lp_err_field_add(err, "/warmup_days", "must be 0..3650");
    if (c->sample_ms < 0) lp_err_field_add(err, "/sample_min", "must be >= 0");
    if (c->agv_enabled) lp_simagv_config_check(&c->agv, "/agv", err);
    {
        lp_fee_table t = {&c->yard_fee, 1};
        if (c->yard_fee.amount > 0 && lp_fees_table_check(&t, NULL) != LP_OK)
            lp_err_field_add(err, "/fees", "not a valid yard rate (amounts 0..10^12, free time up to a week)");
    }
    return err->nfields + err->more > before ? LP_EINVAL : LP_OK;
}

