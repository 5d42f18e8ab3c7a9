/* demo_proc.c - child processes of `landport demo` (demo_proc.h). */
#include "demo_proc.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR) {}
}

/* In the child: its own process group (a Ctrl-C at the terminal reaches
 * the demo only, which then stops the children in order), terminated when
 * the demo dies, default signal dispositions and mask, stdin /dev/null. */
static void child_io(int out_fd)
{
    sigset_t none;
    int devnull = open("/dev/null", O_RDONLY);
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGPIPE, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    if (devnull >= 0) dup2(devnull, 0);
    if (out_fd >= 0) {
        dup2(out_fd, 1);
        dup2(out_fd, 2);
    }
}

pid_t lp_demo_proc_spawn(char *const argv[], const char *log)
{
    int fd = -1;
    pid_t pid;
    if (log && (fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644)) < 0) return -1;
    pid = fork();
    if (pid == 0) {
        child_io(fd);
        execv(argv[0], argv);
        _exit(127);
    }
    if (fd >= 0) close(fd);
    return pid;
}

int lp_demo_proc_capture(char *const argv[], char *out, size_t n)
{
    int p[2], status = 0;
    size_t len = 0;
    ssize_t k;
    pid_t pid;
    if (n == 0 || pipe(p)) return -1;
    pid = fork();
    if (pid == 0) {
        close(p[0]);
        child_io(-1);
        dup2(p[1], 1);
        execv(argv[0], argv);
        _exit(127);
    }
    close(p[1]);
    while (pid > 0 && len + 1 < n && (k = read(p[0], out + len, n - 1 - len)) != 0) {
        if (k < 0) {
            if (errno == EINTR) continue;
            break;
        }
        len += (size_t)k;
    }
    out[len] = '\0';
    close(p[0]);
    if (pid < 0) return -1;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    out[strcspn(out, "\r\n")] = '\0';
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 && out[0] ? 0 : -1;
}

int lp_demo_proc_free_port(void)
{
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    int port = -1, s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0) return -1;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(s, (struct sockaddr *)&a, sizeof a) == 0 && getsockname(s, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    close(s);
    return port;
}

static int connects(int port)
{
    struct sockaddr_in a;
    int ok, s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0) return 0;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ok = connect(s, (struct sockaddr *)&a, sizeof a) == 0;
    close(s);
    return ok;
}

int lp_demo_proc_wait_port(int port, pid_t pid, int ms)
{
    int waited;
    for (waited = 0; waited <= ms; waited += 50) {
        if (connects(port)) return 0;
        if (waitpid(pid, NULL, WNOHANG) != 0) return -1; /* it exited (or is not ours) */
        sleep_ms(50);
    }
    return -1;
}

int lp_demo_proc_stop(pid_t *pids, int n, int grace_ms)
{
    int i, live, waited, killed = 0;
    for (i = 0; i < n; i++)
        if (pids[i] > 0) kill(pids[i], SIGTERM);
    for (waited = 0;; waited += 20) {
        live = 0;
        for (i = 0; i < n; i++) {
            if (pids[i] <= 0) continue;
            if (waitpid(pids[i], NULL, WNOHANG) != 0) pids[i] = 0;
            else live++;
        }
        if (!live || waited >= grace_ms) break;
        sleep_ms(20);
    }
    for (i = 0; i < n; i++) {
        if (pids[i] <= 0) continue;
        kill(pids[i], SIGKILL);
        while (waitpid(pids[i], NULL, 0) < 0 && errno == EINTR) {}
        pids[i] = 0;
        killed++;
    }
    return killed;
}

int lp_demo_proc_self(char *out, size_t n)
{
    ssize_t k = readlink("/proc/self/exe", out, n - 1);
    if (k <= 0) return -1;
    out[k] = '\0';
    return 0;
}
