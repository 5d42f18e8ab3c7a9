/* demo_proc.h - the child processes of `landport demo` (the server,
 * mosquitto, agv-sim): start one with its output in a log file, find a free
 * loopback port, wait for a port to listen, and stop them all (SIGTERM, then
 * SIGKILL after a grace period), reaping every one. */
#ifndef LP_DEMO_PROC_H
#define LP_DEMO_PROC_H

#include <sys/types.h>

/* Starts argv[0] (a path) with argv, stdin from /dev/null, stdout and
 * stderr appended to log (NULL: inherited).  Returns the pid or -1. */
pid_t lp_demo_proc_spawn(char *const argv[], const char *log);

/* Runs argv to completion and writes the first line of its stdout (without
 * the newline) to out (n bytes).  Returns 0 when it exited 0 with a line. */
int lp_demo_proc_capture(char *const argv[], char *out, size_t n);

/* A TCP port on 127.0.0.1 nobody listens on right now (bind to port 0 and
 * release it), or -1. */
int lp_demo_proc_free_port(void);

/* Waits up to ms milliseconds for 127.0.0.1:port to accept a connection
 * while pid is alive.  0 when it does, -1 otherwise. */
int lp_demo_proc_wait_port(int port, pid_t pid, int ms);

/* Sends SIGTERM to each live pid of pids (n, entries <= 0 skipped), waits up
 * to grace_ms for them, then SIGKILLs what is left and reaps all; sets each
 * entry to 0.  Returns how many had to be killed. */
int lp_demo_proc_stop(pid_t *pids, int n, int grace_ms);

/* The path of the running executable into out (n bytes); 0 or -1. */
int lp_demo_proc_self(char *out, size_t n);

#endif
