/* schema.c - versioned schema migrations and the default data.
 *
 * Migrations are numbered from 1 and applied in order, each in its own
 * transaction together with the new version number in schema_meta.  On
 * PostgreSQL an advisory lock keeps two nodes starting at once from both
 * migrating.  A database whose version is above what this binary knows is
 * refused rather than guessed at. */
#include "store.h"
#include "resources.h"
#include "schema_parts.h"
#include "../core/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef lp_schema_part migration;

static int seed_site(lp_store *st, lp_err *err);

static const char v1_common[] =
    "CREATE TABLE gate_pairs ("
    " id TEXT PRIMARY KEY, name TEXT NOT NULL, name_vi TEXT, name_zh TEXT,"
    " country TEXT NOT NULL, partner_country TEXT NOT NULL,"
    " timezone TEXT NOT NULL, partner_timezone TEXT NOT NULL,"
    " version BIGINT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);"
    "CREATE TABLE crossing_points ("
    " id TEXT PRIMARY KEY, gate_pair_id TEXT NOT NULL REFERENCES gate_pairs(id),"
    " name TEXT NOT NULL, name_vi TEXT, name_zh TEXT, kind TEXT NOT NULL, markers TEXT NOT NULL,"
    " directions TEXT NOT NULL, lanes BIGINT NOT NULL, opening_hours TEXT NOT NULL,"
    " capacity_per_hour BIGINT NOT NULL, status TEXT NOT NULL, agv BIGINT NOT NULL DEFAULT 0,"
    " agv_windows TEXT NOT NULL DEFAULT '[]', length_m BIGINT, notes TEXT,"
    " version BIGINT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);"
    "CREATE TABLE companies ("
    " id {{AUTOID}}, name TEXT NOT NULL, country TEXT NOT NULL, tax_id TEXT NOT NULL,"
    " kinds TEXT NOT NULL DEFAULT '[]', address TEXT, email TEXT, phone TEXT,"
    " status TEXT NOT NULL DEFAULT 'active',"
    " version BIGINT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,"
    " UNIQUE (country, tax_id));"
    "CREATE TABLE vehicles ("
    " id {{AUTOID}}, company_id BIGINT NOT NULL REFERENCES companies(id), kind TEXT NOT NULL,"
    " plate_country TEXT NOT NULL, plate TEXT NOT NULL, trailer_country TEXT, trailer_plate TEXT,"
    " max_gross_kg BIGINT, status TEXT NOT NULL DEFAULT 'active',"
    " version BIGINT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,"
    " UNIQUE (plate_country, plate));"
    "CREATE INDEX vehicles_company ON vehicles(company_id, id);"
    "CREATE TABLE drivers ("
    " id {{AUTOID}}, company_id BIGINT NOT NULL REFERENCES companies(id), full_name TEXT NOT NULL,"
    " nationality TEXT NOT NULL, document_kind TEXT NOT NULL, document_number TEXT NOT NULL,"
    " licence_number TEXT NOT NULL, licence_class TEXT, licence_valid_until TEXT NOT NULL,"
    " phone TEXT, status TEXT NOT NULL DEFAULT 'active',"
    " version BIGINT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,"
    " UNIQUE (document_kind, document_number));"
    "CREATE INDEX drivers_company ON drivers(company_id, id);"
    "CREATE TABLE tokens ("
    " id {{AUTOID}}, name TEXT NOT NULL, role TEXT NOT NULL,"
    " company_id BIGINT REFERENCES companies(id), hash TEXT NOT NULL UNIQUE,"
    " created_by TEXT NOT NULL, revoked_at BIGINT,"
    " version BIGINT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);"
    "CREATE TABLE audit_head (id BIGINT PRIMARY KEY, seq BIGINT NOT NULL, hash TEXT NOT NULL);"
    "INSERT INTO audit_head VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');"
    "CREATE TABLE audit_events ("
    " seq BIGINT PRIMARY KEY, ts BIGINT NOT NULL, actor TEXT NOT NULL, role TEXT NOT NULL,"
    " company_id BIGINT, action TEXT NOT NULL, object_type TEXT NOT NULL, object_id TEXT NOT NULL,"
    " before_json TEXT, after_json TEXT, reason TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
    "CREATE INDEX audit_events_object ON audit_events(object_type, object_id, seq);"
    "CREATE INDEX audit_events_company ON audit_events(company_id, seq);";

/* The audit log is append-only for every SQL user of the database. */
static const char v1_sqlite[] =
    "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events"
    " BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;"
    "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events"
    " BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;";

static const char v1_pg[] =
    "CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS"
    " $$BEGIN RAISE EXCEPTION 'audit events are append-only'; END$$;"
    "CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events"
    " FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();"
    "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events"
    " FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();";

/* Smart clearance: declarations, risk rules, agency tasks, gate passages,
 * crossing records, and settings (risk policy, gate tolerances). */
static const char v2_common[] =
    "CREATE TABLE declarations ("
    " id {{AUTOID}}, company_id BIGINT NOT NULL REFERENCES companies(id), number TEXT NOT NULL UNIQUE,"
    " direction TEXT NOT NULL, crossing_point_id TEXT NOT NULL REFERENCES crossing_points(id),"
    " transport TEXT NOT NULL, vehicle_id BIGINT REFERENCES vehicles(id), vehicle_plate TEXT,"
    " trailer_plate TEXT, driver_id BIGINT REFERENCES drivers(id), expected_arrival BIGINT NOT NULL,"
    " currency TEXT NOT NULL, containers TEXT NOT NULL, goods TEXT NOT NULL, totals TEXT NOT NULL,"
    " status TEXT NOT NULL, channel TEXT NOT NULL, channel_source TEXT NOT NULL,"
    " risk_seed TEXT NOT NULL, risk_algo BIGINT NOT NULL, risk TEXT NOT NULL,"
    " needs_quarantine BIGINT NOT NULL, valid_until BIGINT NOT NULL, amendments BIGINT NOT NULL DEFAULT 0,"
    " version BIGINT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);"
    "CREATE INDEX declarations_company ON declarations(company_id, id);"
    "CREATE INDEX declarations_plate ON declarations(vehicle_plate, status);"
    "CREATE TABLE risk_rules ("
    " id {{AUTOID}}, name TEXT NOT NULL, enabled BIGINT NOT NULL, hs_prefix TEXT, origin TEXT,"
    " company_id BIGINT, direction TEXT, crossing_point_id TEXT, min_vnd_per_kg BIGINT,"
    " max_vnd_per_kg BIGINT, channel TEXT NOT NULL, probability BIGINT NOT NULL,"
    " version BIGINT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);"
    "CREATE TABLE settings ("
    " id TEXT PRIMARY KEY, value TEXT NOT NULL,"
    " version BIGINT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);"
    "CREATE TABLE tasks ("
    " id {{AUTOID}}, declaration_id BIGINT NOT NULL REFERENCES declarations(id),"
    " company_id BIGINT NOT NULL, agency TEXT NOT NULL, kind TEXT NOT NULL, state TEXT NOT NULL,"
    " reason TEXT, decided_by TEXT, decided_at BIGINT, details TEXT NOT NULL DEFAULT '{}',"
    " version BIGINT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);"
    "CREATE INDEX tasks_agency ON tasks(agency, state, id);"
    "CREATE INDEX tasks_declaration ON tasks(declaration_id, id);"
    "CREATE TABLE gate_passages ("
    " id {{AUTOID}}, declaration_id BIGINT, company_id BIGINT, crossing_point_id TEXT NOT NULL,"
    " lane BIGINT NOT NULL, readings TEXT NOT NULL, decision TEXT NOT NULL, reasons TEXT NOT NULL,"
    " device TEXT NOT NULL,"
    " version BIGINT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);"
    "CREATE INDEX gate_passages_declaration ON gate_passages(declaration_id, id);"
    "CREATE TABLE crossings ("
    " id {{AUTOID}}, declaration_id BIGINT NOT NULL UNIQUE REFERENCES declarations(id),"
    " company_id BIGINT NOT NULL, crossing_point_id TEXT NOT NULL, direction TEXT NOT NULL,"
    " channel TEXT NOT NULL, filed_at BIGINT NOT NULL, cleared_at BIGINT, gate_open_at BIGINT,"
    " exit_at BIGINT, handover TEXT,"
    " version BIGINT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);";

static int seed_settings(lp_store *st, lp_err *err);

static const migration v1 = {1, "foundation: gate registry, parties, tokens, audit log", v1_common, v1_sqlite,
                             v1_pg, seed_site};
static const migration v2 = {2, "smart clearance: declarations, risk rules, tasks, gate passages, crossings",
                             v2_common, "", "", seed_settings};

/* In order; later parts live next to the store module that owns their tables. */
static const migration *const migrations[] = {&v1, &v2, &lp_schema_yard, &lp_schema_fees, &lp_schema_events,
                                              &lp_schema_warehouse, &lp_schema_agv,
                                              &lp_schema_agv_missions2};
#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

int lp_store_schema_latest(void)
{
    return migrations[NMIGRATIONS - 1]->version;
}

static int ensure_meta(lp_store *st, lp_err *err)
{
    return lp_db_exec_script(lp_store_db(st),
                             "CREATE TABLE IF NOT EXISTS schema_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
                             err);
}

static int read_version(lp_store *st, int *version, lp_err *err)
{
    lp_db_res *r = NULL;
    int rc = lp_db_query(lp_store_db(st), "SELECT value FROM schema_meta WHERE key = 'version'",
                         NULL, 0, &r, err);
    if (rc) return rc;
    *version = lp_db_res_nrows(r) ? atoi(lp_db_res_text(r, 0, 0)) : 0;
    lp_db_res_free(r);
    return LP_OK;
}

int lp_store_schema_version(lp_store *st, int *version, lp_err *err)
{
    int rc = ensure_meta(st, err);
    return rc ? rc : read_version(st, version, err);
}

static int apply(lp_store *st, const migration *m, lp_err *err)
{
    lp_db *db = lp_store_db(st);
    char v[16];
    int rc, cur = 0, in_tx = 0;

    rc = lp_store_begin(st, err);
    if (rc) goto out;
    in_tx = 1;
    if (lp_db_dialect_of(db) == LP_DB_PG) {
        rc = lp_db_exec_script(db, "SELECT pg_advisory_xact_lock(5050)", err);
        if (rc) goto out;
    }
    rc = read_version(st, &cur, err);
    if (rc || cur >= m->version) goto out; /* another node did it */
    rc = lp_db_exec_script(db, m->common, err);
    if (rc) goto out;
    rc = lp_db_exec_script(db, lp_db_dialect_of(db) == LP_DB_PG ? m->pg : m->sqlite, err);
    if (rc) goto out;
    if (m->seed) {
        rc = m->seed(st, err);
        if (rc) goto out;
    }
    snprintf(v, sizeof v, "%d", m->version);
    {
        lp_db_val p[] = {LP_DB_S(v), LP_DB_S(v)};
        rc = lp_db_query(db,
                         "INSERT INTO schema_meta (key, value) VALUES ('version', ?)"
                         " ON CONFLICT (key) DO UPDATE SET value = ?",
                         p, 2, NULL, err);
        if (rc) goto out;
    }
    rc = lp_store_commit(st, err);
    in_tx = 0;
out:
    if (in_tx) lp_store_rollback(st);
    if (rc && err && err->code == rc && !strstr(err->msg, "migration"))
        fprintf(stderr, "landport: migration %d (%s) failed\n", m->version, m->name);
    return rc;
}

int lp_store_migrate(lp_store *st, int *from, int *to, lp_err *err)
{
    int rc, cur = 0, i;

    rc = lp_store_schema_version(st, &cur, err);
    if (rc) return rc;
    if (from) *from = cur;
    if (to) *to = cur;
    if (cur > lp_store_schema_latest())
        return lp_err_set(err, LP_ESCHEMA,
                          "the database has schema version %d but this landport knows only up to %d;"
                          " run a newer landport (refusing to touch it)",
                          cur, lp_store_schema_latest());
    for (i = 0; i < NMIGRATIONS; i++) {
        if (migrations[i]->version <= cur) continue;
        if (migrations[i]->version != i + 1)
            return lp_err_set(err, LP_ESTORE, "migration %d is numbered %d", i + 1, migrations[i]->version);
        rc = apply(st, migrations[i], err);
        if (rc) return rc;
        cur = migrations[i]->version;
        if (to) *to = cur;
    }
    return LP_OK;
}

/* Default data: the Hữu Nghị – Youyiguan gate pair and its four crossing
 * points (DESIGN.md).  Hours and capacities are starting values operators
 * change through the API. */
static const char seed_gate_pair[] =
    "{\"name\":\"Hữu Nghị – Youyiguan\",\"name_vi\":\"Cửa khẩu quốc tế Hữu Nghị\","
    "\"name_zh\":\"友谊关口岸\",\"country\":\"VN\",\"partner_country\":\"CN\","
    "\"timezone\":\"Asia/Ho_Chi_Minh\",\"partner_timezone\":\"Asia/Shanghai\"}";

static const struct { const char *id, *json; } seed_points[] = {
    {"road-1088",
     "{\"gate_pair_id\":\"huu-nghi\",\"name\":\"Dedicated goods road, markers 1088/2–1089\","
     "\"name_vi\":\"Đường chuyên dụng vận chuyển hàng hóa khu vực mốc 1088/2–1089\","
     "\"name_zh\":\"1088/2–1089号界碑货运专用通道\",\"kind\":\"goods_road\",\"markers\":\"1088/2–1089\","
     "\"directions\":[\"export\",\"import\"],\"lanes\":2,"
     "\"opening_hours\":[{\"open\":\"07:00\",\"close\":\"22:00\"}],\"capacity_per_hour\":50,"
     "\"status\":\"open\",\"agv\":true,\"agv_windows\":[{\"open\":\"18:30\",\"close\":\"20:00\"}],"
     "\"length_m\":2400,\"notes\":\"Freight only; AGV pilot road from the China yard through km 0 to the Vietnamese yard.\"}"},
    {"tanthanh-1090",
     "{\"gate_pair_id\":\"huu-nghi\",\"name\":\"Tân Thanh – Pò Chài lane, markers 1090–1091\","
     "\"name_vi\":\"Luồng Tân Thanh – Pò Chài, khu vực mốc 1090–1091\","
     "\"name_zh\":\"新清–浦寨通道（1090–1091号界碑）\",\"kind\":\"lane\",\"markers\":\"1090–1091\","
     "\"directions\":[\"export\",\"import\"],\"lanes\":2,"
     "\"opening_hours\":[{\"open\":\"07:00\",\"close\":\"22:00\"}],\"capacity_per_hour\":40,"
     "\"status\":\"open\",\"agv\":false,\"agv_windows\":[],\"length_m\":null,\"notes\":null}"},
    {"cocnam-1104",
     "{\"gate_pair_id\":\"huu-nghi\",\"name\":\"Cốc Nam – Lũng Nghịu lane, markers 1104–1105\","
     "\"name_vi\":\"Luồng Cốc Nam – Lũng Nghịu, khu vực mốc 1104–1105\","
     "\"name_zh\":\"Cốc Nam–弄尧通道（1104–1105号界碑）\",\"kind\":\"lane\",\"markers\":\"1104–1105\","
     "\"directions\":[\"export\",\"import\"],\"lanes\":1,"
     "\"opening_hours\":[{\"open\":\"07:00\",\"close\":\"19:00\"}],\"capacity_per_hour\":20,"
     "\"status\":\"open\",\"agv\":false,\"agv_windows\":[],\"length_m\":null,\"notes\":null}"},
    {"huunghi-main",
     "{\"gate_pair_id\":\"huu-nghi\",\"name\":\"Hữu Nghị main gate road\","
     "\"name_vi\":\"Đường cửa khẩu chính Hữu Nghị\",\"name_zh\":\"友谊关主通道\",\"kind\":\"main_road\","
     "\"markers\":\"Hữu Nghị – Youyiguan\",\"directions\":[\"export\",\"import\"],\"lanes\":4,"
     "\"opening_hours\":[{\"open\":\"07:00\",\"close\":\"22:00\"}],\"capacity_per_hour\":100,"
     "\"status\":\"open\",\"agv\":false,\"agv_windows\":[],\"length_m\":null,"
     "\"notes\":\"About 870 vehicles/day in 2025; target 2,000–2,500.\"}"},
};

static int seed_site(lp_store *st, lp_err *err)
{
    static const lp_actor sys = {"system:migration", LP_ROLE_ADMIN, 0, "default site data"};
    cJSON *j = cJSON_Parse(seed_gate_pair);
    size_t i;
    int rc = lp_table_insert(st, &lp_tbl_gate_pairs, &sys, "huu-nghi", j, NULL, err);
    cJSON_Delete(j);
    for (i = 0; rc == LP_OK && i < sizeof seed_points / sizeof seed_points[0]; i++) {
        j = cJSON_Parse(seed_points[i].json);
        rc = lp_table_insert(st, &lp_tbl_crossing_points, &sys, seed_points[i].id, j, NULL, err);
        cJSON_Delete(j);
    }
    return rc;
}

/* Starting values of the clearance settings: the random minimum reproduces
 * Vietnam's 2023 channel mix when no rule fires (29.6% yellow, 3.4% red);
 * tolerances and validity are the gate's to change through the API. */
static int seed_settings(lp_store *st, lp_err *err)
{
    static const lp_actor sys = {"system:migration", LP_ROLE_ADMIN, 0, "default clearance settings"};
    static const struct { const char *id, *json; } rows[] = {
        {"risk_policy", "{\"value\":{\"min_yellow_permille\":296,\"min_red_permille\":34}}"},
        {"clearance", "{\"value\":{\"declaration_validity_hours\":72,\"weight_tolerance_permille\":20,"
                      "\"weight_tolerance_g\":200000,\"min_plate_confidence\":900,\"min_ocr_confidence\":850,"
                      "\"weight_required\":false}}"},
    };
    size_t i;
    int rc = LP_OK;
    for (i = 0; rc == LP_OK && i < sizeof rows / sizeof rows[0]; i++) {
        cJSON *j = cJSON_Parse(rows[i].json);
        rc = lp_table_insert(st, &lp_tbl_settings, &sys, rows[i].id, j, NULL, err);
        cJSON_Delete(j);
    }
    return rc;
}
