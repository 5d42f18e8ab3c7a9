/* demo_agvdecl.h - the paperwork of the demo's AGV loads: an importer of
 * the cast files the import declaration (transport agv on road-1088, one
 * container of goods from China), and the demo's customs, quarantine and
 * border-guard officers approve its tasks, with reasons, through the API. */
#ifndef LP_DEMO_AGVDECL_H
#define LP_DEMO_AGVDECL_H

#include <stddef.h>
#include <stdint.h>

#include "demo_http.h"
#include "demo_setup.h"

#define LP_DEMO_AGV_GOODS 4 /* kinds of load */

/* The English name of load kind g (0..LP_DEMO_AGV_GOODS-1), e.g. "fresh apples". */
const char *lp_demo_agv_goods_name(int g);

/* Company co (0 or 1: the Vietnamese importers of the cast) files the
 * declaration of load kind g, number seq of run run_tag, due at the yard 20
 * minutes after virtual time now_ms.  Returns its id, or 0 with why (n
 * bytes) saying what the API answered. */
long lp_demo_agv_file(lp_demo_http *h, const lp_demo_cast *c, long run_tag, long seq, int co, int g, int64_t now_ms,
                      char *why, size_t n);

/* Whose tasks lp_demo_agv_decide approves. */
enum { LP_DEMO_AGV_CLEARANCE = 1, /* customs and quarantine */
       LP_DEMO_AGV_RELEASE = 2 }; /* the border guard's (agv_release) */

/* The officers of who (a mask of the above) approve every pending task of
 * declaration decl that is theirs; returns how many calls failed (0: none
 * of theirs left). */
int lp_demo_agv_decide(lp_demo_http *h, const lp_demo_cast *c, long decl, int who);

#endif
