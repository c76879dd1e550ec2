/* brando-fcgi: the master binds (or inherits) the FastCGI socket, forks request workers and one
 * jobs worker, respawns the dead, drains on SIGTERM and rolls workers over on SIGHUP. */
#include <errno.h>
#include <fcgiapp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "httpc.h"
#include "log.h"
#include "metrics.h"
#include "worker.h"

#define MAX_SLOTS 257
#define DRAIN_SECONDS 10

struct slot {
	pid_t pid;
	bool jobs;
	double started;    /* monotonic seconds */
	double backoff;    /* seconds to wait before the next respawn */
	double respawn_at; /* monotonic seconds */
};

static struct slot slots[MAX_SLOTS];
static int nslots;
static int listen_fd = -1;
static struct config cfg;
static int roll = -1;        /* SIGHUP: next slot to replace, -1 when not rolling */
static pid_t retiring;       /* the old worker we wait for before replacing the next */

#define BACKOFF_FIRST 0.5
#define BACKOFF_MAX 30.0
#define QUICK_DEATH 2.0 /* a worker that dies this soon after its start may die again at once */

/* Monotonic seconds: respawn delays are fractions of a second, and a clock step must not
 * stall or hurry them. */
static double now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The wait before replacing a worker that ended with wstatus after living `lived` seconds.
 * One that crashed on its own soon after starting (bad config, a crash at start) would crash
 * again in a tight loop: wait 0.5 s, doubling to 30 s. One killed with SIGKILL was killed from
 * outside (an operator, the OOM killer) and one that ran a while is healthy: replace it now. */
static double next_backoff(double prev, double lived, int wstatus)
{
	bool killed = WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGKILL;

	if (killed || lived >= QUICK_DEATH)
		return 0;
	return prev > 0 ? (prev * 2 > BACKOFF_MAX ? BACKOFF_MAX : prev * 2) : BACKOFF_FIRST;
}

static pid_t spawn(struct slot *s)
{
	pid_t pid = fork();

	if (pid < 0) {
		log_fmt("error", "fork failed: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGHUP, SIG_IGN);
		/* ps, top and the fault tests tell the two kinds apart by name (best effort) */
		(void)prctl(PR_SET_NAME, s->jobs ? "brando-jobs" : "brando-worker", 0, 0, 0);
		_exit(s->jobs ? jobs_run(&cfg) : worker_run(listen_fd, &cfg));
	}
	s->pid = pid;
	s->started = now_mono();
	return pid;
}

static int open_listener(void)
{
	struct stat st;

	if (!cfg.listen) {
		if (fstat(0, &st) == 0 && S_ISSOCK(st.st_mode))
			return 0; /* spawn-fcgi / systemd socket activation */
		fprintf(stderr, "brando-fcgi: set BRANDO_LISTEN (unix socket path or host:port), or start "
				"it with the socket on fd 0\n");
		return -1;
	}
	if (!strchr(cfg.listen, ':') && stat(cfg.listen, &st) == 0 && S_ISSOCK(st.st_mode))
		unlink(cfg.listen); /* stale socket of a previous run */
	int fd = FCGX_OpenSocket(cfg.listen, 1024);
	if (fd < 0) {
		fprintf(stderr, "brando-fcgi: cannot listen on %s: %s\n", cfg.listen, strerror(errno));
		return -1;
	}
	const char *m = getenv("BRANDO_SOCKET_MODE");
	char *end;
	long mode = m && *m ? strtol(m, &end, 8) : 0660;
	if (m && *m && (*end || mode < 0 || mode > 0777)) {
		fprintf(stderr, "brando-fcgi: BRANDO_SOCKET_MODE must be octal, like 0660\n");
		return -1;
	}
	if (!strchr(cfg.listen, ':') && chmod(cfg.listen, (mode_t)mode) != 0)
		fprintf(stderr, "brando-fcgi: chmod %s: %s\n", cfg.listen, strerror(errno));
	return fd;
}

static void roll_step(void)
{
	while (!retiring && roll >= 0 && roll < nslots) {
		struct slot *s = &slots[roll++];
		pid_t old = s->pid;

		s->backoff = 0;
		if (spawn(s) < 0)
			s->pid = 0, s->respawn_at = now_mono() + 1;
		if (old > 0 && kill(old, SIGTERM) == 0)
			retiring = old;
	}
	if (roll >= nslots && !retiring) {
		roll = -1;
		log_line("info", "rolling restart done", NULL);
	}
}

static void reap(void)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (pid == retiring) {
			retiring = 0;
			roll_step();
			continue;
		}
		for (int i = 0; i < nslots; i++) {
			struct slot *s = &slots[i];
			if (s->pid != pid)
				continue;
			double now = now_mono();
			s->backoff = next_backoff(s->backoff, now - s->started, status);
			s->pid = 0;
			s->respawn_at = now + s->backoff;
			log_fmt("warn", "worker %d exited (status %d); respawning in %.1f s", (int)pid, status, s->backoff);
		}
	}
}

/* Replace the workers whose wait is over; returns the seconds until the next one is due
 * (at most 1), so the master wakes for it instead of at its next 1-s tick. */
static double respawn_due(void)
{
	double now = now_mono(), next = 1.0;

	for (int i = 0; i < nslots; i++) {
		struct slot *s = &slots[i];
		if (s->pid == 0 && s->respawn_at <= now && spawn(s) < 0)
			s->respawn_at = now + 1;
		if (s->pid == 0 && s->respawn_at - now < next)
			next = s->respawn_at - now;
	}
	return next > 0.001 ? next : 0.001;
}

static struct timespec seconds(double s)
{
	struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};

	return ts;
}

static int shutdown_all(const sigset_t *set)
{
	struct timespec tick = {0, 100 * 1000 * 1000};
	time_t deadline = time(NULL) + DRAIN_SECONDS;
	int alive;

	log_line("info", "draining workers", NULL);
	for (int i = 0; i < nslots; i++)
		if (slots[i].pid > 0)
			kill(slots[i].pid, SIGTERM);
	if (retiring > 0)
		kill(retiring, SIGTERM);
	do {
		int status;
		pid_t pid;
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
			for (int i = 0; i < nslots; i++)
				if (slots[i].pid == pid)
					slots[i].pid = 0;
		alive = 0;
		for (int i = 0; i < nslots; i++)
			alive += slots[i].pid > 0;
		if (alive)
			sigtimedwait(set, NULL, &tick);
	} while (alive && time(NULL) < deadline);
	for (int i = 0; i < nslots; i++)
		if (slots[i].pid > 0)
			kill(slots[i].pid, SIGKILL);
	while (waitpid(-1, NULL, 0) > 0)
		;
	if (cfg.listen && !strchr(cfg.listen, ':'))
		unlink(cfg.listen);
	log_line("info", "stopped", NULL);
	return 0;
}

int main(void)
{
	sigset_t set;
	siginfo_t info;
	struct timespec tick = {1, 0};

	setvbuf(stderr, NULL, _IOLBF, 0);
	if (!config_load(&cfg) || (listen_fd = open_listener()) < 0)
		return 2;
	if (!httpc_global_init()) {
		fprintf(stderr, "brando-fcgi: libcurl failed to initialise\n");
		return 1;
	}
	if (!metrics_init())
		log_line("warn", "metrics disabled: no shared memory", NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	nslots = cfg.workers + 1;
	slots[cfg.workers].jobs = true;
	for (int i = 0; i < nslots; i++)
		if (spawn(&slots[i]) < 0)
			return 1;
	log_fmt("info", "brando-fcgi %s: %d request workers and 1 jobs worker", cfg.version, cfg.workers);
	for (;;) {
		int sig = sigtimedwait(&set, &info, &tick);

		if (sig == SIGTERM || sig == SIGINT)
			return shutdown_all(&set);
		if (sig == SIGHUP) {
			if (!config_reload(&cfg))
				log_line("error", "config reload failed; keeping the old one", NULL);
			log_line("info", "rolling restart", NULL);
			roll = 0;
			roll_step();
		}
		reap();
		tick = seconds(respawn_due());
	}
}
