/* cargo.c - identifiers and quantities of goods (see cargo.h).
 *
 * Each check compacts its input (drops separators, upper-cases ASCII),
 * checks structure and check digits, and writes the canonical form or a
 * reason.  The helpers at the top mirror those of ident.c, which keeps them
 * file-local. */
#include "cargo.h"
#include "reason.h"
#include "err.h"

#include <stdio.h>
#include <string.h>

static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_upper(char c) { return c >= 'A' && c <= 'Z'; }

/* Copies s into buf[cap] without the ASCII separators in seps, upper-casing
 * letters.  Returns the number of characters kept, which can exceed cap - 1:
 * the caller reports the real length, buf holds the first ones. */
static size_t compact(const char *s, const char *seps, char *buf, size_t cap)
{
    size_t n = 0;
    for (; *s; s++) {
        if (strchr(seps, *s)) continue;
        if (n + 1 < cap) buf[n] = (*s >= 'a' && *s <= 'z') ? (char)(*s - 'a' + 'A') : *s;
        n++;
    }
    buf[n < cap ? n : cap - 1] = '\0';
    return n;
}

/* Containers ----------------------------------------------------------------- */

/* ISO 6346 letter values: 10 upwards, leaving out 11, 22 and 33 so that no
 * letter is worth a multiple of the modulus. */
static const unsigned char letter_value[26] = {
    10, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 23, 24,
    25, 26, 27, 28, 29, 30, 31, 32, 34, 35, 36, 37, 38,
};

/* Check digit of the first 10 characters (already known to be well formed).
 * A remainder of 10 gives 0: the standard advises owners not to issue such
 * serials, but some exist, so they are accepted. */
static int container_check(const char *c)
{
    long sum = 0;
    int i;
    for (i = 0; i < 10; i++) {
        int v = is_digit(c[i]) ? c[i] - '0' : letter_value[c[i] - 'A'];
        sum += (long)v << i;
    }
    return (int)(sum % 11 % 10);
}

int lp_cargo_container(const char *s, char *out, size_t outlen, char *why, size_t whylen)
{
    char c[16];
    size_t n, i;
    int check;
    lp_reason_reset(out, outlen, why, whylen);
    if (!s) return lp_reason_fail(why, whylen, "container number is missing");
    n = compact(s, " -", c, sizeof c);
    if (n != 10 && n != 11)
        return lp_reason_fail(why, whylen, "must be 11 characters (4 letters, 7 digits), got %zu", n);
    for (i = 0; i < 4; i++)
        if (!is_upper(c[i])) return lp_reason_bad_at(c[i], i, "a letter (owner code and category)", why, whylen);
    if (!strchr("UJZ", c[3]))
        return lp_reason_fail(why, whylen, "equipment category '%c' is not U (container), J (detachable "
                    "equipment) or Z (trailer or chassis)", c[3]);
    for (i = 4; i < n; i++)
        if (!is_digit(c[i])) return lp_reason_bad_at(c[i], i, "a digit", why, whylen);
    check = container_check(c);
    if (n == 10)
        return lp_reason_fail(why, whylen, "check digit is missing (it would be %d)", check);
    if (c[10] - '0' != check)
        return lp_reason_fail(why, whylen, "check digit is %c, expected %d", c[10], check);
    return lp_reason_emit(c, out, outlen, why, whylen);
}

/* Seals ---------------------------------------------------------------------- */

int lp_cargo_seal(const char *s, char *out, size_t outlen, char *why, size_t whylen)
{
    char c[LP_CARGO_SEAL_SIZE + 4];
    size_t n, i;
    lp_reason_reset(out, outlen, why, whylen);
    if (!s) return lp_reason_fail(why, whylen, "seal number is missing");
    n = compact(s, " ", c, sizeof c);
    if (n < 4 || n > LP_CARGO_SEAL_SIZE - 1)
        return lp_reason_fail(why, whylen, "must be 4 to %d characters, got %zu", LP_CARGO_SEAL_SIZE - 1, n);
    for (i = 0; i < n; i++)
        if (!is_digit(c[i]) && !is_upper(c[i]) && c[i] != '-')
            return lp_reason_bad_at(c[i], i, "a letter, digit or '-'", why, whylen);
    if (c[0] == '-' || c[n - 1] == '-')
        return lp_reason_fail(why, whylen, "must start and end with a letter or digit");
    if (strstr(c, "--")) return lp_reason_fail(why, whylen, "has \"--\" in it");
    return lp_reason_emit(c, out, outlen, why, whylen);
}

/* HS codes -------------------------------------------------------------------- */

int lp_cargo_hs(const char *country, const char *s, char *out, size_t outlen, int *chapter,
                char *why, size_t whylen)
{
    char d[16];
    size_t n, i, want;
    int ch;
    lp_reason_reset(out, outlen, why, whylen);
    if (chapter) *chapter = 0;
    if (country && strcmp(country, "VN") == 0) want = 8;
    else if (country && strcmp(country, "CN") == 0) want = 10;
    else
        return lp_reason_fail(why, whylen, "no HS code rule for country '%.8s' (known: VN, CN)",
                    country ? country : "");
    if (!s) return lp_reason_fail(why, whylen, "HS code is missing");
    n = compact(s, " .", d, sizeof d);
    for (i = 0; i < n && i < sizeof d - 1; i++)
        if (!is_digit(d[i])) return lp_reason_bad_at(d[i], i, "a digit", why, whylen);
    if (n != want)
        return lp_reason_fail(why, whylen, "%s HS codes have %zu digits, got %zu", country, want, n);
    ch = (d[0] - '0') * 10 + (d[1] - '0');
    if (ch < 1 || ch > 97)
        return lp_reason_fail(why, whylen, "chapter %02d does not exist (01-97)", ch);
    if (ch == 77)
        return lp_reason_fail(why, whylen, "chapter 77 is reserved for future use in the HS");
    if (d[2] == '0' && d[3] == '0')
        return lp_reason_fail(why, whylen, "heading %.4s does not exist (headings start at %.2s01)", d, d);
    if (lp_reason_emit(d, out, outlen, why, whylen) != LP_OK) return LP_EINVAL;
    if (chapter) *chapter = ch;
    return LP_OK;
}

int lp_cargo_hs_needs_quarantine(int chapter)
{
    return chapter >= 1 && chapter <= 24;
}

/* Currencies ------------------------------------------------------------------ */

/* Minor-unit digits from ISO 4217 list one (the ISO table of 2018-08-29 as
 * generated in github.com/checkdigit/currency; also the exponent that
 * glibc's locales give vi_VN, ja_JP and ko_KR).  Partners' currencies at
 * Lang Son first, then the usual invoicing currencies. */
static const struct {
    char code[4];
    int exponent;
} currencies[] = {
    {"VND", 0}, {"CNY", 2}, {"USD", 2}, {"EUR", 2}, {"JPY", 0}, {"KRW", 0}, {"THB", 2},
    {"HKD", 2}, {"SGD", 2}, {"LAK", 2}, {"KHR", 2}, {"MYR", 2}, {"IDR", 2}, {"PHP", 2},
    {"TWD", 2}, {"GBP", 2}, {"AUD", 2}, {"CHF", 2}, {"MOP", 2}, {"MMK", 2}, {"BND", 2},
    {"INR", 2}, {"RUB", 2}, {"CAD", 2}, {"NZD", 2},
};

int lp_cargo_currency(const char *s, char *out, size_t outlen, int *exponent, char *why,
                      size_t whylen)
{
    char c[8];
    size_t n, i;
    lp_reason_reset(out, outlen, why, whylen);
    if (exponent) *exponent = -1;
    if (!s) return lp_reason_fail(why, whylen, "currency is missing");
    n = compact(s, " ", c, sizeof c);
    for (i = 0; i < n && i < sizeof c - 1; i++)
        if (!is_upper(c[i])) return lp_reason_bad_at(c[i], i, "a letter", why, whylen);
    if (n != 3) return lp_reason_fail(why, whylen, "must be 3 letters (ISO 4217), got %zu", n);
    for (i = 0; i < sizeof currencies / sizeof currencies[0]; i++) {
        if (memcmp(c, currencies[i].code, 4) != 0) continue;
        if (lp_reason_emit(c, out, outlen, why, whylen) != LP_OK) return LP_EINVAL;
        if (exponent) *exponent = currencies[i].exponent;
        return LP_OK;
    }
    return lp_reason_fail(why, whylen, "'%s' is not a currency accepted at this border", c);
}

/* Quantities from JSON numbers ------------------------------------------------- */

/* A JSON number arrives as the double nearest to its decimal text, so
 * 1234.56 * 100 may land a unit in the last place beside 123456 rather
 * than on it.  The product carries at most two roundings (parsing and
 * the multiplication), each within 2^-53 of its magnitude; allowing 2^-51
 * covers both with room, and stays below 0.05 up to 1e14, while one extra
 * non-zero decimal digit puts the product at least 0.1 away from an integer:
 * it is never taken for noise.  Digits beyond the 15 or so that a double holds are
 * judged by the nearest double. */
static int to_units(double v, int exponent, int64_t max, const char *unit, int64_t *res,
                    char *why, size_t whylen)
{
    static const double scale[] = {1, 10, 100, 1000, 10000};
    double scaled, whole, diff;
    lp_reason_reset(NULL, 0, why, whylen);
    if (!(v - v == 0)) return lp_reason_fail(why, whylen, "is not a finite number");
    if (v < 0) return lp_reason_fail(why, whylen, "must not be negative, got %.15g", v);
    if (exponent < 0 || exponent > 4)
        return lp_reason_fail(why, whylen, "exponent %d is not 0..4", exponent);
    scaled = v * scale[exponent];
    if (scaled > (double)max + 0.5)
        return lp_reason_fail(why, whylen, "is too large: at most %.*f%s", exponent,
                    (double)max / scale[exponent], unit);
    whole = (double)(int64_t)(scaled + 0.5); /* exact: scaled is below 2^53 here */
    diff = scaled > whole ? scaled - whole : whole - scaled;
    if (diff > scaled * 0x1p-51 + 1e-9) {
        if (exponent == 0) return lp_reason_fail(why, whylen, "must be a whole number, got %.15g", v);
        return lp_reason_fail(why, whylen, "has more than %d decimals, got %.15g", exponent, v);
    }
    if ((int64_t)whole > max)
        return lp_reason_fail(why, whylen, "is too large: at most %.*f%s", exponent,
                    (double)max / scale[exponent], unit);
    if (res) *res = (int64_t)whole;
    return LP_OK;
}

int lp_cargo_amount_minor(double value, int exponent, int64_t *minor, char *why, size_t whylen)
{
    return to_units(value, exponent, LP_CARGO_MINOR_MAX, "", minor,
                    why, whylen);
}

int lp_cargo_kg_grams(double kg, int64_t *grams, char *why, size_t whylen)
{
    return to_units(kg, 3, LP_CARGO_GRAMS_MAX, " kg", grams, why, whylen);
}
