/* queuestore_internal.h - what the files of the queue store share
 * (queuestore.c: operations and write-back; queuestore_group.c: groups
 * rebuilt from their rows; queuestore_view.c: positions for people) and
 * nothing else includes. */
#ifndef LP_QUEUESTORE_INTERNAL_H
#define LP_QUEUESTORE_INTERNAL_H

#include "queuestore.h"

/* One group, rebuilt from its rows: the lp_queue (owned) and, per entry
 * loaded or added, its id, company and plate. */
typedef struct qgroup {
    char id[96];
    lp_queue *q;
    int nlanes;
    int64_t state_version;
    int64_t *company; /* per entry row loaded: company of truck id (parallel to ids) */
    int64_t *ids;
    char (*plates)[40];
    int n;
} qgroup;

/* "perishable", "normal", "walk_in", indexed by lp_queue_class. */
extern const char *const queuestore__class_names[];
lp_queue_class queuestore__class_of(const char *s);

/* The store clock's now. */
int64_t queuestore__now(lp_store *st);

/* Creates group point:dir with the crossing point's lanes unless it
 * exists (audited as queue_group.create).  LP_ENOTFOUND for an unknown
 * point or direction. */
int queuestore__group_ensure(lp_store *st, const lp_actor *who, const char *point, const char *dir, lp_err *err);
/* Rebuilds group id into *g (free with queuestore__group_free), its row
 * locked on PostgreSQL when lock is set.  LP_ENOTFOUND if it does not exist. */
int queuestore__group_open(lp_store *st, const char *id, int lock, qgroup *g, lp_err *err);
void queuestore__group_free(qgroup *g);
/* The index of entry id in g's arrays, or -1. */
int queuestore__entry_index(const qgroup *g, int64_t id);
/* The group and state of entry id; group "" when never queued. */
int queuestore__entry_group(lp_store *st, int64_t id, char group[96], char state[16], lp_err *err);
/* Splits "point:dir"; 0 when it is not of that shape. */
int queuestore__split_group(const char *id, char point[64], char dir[16]);
/* Adds name: ms as RFC 3339, or null for 0. */
void queuestore__add_time(cJSON *o, const char *name, int64_t ms);

#endif
