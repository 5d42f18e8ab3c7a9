/* storefx.c - the store fixture and JSON helpers of the store's unit tests
 * (see storefx.h).  Each fixture gets its own database: a new SQLite file in
 * a private directory, or a new database on the PostgreSQL test server, so
 * tests never see each other's rows. */
#include "storefx.h"

#include "store/db.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/* The store fixture -------------------------------------------------------- */

static int64_t fake_now(void *ud) { return ((lp_fx_clock *)ud)->now; }

/* A 64-bit LCG (Knuth's MMIX constants), top byte out: deterministic, so the
 * tokens and ids a test sees are the same on every run. */
static int fake_random(void *ud, void *buf, size_t n)
{
    lp_fx_clock *c = ud;
    unsigned char *b = buf;
    size_t i;
    for (i = 0; i < n; i++) {
        c->rnd = c->rnd * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
        b[i] = (unsigned char)(c->rnd >> 56);
    }
    return 0;
}

/* Audit events of the default data, measured on the first migrated store. */
static int seed_events;

lp_fx *lp_fx_open(const char *tag, int migrate)
{
    char prefix[64];
    char *dir;
    lp_fx *f;
    lp_err err;

    snprintf(prefix, sizeof prefix, "test_%s", tag);
    dir = lp_test_backend_is_pg() ? NULL : lp_test_mkdtemp(prefix);
    f = calloc(1, sizeof *f);
    assert_non_null(f);
    lp_err_init(&err);
    f->dir = dir;
    f->url = lp_test_db_url(dir ? dir : "", tag);
    f->fc.now = LP_FX_T0;
    f->fc.rnd = 42;
    f->clock = (lp_clock){fake_now, fake_random, &f->fc};
    if (lp_store_open(f->url, &f->clock, &f->st, &err) || (migrate && lp_store_migrate(f->st, NULL, NULL, &err))) {
        lp_fx_close(f);
        fail_msg("cannot open and migrate the test store: %s", err.msg);
    }
    if (migrate && !seed_events) {
        seed_events = (int)lp_fx_events(f);
        if (seed_events != (int)lp_fx_scalar(f, "SELECT count(*) FROM audit_events WHERE actor = 'system:migration'"))
            fail_msg("a fresh store holds audit events not made by the migrations");
    }
    return f;
}

int lp_fx_nseed(void)
{
    if (!seed_events) lp_fx_close(lp_fx_open("nseed", 1));
    return seed_events;
}

void lp_fx_close(lp_fx *f)
{
    if (!f) return;
    lp_store_close(f->st);
    lp_test_rmtree(f->dir);
    free(f->dir);
    free(f->url);
    free(f);
}

int lp_fx_teardown(void **state)
{
    lp_fx_close(*state);
    return 0;
}

void lp_fx_exec(lp_fx *f, const char *sql)
{
    lp_err err;
    lp_err_init(&err);
    if (lp_db_query(lp_store_db(f->st), sql, NULL, 0, NULL, &err)) fail_msg("%s: %s", sql, err.msg);
}

int64_t lp_fx_scalar(lp_fx *f, const char *sql)
{
    lp_db_res *r = NULL;
    lp_err err;
    int64_t v;
    lp_err_init(&err);
    if (lp_db_query(lp_store_db(f->st), sql, NULL, 0, &r, &err)) fail_msg("%s: %s", sql, err.msg);
    v = lp_db_res_int(r, 0, 0);
    lp_db_res_free(r);
    return v;
}

int64_t lp_fx_events(lp_fx *f) { return lp_fx_scalar(f, "SELECT COUNT(*) FROM audit_events"); }

/* JSON ---------------------------------------------------------------------- */

cJSON *lp_test_jf(const char *fmt, ...)
{
    char buf[4096];
    va_list ap;
    cJSON *j;
    char *p;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    for (p = buf; *p; p++)
        if (*p == '\'') *p = '"';
    j = cJSON_Parse(buf);
    if (!j) fail_msg("bad test JSON: %s", buf);
    return j;
}

void lp_test_assert_json(const cJSON *got, cJSON *want)
{
    if (!got || !cJSON_Compare(got, want, 1)) {
        char *g = got ? cJSON_PrintUnformatted(got) : NULL, *w = cJSON_PrintUnformatted(want);
        print_error("got  %s\nwant %s\n", g ? g : "(nothing)", w);
        cJSON_free(g);
        cJSON_free(w);
        cJSON_Delete(want);
        fail();
    }
    cJSON_Delete(want);
}

void lp_test_assert_subset(const cJSON *got, cJSON *want)
{
    const cJSON *m;
    cJSON_ArrayForEach(m, want)
        lp_test_assert_json(cJSON_GetObjectItemCaseSensitive(got, m->string), cJSON_Duplicate(m, 1));
    cJSON_Delete(want);
}

int64_t lp_test_jnum(const cJSON *o, const char *name)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, name);
    if (!cJSON_IsNumber(m)) fail_msg("member '%s' is not a number", name);
    return (int64_t)m->valuedouble;
}

const char *lp_test_idof(const cJSON *rec, char buf[32])
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(rec, "id");
    if (cJSON_IsString(id)) snprintf(buf, 32, "%s", id->valuestring);
    else if (cJSON_IsNumber(id)) snprintf(buf, 32, "%" PRId64, (int64_t)id->valuedouble);
    else fail_msg("record without id");
    return buf;
}
