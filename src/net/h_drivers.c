/* h_drivers.c - drivers: identity document, nationality, licence and its
 * validity.  A company registers and sees only its own; staff read all.
 * Each record carries licence_status computed from today's date in the gate's
 * time zone (valid, expiring within 30 days, expired). */
#include "handlers.h"
#include "../core/ident.h"
#include "../store/resources.h"

#include <stdio.h>
#include <string.h>

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const char *const doc_kinds[] = {"vn_cccd", "cn_id", "passport", "border_pass", NULL};
static const char *const statuses[] = {"active", "inactive", NULL};

#define DRIVER_FIELDS(req, idflag)                                                                         \
    {"company_id", LP_J_INT, idflag, 1, 9007199254740991LL, NULL, NULL,                                  \
     "Employer (required for staff; a company token registers for itself)", "1"},                        \
    {"full_name", LP_J_STRING, req, 1, 120, NULL, NULL, "Full name as in the document", "\"Nguyễn Văn An\""}, \
    {"nationality", LP_J_STRING, req, 2, 2, NULL, NULL, "ISO 3166-1 alpha-2", "\"VN\""},                   \
    {"document_kind", LP_J_ENUM, req | idflag, 0, 0, doc_kinds, NULL,                                      \
     "vn_cccd (12 digits), cn_id (18, check character), passport, border_pass", NULL},                     \
    {"document_number", LP_J_STRING, req | idflag, 5, 30, NULL, NULL, "Document number", "\"001089012345\""}, \
    {"licence_number", LP_J_STRING, req, 4, 32, NULL, NULL, "Driving licence number", NULL},               \
    {"licence_class", LP_J_STRING, LP_JF_NULLABLE, 1, 8, NULL, NULL, "Licence class, e.g. C, FC", NULL},   \
    {"licence_valid_until", LP_J_STRING, req, 10, 10, NULL, NULL, "Last day of validity, YYYY-MM-DD", "\"2030-06-30\""}, \
    {"phone", LP_J_STRING, LP_JF_NULLABLE, 6, 30, NULL, NULL, "Phone for queue notifications", NULL},      \
    {"status", LP_J_ENUM, 0, 0, 0, statuses, NULL, "active or inactive", NULL}

static const lp_jfield create_fields[] = {DRIVER_FIELDS(LP_JF_REQUIRED, 0)};
const lp_jspec lp_spec_driver_create = {create_fields, N(create_fields)};
static const lp_jfield patch_fields[] = {DRIVER_FIELDS(0, LP_JF_CREATE_ONLY)};
const lp_jspec lp_spec_driver_patch = {patch_fields, N(patch_fields)};

/* Today in the gate's time zone (Asia/Ho_Chi_Minh, UTC+7, no daylight time),
 * as days since 1970-01-01. */
static long today(lp_req *r)
{
    const lp_clock *ck = lp_store_clock(r->store);
    int64_t ms = ck->now_ms(ck->ud) + 7 * 3600 * 1000LL;
    return (long)(ms >= 0 ? ms / 86400000 : (ms - 86399999) / 86400000);
}

static void decorate(lp_req *r, cJSON *rec)
{
    const char *until = lp_json_str(rec, "licence_valid_until");
    long d, t = today(r);
    const char *status = "unknown";
    if (until && lp_ident_date(until, &d, NULL, 0) == 0)
        status = d < t ? "expired" : d - t <= 30 ? "expiring" : "valid";
    cJSON_AddStringToObject(rec, "licence_status", status);
}

static const char *const driver_filters[] = {"company_id", "nationality", "document_number", "status", NULL};

void lp_h_drivers_list(lp_req *r) { net__list(r, &lp_tbl_drivers, driver_filters, decorate); }
void lp_h_drivers_get(lp_req *r) { net__get(r, &lp_tbl_drivers, decorate); }

static void check_common(cJSON *values, lp_err *err)
{
    const char *nat = lp_json_str(values, "nationality"), *until = lp_json_str(values, "licence_valid_until");
    char why[160];
    if (nat && lp_ident_country(nat, why, sizeof why)) lp_err_field_add(err, "/nationality", "%s", why);
    if (until && lp_ident_date(until, NULL, why, sizeof why)) lp_err_field_add(err, "/licence_valid_until", "%s", why);
}

void lp_check_driver_create(lp_req *r, lp_err *err)
{
    const char *kind = lp_json_str(r->body, "document_kind"), *num = lp_json_str(r->body, "document_number");
    char canon[64], why[160];
    if (net__owner(r, r->body, "drivers", err) == LP_EFORBIDDEN) return;
    if (kind && num) {
        if (lp_ident_document(kind, num, canon, sizeof canon, why, sizeof why))
            lp_err_field_add(err, "/document_number", "%s", why);
        else
            cJSON_ReplaceItemInObjectCaseSensitive(r->body, "document_number", cJSON_CreateString(canon));
    }
    check_common(r->body, err);
}

void lp_check_driver_patch(lp_req *r, lp_err *err)
{
    check_common(r->body, err);
}

void lp_h_drivers_create(lp_req *r)
{
    net__create(r, &lp_tbl_drivers, NULL, r->body, "/document_number", decorate);
}

void lp_h_drivers_patch(lp_req *r)
{
    net__patch(r, &lp_tbl_drivers, r->body, NULL, decorate);
}
