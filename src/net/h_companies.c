/* h_companies.c - companies: exporters, importers, transport firms.
 * Staff read all; operators and admins register and suspend them; a company
 * token sees and changes only its own record, and only its contact details. */
#include "handlers.h"
#include "../core/ident.h"
#include "../store/resources.h"

#include <stdio.h>
#include <string.h>

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const char *const countries[] = {"VN", "CN", NULL};
static const char *const kinds[] = {"exporter", "importer", "transport", "broker", "warehouse", NULL};
static const char *const statuses[] = {"active", "suspended", NULL};

#define COMPANY_FIELDS(req, idflag)                                                                        \
    {"name", LP_J_STRING, req, 1, 200, NULL, NULL, "Registered name", "\"Công ty TNHH Vận tải Bảo Nguyên\""}, \
    {"country", LP_J_ENUM, req | idflag, 0, 0, countries, NULL, "Country of registration", "\"VN\""},       \
    {"tax_id", LP_J_STRING, req | idflag, 1, 24, NULL, NULL,                                             \
     "Tax id: Vietnamese MST (10 or 13 digits, check digit) or Chinese unified social credit code (18, check character)", \
     "\"0100109106\""},                                                                                    \
    {"kinds", LP_J_ENUM_ARRAY, 0, 0, 5, kinds, NULL, "What the company does at the gate", NULL},          \
    {"address", LP_J_STRING, LP_JF_NULLABLE, 0, 500, NULL, NULL, "Postal address", NULL},                  \
    {"email", LP_J_STRING, LP_JF_NULLABLE, 3, 200, NULL, NULL, "Contact e-mail", NULL},                    \
    {"phone", LP_J_STRING, LP_JF_NULLABLE, 6, 30, NULL, NULL, "Contact phone, international format", "\"+84 205 3851 234\""}, \
    {"status", LP_J_ENUM, 0, 0, 0, statuses, NULL, "active, or suspended (may not declare or book)", NULL}

static const lp_jfield create_fields[] = {COMPANY_FIELDS(LP_JF_REQUIRED, 0)};
const lp_jspec lp_spec_company_create = {create_fields, N(create_fields)};
static const lp_jfield patch_fields[] = {COMPANY_FIELDS(0, LP_JF_CREATE_ONLY)};
const lp_jspec lp_spec_company_patch = {patch_fields, N(patch_fields)};

static void check_contact(const cJSON *b, lp_err *err)
{
    const char *email = lp_json_str(b, "email"), *phone = lp_json_str(b, "phone"), *p;
    if (email) {
        const char *at = strchr(email, '@');
        if (!at || at == email || strchr(at + 1, '@') || !strchr(at + 1, '.') || strchr(email, ' '))
            lp_err_field_add(err, "/email", "is not an e-mail address");
    }
    if (phone) {
        int digits = 0;
        for (p = phone; *p; p++) {
            if (*p >= '0' && *p <= '9') digits++;
            else if (!strchr("+ ()-.", *p) || (*p == '+' && p != phone)) {
                lp_err_field_add(err, "/phone", "may hold digits, a leading '+', spaces, '(', ')', '-' and '.'");
                return;
            }
        }
        if (digits < 6 || digits > 15) lp_err_field_add(err, "/phone", "must have 6 to 15 digits");
    }
}

static const char *const company_filters[] = {"country", "tax_id", "status", NULL};

void lp_h_companies_list(lp_req *r) { net__list(r, &lp_tbl_companies, company_filters, NULL); }
void lp_h_companies_get(lp_req *r) { net__get(r, &lp_tbl_companies, NULL); }

void lp_check_company_create(lp_req *r, lp_err *err)
{
    const char *country = lp_json_str(r->body, "country"), *tax = lp_json_str(r->body, "tax_id");
    char canon[40], why[160];
    if (country && tax) {
        if (lp_ident_taxid(country, tax, canon, sizeof canon, why, sizeof why))
            lp_err_field_add(err, "/tax_id", "%s", why);
        else
            cJSON_ReplaceItemInObjectCaseSensitive(r->body, "tax_id", cJSON_CreateString(canon));
    }
    check_contact(r->body, err);
}

void lp_check_company_patch(lp_req *r, lp_err *err)
{
    const cJSON *m;
    if (r->who.role == LP_ROLE_COMPANY) {
        /* A company keeps its own contact details; its identity and standing
         * are the gate's to change. */
        int forbidden = 0;
        cJSON_ArrayForEach(m, r->body) {
            if (strcmp(m->string, "address") && strcmp(m->string, "email") && strcmp(m->string, "phone") &&
                strcmp(m->string, "country") && strcmp(m->string, "tax_id")) {
                char ptr[96];
                snprintf(ptr, sizeof ptr, "/%.90s", m->string);
                lp_err_field_add(err, ptr, "a company may change only address, email and phone");
                forbidden = 1;
            }
        }
        if (forbidden) {
            err->code = LP_EFORBIDDEN;
            snprintf(err->msg, sizeof err->msg, "a company may change only its contact details");
            return;
        }
    }
    check_contact(r->body, err);
}

void lp_h_companies_create(lp_req *r)
{
    if (!cJSON_GetObjectItemCaseSensitive(r->body, "kinds")) cJSON_AddItemToObject(r->body, "kinds", cJSON_CreateArray());
    net__create(r, &lp_tbl_companies, NULL, r->body, "/tax_id", NULL);
}

void lp_h_companies_patch(lp_req *r)
{
    net__patch(r, &lp_tbl_companies, r->body, NULL, NULL);
}
