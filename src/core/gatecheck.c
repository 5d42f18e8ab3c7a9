/* gatecheck.c - the automatic gate decision (see gatecheck.h).
 *
 * Every check appends its reasons to the result and never stops the others,
 * so that the officer who takes the exception sees all problems at once.
 * The work is a few dozen string comparisons over fixed arrays; snprintf
 * runs only for reasons, i.e. only when the truck is held anyway. */
#include "gatecheck.h"
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Reasons ------------------------------------------------------------------- */

static void add(lp_gate_result *out, lp_gate_code code, int agency, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void add(lp_gate_result *out, lp_gate_code code, int agency, const char *fmt, ...)
{
    va_list ap;
    lp_gate_reason *r;
    out->decision = LP_GATE_HOLD;
    if (out->nreasons >= LP_GATE_REASONS_MAX) {
        out->more++;
        return;
    }
    r = &out->reasons[out->nreasons++];
    r->code = code;
    r->agency = agency;
    va_start(ap, fmt);
    vsnprintf(r->msg, sizeof r->msg, fmt, ap);
    va_end(ap);
}

/* Identifiers ---------------------------------------------------------------- */

static int is_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* The next character of an identifier that counts, upper-cased, or 0 at
 * the end.  ASCII punctuation and spaces do not count, nor the middle dot
 * U+00B7 written in Chinese plates; other UTF-8 bytes compare as they are. */
static int next_char(const unsigned char **p)
{
    const unsigned char *s = *p;
    for (;;) {
        if (!*s) break;
        if (s[0] == 0xC2 && s[1] == 0xB7) s += 2;
        else if (*s < 0x80 && !is_alnum(*s)) s++;
        else break;
    }
    *p = *s ? s + 1 : s;
    return *s >= 'a' && *s <= 'z' ? *s - 'a' + 'A' : *s;
}

static int same_id(const char *a, const char *b)
{
    const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;
    int c, d;
    do {
        c = next_char(&p);
        d = next_char(&q);
        if (c != d) return 0;
    } while (c);
    return 1;
}

static int present(const char *s) { return s && s[0]; }

/* Checks ------------------------------------------------------------------- */

static void check_approvals(const lp_gate_input *in, lp_gate_result *out)
{
    int a;
    for (a = 0; a < LP_GATE_AGENCIES; a++) {
        const lp_gate_approval *ap = &in->approvals[a];
        const char *who = lp_gate_agency_name((lp_gate_agency)a);
        /* Yellow and red mean a customs officer must have looked, whatever
         * the required flag says; a rejection or hold by any agency stops
         * the truck even where its approval was not required. */
        int officer = a == LP_GATE_CUSTOMS && in->channel != LP_RISK_GREEN;
        switch (ap->state) {
        case LP_GATE_ST_APPROVED:
            break;
        case LP_GATE_ST_REJECTED:
            add(out, LP_GATE_R_APPROVAL_REJECTED, a, "%s rejected the goods", who);
            break;
        case LP_GATE_ST_HOLD:
            add(out, LP_GATE_R_APPROVAL_HOLD, a, "%s put the goods on hold", who);
            break;
        case LP_GATE_ST_PENDING:
            if (officer)
                add(out, LP_GATE_R_CHANNEL_NEEDS_OFFICER, a,
                    "%s channel: the customs officer's decision is pending",
                    lp_risk_channel_name(in->channel));
            else if (ap->required)
                add(out, LP_GATE_R_APPROVAL_PENDING, a, "%s approval is pending", who);
            break;
        }
    }
}

static void check_plate(const lp_gate_input *in, lp_gate_result *out)
{
    const lp_gate_ocr *r = &in->read.plate;
    const char *want = in->expect.plate;
    if (!present(r->text))
        add(out, LP_GATE_R_PLATE_MISSING, -1, "expected plate %.32s, nothing read", want);
    else if (r->confidence < in->min_plate_confidence)
        add(out, LP_GATE_R_PLATE_LOW_CONFIDENCE, -1,
            "expected plate %.32s, read %.32s with confidence %d < %d", want, r->text,
            r->confidence, in->min_plate_confidence);
    else if (!same_id(want, r->text))
        add(out, LP_GATE_R_PLATE_MISMATCH, -1, "expected plate %.32s, read %.32s", want, r->text);
}

static void check_trailer(const lp_gate_input *in, lp_gate_result *out)
{
    const lp_gate_ocr *r = &in->read.trailer;
    const char *want = in->expect.trailer;
    if (!present(want) && !present(r->text)) return;
    if (!present(r->text))
        add(out, LP_GATE_R_TRAILER_MISSING, -1, "expected trailer %.32s, nothing read", want);
    else if (r->confidence < in->min_plate_confidence)
        add(out, LP_GATE_R_TRAILER_LOW_CONFIDENCE, -1,
            "expected trailer %.32s, read %.32s with confidence %d < %d",
            present(want) ? want : "none", r->text, r->confidence, in->min_plate_confidence);
    else if (!present(want))
        add(out, LP_GATE_R_TRAILER_MISMATCH, -1, "no trailer declared, read %.32s", r->text);
    else if (!same_id(want, r->text))
        add(out, LP_GATE_R_TRAILER_MISMATCH, -1, "expected trailer %.32s, read %.32s", want, r->text);
}

/* Marks in seen[] the declared containers that were read (whatever the
 * confidence) and reports containers missing, unsure and unexpected.  A
 * number read twice (two cameras) counts once, at its best confidence. */
static void check_containers(const lp_gate_input *in, int seen[], lp_gate_result *out)
{
    const lp_gate_expect *e = &in->expect;
    const lp_gate_readings *rd = &in->read;
    int used[LP_GATE_CONTAINER_READS_MAX] = {0};
    int i, j, k;
    for (i = 0; i < e->ncontainers; i++) {
        int best = -1;
        for (j = 0; j < rd->ncontainers; j++) {
            if (!present(rd->containers[j].text) || !same_id(e->containers[i].number, rd->containers[j].text))
                continue;
            used[j] = 1;
            if (rd->containers[j].confidence > best) best = rd->containers[j].confidence;
        }
        seen[i] = best >= 0;
        if (best < 0)
            add(out, LP_GATE_R_CONTAINER_MISSING, -1, "container %.20s declared, not read",
                e->containers[i].number);
        else if (best < in->min_ocr_confidence)
            add(out, LP_GATE_R_CONTAINER_LOW_CONFIDENCE, -1,
                "container %.20s read with confidence %d < %d", e->containers[i].number, best,
                in->min_ocr_confidence);
    }
    for (j = 0; j < rd->ncontainers; j++) {
        int best;
        if (used[j] || !present(rd->containers[j].text)) continue;
        best = rd->containers[j].confidence;
        for (k = j + 1; k < rd->ncontainers; k++)
            if (!used[k] && present(rd->containers[k].text) &&
                same_id(rd->containers[j].text, rd->containers[k].text)) {
                used[k] = 1;
                if (rd->containers[k].confidence > best) best = rd->containers[k].confidence;
            }
        if (best < in->min_ocr_confidence)
            add(out, LP_GATE_R_CONTAINER_LOW_CONFIDENCE, -1,
                "container %.20s read with confidence %d < %d, not declared",
                rd->containers[j].text, best, in->min_ocr_confidence);
        else
            add(out, LP_GATE_R_CONTAINER_UNEXPECTED, -1, "container %.20s read, not declared",
                rd->containers[j].text);
    }
}

/* Writes grams as kilograms: "34000 kg", "1.250 kg". */
static void kg(char *buf, size_t len, int64_t g)
{
    if (g % 1000 == 0) snprintf(buf, len, "%lld kg", (long long)(g / 1000));
    else snprintf(buf, len, "%lld.%03lld kg", (long long)(g / 1000), (long long)(g % 1000));
}

static void check_weight(const lp_gate_input *in, lp_gate_result *out)
{
    const lp_gate_expect *e = &in->expect;
    int64_t want, tol, diff;
    char w[32], r[32], t[32], d[32];
    if (in->read.gross_g == LP_GATE_NO_WEIGHT) {
        if (e->weight_required)
            add(out, LP_GATE_R_WEIGHT_MISSING, -1, "weight required, no weighbridge reading");
        return;
    }
    if (e->tare_g == LP_GATE_NO_WEIGHT) {
        if (e->weight_required)
            add(out, LP_GATE_R_TARE_MISSING, -1, "weight required, vehicle tare unknown");
        return;
    }
    /* Inputs are bounded by LP_GATE_WEIGHT_MAX (10^12), so neither the sum
     * nor the product by 1000 can overflow. */
    want = e->goods_g + e->tare_g;
    tol = want * e->tol_permille / 1000;
    if (e->tol_g > tol) tol = e->tol_g;
    diff = in->read.gross_g - want;
    out->weight_expected_g = want;
    out->weight_read_g = in->read.gross_g;
    out->weight_tol_g = tol;
    if (diff <= tol && -diff <= tol) return;
    kg(w, sizeof w, want);
    kg(r, sizeof r, in->read.gross_g);
    kg(t, sizeof t, tol);
    kg(d, sizeof d, diff < 0 ? -diff : diff);
    add(out, LP_GATE_R_WEIGHT_OUT_OF_TOLERANCE, -1, "expected %s, read %s: %s %s, tolerance %s", w,
        r, d, diff < 0 ? "light" : "heavy", t);
}

static int seal_read(const lp_gate_readings *rd, const char *seal)
{
    int k;
    for (k = 0; k < rd->nseals; k++)
        if (present(rd->seals[k]) && same_id(seal, rd->seals[k])) return 1;
    return 0;
}

static int seal_declared(const lp_gate_expect *e, const char *seal)
{
    int i, s;
    for (i = 0; i < e->ncontainers; i++)
        for (s = 0; s < e->containers[i].nseals; s++)
            if (same_id(seal, e->containers[i].seals[s])) return 1;
    return 0;
}

/* Seals of a container that was not read at all are not reported: the
 * container reason already covers them. */
static void check_seals(const lp_gate_input *in, const int seen[], lp_gate_result *out)
{
    const lp_gate_expect *e = &in->expect;
    const lp_gate_readings *rd = &in->read;
    int i, s, k, j;
    for (i = 0; i < e->ncontainers; i++) {
        if (!seen[i]) continue;
        for (s = 0; s < e->containers[i].nseals; s++)
            if (!seal_read(rd, e->containers[i].seals[s]))
                add(out, LP_GATE_R_SEAL_MISSING, -1, "seal %.24s of container %.20s not read",
                    e->containers[i].seals[s], e->containers[i].number);
    }
    for (k = 0; k < rd->nseals; k++) {
        if (!present(rd->seals[k]) || seal_declared(e, rd->seals[k])) continue;
        for (j = 0; j < k; j++)
            if (present(rd->seals[j]) && same_id(rd->seals[j], rd->seals[k])) break;
        if (j < k) continue; /* reported already */
        add(out, LP_GATE_R_SEAL_UNEXPECTED, -1, "seal %.24s read, declared on no container",
            rd->seals[k]);
    }
}

/* Input ------------------------------------------------------------------- */

/* Writes the name of the first field out of its limits into buf and
 * returns 1, or returns 0 when the input is within them. */
static int invalid_field(const lp_gate_input *in, char *buf, size_t len)
{
    const lp_gate_expect *e = &in->expect;
    const lp_gate_readings *rd = &in->read;
    int i, s;
#define BAD(...) return snprintf(buf, len, __VA_ARGS__), 1
    if (!present(e->plate)) BAD("expect.plate");
    if (e->ncontainers < 0 || e->ncontainers > LP_GATE_CONTAINERS_MAX) BAD("expect.ncontainers");
    for (i = 0; i < e->ncontainers; i++) {
        const lp_gate_container *c = &e->containers[i];
        if (!present(c->number)) BAD("expect.containers[%d].number", i);
        if (c->nseals < 0 || c->nseals > LP_GATE_SEALS_MAX) BAD("expect.containers[%d].nseals", i);
        for (s = 0; s < c->nseals; s++)
            if (!present(c->seals[s])) BAD("expect.containers[%d].seals[%d]", i, s);
    }
    if (e->goods_g < 0 || e->goods_g > LP_GATE_WEIGHT_MAX) BAD("expect.goods_g");
    if (e->tare_g < LP_GATE_NO_WEIGHT || e->tare_g > LP_GATE_WEIGHT_MAX) BAD("expect.tare_g");
    if (e->tol_g < 0 || e->tol_g > LP_GATE_WEIGHT_MAX) BAD("expect.tol_g");
    if (e->tol_permille < 0 || e->tol_permille > 1000) BAD("expect.tol_permille");
    for (i = 0; i < LP_GATE_AGENCIES; i++)
        if ((int)in->approvals[i].state < LP_GATE_ST_PENDING || (int)in->approvals[i].state > LP_GATE_ST_HOLD)
            BAD("approvals[%d].state", i);
    if ((int)in->channel < LP_RISK_GREEN || (int)in->channel > LP_RISK_RED) BAD("channel");
    if (rd->plate.confidence < 0 || rd->plate.confidence > 1000) BAD("read.plate.confidence");
    if (rd->trailer.confidence < 0 || rd->trailer.confidence > 1000) BAD("read.trailer.confidence");
    if (rd->ncontainers < 0 || rd->ncontainers > LP_GATE_CONTAINER_READS_MAX) BAD("read.ncontainers");
    for (i = 0; i < rd->ncontainers; i++)
        if (rd->containers[i].confidence < 0 || rd->containers[i].confidence > 1000)
            BAD("read.containers[%d].confidence", i);
    if (rd->nseals < 0 || rd->nseals > LP_GATE_SEAL_READS_MAX) BAD("read.nseals");
    if (rd->gross_g < LP_GATE_NO_WEIGHT || rd->gross_g > LP_GATE_WEIGHT_MAX) BAD("read.gross_g");
    if (in->min_plate_confidence < 0 || in->min_plate_confidence > 1000) BAD("min_plate_confidence");
    if (in->min_ocr_confidence < 0 || in->min_ocr_confidence > 1000) BAD("min_ocr_confidence");
#undef BAD
    return 0;
}

/* Decision ------------------------------------------------------------------- */

int lp_gate_decide(const lp_gate_input *in, lp_gate_result *out)
{
    int seen[LP_GATE_CONTAINERS_MAX] = {0};
    char bad[64];
    if (!out) return LP_EINVAL;
    out->decision = LP_GATE_OPEN;
    out->nreasons = 0;
    out->more = 0;
    out->weight_expected_g = out->weight_read_g = out->weight_tol_g = LP_GATE_NO_WEIGHT;
    if (!in) snprintf(bad, sizeof bad, "input");
    if (!in || invalid_field(in, bad, sizeof bad)) {
        add(out, LP_GATE_R_INPUT_INVALID, -1, "%s is missing or out of its limits", bad);
        return LP_EINVAL;
    }
    check_approvals(in, out);
    check_plate(in, out);
    check_trailer(in, out);
    check_containers(in, seen, out);
    check_weight(in, out);
    check_seals(in, seen, out);
    return LP_OK;
}

/* Names ---------------------------------------------------------------------- */

const char *lp_gate_code_name(lp_gate_code c)
{
    static const char *const names[LP_GATE_R__COUNT] = {
        "INPUT_INVALID", "APPROVAL_PENDING", "APPROVAL_REJECTED", "APPROVAL_HOLD",
        "CHANNEL_NEEDS_OFFICER", "PLATE_MISSING", "PLATE_LOW_CONFIDENCE", "PLATE_MISMATCH",
        "TRAILER_MISSING", "TRAILER_LOW_CONFIDENCE", "TRAILER_MISMATCH", "CONTAINER_MISSING",
        "CONTAINER_LOW_CONFIDENCE", "CONTAINER_UNEXPECTED", "WEIGHT_MISSING", "TARE_MISSING",
        "WEIGHT_OUT_OF_TOLERANCE", "SEAL_MISSING", "SEAL_UNEXPECTED",
    };
    return (int)c >= 0 && c < LP_GATE_R__COUNT ? names[c] : "?";
}

const char *lp_gate_decision_name(lp_gate_decision d)
{
    return d == LP_GATE_OPEN ? "open" : d == LP_GATE_HOLD ? "hold" : "?";
}

const char *lp_gate_agency_name(lp_gate_agency a)
{
    switch (a) {
    case LP_GATE_CUSTOMS: return "customs";
    case LP_GATE_BORDER_GUARD: return "border_guard";
    case LP_GATE_QUARANTINE: return "quarantine";
    case LP_GATE_AGENCIES: break;
    }
    return "?";
}

const char *lp_gate_state_name(lp_gate_state s)
{
    switch (s) {
    case LP_GATE_ST_PENDING: return "pending";
    case LP_GATE_ST_APPROVED: return "approved";
    case LP_GATE_ST_REJECTED: return "rejected";
    case LP_GATE_ST_HOLD: return "hold";
    }
    return "?";
}
