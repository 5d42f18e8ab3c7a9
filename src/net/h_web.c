/* h_web.c - the dashboard's static files, served from the web root for GET
 * requests outside /api/.  Only regular files below the root, by a path with
 * no "..", hidden or empty segments; "/" is index.html. */
#include "handlers.h"
#include "../core/mem.h"

#include <event2/buffer.h>
#include <event2/http.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *mime(const char *path)
{
    static const struct { const char *ext, *type; } types[] = {
        {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
        {".json", "application/json"}, {".svg", "image/svg+xml"}, {".png", "image/png"},
        {".ico", "image/x-icon"}, {".woff2", "font/woff2"},
    };
    const char *dot = strrchr(path, '.');
    size_t i;
    for (i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (strcmp(dot, types[i].ext) == 0) return types[i].type;
    return "application/octet-stream";
}

static int safe(const char *path)
{
    const char *p = path;
    if (*p != '/' || strncmp(path, "/api/", 5) == 0) return 0;
    while (*p == '/') {
        p++;
        if (*p == '.' || *p == '/') return 0; /* "..", hidden files, empty segments */
        while (*p && *p != '/') {
            if ((unsigned char)*p < 0x20 || *p == '\\') return 0;
            p++;
        }
    }
    return *p == '\0';
}

int lp_web_serve(lp_req *r, const char *path)
{
    const char *root = lp_server_web_root(r->srv);
    enum evhttp_cmd_type cmd = evhttp_request_get_command(r->ev);
    struct stat sb;
    char *file;
    int fd;
    struct evbuffer *b;

    if (!root || (cmd != EVHTTP_REQ_GET && cmd != EVHTTP_REQ_HEAD) || !safe(path)) return 0;
    file = lp_sprintf("%s%s", root, strcmp(path, "/") == 0 ? "/index.html" : path);
    fd = open(file, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        if (fd >= 0) close(fd);
        lp_free(file);
        return 0;
    }
    evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Content-Type", mime(file));
    evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Cache-Control", "no-cache");
    b = evbuffer_new();
    evbuffer_add_file(b, fd, 0, sb.st_size); /* takes the fd */
    evhttp_send_reply(r->ev, 200, "OK", b);
    evbuffer_free(b);
    lp_free(file);
    net__finish(r, 200);
    return 1;
}
