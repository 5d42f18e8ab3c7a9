/* yardstore_reads.c - an ANPR read at a yard gate and what follows from it
 * (see yardstore.h): the yard's bays rebuilt from the visits inside, the
 * booking, declaration and company of the plate, lp_yard's outcome, and on
 * admission the visit and the queue entry, on exit the end of the visit,
 * the queue withdrawal and the invoice, all in the read's transaction. */
#include "yardstore.h"
#include "bookings.h"
#include "invoices.h"
#include "queuestore.h"
#include "resources.h"
#include "../core/mem.h"
#include "../core/yardgoods.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Reads ----------------------------------------------------------------------------------- */

static lp_bay_kind kind_of(const char *s)
{
    int k;
    for (k = 0; k < LP_BAY__COUNT; k++)
        if (s && strcmp(s, lp_bay_kind_name((lp_bay_kind)k)) == 0) return (lp_bay_kind)k;
    return LP_BAY_NORMAL;
}

/* The yard rebuilt from its bays and the visits inside. */
typedef struct yard_state {
    lp_yard y;
    lp_yard_bay *bays;
    int64_t *visit; /* visit id holding each bay, 0 if free */
} yard_state;

static void yard_free(yard_state *ys)
{
    lp_free(ys->bays);
    lp_free(ys->visit);
}

static int yard_load(lp_store *st, const char *yard, const lp_yard_settings *set, yard_state *ys, lp_err *err)
{
    lp_db_res *r = NULL;
    lp_yard_config cfg;
    int rc, i, n;

    memset(ys, 0, sizeof *ys);
    rc = lp_db_query(lp_store_db(st),
                     "SELECT b.id, b.kind, v.id, v.plate, v.class, v.entered_at, v.last_read_at, v.booking_id"
                     " FROM yard_bays b LEFT JOIN yard_visits v ON v.yard_id = b.yard_id AND v.bay_id = b.id"
                     " AND v.status = 'inside' WHERE b.yard_id = ? ORDER BY b.seq",
                     (lp_db_val[]){LP_DB_S(yard)}, 1, &r, err);
    if (rc) return rc;
    n = lp_db_res_nrows(r);
    ys->bays = lp_calloc((size_t)n + 1, sizeof *ys->bays);
    ys->visit = lp_calloc((size_t)n + 1, sizeof *ys->visit);
    for (i = 0; i < n; i++) {
        snprintf(ys->bays[i].id, sizeof ys->bays[i].id, "%s", lp_db_res_text(r, i, 0));
        ys->bays[i].kind = kind_of(lp_db_res_text(r, i, 1));
    }
    cfg.min_confidence = set->min_plate_confidence;
    cfg.debounce_ms = set->debounce_ms;
    if (lp_yard_init(&ys->y, ys->bays, n, &cfg)) {
        lp_db_res_free(r);
        return lp_err_set(err, LP_ESTORE, "yard '%s' does not load", yard);
    }
    /* The state lp_yard keeps in its bays, put back from the visits. */
    for (i = 0; i < n; i++) {
        lp_yard_bay *b = &ys->bays[i];
        if (lp_db_res_isnull(r, i, 2)) continue;
        ys->visit[i] = lp_db_res_int(r, i, 2);
        b->occupied = 1;
        snprintf(b->plate, sizeof b->plate, "%s", lp_db_res_text(r, i, 3));
        b->cls = strcmp(lp_db_res_text(r, i, 4), "walk_in") == 0 ? LP_YARD_WALK_IN : LP_YARD_BOOKED;
        b->since_ms = lp_db_res_int(r, i, 5);
        b->last_read_ms = lp_db_res_int(r, i, 6);
        snprintf(b->booking, sizeof b->booking, "%s", lp_db_res_isnull(r, i, 7) ? "" : lp_db_res_text(r, i, 7));
    }
    lp_db_res_free(r);
    return LP_OK;
}

/* What the yard knows about a plate arriving: its booking, declaration and
 * company, and what the goods need. */
typedef struct arrival {
    cJSON *booking; /* owned, NULL for a walk-in */
    cJSON *decl;    /* owned, NULL if none found */
    int64_t company;
    lp_yardgoods goods;
} arrival;

static int find_declaration(lp_store *st, const char *point, const char *dir, const char *plate, int64_t id,
                            cJSON **decl, lp_err *err)
{
    lp_db_res *r = NULL;
    char ids[32];
    int rc = LP_OK;
    *decl = NULL;
    if (!id) {
        lp_db_val p[3] = {LP_DB_S(plate), LP_DB_S(point), LP_DB_S(dir)};
        rc = lp_db_query(lp_store_db(st),
                         "SELECT id FROM declarations WHERE vehicle_plate = ? AND crossing_point_id = ? AND direction = ?"
                         " AND status IN ('pending', 'held', 'cleared') ORDER BY id DESC LIMIT 1",
                         p, 3, &r, err);
        if (rc == LP_OK && lp_db_res_nrows(r) > 0) id = lp_db_res_int(r, 0, 0);
        lp_db_res_free(r);
    }
    if (rc || !id) return rc;
    snprintf(ids, sizeof ids, "%" PRId64, id);
    rc = lp_table_get(st, &lp_tbl_declarations, ids, 0, decl, err);
    return rc == LP_ENOTFOUND ? LP_OK : rc;
}

/* A booking is honoured until booking_grace_minutes after its hour ends:
 * a truck that comes later must not keep its early slot as its place in
 * the order (that would let a booking made long ago, and missed, jump the
 * trucks that came in their hours); it rebooks, or comes as a walk-in. */
static int arrival_load(lp_store *st, const char *point, const char *dir, const lp_yard_read_req *rq,
                        const lp_yard_settings *set, arrival *a, lp_err *err)
{
    const char *hs[64], *plate = rq->plate;
    const cJSON *line;
    int n = 0, rc;
    memset(a, 0, sizeof *a);
    if ((rc = lp_bookings_for_plate(st, point, dir, plate, rq->read_at - 3600000 - set->grace_ms, &a->booking, err)))
        return rc;
    if ((rc = find_declaration(st, point, dir, plate, lp_json_int(a->booking, "declaration_id", 0), &a->decl, err)))
        return rc;
    cJSON_ArrayForEach(line, cJSON_GetObjectItemCaseSensitive(a->decl, "goods"))
        if (n < 64) hs[n++] = lp_json_str(line, "hs_code");
    lp_yardgoods_classify(hs, n, &a->goods);
    a->company = a->booking ? lp_json_int(a->booking, "company_id", 0) : lp_json_int(a->decl, "company_id", 0);
    if (!a->company) {
        lp_db_res *r = NULL;
        rc = lp_db_query(lp_store_db(st), "SELECT company_id FROM vehicles WHERE plate = ?",
                         (lp_db_val[]){LP_DB_S(plate)}, 1, &r, err);
        if (rc == LP_OK && lp_db_res_nrows(r) > 0) a->company = lp_db_res_int(r, 0, 0);
        lp_db_res_free(r);
    }
    return rc;
}

static void arrival_free(arrival *a)
{
    cJSON_Delete(a->booking);
    cJSON_Delete(a->decl);
}

/* "ADMITTED" -> "admitted". */
static void outcome_name(lp_yard_result res, char *out, size_t n)
{
    const char *s = lp_yard_result_name(res);
    size_t i;
    for (i = 0; s[i] && i + 1 < n; i++) out[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
    out[i] = '\0';
}

/* The reply's and the read record's common part. */
typedef struct read_result {
    char outcome[32];
    char msg[160];
    int64_t visit_id, company;
    char bay[LP_YARD_ID_MAX];
    cJSON *extra; /* members added to the reply (owned) */
} read_result;

static int admit(lp_store *st, const lp_actor *who, const lp_yard_read_req *rq, const cJSON *yard, yard_state *ys,
                 const lp_yard_outcome *o, arrival *a, read_result *res, lp_err *err)
{
    cJSON *v = cJSON_CreateObject(), *visit = NULL, *upd = NULL;
    const lp_yard_bay *b = &ys->bays[o->bay];
    int booked = a->booking != NULL, rc, pos = 0;
    int64_t eta = 0, slot = 0;
    lp_queue_class cls = !booked ? LP_QUEUE_WALKIN : a->goods.perishable ? LP_QUEUE_PERISHABLE : LP_QUEUE_NORMAL;
    char ids[32];

    cJSON_AddStringToObject(v, "yard_id", rq->yard_id);
    if (a->company) cJSON_AddNumberToObject(v, "company_id", (double)a->company);
    if (booked) cJSON_AddNumberToObject(v, "booking_id", (double)lp_json_int(a->booking, "id", 0));
    if (a->decl) cJSON_AddNumberToObject(v, "declaration_id", (double)lp_json_int(a->decl, "id", 0));
    cJSON_AddStringToObject(v, "plate", rq->plate);
    cJSON_AddStringToObject(v, "bay_id", b->id);
    cJSON_AddStringToObject(v, "bay_kind", lp_bay_kind_name(b->kind));
    cJSON_AddStringToObject(v, "class", lp_yard_class_name(o->cls));
    cJSON_AddStringToObject(v, "goods", lp_fee_goods_name(a->goods.fee));
    cJSON_AddStringToObject(v, "priority", lp_queue_class_name(cls));
    cJSON_AddStringToObject(v, "status", "inside");
    cJSON_AddNumberToObject(v, "entered_at", (double)rq->read_at);
    cJSON_AddNumberToObject(v, "last_read_at", (double)rq->read_at);
    cJSON_AddFalseToObject(v, "out_of_order");
    rc = lp_table_insert(st, &lp_tbl_yard_visits, who, NULL, v, &visit, err);
    if (rc) goto out;
    res->visit_id = lp_json_int(visit, "id", 0);
    if (booked) {
        /* The slot is used: the booking is done, its hour keeps counting. */
        upd = cJSON_CreateObject();
        cJSON_AddStringToObject(upd, "status", "arrived");
        snprintf(ids, sizeof ids, "%" PRId64, lp_json_int(a->booking, "id", 0));
        /* slot_at is shown as RFC 3339; the order key is the row's ms. */
        {
            lp_db_res *r = NULL;
            rc = lp_db_query(lp_store_db(st), "SELECT slot_at FROM bookings WHERE id = ?",
                             (lp_db_val[]){LP_DB_I(lp_json_int(a->booking, "id", 0))}, 1, &r, err);
            if (rc == LP_OK && lp_db_res_nrows(r) > 0) slot = lp_db_res_int(r, 0, 0);
            lp_db_res_free(r);
        }
        if (rc || (rc = lp_table_update(st, &lp_tbl_bookings, who, ids, 0, -1, "arrive", upd, NULL, err))) goto out;
    }
    {
        lp_queuestore_truck t = {lp_json_str(yard, "crossing_point_id"), lp_json_str(yard, "direction"),
                                 res->visit_id, a->company, rq->plate, cls, slot, rq->read_at};
        rc = lp_queuestore_add(st, who, &t, &pos, &eta, err);
        if (rc) goto out;
    }
    res->extra = cJSON_CreateObject();
    {
        cJSON *q = cJSON_AddObjectToObject(res->extra, "queue");
        char gid[96];
        snprintf(gid, sizeof gid, "%s:%s", lp_json_str(yard, "crossing_point_id"), lp_json_str(yard, "direction"));
        cJSON_AddStringToObject(q, "id", gid);
        cJSON_AddStringToObject(q, "class", lp_queue_class_name(cls));
        cJSON_AddNumberToObject(q, "position", pos);
        if (eta == LP_QUEUE_ETA_UNKNOWN) cJSON_AddNullToObject(q, "eta_s");
        else cJSON_AddNumberToObject(q, "eta_s", (double)(eta / 1000));
    }
out:
    cJSON_Delete(v);
    cJSON_Delete(visit);
    cJSON_Delete(upd);
    return rc;
}

/* The invoice of a visit that ended: its company pays (a walk-in of no
 * known company gets none). */
static int invoice(lp_store *st, const lp_actor *who, const cJSON *visit, const cJSON *yard, int64_t yard_ms,
                   int64_t *invoice_id, lp_err *err)
{
    lp_invoice_req rq;
    cJSON *decl = NULL, *inv = NULL;
    char sid[32];
    int64_t company = lp_json_int(visit, "company_id", 0), decl_id = lp_json_int(visit, "declaration_id", 0);
    const char *goods = lp_json_str(visit, "goods"), *dir = lp_json_str(yard, "direction");
    int rc = LP_OK, g;

    *invoice_id = 0;
    if (!company) return LP_OK;
    memset(&rq, 0, sizeof rq);
    snprintf(sid, sizeof sid, "%" PRId64, lp_json_int(visit, "id", 0));
    rq.company_id = company;
    rq.subject_type = "yard_visit";
    rq.subject_id = sid;
    rq.declaration_id = decl_id;
    rq.plate = lp_json_str(visit, "plate");
    rq.fee_table = LP_FEES_YARD;
    if (decl_id) {
        char ids[32];
        snprintf(ids, sizeof ids, "%" PRId64, decl_id);
        if ((rc = lp_table_get(st, &lp_tbl_declarations, ids, 0, &decl, err))) goto out;
        const cJSON *kg =
            cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(decl, "totals"), "gross_weight_kg");
        /* Whole kg, rounded up: a band's upper bound is inclusive. */
        if (cJSON_IsNumber(kg) && kg->valuedouble > 0 && kg->valuedouble <= (double)LP_FEE_KG_MAX) {
            rq.trip.gross_kg = (int64_t)kg->valuedouble;
            if ((double)rq.trip.gross_kg < kg->valuedouble) rq.trip.gross_kg++;
        }
    }
    if (rq.trip.gross_kg <= 0) {
        lp_db_res *r = NULL;
        rc = lp_db_query(lp_store_db(st), "SELECT COALESCE(max_gross_kg, 0) FROM vehicles WHERE plate = ?",
                         (lp_db_val[]){LP_DB_S(rq.plate)}, 1, &r, err);
        if (rc == LP_OK && lp_db_res_nrows(r) > 0) rq.trip.gross_kg = lp_db_res_int(r, 0, 0);
        lp_db_res_free(r);
        if (rc) goto out;
    }
    if (rq.trip.gross_kg < 0 || rq.trip.gross_kg > LP_FEE_KG_MAX) rq.trip.gross_kg = 0;
    rq.trip.goods = LP_FEE_GOODS_NORMAL;
    for (g = 0; g < LP_FEE_GOODS__COUNT; g++)
        if (goods && strcmp(goods, lp_fee_goods_name(g)) == 0) rq.trip.goods = (lp_fee_goods)g;
    rq.trip.journey = dir && strcmp(dir, "import") == 0 ? LP_FEE_JOURNEY_IMPORT : LP_FEE_JOURNEY_EXPORT;
    rq.trip.yard_ms = yard_ms > LP_FEE_YARD_MS_MAX ? LP_FEE_YARD_MS_MAX : yard_ms;
    rc = lp_invoices_issue(st, who, &rq, &inv, err);
    if (rc == LP_OK) *invoice_id = lp_json_int(inv, "id", 0);
out:
    cJSON_Delete(decl);
    cJSON_Delete(inv);
    return rc;
}

static int leave(lp_store *st, const lp_actor *who, const lp_yard_read_req *rq, const cJSON *yard, yard_state *ys,
                 const lp_yard_outcome *o, read_result *res, lp_err *err)
{
    lp_err ierr;
    cJSON *patch = cJSON_CreateObject(), *visit = NULL, *p2 = NULL;
    char ids[32], invoice_problem[sizeof ierr.msg] = "";
    int64_t inv = 0;
    int rc, withdrawn = 0;

    res->visit_id = ys->visit[o->bay];
    snprintf(ids, sizeof ids, "%" PRId64, res->visit_id);
    cJSON_AddStringToObject(patch, "status", "exited");
    cJSON_AddNumberToObject(patch, "exited_at", (double)rq->read_at);
    cJSON_AddNumberToObject(patch, "yard_ms", (double)o->yard_ms);
    if (o->out_of_order) cJSON_AddTrueToObject(patch, "out_of_order");
    if ((rc = lp_table_update(st, &lp_tbl_yard_visits, who, ids, 0, -1, "exit", patch, &visit, err))) goto out;
    res->company = lp_json_int(visit, "company_id", 0);
    if ((rc = lp_queuestore_yard_exit(st, who, res->visit_id, &withdrawn, err))) goto out;
    /* A rate table that does not cover the trip (the operator's data) must
     * not lose the exit: the visit ends, the invoice waits for a person. */
    lp_err_init(&ierr);
    rc = invoice(st, who, visit, yard, o->yard_ms, &inv, &ierr);
    if (rc == LP_EINVAL) {
        snprintf(invoice_problem, sizeof invoice_problem, "%s", ierr.nfields ? ierr.fields[0].msg : ierr.msg);
        rc = LP_OK;
    } else if (rc) {
        *err = ierr;
        goto out;
    }
    if (inv) {
        p2 = cJSON_CreateObject();
        cJSON_AddNumberToObject(p2, "invoice_id", (double)inv);
        if ((rc = lp_table_update(st, &lp_tbl_yard_visits, who, ids, 0, -1, "invoice", p2, NULL, err))) goto out;
    }
    res->extra = cJSON_CreateObject();
    cJSON_AddNumberToObject(res->extra, "yard_s", (double)(o->yard_ms / 1000));
    if (inv) cJSON_AddNumberToObject(res->extra, "invoice_id", (double)inv);
    else cJSON_AddNullToObject(res->extra, "invoice_id");
    if (invoice_problem[0]) cJSON_AddStringToObject(res->extra, "invoice_problem", invoice_problem);
    cJSON_AddBoolToObject(res->extra, "withdrawn_from_queue", withdrawn);
out:
    cJSON_Delete(patch);
    cJSON_Delete(p2);
    cJSON_Delete(visit);
    return rc;
}

/* A read older than the plate's latest read that changed something at this
 * yard arrived late (a camera's buffer, a network delay): deciding on it
 * would undo what came after, so it is recorded and changes nothing. */
static int out_of_order(lp_store *st, const lp_yard_read_req *rq, int *late, lp_err *err)
{
    lp_db_res *r = NULL;
    lp_db_val p[2] = {LP_DB_S(rq->yard_id), LP_DB_S(rq->plate)};
    int rc = lp_db_query(lp_store_db(st),
                         "SELECT MAX(read_at) FROM yard_reads WHERE yard_id = ? AND plate = ?"
                         " AND outcome IN ('admitted', 'exited')",
                         p, 2, &r, err);
    *late = rc == LP_OK && lp_db_res_nrows(r) > 0 && !lp_db_res_isnull(r, 0, 0) && rq->read_at < lp_db_res_int(r, 0, 0);
    lp_db_res_free(r);
    return rc;
}

static int decide(lp_store *st, const lp_actor *who, const lp_yard_read_req *rq, const cJSON *yard, read_result *res,
                  lp_err *err)
{
    lp_yard_settings set;
    yard_state ys;
    arrival a;
    lp_yard_outcome o;
    lp_yard_read rd = {rq->plate, rq->read_at, rq->confidence};
    int rc, late = 0;

    memset(&ys, 0, sizeof ys);
    memset(&a, 0, sizeof a);
    if ((rc = lp_yard_settings_get(st, &set, err)) || (rc = out_of_order(st, rq, &late, err))) return rc;
    if (late && rq->confidence >= set.min_plate_confidence) {
        snprintf(res->outcome, sizeof res->outcome, "out_of_order");
        snprintf(res->msg, sizeof res->msg, "plate %s: this %s read is older than a later one already acted on; nothing changed",
                 rq->plate, rq->gate == LP_YARD_GATE_ENTRY ? "entry" : "exit");
        return LP_OK;
    }
    if ((rc = yard_load(st, rq->yard_id, &set, &ys, err))) goto out;
    if (rq->gate == LP_YARD_GATE_ENTRY) {
        lp_yard_entry in;
        char bk[LP_YARD_BOOKING_MAX] = "";
        if ((rc = arrival_load(st, lp_json_str(yard, "crossing_point_id"), lp_json_str(yard, "direction"), rq, &set,
                               &a, err)))
            goto out;
        if (a.booking) snprintf(bk, sizeof bk, "%" PRId64, lp_json_int(a.booking, "id", 0));
        in.read = rd;
        in.booking = bk;
        in.need = a.goods.bay;
        in.walk_ins = set.walk_ins;
        if (lp_yard_enter(&ys.y, &in, &o)) {
            rc = lp_err_field_add(err, "/plate", "cannot be read as a plate");
            goto out;
        }
        res->company = a.company;
    } else if (lp_yard_exit(&ys.y, &rd, &o)) {
        rc = lp_err_field_add(err, "/plate", "cannot be read as a plate");
        goto out;
    }
    outcome_name(o.result, res->outcome, sizeof res->outcome);
    snprintf(res->msg, sizeof res->msg, "%s", o.msg);
    if (o.bay >= 0) {
        snprintf(res->bay, sizeof res->bay, "%s", ys.bays[o.bay].id);
        res->visit_id = ys.visit[o.bay];
    }
    if (o.result == LP_YARD_ADMITTED) rc = admit(st, who, rq, yard, &ys, &o, &a, res, err);
    else if (o.result == LP_YARD_EXITED) rc = leave(st, who, rq, yard, &ys, &o, res, err);
    else if (o.result == LP_YARD_DUPLICATE_READ || o.result == LP_YARD_ALREADY_INSIDE) {
        /* The debounce window slides with each entry read (yard.h). */
        lp_db_val p[2] = {LP_DB_I(ys.bays[o.bay].last_read_ms), LP_DB_I(res->visit_id)};
        rc = lp_db_query(lp_store_db(st), "UPDATE yard_visits SET last_read_at = ? WHERE id = ?", p, 2, NULL, err);
    }
out:
    yard_free(&ys);
    arrival_free(&a);
    return rc;
}

int lp_yardstore_read(lp_store *st, const lp_actor *who, const lp_yard_read_req *rq, cJSON **out, lp_err *err)
{
    cJSON *yard = NULL, *v = NULL, *rec = NULL, *m;
    read_result res;
    int rc;

    *out = NULL;
    memset(&res, 0, sizeof res);
    if ((rc = lp_store_begin(st, err))) return rc;
    /* Two nodes reading at one yard must not give away the same bay: the
     * yard's row is locked first (then the queue group's, never the other
     * way).  SQLite's write transaction is exclusive already. */
    if (lp_db_dialect_of(lp_store_db(st)) == LP_DB_PG &&
        (rc = lp_db_query(lp_store_db(st), "SELECT id FROM yards WHERE id = ? FOR UPDATE",
                          (lp_db_val[]){LP_DB_S(rq->yard_id)}, 1, NULL, err)))
        goto fail;
    if ((rc = lp_table_get(st, &lp_tbl_yards, rq->yard_id, 0, &yard, err))) goto fail;
    if ((rc = decide(st, who, rq, yard, &res, err))) goto fail;
    v = cJSON_CreateObject();
    cJSON_AddStringToObject(v, "yard_id", rq->yard_id);
    cJSON_AddStringToObject(v, "gate", rq->gate == LP_YARD_GATE_ENTRY ? "entry" : "exit");
    cJSON_AddStringToObject(v, "plate", rq->plate);
    cJSON_AddNumberToObject(v, "confidence", rq->confidence);
    cJSON_AddNumberToObject(v, "read_at", (double)rq->read_at);
    cJSON_AddStringToObject(v, "outcome", res.outcome);
    cJSON_AddStringToObject(v, "message", res.msg);
    if (res.visit_id) cJSON_AddNumberToObject(v, "visit_id", (double)res.visit_id);
    if (res.bay[0]) cJSON_AddStringToObject(v, "bay_id", res.bay);
    if (res.company) cJSON_AddNumberToObject(v, "company_id", (double)res.company);
    cJSON_AddStringToObject(v, "device", rq->device ? rq->device : "");
    if ((rc = lp_table_insert(st, &lp_tbl_yard_reads, who, NULL, v, &rec, err))) goto fail;
    if ((rc = lp_store_commit(st, err))) goto done;
    if (res.extra)
        while ((m = res.extra->child)) cJSON_AddItemToObject(rec, m->string, cJSON_DetachItemViaPointer(res.extra, m));
    *out = rec;
    rec = NULL;
    goto done;
fail:
    lp_store_rollback(st);
done:
    cJSON_Delete(yard);
    cJSON_Delete(v);
    cJSON_Delete(rec);
    cJSON_Delete(res.extra);
    return rc;
}
