/* h_declarations.c - customs declarations filed by a company before arrival
 * (DESIGN.md, "A manned truck crossing", steps 1-2): the body check
 * (formats, check digits, totals, references), the risk channel and the
 * agency tasks at filing, amendments with their history, cancellation, the
 * customs override and the replay of a risk decision.
 *
 * Invariant: nothing is stored unless every check passed; filing, amending,
 * cancelling and overriding each change the declaration, its tasks and its
 * crossing record in one transaction, with their audit events.  Expiry is
 * computed when a declaration is read (see expired()), not written. */
#include "h_declarations.h"
#include "../core/decl.h"
#include "../core/ident.h"
#include "../core/mem.h"
#include "../core/risk.h"
#include "../store/clearance.h"
#include "../store/resources.h"

#include <event2/http.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define MAX_ID 9007199254740991LL      /* largest integer a JSON number holds exactly */
#define REASON_MAX 500                 /* characters of a reason (body or X-Reason) */
#define DAY_MS (86400 * INT64_C(1000))
#define GATE_TZ_MS (7 * 3600 * INT64_C(1000)) /* Asia/Ho_Chi_Minh: UTC+7, no daylight time */
#define SYSTEM_RISK "system:risk"

/* Body declarations ---------------------------------------------------------------- */

static const char *const directions[] = {"export", "import", NULL};
static const char *const transports[] = {"truck", "agv", NULL};
static const char *const channels[] = {"green", "yellow", "red", NULL};

static const lp_jfield container_fields[] = {
    {"number", LP_J_STRING, LP_JF_REQUIRED, 1, 20, NULL, NULL, "ISO 6346 container number with its check digit",
     "\"CSQU3054383\""},
    {"seals", LP_J_STRING_ARRAY, 0, 1, 40, NULL, NULL,
     "Seal numbers, at most 4: 4-20 letters, digits and '-' (spaces are dropped)", "[\"ML-CN1234567\"]"},
};
static const lp_jspec container_spec = {container_fields, N(container_fields)};

static const lp_jfield line_fields[] = {
    {"hs_code", LP_J_STRING, LP_JF_REQUIRED, 1, 20, NULL, NULL, "Vietnamese HS code, 8 digits ('.' and spaces allowed)",
     "\"0810.90.10\""},
    {"description", LP_J_STRING, LP_JF_REQUIRED, 1, LP_DECL_DESC_SIZE - 1, NULL, NULL,
     "Description of the goods (at most 512 bytes of UTF-8)", "\"Sầu riêng tươi (fresh durian)\""},
    {"packages", LP_J_INT, LP_JF_REQUIRED, 1, LP_DECL_PACKAGES_MAX, NULL, NULL, "Number of packages", "1200"},
    {"gross_weight_kg", LP_J_NUMBER, LP_JF_REQUIRED, 0, 0, NULL, NULL, "Gross weight in kg, at most 3 decimals",
     "18500.5"},
    {"value", LP_J_NUMBER, LP_JF_REQUIRED, 0, 0, NULL, NULL,
     "Customs value in the declaration's currency, at most its minor-unit decimals", "1250000000"},
    {"origin", LP_J_STRING, LP_JF_REQUIRED, 2, 2, NULL, NULL, "Country of origin, ISO 3166-1 alpha-2", "\"VN\""},
};
static const lp_jspec line_spec = {line_fields, N(line_fields)};

static const lp_jfield totals_fields[] = {
    {"packages", LP_J_INT, LP_JF_REQUIRED, 0, LP_DECL_PACKAGES_MAX * LP_DECL_MAX_LINES, NULL, NULL,
     "Sum of the lines' packages", "1200"},
    {"gross_weight_kg", LP_J_NUMBER, LP_JF_REQUIRED, 0, 0, NULL, NULL, "Sum of the lines' gross weights", "18500.5"},
    {"value", LP_J_NUMBER, LP_JF_REQUIRED, 0, 0, NULL, NULL, "Sum of the lines' values", "1250000000"},
};
static const lp_jspec totals_spec = {totals_fields, N(totals_fields)};

#define DECL_FIELDS(req, fixed)                                                                                   \
    {"number", LP_J_STRING, req | fixed, 1, 40, NULL, NULL,                                                     \
     "Customs declaration number: 12 digits (VNACCS) or 18 (Chinese customs)", "\"305123456789\""},             \
    {"direction", LP_J_ENUM, req | fixed, 0, 0, directions, NULL, "export (Vietnam to China) or import", NULL},  \
    {"crossing_point_id", LP_J_STRING, req, 2, 40, NULL, NULL, "Crossing point, open for this direction",       \
     "\"tanthanh-1090\""},                                                                                       \
    {"transport", LP_J_ENUM, req | fixed, 0, 0, transports, NULL,                                               \
     "truck (with vehicle and driver) or agv (road-1088; the fleet assigns the AGV)", NULL},                    \
    {"vehicle_id", LP_J_INT, LP_JF_NULLABLE, 1, MAX_ID, NULL, NULL,                                             \
     "Truck: an active truck of the company; AGV: absent", "12"},                                               \
    {"driver_id", LP_J_INT, LP_JF_NULLABLE, 1, MAX_ID, NULL, NULL,                                              \
     "Truck: an active driver of the company with a licence valid at arrival; AGV: absent", "7"},               \
    {"trailer_plate", LP_J_STRING, LP_JF_NULLABLE, 4, 20, NULL, NULL, "Trailer plate, if any", "\"29R-012.34\""}, \
    {"expected_arrival", LP_J_STRING, req, 1, 40, NULL, NULL,                                                  \
     "RFC 3339 date and time with offset; from 2 h ago to 30 days ahead", "\"2026-11-24T08:30:00+07:00\""},     \
    {"currency", LP_J_STRING, req, 3, 3, NULL, NULL, "ISO 4217 currency of the values", "\"VND\""},            \
    {"containers", LP_J_OBJECT_ARRAY, 0, 0, LP_DECL_MAX_CONTAINERS, NULL, &container_spec,                      \
     "Containers with their seals (an AGV carries at least one)", NULL},                                        \
    {"goods", LP_J_OBJECT_ARRAY, req, 0, LP_DECL_MAX_LINES, NULL, &line_spec, "Goods lines, 1-200", NULL},      \
    {"totals", LP_J_OBJECT, req, 0, 0, NULL, &totals_spec, "The sums of the lines", NULL}

static const lp_jfield create_fields[] = {DECL_FIELDS(LP_JF_REQUIRED, 0)};
const lp_jspec lp_spec_declaration_create = {create_fields, N(create_fields)};
static const lp_jfield amend_fields[] = {DECL_FIELDS(0, LP_JF_CREATE_ONLY)};
const lp_jspec lp_spec_declaration_amend = {amend_fields, N(amend_fields)};

static const lp_jfield cancel_fields[] = {
    {"reason", LP_J_STRING, LP_JF_REQUIRED, 3, REASON_MAX, NULL, NULL, "Why the declaration is withdrawn",
     "\"Shipment postponed by the buyer\""},
};
const lp_jspec lp_spec_declaration_cancel = {cancel_fields, N(cancel_fields)};
static const lp_jfield override_fields[] = {
    {"channel", LP_J_ENUM, LP_JF_REQUIRED, 0, 0, channels, NULL, "The channel customs sets", NULL},
    {"reason", LP_J_STRING, LP_JF_REQUIRED, 3, REASON_MAX, NULL, NULL, "Why (kept in the audit log)",
     "\"Intelligence report on this consignee\""},
};
const lp_jspec lp_spec_declaration_override = {override_fields, N(override_fields)};

const lp_qparam lp_declaration_query[] = {
    {"status", "string", "pending, held, rejected, cleared, gate_open, exited, cancelled or expired"},
    {"channel", "string", "green, yellow or red"},
    {"crossing_point_id", "string", "e.g. road-1088"},
    {"direction", "string", "export or import"},
    {"number", "string", "Customs declaration number (any separators)"},
    {"vehicle_plate", "string", "Plate of the truck (any spelling the plate check accepts)"},
    {"company_id", "integer", "Declarant company (staff only; a company sees its own)"},
    {0}};

/* Small helpers ----------------------------------------------------------------------- */

static int64_t now_ms(lp_store *st)
{
    const lp_clock *ck = lp_store_clock(st);
    return ck->now_ms(ck->ud);
}

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
static int parse_time(const char *s, int64_t *ms)
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

static int in_set(const char *s, const char *const *set)
{
    for (; s && *set; set++)
        if (strcmp(s, *set) == 0) return 1;
    return 0;
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

static lp_risk_channel channel_of(const char *s)
{
    return s && strcmp(s, "red") == 0 ? LP_RISK_RED : s && strcmp(s, "yellow") == 0 ? LP_RISK_YELLOW : LP_RISK_GREEN;
}

/* The id of a stored record as text (ids are integers here). */
static void id_text(const cJSON *rec, char out[32])
{
    snprintf(out, 32, "%" PRId64, lp_json_int(rec, "id", 0));
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

/* A declaration being checked, with what the task planner needs to know of
 * its references. */
typedef struct parsed {
    lp_decl *d;      /* owned; about 115 KB, so on the heap */
    int exponent;    /* minor-unit digits of the currency; -1 when unknown */
    int vehicle_ok;  /* truck: vehicle active and driver's licence valid at arrival */
} parsed;

static void parsed_init(parsed *p)
{
    p->d = lp_malloc(sizeof *p->d);
    lp_decl_init(p->d);
    p->exponent = -1;
    p->vehicle_ok = 0;
}

static void parsed_deinit(parsed *p)
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
static void take_decl(const cJSON *doc, parsed *p, lp_err *err)
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
    if ((s = lp_json_str(doc, "expected_arrival")) && parse_time(s, &d->expected_arrival_ms) != LP_OK)
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
static void check_crew(lp_store *st, int64_t company, int64_t now, parsed *p, lp_err *err)
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
static void check_core(const parsed *p, int64_t arrival_now, lp_err *err)
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
static int parse_and_check(lp_store *st, const cJSON *doc, int64_t company, int64_t now, int64_t arrival_now,
                           parsed *p, lp_err *err)
{
    take_decl(doc, p, err);
    if (st) {
        check_point(st, p->d, err);
        check_crew(st, company, now, p, err);
    }
    check_core(p, arrival_now, err);
    return err->code;
}

/* The record ----------------------------------------------------------------------------- */

static double major_units(int64_t minor, int exponent)
{
    double v = (double)minor;
    int i;
    for (i = 0; i < exponent; i++) v /= 10.0;
    return v;
}

/* The body members of the declaration in canonical form, as stored. */
static cJSON *decl_values(const parsed *p)
{
    const lp_decl *d = p->d;
    cJSON *o = cJSON_CreateObject(), *a, *x, *s;
    int i, k;

    cJSON_AddStringToObject(o, "number", d->number);
    cJSON_AddStringToObject(o, "direction", d->direction == LP_DECL_EXPORT ? "export" : "import");
    cJSON_AddStringToObject(o, "crossing_point_id", d->crossing_point);
    cJSON_AddStringToObject(o, "transport", d->transport == LP_DECL_TRUCK ? "truck" : "agv");
    if (d->transport == LP_DECL_TRUCK) {
        cJSON_AddNumberToObject(o, "vehicle_id", (double)d->vehicle_id);
        cJSON_AddStringToObject(o, "vehicle_plate", d->vehicle_plate);
        cJSON_AddNumberToObject(o, "driver_id", (double)d->driver_id);
    } else {
        cJSON_AddNullToObject(o, "vehicle_id");
        cJSON_AddNullToObject(o, "vehicle_plate");
        cJSON_AddNullToObject(o, "driver_id");
    }
    if (d->trailer_plate[0]) cJSON_AddStringToObject(o, "trailer_plate", d->trailer_plate);
    else cJSON_AddNullToObject(o, "trailer_plate");
    cJSON_AddNumberToObject(o, "expected_arrival", (double)d->expected_arrival_ms);
    cJSON_AddStringToObject(o, "currency", d->currency);
    a = cJSON_AddArrayToObject(o, "containers");
    for (i = 0; i < d->ncontainers; i++) {
        x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "number", d->containers[i].number);
        s = cJSON_AddArrayToObject(x, "seals");
        for (k = 0; k < d->containers[i].nseals; k++)
            cJSON_AddItemToArray(s, cJSON_CreateString(d->containers[i].seals[k]));
        cJSON_AddItemToArray(a, x);
    }
    a = cJSON_AddArrayToObject(o, "goods");
    for (i = 0; i < d->ngoods; i++) {
        const lp_decl_line *ln = &d->goods[i];
        x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "hs_code", ln->hs);
        cJSON_AddStringToObject(x, "description", ln->description);
        cJSON_AddNumberToObject(x, "packages", (double)ln->packages);
        cJSON_AddNumberToObject(x, "gross_weight_kg", major_units(ln->gross_g, 3));
        cJSON_AddNumberToObject(x, "value", major_units(ln->value_minor, p->exponent));
        cJSON_AddStringToObject(x, "origin", ln->origin);
        cJSON_AddItemToArray(a, x);
    }
    x = cJSON_AddObjectToObject(o, "totals");
    cJSON_AddNumberToObject(x, "packages", (double)d->total_packages);
    cJSON_AddNumberToObject(x, "gross_weight_kg", major_units(d->total_gross_g, 3));
    cJSON_AddNumberToObject(x, "value", major_units(d->total_value_minor, p->exponent));
    return o;
}

/* The members a body may carry, for merging an amendment into a record. */
static const char *const body_members[] = {"number", "direction", "crossing_point_id", "transport", "vehicle_id",
                                           "driver_id", "trailer_plate", "expected_arrival", "currency",
                                           "containers", "goods", "totals", NULL};

/* stored's body members with patch's replacing them (whole members: an
 * amended goods list is the whole new list).  Caller owns the result. */
static cJSON *merged_doc(const cJSON *stored, const cJSON *patch)
{
    cJSON *o = cJSON_CreateObject();
    const char *const *m;
    for (m = body_members; *m; m++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(patch, *m);
        if (!v) v = cJSON_GetObjectItemCaseSensitive(stored, *m);
        if (v) cJSON_AddItemToObject(o, *m, cJSON_Duplicate(v, 1));
    }
    return o;
}

/* A declaration past valid_until that nobody finished reads as expired.
 * It is computed on read rather than written, so that a GET changes
 * nothing and the answer never depends on whether someone looked before. */
static int expired(const cJSON *rec, int64_t now)
{
    static const char *const live[] = {"pending", "held", "cleared", NULL};
    const char *vu = lp_json_str(rec, "valid_until");
    int64_t until;
    return in_set(lp_json_str(rec, "status"), live) && vu && parse_time(vu, &until) == LP_OK && now > until;
}

static const char *status_now(const cJSON *rec, int64_t now)
{
    const char *s = lp_json_str(rec, "status");
    return expired(rec, now) ? "expired" : s ? s : "?";
}

/* Risk ------------------------------------------------------------------------------------ */

static const char *channel_name(lp_risk_channel c) { return lp_risk_channel_name(c); }

/* Runs the risk selection on d with seed under the rules and policy in the
 * store now.  *channel receives the channel (red when the engine refuses,
 * e.g. a damaged rule: it fails closed) and *json (caller owns) what is
 * stored as declarations.risk.  Values in another currency than VND skip
 * the value-per-kg bands: there is no exchange-rate table yet, and a value
 * of 0 would make every "at most N đồng/kg" band match, so the lines carry
 * -1, which matches no band. */
static int run_risk(lp_store *st, const lp_decl *d, int64_t company, uint64_t seed, lp_risk_channel *channel,
                    cJSON **json, lp_err *err)
{
    lp_risk_rule *rules = NULL;
    lp_risk_policy policy;
    lp_risk_line *lines = NULL;
    lp_risk_result *res = NULL;
    lp_risk_facts f;
    cJSON *o, *ms;
    int n = 0, rc, i, nl = d->ngoods < LP_DECL_MAX_LINES ? d->ngoods : LP_DECL_MAX_LINES;
    int bands = strcmp(d->currency, "VND") == 0;

    *json = NULL;
    rc = lp_clearance_risk_load(st, &rules, &n, &policy, err);
    if (rc) goto out;
    lines = lp_calloc((size_t)(nl > 0 ? nl : 1), sizeof *lines);
    res = lp_calloc(1, sizeof *res);
    for (i = 0; i < nl; i++) {
        lines[i].hs_code = d->goods[i].hs;
        lines[i].origin = d->goods[i].origin;
        lines[i].value_vnd = bands ? d->goods[i].value_minor : -1;
        lines[i].gross_g = d->goods[i].gross_g;
    }
    f.direction = d->direction == LP_DECL_EXPORT ? LP_RISK_EXPORT : LP_RISK_IMPORT;
    f.crossing_point_id = d->crossing_point;
    f.company_id = company;
    f.lines = lines;
    f.nlines = nl;

    o = cJSON_CreateObject();
    if (lp_risk_decide(rules, n, &policy, &f, seed, res) != LP_OK) {
        *channel = LP_RISK_RED;
        cJSON_AddStringToObject(o, "channel", "red");
        cJSON_AddStringToObject(o, "explanation", res->explain);
        cJSON_AddBoolToObject(o, "failed_closed", 1);
        *json = o;
        goto out;
    }
    *channel = res->channel;
    cJSON_AddStringToObject(o, "channel", channel_name(res->channel));
    cJSON_AddStringToObject(o, "explanation", res->explain);
    if (res->decided_by) cJSON_AddNumberToObject(o, "decided_by", (double)res->decided_by);
    else cJSON_AddNullToObject(o, "decided_by");
    cJSON_AddBoolToObject(o, "by_random", res->by_random);
    cJSON_AddStringToObject(o, "random_channel", channel_name(res->random_channel));
    cJSON_AddNumberToObject(o, "random_draw", res->random_draw);
    ms = cJSON_AddArrayToObject(o, "matches");
    for (i = 0; i < res->nmatches; i++) {
        const lp_risk_match *m = &res->matches[i];
        cJSON *x = cJSON_CreateObject();
        cJSON_AddNumberToObject(x, "rule_id", (double)m->rule_id);
        cJSON_AddStringToObject(x, "rule", rules[m->rule].name);
        if (m->line >= 0) cJSON_AddNumberToObject(x, "line", m->line);
        else cJSON_AddNullToObject(x, "line");
        cJSON_AddStringToObject(x, "channel", channel_name(m->channel));
        cJSON_AddNumberToObject(x, "probability", m->probability);
        cJSON_AddNumberToObject(x, "draw", m->draw);
        cJSON_AddBoolToObject(x, "fired", m->fired);
        cJSON_AddItemToArray(ms, x);
    }
    cJSON_AddNumberToObject(o, "more_matches", res->more);
    cJSON_AddNumberToObject(o, "rules_evaluated", n);
    if (bands) {
        cJSON_AddStringToObject(o, "value_bands", "applied");
    } else {
        char note[160];
        snprintf(note, sizeof note, "skipped: values are in %s and there is no exchange-rate table yet", d->currency);
        cJSON_AddStringToObject(o, "value_bands", note);
    }
    *json = o;
out:
    lp_free(rules);
    lp_free(lines);
    lp_free(res);
    return rc;
}

static int new_seed(lp_store *st, uint64_t *seed, lp_err *err)
{
    const lp_clock *ck = lp_store_clock(st);
    if (ck->random(ck->ud, seed, sizeof *seed) != 0) return lp_err_set(err, LP_EIO, "no randomness for the risk seed");
    return LP_OK;
}

static int stored_seed(const cJSON *rec, uint64_t *seed, lp_err *err)
{
    const char *s = lp_json_str(rec, "risk_seed");
    char *end;
    if (!s || strlen(s) != 16) return lp_err_set(err, LP_ESTORE, "declaration has no readable risk_seed");
    *seed = strtoull(s, &end, 16);
    if (*end) return lp_err_set(err, LP_ESTORE, "declaration has no readable risk_seed");
    return LP_OK;
}

/* Tasks and the crossing record ------------------------------------------------------------- */

/* Adds a task: pending, or approved when decided_by is given.  Takes
 * details (may be NULL). */
static int add_task(lp_store *st, const lp_actor *who, int64_t decl, int64_t company, const char *agency,
                    const char *kind, const char *decided_by, const char *reason, cJSON *details, lp_err *err)
{
    cJSON *v = cJSON_CreateObject();
    int rc;
    cJSON_AddNumberToObject(v, "declaration_id", (double)decl);
    cJSON_AddNumberToObject(v, "company_id", (double)company);
    cJSON_AddStringToObject(v, "agency", agency);
    cJSON_AddStringToObject(v, "kind", kind);
    cJSON_AddStringToObject(v, "state", decided_by ? "approved" : "pending");
    if (reason) cJSON_AddStringToObject(v, "reason", reason);
    else cJSON_AddNullToObject(v, "reason");
    if (decided_by) {
        cJSON_AddStringToObject(v, "decided_by", decided_by);
        cJSON_AddNumberToObject(v, "decided_at", (double)now_ms(st));
    } else {
        cJSON_AddNullToObject(v, "decided_by");
        cJSON_AddNullToObject(v, "decided_at");
    }
    cJSON_AddItemToObject(v, "details", details ? details : cJSON_CreateObject());
    rc = lp_table_insert(st, &lp_tbl_tasks, who, NULL, v, NULL, err);
    cJSON_Delete(v);
    return rc;
}

/* The tasks of a declaration, in id order.  Caller owns *out. */
static int list_tasks(lp_store *st, int64_t decl, cJSON **out, lp_err *err)
{
    char id[32], *next = NULL;
    lp_filter f = {"declaration_id", id};
    int rc;
    snprintf(id, sizeof id, "%" PRId64, decl);
    rc = lp_table_list(st, &lp_tbl_tasks, &f, 1, 0, NULL, 500, out, &next, err);
    lp_free(next);
    return rc;
}

/* Sets an open task's state with who as the decider. */
static int close_task(lp_store *st, const lp_actor *who, const cJSON *task, const char *state, const char *reason,
                      const char *action, lp_err *err)
{
    cJSON *patch = cJSON_CreateObject();
    char id[32];
    int rc;
    id_text(task, id);
    cJSON_AddStringToObject(patch, "state", state);
    cJSON_AddStringToObject(patch, "reason", reason);
    cJSON_AddStringToObject(patch, "decided_by", who->name ? who->name : "system");
    cJSON_AddNumberToObject(patch, "decided_at", (double)now_ms(st));
    rc = lp_table_update(st, &lp_tbl_tasks, who, id, 0, -1, action, patch, NULL, err);
    cJSON_Delete(patch);
    return rc;
}

static int task_open(const cJSON *t)
{
    static const char *const open[] = {"pending", "hold", NULL};
    return in_set(lp_json_str(t, "state"), open);
}

/* The customs check each channel asks for (green: none; the risk release). */
static const char *customs_kind(lp_risk_channel c)
{
    return c == LP_RISK_RED ? "physical_check" : c == LP_RISK_YELLOW ? "document_check" : NULL;
}

static lp_risk_channel kind_channel(const char *kind)
{
    return !kind ? LP_RISK_GREEN
           : strcmp(kind, "physical_check") == 0 ? LP_RISK_RED
           : strcmp(kind, "document_check") == 0 ? LP_RISK_YELLOW
                                                  : LP_RISK_GREEN;
}

static cJSON *channel_details(lp_risk_channel c, const char *source)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "channel", channel_name(c));
    cJSON_AddStringToObject(o, "source", source);
    return o;
}

/* The HS codes of the lines quarantine must see. */
static cJSON *quarantine_details(const lp_decl *d)
{
    cJSON *o = cJSON_CreateObject(), *a = cJSON_AddArrayToObject(o, "hs_codes");
    int i;
    for (i = 0; i < d->ngoods && i < LP_DECL_MAX_LINES; i++)
        if (lp_cargo_hs_needs_quarantine(d->goods[i].chapter))
            cJSON_AddItemToArray(a, cJSON_CreateString(d->goods[i].hs));
    return o;
}

/* The tasks a new declaration needs (clearance.h). */
static int plan_tasks(lp_store *st, const lp_actor *who, int64_t decl, int64_t company, const parsed *p,
                      lp_risk_channel ch, int quarantine, lp_err *err)
{
    const lp_decl *d = p->d;
    int rc;
    if (ch == LP_RISK_GREEN)
        rc = add_task(st, who, decl, company, "customs", "risk_release", SYSTEM_RISK,
                      "green channel: released when the gate reads match the declaration",
                      channel_details(ch, "risk"), err);
    else
        rc = add_task(st, who, decl, company, "customs", customs_kind(ch), NULL, NULL, channel_details(ch, "risk"), err);
    if (rc == LP_OK && quarantine)
        rc = add_task(st, who, decl, company, "quarantine", "quarantine_check", NULL, NULL, quarantine_details(d), err);
    if (rc == LP_OK && d->transport == LP_DECL_TRUCK) {
        cJSON *det = cJSON_CreateObject();
        cJSON_AddNumberToObject(det, "vehicle_id", (double)d->vehicle_id);
        cJSON_AddStringToObject(det, "vehicle_plate", d->vehicle_plate);
        cJSON_AddNumberToObject(det, "driver_id", (double)d->driver_id);
        rc = add_task(st, who, decl, company, "border_guard", "vehicle_driver_check", p->vehicle_ok ? "system" : NULL,
                      p->vehicle_ok ? "vehicle active and driver's licence valid at arrival" : NULL, det, err);
    } else if (rc == LP_OK) {
        rc = add_task(st, who, decl, company, "border_guard", "agv_release", NULL, NULL, NULL, err);
    }
    return rc;
}

/* Brings the customs tasks in line with channel to.  A check a stricter
 * channel asked for that is still open is closed as approved by who: only
 * a customs override lowers a channel, and it is the officer's decision
 * that the check is not needed (the task states have no "withdrawn", and
 * any other state would keep the declaration from clearing).  The check
 * the new channel asks for is added unless one exists; a lower check
 * already open stays (a physical check does not replace the documents). */
static int adjust_customs(lp_store *st, const lp_actor *who, int64_t decl, int64_t company, lp_risk_channel to,
                          const char *source, lp_err *err)
{
    const char *want = customs_kind(to);
    cJSON *tasks = NULL;
    const cJSON *t;
    char reason[REASON_MAX + 96];
    int rc, have = 0;

    rc = list_tasks(st, decl, &tasks, err);
    if (rc) return rc;
    snprintf(reason, sizeof reason, "not required after the %s to %s: %s", source, channel_name(to),
             who->reason ? who->reason : "");
    cJSON_ArrayForEach(t, tasks) {
        const char *kind = lp_json_str(t, "kind"), *agency = lp_json_str(t, "agency");
        if (!agency || strcmp(agency, "customs") != 0) continue;
        if (want && kind && strcmp(kind, want) == 0) have = 1;
        if (task_open(t) && kind_channel(kind) > to) {
            rc = close_task(st, who, t, "approved", reason, "close", err);
            if (rc) break;
        }
    }
    cJSON_Delete(tasks);
    if (rc == LP_OK && want && !have)
        rc = add_task(st, who, decl, company, "customs", want, NULL, NULL, channel_details(to, source), err);
    return rc;
}

static int has_task(lp_store *st, int64_t decl, const char *kind, int *has, lp_err *err)
{
    cJSON *tasks = NULL;
    const cJSON *t;
    int rc = list_tasks(st, decl, &tasks, err);
    *has = 0;
    cJSON_ArrayForEach(t, tasks) {
        const char *k = lp_json_str(t, "kind");
        if (k && strcmp(k, kind) == 0) *has = 1;
    }
    cJSON_Delete(tasks);
    return rc;
}

static int add_crossing(lp_store *st, const lp_actor *who, int64_t decl, int64_t company, const lp_decl *d,
                        lp_risk_channel ch, int64_t now, lp_err *err)
{
    cJSON *v = cJSON_CreateObject();
    int rc;
    cJSON_AddNumberToObject(v, "declaration_id", (double)decl);
    cJSON_AddNumberToObject(v, "company_id", (double)company);
    cJSON_AddStringToObject(v, "crossing_point_id", d->crossing_point);
    cJSON_AddStringToObject(v, "direction", d->direction == LP_DECL_EXPORT ? "export" : "import");
    cJSON_AddStringToObject(v, "channel", channel_name(ch));
    cJSON_AddNumberToObject(v, "filed_at", (double)now);
    rc = lp_table_insert(st, &lp_tbl_crossings, who, NULL, v, NULL, err);
    cJSON_Delete(v);
    return rc;
}

/* Copies the declaration's crossing point and channel to its crossing
 * record when they differ. */
static int sync_crossing(lp_store *st, const lp_actor *who, const cJSON *decl, lp_err *err)
{
    lp_db_val p[] = {LP_DB_I(lp_json_int(decl, "id", 0))};
    lp_db_res *res = NULL;
    cJSON *cr = NULL, *patch = cJSON_CreateObject();
    static const char *const members[] = {"crossing_point_id", "channel", NULL};
    const char *const *m;
    char id[32];
    int rc;

    rc = lp_db_query(lp_store_db(st), "SELECT id FROM crossings WHERE declaration_id = ?", p, 1, &res, err);
    if (rc || lp_db_res_nrows(res) == 0) goto out;
    rc = lp_table_get(st, &lp_tbl_crossings, lp_db_res_text(res, 0, 0), 0, &cr, err);
    if (rc) goto out;
    for (m = members; *m; m++) {
        const char *want = lp_json_str(decl, *m), *have = lp_json_str(cr, *m);
        if (want && (!have || strcmp(want, have) != 0)) cJSON_AddStringToObject(patch, *m, want);
    }
    id_text(cr, id);
    if (patch->child) rc = lp_table_update(st, &lp_tbl_crossings, who, id, 0, -1, "update", patch, NULL, err);
out:
    lp_db_res_free(res);
    cJSON_Delete(cr);
    cJSON_Delete(patch);
    return rc;
}

/* Replies ----------------------------------------------------------------------------------- */

/* Replies status with rec (taken) as the API shows a declaration: status as
 * of now, and its tasks. */
static void reply_decl(lp_req *r, int status, cJSON *rec)
{
    cJSON *tasks = NULL;
    lp_err err;
    char loc[96];

    lp_err_init(&err);
    if (list_tasks(r->store, lp_json_int(rec, "id", 0), &tasks, &err)) {
        cJSON_Delete(rec);
        net__fail(r, &err, NULL);
        return;
    }
    cJSON_ReplaceItemInObjectCaseSensitive(rec, "status", cJSON_CreateString(status_now(rec, now_ms(r->store))));
    cJSON_AddItemToObject(rec, "tasks", tasks);
    if (status == 201) {
        snprintf(loc, sizeof loc, "/api/v1/declarations/%" PRId64, lp_json_int(rec, "id", 0));
        evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Location", loc);
    }
    net__etag(r, rec);
    lp_reply_json(r, status, rec);
}

static void reply_problems(lp_req *r, const lp_err *err)
{
    if (err->code == LP_EINVAL && err->nfields) lp_reply_problem(r, 400, "the request body has invalid fields", err);
    else lp_reply_error(r, err);
}

/* Filing -------------------------------------------------------------------------------------- */

void lp_check_declaration_create(lp_req *r, lp_err *err)
{
    parsed p;
    int64_t now = now_ms(r->store);
    parsed_init(&p);
    parse_and_check(r->store, r->body, r->who.company_id, now, now, &p, err);
    parsed_deinit(&p);
}

void lp_h_declarations_create(lp_req *r)
{
    parsed p;
    lp_err err;
    lp_clearance_settings cs;
    lp_risk_channel ch = LP_RISK_RED;
    cJSON *values = NULL, *risk = NULL, *rec = NULL;
    int64_t now = now_ms(r->store), company = r->who.company_id, id;
    uint64_t seed = 0;
    char hex[17];
    int rc, in_tx = 0, quarantine;

    lp_err_init(&err);
    parsed_init(&p);
    /* The check step passed; this only repeats the conversion. */
    rc = parse_and_check(r->store, r->body, company, now, now, &p, &err);
    if (rc) goto out;
    if ((rc = lp_clearance_settings_get(r->store, &cs, &err)) || (rc = new_seed(r->store, &seed, &err))) goto out;
    rc = lp_store_begin(r->store, &err);
    if (rc) goto out;
    in_tx = 1;
    rc = run_risk(r->store, p.d, company, seed, &ch, &risk, &err);
    if (rc) goto out;
    cJSON_AddStringToObject(risk, "run", "filing");
    quarantine = lp_decl_needs_quarantine(p.d);
    snprintf(hex, sizeof hex, "%016" PRIx64, seed);
    values = decl_values(&p);
    cJSON_AddNumberToObject(values, "company_id", (double)company);
    cJSON_AddStringToObject(values, "status", "pending");
    cJSON_AddStringToObject(values, "channel", channel_name(ch));
    cJSON_AddStringToObject(values, "channel_source", "risk");
    cJSON_AddStringToObject(values, "risk_seed", hex);
    cJSON_AddNumberToObject(values, "risk_algo", LP_RISK_ALGO_VERSION);
    cJSON_AddItemToObject(values, "risk", risk);
    risk = NULL;
    cJSON_AddBoolToObject(values, "needs_quarantine", quarantine);
    cJSON_AddNumberToObject(values, "valid_until", (double)(now + (int64_t)cs.validity_hours * 3600 * 1000));
    cJSON_AddNumberToObject(values, "amendments", 0);
    rc = lp_table_insert(r->store, &lp_tbl_declarations, &r->actor, NULL, values, &rec, &err);
    if (rc) goto out;
    id = lp_json_int(rec, "id", 0);
    if ((rc = plan_tasks(r->store, &r->actor, id, company, &p, ch, quarantine, &err)) ||
        (rc = add_crossing(r->store, &r->actor, id, company, p.d, ch, now, &err)))
        goto out;
    cJSON_Delete(rec);
    rec = NULL;
    rc = lp_clearance_refresh(r->store, &r->actor, id, &rec, &err);
    if (rc) goto out;
    rc = lp_store_commit(r->store, &err);
    in_tx = 0;
    if (rc) goto out;
    reply_decl(r, 201, rec);
    rec = NULL;
out:
    if (in_tx) lp_store_rollback(r->store);
    if (rc && err.code == LP_EINVAL) reply_problems(r, &err);
    else if (rc) net__fail(r, &err, "/number");
    parsed_deinit(&p);
    cJSON_Delete(values);
    cJSON_Delete(risk);
    cJSON_Delete(rec);
}

/* Reading ------------------------------------------------------------------------------------- */

void lp_h_declarations_get(lp_req *r)
{
    cJSON *rec = NULL;
    lp_err err;
    lp_err_init(&err);
    if (lp_table_get(r->store, &lp_tbl_declarations, r->params[0], lp_req_scope(r), &rec, &err)) {
        net__fail(r, &err, NULL);
        return;
    }
    reply_decl(r, 200, rec);
}

/* Like lp_table_list, with the status filter knowing about expiry: a
 * pending declaration past valid_until is listed as expired, not pending. */
void lp_h_declarations_list(lp_req *r)
{
    static const char *const eq[] = {"channel", "crossing_point_id", "direction", "number", "vehicle_plate", NULL};
    static const char *const live[] = {"pending", "held", "cleared", NULL};
    const char *const *f;
    const char *cursor, *status = lp_req_query(r, "status"), *cid = lp_req_query(r, "company_id");
    char num[LP_DECL_NUMBER_SIZE], plate[LP_DECL_PLATE_SIZE], *end;
    lp_db_val p[16];
    lp_db_res *res = NULL;
    lp_buf sql;
    lp_err err;
    cJSON *items = NULL;
    int64_t now = now_ms(r->store), scope = lp_req_scope(r);
    int n = 0, i, rows, limit;

    lp_err_init(&err);
    if (lp_req_page(r, &limit, &cursor)) return;
    lp_buf_init(&sql);
    lp_buf_puts(&sql, "SELECT id");
    for (i = 0; i < lp_tbl_declarations.ncols; i++) lp_buf_printf(&sql, ", %s", lp_tbl_declarations.cols[i].name);
    lp_buf_puts(&sql, ", version, created_at, updated_at FROM declarations WHERE 1=1");
    for (f = eq; *f; f++) {
        const char *v = lp_req_query(r, *f);
        if (!v) continue;
        /* Identifiers are stored canonical; accept the ways people write them. */
        if (strcmp(*f, "number") == 0 && lp_decl_number(v, 0, num, sizeof num, NULL, 0) == LP_OK) v = num;
        if (strcmp(*f, "vehicle_plate") == 0 && (lp_ident_plate("VN", v, plate, sizeof plate, NULL, 0) == LP_OK ||
                                                 lp_ident_plate("CN", v, plate, sizeof plate, NULL, 0) == LP_OK))
            v = plate;
        lp_buf_printf(&sql, " AND %s = ?", *f);
        p[n++] = LP_DB_S(v);
    }
    if (cid) {
        long long c = strtoll(cid, &end, 10);
        if (!*cid || *end) lp_err_field_add(&err, "?company_id", "must be an integer");
        lp_buf_puts(&sql, " AND company_id = ?");
        p[n++] = LP_DB_I(c);
    }
    if (status && strcmp(status, "expired") == 0) {
        lp_buf_puts(&sql, " AND (status = 'expired' OR (status IN ('pending', 'held', 'cleared') AND valid_until < ?))");
        p[n++] = LP_DB_I(now);
    } else if (status) {
        lp_buf_puts(&sql, " AND status = ?");
        p[n++] = LP_DB_S(status);
        if (in_set(status, live)) {
            lp_buf_puts(&sql, " AND valid_until >= ?");
            p[n++] = LP_DB_I(now);
        }
    }
    if (scope) {
        lp_buf_puts(&sql, " AND company_id = ?");
        p[n++] = LP_DB_I(scope);
    }
    if (cursor && *cursor) {
        long long c = strtoll(cursor, &end, 10);
        if (*end || c < 0) lp_err_field_add(&err, "?cursor", "is not a cursor this server gave out");
        lp_buf_puts(&sql, " AND id > ?");
        p[n++] = LP_DB_I(c);
    }
    lp_buf_puts(&sql, " ORDER BY id LIMIT ?");
    p[n++] = LP_DB_I(limit + 1);
    if (err.code || lp_db_query(lp_store_db(r->store), lp_buf_str(&sql), p, n, &res, &err)) {
        lp_buf_deinit(&sql);
        if (err.code == LP_EINVAL) lp_reply_problem(r, 400, "the request has invalid query parameters", &err);
        else lp_reply_error(r, &err);
        return;
    }
    lp_buf_deinit(&sql);
    rows = lp_db_res_nrows(res);
    items = cJSON_CreateArray();
    for (i = 0; i < rows && i < limit; i++) {
        cJSON *rec = lp_table_row_json(&lp_tbl_declarations, res, i);
        cJSON_ReplaceItemInObjectCaseSensitive(rec, "status", cJSON_CreateString(status_now(rec, now)));
        cJSON_AddItemToArray(items, rec);
    }
    lp_reply_page(r, items, rows > limit ? lp_db_res_text(res, limit - 1, 0) : NULL);
    lp_db_res_free(res);
}

/* Amendments ---------------------------------------------------------------------------------- */

void lp_check_declaration_amend(lp_req *r, lp_err *err)
{
    const char *why = lp_req_header(r, "X-Reason");
    cJSON *stored = NULL, *doc = NULL;
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(r->body, "expected_arrival");
    int64_t now = now_ms(r->store);
    parsed p;
    lp_err e;

    if (blank(why)) lp_err_field_add(err, "header:X-Reason", "is required: say why the declaration is amended");
    else if (utf8_chars(why) > REASON_MAX) lp_err_field_add(err, "header:X-Reason", "must be at most %d characters", REASON_MAX);
    lp_err_init(&e);
    /* An unknown id is the handler's 404, not a field problem. */
    if (lp_table_get(r->store, &lp_tbl_declarations, r->params[0], lp_req_scope(r), &stored, &e)) return;
    doc = merged_doc(stored, r->body);
    parsed_init(&p);
    /* A truck may be late while its papers are fixed: the arrival window
     * applies only when the amendment sets a new arrival. */
    parse_and_check(r->store, doc, lp_json_int(stored, "company_id", 0), now, arr ? now : 0, &p, err);
    parsed_deinit(&p);
    cJSON_Delete(doc);
    cJSON_Delete(stored);
}

static int amendable(lp_req *r, const cJSON *rec, const char *verb, lp_err *err)
{
    static const char *const ok[] = {"pending", "held", "cleared", NULL};
    const char *s = status_now(rec, now_ms(r->store));
    if (in_set(s, ok)) return LP_OK;
    return lp_err_set(err, LP_ECONFLICT, "declaration %" PRId64 " is %s; only a pending, held or cleared declaration can %s",
                      lp_json_int(rec, "id", 0), s, verb);
}

void lp_h_declarations_amend(lp_req *r)
{
    parsed p;
    lp_err err;
    cJSON *stored = NULL, *doc = NULL, *values = NULL, *risk = NULL, *rec = NULL;
    int64_t ver, now = now_ms(r->store), company, id;
    uint64_t seed;
    lp_risk_channel was, ch, risk_ch = LP_RISK_RED;
    const char *source;
    int rc, in_tx = 0, had_q, need_q, has_q;
    char ids[32];

    lp_err_init(&err);
    parsed_init(&p);
    if (lp_req_if_match(r, &ver)) goto out0;
    rc = lp_store_begin(r->store, &err);
    if (rc) goto out;
    in_tx = 1;
    rc = lp_table_get(r->store, &lp_tbl_declarations, r->params[0], lp_req_scope(r), &stored, &err);
    if (rc || (rc = amendable(r, stored, "be amended", &err)) || (rc = stored_seed(stored, &seed, &err))) goto out;
    company = lp_json_int(stored, "company_id", 0);
    id = lp_json_int(stored, "id", 0);
    id_text(stored, ids);
    doc = merged_doc(stored, r->body);
    rc = parse_and_check(r->store, doc, company, now,
                         cJSON_GetObjectItemCaseSensitive(r->body, "expected_arrival") ? now : 0, &p, &err);
    if (rc) goto out;
    /* The same seed: amending must not re-roll the draws.  The channel only
     * goes up, so that fixing a typo never releases goods; and only when
     * this run is stricter than the previous one, so that a customs
     * override to a lower channel stands while the facts it judged do. */
    rc = run_risk(r->store, p.d, company, seed, &risk_ch, &risk, &err);
    if (rc) goto out;
    cJSON_AddStringToObject(risk, "run", "amendment");
    was = channel_of(lp_json_str(stored, "channel"));
    source = lp_json_str(stored, "channel_source");
    ch = was;
    if (risk_ch > channel_of(lp_json_str(cJSON_GetObjectItemCaseSensitive(stored, "risk"), "channel")) && risk_ch > was) {
        ch = risk_ch;
        source = "risk";
    }
    had_q = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(stored, "needs_quarantine"));
    need_q = had_q || lp_decl_needs_quarantine(p.d);

    values = decl_values(&p);
    cJSON_AddStringToObject(values, "channel", channel_name(ch));
    cJSON_AddStringToObject(values, "channel_source", source ? source : "risk");
    cJSON_AddItemToObject(values, "risk", risk);
    risk = NULL;
    cJSON_AddBoolToObject(values, "needs_quarantine", need_q);
    cJSON_AddNumberToObject(values, "amendments", (double)(lp_json_int(stored, "amendments", 0) + 1));
    rc = lp_table_update(r->store, &lp_tbl_declarations, &r->actor, ids, lp_req_scope(r), ver, "amend", values, &rec,
                         &err);
    if (rc) goto out;
    if (ch != was && (rc = adjust_customs(r->store, &r->actor, id, company, ch, "amendment", &err))) goto out;
    if (need_q && (rc = has_task(r->store, id, "quarantine_check", &has_q, &err)) == LP_OK && !has_q)
        rc = add_task(r->store, &r->actor, id, company, "quarantine", "quarantine_check", NULL, NULL,
                      quarantine_details(p.d), &err);
    if (rc || (rc = sync_crossing(r->store, &r->actor, rec, &err))) goto out;
    cJSON_Delete(rec);
    rec = NULL;
    if ((rc = lp_clearance_refresh(r->store, &r->actor, id, &rec, &err))) goto out;
    rc = lp_store_commit(r->store, &err);
    in_tx = 0;
    if (rc) goto out;
    reply_decl(r, 200, rec);
    rec = NULL;
out:
    if (in_tx) lp_store_rollback(r->store);
    if (rc) reply_problems(r, &err);
out0:
    parsed_deinit(&p);
    cJSON_Delete(stored);
    cJSON_Delete(doc);
    cJSON_Delete(values);
    cJSON_Delete(risk);
    cJSON_Delete(rec);
}

/* The members of after that differ from before, with both values. */
static void changed_members(const cJSON *before, const cJSON *after, cJSON *out_before, cJSON *out_after)
{
    const cJSON *m;
    cJSON_ArrayForEach(m, after) {
        const cJSON *b = cJSON_GetObjectItemCaseSensitive(before, m->string);
        if (strcmp(m->string, "version") == 0 || strcmp(m->string, "updated_at") == 0) continue;
        if (b && cJSON_Compare(b, m, 1)) continue;
        cJSON_AddItemToObject(out_before, m->string, b ? cJSON_Duplicate(b, 1) : cJSON_CreateNull());
        cJSON_AddItemToObject(out_after, m->string, cJSON_Duplicate(m, 1));
    }
}

void lp_h_declarations_amendments(lp_req *r)
{
    cJSON *rec = NULL, *events = NULL, *items;
    const cJSON *ev;
    const char *cursor;
    int64_t after = 0, next = 0;
    char ids[32], nbuf[32], *end;
    int limit;
    lp_err err;

    lp_err_init(&err);
    if (lp_req_page(r, &limit, &cursor)) return;
    if (cursor && ((after = strtoll(cursor, &end, 10)) < 0 || *end)) {
        lp_err_field_add(&err, "?cursor", "is not a cursor this server gave out");
        lp_reply_problem(r, 400, "the request has invalid query parameters", &err);
        return;
    }
    if (lp_table_get(r->store, &lp_tbl_declarations, r->params[0], lp_req_scope(r), &rec, &err)) {
        net__fail(r, &err, NULL);
        return;
    }
    id_text(rec, ids);
    cJSON_Delete(rec);
    if (lp_store_audit_list(r->store, "declaration", ids, "declaration.amend", 0, after, limit, &events, &next, &err)) {
        lp_reply_error(r, &err);
        return;
    }
    items = cJSON_CreateArray();
    cJSON_ArrayForEach(ev, events) {
        const cJSON *b = cJSON_GetObjectItemCaseSensitive(ev, "before"), *a = cJSON_GetObjectItemCaseSensitive(ev, "after");
        cJSON *o = cJSON_CreateObject(), *ob, *oa;
        const char *reason = lp_json_str(ev, "reason");
        cJSON_AddNumberToObject(o, "seq", (double)lp_json_int(ev, "seq", 0));
        cJSON_AddNumberToObject(o, "amendment", (double)lp_json_int(a, "amendments", 0));
        cJSON_AddStringToObject(o, "at", lp_json_str(ev, "ts") ? lp_json_str(ev, "ts") : "");
        cJSON_AddStringToObject(o, "by", lp_json_str(ev, "actor") ? lp_json_str(ev, "actor") : "");
        cJSON_AddStringToObject(o, "role", lp_json_str(ev, "role") ? lp_json_str(ev, "role") : "");
        if (reason) cJSON_AddStringToObject(o, "reason", reason);
        else cJSON_AddNullToObject(o, "reason");
        ob = cJSON_AddObjectToObject(o, "before");
        oa = cJSON_AddObjectToObject(o, "after");
        changed_members(b, a, ob, oa);
        cJSON_AddItemToArray(items, o);
    }
    cJSON_Delete(events);
    snprintf(nbuf, sizeof nbuf, "%" PRId64, next);
    lp_reply_page(r, items, next ? nbuf : NULL);
}

/* Cancel and override ---------------------------------------------------------------------------- */

void lp_check_declaration_reason(lp_req *r, lp_err *err)
{
    const char *s = lp_json_str(r->body, "reason");
    if (s && blank(s)) problem(err, "/reason", "must say why, not only blanks");
}

void lp_h_declarations_cancel(lp_req *r)
{
    static const char *const ok[] = {"pending", "held", "cleared", "rejected", NULL};
    lp_actor who = r->actor;
    cJSON *stored = NULL, *rec = NULL, *patch = NULL, *tasks = NULL;
    const cJSON *t;
    const char *s;
    char ids[32], why[REASON_MAX * 4 + 64];
    int rc, in_tx = 0;
    lp_err err;

    lp_err_init(&err);
    who.reason = lp_json_str(r->body, "reason");
    rc = lp_store_begin(r->store, &err);
    if (rc) goto out;
    in_tx = 1;
    rc = lp_table_get(r->store, &lp_tbl_declarations, r->params[0], lp_req_scope(r), &stored, &err);
    if (rc) goto out;
    s = status_now(stored, now_ms(r->store));
    if (!in_set(s, ok)) {
        rc = lp_err_set(&err, LP_ECONFLICT, "declaration %s is %s; it can no longer be cancelled", r->params[0], s);
        goto out;
    }
    id_text(stored, ids);
    patch = cJSON_CreateObject();
    cJSON_AddStringToObject(patch, "status", "cancelled");
    rc = lp_table_update(r->store, &lp_tbl_declarations, &who, ids, 0, -1, "cancel", patch, &rec, &err);
    if (rc || (rc = list_tasks(r->store, lp_json_int(stored, "id", 0), &tasks, &err))) goto out;
    snprintf(why, sizeof why, "declaration cancelled: %s", who.reason);
    cJSON_ArrayForEach(t, tasks) {
        if (task_open(t) && (rc = close_task(r->store, &who, t, "cancelled", why, "cancel", &err))) goto out;
    }
    rc = lp_store_commit(r->store, &err);
    in_tx = 0;
    if (rc) goto out;
    reply_decl(r, 200, rec);
    rec = NULL;
out:
    if (in_tx) lp_store_rollback(r->store);
    if (rc) net__fail(r, &err, NULL);
    cJSON_Delete(stored);
    cJSON_Delete(rec);
    cJSON_Delete(patch);
    cJSON_Delete(tasks);
}

void lp_h_declarations_override(lp_req *r)
{
    lp_actor who = r->actor;
    cJSON *stored = NULL, *rec = NULL, *patch = NULL;
    lp_risk_channel to = channel_of(lp_json_str(r->body, "channel"));
    const char *cur;
    char ids[32];
    int64_t id;
    int rc, in_tx = 0;
    lp_err err;

    lp_err_init(&err);
    who.reason = lp_json_str(r->body, "reason");
    rc = lp_store_begin(r->store, &err);
    if (rc) goto out;
    in_tx = 1;
    rc = lp_table_get(r->store, &lp_tbl_declarations, r->params[0], 0, &stored, &err);
    if (rc || (rc = amendable(r, stored, "have its channel changed", &err))) goto out;
    cur = lp_json_str(stored, "channel");
    if (channel_of(cur) == to) {
        rc = lp_err_set(&err, LP_ECONFLICT, "declaration %s is already in the %s channel", r->params[0], cur);
        goto out;
    }
    id = lp_json_int(stored, "id", 0);
    id_text(stored, ids);
    patch = cJSON_CreateObject();
    cJSON_AddStringToObject(patch, "channel", channel_name(to));
    cJSON_AddStringToObject(patch, "channel_source", "override");
    rc = lp_table_update(r->store, &lp_tbl_declarations, &who, ids, 0, -1, "override", patch, &rec, &err);
    if (rc || (rc = adjust_customs(r->store, &who, id, lp_json_int(stored, "company_id", 0), to, "override", &err)) ||
        (rc = sync_crossing(r->store, &who, rec, &err)))
        goto out;
    cJSON_Delete(rec);
    rec = NULL;
    if ((rc = lp_clearance_refresh(r->store, &who, id, &rec, &err))) goto out;
    rc = lp_store_commit(r->store, &err);
    in_tx = 0;
    if (rc) goto out;
    reply_decl(r, 200, rec);
    rec = NULL;
out:
    if (in_tx) lp_store_rollback(r->store);
    if (rc) net__fail(r, &err, NULL);
    cJSON_Delete(stored);
    cJSON_Delete(rec);
    cJSON_Delete(patch);
}

/* Risk replay ------------------------------------------------------------------------------------- */

/* The stored decision and the same seed run again under today's rules:
 * the same channel means the decision is reproducible (or the rules that
 * decided it did not change); a different one says what changed since. */
void lp_h_declarations_risk(lp_req *r)
{
    parsed p;
    cJSON *rec = NULL, *replay = NULL, *o = NULL;
    const cJSON *stored_risk;
    lp_risk_channel ch = LP_RISK_RED;
    uint64_t seed;
    lp_err err, ignored;
    int rc;

    lp_err_init(&err);
    lp_err_init(&ignored);
    parsed_init(&p);
    rc = lp_table_get(r->store, &lp_tbl_declarations, r->params[0], 0, &rec, &err);
    if (rc || (rc = stored_seed(rec, &seed, &err))) goto out;
    /* What was stored passed every check; only the facts are wanted here. */
    parse_and_check(NULL, rec, 0, 0, 0, &p, &ignored);
    rc = run_risk(r->store, p.d, lp_json_int(rec, "company_id", 0), seed, &ch, &replay, &err);
    if (rc) goto out;
    cJSON_AddStringToObject(replay, "run", "replay");
    stored_risk = cJSON_GetObjectItemCaseSensitive(rec, "risk");
    o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "declaration_id", (double)lp_json_int(rec, "id", 0));
    cJSON_AddStringToObject(o, "channel", lp_json_str(rec, "channel") ? lp_json_str(rec, "channel") : "?");
    cJSON_AddStringToObject(o, "channel_source", lp_json_str(rec, "channel_source") ? lp_json_str(rec, "channel_source") : "?");
    cJSON_AddStringToObject(o, "risk_seed", lp_json_str(rec, "risk_seed"));
    cJSON_AddNumberToObject(o, "risk_algo", (double)lp_json_int(rec, "risk_algo", 0));
    cJSON_AddNumberToObject(o, "risk_algo_now", LP_RISK_ALGO_VERSION);
    cJSON_AddItemToObject(o, "stored", stored_risk ? cJSON_Duplicate(stored_risk, 1) : cJSON_CreateNull());
    cJSON_AddBoolToObject(o, "same_channel", lp_json_str(stored_risk, "channel") &&
                                                 strcmp(lp_json_str(stored_risk, "channel"), channel_name(ch)) == 0);
    cJSON_AddItemToObject(o, "replay", replay);
    replay = NULL;
    lp_reply_json(r, 200, o);
out:
    if (rc) net__fail(r, &err, NULL);
    parsed_deinit(&p);
    cJSON_Delete(rec);
    cJSON_Delete(replay);
}
