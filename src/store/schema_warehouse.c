/* schema_warehouse.c - schema v6: the self-service bonded warehouse.
 * Warehouses and their storage units (data the operator edits),
 * reservations of a unit for a period, one-time access codes (only a salted
 * hash of the secret is stored), stock lots and the ledger of their
 * movements; seeded with a warehouse near the Hữu Nghị gate and the
 * "warehouse" fee table.  Stock is whole packages and grams (BIGINT). */
#include "schema_parts.h"
#include "invoices.h"
#include "table.h"
#include "warehouse.h"

static const char v6_common[] =
    "CREATE TABLE warehouses ("
    " id TEXT PRIMARY KEY, name TEXT NOT NULL, name_vi TEXT, name_zh TEXT, crossing_point_id TEXT,"
    " address TEXT, status TEXT NOT NULL, overstay_days BIGINT NOT NULL, code_validity_minutes BIGINT NOT NULL,"
    " max_code_attempts BIGINT NOT NULL,"
    " version BIGINT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);"
    "CREATE TABLE storage_units ("
    " id {{AUTOID}}, warehouse_id TEXT NOT NULL REFERENCES warehouses(id), code TEXT NOT NULL,"
    " kind TEXT NOT NULL, area_m2 BIGINT, pallet_places BIGINT, temp_min_c BIGINT, temp_max_c BIGINT,"
    " status TEXT NOT NULL, notes TEXT, lock_seq BIGINT NOT NULL DEFAULT 0,"
    " version BIGINT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,"
    " UNIQUE (warehouse_id, code));"
    "CREATE TABLE wh_reservations ("
    " id {{AUTOID}}, company_id BIGINT NOT NULL REFERENCES companies(id),"
    " unit_id BIGINT NOT NULL REFERENCES storage_units(id), warehouse_id TEXT NOT NULL,"
    " starts_at BIGINT NOT NULL, ends_at BIGINT NOT NULL, status TEXT NOT NULL, note TEXT, cancelled_at BIGINT,"
    " version BIGINT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);"
    "CREATE INDEX wh_reservations_unit ON wh_reservations(unit_id, status, starts_at);"
    "CREATE INDEX wh_reservations_company ON wh_reservations(company_id, id);"
    "CREATE TABLE wh_codes ("
    " id {{AUTOID}}, company_id BIGINT NOT NULL REFERENCES companies(id),"
    " reservation_id BIGINT NOT NULL REFERENCES wh_reservations(id),"
    " declaration_id BIGINT NOT NULL REFERENCES declarations(id), purpose TEXT NOT NULL, plate TEXT NOT NULL,"
    " salt TEXT NOT NULL DEFAULT '', hash TEXT NOT NULL DEFAULT '', valid_from BIGINT NOT NULL,"
    " expires_at BIGINT NOT NULL, used_at BIGINT,"
    " attempts BIGINT NOT NULL DEFAULT 0, status TEXT NOT NULL, last_outcome TEXT,"
    " version BIGINT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);"
    "CREATE INDEX wh_codes_company ON wh_codes(company_id, id);"
    "CREATE TABLE wh_lots ("
    " id {{AUTOID}}, company_id BIGINT NOT NULL REFERENCES companies(id),"
    " declaration_id BIGINT NOT NULL REFERENCES declarations(id),"
    " reservation_id BIGINT NOT NULL, unit_id BIGINT NOT NULL REFERENCES storage_units(id),"
    " warehouse_id TEXT NOT NULL, unit_kind TEXT NOT NULL, checkin_code_id BIGINT, kind TEXT NOT NULL,"
    " ref TEXT NOT NULL, packages_in BIGINT NOT NULL, grams_in BIGINT NOT NULL,"
    " packages_out BIGINT NOT NULL DEFAULT 0, grams_out BIGINT NOT NULL DEFAULT 0,"
    " packages_on_hand BIGINT NOT NULL, grams_on_hand BIGINT NOT NULL,"
    " checked_in_at BIGINT NOT NULL, closed_at BIGINT, overstay_at BIGINT, invoice_id BIGINT,"
    " status TEXT NOT NULL,"
    " version BIGINT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,"
    " CHECK (packages_on_hand >= 0 AND grams_on_hand >= 0));"
    "CREATE INDEX wh_lots_company ON wh_lots(company_id, status, id);"
    "CREATE INDEX wh_lots_declaration ON wh_lots(declaration_id, id);"
    "CREATE TABLE wh_moves ("
    " id {{AUTOID}}, lot_id BIGINT NOT NULL REFERENCES wh_lots(id), company_id BIGINT NOT NULL,"
    " declaration_id BIGINT NOT NULL, unit_id BIGINT NOT NULL, direction TEXT NOT NULL,"
    " packages BIGINT NOT NULL, grams BIGINT NOT NULL, code_id BIGINT,"
    " version BIGINT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);"
    "CREATE INDEX wh_moves_lot ON wh_moves(lot_id, id);";

/* The warehouse next to the main gate road, and its units: starting data the
 * operator changes through the API. */
static const char seed_warehouse[] =
    "{\"name\":\"Hữu Nghị self-service bonded warehouse\",\"name_vi\":\"Kho ngoại quan tự phục vụ Hữu Nghị\","
    "\"name_zh\":\"友谊关自助保税仓库\",\"crossing_point_id\":\"huunghi-main\","
    "\"address\":\"Khu kinh tế cửa khẩu Đồng Đăng – Lạng Sơn, near the Hữu Nghị gate\",\"status\":\"open\","
    "\"overstay_days\":30,\"code_validity_minutes\":120,\"max_code_attempts\":5}";

static const char *const seed_units[] = {
    "{\"code\":\"D-01\",\"kind\":\"dry\",\"area_m2\":500,\"status\":\"available\",\"notes\":\"Dry goods hall, ground floor\"}",
    "{\"code\":\"D-02\",\"kind\":\"dry\",\"area_m2\":500,\"status\":\"available\"}",
    "{\"code\":\"D-03\",\"kind\":\"dry\",\"pallet_places\":40,\"status\":\"available\",\"notes\":\"Pallet racks\"}",
    "{\"code\":\"C-01\",\"kind\":\"cold\",\"area_m2\":200,\"temp_min_c\":2,\"temp_max_c\":8,\"status\":\"available\","
    "\"notes\":\"Chilled: fresh fruit and vegetables\"}",
    "{\"code\":\"C-02\",\"kind\":\"cold\",\"pallet_places\":60,\"temp_min_c\":-25,\"temp_max_c\":-18,"
    "\"status\":\"available\",\"notes\":\"Frozen\"}",
    "{\"code\":\"B-01\",\"kind\":\"bonded\",\"area_m2\":800,\"status\":\"available\"}",
    "{\"code\":\"B-02\",\"kind\":\"bonded\",\"area_m2\":800,\"status\":\"available\"}",
    "{\"code\":\"B-03\",\"kind\":\"bonded\",\"pallet_places\":120,\"status\":\"available\"}",
};

/* Storage: the first 24 hours free, then 10,000 đồng per started hour, at
 * most 150,000 đồng per 24 billable hours; handling once per lot by gross
 * weight; cold-chain surcharge for refrigerated lots. */
static const char warehouse_rates[] =
    "{\"description\":\"Self-service bonded warehouse fees (Hữu Nghị)\",\"currency\":\"VND\",\"rates\":["
    "{\"code\":\"STORAGE\",\"description\":\"Storage time\",\"kind\":\"yard\",\"min_kg\":0,\"max_kg\":1000000,"
    "\"amount\":10000,\"free_minutes\":1440,\"daily_cap\":150000},"
    "{\"code\":\"HANDLING\",\"description\":\"Handling, up to 10 t\",\"kind\":\"per_trip\",\"min_kg\":0,"
    "\"max_kg\":10000,\"amount\":200000},"
    "{\"code\":\"HANDLING\",\"description\":\"Handling, 10-30 t\",\"kind\":\"per_trip\",\"min_kg\":10001,"
    "\"max_kg\":30000,\"amount\":500000},"
    "{\"code\":\"HANDLING\",\"description\":\"Handling, over 30 t\",\"kind\":\"per_trip\",\"min_kg\":30001,"
    "\"max_kg\":1000000,\"amount\":1000000},"
    "{\"code\":\"COLD\",\"description\":\"Cold-chain storage\",\"kind\":\"per_trip\",\"optional\":true,"
    "\"goods\":\"refrigerated\",\"min_kg\":0,\"max_kg\":1000000,\"amount\":300000}"
    "]}";

/* Inserts the record json into t (with warehouse_id set when not NULL). */
static int insert_json(lp_store *st, const lp_actor *who, const lp_table *t, const char *id, const char *json,
                       const char *warehouse_id, lp_err *err)
{
    cJSON *j = cJSON_Parse(json);
    int rc;
    if (!j) return lp_err_set(err, LP_ENOMEM, "out of memory");
    if (warehouse_id) cJSON_AddStringToObject(j, "warehouse_id", warehouse_id);
    rc = lp_table_insert(st, t, who, id, j, NULL, err);
    cJSON_Delete(j);
    return rc;
}

static int seed_warehouse_data(lp_store *st, lp_err *err)
{
    static const lp_actor sys = {"system:migration", LP_ROLE_ADMIN, 0, "default warehouse data"};
    size_t i;
    int rc = insert_json(st, &sys, &lp_tbl_warehouses, LP_WH_SEED_ID, seed_warehouse, NULL, err);
    for (i = 0; rc == LP_OK && i < sizeof seed_units / sizeof seed_units[0]; i++)
        rc = insert_json(st, &sys, &lp_tbl_storage_units, NULL, seed_units[i], LP_WH_SEED_ID, err);
    if (rc == LP_OK) rc = insert_json(st, &sys, &lp_tbl_fee_tables, LP_FEES_WAREHOUSE, warehouse_rates, NULL, err);
    return rc;
}

const lp_schema_part lp_schema_warehouse = {6, "bonded warehouse: units, reservations, access codes, stock",
                                            v6_common, "", "", seed_warehouse_data};
