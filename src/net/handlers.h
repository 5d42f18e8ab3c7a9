/* handlers.h - the HTTP handlers, one file per resource (h_*.c), their body
 * declarations, and the helpers they share.  routes.c wires them to paths. */
#ifndef LP_HANDLERS_H
#define LP_HANDLERS_H

#include "../core/buf.h"
#include "../store/table.h"
#include "http.h"
#include "jsonspec.h"

/* h_system.c */
void lp_h_healthz(lp_req *r);
void lp_h_metrics(lp_req *r);
void lp_h_openapi(lp_req *r);

/* h_registry.c: gate pairs and crossing points */
extern const lp_jspec lp_spec_crossing_point_create;
extern const lp_jspec lp_spec_crossing_point_patch;
void lp_h_gates_list(lp_req *r);
void lp_h_gates_get(lp_req *r);
void lp_h_points_list(lp_req *r);
void lp_h_points_get(lp_req *r);
void lp_h_points_create(lp_req *r);
void lp_h_points_patch(lp_req *r);
void lp_check_point_create(lp_req *r, lp_err *err);
void lp_check_point_patch(lp_req *r, lp_err *err);

/* h_companies.c */
extern const lp_jspec lp_spec_company_create;
extern const lp_jspec lp_spec_company_patch;
void lp_h_companies_list(lp_req *r);
void lp_h_companies_get(lp_req *r);
void lp_h_companies_create(lp_req *r);
void lp_h_companies_patch(lp_req *r);
void lp_check_company_create(lp_req *r, lp_err *err);
void lp_check_company_patch(lp_req *r, lp_err *err);

/* h_vehicles.c */
extern const lp_jspec lp_spec_vehicle_create;
extern const lp_jspec lp_spec_vehicle_patch;
void lp_h_vehicles_list(lp_req *r);
void lp_h_vehicles_get(lp_req *r);
void lp_h_vehicles_create(lp_req *r);
void lp_h_vehicles_patch(lp_req *r);
void lp_check_vehicle_create(lp_req *r, lp_err *err);
void lp_check_vehicle_patch(lp_req *r, lp_err *err);

/* h_drivers.c */
extern const lp_jspec lp_spec_driver_create;
extern const lp_jspec lp_spec_driver_patch;
void lp_h_drivers_list(lp_req *r);
void lp_h_drivers_get(lp_req *r);
void lp_h_drivers_create(lp_req *r);
void lp_h_drivers_patch(lp_req *r);
void lp_check_driver_create(lp_req *r, lp_err *err);
void lp_check_driver_patch(lp_req *r, lp_err *err);

/* h_tokens.c */
extern const lp_jspec lp_spec_token_create;
void lp_h_tokens_list(lp_req *r);
void lp_h_tokens_create(lp_req *r);
void lp_h_tokens_revoke(lp_req *r);
void lp_h_whoami(lp_req *r);

/* h_audit.c */
void lp_h_audit_list(lp_req *r);
void lp_h_audit_verify(lp_req *r);

/* h_web.c: the dashboard's static files.  Returns 1 when it replied. */
int lp_web_serve(lp_req *r, const char *path);

/* Shared by the handlers (h_common.c) ------------------------------------ */

/* Replies with the record of t named by the first path parameter, within the
 * caller's company scope; decorate (may be NULL) adjusts the record first. */
void net__get(lp_req *r, const lp_table *t, void (*decorate)(lp_req *, cJSON *));
/* Replies with a page of t, filtered by the listed query parameters that are
 * present (each names a column), within the caller's scope. */
void net__list(lp_req *r, const lp_table *t, const char *const *filter_params,
               void (*decorate)(lp_req *, cJSON *));
/* Inserts values and replies 201 with the record, Location and ETag. */
void net__create(lp_req *r, const lp_table *t, const char *text_id, const cJSON *values,
                 const char *unique_pointer, void (*decorate)(lp_req *, cJSON *));
/* Applies patch to the record named by the first path parameter (honouring
 * If-Match) and replies 200 with it. */
void net__patch(lp_req *r, const lp_table *t, const cJSON *patch, const char *unique_pointer,
                void (*decorate)(lp_req *, cJSON *));
/* Replies with the problem for err; an LP_ECONFLICT is reported on
 * unique_pointer (may be NULL). */
void net__fail(lp_req *r, lp_err *err, const char *unique_pointer);
/* Sets ETag: "<version>" from rec. */
void net__etag(lp_req *r, const cJSON *rec);
/* Settles the owner company of a new record in values: a company token
 * registers only for itself (company_id absent or its own, then set; another
 * is LP_EFORBIDDEN); staff must name an existing company.  Problems are
 * added to err (what names the records, e.g. "vehicles"); returns 0,
 * LP_EINVAL or LP_EFORBIDDEN. */
int net__owner(lp_req *r, cJSON *values, const char *what, lp_err *err);

/* Marks r replied with status and counts it in /metrics (http.c); for
 * handlers that send with evhttp directly. */
void net__finish(lp_req *r, int status);

/* Used by h_system.c. */
void lp_server_metrics_text(lp_server *srv, lp_buf *out);
const char *lp_server_web_root(const lp_server *srv);

#endif
