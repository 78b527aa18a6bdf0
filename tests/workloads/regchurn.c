// SPDX-License-Identifier: GPL-2.0
/*
 * Uprobe registration churn beside lookups that find nothing, for the
 * uprobes_core:uprobe_find_retry test (tests/kernel/e2e.sh):
 *
 *	regchurn CALLS [nochurn|rounds]
 *
 * One thread calls target_func() and then executes four int3s of its own,
 * CALLS times.  Once the process has a uprobe (the tool's, on
 * target_func), every trap goes through the uprobe breakpoint handler,
 * whose lookup of the uprobes tree finds nothing there; such a miss is
 * walked again when uprobes_seqcount moved meanwhile.  Unless "nochurn",
 * a second thread writes it, on a file nobody maps (in /tmp): it keeps a
 * uprobe at offset 0 and tries to register it again with another
 * ref_ctr_offset.  Each attempt takes uprobes_treelock for writing and
 * bumps uprobes_seqcount (insert_uprobe()) before it fails with EINVAL.
 * With "rounds", a third thread also registers and unregisters uprobes
 * at 16 offsets, the plain churn; it is off by default because each close
 * holds event_mutex across an RCU tasks-trace grace period (hundreds of
 * ms in a TCG guest), which every other perf uprobe open waits for.
 * SIGTRAP is caught.  Prints the calls, the traps caught, the uprobes
 * registered and the attempts refused.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <sys/syscall.h>

#define PROBES	16

static volatile unsigned long sink;
static atomic_int done;
static volatile sig_atomic_t traps;
static unsigned long registered, refused;
static const char path[] = "/tmp/regchurn.text";

__attribute__((noinline, noipa)) void target_func(unsigned long i)
{
	sink += i;
}

static void on_trap(int sig)
{
	(void)sig;
	traps++;
}

static void pin(int cpu)
{
	cpu_set_t set;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static void *hitter(void *arg)
{
	unsigned long i, calls = *(unsigned long *)arg;

	pin(1);
	for (i = 0; i < calls; i++) {
		target_func(i);
		/* misses are what can be retried: four for each hit */
		__asm__ volatile("int3\n\tint3\n\tint3\n\tint3" ::: "memory");
	}
	atomic_store(&done, 1);
	return NULL;
}

static int uprobe_type(void)
{
	FILE *f = fopen("/sys/bus/event_source/devices/uprobe/type", "r");
	int type = -1;

	if (f) {
		if (fscanf(f, "%d", &type) != 1)
			type = -1;
		fclose(f);
	}
	return type;
}

static void attr_init(struct perf_event_attr *attr, int type)
{
	memset(attr, 0, sizeof(*attr));
	attr->size = sizeof(*attr);
	attr->type = type;
	attr->config1 = (unsigned long)path;
	attr->sample_period = 1;
	attr->disabled = 1;
}

static void *conflicter(void *arg)
{
	struct perf_event_attr attr;
	int type = *(int *)arg, keep, fd;

	pin(0);
	attr_init(&attr, type);
	keep = syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
	if (keep < 0)
		return NULL;
	/* ref_ctr_offset (config bits 32-63) 2, where the uprobe has 0 */
	attr.config = 2UL << 32;
	while (!atomic_load(&done)) {
		fd = syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
		if (fd >= 0)
			close(fd);
		else
			refused++;
	}
	close(keep);
	return NULL;
}

static void *churner(void *arg)
{
	struct perf_event_attr attr;
	int type = *(int *)arg, fd[PROBES], i;

	pin(0);
	attr_init(&attr, type);
	while (!atomic_load(&done)) {
		for (i = 0; i < PROBES; i++) {
			attr.config2 = i * 16;
			fd[i] = syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
			registered += fd[i] >= 0;
		}
		for (i = 0; i < PROBES; i++)
			if (fd[i] >= 0)
				close(fd[i]);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	unsigned long calls;
	char text[4096];
	pthread_t h, c, r;
	int churn, rounds, fd, type = -1, created = 0;

	if (argc < 2)
		return 2;
	calls = strtoul(argv[1], NULL, 0);
	churn = !(argc > 2 && !strcmp(argv[2], "nochurn"));
	rounds = argc > 2 && !strcmp(argv[2], "rounds");
	signal(SIGTRAP, on_trap);
	/*
	 * A file of nops for the churn's probes (uprobes need a regular
	 * file), unless there is one: tests/kernel/e2e.sh puts uprobes on
	 * it first, so that the tree the lookups walk is not a tiny one.
	 */
	memset(text, 0x90, sizeof(text));
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd >= 0) {
		created = 1;
		if (write(fd, text, sizeof(text)) != sizeof(text)) {
			perror(path);
			return 1;
		}
		close(fd);
	}
	if (churn) {
		type = uprobe_type();
		if (type < 0) {
			fprintf(stderr, "regchurn: no uprobe PMU\n");
			return 1;
		}
		if (rounds)
			pthread_create(&c, NULL, churner, &type);
		pthread_create(&r, NULL, conflicter, &type);
	}
	pthread_create(&h, NULL, hitter, &calls);
	pthread_join(h, NULL);
	if (churn) {
		if (rounds)
			pthread_join(c, NULL);
		pthread_join(r, NULL);
	}
	if (created)
		unlink(path);
	printf("calls=%lu traps=%lu registrations=%lu refused=%lu\n", calls,
	       (unsigned long)traps, registered, refused);
	return 0;
}
