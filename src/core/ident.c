/* ident.c - validation and normalisation of border identifiers (see ident.h).
 *
 * Every check is a pure function over a C string: it compacts the input
 * (drops separators, upper-cases ASCII), checks structure and check
 * characters, and writes either the canonical form or a reason.  Used by
 * the HTTP resource handlers (src/net/h_*.c). */
#include "ident.h"
#include "reason.h"
#include "err.h"

#include <stdio.h>
#include <string.h>

/* Compacting --------------------------------------------------------------- */

static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_upper(char c) { return c >= 'A' && c <= 'Z'; }

/* Copies s into buf[cap] without the ASCII separators in seps, upper-casing
 * letters.  gap[i] (if gap is not NULL) tells whether a separator stood
 * before buf[i].  Returns the number of characters kept, which can exceed
 * cap - 1: the caller reports the real length, buf holds the first ones. */
static size_t compact(const char *s, const char *seps, char *buf, unsigned char *gap,
                      size_t cap)
{
    size_t n = 0;
    int sep = 0;
    for (; *s; s++) {
        if (strchr(seps, *s)) {
            sep = 1;
            continue;
        }
        if (n + 1 < cap) {
            buf[n] = (*s >= 'a' && *s <= 'z') ? (char)(*s - 'a' + 'A') : *s;
            if (gap) gap[n] = (unsigned char)sep;
        }
        n++;
        sep = 0;
    }
    buf[n < cap ? n : cap - 1] = '\0';
    return n;
}

/* Index of the first byte of buf[0..n) that is not a digit, or n. */
static size_t first_nondigit(const char *buf, size_t n)
{
    size_t i = 0;
    while (i < n && is_digit(buf[i])) i++;
    return i;
}

static int num(const char *p, size_t n)
{
    int v = 0;
    while (n--) v = v * 10 + (*p++ - '0');
    return v;
}

/* Calendar ----------------------------------------------------------------- */

static int is_leap(long y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(long y, int m)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/* Checks a year, month and day; says which part is wrong. */
static int check_ymd(long y, int m, int d, char *why, size_t whylen)
{
    if (m < 1 || m > 12) return lp_reason_fail(why, whylen, "month %02d does not exist", m);
    if (d < 1 || d > days_in_month(y, m)) {
        if (m == 2 && d == 29)
            return lp_reason_fail(why, whylen, "%04ld-02-29 does not exist: %04ld is not a leap year", y, y);
        return lp_reason_fail(why, whylen, "day %02d does not exist in %04ld-%02d", d, y, m);
    }
    return LP_OK;
}

/* Days from 1970-01-01, proleptic Gregorian.  Counting from March makes the
 * leap day the last day of a 400-year era (H. Hinnant, days_from_civil). */
static long days_from_civil(long y, int m, int d)
{
    long era, yoe, doy, doe;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153L * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Tax ids -------------------------------------------------------------------- */

/* MST check digit over the first 9 digits, as python-stdnum (vn.mst) and
 * vn-ident compute it; the latter reproduces the worked example of the tax
 * registration circular (010004751 -> 6).  A result of 10 fits no digit,
 * so no valid code has such a prefix. */
static int mst_check(const char *d)
{
    static const int w[9] = {31, 29, 23, 19, 17, 13, 7, 5, 3};
    int i, sum = 0;
    for (i = 0; i < 9; i++) sum += w[i] * (d[i] - '0');
    return 10 - sum % 11;
}

int lp_ident_vn_taxid(const char *s, char *out, size_t outlen, char *why, size_t whylen)
{
    char d[16], canon[16];
    size_t n, bad;
    int check;
    lp_reason_reset(out, outlen, why, whylen);
    if (!s) return lp_reason_fail(why, whylen, "tax code is missing");
    n = compact(s, " -.", d, NULL, sizeof d);
    bad = first_nondigit(d, n < sizeof d ? n : sizeof d - 1);
    if (bad < n && bad < sizeof d - 1) return lp_reason_bad_at(d[bad], bad, "a digit", why, whylen);
    if (n != 10 && n != 13) return lp_reason_fail(why, whylen, "must be 10 or 13 digits, got %zu", n);
    if (memcmp(d + 2, "0000000", 7) == 0)
        return lp_reason_fail(why, whylen, "sequence number 0000000 (digits 3-9) is never issued");
    check = mst_check(d);
    if (check == 10)
        return lp_reason_fail(why, whylen, "no check digit fits digits 1-9 (%.9s), so it is never issued", d);
    if (d[9] - '0' != check)
        return lp_reason_fail(why, whylen, "check digit is %c, expected %d", d[9], check);
    if (n == 13 && memcmp(d + 10, "000", 3) == 0)
        return lp_reason_fail(why, whylen, "branch number 000 is not valid (001..999)");
    snprintf(canon, sizeof canon, "%.10s%s%.3s", d, n == 13 ? "-" : "", d + 10);
    return lp_reason_emit(canon, out, outlen, why, whylen);
}

/* GB 32100-2015: the alphabet leaves out I, O, S, V and Z; a character's
 * value is its index here. */
static const char uscc_alpha[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

int lp_ident_cn_uscc(const char *s, char *out, size_t outlen, char *why, size_t whylen)
{
    char c[24];
    const char *p;
    size_t n, i;
    int sum = 0, w = 1, check;
    lp_reason_reset(out, outlen, why, whylen);
    if (!s) return lp_reason_fail(why, whylen, "credit code is missing");
    n = compact(s, " -", c, NULL, sizeof c);
    if (n != 18) return lp_reason_fail(why, whylen, "must be 18 characters, got %zu", n);
    for (i = 0; i < 18; i++) {
        if (!is_digit(c[i]) && !is_upper(c[i]))
            return lp_reason_bad_at(c[i], i, "a letter or digit", why, whylen);
        if (!strchr(uscc_alpha, c[i]))
            return lp_reason_fail(why, whylen, "letter '%c' at position %zu is not used in credit codes",
                        c[i], i + 1);
    }
    /* Positions 3-8 are the registering office's GB/T 2260 region code. */
    for (i = 2; i < 8; i++)
        if (!is_digit(c[i]))
            return lp_reason_fail(why, whylen, "position %zu is in the region code (3-8) and must be a digit",
                        i + 1);
    for (i = 0; i < 17; i++) {
        sum += (int)(strchr(uscc_alpha, c[i]) - uscc_alpha) * w;
        w = w * 3 % 31;
    }
    check = (31 - sum % 31) % 31;
    p = strchr(uscc_alpha, c[17]);
    if (p - uscc_alpha != check)
        return lp_reason_fail(why, whylen, "check character is '%c', expected '%c'", c[17],
                    uscc_alpha[check]);
    return lp_reason_emit(c, out, outlen, why, whylen);
}

int lp_ident_taxid(const char *country, const char *s, char *out, size_t outlen,
                   char *why, size_t whylen)
{
    lp_reason_reset(out, outlen, why, whylen);
    if (country && strcmp(country, "VN") == 0)
        return lp_ident_vn_taxid(s, out, outlen, why, whylen);
    if (country && strcmp(country, "CN") == 0)
        return lp_ident_cn_uscc(s, out, outlen, why, whylen);
    return lp_reason_fail(why, whylen, "no tax id rule for country '%.8s' (known: VN, CN)",
                country ? country : "");
}

/* Vietnamese plates ----------------------------------------------------------- */

/* Province codes 11..99 that belong to no locality: 13 (no longer issued)
 * and 42, 44-46, 87, 91, 96.  The legal table is the appendix of the
 * vehicle registration circular (58/2020/TT-BCA, now 24/2023/TT-BCA); this
 * list comes from two public copies of it that agree (github.com
 * poohoh/regex_license_plate, xpewster/Peturland).  80 is central agencies. */
static const unsigned char vn_unassigned[] = {13, 42, 44, 45, 46, 87, 91, 96};

static int vn_province_ok(int code)
{
    size_t i;
    if (code < 11) return 0;
    for (i = 0; i < sizeof vn_unassigned; i++)
        if (vn_unassigned[i] == code) return 0;
    return 1;
}

/* Series letters: the 20 letters A-H, K-N, P, S-V, X-Z of the registration
 * circular, plus R for trailers.  I, J, O and Q appear only on pre-2010
 * plates, which have 4-digit numbers (as in the BienSoXe library by
 * sunshine-tech); W is never used. */
static int vn_letter_ok(char c, size_t ndigits)
{
    if (strchr("ABCDEFGHKLMNPRSTUVXYZ", c)) return 1;
    return strchr("IJOQ", c) && ndigits == 4;
}

/* Finds where the series letters end (*lt) and where the number starts
 * (*nb) in c[0..n) after the 2-digit province code. */
static int vn_plate_split(const char *c, const unsigned char *gap, size_t n, size_t *lt,
                          size_t *nb, char *why, size_t whylen)
{
    size_t i, nd, bad;
    for (i = 2; i < n && is_upper(c[i]); i++) {}
    if (i == 2) return lp_reason_fail(why, whylen, "a series letter must follow the province code");
    if (i > 4) return lp_reason_fail(why, whylen, "series has %zu letters, at most 2 are used", i - 2);
    nd = n - i;
    bad = i + first_nondigit(c + i, nd);
    if (bad < n)
        return lp_reason_bad_at(c[bad], bad, "allowed", why, whylen);
    /* A digit belongs to the series ("29C1") when a full number follows it;
     * with 5 digits only a break after it says so: "29C12345" is 29C-123.45. */
    *lt = i;
    *nb = i + (nd == 6 || (nd == 5 && !gap[i] && gap[i + 1]));
    if (n - *nb != 4 && n - *nb != 5)
        return lp_reason_fail(why, whylen, "number after the series must be 4 or 5 digits, got %zu",
                    n - *nb);
    return LP_OK;
}

int lp_ident_vn_plate(const char *s, char *out, size_t outlen, char *why, size_t whylen)
{
    char c[24], canon[24];
    unsigned char gap[24];
    size_t n, i, lt = 0, nb = 0, nd;
    int rc;
    lp_reason_reset(out, outlen, why, whylen);
    if (!s) return lp_reason_fail(why, whylen, "plate is missing");
    n = compact(s, " -.", c, gap, sizeof c);
    if (n < 7) return lp_reason_fail(why, whylen, "too short for a plate: %zu letters and digits", n);
    if (n >= sizeof c) return lp_reason_fail(why, whylen, "too long for a plate: %zu characters", n);
    if (!is_digit(c[0]) || !is_digit(c[1]))
        return lp_reason_fail(why, whylen, "must start with a 2-digit province code");
    if (!vn_province_ok(num(c, 2)))
        return lp_reason_fail(why, whylen, "province code %.2s is not assigned", c);
    if ((rc = vn_plate_split(c, gap, n, &lt, &nb, why, whylen)) != LP_OK) return rc;
    nd = n - nb;
    for (i = 2; i < lt; i++)
        if (!vn_letter_ok(c[i], nd))
            return lp_reason_fail(why, whylen, "letter '%c' is not used in %s", c[i],
                        strchr("IJOQ", c[i]) ? "plates with 5-digit numbers" : "plate series");
    if (strspn(c + nb, "0") == nd)
        return lp_reason_fail(why, whylen, "number %.*s is never issued", (int)nd, c + nb);
    if (nd == 5)
        snprintf(canon, sizeof canon, "%.*s-%.3s.%.2s", (int)nb, c, c + nb, c + nb + 3);
    else
        snprintf(canon, sizeof canon, "%.*s-%.4s", (int)nb, c, c + nb);
    return lp_reason_emit(canon, out, outlen, why, whylen);
}

/* Chinese plates --------------------------------------------------------------- */

/* The 31 provincial abbreviations of GA 36-2018. */
static const char cn_provinces[] =
    "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";

#define CN_GUA 0x6302UL /* 挂, trailer */
#define CN_MAX 12       /* characters kept; a plate has at most 8 */

/* One decoded character and where its bytes are in the input. */
typedef struct {
    unsigned long cp;
    const char *at;
    int len;
} cn_char;

/* Decodes one UTF-8 character at *p and advances; 0 on a malformed,
 * overlong or surrogate sequence. */
static int utf8_next(const char **p, unsigned long *cp)
{
    const unsigned char *s = (const unsigned char *)*p;
    unsigned long v;
    int len, i;
    if (s[0] < 0x80) { v = s[0]; len = 1; }
    else if ((s[0] & 0xE0) == 0xC0) { v = s[0] & 0x1F; len = 2; }
    else if ((s[0] & 0xF0) == 0xE0) { v = s[0] & 0x0F; len = 3; }
    else if ((s[0] & 0xF8) == 0xF0) { v = s[0] & 0x07; len = 4; }
    else return 0;
    for (i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        v = v << 6 | (s[i] & 0x3F);
    }
    if ((len == 2 && v < 0x80) || (len == 3 && v < 0x800) || (len == 4 && v < 0x10000) ||
        v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    *p += len;
    return 1;
}

static int cn_is_province(unsigned long cp)
{
    const char *p = cn_provinces;
    unsigned long v;
    while (*p && utf8_next(&p, &v))
        if (v == cp) return 1;
    return 0;
}

/* Separators people write inside plates: space, '-', '·' (U+00B7), '•'
 * (U+2022) and the ideographic space U+3000. */
static int cn_is_sep(unsigned long cp)
{
    return cp == ' ' || cp == '-' || cp == 0xB7 || cp == 0x2022 || cp == 0x3000;
}

/* Plate letters and digits: I and O are never used (they read as 1 and 0). */
static int cn_alnum(unsigned long cp)
{
    return (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z' && cp != 'I' && cp != 'O');
}

static int cn_digit(unsigned long cp) { return cp >= '0' && cp <= '9'; }
static int cn_df(unsigned long cp) { return cp == 'D' || cp == 'F'; }

/* Decodes s into ch[] without separators, upper-casing ASCII; sets *n to
 * the real count (which may exceed CN_MAX).  Fails only on bad UTF-8. */
static int cn_decode(const char *s, cn_char *ch, size_t *n, char *why, size_t whylen)
{
    const char *at;
    unsigned long v;
    *n = 0;
    while (*s) {
        at = s;
        if (!utf8_next(&s, &v)) return lp_reason_fail(why, whylen, "not valid UTF-8");
        if (cn_is_sep(v)) continue;
        if (v >= 'a' && v <= 'z') v -= 'a' - 'A';
        if (*n < CN_MAX) ch[*n] = (cn_char){v, at, (int)(s - at)};
        (*n)++;
    }
    return LP_OK;
}

/* Explains why c cannot stand where a plate letter or digit should. */
static int cn_bad_char(const cn_char *c, char *why, size_t whylen)
{
    if (c->cp == CN_GUA)
        return lp_reason_fail(why, whylen, "挂 (trailer) may only come last, after 4 characters");
    if (c->cp == 'I' || c->cp == 'O')
        return lp_reason_fail(why, whylen, "letter '%c' is never used on plates (it reads as %c)",
                    (char)c->cp, c->cp == 'I' ? '1' : '0');
    if (c->cp < 0x20 || c->cp == 0x7f) return lp_reason_fail(why, whylen, "a control code is not allowed");
    return lp_reason_fail(why, whylen, "character '%.*s' is not allowed%s", c->len, c->at,
                c->cp >= 0x80 ? "; only 挂 (trailer) may end a plate" : "");
}

/* Checks the number after province and office letter: ch[0..n). */
static int cn_number(const cn_char *ch, size_t n, char *why, size_t whylen)
{
    size_t i, plain = n;
    if (n > 0 && ch[n - 1].cp == CN_GUA) {
        if (n != 5)
            return lp_reason_fail(why, whylen, "a trailer plate has 4 characters before 挂, got %zu", n - 1);
        plain = 4;
    }
    for (i = 0; i < plain; i++)
        if (!cn_alnum(ch[i].cp)) return cn_bad_char(&ch[i], why, whylen);
    if (n == 5) return LP_OK;
    if (n != 6)
        return lp_reason_fail(why, whylen, "number must be 5 characters (6 for new-energy), got %zu", n);
    /* Small new-energy: D or F, any, 4 digits.  Large: 5 digits, D or F. */
    if (cn_df(ch[0].cp)) {
        for (i = 2; i < 6; i++)
            if (!cn_digit(ch[i].cp))
                return lp_reason_fail(why, whylen, "new-energy plate D/F...: last 4 must be digits");
        return LP_OK;
    }
    if (cn_df(ch[5].cp)) {
        for (i = 0; i < 5; i++)
            if (!cn_digit(ch[i].cp))
                return lp_reason_fail(why, whylen, "new-energy plate ...D/F: first 5 must be digits");
        return LP_OK;
    }
    return lp_reason_fail(why, whylen, "a 6-character number (new-energy) must start or end with D or F");
}

int lp_ident_cn_plate(const char *s, char *out, size_t outlen, char *why, size_t whylen)
{
    cn_char ch[CN_MAX];
    char canon[CN_MAX * 4 + 1];
    size_t n, i, k = 0;
    int rc;
    lp_reason_reset(out, outlen, why, whylen);
    if (!s) return lp_reason_fail(why, whylen, "plate is missing");
    if ((rc = cn_decode(s, ch, &n, why, whylen)) != LP_OK) return rc;
    if (n < 7) return lp_reason_fail(why, whylen, "too short for a plate: %zu characters", n);
    if (n > 8) return lp_reason_fail(why, whylen, "too long for a plate: %zu characters", n);
    if (!cn_is_province(ch[0].cp)) {
        if (ch[0].cp < 0x80)
            return lp_reason_fail(why, whylen, "must start with a province character such as 京 or 粤");
        return lp_reason_fail(why, whylen, "'%.*s' is not a province abbreviation", ch[0].len, ch[0].at);
    }
    if (ch[1].cp == 'I' || ch[1].cp == 'O') return cn_bad_char(&ch[1], why, whylen);
    if (ch[1].cp < 'A' || ch[1].cp > 'Z')
        return lp_reason_fail(why, whylen, "an issuing-office letter A-Z must follow the province character");
    if ((rc = cn_number(ch + 2, n - 2, why, whylen)) != LP_OK) return rc;
    /* Copy the input's bytes, except ASCII, which was upper-cased. */
    for (i = 0; i < n; i++) {
        if (ch[i].cp < 0x80) {
            canon[k++] = (char)ch[i].cp;
        } else {
            memcpy(canon + k, ch[i].at, (size_t)ch[i].len);
            k += (size_t)ch[i].len;
        }
    }
    canon[k] = '\0';
    return lp_reason_emit(canon, out, outlen, why, whylen);
}

int lp_ident_plate(const char *country, const char *s, char *out, size_t outlen,
                   char *why, size_t whylen)
{
    lp_reason_reset(out, outlen, why, whylen);
    if (country && strcmp(country, "VN") == 0)
        return lp_ident_vn_plate(s, out, outlen, why, whylen);
    if (country && strcmp(country, "CN") == 0)
        return lp_ident_cn_plate(s, out, outlen, why, whylen);
    return lp_reason_fail(why, whylen, "no plate rule for country '%.8s' (known: VN, CN)",
                country ? country : "");
}

/* Personal documents ------------------------------------------------------------- */

/* Province codes of Vietnamese citizen id numbers: the 63 provincial
 * administrative codes (001 Hà Nội ... 096 Cà Mau) listed in the appendix
 * of Circular 07/2016/TT-BCA.  Codes in between, e.g. 003 or 013, were
 * never assigned; the 2025 merger of provinces leaves issued numbers as
 * they are. */
static const unsigned char vn_cccd_provinces[] = {
    1,  2,  4,  6,  8,  10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33,
    34, 35, 36, 37, 38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66,
    67, 68, 70, 72, 74, 75, 77, 79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96,
};

static int doc_vn_cccd(const char *c, size_t n, char *why, size_t whylen)
{
    size_t i, bad = first_nondigit(c, n);
    int code;
    if (bad < n) return lp_reason_bad_at(c[bad], bad, "a digit", why, whylen);
    if (n != 12) return lp_reason_fail(why, whylen, "must be 12 digits, got %zu", n);
    code = num(c, 3);
    for (i = 0; i < sizeof vn_cccd_provinces; i++)
        if (vn_cccd_provinces[i] == code) return LP_OK;
    return lp_reason_fail(why, whylen, "province code %.3s (digits 1-3) is not assigned", c);
}

/* GB 11643-1999: ISO 7064 MOD 11-2 over 17 digits, weights 2^(17-i) mod 11;
 * the check value 10 is written 'X'. */
static int doc_cn_id(const char *c, size_t n, char *why, size_t whylen)
{
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    size_t i, bad = first_nondigit(c, n < 17 ? n : 17);
    int sum = 0, rc;
    long year;
    char expect;
    if (n != 18) return lp_reason_fail(why, whylen, "must be 18 characters, got %zu", n);
    if (bad < 17) return lp_reason_bad_at(c[bad], bad, "a digit", why, whylen);
    if (!is_digit(c[17]) && c[17] != 'X') return lp_reason_bad_at(c[17], 17, "a digit or X", why, whylen);
    year = num(c + 6, 4);
    /* The oldest holders were born in the 1880s (GB 11643 itself shows 1880). */
    if (year < 1800) return lp_reason_fail(why, whylen, "birth year %04ld is not plausible", year);
    if ((rc = check_ymd(year, num(c + 10, 2), num(c + 12, 2), why, whylen)) != LP_OK) return rc;
    for (i = 0; i < 17; i++) sum += w[i] * (c[i] - '0');
    expect = "10X98765432"[sum % 11];
    if (c[17] != expect)
        return lp_reason_fail(why, whylen, "check character is '%c', expected '%c'", c[17], expect);
    return LP_OK;
}

/* Document numbers of letters and digits only, min..max long. */
static int doc_alnum(const char *c, size_t n, size_t min, size_t max, char *why, size_t whylen)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (!is_digit(c[i]) && !is_upper(c[i]))
            return lp_reason_bad_at(c[i], i, "a letter or digit", why, whylen);
    if (n < min || n > max)
        return lp_reason_fail(why, whylen, "must be %zu to %zu letters and digits, got %zu", min, max, n);
    return LP_OK;
}

int lp_ident_document(const char *kind, const char *s, char *out, size_t outlen,
                      char *why, size_t whylen)
{
    char c[24];
    size_t n;
    int rc;
    lp_reason_reset(out, outlen, why, whylen);
    if (!kind) return lp_reason_fail(why, whylen, "document kind is missing");
    if (!s) return lp_reason_fail(why, whylen, "document number is missing");
    n = compact(s, " ", c, NULL, sizeof c);
    if (n >= sizeof c) return lp_reason_fail(why, whylen, "too long for a document: %zu characters", n);
    if (strcmp(kind, "vn_cccd") == 0) rc = doc_vn_cccd(c, n, why, whylen);
    else if (strcmp(kind, "cn_id") == 0) rc = doc_cn_id(c, n, why, whylen);
    else if (strcmp(kind, "passport") == 0) rc = doc_alnum(c, n, 6, 9, why, whylen);
    else if (strcmp(kind, "border_pass") == 0) rc = doc_alnum(c, n, 6, 12, why, whylen);
    else
        return lp_reason_fail(why, whylen, "unknown document kind '%.16s' (known: vn_cccd, cn_id, passport, "
                    "border_pass)", kind);
    return rc != LP_OK ? rc : lp_reason_emit(c, out, outlen, why, whylen);
}

/* Countries and dates ----------------------------------------------------------- */

/* The 249 officially assigned ISO 3166-1 alpha-2 codes, sorted (Debian
 * iso-codes 4.15, iso_3166-1.json). */
static const char iso3166[] =
    "ADAEAFAGAIALAMAOAQARASATAUAWAXAZBABBBDBEBFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBYBZ"
    "CACCCDCFCGCHCICKCLCMCNCOCRCUCVCWCXCYCZDEDJDKDMDODZECEEEGEHERESETFIFJFKFMFO"
    "FRGAGBGDGEGFGGGHGIGLGMGNGPGQGRGSGTGUGWGYHKHMHNHRHTHUIDIEILIMINIOIQIRISITJE"
    "JMJOJPKEKGKHKIKMKNKPKRKWKYKZLALBLCLILKLRLSLTLULVLYMAMCMDMEMFMGMHMKMLMMMNMO"
    "MPMQMRMSMTMUMVMWMXMYMZNANCNENFNGNINLNONPNRNUNZOMPAPEPFPGPHPKPLPMPNPRPSPTPW"
    "PYQARERORSRURWSASBSCSDSESGSHSISJSKSLSMSNSOSRSSSTSVSXSYSZTCTDTFTGTHTJTKTLTM"
    "TNTOTRTTTVTWTZUAUGUMUSUYUZVAVCVEVGVIVNVUWFWSYEYTZAZMZW";

int lp_ident_country(const char *s, char *why, size_t whylen)
{
    size_t lo = 0, hi = (sizeof iso3166 - 1) / 2;
    lp_reason_reset(NULL, 0, why, whylen);
    if (!s) return lp_reason_fail(why, whylen, "country code is missing");
    if (strlen(s) != 2 || !is_upper(s[0]) || !is_upper(s[1]))
        return lp_reason_fail(why, whylen, "must be 2 upper-case letters (ISO 3166-1 alpha-2), got '%.8s'",
                    s);
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = memcmp(s, iso3166 + 2 * mid, 2);
        if (c == 0) return LP_OK;
        if (c < 0) hi = mid;
        else lo = mid + 1;
    }
    return lp_reason_fail(why, whylen, "'%s' is not an assigned ISO 3166-1 country code", s);
}

int lp_ident_date(const char *s, long *days, char *why, size_t whylen)
{
    static const char shape[] = "dddd-dd-dd";
    size_t i;
    long y;
    int m, d, rc;
    lp_reason_reset(NULL, 0, why, whylen);
    if (!s) return lp_reason_fail(why, whylen, "date is missing");
    for (i = 0; i < 10; i++)
        if (!s[i] || (shape[i] == 'd' ? !is_digit(s[i]) : s[i] != '-')) break;
    if (i < 10 || s[10])
        return lp_reason_fail(why, whylen, "must be a date written YYYY-MM-DD, got '%.16s'", s);
    y = num(s, 4);
    m = num(s + 5, 2);
    d = num(s + 8, 2);
    if ((rc = check_ymd(y, m, d, why, whylen)) != LP_OK) return rc;
    if (days) *days = days_from_civil(y, m, d);
    return LP_OK;
}
