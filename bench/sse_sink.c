/* sse_sink.c - the listeners of bench/events.sh: opens N event streams
 * (GET /api/v1/events, HTTP/1.0) on 127.0.0.1:PORT with TOKEN, reads them
 * until SIGTERM or SIGINT, then prints "streams N events TOTAL min MIN max
 * MAX" (events: lines starting "id: ", per stream).
 *
 *   lp_bench_sse PORT TOKEN N */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

/* Counts "\nid: " across reads: state is how much of it the last read ended in. */
static long count_ids(const char *buf, size_t n, int *state)
{
    static const char pat[] = "\nid: ";
    long found = 0;
    size_t i;
    for (i = 0; i < n; i++) {
        if (buf[i] == pat[*state]) (*state)++;
        else *state = buf[i] == '\n' ? 1 : 0;
        if (*state == 5) {
            found++;
            *state = 0;
        }
    }
    return found;
}

int main(int argc, char **argv)
{
    int n, i, port;
    struct pollfd *p;
    long *events, total = 0, lo = -1, hi = 0;
    int *state;
    char req[512], buf[65536];

    if (argc != 4 || (port = atoi(argv[1])) <= 0 || (n = atoi(argv[3])) <= 0) {
        fprintf(stderr, "usage: lp_bench_sse PORT TOKEN N\n");
        return 2;
    }
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    p = calloc((size_t)n, sizeof *p);
    events = calloc((size_t)n, sizeof *events);
    state = calloc((size_t)n, sizeof *state);
    if (!p || !events || !state) return 1;
    snprintf(req, sizeof req,
             "GET /api/v1/events HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
             "Authorization: Bearer %s\r\n\r\n",
             argv[2]);
    for (i = 0; i < n; i++) {
        struct sockaddr_in a;
        memset(&a, 0, sizeof a);
        a.sin_family = AF_INET;
        a.sin_port = htons((uint16_t)port);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        p[i].fd = socket(AF_INET, SOCK_STREAM, 0);
        p[i].events = POLLIN;
        if (p[i].fd < 0 || connect(p[i].fd, (struct sockaddr *)&a, sizeof a) != 0 ||
            write(p[i].fd, req, strlen(req)) != (ssize_t)strlen(req)) {
            perror("lp_bench_sse: connect");
            return 1;
        }
    }
    fprintf(stderr, "lp_bench_sse: %d streams open\n", n);
    while (!stop) {
        if (poll(p, (nfds_t)n, 200) <= 0) continue;
        for (i = 0; i < n; i++) {
            ssize_t got;
            if (!(p[i].revents & (POLLIN | POLLHUP))) continue;
            got = read(p[i].fd, buf, sizeof buf);
            if (got <= 0) {
                p[i].fd = -p[i].fd - 1; /* closed: poll ignores it */
                continue;
            }
            events[i] += count_ids(buf, (size_t)got, &state[i]);
        }
    }
    for (i = 0; i < n; i++) {
        total += events[i];
        if (lo < 0 || events[i] < lo) lo = events[i];
        if (events[i] > hi) hi = events[i];
    }
    printf("streams %d events %ld min %ld max %ld\n", n, total, lo, hi);
    return 0;
}
