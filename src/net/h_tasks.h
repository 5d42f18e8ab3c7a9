/* h_tasks.h - handlers and body declarations of h_tasks.c (see h_clearance.h):
 * customs' risk rules, the clearance settings, and the agencies' task lists
 * with their decisions.  Routes in routes_tasks.inc. */
#ifndef LP_H_TASKS_H
#define LP_H_TASKS_H

#include "handlers.h"
#include "routes.h"

/* Risk rules: customs manage them, admins read them; never deleted (a rule
 * is switched off with enabled=false, so old decisions stay explainable). */
extern const lp_jspec lp_spec_risk_rule_create;
extern const lp_jspec lp_spec_risk_rule_patch;
extern const lp_qparam lp_query_risk_rules[]; /* also the filters the list applies */
void lp_h_risk_rules_list(lp_req *r);
void lp_h_risk_rules_get(lp_req *r);
void lp_h_risk_rules_create(lp_req *r);
void lp_h_risk_rules_patch(lp_req *r);
/* Builds the rule as the risk engine will see it (for PATCH: the stored
 * rule with the body applied) and reports lp_risk_rule_check's findings and
 * unknown crossing points and companies, each on its body pointer. */
void lp_check_risk_rule_create(lp_req *r, lp_err *err);
void lp_check_risk_rule_patch(lp_req *r, lp_err *err);

/* Settings ("risk_policy": customs; "clearance": operator and admin). */
extern const lp_jspec lp_spec_setting_patch;
void lp_h_settings_list(lp_req *r);
void lp_h_settings_get(lp_req *r);
void lp_h_settings_patch(lp_req *r);
/* Refuses (403) a role that may not change this setting, checks each member
 * of the value and the value as it would be stored (the stored one with the
 * sent members applied); the handler stores that value. */
void lp_check_setting_patch(lp_req *r, lp_err *err);

/* Agency tasks.  An agency role sees and decides only its own agency's
 * tasks; operator and admin see all and decide none. */
extern const lp_jspec lp_spec_task_decision;
extern const lp_qparam lp_query_tasks[]; /* also the filters the list applies */
void lp_h_tasks_list(lp_req *r);
void lp_h_tasks_get(lp_req *r);
void lp_h_tasks_decide(lp_req *r);
/* A reason for reject and hold; 403 for another agency's task. */
void lp_check_task_decision(lp_req *r, lp_err *err);

#endif
