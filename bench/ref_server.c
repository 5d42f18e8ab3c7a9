/* ref_server.c - the reference for bench/http.sh: the smallest evhttp server
 * that answers every request with a fixed JSON body.  Whatever landport's own
 * handlers cost shows up as the ratio to this, measured in the same run. */
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>

static void handle(struct evhttp_request *req, void *arg)
{
    static const char body[] = "{\"items\":[{\"id\":\"road-1088\",\"status\":\"open\"}],\"next_cursor\":null}";
    struct evbuffer *out = evhttp_request_get_output_buffer(req);
    (void)arg;
    evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type", "application/json");
    evbuffer_add(out, body, sizeof body - 1);
    evhttp_send_reply(req, 200, "OK", NULL);
}

int main(int argc, char **argv)
{
    struct event_base *base;
    struct evhttp *http;
    int port = argc > 1 ? atoi(argv[1]) : 0;
    if (port <= 0) {
        fprintf(stderr, "usage: lp_bench_ref PORT\n");
        return 2;
    }
    base = event_base_new();
    http = evhttp_new(base);
    if (!base || !http || evhttp_bind_socket(http, "127.0.0.1", (unsigned short)port) != 0) {
        fprintf(stderr, "lp_bench_ref: cannot listen on 127.0.0.1:%d\n", port);
        return 1;
    }
    evhttp_set_allowed_methods(http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_PATCH);
    evhttp_set_gencb(http, handle, NULL);
    event_base_dispatch(base);
    evhttp_free(http);
    event_base_free(base);
    return 0;
}
