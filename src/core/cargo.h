/* cargo.h - identifiers and quantities of goods and transport units on a
 * customs declaration: ISO 6346 container numbers, seal numbers, HS codes,
 * ISO 4217 currencies, money and weight read from JSON numbers.
 *
 * Pure functions: no I/O, no allocation, no globals but constant tables.
 * Same conventions as ident.h: a check returns 0 (LP_OK) when valid, else
 * LP_EINVAL with a reason a person can read in why[whylen] ("" on success;
 * why may be NULL, a short buffer truncates the reason).  Normalising
 * functions write the canonical form into out[outlen], always NUL-terminated
 * and "" on any failure; out may be NULL with outlen 0 to check only, and an
 * out too small for the canonical form is LP_EINVAL.  A NULL input string
 * is LP_EINVAL.  Used by the declaration check (decl.h) and the HTTP
 * handlers that parse declarations. */
#ifndef LP_CARGO_H
#define LP_CARGO_H

#include <stddef.h>
#include <stdint.h>

/* Sizes of canonical forms, with the NUL. */
#define LP_CARGO_CONTAINER_SIZE 12 /* "CSQU3054383" */
#define LP_CARGO_SEAL_SIZE 21      /* 4..20 characters */
#define LP_CARGO_HS_SIZE 11        /* 8 (VN) or 10 (CN) digits */
#define LP_CARGO_CURRENCY_SIZE 4   /* "VND" */

/* Bounds of the quantities (so that sums over a declaration cannot
 * overflow, and every accepted value is exact in a double). */
#define LP_CARGO_MINOR_MAX INT64_C(100000000000000) /* 1e14 minor units */
#define LP_CARGO_GRAMS_MAX INT64_C(1000000000000)   /* 1e12 g = 1 million tonnes */

/* Transport units ------------------------------------------------------------ */

/* Container number (ISO 6346): 3-letter owner code, equipment category
 * U (freight container), J (detachable equipment) or Z (trailer, chassis),
 * 6-digit serial number and a check digit.  The check digit is the sum of
 * the first 10 characters' values times 2^position (0..9), mod 11, mod 10;
 * digits count as themselves and letters from A = 10 upwards leaving out
 * the multiples of 11 (A=10, B=12, ... K=21, L=23, ... U=32, V=34, ... Z=38).
 * Spaces and '-' are dropped, lower case is accepted; canonical form
 * "CSQU3054383".  A wrong check digit is reported with the expected one. */
int lp_cargo_container(const char *s, char *out, size_t outlen, char *why, size_t whylen);

/* Seal number: 4-20 characters from A-Z, 0-9 and '-', starting and ending
 * with a letter or digit, no "--".  Spaces are dropped and letters
 * upper-cased; '-' is kept (it is printed on many seals, "ML-CN1234567").
 * Canonical form: the upper-case string without spaces. */
int lp_cargo_seal(const char *s, char *out, size_t outlen, char *why, size_t whylen);

/* Goods --------------------------------------------------------------------- */

/* HS code of a national tariff: country "VN" is the 8-digit Vietnamese code
 * (AHTN), "CN" the 10-digit Chinese customs code (8-digit tariff + 2
 * statistical digits); any other country is LP_EINVAL.  '.' and spaces are
 * dropped ("0810.90.10").  The chapter (digits 1-2) must be 01..97 except
 * the reserved 77 (98 and 99 are for national use and not accepted here);
 * the heading (digits 3-4) may not be 00.  Writes the digits to out and the
 * chapter number to *chapter (chapter may be NULL; 0 on failure). */
int lp_cargo_hs(const char *country, const char *s, char *out, size_t outlen, int *chapter,
                char *why, size_t whylen);

/* 1 when goods of this HS chapter need plant, animal or food quarantine
 * (chapters 01-24: live animals, food, plants, beverages, tobacco), else 0. */
int lp_cargo_hs_needs_quarantine(int chapter);

/* Money ---------------------------------------------------------------------- */

/* ISO 4217 currency code, one of those traded at this border (VND CNY USD
 * EUR JPY KRW THB HKD SGD LAK KHR MYR IDR PHP TWD GBP AUD CHF and a few
 * more; see cargo.c).  Surrounding spaces are dropped, lower case accepted;
 * canonical form upper case.  *exponent (may be NULL; -1 on failure) gets
 * the number of minor-unit digits: 0 for VND, JPY and KRW, 2 for the
 * others listed (ISO 4217 list one). */
int lp_cargo_currency(const char *s, char *out, size_t outlen, int *exponent, char *why,
                      size_t whylen);

/* Converts an amount read as a JSON number into minor units: 1234.56 with
 * exponent 2 is 123456.  LP_EINVAL (and *minor untouched) when value is
 * not finite, negative, has more decimals than exponent allows (with a
 * tolerance for binary representation: 0.1 + 0.2 passes as 0.30), or the
 * result exceeds LP_CARGO_MINOR_MAX; exponent must be 0..4.  -0 is 0.
 * The reason, if why is not NULL, says which. */
int lp_cargo_amount_minor(double value, int exponent, int64_t *minor, char *why, size_t whylen);

/* Weight in kilograms with up to 3 decimals into grams, same rules as
 * lp_cargo_amount_minor with exponent 3 and the bound LP_CARGO_GRAMS_MAX. */
int lp_cargo_kg_grams(double kg, int64_t *grams, char *why, size_t whylen);

#endif
