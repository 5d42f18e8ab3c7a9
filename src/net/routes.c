/* routes.c - the route table: every path, method, role set, body and query
 * parameter of the API, in one place (see routes.h). */
#include "routes.h"
#include "handlers.h"
#include "h_clearance.h"
#include "h_yard.h"
#include "h_fees.h"
#include "h_events.h"
#include "h_warehouse.h"
#include "h_agv.h"

#define R(x) LP_RS(LP_ROLE_##x)
#define ALL LP_RS_ALL
#define STAFF_ADMIN (LP_RS_STAFF | R(ADMIN))
#define MANAGERS (R(OPERATOR) | R(ADMIN))

static const lp_qparam point_q[] = {
    {"gate_pair_id", "string", "Only this gate pair's points"},
    {"kind", "string", "goods_road, lane or main_road"},
    {"status", "string", "open, closed or restricted"},
    {"agv", "boolean", "Only points with (true) or without (false) AGV traffic"},
    {0}};
static const lp_qparam company_q[] = {
    {"country", "string", "VN or CN"}, {"tax_id", "string", "Exact tax id (canonical form)"},
    {"status", "string", "active or suspended"}, {0}};
static const lp_qparam vehicle_q[] = {
    {"company_id", "integer", "Owner company"}, {"kind", "string", "truck or agv"},
    {"plate", "string", "Exact plate (canonical form, e.g. 29C-123.45)"},
    {"plate_country", "string", "VN or CN"}, {"status", "string", "active or inactive"}, {0}};
static const lp_qparam driver_q[] = {
    {"company_id", "integer", "Employer"}, {"nationality", "string", "ISO 3166-1 alpha-2"},
    {"document_number", "string", "Exact document number"}, {"status", "string", "active or inactive"}, {0}};
static const lp_qparam audit_q[] = {
    {"object_type", "string", "e.g. vehicle, company, crossing_point, token"},
    {"object_id", "string", "The object's id"}, {"action", "string", "e.g. vehicle.create"}, {0}};

#define COMPANY_SCOPED " A company token sees only its own company's records; other ids answer 404."

static const lp_route routes[] = {
    {"GET", "/healthz", lp_h_healthz, 0, "system", "Liveness and store check", NULL, NULL, 0, NULL, 0, 200, NULL, NULL},
    {"GET", "/metrics", lp_h_metrics, MANAGERS, "system", "Prometheus metrics",
     "Requests by route and status, request latency and store operation timings.", NULL, 0, NULL, 0, 200,
     "text/plain", NULL},
    {"GET", "/api/v1/openapi.json", lp_h_openapi, 0, "system", "This API description (OpenAPI 3.1)", NULL, NULL, 0,
     NULL, 0, 200, NULL, NULL},
    {"GET", "/api/v1/whoami", lp_h_whoami, ALL, "system", "The role and company of the calling token", NULL, NULL,
     0, NULL, 0, 200, NULL, NULL},

    {"GET", "/api/v1/gates", lp_h_gates_list, ALL, "registry", "List gate pairs", NULL, NULL, 0, NULL, 1, 200, NULL, NULL},
    {"GET", "/api/v1/gates/{id}", lp_h_gates_get, ALL, "registry", "Get a gate pair", NULL, NULL, 0, NULL, 0, 200,
     NULL, NULL},
    {"GET", "/api/v1/crossing-points", lp_h_points_list, ALL, "registry", "List crossing points", NULL, NULL, 0,
     point_q, 1, 200, NULL, NULL},
    {"POST", "/api/v1/crossing-points", lp_h_points_create, MANAGERS, "registry", "Add a crossing point", NULL,
     &lp_spec_crossing_point_create, LP_JSPEC_CREATE, NULL, 0, 201, NULL, lp_check_point_create},
    {"GET", "/api/v1/crossing-points/{id}", lp_h_points_get, ALL, "registry", "Get a crossing point", NULL, NULL, 0,
     NULL, 0, 200, NULL, NULL},
    {"PATCH", "/api/v1/crossing-points/{id}", lp_h_points_patch, MANAGERS, "registry",
     "Change a crossing point (hours, capacity, status, ...)", "Send If-Match with the ETag to avoid lost updates.",
     &lp_spec_crossing_point_patch, LP_JSPEC_PATCH, NULL, 0, 200, NULL, lp_check_point_patch},

    {"GET", "/api/v1/companies", lp_h_companies_list, STAFF_ADMIN | R(COMPANY), "parties", "List companies",
     COMPANY_SCOPED, NULL, 0, company_q, 1, 200, NULL, NULL},
    {"POST", "/api/v1/companies", lp_h_companies_create, MANAGERS, "parties", "Register a company",
     "The tax id is checked (Vietnamese MST check digit, Chinese USCC check character) and stored canonical.",
     &lp_spec_company_create, LP_JSPEC_CREATE, NULL, 0, 201, NULL, lp_check_company_create},
    {"GET", "/api/v1/companies/{id}", lp_h_companies_get, STAFF_ADMIN | R(COMPANY), "parties", "Get a company",
     COMPANY_SCOPED, NULL, 0, NULL, 0, 200, NULL, NULL},
    {"PATCH", "/api/v1/companies/{id}", lp_h_companies_patch, MANAGERS | R(COMPANY), "parties", "Change a company",
     "A company may change only its own address, email and phone." COMPANY_SCOPED, &lp_spec_company_patch,
     LP_JSPEC_PATCH, NULL, 0, 200, NULL, lp_check_company_patch},

    {"GET", "/api/v1/vehicles", lp_h_vehicles_list, STAFF_ADMIN | R(COMPANY) | R(DEVICE), "parties",
     "List vehicles", COMPANY_SCOPED, NULL, 0, vehicle_q, 1, 200, NULL, NULL},
    {"POST", "/api/v1/vehicles", lp_h_vehicles_create, MANAGERS | R(COMPANY), "parties", "Register a vehicle",
     "Plates are checked against the Vietnamese or Chinese format and stored canonical." COMPANY_SCOPED,
     &lp_spec_vehicle_create, LP_JSPEC_CREATE, NULL, 0, 201, NULL, lp_check_vehicle_create},
    {"GET", "/api/v1/vehicles/{id}", lp_h_vehicles_get, STAFF_ADMIN | R(COMPANY) | R(DEVICE), "parties",
     "Get a vehicle", COMPANY_SCOPED, NULL, 0, NULL, 0, 200, NULL, NULL},
    {"PATCH", "/api/v1/vehicles/{id}", lp_h_vehicles_patch, MANAGERS | R(COMPANY), "parties",
     "Change a vehicle (trailer, weight, status)", COMPANY_SCOPED, &lp_spec_vehicle_patch, LP_JSPEC_PATCH, NULL, 0,
     200, NULL, lp_check_vehicle_patch},

    {"GET", "/api/v1/drivers", lp_h_drivers_list, STAFF_ADMIN | R(COMPANY), "parties", "List drivers",
     COMPANY_SCOPED, NULL, 0, driver_q, 1, 200, NULL, NULL},
    {"POST", "/api/v1/drivers", lp_h_drivers_create, MANAGERS | R(COMPANY), "parties", "Register a driver",
     COMPANY_SCOPED, &lp_spec_driver_create, LP_JSPEC_CREATE, NULL, 0, 201, NULL, lp_check_driver_create},
    {"GET", "/api/v1/drivers/{id}", lp_h_drivers_get, STAFF_ADMIN | R(COMPANY), "parties", "Get a driver",
     COMPANY_SCOPED, NULL, 0, NULL, 0, 200, NULL, NULL},
    {"PATCH", "/api/v1/drivers/{id}", lp_h_drivers_patch, MANAGERS | R(COMPANY), "parties",
     "Change a driver (licence, phone, status)", COMPANY_SCOPED, &lp_spec_driver_patch, LP_JSPEC_PATCH, NULL, 0,
     200, NULL, lp_check_driver_patch},

    {"GET", "/api/v1/tokens", lp_h_tokens_list, R(ADMIN), "access", "List API tokens (without secrets)", NULL, NULL,
     0, NULL, 1, 200, NULL, NULL},
    {"POST", "/api/v1/tokens", lp_h_tokens_create, R(ADMIN), "access", "Create an API token",
     "The answer holds the token's secret; it is stored only hashed and cannot be shown again.",
     &lp_spec_token_create, LP_JSPEC_CREATE, NULL, 0, 201, NULL, NULL},
    {"DELETE", "/api/v1/tokens/{id}", lp_h_tokens_revoke, R(ADMIN), "access", "Revoke an API token",
     "The token stops working at once; the record stays for the audit log.", NULL, 0, NULL, 0, 200, NULL, NULL},

    {"GET", "/api/v1/audit-events", lp_h_audit_list, STAFF_ADMIN | R(COMPANY), "audit", "Read the audit log",
     "Events in order; there is no route that changes or removes one. A company sees the events about its own records.",
     NULL, 0, audit_q, 1, 200, NULL, NULL},
    {"GET", "/api/v1/audit-events/verify", lp_h_audit_verify, R(ADMIN) | R(OPERATOR), "audit",
     "Check the audit hash chain", "Walks the whole chain and names the first bad event, if any.", NULL, 0, NULL, 0,
     200, NULL, NULL},

    /* Smart clearance: one list per handler file. */
#include "routes_declarations.inc"
#include "routes_tasks.inc"
#include "routes_gate.inc"
    /* Yard, queue, fees, notifications, warehouse, AGV fleet. */
#include "routes_yard.inc"
#include "routes_fees.inc"
#include "routes_events.inc"
#include "routes_warehouse.inc"
#include "routes_agv.inc"
};

const lp_route *lp_routes(int *n)
{
    *n = (int)(sizeof routes / sizeof routes[0]);
    return routes;
}
