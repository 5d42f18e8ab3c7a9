/* schema_fees.c - schema v4: fee rate tables (data the operator edits) and
 * the versions they replaced, invoices with their lines, and payments
 * recorded by reference.  Money is integer đồng (BIGINT) everywhere. */
#include "schema_parts.h"
#include "invoices.h"
#include "table.h"

static const char v4_common[] =
    "CREATE TABLE fee_tables ("
    " id TEXT PRIMARY KEY, description TEXT NOT NULL, currency TEXT NOT NULL, rates TEXT NOT NULL,"
    " version BIGINT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);"
    /* Versions replaced by a PUT, so that an invoice's fee_table_version can be read back. */
    "CREATE TABLE fee_table_versions ("
    " fee_table_id TEXT NOT NULL REFERENCES fee_tables(id), version BIGINT NOT NULL, description TEXT NOT NULL,"
    " currency TEXT NOT NULL, rates TEXT NOT NULL, valid_from BIGINT NOT NULL, valid_until BIGINT NOT NULL,"
    " PRIMARY KEY (fee_table_id, version));"
    "CREATE TABLE invoices ("
    " id {{AUTOID}}, company_id BIGINT NOT NULL REFERENCES companies(id), number TEXT NOT NULL UNIQUE,"
    " subject_type TEXT NOT NULL, subject_id TEXT NOT NULL, declaration_id BIGINT, plate TEXT,"
    " fee_table_id TEXT NOT NULL, fee_table_version BIGINT NOT NULL, facts TEXT NOT NULL,"
    " currency TEXT NOT NULL, lines TEXT NOT NULL, total BIGINT NOT NULL, paid BIGINT NOT NULL DEFAULT 0,"
    " status TEXT NOT NULL, issued_at BIGINT NOT NULL, paid_at BIGINT,"
    " version BIGINT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,"
    " UNIQUE (subject_type, subject_id));"
    "CREATE INDEX invoices_company ON invoices(company_id, id);"
    "CREATE TABLE payments ("
    " id {{AUTOID}}, invoice_id BIGINT NOT NULL REFERENCES invoices(id), company_id BIGINT NOT NULL,"
    " reference TEXT NOT NULL UNIQUE, amount BIGINT NOT NULL, method TEXT NOT NULL, paid_at BIGINT NOT NULL,"
    " recorded_by TEXT NOT NULL,"
    " version BIGINT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);"
    "CREATE INDEX payments_invoice ON payments(invoice_id, id);";

/* Starting rate table of the yard and the gate's infrastructure fee: values
 * in the range the province charges (DESIGN.md: roughly 100,000 - 4,000,000
 * đồng per trip), by gross weight band; four free hours in the yard, then
 * 20,000 đồng per started hour, at most 300,000 đồng per 24 billable hours;
 * reefer power and dangerous-goods escort as surcharges.  The operator
 * replaces them through the API. */
static const char yard_rates[] =
    "{\"description\":\"Border-gate infrastructure and parking yard fees (Hữu Nghị)\",\"currency\":\"VND\","
    "\"rates\":["
    "{\"code\":\"INFRA\",\"description\":\"Infrastructure fee, up to 10 t\",\"kind\":\"per_trip\","
    "\"min_kg\":0,\"max_kg\":10000,\"amount\":150000},"
    "{\"code\":\"INFRA\",\"description\":\"Infrastructure fee, 10-20 t\",\"kind\":\"per_trip\","
    "\"min_kg\":10001,\"max_kg\":20000,\"amount\":400000},"
    "{\"code\":\"INFRA\",\"description\":\"Infrastructure fee, 20-30 t\",\"kind\":\"per_trip\","
    "\"min_kg\":20001,\"max_kg\":30000,\"amount\":1000000},"
    "{\"code\":\"INFRA\",\"description\":\"Infrastructure fee, over 30 t\",\"kind\":\"per_trip\","
    "\"min_kg\":30001,\"max_kg\":1000000,\"amount\":2000000},"
    "{\"code\":\"YARD\",\"description\":\"Parking yard time\",\"kind\":\"yard\","
    "\"min_kg\":0,\"max_kg\":1000000,\"amount\":20000,\"free_minutes\":240,\"daily_cap\":300000},"
    "{\"code\":\"REEFER\",\"description\":\"Reefer power supply\",\"kind\":\"per_trip\",\"optional\":true,"
    "\"goods\":\"refrigerated\",\"min_kg\":0,\"max_kg\":1000000,\"amount\":100000},"
    "{\"code\":\"DG\",\"description\":\"Dangerous goods escort\",\"kind\":\"per_trip\",\"optional\":true,"
    "\"goods\":\"dangerous\",\"min_kg\":0,\"max_kg\":1000000,\"amount\":500000}"
    "]}";

static int seed_fees(lp_store *st, lp_err *err)
{
    static const lp_actor sys = {"system:migration", LP_ROLE_ADMIN, 0, "default fee tables"};
    cJSON *j = cJSON_Parse(yard_rates);
    int rc;
    if (!j) return lp_err_set(err, LP_ENOMEM, "out of memory");
    rc = lp_table_insert(st, &lp_tbl_fee_tables, &sys, LP_FEES_YARD, j, NULL, err);
    cJSON_Delete(j);
    return rc;
}

const lp_schema_part lp_schema_fees = {4, "fees: rate tables, invoices, payments", v4_common, "", "", seed_fees};
