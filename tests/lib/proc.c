/* proc.c - the landport binary as a child process, for the integration
 * tests (see testlib.h): one-shot commands with their output captured, and
 * `landport serve` on a free loopback port with its log in its private
 * directory.  Every wait here is bounded: a child that hangs is killed and
 * the test fails, it never stalls the suite. */
#include "testlib.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RUN_TIMEOUT_MS 60000   /* a one-shot command (token create, migrate) */
#define START_TIMEOUT_MS 20000 /* serve: port file and /healthz */
#define STOP_TIMEOUT_MS 20000  /* serve after SIGTERM, before SIGKILL */
#define MAX_ARGS 64

extern char **environ;

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static char *xstrdup(const char *s)
{
    char *d = strdup(s);
    if (!d) lp_test_fail("out of memory");
    return d;
}

/* malloc'ed "a" + "b". */
static char *join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 1;
    char *s = malloc(n);
    if (!s) lp_test_fail("out of memory");
    snprintf(s, n, "%s%s", a, b);
    return s;
}

/* The whole file as a NUL-terminated string, or NULL if unreadable.
 * Caller frees. */
static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t len = 0, cap = 0, n;
    if (!f) return NULL;
    do {
        if (cap - len < 4096) {
            char *nb = realloc(buf, cap + 65536);
            if (!nb) break;
            buf = nb;
            cap += 65536;
        }
        n = fread(buf + len, 1, cap - len - 1, f);
        len += n;
    } while (n > 0);
    fclose(f);
    if (buf) buf[len] = '\0';
    return buf;
}

/* Forks and execs LP_TEST_BINARY with argv (argv[0] included).  The child's
 * stdin is /dev/null; its stdout and stderr go to out_fd and err_fd.  Returns
 * the pid; fails the test when fork fails.  Only async-signal-safe calls
 * happen in the child (the parent may have threads, e.g. curl's resolver). */
static pid_t spawn(char *const argv[], int out_fd, int err_fd)
{
    int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    pid_t pid, parent = getpid();
    if (null_fd < 0) lp_test_fail("cannot open /dev/null: %s", strerror(errno));
    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        int e = errno;
        close(null_fd);
        lp_test_fail("fork: %s", strerror(e));
    }
    if (pid == 0) {
        /* A test program that dies (crash, SIGPIPE, ^C) takes its servers
         * with it instead of leaving them listening; the getppid() check
         * covers a parent that died before the prctl. */
        if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || getppid() != parent) _exit(125);
        /* dup2 clears O_CLOEXEC on the copies. */
        if (dup2(null_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0) _exit(126);
        execve(LP_TEST_BINARY, argv, environ);
        {
            static const char msg[] = "lp_test: cannot exec " LP_TEST_BINARY "\n";
            ssize_t w = write(2, msg, sizeof msg - 1);
            (void)w;
        }
        _exit(127);
    }
    close(null_fd);
    return pid;
}

/* Waits up to timeout_ms for pid; returns its wait status, or -1 if it is
 * still running. */
static int wait_for(pid_t pid, int timeout_ms)
{
    long long deadline = now_ms() + timeout_ms;
    int status;
    for (;;) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid) return status;
        if (r < 0 && errno != EINTR) return -1;
        if (now_ms() >= deadline) return -1;
        sleep_ms(10);
    }
}

/* Kills pid with SIGKILL and reaps it (SIGKILL cannot be ignored, so the
 * wait is short). */
static int kill_and_reap(pid_t pid)
{
    int status = 0;
    kill(pid, SIGKILL);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return status;
}

/* A wait status as the shell shows it: exit code, or 128+signal. */
static int exit_code(int status)
{
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return 255;
}

/* Growing byte buffer for a pipe's output. */
typedef struct sink {
    char *data;
    size_t len, cap;
} sink;

static void sink_add(sink *s, const char *p, size_t n)
{
    if (s->len + n + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 4096;
        char *nd;
        while (cap < s->len + n + 1) cap *= 2;
        nd = realloc(s->data, cap);
        if (!nd) lp_test_fail("out of memory");
        s->data = nd;
        s->cap = cap;
    }
    memcpy(s->data + s->len, p, n);
    s->len += n;
    s->data[s->len] = '\0';
}

int lp_test_run(char **out, char **err, const char *arg, ...)
{
    char *argv[MAX_ARGS + 2];
    int po[2] = {-1, -1}, pe[2] = {-1, -1}, argc = 0, status, open_fds = 2;
    sink so = {0}, se = {0};
    long long deadline;
    const char *a;
    va_list ap;
    pid_t pid;

    argv[argc++] = "landport";
    va_start(ap, arg);
    for (a = arg; a; a = va_arg(ap, const char *)) {
        if (argc > MAX_ARGS) {
            va_end(ap);
            lp_test_fail("lp_test_run: more than %d arguments", MAX_ARGS);
        }
        argv[argc++] = (char *)a;
    }
    va_end(ap);
    argv[argc] = NULL;
    if (out) *out = NULL;
    if (err) *err = NULL;

    if (pipe2(po, O_CLOEXEC) != 0 || pipe2(pe, O_CLOEXEC) != 0) lp_test_fail("pipe: %s", strerror(errno));
    pid = spawn(argv, po[1], pe[1]);
    close(po[1]);
    close(pe[1]);

    /* Drain both pipes together so that neither fills up and blocks the child. */
    deadline = now_ms() + RUN_TIMEOUT_MS;
    while (open_fds > 0) {
        struct pollfd fds[2] = {{po[0], POLLIN, 0}, {pe[0], POLLIN, 0}};
        long long left = deadline - now_ms();
        int i, n;
        if (left <= 0) break;
        n = poll(fds, 2, (int)left);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) break;
        for (i = 0; i < 2; i++) {
            char buf[4096];
            ssize_t r;
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            r = read(fds[i].fd, buf, sizeof buf);
            if (r > 0) {
                sink_add(i == 0 ? &so : &se, buf, (size_t)r);
            } else if (r == 0 || errno != EINTR) {
                close(fds[i].fd);
                if (i == 0) po[0] = -1;
                else pe[0] = -1;
                open_fds--;
            }
        }
    }
    if (po[0] >= 0) close(po[0]);
    if (pe[0] >= 0) close(pe[0]);
    status = open_fds > 0 ? -1 : wait_for(pid, (int)(deadline - now_ms() > 0 ? deadline - now_ms() : 0));
    if (status == -1) {
        kill_and_reap(pid);
        free(so.data);
        free(se.data);
        lp_test_fail("landport %s did not finish within %d s; killed", arg ? arg : "", RUN_TIMEOUT_MS / 1000);
    }
    sink_add(&so, "", 0);
    sink_add(&se, "", 0);
    if (out) *out = so.data;
    else free(so.data);
    if (err) *err = se.data;
    else free(se.data);
    return exit_code(status);
}

/* The server ----------------------------------------------------------------- */

/* Prints the server's log to stderr (for a test that failed to use it). */
static void dump_log(const lp_test_server *s)
{
    char *path = join(s->dir, "/server.log");
    char *log = read_file(path);
    fprintf(stderr, "---- %s ----\n%s%s---- end of server log ----\n", path, log ? log : "(unreadable)\n",
            log && *log && log[strlen(log) - 1] != '\n' ? "\n" : "");
    free(log);
    free(path);
}

/* Kills the server, dumps its log, frees and removes everything (s is left
 * zeroed, so a later lp_test_server_stop does nothing) and fails the test. */
__attribute__((format(printf, 2, 3))) static _Noreturn void start_failed(lp_test_server *s, const char *fmt, ...)
{
    char msg[768];
    int n;
    va_list ap;
    n = snprintf(msg, sizeof msg, "landport serve (%.500s): ", s->db);
    if (n < 0) n = 0;
    va_start(ap, fmt);
    vsnprintf(msg + n, sizeof msg - (size_t)n, fmt, ap);
    va_end(ap);
    if (s->pid > 0) kill_and_reap(s->pid);
    dump_log(s);
    lp_test_rmtree(s->dir);
    free(s->dir);
    free(s->db);
    free(s->admin);
    memset(s, 0, sizeof *s);
    lp_test_fail("%s", msg);
}

/* 1 when GET /healthz on 127.0.0.1:port answers 200 within timeout_ms.  A
 * raw HTTP/1.0 exchange keeps this probe independent of the client in http.c. */
static int healthz_ok(int port, int timeout_ms)
{
    static const char req[] = "GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
    struct sockaddr_in sa;
    struct pollfd pfd;
    char buf[64];
    size_t got = 0;
    int fd, ok = 0;

    fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return 0;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    /* A loopback connect either succeeds or is refused at once. */
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) goto out;
    if (send(fd, req, sizeof req - 1, MSG_NOSIGNAL) != (ssize_t)(sizeof req - 1)) goto out;
    pfd.fd = fd;
    pfd.events = POLLIN;
    while (got < sizeof buf - 1 && poll(&pfd, 1, timeout_ms) > 0) {
        ssize_t r = recv(fd, buf + got, sizeof buf - 1 - got, 0);
        if (r <= 0) break;
        got += (size_t)r;
        if (got >= 12) break;
    }
    buf[got] = '\0';
    ok = strncmp(buf, "HTTP/1.1 200", 12) == 0 || strncmp(buf, "HTTP/1.0 200", 12) == 0;
out:
    close(fd);
    return ok;
}

/* The port written to path, or 0 when the file is not there (yet). */
static int read_port(const char *path)
{
    char *text = read_file(path);
    long p = 0;
    if (text) p = strtol(text, NULL, 10);
    free(text);
    return p > 0 && p < 65536 ? (int)p : 0;
}

/* Starts `landport serve` on s->db with its output appended to
 * dir/server.log, and waits for the port file and /healthz. */
static void launch(lp_test_server *s, const char *const *extra)
{
    char *argv[MAX_ARGS + 2];
    char *port_file = join(s->dir, "/port"), *log_path = join(s->dir, "/server.log");
    int argc = 0, log_fd, status;
    long long deadline;

    unlink(port_file);
    log_fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    free(log_path);
    if (log_fd < 0) {
        free(port_file);
        lp_test_fail("cannot create the server log in %s: %s", s->dir, strerror(errno));
    }
    argv[argc++] = "landport";
    argv[argc++] = "serve";
    argv[argc++] = "--db";
    argv[argc++] = s->db;
    argv[argc++] = "--listen";
    argv[argc++] = "127.0.0.1:0";
    argv[argc++] = "--port-file";
    argv[argc++] = port_file;
    for (; extra && *extra && argc < MAX_ARGS; extra++) argv[argc++] = (char *)*extra;
    argv[argc] = NULL;
    s->pid = spawn(argv, log_fd, log_fd);
    close(log_fd);

    deadline = now_ms() + START_TIMEOUT_MS;
    s->port = 0;
    for (;;) {
        if (!s->port && (s->port = read_port(port_file)) > 0)
            snprintf(s->base, sizeof s->base, "http://127.0.0.1:%d", s->port);
        if (s->port && healthz_ok(s->port, 2000)) break;
        status = wait_for(s->pid, 0);
        if (status != -1) {
            s->pid = 0;
            free(port_file);
            start_failed(s, "exited with status %d before answering /healthz", exit_code(status));
        }
        if (now_ms() >= deadline) {
            int had_port = s->port;
            free(port_file);
            start_failed(s, had_port ? "/healthz did not answer 200 within %d s"
                                     : "no port file within %d s", START_TIMEOUT_MS / 1000);
        }
        sleep_ms(20);
    }
    free(port_file);
}

/* The extra arguments of a start, kept in dir/serve.args (each ending in a
 * NUL) so that a restart runs the same command line; the struct has no room
 * for them. */
static void save_extra(const lp_test_server *s, const char *const *extra)
{
    char *path = join(s->dir, "/serve.args");
    FILE *f = fopen(path, "wb");
    free(path);
    if (!f) lp_test_fail("cannot write %s/serve.args: %s", s->dir, strerror(errno));
    for (; extra && *extra; extra++) fwrite(*extra, 1, strlen(*extra) + 1, f);
    if (fclose(f) != 0) lp_test_fail("cannot write %s/serve.args", s->dir);
}

/* Reads them back: *text holds the strings, the result (NULL-terminated)
 * points into it.  Caller frees both with free(). */
static const char **load_extra(const lp_test_server *s, char **text)
{
    char *path = join(s->dir, "/serve.args");
    FILE *f = fopen(path, "rb");
    const char **argv;
    size_t len = 0, n = 0, i;
    long size;

    free(path);
    *text = NULL;
    if (!f || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        if (f) fclose(f);
        lp_test_fail("cannot read %s/serve.args", s->dir);
    }
    *text = malloc((size_t)size + 1);
    if (!*text) lp_test_fail("out of memory");
    len = fread(*text, 1, (size_t)size, f);
    fclose(f);
    for (i = 0; i < len; i++)
        if ((*text)[i] == '\0') n++;
    argv = calloc(n + 1, sizeof *argv);
    if (!argv) lp_test_fail("out of memory");
    for (i = 0, n = 0; i < len; i += strlen(*text + i) + 1) argv[n++] = *text + i;
    return argv;
}

void lp_test_server_start(lp_test_server *s, const char *tag, const char *db, const char *const *extra)
{
    char *out = NULL, *err = NULL;
    char prefix[64];
    int rc;

    memset(s, 0, sizeof *s);
    snprintf(prefix, sizeof prefix, "lp-%.40s", tag);
    s->dir = lp_test_mkdtemp(prefix);
    s->db = db ? xstrdup(db) : lp_test_db_url(s->dir, tag);
    save_extra(s, extra);
    launch(s, extra);
    rc = lp_test_run(&out, &err, "token", "create", "--role", "admin", "--name", "test-admin", "--db", s->db, NULL);
    if (rc != 0 || strncmp(out, "lp_", 3) != 0) {
        fprintf(stderr, "landport token create: exit %d\nstdout: %s\nstderr: %s\n", rc, out, err);
        free(out);
        free(err);
        start_failed(s, "cannot create the admin token");
    }
    out[strcspn(out, "\r\n")] = '\0';
    s->admin = out;
    free(err);
}

int lp_test_server_kill(lp_test_server *s, int sig)
{
    int status;
    if (s->pid <= 0) return 0;
    kill(s->pid, sig);
    status = wait_for(s->pid, STOP_TIMEOUT_MS);
    if (status == -1) {
        kill_and_reap(s->pid);
        s->pid = 0;
        dump_log(s);
        lp_test_fail("landport serve did not stop within %d s of signal %d; killed", STOP_TIMEOUT_MS / 1000, sig);
    }
    s->pid = 0;
    s->port = 0;
    s->base[0] = '\0';
    return status;
}

void lp_test_server_restart(lp_test_server *s)
{
    char *text;
    const char **extra;
    if (s->pid > 0) lp_test_server_kill(s, SIGTERM);
    extra = load_extra(s, &text);
    launch(s, extra);
    free(extra);
    free(text);
}

/* Besides stopping, checks that the server exits 0 on SIGTERM: under the
 * sanitizers a leak or undefined behaviour in the server shows up here, with
 * its log. */
void lp_test_server_stop(lp_test_server *s)
{
    int status = 0, was_running = s->pid > 0;
    char *log = NULL;

    if (was_running) status = lp_test_server_kill(s, SIGTERM);
    if (was_running && exit_code(status) != 0) {
        char *path = join(s->dir, "/server.log");
        log = read_file(path);
        free(path);
    }
    lp_test_rmtree(s->dir);
    free(s->dir);
    free(s->db);
    free(s->admin);
    memset(s, 0, sizeof *s);
    if (was_running && exit_code(status) != 0) {
        fprintf(stderr, "---- server log ----\n%s\n---- end of server log ----\n", log ? log : "(unreadable)");
        free(log);
        lp_test_fail("landport serve exited with status %d on SIGTERM", exit_code(status));
    }
}

char *lp_test_token(lp_test_server *s, const char *role, long company_id)
{
    char *out = NULL, *err = NULL, name[64], company[32];
    int rc;

    if (company_id > 0) snprintf(name, sizeof name, "test-%.30s-%ld", role, company_id);
    else snprintf(name, sizeof name, "test-%.30s", role);
    snprintf(company, sizeof company, "%ld", company_id);
    if (company_id > 0)
        rc = lp_test_run(&out, &err, "token", "create", "--role", role, "--name", name, "--company", company, "--db",
                         s->db, NULL);
    else
        rc = lp_test_run(&out, &err, "token", "create", "--role", role, "--name", name, "--db", s->db, NULL);
    if (rc != 0 || strncmp(out, "lp_", 3) != 0) {
        fprintf(stderr, "landport token create --role %s: exit %d\nstdout: %s\nstderr: %s\n", role, rc, out, err);
        free(out);
        free(err);
        lp_test_fail("cannot create a %s token", role);
    }
    free(err);
    out[strcspn(out, "\r\n")] = '\0';
    return out;
}
