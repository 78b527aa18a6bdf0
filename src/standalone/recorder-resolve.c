// SPDX-License-Identifier: GPL-2.0
/*
 * What a recording is of, settled before anything is attached: the
 * target (-- CMD, -p, -t, -a), its pids checked, and every probe spec
 * resolved to its sites in the files the target runs.  Bad input ends
 * here, with one line, and nothing in the kernel.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/uprobe-stat/util/array.h"
#include "util/uprobe-stat/core/probe-dedupe.h"
#include "util/uprobe-stat/resolve/probe-expand.h"
#include "recorder.h"
#include "util/uprobe-stat/resolve/target-check.h"
#include "util/uprobe-stat/resolve/target-file.h"

static int parse_pids(struct record *rec, char *err, size_t errlen)
{
	char *copy = strdup(rec->pids), *tok, *rest;
	int ret = 0;

	if (!copy)
		return -ENOMEM;
	/* An empty pid first: "-p 2," is a typo, whatever 2 is. */
	if (!*copy || *copy == ',' || strstr(copy, ",,") || copy[strlen(copy) - 1] == ',') {
		snprintf(err, errlen, "-p '%s': an empty pid", rec->pids);
		free(copy);
		return -EINVAL;
	}
	for (rest = copy; !ret && (tok = strsep(&rest, ",")) != NULL;) {
		char *end, path[64];
		long pid = strtol(tok, &end, 10);
		struct stat st;

		if (*end || pid <= 0 || pid > INT_MAX) {
			snprintf(err, errlen, "invalid pid '%s'", tok);
			ret = -EINVAL;
			break;
		}
		snprintf(path, sizeof(path), "/proc/%ld", pid);
		if (stat(path, &st)) {
			snprintf(err, errlen, "no process with pid %ld", pid);
			ret = -ESRCH;
			break;
		}
		ret = ustat_pid__check_target(pid, err, errlen);
		if (ret)
			break;
		if (ustat_array_grow(rec->target_pids, rec->cap_target_pids,
				     rec->nr_target_pids + 1)) {
			ret = -ENOMEM;
			break;
		}
		rec->target_pids[rec->nr_target_pids++] = pid;
	}
	free(copy);
	if (!ret && !rec->nr_target_pids) {
		snprintf(err, errlen, "-p needs a pid");
		ret = -EINVAL;
	}
	return ret;
}

static int check_target(struct record *rec, const char **argv, int cmd_at,
			char *err, size_t errlen)
{
	bool others = rec->system_wide || rec->pids || rec->tids;
	/* -a/-p/-t -- CMD: those, for as long as CMD runs (perf's "-a -- sleep 5"). */
	int kinds = rec->system_wide + !!rec->pids + !!rec->tids + (cmd_at >= 0 && !others);

	if (kinds > 1) {
		snprintf(err, errlen, "give only one target: -- CMD, -p PID, -t TID or -a");
		return -EINVAL;
	}
	if (!kinds) {
		snprintf(err, errlen, "no target: give -- CMD, -p PID or -a");
		return -EINVAL;
	}
	if (record__check_mmap_pages(rec, err, errlen))
		return -EINVAL;
	if (rec->attach_str && record_attach__parse(rec->attach_str, &rec->attach)) {
		snprintf(err, errlen,
			 "unknown --attach '%s' (known: auto, task, tracefs, cgroup, filter)",
			 rec->attach_str);
		return -EINVAL;
	}
	if (cmd_at >= 0) {
		char path[PATH_MAX];
		struct stat st;

		rec->target = rec->system_wide ? TARGET_SYSTEM : TARGET_CMD;
		rec->cmd_argv = argv + cmd_at;
		if (!rec->cmd_argv[0]) {
			snprintf(err, errlen, "no command after --");
			return -EINVAL;
		}
		/* A typo in CMD fails now, before any probe is set. */
		if (strchr(rec->cmd_argv[0], '/') ? stat(rec->cmd_argv[0], &st) != 0 :
		    ustat_binary__resolve(rec->cmd_argv[0], path, sizeof(path), err, errlen) != 0) {
			snprintf(err, errlen, "cannot run '%s': no such file", rec->cmd_argv[0]);
			return -ENOENT;
		}
		if (strchr(rec->cmd_argv[0], '/') && S_ISDIR(st.st_mode)) {
			snprintf(err, errlen, "cannot run '%s': it is a directory",
				 rec->cmd_argv[0]);
			return -EISDIR;
		}
		if (!rec->pids && !rec->tids)
			return 0;
	}
	if (rec->pids || rec->tids) {
		rec->target = TARGET_PID;
		if (rec->pids)
			return parse_pids(rec, err, errlen);
		return record__parse_tids(rec, err, errlen);
	}
	rec->target = TARGET_SYSTEM;
	return 0;
}

/* The binary a spec without BINARY: probes: -x, the command, or the process. */
static const char *default_binary(struct record *rec, char *buf, size_t len)
{
	if (rec->exec)
		return rec->exec;
	if (rec->target == TARGET_CMD)
		return rec->cmd_argv[0];
	if (rec->target == TARGET_PID && !ustat_target_file__exe(rec->target_pids[0], buf, len))
		return buf;
	return NULL;
}

static int resolve_probes(struct record *rec, int argc, const char **argv,
			  char *err, size_t errlen)
{
	char buf[PATH_MAX];
	const char *def = default_binary(rec, buf, sizeof(buf));
	struct ustat_probe *sites, *all;
	int i, nr, ret;

	if (!argc) {
		snprintf(err, errlen, "no probe given: name at least one function (see --help)");
		return -EINVAL;
	}
	if (ustat_specs__dedupe(&argc, argv))
		return -ENOMEM;
	/*
	 * One spec may resolve to several sites: one uprobe, one evsel each.
	 * A stop signal ends the resolving: the file of a recording stopped
	 * during setup has the probes resolved so far (at least one), no hits.
	 */
	for (i = 0; i < argc && !(i && recorder__stopped()); i++) {
		/* -p: the files of the (first) process, as it sees them. */
		ret = ustat_probe__resolve_expanded(argv[i], def, rec->target == TARGET_PID ?
						    rec->target_pids[0] : 0, &sites, &nr,
						    err, errlen);
		if (ret)
			return ret;
		all = realloc(rec->probes, (rec->nr_probes + nr) * sizeof(*all));
		if (!all) {
			while (nr--)
				ustat_probe__exit(&sites[nr]);
			free(sites);
			return -ENOMEM;
		}
		memcpy(all + rec->nr_probes, sites, nr * sizeof(*all));
		free(sites);
		rec->probes = all;
		rec->nr_probes += nr;
	}
	if (ustat_probes__dedupe_sites(rec->probes, &rec->nr_probes))
		return -ENOMEM;
	ustat_probes__uniq_names(rec->probes, rec->nr_probes);
	return 0;
}

/* A USDT semaphore the kernel cannot raise leaves guarded probes silent. */
static int check_ref_ctr(struct record *rec, char *err, size_t errlen)
{
	int i;

	for (i = 0; i < rec->nr_probes; i++) {
		if (rec->probes[i].ref_ctr_offset && rec->pmu.ref_ctr_shift < 0) {
			snprintf(err, errlen,
				 "probe '%s' has a USDT semaphore, and this kernel's uprobe PMU has no ref_ctr_offset (Linux 4.20+) to raise it",
				 rec->probes[i].display);
			return -EOPNOTSUPP;
		}
	}
	return 0;
}

static void describe_target(struct record *rec)
{
	size_t n = 0, len = sizeof(rec->target_desc);
	int i;

	switch (rec->target) {
	case TARGET_CMD:
		n = snprintf(rec->target_desc, len, "command:");
		for (i = 0; rec->cmd_argv[i] && n < len; i++)
			n += snprintf(rec->target_desc + n, len - n, " %s", rec->cmd_argv[i]);
		break;
	case TARGET_PID:
		n = snprintf(rec->target_desc, len, "%s %s", rec->pids ? "pid" : "tid",
			     rec->pids ? rec->pids : rec->tids);
		for (i = 0; rec->cmd_argv && rec->cmd_argv[i] && n < len; i++)
			n += snprintf(rec->target_desc + n, len - n, "%s%s", i ? " " : ", while: ",
				      rec->cmd_argv[i]);
		break;
	case TARGET_SYSTEM:
	default:
		n = snprintf(rec->target_desc, len, "system-wide");
		for (i = 0; rec->cmd_argv && rec->cmd_argv[i] && n < len; i++)
			n += snprintf(rec->target_desc + n, len - n, "%s%s", i ? " " : ", while: ",
				      rec->cmd_argv[i]);
	}
}

int recorder__resolve(struct record *rec, int argc, const char **argv, int cmd_at,
		      char *err, size_t errlen)
{
	if (check_target(rec, argv, cmd_at, err, errlen))
		return -EINVAL;
	describe_target(rec);
	if (resolve_probes(rec, argc, argv, err, errlen) ||
	    ustat_uprobe_pmu__read(&rec->pmu, NULL, err, errlen) ||
	    check_ref_ctr(rec, err, errlen))
		return -EINVAL;
	return 0;
}
