/* test_db.c - the portable SQL connection (src/store/db.c) on the backend
 * LANDPORT_TEST_BACKEND names: SQLite by default, PostgreSQL with "pg" (ctest
 * runs this program twice, as test_db and test_db_pg).  The same statements
 * must give the same results on both. */
#include "testlib.h"
#include "store/db.h"

#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct fixture {
    char *dir;
    lp_db *db;
} fixture;

static const char *const SCHEMA =
    "CREATE TABLE gate (\n"
    "  id {{AUTOID}},\n"
    "  name TEXT NOT NULL UNIQUE,\n"
    "  lanes BIGINT,\n"
    "  width DOUBLE PRECISION,\n"
    "  note TEXT,\n"
    "  open BOOLEAN,\n"
    "  \"why?\" TEXT\n"
    ");\n"
    "-- a comment with a ? in a script\n"
    "CREATE TABLE passage (id {{AUTOID}}, gate_id BIGINT NOT NULL, plate TEXT, data {{BLOB}});\n";

/* A fresh database with SCHEMA.  Nothing is allocated before
 * lp_test_db_url, which fails the test when the pg backend has no server
 * (cmocka runs no teardown after a failed setup). */
static int setup(void **state)
{
    char *dir = lp_test_backend_is_pg() ? NULL : lp_test_mkdtemp("test_db");
    char *url = lp_test_db_url(dir ? dir : "", "db");
    lp_db *db = NULL;
    fixture *f;
    lp_err err;
    int rc;

    lp_err_init(&err);
    rc = lp_db_open(url, &db, &err);
    if (rc == 0) rc = lp_db_exec_script(db, SCHEMA, &err);
    free(url);
    if (rc) {
        lp_db_close(db);
        lp_test_rmtree(dir);
        free(dir);
        fail_msg("cannot open the test database and create the schema: %s", err.msg);
        return -1;
    }
    f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->dir = dir;
    f->db = db;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    if (!f) return 0;
    lp_db_close(f->db);
    lp_test_rmtree(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

/* Runs sql and asserts success; returns the result (caller frees). */
static lp_db_res *query_ok(lp_db *db, const char *sql, const lp_db_val *p, int n)
{
    lp_db_res *res = NULL;
    lp_err err;
    lp_err_init(&err);
    if (lp_db_query(db, sql, p, n, &res, &err)) fail_msg("%s: %s", sql, err.msg);
    assert_non_null(res);
    return res;
}

static int64_t count_gates(lp_db *db)
{
    lp_db_res *res = query_ok(db, "SELECT COUNT(*) AS n FROM gate", NULL, 0);
    int64_t n = lp_db_res_int(res, 0, 0);
    assert_int_equal(lp_db_res_type(res, 0, 0), LP_DB_INT);
    lp_db_res_free(res);
    return n;
}

static int64_t insert_gate(lp_db *db, const char *name, int64_t lanes)
{
    lp_db_val p[] = {LP_DB_S(name), LP_DB_I(lanes)};
    lp_db_res *res = query_ok(db, "INSERT INTO gate (name, lanes) VALUES (?, ?) RETURNING id", p, 2);
    int64_t id = lp_db_res_int(res, 0, 0);
    lp_db_res_free(res);
    return id;
}

static void test_backend(void **state)
{
    fixture *f = *state;
    int pg = lp_test_backend_is_pg();
    assert_int_equal(lp_db_dialect_of(f->db), pg ? LP_DB_PG : LP_DB_SQLITE);
    assert_string_equal(lp_db_backend_name(f->db), pg ? "postgresql" : "sqlite");
}

/* Every parameter type, UTF-8 text, '?' inside literals, quoted identifiers
 * and comments, and INSERT ... RETURNING. */
static void test_insert_returning_and_types(void **state)
{
    static const char *const name = "Grenzübergang Nord – 🚛 “Zoll?” O'Brien";
    fixture *f = *state;
    const char *insert =
        "INSERT INTO gate (name, lanes, width, note, open, \"why?\") /* ? */\n"
        "VALUES (?, ?, ?, ?, ?, 'what? ''really?''') -- not a placeholder: ?\n"
        "RETURNING id";
    lp_db_val p1[] = {LP_DB_S(name), LP_DB_I(INT64_C(9007199254740993)), LP_DB_R(3.25), LP_DB_NUL, LP_DB_I(1)};
    lp_db_val p2[] = {LP_DB_S("Süd"), LP_DB_I(-7), LP_DB_R(-0.5), LP_DB_S(NULL), LP_DB_I(0)};
    lp_db_res *res;
    int64_t id1, id2;

    res = query_ok(f->db, insert, p1, 5);
    assert_int_equal(lp_db_res_nrows(res), 1);
    assert_int_equal(lp_db_res_ncols(res), 1);
    assert_string_equal(lp_db_res_colname(res, 0), "id");
    assert_int_equal(lp_db_res_type(res, 0, 0), LP_DB_INT);
    assert_int_equal(lp_db_res_changes(res), 1);
    id1 = lp_db_res_int(res, 0, 0);
    assert_true(id1 >= 1);
    lp_db_res_free(res);

    res = query_ok(f->db, insert, p2, 5);
    id2 = lp_db_res_int(res, 0, 0);
    assert_true(id2 > id1);
    lp_db_res_free(res);

    lp_db_val key[] = {LP_DB_I(id1)};
    res = query_ok(f->db, "SELECT id, name, lanes, width, note, open, \"why?\" FROM gate WHERE id = ?", key, 1);
    assert_int_equal(lp_db_res_nrows(res), 1);
    assert_int_equal(lp_db_res_ncols(res), 7);
    assert_string_equal(lp_db_res_colname(res, 0), "id");
    assert_string_equal(lp_db_res_colname(res, 1), "name");
    assert_string_equal(lp_db_res_colname(res, 3), "width");
    assert_string_equal(lp_db_res_colname(res, 6), "why?");
    assert_int_equal(lp_db_res_type(res, 0, 0), LP_DB_INT);
    assert_int_equal(lp_db_res_int(res, 0, 0), id1);
    assert_int_equal(lp_db_res_type(res, 0, 1), LP_DB_TEXT);
    assert_string_equal(lp_db_res_text(res, 0, 1), name);
    assert_int_equal(lp_db_res_type(res, 0, 2), LP_DB_INT);
    assert_true(lp_db_res_int(res, 0, 2) == INT64_C(9007199254740993));
    assert_string_equal(lp_db_res_text(res, 0, 2), "9007199254740993");
    assert_int_equal(lp_db_res_type(res, 0, 3), LP_DB_REAL);
    assert_true(lp_db_res_real(res, 0, 3) == 3.25);
    assert_string_equal(lp_db_res_text(res, 0, 3), "3.25");
    assert_int_equal(lp_db_res_type(res, 0, 4), LP_DB_NULL);
    assert_true(lp_db_res_isnull(res, 0, 4));
    assert_string_equal(lp_db_res_text(res, 0, 4), "");
    assert_int_equal(lp_db_res_type(res, 0, 5), LP_DB_INT);
    assert_int_equal(lp_db_res_int(res, 0, 5), 1);
    assert_int_equal(lp_db_res_type(res, 0, 6), LP_DB_TEXT);
    assert_string_equal(lp_db_res_text(res, 0, 6), "what? 'really?'");
    lp_db_res_free(res);

    key[0] = LP_DB_I(id2);
    res = query_ok(f->db, "SELECT lanes, width, note, open FROM gate WHERE id = ?", key, 1);
    assert_int_equal(lp_db_res_int(res, 0, 0), -7);
    assert_true(lp_db_res_real(res, 0, 1) == -0.5);
    assert_true(lp_db_res_isnull(res, 0, 2));
    assert_int_equal(lp_db_res_type(res, 0, 3), LP_DB_INT);
    assert_int_equal(lp_db_res_int(res, 0, 3), 0);
    lp_db_res_free(res);
}

/* Only '?' outside literals, quoted identifiers and comments are
 * placeholders; both backends must agree. */
static void test_placeholders(void **state)
{
    fixture *f = *state;
    lp_db_val p[] = {LP_DB_I(7), LP_DB_S("x?y")};
    lp_db_res *res = query_ok(f->db,
                              "SELECT ? AS a, '?''?' AS \"b?\", /* ? */ ? AS c -- ?\n", p, 2);
    assert_int_equal(lp_db_res_ncols(res), 3);
    assert_string_equal(lp_db_res_colname(res, 1), "b?");
    assert_int_equal(lp_db_res_int(res, 0, 0), 7);
    assert_string_equal(lp_db_res_text(res, 0, 1), "?'?");
    assert_string_equal(lp_db_res_text(res, 0, 2), "x?y");
    lp_db_res_free(res);
}

/* PostgreSQL's own literal forms hide '?' too: E'' strings with backslash
 * escapes and dollar quotes. */
static void test_pg_literals(void **state)
{
    fixture *f = *state;
    lp_db_val p[] = {LP_DB_S("z"), LP_DB_I(5)};
    lp_db_res *res;

    /* Registered only for the PostgreSQL run (see main). */
    assert_int_equal(lp_db_dialect_of(f->db), LP_DB_PG);
    res = query_ok(f->db, "SELECT E'it\\'s ?' AS a, $$?$$ AS b, $t$ ? $x$ ?$t$ AS c, ? AS d, CAST(? AS INTEGER) + 1 AS e",
                   p, 2);
    assert_string_equal(lp_db_res_text(res, 0, 0), "it's ?");
    assert_string_equal(lp_db_res_text(res, 0, 1), "?");
    assert_string_equal(lp_db_res_text(res, 0, 2), " ? $x$ ?");
    assert_string_equal(lp_db_res_text(res, 0, 3), "z");
    assert_int_equal(lp_db_res_int(res, 0, 4), 6);
    lp_db_res_free(res);
}

static void test_param_count_mismatch(void **state)
{
    fixture *f = *state;
    lp_db_val p[] = {LP_DB_I(1), LP_DB_I(2)};
    lp_db_res *res = NULL;
    lp_err err;
    lp_err_init(&err);
    assert_int_equal(lp_db_query(f->db, "SELECT ?", p, 2, &res, &err), LP_ESTORE);
    assert_null(res);
    assert_true(err.msg[0] != '\0');
}

/* Column types map the same way on both backends. */
static void test_type_map(void **state)
{
    fixture *f = *state;
    lp_db_val p[] = {LP_DB_I(INT64_MIN), LP_DB_R(1e-300)};
    lp_db_res *res = query_ok(f->db,
                              "SELECT CAST(1 AS SMALLINT) AS i2, CAST(2 AS INTEGER) AS i4, CAST(3 AS BIGINT) AS i8,"
                              " CAST(4 AS OID) AS o, CAST(1.5 AS REAL) AS f4, CAST(2.25 AS DOUBLE PRECISION) AS f8,"
                              " CAST(3.125 AS NUMERIC) AS num, TRUE AS t, FALSE AS f, 'x' AS s,"
                              " CAST(NULL AS INTEGER) AS n, CAST(? AS BIGINT) AS big, CAST(? AS DOUBLE PRECISION) AS tiny",
                              p, 2);
    static const lp_db_type want[] = {LP_DB_INT, LP_DB_INT, LP_DB_INT, LP_DB_INT, LP_DB_REAL, LP_DB_REAL, LP_DB_REAL,
                                      LP_DB_INT, LP_DB_INT, LP_DB_TEXT, LP_DB_NULL, LP_DB_INT, LP_DB_REAL};
    int c;

    assert_int_equal(lp_db_res_ncols(res), 13);
    for (c = 0; c < 13; c++) {
        if (lp_db_res_type(res, 0, c) != want[c])
            fail_msg("column %s: type %d, want %d", lp_db_res_colname(res, c), lp_db_res_type(res, 0, c), want[c]);
    }
    assert_int_equal(lp_db_res_int(res, 0, 0), 1);
    assert_int_equal(lp_db_res_int(res, 0, 3), 4);
    assert_true(lp_db_res_real(res, 0, 4) == 1.5);
    assert_true(lp_db_res_real(res, 0, 6) == 3.125);
    assert_int_equal(lp_db_res_int(res, 0, 7), 1);
    assert_int_equal(lp_db_res_int(res, 0, 8), 0);
    assert_string_equal(lp_db_res_text(res, 0, 9), "x");
    assert_true(lp_db_res_int(res, 0, 11) == INT64_MIN);
    assert_string_equal(lp_db_res_text(res, 0, 11), "-9223372036854775808");
    assert_true(fabs(lp_db_res_real(res, 0, 12) - 1e-300) < 1e-310);
    lp_db_res_free(res);
}

static void test_empty_result(void **state)
{
    fixture *f = *state;
    lp_db_val p[] = {LP_DB_I(0)};
    lp_db_res *res = query_ok(f->db, "SELECT id, name FROM gate WHERE id < ?", p, 1);
    assert_int_equal(lp_db_res_nrows(res), 0);
    assert_int_equal(lp_db_res_ncols(res), 2);
    assert_string_equal(lp_db_res_colname(res, 1), "name");
    assert_string_equal(lp_db_res_colname(res, 2), "");
    assert_int_equal(lp_db_res_changes(res), 0);
    /* Out of range reads are NULL, not a crash. */
    assert_int_equal(lp_db_res_type(res, 0, 0), LP_DB_NULL);
    assert_int_equal(lp_db_res_int(res, 0, 0), 0);
    assert_string_equal(lp_db_res_text(res, 5, -1), "");
    lp_db_res_free(res);
}

static void test_unique_violation(void **state)
{
    fixture *f = *state;
    lp_db_val p[] = {LP_DB_S("Ost"), LP_DB_I(2)};
    lp_db_res *res = NULL;
    lp_err err;

    insert_gate(f->db, "Ost", 1);
    lp_err_init(&err);
    assert_int_equal(lp_db_query(f->db, "INSERT INTO gate (name, lanes) VALUES (?, ?)", p, 2, &res, &err),
                     LP_ECONFLICT);
    assert_null(res);
    assert_int_equal(err.code, LP_ECONFLICT);
    assert_true(err.msg[0] != '\0');
    /* The connection is still usable. */
    assert_int_equal(count_gates(f->db), 1);
}

static void test_transactions(void **state)
{
    fixture *f = *state;
    lp_err err;

    lp_err_init(&err);
    assert_int_equal(lp_db_begin(f->db, &err), 0);
    insert_gate(f->db, "West", 1);
    assert_int_equal(count_gates(f->db), 1);
    lp_db_rollback(f->db);
    assert_int_equal(count_gates(f->db), 0);

    assert_int_equal(lp_db_begin(f->db, &err), 0);
    insert_gate(f->db, "West", 1);
    insert_gate(f->db, "Nord", 2);
    assert_int_equal(lp_db_commit(f->db, &err), 0);
    assert_int_equal(count_gates(f->db), 2);

    /* A failed statement inside a transaction, then rollback: the earlier
     * insert of the transaction is gone, the connection usable. */
    assert_int_equal(lp_db_begin(f->db, &err), 0);
    insert_gate(f->db, "Süd", 3);
    {
        lp_db_val p[] = {LP_DB_S("West"), LP_DB_I(9)};
        assert_int_equal(lp_db_query(f->db, "INSERT INTO gate (name, lanes) VALUES (?, ?)", p, 2, NULL, &err),
                         LP_ECONFLICT);
    }
    lp_db_rollback(f->db);
    assert_int_equal(count_gates(f->db), 2);
}

static void test_changes(void **state)
{
    fixture *f = *state;
    lp_db_val p[] = {LP_DB_I(2)};
    lp_db_val none[] = {LP_DB_S("nobody")};
    lp_db_val del[] = {LP_DB_S("b")};
    lp_db_res *res;
    lp_err err;

    lp_err_init(&err);
    assert_int_equal(lp_db_query(f->db, "INSERT INTO gate (name, lanes) VALUES ('a', 1), ('b', 2), ('c', 3)",
                                 NULL, 0, NULL, &err), 0);
    res = query_ok(f->db, "UPDATE gate SET lanes = lanes + 1 WHERE lanes >= ?", p, 1);
    assert_int_equal(lp_db_res_changes(res), 2);
    assert_int_equal(lp_db_res_ncols(res), 0);
    lp_db_res_free(res);
    res = query_ok(f->db, "UPDATE gate SET lanes = 0 WHERE name = ?", none, 1);
    assert_int_equal(lp_db_res_changes(res), 0);
    lp_db_res_free(res);
    res = query_ok(f->db, "DELETE FROM gate WHERE name = ?", del, 1);
    assert_int_equal(lp_db_res_changes(res), 1);
    lp_db_res_free(res);
    res = query_ok(f->db, "SELECT name FROM gate ORDER BY name", NULL, 0);
    assert_int_equal(lp_db_res_nrows(res), 2);
    assert_int_equal(lp_db_res_changes(res), 0);
    assert_string_equal(lp_db_res_text(res, 1, 0), "c");
    lp_db_res_free(res);
}

static void test_bad_sql(void **state)
{
    fixture *f = *state;
    lp_db_res *res = NULL;
    lp_err err;

    lp_err_init(&err);
    assert_int_equal(lp_db_query(f->db, "SELEC 1", NULL, 0, &res, &err), LP_ESTORE);
    assert_null(res);
    assert_non_null(strstr(err.msg, "syntax error"));

    lp_err_init(&err);
    assert_int_equal(lp_db_query(f->db, "SELECT * FROM nosuch", NULL, 0, &res, &err), LP_ESTORE);
    assert_non_null(strstr(err.msg, "nosuch"));

    lp_err_init(&err);
    assert_int_equal(lp_db_exec_script(f->db, "CREATE TABLE ok1 (x TEXT); CREATE TABLE (", &err), LP_ESTORE);
    assert_true(err.msg[0] != '\0');
}

/* Open failures: a clear message that never shows the password. */
static void test_open_errors(void **state)
{
    lp_db *db = NULL;
    lp_err err;
    char *path;
    (void)state;

    lp_err_init(&err);
    assert_int_equal(lp_db_open("postgresql://lp:s3cret@127.0.0.1:1/x?connect_timeout=5", &db, &err), LP_ESTORE);
    assert_null(db);
    assert_non_null(strstr(err.msg, "PostgreSQL"));
    assert_null(strstr(err.msg, "s3cret"));

    lp_err_init(&err);
    assert_int_equal(lp_db_open("postgresql://lp:s3cret@[::1/x", &db, &err), LP_EINVAL);
    assert_null(strstr(err.msg, "s3cret"));

    lp_err_init(&err);
    path = lp_test_mkdtemp("test_db_open");
    {
        char bad[512];
        snprintf(bad, sizeof bad, "%s/no/such/dir/x.db", path);
        assert_int_equal(lp_db_open(bad, &db, &err), LP_ESTORE);
    }
    assert_null(db);
    assert_true(err.msg[0] != '\0');
    lp_test_rmtree(path);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_backend, setup, teardown),
        cmocka_unit_test_setup_teardown(test_insert_returning_and_types, setup, teardown),
        cmocka_unit_test_setup_teardown(test_placeholders, setup, teardown),
        cmocka_unit_test_setup_teardown(test_param_count_mismatch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_type_map, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_result, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unique_violation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transactions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_changes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_sql, setup, teardown),
        cmocka_unit_test(test_open_errors),
    };
    /* PostgreSQL's own literal forms exist only there: a group of its own,
     * run only on that backend, rather than a test skipped on SQLite. */
    const struct CMUnitTest pg_tests[] = {
        cmocka_unit_test_setup_teardown(test_pg_literals, setup, teardown),
    };
    int failed;
    if (!lp_test_backend_is_pg()) return cmocka_run_group_tests_name("db (sqlite)", tests, NULL, NULL);
    failed = cmocka_run_group_tests_name("db (postgresql)", tests, NULL, NULL);
    return failed + cmocka_run_group_tests_name("db (postgresql literals)", pg_tests, NULL, NULL);
}
