// SPDX-License-Identifier: GPL-2.0
/*
 * -m: the ring buffer size per CPU, checked before anything is set up, and
 * the buffers checked once mapped.  A size the kernel refuses or clips
 * would otherwise record nothing and report "0 lost".
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include <linux/kernel.h>
#include <perf/cpumap.h>

#include "util/uprobe-stat/util/file-util.h"
#include "libperf-gaps.h"
#include "record.h"
#include "uprobe-pmu.h"

/*
 * The largest buffer that works: libperf computes the mapping length,
 * (pages + 1) * page size, in an int, and the kernel keeps the buffer's
 * page pointers in one allocation of at most 4 MiB (MAX_PAGE_ORDER):
 * 2^18 pages, 1 GiB with 4 KiB pages.
 */
static unsigned long max_pages(long page)
{
	unsigned long pages = 1UL << 18;

	while (pages > 1 && (pages + 1) * (unsigned long)page > INT_MAX)
		pages /= 2;
	return pages;
}

/* perf record -m: a number of pages, or a size with B, K, M or G (rounded up to pages). */
static int parse_size(const char *s, long page, unsigned long long *pages)
{
	unsigned long long v, mult = 0;
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -EINVAL;
	switch (*end) {
	case 'B': case 'b':
		mult = 1;
		break;
	case 'K': case 'k':
		mult = 1ULL << 10;
		break;
	case 'M': case 'm':
		mult = 1ULL << 20;
		break;
	case 'G': case 'g':
		mult = 1ULL << 30;
		break;
	case '\0':
		*pages = v;
		return 0;
	default:
		return -EINVAL;
	}
	if (end[1] || v > ULLONG_MAX / mult)
		return -EINVAL;
	*pages = (v * mult + page - 1) / page;
	return 0;
}

/* CAP_IPC_LOCK lets the kernel lock past both limits. */
static bool can_lock_any(void)
{
	char *s = ustat_read_file("/proc/self/status", NULL), *p;
	unsigned long long caps = 0;

	p = s ? strstr(s, "\nCapEff:") : NULL;
	if (p)
		caps = strtoull(p + 8, NULL, 16);
	free(s);
	return caps & (1ULL << 14);	/* CAP_IPC_LOCK */
}

static int sysctl_int(const char *path, long *v)
{
	char *s = ustat_read_file(path, NULL);
	char *end;

	if (!s)
		return -errno;
	*v = strtol(s, &end, 10);
	free(s);
	return end == s ? -EINVAL : 0;
}

/*
 * The kernel's rule (perf_mmap()): the user may lock perf_event_mlock_kb
 * per online CPU, and past that what RLIMIT_MEMLOCK allows; unless
 * perf_event_paranoid is -1 or the user has CAP_IPC_LOCK.  Each buffer
 * costs its pages and one more (the header page).
 */
static int check_lock_limit(const char *arg, unsigned long pages, long page,
			    char *err, size_t errlen)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN), mlock_kb = 0;
	unsigned long long need, allowed, rlim = 0;
	struct rlimit rl;

	if (ustat_perf_event_paranoid() == -1 || can_lock_any() ||
	    sysctl_int("/proc/sys/kernel/perf_event_mlock_kb", &mlock_kb))
		return 0;
	if (cpus < 1)
		cpus = 1;
	if (!getrlimit(RLIMIT_MEMLOCK, &rl))
		rlim = rl.rlim_cur == RLIM_INFINITY ? ULLONG_MAX / 4 : rl.rlim_cur;
	need = (unsigned long long)cpus * (pages + 1) * page;
	allowed = (unsigned long long)cpus * mlock_kb * 1024 + rlim;
	if (need <= allowed)
		return 0;
	snprintf(err, errlen,
		 "-m %s: %lu pages per CPU on %ld CPUs lock %llu KiB, more than perf_event_mlock_kb (%ld KiB per CPU) and RLIMIT_MEMLOCK (%llu KiB) allow: use a smaller -m, or raise /proc/sys/kernel/perf_event_mlock_kb or ulimit -l",
		 arg, pages, cpus, need >> 10, mlock_kb, rlim >> 10);
	return -EPERM;
}

int record__check_mmap_pages(struct record *rec, char *err, size_t errlen)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned long long pages = rec->mmap_pages;
	char arg[32];
	const char *s = rec->mmap_str;

	if (page < 1)
		page = 4096;
	if (!s) {
		snprintf(arg, sizeof(arg), "%u", rec->mmap_pages);
		s = arg;
	} else if (parse_size(s, page, &pages)) {
		snprintf(err, errlen,
			 "-m '%s': give a number of pages or a size with B, K, M or G", s);
		return -EINVAL;
	}
	if (pages < 1 || (pages & (pages - 1))) {
		snprintf(err, errlen, "-m %s: the ring buffer size must be a power of two pages",
			 s);
		return -EINVAL;
	}
	if (pages > max_pages(page)) {
		snprintf(err, errlen,
			 "-m %s: %llu MiB per CPU is more than a perf ring buffer can be (at most %lu pages, %lu MiB)",
			 s, pages * page >> 20, max_pages(page), max_pages(page) * page >> 20);
		return -EINVAL;
	}
	/*
	 * The default is sized for root: a user who may lock less gets the
	 * largest buffer the limit allows, as perf record's default does
	 * (perf_event_mlock_kb); only a size the user asked for is refused.
	 */
	while (!rec->mmap_str && pages > 1 && check_lock_limit(s, pages, page, err, errlen)) {
		pages /= 2;
		snprintf(arg, sizeof(arg), "%llu", pages);
	}
	rec->mmap_pages = pages;
	return check_lock_limit(s, pages, page, err, errlen);
}

int record__check_maps(struct record *rec, char *err, size_t errlen)
{
	unsigned long found;

	if (!ustat_ring_buffers__check(perf_cpu_map__nr(rec->cpus), rec->mmap_pages, &found))
		return 0;
	snprintf(err, errlen,
		 "a ring buffer is %lu bytes, not the %lu of -m %u: its events could not be recorded",
		 found, (unsigned long)rec->mmap_pages * sysconf(_SC_PAGESIZE), rec->mmap_pages);
	return -EIO;
}
