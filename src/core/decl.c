/* decl.c - checks of a customs declaration that need no database (see
 * decl.h).
 *
 * lp_decl_check walks the declaration once, in the order of the struct, and
 * adds one field error per problem instead of stopping at the first: a
 * company that declares eight containers should learn about all the wrong
 * check digits in one reply.  Identifier formats come from cargo.h and
 * ident.h; this file adds the rules between fields. */
#include "decl.h"
#include "reason.h"
#include "ident.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Collecting problems ------------------------------------------------------------ */

typedef struct {
    lp_err *err; /* may be NULL */
    int n;       /* problems found, including any beyond the err's capacity */
} checker;

static void problem(checker *c, const char *pointer, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void problem(checker *c, const char *pointer, const char *fmt, ...)
{
    char msg[sizeof c->err->fields[0].msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    c->n++;
    if (c->err) lp_err_field_add(c->err, pointer, "%s", msg);
}

/* A fixed-size member must hold its NUL; a struct filled by hand might not,
 * and reading on would run into the next member. */
static int terminated(checker *c, const char *pointer, const char *s, size_t cap)
{
    if (memchr(s, '\0', cap)) return 1;
    problem(c, pointer, "is longer than %zu bytes", cap - 1);
    return 0;
}

/* terminated(), and not empty: a required string member. */
static int present(checker *c, const char *pointer, const char *s, size_t cap)
{
    if (!terminated(c, pointer, s, cap)) return 0;
    if (s[0]) return 1;
    problem(c, pointer, "is required");
    return 0;
}

/* Equality as the gate sees it (gatecheck.c): ASCII letters and digits
 * count, case and punctuation do not.  Both strings are canonical here. */
static int same_at_gate(const char *a, const char *b)
{
    for (;;) {
        while (*a == '-') a++;
        while (*b == '-') b++;
        if (*a != *b) return 0;
        if (!*a) return 1;
        a++;
        b++;
    }
}

/* Amounts for messages: minor units with the currency's exponent
 * ("1499.99"), or bare minor units when the exponent is unknown (-1). */
static void format_units(char *buf, size_t cap, int64_t v, int exponent)
{
    char frac[8];
    int i;
    if (exponent <= 0 || exponent > 4 || v < 0) {
        snprintf(buf, cap, "%lld", (long long)v);
        return;
    }
    for (i = exponent - 1; i >= 0; i--, v /= 10) frac[i] = (char)('0' + v % 10);
    frac[exponent] = '\0';
    snprintf(buf, cap, "%lld.%s", (long long)v, frac);
}

/* Declaration number ---------------------------------------------------------------- */

int lp_decl_number(const char *s, lp_direction dir, char *out, size_t outlen, char *why,
                   size_t whylen)
{
    char d[LP_DECL_NUMBER_SIZE];
    size_t n = 0, i;
    int year;
    if (out && outlen > 0) out[0] = '\0';
    if (why && whylen > 0) why[0] = '\0';
    if (!s) return lp_reason_fail(why, whylen, "declaration number is missing");
    for (i = 0; s[i]; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == ' ' || ch == '-' || ch == '.') continue;
        if (ch < '0' || ch > '9') {
            if (ch < 0x21 || ch > 0x7e)
                return lp_reason_fail(why, whylen, "must be digits: character %zu is not", i + 1);
            return lp_reason_fail(why, whylen, "must be digits: '%c' at position %zu is not", ch, i + 1);
        }
        if (n + 1 < sizeof d) d[n] = (char)ch;
        n++;
    }
    d[n < sizeof d ? n : sizeof d - 1] = '\0';
    if (n != 12 && n != 18)
        return lp_reason_fail(why, whylen, "must be 12 digits (Vietnamese customs) or 18 digits (Chinese "
                    "customs), got %zu", n);
    if (strspn(d, "0") == n) return lp_reason_fail(why, whylen, "all zeros is never issued");
    if (n == 18) {
        year = (d[4] - '0') * 1000 + (d[5] - '0') * 100 + (d[6] - '0') * 10 + (d[7] - '0');
        if (year < 2000 || year > 2099)
            return lp_reason_fail(why, whylen, "year %04d in digits 5-8 is not 2000-2099", year);
        if (d[8] != '0' && d[8] != '1')
            return lp_reason_fail(why, whylen, "digit 9 is %c; it must be 1 (import into China) or 0 "
                        "(export from China)", d[8]);
        if ((dir == LP_DECL_EXPORT && d[8] != '1') || (dir == LP_DECL_IMPORT && d[8] != '0'))
            return lp_reason_fail(why, whylen, "is a Chinese %s declaration (digit 9 is %c), but the goods "
                        "go %s", d[8] == '1' ? "import" : "export", d[8],
                        dir == LP_DECL_EXPORT ? "from Vietnam to China" : "from China to Vietnam");
    }
    if (!out && outlen == 0) return LP_OK;
    if (!out || n + 1 > outlen)
        return lp_reason_fail(why, whylen, "output buffer holds %zu bytes, %zu needed", outlen, n + 1);
    memcpy(out, d, n + 1);
    return LP_OK;
}

/* Header ------------------------------------------------------------------------ */

/* A plate is valid if either country's rules accept it; the reason given
 * is the one of the country its script suggests. */
static int plate(const char *s, char *canon, size_t cap, char *why, size_t whylen)
{
    const unsigned char *p;
    int ascii = 1;
    if (lp_ident_plate("VN", s, canon, cap, NULL, 0) == LP_OK) return LP_OK;
    if (lp_ident_plate("CN", s, canon, cap, NULL, 0) == LP_OK) return LP_OK;
    for (p = (const unsigned char *)s; *p; p++)
        if (*p >= 0x80) ascii = 0;
    lp_ident_plate(ascii ? "VN" : "CN", s, NULL, 0, why, whylen);
    return LP_EINVAL;
}

static void check_point(checker *c, const lp_decl *d)
{
    size_t n, i;
    if (!present(c, "/crossing_point", d->crossing_point, sizeof d->crossing_point)) return;
    n = strlen(d->crossing_point);
    for (i = 0; i < n; i++) {
        char ch = d->crossing_point[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-')) break;
    }
    if (n < 2 || i < n)
        problem(c, "/crossing_point", "must be a crossing point id: 2-40 lower-case letters, "
                "digits and '-', e.g. \"road-1088\"");
    else if (d->transport == LP_DECL_AGV && strcmp(d->crossing_point, LP_DECL_AGV_POINT) != 0)
        problem(c, "/crossing_point", "AGVs run only on %s, not %s", LP_DECL_AGV_POINT,
                d->crossing_point);
}

static void check_vehicle(checker *c, const lp_decl *d)
{
    char why[160], canon[LP_DECL_PLATE_SIZE], tcanon[LP_DECL_PLATE_SIZE];
    int vp = terminated(c, "/vehicle_plate", d->vehicle_plate, sizeof d->vehicle_plate);
    int tp = terminated(c, "/trailer_plate", d->trailer_plate, sizeof d->trailer_plate);
    if (d->transport == LP_DECL_AGV) {
        if (vp && d->vehicle_plate[0])
            problem(c, "/vehicle_plate", "must be empty for an AGV (the fleet manager assigns it)");
        if (tp && d->trailer_plate[0]) problem(c, "/trailer_plate", "must be empty for an AGV");
        if (d->vehicle_id != 0)
            problem(c, "/vehicle_id", "must be empty for an AGV (the fleet manager assigns it)");
        if (d->driver_id != 0) problem(c, "/driver_id", "an AGV has no driver");
        return;
    }
    if (d->transport != LP_DECL_TRUCK) return;
    canon[0] = tcanon[0] = '\0';
    if (vp && !d->vehicle_plate[0]) problem(c, "/vehicle_plate", "is required for a truck");
    else if (vp && plate(d->vehicle_plate, canon, sizeof canon, why, sizeof why) != LP_OK)
        problem(c, "/vehicle_plate", "%s", why);
    if (tp && d->trailer_plate[0]) {
        if (plate(d->trailer_plate, tcanon, sizeof tcanon, why, sizeof why) != LP_OK)
            problem(c, "/trailer_plate", "%s", why);
        else if (canon[0] && strcmp(canon, tcanon) == 0)
            problem(c, "/trailer_plate", "is the vehicle's own plate %s", canon);
    }
    if (d->vehicle_id < 1) problem(c, "/vehicle_id", "is required for a truck");
    if (d->driver_id < 1) problem(c, "/driver_id", "is required for a truck");
}

static void check_arrival(checker *c, const lp_decl *d, int64_t now_ms)
{
    int64_t t = d->expected_arrival_ms;
    if (t == 0) {
        problem(c, "/expected_arrival", "is required");
        return;
    }
    if (t < 0) { /* also keeps now_ms - t below from overflowing */
        problem(c, "/expected_arrival", "must be milliseconds since 1970-01-01");
        return;
    }
    if (now_ms == 0) return;
    if (t < now_ms - LP_DECL_ARRIVAL_PAST_MS) {
        int64_t min = (now_ms - t) / 60000;
        problem(c, "/expected_arrival", "is %lld h %02lld min in the past; at most %lld h is "
                "allowed", (long long)(min / 60), (long long)(min % 60),
                (long long)(LP_DECL_ARRIVAL_PAST_MS / 3600000));
    } else if (t > now_ms + LP_DECL_ARRIVAL_AHEAD_MS) {
        problem(c, "/expected_arrival", "is %lld days ahead; at most %lld days is allowed",
                (long long)((t - now_ms) / 86400000), (long long)(LP_DECL_ARRIVAL_AHEAD_MS / 86400000));
    }
}

/* Containers and seals --------------------------------------------------------------- */

static void check_containers(checker *c, const lp_decl *d)
{
    char canon[LP_DECL_MAX_CONTAINERS][LP_CARGO_CONTAINER_SIZE];
    char seal[LP_DECL_MAX_CONTAINERS * LP_DECL_MAX_SEALS][LP_CARGO_SEAL_SIZE];
    int at[LP_DECL_MAX_CONTAINERS * LP_DECL_MAX_SEALS][2]; /* container, seal index */
    char ptr[64], why[160];
    int n = d->ncontainers, nseal = 0, i, j, k;
    if (n < 0 || n > LP_DECL_MAX_CONTAINERS) {
        problem(c, "/containers", "has %d entries; at most %d", n, LP_DECL_MAX_CONTAINERS);
        n = n < 0 ? 0 : LP_DECL_MAX_CONTAINERS;
    }
    if (n == 0 && d->transport == LP_DECL_AGV)
        problem(c, "/containers", "an AGV carries containers: declare at least one");
    for (i = 0; i < n; i++) {
        const lp_decl_container *ct = &d->containers[i];
        int ns = ct->nseals;
        snprintf(ptr, sizeof ptr, "/containers/%d/number", i);
        canon[i][0] = '\0';
        if (terminated(c, ptr, ct->number, sizeof ct->number)) {
            if (lp_cargo_container(ct->number, canon[i], sizeof canon[i], why, sizeof why) != LP_OK)
                problem(c, ptr, "%s", why);
            for (j = 0; canon[i][0] && j < i; j++)
                if (strcmp(canon[i], canon[j]) == 0) {
                    problem(c, ptr, "container %s is also /containers/%d", canon[i], j);
                    break;
                }
        }
        if (ns < 0 || ns > LP_DECL_MAX_SEALS) {
            snprintf(ptr, sizeof ptr, "/containers/%d/seals", i);
            problem(c, ptr, "has %d entries; at most %d", ns, LP_DECL_MAX_SEALS);
            ns = ns < 0 ? 0 : LP_DECL_MAX_SEALS;
        }
        for (k = 0; k < ns; k++) {
            snprintf(ptr, sizeof ptr, "/containers/%d/seals/%d", i, k);
            if (!terminated(c, ptr, ct->seals[k], sizeof ct->seals[k])) continue;
            if (lp_cargo_seal(ct->seals[k], seal[nseal], sizeof seal[nseal], why, sizeof why) != LP_OK) {
                problem(c, ptr, "%s", why);
                continue;
            }
            for (j = 0; j < nseal; j++)
                if (same_at_gate(seal[nseal], seal[j])) break;
            if (j < nseal) {
                problem(c, ptr, "seal %s is also /containers/%d/seals/%d", seal[nseal], at[j][0],
                        at[j][1]);
                continue;
            }
            at[nseal][0] = i;
            at[nseal][1] = k;
            nseal++;
        }
    }
}

/* Goods lines and totals -------------------------------------------------------------- */

/* 1 when s is valid UTF-8 without control codes and not only spaces. */
static int printable_text(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    int seen = 0;
    while (*p) {
        unsigned long v;
        int len, i;
        if (*p < 0x80) len = 1, v = *p;
        else if ((*p & 0xE0) == 0xC0) len = 2, v = *p & 0x1F;
        else if ((*p & 0xF0) == 0xE0) len = 3, v = *p & 0x0F;
        else if ((*p & 0xF8) == 0xF0) len = 4, v = *p & 0x07;
        else return 0;
        for (i = 1; i < len; i++) {
            if ((p[i] & 0xC0) != 0x80) return 0;
            v = v << 6 | (p[i] & 0x3F);
        }
        if ((len == 2 && v < 0x80) || (len == 3 && v < 0x800) || (len == 4 && v < 0x10000) ||
            v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) || v < 0x20 || v == 0x7F ||
            (v >= 0x80 && v < 0xA0))
            return 0;
        if (v != ' ') seen = 1;
        p += len;
    }
    return seen;
}

/* Sums of the lines' quantities; a sum is known (ok_*) only when every
 * line's own value is in range, so that no overflow or double report can
 * come from a line that is already reported wrong. */
typedef struct {
    int64_t packages, gross_g, value_minor;
    int ok_packages, ok_gross, ok_value;
} sums;

static void check_line(checker *c, const lp_decl *d, int i, const char *hs_country, sums *s)
{
    const lp_decl_line *ln = &d->goods[i];
    char ptr[64], why[160], hs[LP_CARGO_HS_SIZE];
    int ch;
    snprintf(ptr, sizeof ptr, "/goods/%d/hs_code", i);
    if (terminated(c, ptr, ln->hs, sizeof ln->hs)) {
        if (lp_cargo_hs(hs_country, ln->hs, hs, sizeof hs, &ch, why, sizeof why) != LP_OK)
            problem(c, ptr, "%s", why);
        else if (ln->chapter != ch)
            problem(c, ptr, "is in chapter %02d, but the line says chapter %d", ch, ln->chapter);
    }
    snprintf(ptr, sizeof ptr, "/goods/%d/description", i);
    if (terminated(c, ptr, ln->description, sizeof ln->description) &&
        !printable_text(ln->description))
        problem(c, ptr, "must be text (UTF-8 without control codes), not empty");
    snprintf(ptr, sizeof ptr, "/goods/%d/packages", i);
    if (ln->packages < 1 || ln->packages > LP_DECL_PACKAGES_MAX) {
        problem(c, ptr, "must be 1 to %lld, got %lld", (long long)LP_DECL_PACKAGES_MAX,
                (long long)ln->packages);
        s->ok_packages = 0;
    }
    snprintf(ptr, sizeof ptr, "/goods/%d/gross_weight_kg", i);
    if (ln->gross_g < 1 || ln->gross_g > LP_CARGO_GRAMS_MAX) {
        problem(c, ptr, "must be 0.001 to %lld kg", (long long)(LP_CARGO_GRAMS_MAX / 1000));
        s->ok_gross = 0;
    }
    /* Goods sent free of charge still have a customs value to declare. */
    snprintf(ptr, sizeof ptr, "/goods/%d/value", i);
    if (ln->value_minor < 1 || ln->value_minor > LP_CARGO_MINOR_MAX) {
        problem(c, ptr, "must be positive and at most %lld minor units",
                (long long)LP_CARGO_MINOR_MAX);
        s->ok_value = 0;
    }
    snprintf(ptr, sizeof ptr, "/goods/%d/origin", i);
    if (terminated(c, ptr, ln->origin, sizeof ln->origin) &&
        lp_ident_country(ln->origin, why, sizeof why) != LP_OK)
        problem(c, ptr, "%s", why);
    s->packages += s->ok_packages ? ln->packages : 0;
    s->gross_g += s->ok_gross ? ln->gross_g : 0;
    s->value_minor += s->ok_value ? ln->value_minor : 0;
}

static void check_goods(checker *c, const lp_decl *d, const char *hs_country, int exponent)
{
    sums s = {0, 0, 0, 1, 1, 1};
    char a[40], b[40];
    int n = d->ngoods, i;
    if (n < 1) {
        problem(c, "/goods", "must have at least one line");
        return;
    }
    if (n > LP_DECL_MAX_LINES) {
        problem(c, "/goods", "has %d lines; at most %d", n, LP_DECL_MAX_LINES);
        n = LP_DECL_MAX_LINES;
        s.ok_packages = s.ok_gross = s.ok_value = 0;
    }
    for (i = 0; i < n; i++) check_line(c, d, i, hs_country, &s);
    if (s.ok_packages && d->total_packages != s.packages)
        problem(c, "/totals/packages", "total %lld is not the sum of the lines, %lld",
                (long long)d->total_packages, (long long)s.packages);
    if (s.ok_gross && d->total_gross_g != s.gross_g) {
        format_units(a, sizeof a, d->total_gross_g, 3);
        format_units(b, sizeof b, s.gross_g, 3);
        problem(c, "/totals/gross_weight_kg", "total %s kg is not the sum of the lines, %s kg", a, b);
    }
    if (s.ok_value && d->total_value_minor != s.value_minor) {
        format_units(a, sizeof a, d->total_value_minor, exponent);
        format_units(b, sizeof b, s.value_minor, exponent);
        problem(c, "/totals/value", "total %s %s is not the sum of the lines, %s %s", a,
                exponent < 0 ? "(minor units)" : d->currency, b,
                exponent < 0 ? "(minor units)" : d->currency);
    }
}

/* The whole declaration ------------------------------------------------------------------ */

void lp_decl_init(lp_decl *d)
{
    if (d) memset(d, 0, sizeof *d);
}

int lp_decl_check(const lp_decl *d, const char *hs_country, int64_t now_ms, lp_err *err)
{
    checker c = {err, 0};
    char why[160];
    int exponent = -1, had = err && err->code != LP_OK;
    if (!d) return lp_err_set(err, LP_EINVAL, "no declaration given");
    if (!hs_country || (strcmp(hs_country, "VN") != 0 && strcmp(hs_country, "CN") != 0))
        return lp_err_set(err, LP_EINVAL, "no HS code rule for country '%.8s' (known: VN, CN)",
                          hs_country ? hs_country : "");

    if (present(&c, "/number", d->number, sizeof d->number) &&
        lp_decl_number(d->number, d->direction == LP_DECL_EXPORT || d->direction == LP_DECL_IMPORT
                                      ? d->direction : (lp_direction)0,
                       NULL, 0, why, sizeof why) != LP_OK)
        problem(&c, "/number", "%s", why);
    if (d->direction != LP_DECL_EXPORT && d->direction != LP_DECL_IMPORT)
        problem(&c, "/direction", "must be export (Vietnam to China) or import (China to Vietnam)");
    check_point(&c, d);
    if (d->transport != LP_DECL_TRUCK && d->transport != LP_DECL_AGV)
        problem(&c, "/transport", "must be truck or agv");
    check_vehicle(&c, d);
    check_arrival(&c, d, now_ms);
    if (present(&c, "/currency", d->currency, sizeof d->currency) &&
        lp_cargo_currency(d->currency, NULL, 0, &exponent, why, sizeof why) != LP_OK)
        problem(&c, "/currency", "%s", why);
    check_containers(&c, d);
    check_goods(&c, d, hs_country, exponent);

    if (c.n == 0) return LP_OK;
    if (err && !had)
        snprintf(err->msg, sizeof err->msg, "the declaration has %d problem%s", c.n,
                 c.n == 1 ? "" : "s");
    return LP_EINVAL;
}

int lp_decl_needs_quarantine(const lp_decl *d)
{
    int i, n;
    if (!d) return 0;
    n = d->ngoods < LP_DECL_MAX_LINES ? d->ngoods : LP_DECL_MAX_LINES;
    for (i = 0; i < n; i++) {
        const char *hs = d->goods[i].hs;
        if (lp_cargo_hs_needs_quarantine(d->goods[i].chapter)) return 1;
        if (hs[0] >= '0' && hs[0] <= '9' && hs[1] >= '0' && hs[1] <= '9' &&
            lp_cargo_hs_needs_quarantine((hs[0] - '0') * 10 + (hs[1] - '0')))
            return 1;
    }
    return 0;
}
