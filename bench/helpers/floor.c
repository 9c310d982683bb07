/* Loads bench/helpers/floor.bpf.c at one level, attaches it with the kernel's
 * run-time statistics on, and when stopped (SIGINT or SIGTERM) prints what
 * each program cost: "PROGRAM RUN_CNT RUN_TIME_NS", one line per program, on
 * stdout. Says "attached" on stderr once it is attached.
 * Usage: floor LEVEL TGID   (LEVEL 0 empty, 1 clock, 2 entry; TGID the
 * traced process). Used only by bench/probe-floor. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "floor.skel.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int silent(enum libbpf_print_level level, const char *fmt, va_list args)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, args) : 0;
}

/* Loads, attaches, waits for the signal, prints. 0 or 1 (exit status). */
static int run(long level, long tgid)
{
	int stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
	if (stats_fd < 0) {
		fprintf(stderr, "floor: cannot turn the kernel's BPF statistics on: %s\n", strerror(-stats_fd));
		return 1;
	}
	struct floor_bpf *skel = floor_bpf__open();
	if (!skel) {
		fprintf(stderr, "floor: cannot open the BPF object\n");
		close(stats_fd);
		return 1;
	}
	skel->rodata->level = (__u32)level;
	skel->rodata->traced_tgid = (__u32)tgid;
	int err = floor_bpf__load(skel);
	if (!err)
		err = floor_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "floor: cannot load or attach: %s\n", strerror(-err));
		floor_bpf__destroy(skel);
		close(stats_fd);
		return 1;
	}
	/* The signals stay blocked but while sigsuspend waits: one that comes
	 * before it is not lost. */
	sigset_t stops, others;
	sigemptyset(&stops);
	sigaddset(&stops, SIGINT);
	sigaddset(&stops, SIGTERM);
	sigprocmask(SIG_BLOCK, &stops, &others);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	fprintf(stderr, "attached\n");
	while (!stop)
		sigsuspend(&others);
	struct bpf_program *prog;
	bpf_object__for_each_program(prog, skel->obj)
	{
		struct bpf_prog_info info;
		__u32 len = sizeof(info);
		memset(&info, 0, sizeof(info));
		if (bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len) == 0)
			printf("%s %llu %llu\n", bpf_program__name(prog), (unsigned long long)info.run_cnt,
			       (unsigned long long)info.run_time_ns);
	}
	floor_bpf__destroy(skel);
	close(stats_fd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: floor LEVEL TGID\n");
		return 2;
	}
	char *end;
	long level = strtol(argv[1], &end, 10);
	if (*end || level < 0 || level > 2) {
		fprintf(stderr, "floor: LEVEL must be 0, 1 or 2, not '%s'\n", argv[1]);
		return 2;
	}
	long tgid = strtol(argv[2], &end, 10);
	if (*end || tgid <= 0) {
		fprintf(stderr, "floor: TGID must be a process id, not '%s'\n", argv[2]);
		return 2;
	}
	libbpf_set_print(silent);
	/* The syscall tracepoints are found through tracefs, which a fresh
	 * machine has not mounted; unmounted again at exit if mounted here. */
	int mounted = 0;
	if (access("/sys/kernel/tracing/events", F_OK) != 0) {
		if (mount("nodev", "/sys/kernel/tracing", "tracefs", 0, NULL) != 0) {
			fprintf(stderr, "floor: cannot mount tracefs: %s\n", strerror(errno));
			return 1;
		}
		mounted = 1;
	}
	int rc = run(level, tgid);
	if (mounted)
		umount("/sys/kernel/tracing");
	return rc;
}
