/* resources.c - column maps of the foundation's records (see resources.h). */
#include "resources.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const lp_col gate_pair_cols[] = {
    {"name", LP_COL_TEXT}, {"name_vi", LP_COL_TEXT}, {"name_zh", LP_COL_TEXT},
    {"country", LP_COL_TEXT}, {"partner_country", LP_COL_TEXT},
    {"timezone", LP_COL_TEXT}, {"partner_timezone", LP_COL_TEXT},
};
const lp_table lp_tbl_gate_pairs = {"gate_pairs", "gate_pair", 1, NULL, gate_pair_cols, N(gate_pair_cols)};

static const lp_col crossing_point_cols[] = {
    {"gate_pair_id", LP_COL_TEXT}, {"name", LP_COL_TEXT}, {"name_vi", LP_COL_TEXT},
    {"name_zh", LP_COL_TEXT}, {"kind", LP_COL_TEXT}, {"markers", LP_COL_TEXT},
    {"directions", LP_COL_JSON}, {"lanes", LP_COL_INT}, {"opening_hours", LP_COL_JSON},
    {"capacity_per_hour", LP_COL_INT}, {"status", LP_COL_TEXT}, {"agv", LP_COL_BOOL},
    {"agv_windows", LP_COL_JSON}, {"length_m", LP_COL_INT}, {"notes", LP_COL_TEXT},
};
const lp_table lp_tbl_crossing_points = {"crossing_points", "crossing_point", 1, NULL,
                                         crossing_point_cols, N(crossing_point_cols)};

static const lp_col company_cols[] = {
    {"name", LP_COL_TEXT}, {"country", LP_COL_TEXT}, {"tax_id", LP_COL_TEXT},
    {"kinds", LP_COL_JSON}, {"address", LP_COL_TEXT}, {"email", LP_COL_TEXT},
    {"phone", LP_COL_TEXT}, {"status", LP_COL_TEXT},
};
const lp_table lp_tbl_companies = {"companies", "company", 0, "id", company_cols, N(company_cols)};

static const lp_col vehicle_cols[] = {
    {"company_id", LP_COL_INT}, {"kind", LP_COL_TEXT}, {"plate_country", LP_COL_TEXT},
    {"plate", LP_COL_TEXT}, {"trailer_country", LP_COL_TEXT}, {"trailer_plate", LP_COL_TEXT},
    {"max_gross_kg", LP_COL_INT}, {"status", LP_COL_TEXT},
};
const lp_table lp_tbl_vehicles = {"vehicles", "vehicle", 0, "company_id", vehicle_cols, N(vehicle_cols)};

static const lp_col driver_cols[] = {
    {"company_id", LP_COL_INT}, {"full_name", LP_COL_TEXT}, {"nationality", LP_COL_TEXT},
    {"document_kind", LP_COL_TEXT}, {"document_number", LP_COL_TEXT},
    {"licence_number", LP_COL_TEXT}, {"licence_class", LP_COL_TEXT},
    {"licence_valid_until", LP_COL_TEXT}, {"phone", LP_COL_TEXT}, {"status", LP_COL_TEXT},
};
const lp_table lp_tbl_drivers = {"drivers", "driver", 0, "company_id", driver_cols, N(driver_cols)};
