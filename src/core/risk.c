/* risk.c - customs risk selection (see risk.h).
 *
 * The only randomness is a hash of (seed, stream): each rule's draw and the
 * random minimum's draw are the first output of a splitmix64 generator
 * whose state is the seed mixed with the stream number.  Nothing depends on
 * the order or the number of rules, which is what makes a stored seed a
 * complete explanation of the decision. */
#include "risk.h"
#include "ident.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Draws ---------------------------------------------------------------------- */

/* The stream of the random minimum: rule ids are positive int64 values, so
 * as uint64 they never reach this one. */
#define RANDOM_STREAM UINT64_MAX

/* splitmix64 (Steele, Lea, Flood 2014; Vigna's reference constants). */
static uint64_t splitmix64_next(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* A draw in 0..999 from the stream of the given number.  The stream number
 * is mixed before it meets the seed so that neighbouring rule ids give
 * unrelated states.  Scaling the top 32 bits by multiplication is biased by
 * less than 1000 / 2^32, far below anything a per-mille rate can show. */
static int draw_permille(uint64_t seed, uint64_t stream)
{
    uint64_t key = stream;
    uint64_t state = seed ^ splitmix64_next(&key);
    uint64_t x = splitmix64_next(&state);
    return (int)(((x >> 32) * 1000u) >> 32);
}

/* Matching ------------------------------------------------------------------- */

static int has_band(const lp_risk_rule *r)
{
    return r->min_vnd_per_kg != LP_RISK_NO_BOUND || r->max_vnd_per_kg != LP_RISK_NO_BOUND;
}

static int has_line_conditions(const lp_risk_rule *r)
{
    return r->hs_prefix[0] || r->origin[0] || has_band(r);
}

/* Whether the HS code starts with the digits of prefix; callers may pass
 * "0810.90.10", so dots and spaces in the code are skipped. */
static int hs_match(const char *prefix, const char *code)
{
    if (!code) return 0;
    for (; *prefix; prefix++, code++) {
        while (*code == '.' || *code == ' ') code++;
        if (*code != *prefix) return 0;
    }
    return 1;
}

static int upper(int c) { return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c; }

static int origin_match(const char *want, const char *origin)
{
    return origin && upper(origin[0]) == want[0] && origin[0] && upper(origin[1]) == want[1] &&
           origin[2] == '\0';
}

/* value_vnd * 1000 / gross_g rounded down, saturating instead of
 * overflowing; -1 when the line has no weight or a negative value. */
static int64_t vnd_per_kg(const lp_risk_line *l)
{
    int64_t q, r;
    if (l->gross_g <= 0 || l->value_vnd < 0) return -1;
    q = l->value_vnd / l->gross_g;
    r = l->value_vnd % l->gross_g;
    if (q > INT64_MAX / 1000 - 1) return INT64_MAX;
    if (r <= INT64_MAX / 1000) return q * 1000 + r * 1000 / l->gross_g;
    return q * 1000 + (int64_t)((double)r * 1000.0 / (double)l->gross_g);
}

static int band_match(const lp_risk_rule *r, const lp_risk_line *l)
{
    int64_t v;
    if (!has_band(r)) return 1;
    v = vnd_per_kg(l);
    if (v < 0) return 0;
    if (r->min_vnd_per_kg != LP_RISK_NO_BOUND && v < r->min_vnd_per_kg) return 0;
    if (r->max_vnd_per_kg != LP_RISK_NO_BOUND && v > r->max_vnd_per_kg) return 0;
    return 1;
}

static int line_match(const lp_risk_rule *r, const lp_risk_line *l)
{
    if (r->hs_prefix[0] && !hs_match(r->hs_prefix, l->hs_code)) return 0;
    if (r->origin[0] && !origin_match(r->origin, l->origin)) return 0;
    return band_match(r, l);
}

/* Returns -2 when r does not match f, -1 when it matches the declaration
 * as a whole, else the index of the first matching line. */
static int rule_match(const lp_risk_rule *r, const lp_risk_facts *f)
{
    int i;
    if (!r->enabled) return -2;
    if (r->company_id != 0 && r->company_id != f->company_id) return -2;
    if (r->direction != LP_RISK_DIR_ANY && r->direction != f->direction) return -2;
    if (r->crossing_point_id[0] &&
        (!f->crossing_point_id || strcmp(r->crossing_point_id, f->crossing_point_id) != 0))
        return -2;
    if (!has_line_conditions(r)) return -1;
    for (i = 0; i < f->nlines; i++)
        if (line_match(r, &f->lines[i])) return i;
    return -2;
}

/* The list of matches holds LP_RISK_MATCH_MAX entries in rule order.  When
 * it is full, a fired match takes the place of the last non-fired one, so
 * that the rules that made the decision are the ones a reader sees. */
static void keep_match(lp_risk_result *out, const lp_risk_match *m)
{
    int i;
    if (out->nmatches < LP_RISK_MATCH_MAX) {
        out->matches[out->nmatches++] = *m;
        return;
    }
    out->more++;
    if (!m->fired) return;
    for (i = LP_RISK_MATCH_MAX - 1; i >= 0 && out->matches[i].fired; i--) continue;
    if (i < 0) return;
    memmove(&out->matches[i], &out->matches[i + 1],
            (size_t)(LP_RISK_MATCH_MAX - 1 - i) * sizeof out->matches[0]);
    out->matches[LP_RISK_MATCH_MAX - 1] = *m;
}

/* Explanation ---------------------------------------------------------------- */

/* A line of the explanation is at most about 260 bytes (a 100-byte name,
 * two 19-digit numbers, an HS code and the figures), so LP_RISK_EXPLAIN_MAX
 * holds 32 matches; should it not, the text ends in "..." rather than in
 * the middle of a sentence without notice. */
typedef struct text {
    char *buf;
    size_t cap, len;
} text;

static void say(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(text *t, const char *fmt, ...)
{
    va_list ap;
    int n;
    if (t->len + 4 >= t->cap) return;
    va_start(ap, fmt);
    n = vsnprintf(t->buf + t->len, t->cap - t->len - 4, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n >= t->cap - t->len - 4) {
        t->len = strlen(t->buf);
        memcpy(t->buf + t->len, "...", 4);
        t->len = t->cap; /* nothing more fits */
        return;
    }
    t->len += (size_t)n;
}

/* "0.300" for 300 per mille. */
#define PM(x) (x) / 1000, (x) % 1000

static void explain_match(text *t, const lp_risk_rule *r, const lp_risk_match *m,
                          const lp_risk_facts *f)
{
    say(t, "rule %lld '%s' matched ", (long long)r->id, r->name);
    if (m->line < 0) {
        say(t, "the declaration");
    } else {
        const lp_risk_line *l = &f->lines[m->line];
        say(t, "line %d (HS %.16s", m->line + 1, l->hs_code ? l->hs_code : "-");
        if (r->origin[0]) say(t, ", origin %.2s", l->origin);
        if (has_band(r)) say(t, ", %lld VND/kg", (long long)vnd_per_kg(l));
        say(t, ")");
    }
    if (m->fired)
        say(t, " and fired: %s (p=%d.%03d, draw %d.%03d)\n", lp_risk_channel_name(m->channel),
            PM(m->probability), PM(m->draw));
    else
        say(t, " but did not fire (p=%d.%03d, draw %d.%03d)\n", PM(m->probability), PM(m->draw));
}

static void explain(const lp_risk_rule *rules, const lp_risk_policy *p, const lp_risk_facts *f,
                    lp_risk_result *out, int decider)
{
    text t = {out->explain, sizeof out->explain, 0};
    int i;
    out->explain[0] = '\0';
    if (decider >= 0)
        say(&t, "channel %s, selected by rule %lld '%s'\n", lp_risk_channel_name(out->channel),
            (long long)rules[decider].id, rules[decider].name);
    else if (out->by_random)
        say(&t, "channel %s, selected by the random minimum\n", lp_risk_channel_name(out->channel));
    else
        say(&t, "channel green: no rule fired and the random minimum selected nothing\n");
    for (i = 0; i < out->nmatches; i++)
        explain_match(&t, &rules[out->matches[i].rule], &out->matches[i], f);
    if (out->more)
        say(&t, "%d more matching rules not listed\n", out->more);
    /* The thresholds, not the rates, so that a reader can compare the draw. */
    say(&t, "random minimum: %s (draw %d.%03d; red below %d.%03d, yellow below %d.%03d)",
        out->random_channel == LP_RISK_GREEN ? "nothing" : lp_risk_channel_name(out->random_channel),
        PM(out->random_draw), PM(p->min_red_permille),
        PM(p->min_red_permille + p->min_yellow_permille));
}

/* Decision ------------------------------------------------------------------- */

/* Writes the fail-closed result of an invalid call (see risk.h). */
static int refuse(lp_risk_result *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int refuse(lp_risk_result *out, const char *fmt, ...)
{
    va_list ap;
    if (!out) return LP_EINVAL;
    memset(out, 0, sizeof *out);
    out->channel = LP_RISK_RED;
    va_start(ap, fmt);
    vsnprintf(out->explain, sizeof out->explain, fmt, ap);
    va_end(ap);
    return LP_EINVAL;
}

static int check_args(const lp_risk_rule *rules, int n, const lp_risk_policy *policy,
                      const lp_risk_facts *f, lp_risk_result *out)
{
    lp_err e;
    int i;
    if (!policy || !f || n < 0 || (n > 0 && !rules))
        return refuse(out, "invalid call: missing policy, facts or rules");
    lp_err_init(&e);
    if (lp_risk_policy_check(policy, &e) != LP_OK)
        return refuse(out, "invalid policy: %s %s", e.fields[0].pointer, e.fields[0].msg);
    if (f->direction != LP_RISK_EXPORT && f->direction != LP_RISK_IMPORT)
        return refuse(out, "invalid facts: direction must be export or import");
    if (f->nlines < 0 || (f->nlines > 0 && !f->lines))
        return refuse(out, "invalid facts: %d goods lines", f->nlines);
    for (i = 0; i < n; i++) {
        if (!rules[i].enabled) continue;
        if (rules[i].id < 1)
            return refuse(out, "invalid rule at index %d: id %lld is not >= 1", i,
                          (long long)rules[i].id);
        if (lp_risk_rule_check(&rules[i], &e) != LP_OK)
            return refuse(out, "invalid rule %lld: %s %s", (long long)rules[i].id,
                          e.fields[0].pointer, e.fields[0].msg);
    }
    return LP_OK;
}

int lp_risk_decide(const lp_risk_rule *rules, int n, const lp_risk_policy *policy,
                   const lp_risk_facts *f, uint64_t seed, lp_risk_result *out)
{
    int i, decider = -1;
    int rc = check_args(rules, n, policy, f, out);
    if (rc != LP_OK || !out) return LP_EINVAL;
    memset(out, 0, sizeof *out);
    out->channel = LP_RISK_GREEN;
    for (i = 0; i < n; i++) {
        lp_risk_match m;
        int line = rule_match(&rules[i], f);
        if (line == -2) continue;
        m.rule_id = rules[i].id;
        m.rule = i;
        m.line = line;
        m.channel = rules[i].channel;
        m.probability = rules[i].probability;
        m.draw = draw_permille(seed, (uint64_t)rules[i].id);
        m.fired = m.draw < m.probability;
        keep_match(out, &m);
        if (m.fired && (decider < 0 || m.channel > out->channel)) {
            out->channel = m.channel;
            decider = i;
        }
    }
    out->random_draw = draw_permille(seed, RANDOM_STREAM);
    if (out->random_draw < policy->min_red_permille)
        out->random_channel = LP_RISK_RED;
    else if (out->random_draw < policy->min_red_permille + policy->min_yellow_permille)
        out->random_channel = LP_RISK_YELLOW;
    else
        out->random_channel = LP_RISK_GREEN;
    if (out->random_channel > out->channel) {
        out->channel = out->random_channel;
        out->by_random = 1;
        decider = -1;
    }
    out->decided_by = decider >= 0 ? rules[decider].id : 0;
    explain(rules, policy, f, out, decider);
    return LP_OK;
}

/* Validation ----------------------------------------------------------------- */

/* Whether the fixed-size field holds a terminated string. */
#define TERMINATED(a) (memchr((a), '\0', sizeof(a)) != NULL)

static void check_hs_prefix(const char *s, lp_err *err)
{
    size_t i, n = strlen(s);
    for (i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') {
            lp_err_field_add(err, "/hs_prefix", "must be digits only, got '%.10s'", s);
            return;
        }
    if (n < LP_RISK_HS_MIN || n > LP_RISK_HS_MAX)
        lp_err_field_add(err, "/hs_prefix", "must be %d to %d digits, got %zu", LP_RISK_HS_MIN,
                         LP_RISK_HS_MAX, n);
}

static void check_point(const char *s, lp_err *err)
{
    size_t i, n = strlen(s);
    if (n < 2) {
        lp_err_field_add(err, "/crossing_point_id", "must be 2 to %d characters", LP_RISK_POINT_MAX);
        return;
    }
    for (i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-')) {
            lp_err_field_add(err, "/crossing_point_id",
                             "must be lower-case letters, digits and '-', got '%.40s'", s);
            return;
        }
}

static void check_name(const lp_risk_rule *r, lp_err *err)
{
    const char *s;
    if (!TERMINATED(r->name)) {
        lp_err_field_add(err, "/name", "must be at most %d bytes", LP_RISK_NAME_MAX);
        return;
    }
    if (!r->name[0]) lp_err_field_add(err, "/name", "must not be empty");
    /* A name is printed inside one line of the explanation. */
    for (s = r->name; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f) {
            lp_err_field_add(err, "/name", "must not contain control characters");
            return;
        }
}

static void check_band(const lp_risk_rule *r, lp_err *err)
{
    if (r->min_vnd_per_kg < LP_RISK_NO_BOUND)
        lp_err_field_add(err, "/min_vnd_per_kg", "must be >= 0, or absent for no lower bound");
    if (r->max_vnd_per_kg < LP_RISK_NO_BOUND)
        lp_err_field_add(err, "/max_vnd_per_kg", "must be >= 0, or absent for no upper bound");
    if (r->min_vnd_per_kg >= 0 && r->max_vnd_per_kg >= 0 && r->min_vnd_per_kg > r->max_vnd_per_kg)
        lp_err_field_add(err, "/max_vnd_per_kg", "must be at least min_vnd_per_kg (%lld), got %lld",
                         (long long)r->min_vnd_per_kg, (long long)r->max_vnd_per_kg);
}

int lp_risk_rule_check(const lp_risk_rule *r, lp_err *err)
{
    char why[160];
    lp_err local;
    int before;
    /* Field errors are counted, so a caller that wants only the verdict
     * still gets one through a structure of our own. */
    if (!err) {
        lp_err_init(&local);
        err = &local;
    }
    if (!r) return lp_err_set(err, LP_EINVAL, "rule is missing");
    before = err->nfields + err->more;
    if (r->id < 0) lp_err_field_add(err, "/id", "must be positive, got %lld", (long long)r->id);
    check_name(r, err);
    if (!TERMINATED(r->hs_prefix))
        lp_err_field_add(err, "/hs_prefix", "must be %d to %d digits", LP_RISK_HS_MIN, LP_RISK_HS_MAX);
    else if (r->hs_prefix[0])
        check_hs_prefix(r->hs_prefix, err);
    if (!TERMINATED(r->origin))
        lp_err_field_add(err, "/origin", "must be 2 upper-case letters");
    else if (r->origin[0] && lp_ident_country(r->origin, why, sizeof why) != LP_OK)
        lp_err_field_add(err, "/origin", "%s", why);
    if (r->company_id < 0)
        lp_err_field_add(err, "/company_id", "must be a company id, got %lld", (long long)r->company_id);
    if ((int)r->direction < LP_RISK_DIR_ANY || (int)r->direction > LP_RISK_IMPORT)
        lp_err_field_add(err, "/direction", "must be export or import, or absent for both");
    if (!TERMINATED(r->crossing_point_id))
        lp_err_field_add(err, "/crossing_point_id", "must be 2 to %d characters", LP_RISK_POINT_MAX);
    else if (r->crossing_point_id[0])
        check_point(r->crossing_point_id, err);
    check_band(r, err);
    if (r->channel != LP_RISK_YELLOW && r->channel != LP_RISK_RED)
        lp_err_field_add(err, "/channel", "must be yellow or red (a rule cannot lower the channel)");
    if (r->probability < 0 || r->probability > 1000)
        lp_err_field_add(err, "/probability", "must be 0 to 1000 per mille, got %d", r->probability);
    return err->nfields + err->more > before ? LP_EINVAL : LP_OK;
}

int lp_risk_policy_check(const lp_risk_policy *p, lp_err *err)
{
    int rc = LP_OK;
    if (!p) return lp_err_set(err, LP_EINVAL, "policy is missing");
    if (p->min_yellow_permille < 0 || p->min_yellow_permille > 1000)
        rc = lp_err_field_add(err, "/min_yellow_permille", "must be 0 to 1000 per mille, got %d",
                              p->min_yellow_permille);
    if (p->min_red_permille < 0 || p->min_red_permille > 1000)
        rc = lp_err_field_add(err, "/min_red_permille", "must be 0 to 1000 per mille, got %d",
                              p->min_red_permille);
    else if (rc == LP_OK && p->min_yellow_permille + p->min_red_permille > 1000)
        rc = lp_err_field_add(err, "/min_red_permille",
                              "yellow + red must not exceed 1000 per mille, got %d + %d",
                              p->min_yellow_permille, p->min_red_permille);
    return rc;
}

/* Names ---------------------------------------------------------------------- */

const char *lp_risk_channel_name(lp_risk_channel c)
{
    switch (c) {
    case LP_RISK_GREEN: return "green";
    case LP_RISK_YELLOW: return "yellow";
    case LP_RISK_RED: return "red";
    }
    return "?";
}

const char *lp_risk_dir_name(lp_risk_dir d)
{
    switch (d) {
    case LP_RISK_DIR_ANY: return "any";
    case LP_RISK_EXPORT: return "export";
    case LP_RISK_IMPORT: return "import";
    }
    return "?";
}
