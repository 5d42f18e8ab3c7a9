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

static const lp_col declaration_cols[] = {
    {"company_id", LP_COL_INT}, {"number", LP_COL_TEXT}, {"direction", LP_COL_TEXT},
    {"crossing_point_id", LP_COL_TEXT}, {"transport", LP_COL_TEXT}, {"vehicle_id", LP_COL_INT},
    {"vehicle_plate", LP_COL_TEXT}, {"trailer_plate", LP_COL_TEXT}, {"driver_id", LP_COL_INT},
    {"expected_arrival", LP_COL_TIME}, {"currency", LP_COL_TEXT}, {"containers", LP_COL_JSON},
    {"goods", LP_COL_JSON}, {"totals", LP_COL_JSON}, {"status", LP_COL_TEXT}, {"channel", LP_COL_TEXT},
    {"channel_source", LP_COL_TEXT}, {"risk_seed", LP_COL_TEXT}, {"risk_algo", LP_COL_INT},
    {"risk", LP_COL_JSON}, {"needs_quarantine", LP_COL_BOOL}, {"valid_until", LP_COL_TIME},
    {"amendments", LP_COL_INT},
};
const lp_table lp_tbl_declarations = {"declarations", "declaration", 0, "company_id", declaration_cols,
                                      N(declaration_cols)};

static const lp_col risk_rule_cols[] = {
    {"name", LP_COL_TEXT}, {"enabled", LP_COL_BOOL}, {"hs_prefix", LP_COL_TEXT}, {"origin", LP_COL_TEXT},
    {"company_id", LP_COL_INT}, {"direction", LP_COL_TEXT}, {"crossing_point_id", LP_COL_TEXT},
    {"min_vnd_per_kg", LP_COL_INT}, {"max_vnd_per_kg", LP_COL_INT}, {"channel", LP_COL_TEXT},
    {"probability", LP_COL_INT},
};
/* No company column: rules are customs' own, never scoped to a company. */
const lp_table lp_tbl_risk_rules = {"risk_rules", "risk_rule", 0, NULL, risk_rule_cols, N(risk_rule_cols)};

static const lp_col setting_cols[] = {{"value", LP_COL_JSON}};
const lp_table lp_tbl_settings = {"settings", "setting", 1, NULL, setting_cols, N(setting_cols)};

static const lp_col task_cols[] = {
    {"declaration_id", LP_COL_INT}, {"company_id", LP_COL_INT}, {"agency", LP_COL_TEXT},
    {"kind", LP_COL_TEXT}, {"state", LP_COL_TEXT}, {"reason", LP_COL_TEXT}, {"decided_by", LP_COL_TEXT},
    {"decided_at", LP_COL_TIME}, {"details", LP_COL_JSON},
};
const lp_table lp_tbl_tasks = {"tasks", "task", 0, "company_id", task_cols, N(task_cols)};

static const lp_col gate_passage_cols[] = {
    {"declaration_id", LP_COL_INT}, {"company_id", LP_COL_INT}, {"crossing_point_id", LP_COL_TEXT},
    {"lane", LP_COL_INT}, {"readings", LP_COL_JSON}, {"decision", LP_COL_TEXT}, {"reasons", LP_COL_JSON},
    {"device", LP_COL_TEXT},
};
const lp_table lp_tbl_gate_passages = {"gate_passages", "gate_passage", 0, "company_id", gate_passage_cols,
                                       N(gate_passage_cols)};

static const lp_col crossing_cols[] = {
    {"declaration_id", LP_COL_INT}, {"company_id", LP_COL_INT}, {"crossing_point_id", LP_COL_TEXT},
    {"direction", LP_COL_TEXT}, {"channel", LP_COL_TEXT}, {"filed_at", LP_COL_TIME},
    {"cleared_at", LP_COL_TIME}, {"gate_open_at", LP_COL_TIME}, {"exit_at", LP_COL_TIME},
    {"handover", LP_COL_JSON},
};
const lp_table lp_tbl_crossings = {"crossings", "crossing", 0, "company_id", crossing_cols, N(crossing_cols)};
