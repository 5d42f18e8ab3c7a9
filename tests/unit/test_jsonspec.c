/* test_jsonspec.c - body declarations: unknown members, wrong types, limits,
 * required and create-only members, duplicates, nested arrays, and the JSON
 * Schema rendered for OpenAPI. */
#include "testlib.h"
#include "net/jsonspec.h"

#include <string.h>

static const char *const colours[] = {"red", "green", NULL};
static const lp_jfield item_fields[] = {
    {"at", LP_J_STRING, LP_JF_REQUIRED, 5, 5, NULL, NULL, NULL, NULL},
};
static const lp_jspec item_spec = {item_fields, 1};
static const lp_jfield fields[] = {
    {"name", LP_J_STRING, LP_JF_REQUIRED, 1, 4, NULL, NULL, "a name", "\"abc\""},
    {"count", LP_J_INT, 0, 1, 10, NULL, NULL, NULL, NULL},
    {"ok", LP_J_BOOL, 0, 0, 0, NULL, NULL, NULL, NULL},
    {"colour", LP_J_ENUM, LP_JF_CREATE_ONLY, 0, 0, colours, NULL, NULL, NULL},
    {"tags", LP_J_ENUM_ARRAY, 0, 0, 2, colours, NULL, NULL, NULL},
    {"times", LP_J_OBJECT_ARRAY, 0, 0, 3, NULL, &item_spec, NULL, NULL},
    {"note", LP_J_STRING, LP_JF_NULLABLE, 0, 10, NULL, NULL, NULL, NULL},
    {"when", LP_J_OBJECT, 0, 0, 0, NULL, &item_spec, NULL, NULL},
    {"any", LP_J_OBJECT, 0, 0, 0, NULL, NULL, NULL, NULL},
    {"words", LP_J_STRING_ARRAY, 0, 2, 3, NULL, NULL, NULL, NULL},
};
static const lp_jspec spec = {fields, (int)(sizeof fields / sizeof fields[0])};

/* Checks text; returns the number of field errors and whether ptr is among them. */
static int check(const char *text, lp_jspec_mode mode, const char *ptr, int *found)
{
    cJSON *j = cJSON_Parse(text);
    lp_err e;
    int i;
    assert_non_null(j);
    lp_err_init(&e);
    lp_jspec_check(&spec, j, mode, "", &e);
    *found = 0;
    for (i = 0; i < e.nfields; i++)
        if (ptr && strcmp(e.fields[i].pointer, ptr) == 0) *found = 1;
    cJSON_Delete(j);
    if (e.nfields) assert_int_equal(e.code, LP_EINVAL);
    return e.nfields;
}

#define BAD(text, mode, ptr)                                   \
    do {                                                       \
        int found_;                                            \
        assert_true(check(text, mode, ptr, &found_) >= 1);     \
        assert_true(found_);                                   \
    } while (0)
#define GOOD(text, mode)                                       \
    do {                                                       \
        int found_;                                            \
        assert_int_equal(check(text, mode, NULL, &found_), 0); \
    } while (0)

static void test_valid(void **state)
{
    (void)state;
    GOOD("{\"name\":\"Hà\"}", LP_JSPEC_CREATE);
    GOOD("{\"name\":\"abcd\",\"count\":10,\"ok\":false,\"colour\":\"red\",\"tags\":[\"red\",\"green\"],"
         "\"times\":[{\"at\":\"18:30\"}],\"note\":null}",
         LP_JSPEC_CREATE);
    GOOD("{\"count\":1}", LP_JSPEC_PATCH);
    GOOD("{\"name\":\"a\",\"when\":{\"at\":\"18:30\"},\"any\":{\"x\":[1]},\"words\":[\"ab\",\"abc\"]}",
         LP_JSPEC_CREATE);
}

static void test_rejections(void **state)
{
    (void)state;
    BAD("{\"name\":\"a\",\"extra\":1}", LP_JSPEC_CREATE, "/extra");
    BAD("{}", LP_JSPEC_CREATE, "/name");
    BAD("{\"name\":5}", LP_JSPEC_CREATE, "/name");
    BAD("{\"name\":\"\"}", LP_JSPEC_CREATE, "/name");
    BAD("{\"name\":\"abcde\"}", LP_JSPEC_CREATE, "/name"); /* 5 characters > 4 */
    BAD("{\"name\":\"a\",\"count\":1.5}", LP_JSPEC_CREATE, "/count");
    BAD("{\"name\":\"a\",\"count\":11}", LP_JSPEC_CREATE, "/count");
    BAD("{\"name\":\"a\",\"count\":\"3\"}", LP_JSPEC_CREATE, "/count");
    BAD("{\"name\":\"a\",\"ok\":1}", LP_JSPEC_CREATE, "/ok");
    BAD("{\"name\":\"a\",\"colour\":\"blue\"}", LP_JSPEC_CREATE, "/colour");
    BAD("{\"name\":\"a\",\"tags\":[\"red\",\"red\"]}", LP_JSPEC_CREATE, "/tags/1");
    BAD("{\"name\":\"a\",\"tags\":[\"red\",\"green\",\"red\"]}", LP_JSPEC_CREATE, "/tags");
    BAD("{\"name\":\"a\",\"times\":[{\"at\":\"1830\"}]}", LP_JSPEC_CREATE, "/times/0/at");
    BAD("{\"name\":\"a\",\"times\":[{\"at\":\"18:30\",\"x\":1}]}", LP_JSPEC_CREATE, "/times/0/x");
    BAD("{\"name\":\"a\",\"times\":[1]}", LP_JSPEC_CREATE, "/times/0");
    BAD("{\"name\":null}", LP_JSPEC_CREATE, "/name");
    BAD("{\"name\":\"a\",\"name\":\"b\"}", LP_JSPEC_CREATE, "/name");
    BAD("{\"colour\":\"red\"}", LP_JSPEC_PATCH, "/colour");
    BAD("{}", LP_JSPEC_PATCH, "");
    BAD("{\"name\":\"a\",\"when\":{\"at\":\"1830\"}}", LP_JSPEC_CREATE, "/when/at");
    BAD("{\"name\":\"a\",\"when\":{}}", LP_JSPEC_CREATE, "/when/at");
    BAD("{\"name\":\"a\",\"when\":[]}", LP_JSPEC_CREATE, "/when");
    BAD("{\"name\":\"a\",\"any\":1}", LP_JSPEC_CREATE, "/any");
    BAD("{\"name\":\"a\",\"words\":[\"a\"]}", LP_JSPEC_CREATE, "/words/0");
    BAD("{\"name\":\"a\",\"words\":[\"ab\",5]}", LP_JSPEC_CREATE, "/words/1");
    BAD("[]", LP_JSPEC_CREATE, "");
}

static void test_all_errors_at_once(void **state)
{
    int found;
    (void)state;
    assert_int_equal(check("{\"count\":0,\"ok\":\"y\",\"zz\":1}", LP_JSPEC_CREATE, "/zz", &found), 4);
    assert_true(found);
}

static void test_schema(void **state)
{
    cJSON *s = lp_jspec_schema(&spec, LP_JSPEC_CREATE), *p;
    (void)state;
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(s, "type")), "object");
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(s, "additionalProperties")));
    assert_string_equal(cJSON_GetStringValue(cJSON_GetArrayItem(cJSON_GetObjectItem(s, "required"), 0)), "name");
    p = cJSON_GetObjectItem(cJSON_GetObjectItem(s, "properties"), "name");
    assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItem(p, "maxLength")), 4);
    p = cJSON_GetObjectItem(cJSON_GetObjectItem(s, "properties"), "note");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(p, "type")), 2);
    cJSON_Delete(s);
    s = lp_jspec_schema(&spec, LP_JSPEC_PATCH);
    assert_null(cJSON_GetObjectItem(s, "required"));
    assert_null(cJSON_GetObjectItem(cJSON_GetObjectItem(s, "properties"), "colour"));
    cJSON_Delete(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_rejections),
        cmocka_unit_test(test_all_errors_at_once),
        cmocka_unit_test(test_schema),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
