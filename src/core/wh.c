/* wh.c - pure rules of the bonded warehouse (see wh.h). */
#include "wh.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* 32 symbols: digits 2-9 and the letters without I and O, so that what a
 * driver reads off a phone is never ambiguous. */
static const char alphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

void lp_wh_secret_make(const unsigned char *rnd, char *out)
{
    int i;
    for (i = 0; i < LP_WH_SECRET_LEN; i++) out[i] = alphabet[rnd[i] & 31];
    out[LP_WH_SECRET_LEN] = '\0';
}

int lp_wh_code_format(int64_t id, const char *secret, char *out, size_t n)
{
    int k = snprintf(out, n, "%" PRId64 "-%s", id, secret);
    return k < 0 || (size_t)k >= n ? LP_ETOOBIG : LP_OK;
}

int lp_wh_code_parse(const char *s, int64_t *id, char *secret)
{
    int64_t v = 0;
    int digits = 0, n = 0;
    if (!s) return LP_EINVAL;
    for (; *s == ' '; s++) {}
    for (; *s >= '0' && *s <= '9'; s++) {
        if (++digits > 15) return LP_EINVAL;
        v = v * 10 + (*s - '0');
    }
    for (; *s == ' '; s++) {}
    if (!digits || v < 1 || *s != '-') return LP_EINVAL;
    for (s++; *s; s++) {
        char ch = *s;
        if (ch == ' ') continue;
        if (ch >= 'a' && ch <= 'z') ch = (char)(ch - 32);
        if (!strchr(alphabet, ch) || n >= LP_WH_SECRET_LEN) return LP_EINVAL;
        secret[n++] = ch;
    }
    if (n != LP_WH_SECRET_LEN) return LP_EINVAL;
    secret[n] = '\0';
    *id = v;
    return LP_OK;
}

const char *lp_wh_outcome_name(int o)
{
    static const char *const names[] = {"accepted", "unknown_code", "wrong_code", "locked",        "used",
                                        "expired",  "revoked",      "wrong_plate", "wrong_purpose", "customs_hold",
                                        "unknown_lot", "over_stock",  "not_yet_valid"};
    return o >= 0 && o < LP_WH_OUTCOME__COUNT ? names[o] : "?";
}

lp_wh_outcome lp_wh_code_state(int locked, int64_t used_at, int64_t valid_from, int64_t expires_at, int revoked,
                               int64_t now)
{
    if (locked) return LP_WH_LOCKED;
    if (used_at > 0) return LP_WH_USED;
    if (revoked) return LP_WH_REVOKED;
    if (now >= expires_at) return LP_WH_EXPIRED;
    if (now < valid_from) return LP_WH_NOT_YET;
    return LP_WH_ACCEPTED;
}

int lp_wh_overlaps(int64_t a_from, int64_t a_to, int64_t b_from, int64_t b_to)
{
    return a_from < b_to && b_from < a_to;
}

int lp_wh_take(int64_t on_pk, int64_t on_g, int64_t take_pk, int64_t *take_g)
{
    *take_g = 0;
    if (on_pk < 1 || on_pk > LP_WH_PACKAGES_MAX || on_g < 0 || on_g > LP_WH_GRAMS_MAX) return LP_EINVAL;
    if (take_pk < 1 || take_pk > on_pk) return LP_EINVAL;
    /* on_g * take_pk <= 1e11 * 1e6 = 1e17: no overflow in int64. */
    *take_g = take_pk == on_pk ? on_g : on_g * take_pk / on_pk;
    return LP_OK;
}

const char *lp_wh_kind_name(int k)
{
    static const char *const names[] = {"dry", "cold", "bonded"};
    return k >= 0 && k < LP_WH_KIND__COUNT ? names[k] : "?";
}

int lp_wh_kind_parse(const char *s)
{
    int k;
    for (k = 0; s && k < LP_WH_KIND__COUNT; k++)
        if (strcmp(s, lp_wh_kind_name(k)) == 0) return k;
    return -1;
}

static int status_in(const char *status, const char *const *set)
{
    for (; status && *set; set++)
        if (strcmp(status, *set) == 0) return 1;
    return 0;
}

int lp_wh_release_allowed(lp_wh_kind kind, const char *status)
{
    static const char *const released[] = {"cleared", "gate_open", "exited", NULL};
    static const char *const stopped[] = {"held", "rejected", "cancelled", "expired", NULL};
    if (!status) return 0;
    if (kind == LP_WH_BONDED) return status_in(status, released);
    return !status_in(status, stopped);
}

int lp_wh_dropoff_allowed(const char *status)
{
    static const char *const dead[] = {"cancelled", "expired", "rejected", NULL};
    return status && !status_in(status, dead);
}

int64_t lp_wh_dwell_minutes(int64_t checked_in_ms, int64_t now)
{
    return now > checked_in_ms ? (now - checked_in_ms) / 60000 : 0;
}

int lp_wh_overstays(int64_t checked_in_ms, int64_t now, int days)
{
    if (days < 1) days = 1;
    return now >= checked_in_ms + (int64_t)days * LP_WH_DAY_MS;
}
