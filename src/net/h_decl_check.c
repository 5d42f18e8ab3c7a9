/* h_decl_check.c - the check of a declaration body (DESIGN.md, "A manned
 * truck crossing", step 1): the conversion from JSON to lp_decl with
 * identifiers in canonical form, the references (crossing point, vehicle,
 * driver) against the registry and the caller's company, and the route
 * check steps of filing, amending, cancelling and overriding.  Every problem
 * is reported on its body pointer; nothing here writes. */
#include "h_decl_internal.h"
#include "../core/ident.h"
#include "../core/mem.h"
#include "../store/resources.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MAX_ID 9007199254740991LL      /* largest integer a JSON number holds exactly */
#define DAY_MS (86400 * INT64_C(1000))
#define GATE_TZ_MS (7 * 3600 * INT64_C(1000)) /* Asia/Ho_Chi_Minh: UTC+7, no daylight time */

/* Small helpers ----------------------------------------------------------------------- */

/* Days since 1970-01-01 at the gate (licence dates are local days). */
static long gate_day(int64_t ms)
{
    ms += GATE_TZ_MS;
    return (long)(ms >= 0 ? ms / DAY_MS : (ms - DAY_MS + 1) / DAY_MS);
}

static int two_digits(const char *s)
{
    return s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' ? (s[0] - '0') * 10 + (s[1] - '0') : -1;
}

/* RFC 3339 date-time "YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)" into ms
 * since 1970 (fractions below a millisecond are dropped; a leap second
 * reads as the second before it).  Returns LP_OK or LP_EINVAL. */
int net__decl_parse_time(const char *s, int64_t *ms)
{
    char date[11];
    long days;
    int h, mi, sec, k, frac = 0, off = 0;
    const char *p;

    if (strlen(s) < 20) return LP_EINVAL;
    memcpy(date, s, 10);
    date[10] = '\0';
    if (lp_ident_date(date, &days, NULL, 0) != LP_OK || (s[10] != 'T' && s[10] != 't')) return LP_EINVAL;
    h = two_digits(s + 11);
    mi = two_digits(s + 14);
    sec = two_digits(s + 17);
    if (s[13] != ':' || s[16] != ':' || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60) return LP_EINVAL;
    if (sec == 60) sec = 59;
    p = s + 19;
    if (*p == '.') {
        for (p++, k = 0; *p >= '0' && *p <= '9'; p++, k++)
            if (k < 3) frac = frac * 10 + (*p - '0');
        if (k == 0 || k > 9) return LP_EINVAL;
        for (; k < 3; k++) frac *= 10;
    }
    if ((*p == 'Z' || *p == 'z') && p[1] == '\0') {
        off = 0;
    } else if ((*p == '+' || *p == '-') && strlen(p) == 6 && p[3] == ':') {
        int oh = two_digits(p + 1), om = two_digits(p + 4);
        if (oh < 0 || oh > 23 || om < 0 || om > 59) return LP_EINVAL;
        off = (oh * 60 + om) * (*p == '-' ? -1 : 1);
    } else {
        return LP_EINVAL;
    }
    *ms = ((int64_t)days * 86400 + h * 3600 + mi * 60 + sec - (int64_t)off * 60) * 1000 + frac;
    return LP_OK;
}

static int blank(const char *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t') return 0;
    return 1;
}

static int64_t utf8_chars(const char *s)
{
    int64_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

/* Problems ---------------------------------------------------------------------------- */

/* 1 when err already names ptr or a member that contains it: the first word
 * on a field is the one worth reading (a wrong type, then nothing else). */
static int covered(const lp_err *err, const char *ptr)
{
    int i;
    for (i = 0; i < err->nfields; i++) {
        const char *p = err->fields[i].pointer;
        size_t n = strlen(p);
        if (strncmp(p, ptr, n) == 0 && (ptr[n] == '\0' || ptr[n] == '/')) return 1;
    }
    return 0;
}

static void problem(lp_err *err, const char *ptr, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void problem(lp_err *err, const char *ptr, const char *fmt, ...)
{
    char msg[sizeof err->fields[0].msg];
    va_list ap;
    if (covered(err, ptr)) return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    lp_err_field_add(err, ptr, "%s", msg);
}

/* From JSON to lp_decl ------------------------------------------------------------------ */

void net__decl_parsed_init(lp_decl_parsed *p)
{
    p->d = lp_malloc(sizeof *p->d);
    lp_decl_init(p->d);
    p->exponent = -1;
    p->vehicle_ok = 0;
}

void net__decl_parsed_deinit(lp_decl_parsed *p)
{
    lp_free(p->d);
    p->d = NULL;
}

/* Copies string member name of o into dst[cap].  Absent or not a string
 * leaves "" (jsonspec or the declaration check reports it); too long for
 * the core's field is reported here. */
static void take_str(const cJSON *o, const char *name, const char *ptr, char *dst, size_t cap, lp_err *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    size_t n;
    dst[0] = '\0';
    if (!cJSON_IsString(v)) return;
    n = strlen(v->valuestring);
    if (n >= cap) {
        problem(err, ptr, "is longer than %zu bytes", cap - 1);
        return;
    }
    memcpy(dst, v->valuestring, n + 1);
}

/* An integral JSON number, else 0 (which the declaration check refuses
 * where a count is required). */
static int64_t take_count(const cJSON *o, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble) || fabs(v->valuedouble) > (double)MAX_ID)
        return 0;
    return (int64_t)v->valuedouble;
}

static int64_t take_grams(const cJSON *o, const char *name, const char *ptr, lp_err *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    char why[160];
    int64_t g = 0;
    if (!cJSON_IsNumber(v)) return 0;
    if (lp_cargo_kg_grams(v->valuedouble, &g, why, sizeof why) != LP_OK) {
        problem(err, ptr, "%s", why);
        return 0;
    }
    return g;
}

/* With an unknown currency values cannot be read; /currency says why. */
static int64_t take_minor(const cJSON *o, const char *name, int exponent, const char *ptr, lp_err *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    char why[160];
    int64_t m = 0;
    if (!cJSON_IsNumber(v) || exponent < 0) return 0;
    if (lp_cargo_amount_minor(v->valuedouble, exponent, &m, why, sizeof why) != LP_OK) {
        problem(err, ptr, "%s", why);
        return 0;
    }
    return m;
}

static void take_container(const cJSON *o, int i, lp_decl_container *ct, lp_err *err)
{
    const cJSON *num = cJSON_GetObjectItemCaseSensitive(o, "number");
    const cJSON *seals = cJSON_GetObjectItemCaseSensitive(o, "seals"), *s;
    char ptr[64], why[160];
    int k = 0;

    snprintf(ptr, sizeof ptr, "/containers/%d/number", i);
    if (cJSON_IsString(num) &&
        lp_cargo_container(num->valuestring, ct->number, sizeof ct->number, why, sizeof why) != LP_OK)
        problem(err, ptr, "%s", why);
    if (!cJSON_IsArray(seals)) return;
    ct->nseals = cJSON_GetArraySize(seals);
    cJSON_ArrayForEach(s, seals) {
        if (k >= LP_DECL_MAX_SEALS) break;
        snprintf(ptr, sizeof ptr, "/containers/%d/seals/%d", i, k);
        if (cJSON_IsString(s) &&
            lp_cargo_seal(s->valuestring, ct->seals[k], sizeof ct->seals[k], why, sizeof why) != LP_OK)
            problem(err, ptr, "%s", why);
        k++;
    }
}

static void take_line(const cJSON *o, int i, int exponent, lp_decl_line *ln, lp_err *err)
{
    const cJSON *hs = cJSON_GetObjectItemCaseSensitive(o, "hs_code");
    char ptr[64], why[160];

    snprintf(ptr, sizeof ptr, "/goods/%d/hs_code", i);
    if (cJSON_IsString(hs) && lp_cargo_hs(LP_DECL_HS_COUNTRY, hs->valuestring, ln->hs, sizeof ln->hs,
                                          &ln->chapter, why, sizeof why) != LP_OK)
        problem(err, ptr, "%s", why);
    snprintf(ptr, sizeof ptr, "/goods/%d/description", i);
    take_str(o, "description", ptr, ln->description, sizeof ln->description, err);
    ln->packages = take_count(o, "packages");
    snprintf(ptr, sizeof ptr, "/goods/%d/gross_weight_kg", i);
    ln->gross_g = take_grams(o, "gross_weight_kg", ptr, err);
    snprintf(ptr, sizeof ptr, "/goods/%d/value", i);
    ln->value_minor = take_minor(o, "value", exponent, ptr, err);
    snprintf(ptr, sizeof ptr, "/goods/%d/origin", i);
    take_str(o, "origin", ptr, ln->origin, sizeof ln->origin, err);
}

/* A plate in canonical form if either country's rules accept it; else as
 * given, for the declaration check to explain. */
static void take_plate(const char *s, char *dst, size_t cap, const char *ptr, lp_err *err)
{
    dst[0] = '\0';
    if (lp_ident_plate("VN", s, dst, cap, NULL, 0) == LP_OK || lp_ident_plate("CN", s, dst, cap, NULL, 0) == LP_OK)
        return;
    if (strlen(s) < cap) memcpy(dst, s, strlen(s) + 1);
    else problem(err, ptr, "is not a Vietnamese or Chinese plate");
}

/* Fills p->d from doc (a request body, or a stored declaration with an
 * amendment merged in), identifiers in canonical form.  Problems only this
 * conversion sees (a wrong check digit, a number with too many decimals)
 * go to err; what is merely missing is left for lp_decl_check. */
static void take_decl(const cJSON *doc, lp_decl_parsed *p, lp_err *err)
{
    lp_decl *d = p->d;
    const cJSON *a, *it;
    const char *s;
    char why[160];
    int i;

    lp_decl_init(d);
    p->exponent = -1;
    s = lp_json_str(doc, "direction");
    d->direction = !s ? 0 : strcmp(s, "export") == 0 ? LP_DECL_EXPORT : strcmp(s, "import") == 0 ? LP_DECL_IMPORT : 0;
    s = lp_json_str(doc, "transport");
    d->transport = !s ? 0 : strcmp(s, "truck") == 0 ? LP_DECL_TRUCK : strcmp(s, "agv") == 0 ? LP_DECL_AGV : 0;
    if ((s = lp_json_str(doc, "number")) &&
        lp_decl_number(s, d->direction, d->number, sizeof d->number, why, sizeof why) != LP_OK)
        problem(err, "/number", "%s", why);
    take_str(doc, "crossing_point_id", "/crossing_point_id", d->crossing_point, sizeof d->crossing_point, err);
    d->vehicle_id = take_count(doc, "vehicle_id");
    d->driver_id = take_count(doc, "driver_id");
    if ((s = lp_json_str(doc, "trailer_plate"))) take_plate(s, d->trailer_plate, sizeof d->trailer_plate, "/trailer_plate", err);
    if ((s = lp_json_str(doc, "expected_arrival")) && net__decl_parse_time(s, &d->expected_arrival_ms) != LP_OK)
        problem(err, "/expected_arrival",
                "must be an RFC 3339 date and time with a UTC offset, e.g. 2026-11-24T08:30:00+07:00");
    if ((s = lp_json_str(doc, "currency")) &&
        lp_cargo_currency(s, d->currency, sizeof d->currency, &p->exponent, why, sizeof why) != LP_OK)
        problem(err, "/currency", "%s", why);

    a = cJSON_GetObjectItemCaseSensitive(doc, "containers");
    if (cJSON_IsArray(a)) {
        d->ncontainers = cJSON_GetArraySize(a);
        i = 0;
        cJSON_ArrayForEach(it, a) {
            if (i >= LP_DECL_MAX_CONTAINERS) break;
            take_container(it, i, &d->containers[i], err);
            i++;
        }
    }
    a = cJSON_GetObjectItemCaseSensitive(doc, "goods");
    if (cJSON_IsArray(a)) {
        d->ngoods = cJSON_GetArraySize(a);
        i = 0;
        cJSON_ArrayForEach(it, a) {
            if (i >= LP_DECL_MAX_LINES) break;
            take_line(it, i, p->exponent, &d->goods[i], err);
            i++;
        }
    }
    a = cJSON_GetObjectItemCaseSensitive(doc, "totals");
    if (cJSON_IsObject(a)) {
        d->total_packages = take_count(a, "packages");
        d->total_gross_g = take_grams(a, "gross_weight_kg", "/totals/gross_weight_kg", err);
        d->total_value_minor = take_minor(a, "value", p->exponent, "/totals/value", err);
    }
}

/* References ------------------------------------------------------------------------------ */

/* Reads record id of t within company (0: any); LP_ENOTFOUND is reported on
 * ptr with what, a store failure too (the body cannot be judged). */
static cJSON *lookup(lp_store *st, const lp_table *t, const char *id, int64_t company, const char *ptr,
                     const char *what, lp_err *err)
{
    cJSON *rec = NULL;
    lp_err e;
    lp_err_init(&e);
    if (lp_table_get(st, t, id, company, &rec, &e) == LP_OK) return rec;
    if (e.code == LP_ENOTFOUND) problem(err, ptr, "%s", what);
    else problem(err, ptr, "could not be checked: %s", e.msg);
    return NULL;
}

static void check_point(lp_store *st, lp_decl *d, lp_err *err)
{
    const char *dir = d->direction == LP_DECL_EXPORT ? "export" : d->direction == LP_DECL_IMPORT ? "import" : NULL;
    const char *status;
    const cJSON *dirs, *x;
    char what[96];
    cJSON *pt;
    int serves = 0;

    if (!d->crossing_point[0]) return;
    snprintf(what, sizeof what, "no crossing point '%s'", d->crossing_point);
    if (!(pt = lookup(st, &lp_tbl_crossing_points, d->crossing_point, 0, "/crossing_point_id", what, err))) return;
    status = lp_json_str(pt, "status");
    dirs = cJSON_GetObjectItemCaseSensitive(pt, "directions");
    cJSON_ArrayForEach(x, dirs) {
        if (dir && cJSON_IsString(x) && strcmp(x->valuestring, dir) == 0) serves = 1;
    }
    if (!status || strcmp(status, "open") != 0)
        problem(err, "/crossing_point_id", "%s is %s, not open", d->crossing_point, status ? status : "not open");
    else if (dir && !serves)
        problem(err, "/crossing_point_id", "%s takes no %s traffic", d->crossing_point, dir);
    else if (d->transport == LP_DECL_AGV && !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(pt, "agv")))
        problem(err, "/crossing_point_id", "%s has no AGV road", d->crossing_point);
    cJSON_Delete(pt);
}

/* A truck's vehicle and driver: the company's own, active, the vehicle a
 * truck, the licence valid on the day of arrival (and today).  The
 * declaration's vehicle_plate is the registered one. */
static void check_crew(lp_store *st, int64_t company, int64_t now, lp_decl_parsed *p, lp_err *err)
{
    lp_decl *d = p->d;
    cJSON *v = NULL, *dr = NULL;
    char id[32], what[128];
    const char *s;
    long until, today = gate_day(now), arrival = d->expected_arrival_ms ? gate_day(d->expected_arrival_ms) : today;
    int vehicle_ok = 0, driver_ok = 0;

    if (d->transport != LP_DECL_TRUCK) return;
    if (d->vehicle_id >= 1) {
        snprintf(id, sizeof id, "%" PRId64, d->vehicle_id);
        snprintf(what, sizeof what, "no vehicle %" PRId64 " is registered to your company", d->vehicle_id);
        if ((v = lookup(st, &lp_tbl_vehicles, id, company, "/vehicle_id", what, err))) {
            s = lp_json_str(v, "kind");
            if (!s || strcmp(s, "truck") != 0)
                problem(err, "/vehicle_id", "vehicle %" PRId64 " is an %s, not a truck", d->vehicle_id, s ? s : "?");
            else if (!(s = lp_json_str(v, "status")) || strcmp(s, "active") != 0)
                problem(err, "/vehicle_id", "vehicle %" PRId64 " is %s, not active", d->vehicle_id, s ? s : "?");
            else
                vehicle_ok = 1;
            if ((s = lp_json_str(v, "plate")) && strlen(s) < sizeof d->vehicle_plate)
                memcpy(d->vehicle_plate, s, strlen(s) + 1);
        }
    }
    if (d->driver_id >= 1) {
        snprintf(id, sizeof id, "%" PRId64, d->driver_id);
        snprintf(what, sizeof what, "no driver %" PRId64 " works for your company", d->driver_id);
        if ((dr = lookup(st, &lp_tbl_drivers, id, company, "/driver_id", what, err))) {
            const char *lv = lp_json_str(dr, "licence_valid_until");
            if (!(s = lp_json_str(dr, "status")) || strcmp(s, "active") != 0)
                problem(err, "/driver_id", "driver %" PRId64 " is %s, not active", d->driver_id, s ? s : "?");
            else if (!lv || lp_ident_date(lv, &until, NULL, 0) != LP_OK)
                problem(err, "/driver_id", "driver %" PRId64 " has no readable licence date", d->driver_id);
            else if (until < today)
                problem(err, "/driver_id", "the licence of driver %" PRId64 " expired on %s", d->driver_id, lv);
            else if (until < arrival)
                problem(err, "/driver_id", "the licence of driver %" PRId64 " expires on %s, before the expected arrival",
                        d->driver_id, lv);
            else
                driver_ok = 1;
        }
    }
    p->vehicle_ok = vehicle_ok && driver_ok;
    cJSON_Delete(v);
    cJSON_Delete(dr);
}

/* The declaration check, its pointers mapped to the body's members:
 * the core calls the crossing point "crossing_point", and the vehicle plate
 * comes from the vehicle named by vehicle_id. */
static void check_core(const lp_decl_parsed *p, int64_t arrival_now, lp_err *err)
{
    lp_err e;
    int i;
    lp_err_init(&e);
    if (lp_decl_check(p->d, LP_DECL_HS_COUNTRY, arrival_now, &e) == LP_OK) return;
    for (i = 0; i < e.nfields; i++) {
        const char *ptr = e.fields[i].pointer;
        size_t n = strlen(ptr);
        if (strcmp(ptr, "/crossing_point") == 0) ptr = "/crossing_point_id";
        else if (strcmp(ptr, "/vehicle_plate") == 0) ptr = "/vehicle_id";
        if (p->exponent < 0 && n >= 6 && strcmp(ptr + n - 6, "/value") == 0) continue;
        problem(err, ptr, "%s", e.fields[i].msg);
    }
    err->more += e.more;
    if (e.nfields == 0) lp_err_set(err, e.code, "%s", e.msg);
}

/* Converts doc and checks everything about it; st NULL skips the
 * references (a replay of what is stored).  arrival_now: the clock for the
 * expected arrival window, 0 to skip it.  Returns LP_OK or err's code. */
int net__decl_parse_and_check(lp_store *st, const cJSON *doc, int64_t company, int64_t now, int64_t arrival_now,
                              lp_decl_parsed *p, lp_err *err)
{
    take_decl(doc, p, err);
    if (st) {
        check_point(st, p->d, err);
        check_crew(st, company, now, p, err);
    }
    check_core(p, arrival_now, err);
    return err->code;
}

/* Check steps (routes.h) ---------------------------------------------------------------------- */

void lp_check_declaration_create(lp_req *r, lp_err *err)
{
    lp_decl_parsed p;
    int64_t now = net__decl_now(r->store);
    net__decl_parsed_init(&p);
    net__decl_parse_and_check(r->store, r->body, r->who.company_id, now, now, &p, err);
    net__decl_parsed_deinit(&p);
}

/* Amendments, cancel and override ---------------------------------------------------------- */

void lp_check_declaration_amend(lp_req *r, lp_err *err)
{
    const char *why = lp_req_header(r, "X-Reason");
    cJSON *stored = NULL, *doc = NULL;
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(r->body, "expected_arrival");
    int64_t now = net__decl_now(r->store);
    lp_decl_parsed p;
    lp_err e;

    if (blank(why)) lp_err_field_add(err, "header:X-Reason", "is required: say why the declaration is amended");
    else if (utf8_chars(why) > NET__REASON_MAX)
        lp_err_field_add(err, "header:X-Reason", "must be at most %d characters", NET__REASON_MAX);
    lp_err_init(&e);
    /* An unknown id is the handler's 404, not a field problem. */
    if (lp_table_get(r->store, &lp_tbl_declarations, r->params[0], lp_req_scope(r), &stored, &e)) return;
    doc = net__decl_merged(stored, r->body);
    net__decl_parsed_init(&p);
    /* A truck may be late while its papers are fixed: the arrival window
     * applies only when the amendment sets a new arrival. */
    net__decl_parse_and_check(r->store, doc, lp_json_int(stored, "company_id", 0), now, arr ? now : 0, &p, err);
    net__decl_parsed_deinit(&p);
    cJSON_Delete(doc);
    cJSON_Delete(stored);
}

void lp_check_declaration_reason(lp_req *r, lp_err *err)
{
    const char *s = lp_json_str(r->body, "reason");
    if (s && blank(s)) problem(err, "/reason", "must say why, not only blanks");
}
