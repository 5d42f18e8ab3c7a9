/* schema_yard.c - schema v3: the electronic parking yard.  Slot quotas and
 * bookings (bookings.c), yards, bays, visits and every ANPR read
 * (yardstore.c), and the e-queue's lane groups, lanes and entries with the
 * rate estimator's state (queuestore.c).  Seeded with the quotas of every
 * crossing point, the yards of Hữu Nghị and Tân Thanh, and the "yard"
 * settings row. */
#include "schema_parts.h"
#include "bookings.h"
#include "resources.h"
#include "yardstore.h"

#include <string.h>

static const char v3_common[] =
    "CREATE TABLE slot_quotas ("
    " id TEXT PRIMARY KEY, crossing_point_id TEXT NOT NULL REFERENCES crossing_points(id),"
    " direction TEXT NOT NULL, quota TEXT NOT NULL,"
    " version BIGINT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,"
    " UNIQUE (crossing_point_id, direction));"
    "CREATE TABLE bookings ("
    " id {{AUTOID}}, company_id BIGINT NOT NULL REFERENCES companies(id),"
    " declaration_id BIGINT NOT NULL REFERENCES declarations(id), crossing_point_id TEXT NOT NULL,"
    " direction TEXT NOT NULL, slot_at BIGINT NOT NULL, vehicle_id BIGINT, plate TEXT NOT NULL,"
    " driver_id BIGINT, status TEXT NOT NULL, rebookings BIGINT NOT NULL DEFAULT 0, reason TEXT,"
    " version BIGINT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);"
    "CREATE INDEX bookings_lane ON bookings(crossing_point_id, direction, status, slot_at);"
    "CREATE INDEX bookings_plate ON bookings(plate, status);"
    "CREATE INDEX bookings_company ON bookings(company_id, id);"
    "CREATE INDEX bookings_declaration ON bookings(declaration_id, status);"
    "CREATE TABLE yards ("
    " id TEXT PRIMARY KEY, crossing_point_id TEXT NOT NULL REFERENCES crossing_points(id),"
    " direction TEXT NOT NULL, name TEXT NOT NULL, bays TEXT NOT NULL,"
    " version BIGINT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);"
    "CREATE TABLE yard_bays ("
    " yard_id TEXT NOT NULL REFERENCES yards(id), id TEXT NOT NULL, kind TEXT NOT NULL, seq BIGINT NOT NULL,"
    " PRIMARY KEY (yard_id, id));"
    "CREATE TABLE yard_visits ("
    " id {{AUTOID}}, yard_id TEXT NOT NULL REFERENCES yards(id), company_id BIGINT, booking_id BIGINT,"
    " declaration_id BIGINT, plate TEXT NOT NULL, bay_id TEXT NOT NULL, bay_kind TEXT NOT NULL,"
    " class TEXT NOT NULL, goods TEXT NOT NULL, priority TEXT NOT NULL, status TEXT NOT NULL,"
    " entered_at BIGINT NOT NULL, last_read_at BIGINT NOT NULL, exited_at BIGINT, yard_ms BIGINT,"
    " out_of_order BIGINT NOT NULL DEFAULT 0, invoice_id BIGINT,"
    " version BIGINT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);"
    "CREATE INDEX yard_visits_yard ON yard_visits(yard_id, status);"
    "CREATE INDEX yard_visits_company ON yard_visits(company_id, id);"
    "CREATE INDEX yard_visits_plate ON yard_visits(plate, status);"
    "CREATE TABLE yard_reads ("
    " id {{AUTOID}}, yard_id TEXT NOT NULL REFERENCES yards(id), gate TEXT NOT NULL, plate TEXT NOT NULL,"
    " confidence BIGINT NOT NULL, read_at BIGINT NOT NULL, outcome TEXT NOT NULL, message TEXT NOT NULL,"
    " visit_id BIGINT, bay_id TEXT, company_id BIGINT, device TEXT NOT NULL,"
    " version BIGINT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);"
    "CREATE INDEX yard_reads_plate ON yard_reads(yard_id, plate, id);"
    "CREATE INDEX yard_reads_company ON yard_reads(company_id, id);"
    "CREATE TABLE queue_groups ("
    " id TEXT PRIMARY KEY, crossing_point_id TEXT NOT NULL REFERENCES crossing_points(id),"
    " direction TEXT NOT NULL, state_version BIGINT NOT NULL, service_ms DOUBLE PRECISION NOT NULL,"
    " samples BIGINT NOT NULL, last_gate_ms BIGINT NOT NULL, have_last BIGINT NOT NULL,"
    " saturated BIGINT NOT NULL,"
    " version BIGINT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);"
    "CREATE TABLE queue_lanes ("
    " group_id TEXT NOT NULL REFERENCES queue_groups(id), lane BIGINT NOT NULL, capacity BIGINT NOT NULL,"
    " paused BIGINT NOT NULL, updated_at BIGINT NOT NULL, PRIMARY KEY (group_id, lane));"
    "CREATE TABLE queue_entries ("
    " id BIGINT PRIMARY KEY, group_id TEXT NOT NULL REFERENCES queue_groups(id), company_id BIGINT,"
    " plate TEXT NOT NULL, class TEXT NOT NULL, slot_ms BIGINT NOT NULL, arrival_ms BIGINT NOT NULL,"
    " booked_slot_ms BIGINT NOT NULL, yard_arrival_ms BIGINT NOT NULL, state TEXT NOT NULL,"
    " called_at_ms BIGINT NOT NULL, lane BIGINT NOT NULL, no_shows BIGINT NOT NULL,"
    " created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);"
    "CREATE INDEX queue_entries_group ON queue_entries(group_id, state);"
    "CREATE INDEX queue_entries_plate ON queue_entries(plate, state);";

/* The yards of the first site (DESIGN.md): the export yard of the main
 * Hữu Nghị road with about 200 normal bays, 20 with reefer power and 8 for
 * dangerous goods; smaller ones elsewhere.  Operators add more via the API. */
static const struct { const char *id, *point, *dir, *name; int normal, reefer, dangerous; } seed_yards[] = {
    {"huu-nghi-export", "huunghi-main", "export", "Hữu Nghị export parking yard", 200, 20, 8},
    {"huu-nghi-import", "huunghi-main", "import", "Hữu Nghị import parking yard", 150, 15, 5},
    {"tanthanh-export", "tanthanh-1090", "export", "Tân Thanh export parking yard", 60, 6, 2},
    {"tanthanh-import", "tanthanh-1090", "import", "Tân Thanh import parking yard", 60, 6, 2},
};

static int seed_yard(lp_store *st, lp_err *err)
{
    static const lp_actor sys = {"system:migration", LP_ROLE_ADMIN, 0, "default yard data"};
    static const char *const points[] = {"road-1088", "tanthanh-1090", "cocnam-1104", "huunghi-main"};
    static const char *const dirs[] = {"export", "import"};
    size_t i, j;
    int rc = LP_OK;
    cJSON *j_set;

    for (i = 0; rc == LP_OK && i < sizeof points / sizeof points[0]; i++)
        for (j = 0; rc == LP_OK && j < 2; j++) rc = lp_bookings_quota_ensure(st, &sys, points[i], dirs[j], err);
    for (i = 0; rc == LP_OK && i < sizeof seed_yards / sizeof seed_yards[0]; i++) {
        lp_yard_spec y;
        memset(&y, 0, sizeof y);
        y.id = seed_yards[i].id;
        y.crossing_point_id = seed_yards[i].point;
        y.direction = seed_yards[i].dir;
        y.name = seed_yards[i].name;
        y.bays[LP_BAY_NORMAL] = seed_yards[i].normal;
        y.bays[LP_BAY_REFRIGERATED] = seed_yards[i].reefer;
        y.bays[LP_BAY_DANGEROUS] = seed_yards[i].dangerous;
        rc = lp_yardstore_create(st, &sys, &y, NULL, err);
    }
    if (rc) return rc;
    j_set = cJSON_Parse("{\"value\":{\"walk_ins\":false,\"no_show_window_minutes\":20,\"no_show_limit\":2,"
                        "\"min_plate_confidence\":900,\"debounce_seconds\":60,\"booking_min_notice_minutes\":60,"
                        "\"max_rebookings\":3,\"booking_grace_minutes\":120}}");
    if (!j_set) return lp_err_set(err, LP_ENOMEM, "out of memory");
    rc = lp_table_insert(st, &lp_tbl_settings, &sys, "yard", j_set, NULL, err);
    cJSON_Delete(j_set);
    return rc;
}

const lp_schema_part lp_schema_yard = {3, "electronic yard: bookings, yards, bays, visits, lanes", v3_common, "", "",
                                       seed_yard};
