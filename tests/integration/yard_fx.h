/* yard_fx.h - what the yard's integration tests (it_yard.c, it_bookings.c)
 * share: a landport server on a file clock the test moves, tokens of the
 * roles involved, two companies, and a helper that registers a truck with
 * its declaration.  Static functions: each test program includes it once. */
#ifndef LP_YARD_FX_H
#define LP_YARD_FX_H

#include "testlib.h"
#include "core/clock.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define UNUSED __attribute__((unused))
#define FX_T0 INT64_C(1795482600000) /* 2026-11-24T08:10:00+07:00 */
#define FX_MIN INT64_C(60000)
#define FX_HOUR INT64_C(3600000)

typedef struct yfx {
    lp_test_server srv;
    char *dir, clock_path[512];
    int64_t now;
    char *operator, *device, *customs, *company_a, *company_b;
    long a, b, driver_a, driver_b;
    int seq;
} yfx;

/* Moves the server's clock (the file it reads on every reading). */
static UNUSED void fx_clock(yfx *f, int64_t ms)
{
    char tmp[600];
    FILE *fp;
    snprintf(tmp, sizeof tmp, "%s.tmp", f->clock_path);
    fp = fopen(tmp, "w");
    assert_non_null(fp);
    fprintf(fp, "%" PRId64 "\n", ms);
    assert_int_equal(fclose(fp), 0);
    assert_int_equal(rename(tmp, f->clock_path), 0);
    f->now = ms;
}

static UNUSED lp_test_resp fx_call(yfx *f, const char *method, const char *path, const char *tok, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static UNUSED lp_test_resp fx_call(yfx *f, const char *method, const char *path, const char *tok, const char *fmt, ...)
{
    char body[4096];
    va_list ap;
    if (!fmt) return lp_test_http(&f->srv, method, path, tok, NULL, NULL);
    va_start(ap, fmt);
    vsnprintf(body, sizeof body, fmt, ap);
    va_end(ap);
    return lp_test_http(&f->srv, method, path, tok, body, NULL);
}

static UNUSED long fx_id(lp_test_resp r, long status)
{
    long id;
    lp_test_expect(&r, status);
    id = lp_test_jint(r.json, "id");
    lp_test_resp_free(&r);
    return id;
}

static UNUSED void fx_ok(lp_test_resp r, long status)
{
    lp_test_expect(&r, status);
    lp_test_resp_free(&r);
}

static long fx_company(yfx *f, const char *name)
{
    char tax[11];
    lp_test_vn_taxid(20, 500u + (unsigned)++f->seq * 7u, tax);
    return fx_id(fx_call(f, "POST", "/api/v1/companies", f->srv.admin,
                         "{\"name\":\"%s\",\"country\":\"VN\",\"tax_id\":\"%s\"}", name, tax),
                 201);
}

static long fx_driver(yfx *f, long company)
{
    int k = ++f->seq;
    return fx_id(fx_call(f, "POST", "/api/v1/drivers", f->srv.admin,
                         "{\"company_id\":%ld,\"full_name\":\"Lê Văn Tài\",\"nationality\":\"VN\","
                         "\"document_kind\":\"vn_cccd\",\"document_number\":\"0010890%05d\","
                         "\"licence_number\":\"LS%06d\",\"licence_valid_until\":\"2031-01-31\"}",
                         company, k, k),
                 201);
}

/* A truck of company A (b = 0) or B (b = 1) with plate, declared at point
 * and direction with one goods line of HS code hs; writes the vehicle id to
 * *vehicle (may be NULL); returns the declaration id. */
static UNUSED long fx_truck(yfx *f, int b, const char *plate, const char *point, const char *dir, const char *hs,
                            long *vehicle)
{
    const char *tok = b ? f->company_b : f->company_a;
    long v = fx_id(fx_call(f, "POST", "/api/v1/vehicles", tok,
                           "{\"kind\":\"truck\",\"plate_country\":\"VN\",\"plate\":\"%s\",\"max_gross_kg\":40000}", plate),
                   201);
    int k = ++f->seq;
    char when[40];
    lp_time_format(f->now + FX_HOUR, when, sizeof when);
    if (vehicle) *vehicle = v;
    return fx_id(fx_call(f, "POST", "/api/v1/declarations", tok,
                         "{\"number\":\"30%010d\",\"direction\":\"%s\",\"crossing_point_id\":\"%s\",\"transport\":\"truck\","
                         "\"vehicle_id\":%ld,\"driver_id\":%ld,\"expected_arrival\":\"%s\","
                         "\"currency\":\"VND\",\"goods\":[{\"hs_code\":\"%s\",\"description\":\"goods\",\"packages\":10,"
                         "\"gross_weight_kg\":18000,\"value\":500000000,\"origin\":\"VN\"}],"
                         "\"totals\":{\"packages\":10,\"gross_weight_kg\":18000,\"value\":500000000}}",
                         k, dir, point, v, b ? f->driver_b : f->driver_a, when, hs),
                 201);
}

/* Books decl at the hour containing now + ahead hours. */
static UNUSED long fx_book(yfx *f, int b, long decl, int ahead)
{
    return fx_id(fx_call(f, "POST", "/api/v1/bookings", b ? f->company_b : f->company_a,
                         "{\"declaration_id\":%ld,\"slot\":\"%" PRId64 "\"}", decl, f->now + ahead * FX_HOUR),
                 201);
}

/* Posts an entry or exit read and returns the reply (caller frees). */
static UNUSED lp_test_resp fx_read(yfx *f, const char *yard, const char *gate, const char *plate, int conf)
{
    lp_test_resp r = fx_call(f, "POST", "/api/v1/yard-reads", f->device,
                             "{\"yard_id\":\"%s\",\"gate\":\"%s\",\"plate\":{\"text\":\"%s\",\"confidence\":%d}}", yard,
                             gate, plate, conf);
    lp_test_expect(&r, 201);
    return r;
}

/* Asserts a read's outcome; returns the reply (caller frees). */
static UNUSED lp_test_resp fx_expect_read(yfx *f, const char *yard, const char *gate, const char *plate, int conf,
                                          const char *outcome)
{
    lp_test_resp r = fx_read(f, yard, gate, plate, conf);
    if (strcmp(lp_test_jstr(r.json, "outcome"), outcome) != 0)
        fail_msg("%s read of %s: expected %s, got %s", gate, plate, outcome, r.body);
    return r;
}

static int fx_setup(void **state, const char *tag)
{
    yfx *f = calloc(1, sizeof *f);
    const char *extra[3];
    char clock_arg[600];
    assert_non_null(f);
    *state = f;
    f->dir = lp_test_mkdtemp("yardclock");
    snprintf(f->clock_path, sizeof f->clock_path, "%s/clock", f->dir);
    fx_clock(f, FX_T0);
    snprintf(clock_arg, sizeof clock_arg, "file:%s", f->clock_path);
    extra[0] = "--clock";
    extra[1] = clock_arg;
    extra[2] = NULL;
    lp_test_server_start(&f->srv, tag, NULL, extra);
    f->operator = lp_test_token(&f->srv, "operator", 0);
    f->device = lp_test_token(&f->srv, "device", 0);
    f->customs = lp_test_token(&f->srv, "customs", 0);
    f->a = fx_company(f, "Công ty Vận tải Bảo Nguyên");
    f->b = fx_company(f, "Công ty Nông sản Lạng Sơn");
    f->company_a = lp_test_token(&f->srv, "company", f->a);
    f->company_b = lp_test_token(&f->srv, "company", f->b);
    f->driver_a = fx_driver(f, f->a);
    f->driver_b = fx_driver(f, f->b);
    fx_ok(fx_call(f, "PATCH", "/api/v1/settings/risk_policy", f->customs,
                  "{\"value\":{\"min_yellow_permille\":0,\"min_red_permille\":0}}"),
          200);
    return 0;
}

static UNUSED int fx_teardown(void **state)
{
    yfx *f = *state;
    if (!f) return 0;
    lp_test_server_stop(&f->srv);
    lp_test_rmtree(f->dir);
    free(f->dir);
    free(f->operator);
    free(f->device);
    free(f->customs);
    free(f->company_a);
    free(f->company_b);
    free(f);
    return 0;
}

#endif
