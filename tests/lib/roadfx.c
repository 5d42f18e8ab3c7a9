/* roadfx.c - loads the roads under data/roads/ for tests (see roadfx.h). */
#include "roadfx.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "core/mem.h"

char *lp_test_source_file(const char *relpath, size_t *len)
{
    char *path = lp_sprintf("%s/%s", LP_SOURCE_DIR, relpath), *text = NULL;
    FILE *f = fopen(path, "rb");
    long size = -1;
    if (!f) fail_msg("cannot open %s", path);
    if (fseek(f, 0, SEEK_END) == 0) size = ftell(f);
    if (size < 0 || fseek(f, 0, SEEK_SET) != 0) fail_msg("cannot size %s", path);
    text = lp_malloc((size_t)size + 1);
    if (fread(text, 1, (size_t)size, f) != (size_t)size) fail_msg("cannot read %s", path);
    text[size] = '\0';
    fclose(f);
    lp_free(path);
    if (len) *len = (size_t)size;
    return text;
}

lp_road *lp_test_road(const char *id)
{
    char *rel = lp_sprintf("data/roads/%s.json", id);
    size_t len;
    char *text = lp_test_source_file(rel, &len);
    lp_road *r = NULL;
    lp_err err;
    int i;
    lp_err_init(&err);
    if (lp_road_parse(text, len, &r, &err) != LP_OK) {
        for (i = 0; i < err.nfields; i++)
            print_error("%s: %s\n", err.fields[i].pointer, err.fields[i].msg);
        fail_msg("road %s: %s", id, err.msg);
    }
    lp_free(text);
    lp_free(rel);
    return r;
}
