/* ident.h - validation and normalisation of identifiers used at the border:
 * tax ids (Vietnam MST, China unified social credit code), vehicle plates
 * (Vietnam, China), personal id documents, ISO dates.
 *
 * Pure functions over C strings: no I/O, no allocation, no globals.
 * Each check returns 0 (LP_OK) when valid, else LP_EINVAL and writes a
 * reason a person can read into why[whylen] ("" on success; why may be
 * NULL, a short buffer truncates the reason).  Normalising functions write
 * the canonical form into out[outlen], always NUL-terminated: "" on any
 * failure.  out may be NULL with outlen 0 to check only; an out too small
 * for the canonical form is LP_EINVAL, never a truncated value.  A NULL
 * input string is LP_EINVAL ("... is missing"). */
#ifndef LP_IDENT_H
#define LP_IDENT_H

#include <stddef.h>

/* Tax ids ---------------------------------------------------------------- */

/* Vietnamese tax code (mã số thuế): 10 digits with the check digit in
 * position 10, or 13 digits = a valid 10-digit code + a 3-digit branch number
 * 001..999, written with or without a '-' before the branch.  Spaces, '-'
 * and '.' are dropped.  Check digit = 10 - (sum of digits 1-9 weighted
 * 31,29,23,19,17,13,7,5,3) mod 11; a result of 10 is never issued; digits
 * 3-9 may not be all zero.  The canonical form is "NNNNNNNNNN" or
 * "NNNNNNNNNN-BBB".  (12-digit personal codes equal to a citizen id number
 * are not covered.) */
int lp_ident_vn_taxid(const char *s, char *out, size_t outlen, char *why, size_t whylen);

/* Chinese unified social credit code (GB 32100-2015): 18 characters from
 * "0123456789ABCDEFGHJKLMNPQRTUWXY", digits in positions 3-8 (region code),
 * check character in position 18 = (31 - sum(value * 3^i mod 31)) mod 31.
 * Spaces and '-' are dropped; lower case accepted; canonical form is upper
 * case. */
int lp_ident_cn_uscc(const char *s, char *out, size_t outlen, char *why, size_t whylen);

/* Country-dispatching tax id check: country "VN" or "CN" (upper case);
 * any other country is LP_EINVAL. */
int lp_ident_taxid(const char *country, const char *s, char *out, size_t outlen,
                   char *why, size_t whylen);

/* Plates ------------------------------------------------------------------ */

/* Vietnamese plate: 2-digit province code (11..99 except the unassigned
 * 13, 42, 44-46, 87, 91, 96), series of 1-2 letters optionally followed by
 * one digit, then 4 or 5 digits, not all zero; written with or without
 * spaces, '-' and '.', e.g. "29C-123.45", "12R-012.34" (trailer), "51LD 1234",
 * "29-C1 123.45" (motorbike).  Series letters: A-Z except I, J, O, Q, W;
 * I, J, O, Q are accepted with 4-digit numbers (pre-2010 plates).  Five
 * digits after a letter with no break ("29C12345") read as a car number.
 * Canonical form: "29C-123.45" / "51LD-1234" / "29C1-123.45". */
int lp_ident_vn_plate(const char *s, char *out, size_t outlen, char *why, size_t whylen);

/* Chinese plate (UTF-8, GA 36-2018): one province abbreviation character
 * (京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼), an
 * issuing-office letter A-Z (not I or O), then 5 characters (digits and
 * letters other than I, O), or 6 for new-energy vehicles (D or F, a letter or
 * digit, 4 digits; or 5 digits, D or F), or 4 followed by "挂" for trailers.
 * Other characters (学, 警, 港, 使, ...) are rejected.  Spaces, '-', '·'
 * (U+00B7), '•' (U+2022) and U+3000 are dropped, ASCII letters upper-cased;
 * canonical form e.g. "桂A12345", "粤BD12345". */
int lp_ident_cn_plate(const char *s, char *out, size_t outlen, char *why, size_t whylen);

/* Country-dispatching plate check: "VN" or "CN"; others are LP_EINVAL. */
int lp_ident_plate(const char *country, const char *s, char *out, size_t outlen,
                   char *why, size_t whylen);

/* Personal documents --------------------------------------------------------- */

/* Id document by kind:
 *   "vn_cccd"   Vietnamese citizen id card, 12 digits; the first 3 are one of
 *               the 63 province codes 001..096 (Circular 07/2016/TT-BCA)
 *   "cn_id"     Chinese resident identity card (GB 11643-1999), 17 digits and an
 *               ISO 7064 MOD 11-2 check character ('X' = 10), with a valid
 *               birth date in positions 7-14, year 1800 or later
 *   "passport"  6-9 letters and digits (ICAO 9303 document number)
 *   "border_pass" 6-12 letters and digits
 * Spaces are dropped and letters upper-cased; the result is the canonical
 * form.  An unknown kind is LP_EINVAL. */
int lp_ident_document(const char *kind, const char *s, char *out, size_t outlen,
                      char *why, size_t whylen);

/* ISO 3166-1 alpha-2 country code, upper case, that is officially assigned
 * (e.g. "VN", "CN"; not "UK", "EU" or "XK"). */
int lp_ident_country(const char *s, char *why, size_t whylen);

/* Calendar date "YYYY-MM-DD", exactly 10 characters, years 0000-9999
 * (proleptic Gregorian, leap years) into days since 1970-01-01, negative
 * before it (days may be NULL; *days is untouched on failure). */
int lp_ident_date(const char *s, long *days, char *why, size_t whylen);

#endif
