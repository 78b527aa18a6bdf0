// SPDX-License-Identifier: GPL-2.0
/*
 * The fentry/fexit programs of uprobe-kfunc.bpf.c, loaded for the
 * questions the uprobes_core tracepoints do not answer in this recording:
 * only the programs whose kernel functions this kernel's BTF has, and,
 * where the kernel refuses them, exactly why, for the report to say.
 * Counting is limited to the target's processes (and their children)
 * unless the recording is system-wide.
 */
#ifdef HAVE_UPROBE_STAT_BPF
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/kernel.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "bpf-int.h"
#include "bpf-kfunc.h"
#include "kfunc-bpf.h"
#include "uprobe-kfunc.skel.h"
#include "util/uprobe-stat/util/debug.h"
#include "util/uprobe-stat/standalone/record.h"

struct ustat_kfunc {
	struct uprobe_kfunc_bpf	*skel;
	struct bpf_link		*links[8];
	int			 nr_links;
	struct ustat_kfunc_cpu	*kcpu;		/* mmap'ed read-only */
	size_t			 kcpu_len;
	u32			 nr_cpus;
};

static bool btf_has(const struct btf *btf, const char *name, int kind)
{
	return btf && btf__find_by_name_kind(btf, name, kind) > 0;
}

/* What this kernel's lockdown says, as "lockdown: integrity", or "". */
static void lockdown_mode(char *buf, size_t len)
{
	char s[128], *a, *b;
	ssize_t n = -1;
	int fd = open("/sys/kernel/security/lockdown", O_RDONLY);

	buf[0] = '\0';
	if (fd >= 0) {
		n = read(fd, s, sizeof(s) - 1);
		close(fd);
	}
	if (n <= 0)
		return;
	s[n] = '\0';
	a = strchr(s, '[');
	b = a ? strchr(a, ']') : NULL;
	if (!b)
		return;
	*b = '\0';
	snprintf(buf, len, "; lockdown: %s%s", a + 1,
		 !strcmp(a + 1, "none") ? "" :
		 !strcmp(a + 1, "integrity") ? " (allows tracing: not the cause)" :
		 " (forbids reading kernel memory from BPF)");
}

/*
 * fentry needs ftrace to patch the function's entry: a kernel that keeps
 * ftrace's function files from root too refuses function hooks of any
 * kind, whatever its config says.
 */
static void ftrace_files(const char *tracefs, char *buf, size_t len)
{
	char path[512];
	int fd;

	buf[0] = '\0';
	if (!tracefs)
		return;
	snprintf(path, sizeof(path), "%s/available_filter_functions", tracefs);
	fd = open(path, O_RDONLY);
	if (fd >= 0) {
		close(fd);
		return;
	}
	if (errno == EPERM || errno == EACCES)
		snprintf(buf, len,
			 "; tracefs refuses available_filter_functions too (%s): this kernel allows no ftrace function hooks",
			 errno == EPERM ? "EPERM" : "EACCES");
	else if (errno == ENOENT)
		snprintf(buf, len, "; tracefs has no available_filter_functions: no CONFIG_DYNAMIC_FTRACE");
}

static void say_refused(struct record *rec, int err, const char *what)
{
	char ld[96], ft[160];

	lockdown_mode(ld, sizeof(ld));
	ftrace_files(rec->signals.tracefs, ft, sizeof(ft));
	snprintf(rec->kfunc.state, sizeof(rec->kfunc.state),
		 "the kernel refused fentry (%s%s%s%s)",
		 err == EPERM ? "EPERM" : strerror(err), what, ld, ft);
}

static bool recorded(const struct record *rec, enum ustat_kevent sig)
{
	const char *st = rec->kevent_state[sig];

	return st && !strcmp(st, "recorded");
}

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (ustat_verbose < (level == LIBBPF_DEBUG ? 2 : 1))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

/* Which programs this kernel can take; the others are not loaded. */
static void choose(struct record *rec, const struct btf *btf, struct uprobe_kfunc_bpf *s,
		   bool want_lookup, bool want_xol)
{
	struct record_kfunc *k = &rec->kfunc;
	bool lookup = false, get = false, copy = false, put = false;

	if (want_lookup) {
		if (!btf_has(btf, "find_active_uprobe_rcu", BTF_KIND_FUNC))
			snprintf(k->lookup_why, sizeof(k->lookup_why),
				 "find_active_uprobe_rcu is not a function of this kernel (inlined, or older than 6.12)");
		else if (!btf_has(btf, "btf_trace_mmap_lock_start_locking", BTF_KIND_TYPEDEF))
			snprintf(k->lookup_why, sizeof(k->lookup_why),
				 "no mmap_lock_start_locking tracepoint to tell the fallback by");
		else
			lookup = true;
	}
	if (want_xol) {
		get = btf_has(btf, "xol_get_insn_slot", BTF_KIND_FUNC);
		copy = !get && btf_has(btf, "arch_uprobe_copy_ixol", BTF_KIND_FUNC);
		put = btf_has(btf, "xol_free_insn_slot", BTF_KIND_FUNC);
		if (!get && !copy && !put)
			snprintf(k->xol_why, sizeof(k->xol_why),
				 "xol_get_insn_slot, arch_uprobe_copy_ixol and xol_free_insn_slot are not functions of this kernel");
	}
	bpf_program__set_autoload(s->progs.ustat_lookup_enter, lookup);
	bpf_program__set_autoload(s->progs.ustat_lookup_exit, lookup);
	bpf_program__set_autoload(s->progs.ustat_lookup_locks, lookup);
	bpf_program__set_autoload(s->progs.ustat_xol_get, get);
	bpf_program__set_autoload(s->progs.ustat_xol_copy, copy);
	bpf_program__set_autoload(s->progs.ustat_xol_free, put);
	bpf_program__set_autoload(s->progs.ustat_fork,
				  s->rodata->filter &&
				  btf_has(btf, "btf_trace_sched_process_fork", BTF_KIND_TYPEDEF));
	if (lookup)
		snprintf(k->lookup, sizeof(k->lookup),
			 "fentry/fexit find_active_uprobe_rcu, fallbacks by tp_btf mmap_lock_start_locking (%s)",
			 s->rodata->filter ? "the target's processes" : "system-wide");
	if (get || copy || put)
		snprintf(k->xol, sizeof(k->xol), "%s%s%s%s (%s)",
			 get ? "fexit xol_get_insn_slot" : copy ? "fentry arch_uprobe_copy_ixol" : "",
			 (get || copy) && put ? ", " : "", put ? "fentry xol_free_insn_slot" : "",
			 put ? "" : ", no frees",
			 s->rodata->filter ? "the target's processes" : "system-wide");
}

/* The processes counted: -p's and the command's; their children join at fork. */
static int fill_filter(struct record *rec, struct uprobe_kfunc_bpf *s)
{
	int fd = bpf_map__fd(s->maps.tgids), i;
	__u8 one = 1;
	__u32 pid;

	for (i = 0; i < rec->nr_target_pids; i++) {
		pid = rec->target_pids[i];
		if (bpf_map_update_elem(fd, &pid, &one, BPF_ANY))
			return -errno;
	}
	if (rec->has_workload) {
		pid = rec->workload.pid;
		if (bpf_map_update_elem(fd, &pid, &one, BPF_ANY))
			return -errno;
	}
	return 0;
}

static void kfunc_free(struct ustat_kfunc *kf)
{
	int i;

	if (!kf)
		return;
	for (i = 0; i < kf->nr_links; i++)
		bpf_link__destroy(kf->links[i]);
	if (kf->kcpu)
		munmap(kf->kcpu, kf->kcpu_len);
	uprobe_kfunc_bpf__destroy(kf->skel);
	free(kf);
}

static int attach_all(struct ustat_kfunc *kf, char *what, size_t len)
{
	struct bpf_program *p;

	bpf_object__for_each_program(p, kf->skel->obj) {
		struct bpf_link *l;

		if (!bpf_program__autoload(p))
			continue;
		if (kf->nr_links == (int)ARRAY_SIZE(kf->links))
			return -E2BIG;
		l = bpf_program__attach(p);
		if (!l) {
			int err = errno;

			snprintf(what, len, " attaching %s", bpf_program__section_name(p));
			return -err;
		}
		kf->links[kf->nr_links++] = l;
	}
	return 0;
}

void record__kfunc_attach(struct record *rec)
{
	struct record_kfunc *k = &rec->kfunc;
	bool want_lookup, want_xol, only = k->mode == KFUNC_ONLY;
	struct ustat_kfunc *kf;
	struct btf *btf = NULL;
	char what[128] = "";
	int cpus, err;

	if (k->mode == KFUNC_OFF) {
		if (k->state[0])
			return;
		snprintf(k->state, sizeof(k->state), "not tried (%s)",
			 rec->no_kevents && !rec->use_bpf ? "--no-signals" : "--bpf-signals=off");
		return;
	}
	want_lookup = only || k->mode == KFUNC_ALSO || !recorded(rec, USTAT_KEV_UPROBE_LOOKUP);
	want_xol = only || k->mode == KFUNC_ALSO ||
		   (!recorded(rec, USTAT_KEV_XOL_ALLOC) && !recorded(rec, USTAT_KEV_XOL_RECYCLE));
	if (!want_lookup && !want_xol) {
		snprintf(k->state, sizeof(k->state), "not needed: uprobes_core tracepoints recorded");
		return;
	}
	libbpf_set_print(libbpf_quiet);
	btf = btf__load_vmlinux_btf();
	if (!btf) {
		snprintf(k->state, sizeof(k->state),
			 "this kernel has no BTF (/sys/kernel/btf/vmlinux: CONFIG_DEBUG_INFO_BTF)");
		return;
	}
	cpus = libbpf_num_possible_cpus();
	kf = calloc(1, sizeof(*kf));
	if (cpus <= 0 || !kf) {
		snprintf(k->state, sizeof(k->state), "out of memory");
		goto out;
	}
	kf->nr_cpus = cpus;
	kf->skel = uprobe_kfunc_bpf__open();
	if (!kf->skel) {
		snprintf(k->state, sizeof(k->state), "cannot open the BPF object: %s",
			 strerror(errno));
		goto out;
	}
	kf->skel->rodata->nr_cpus = cpus;
	kf->skel->rodata->filter = rec->target != TARGET_SYSTEM;
	bpf_map__set_max_entries(kf->skel->maps.kcpu, cpus);
	choose(rec, btf, kf->skel, want_lookup, want_xol);
	if (!k->lookup[0] && !k->xol[0]) {
		snprintf(k->state, sizeof(k->state), "nothing to attach to in this kernel");
		goto out;
	}
	err = uprobe_kfunc_bpf__load(kf->skel);
	if (err) {
		say_refused(rec, -err, " on BPF_PROG_LOAD");
		goto out;
	}
	if (kf->skel->rodata->filter) {
		err = fill_filter(rec, kf->skel);
		if (err) {
			snprintf(k->state, sizeof(k->state), "cannot fill the process filter: %s",
				 strerror(-err));
			goto out;
		}
	}
	kf->kcpu = ustat_bpf__map_mmap(kf->skel->maps.kcpu, &kf->kcpu_len);
	if (!kf->kcpu) {
		snprintf(k->state, sizeof(k->state), "cannot map the counters: %s",
			 strerror(errno));
		goto out;
	}
	err = attach_all(kf, what, sizeof(what));
	if (err) {
		say_refused(rec, -err, what);
		goto out;
	}
	snprintf(k->state, sizeof(k->state), "attached");
	k->bpf = kf;
	kf = NULL;
out:
	if (kf) {
		/* Nothing of it stays: the report says why from the state. */
		k->lookup[0] = k->xol[0] = '\0';
		ustat_debug("BPF fentry: %s", k->state);
	}
	kfunc_free(kf);
	btf__free(btf);
}

void record__kfunc_detach(struct record *rec)
{
	struct ustat_kfunc *kf = rec->kfunc.bpf;
	int i;

	if (!kf)
		return;
	for (i = 0; i < kf->nr_links; i++)
		bpf_link__destroy(kf->links[i]);
	kf->nr_links = 0;
}

void record__kfunc_close(struct record *rec)
{
	kfunc_free(rec->kfunc.bpf);
	rec->kfunc.bpf = NULL;
}

struct recs {
	char	**v;
	int	  nr;
};

static int push(struct recs *r, struct ustat_meta_buf *m)
{
	r->v[r->nr++] = m->s;
	memset(m, 0, sizeof(*m));
	return 0;
}

static int lat_rec(const struct ustat_bpf_hrec *h, u32 cpu, const char *path,
		   struct ustat_meta_buf *m)
{
	char *buckets = ustat_bpf__buckets_str(h);
	int ret;

	if (!buckets)
		return -ENOMEM;
	ret = ustat_meta__begin(m, "kfunc_lat") || ustat_meta__add_u64(m, "cpu", cpu) ||
	      ustat_meta__add(m, "path", path) || ustat_meta__add_u64(m, "count", h->count) ||
	      ustat_meta__add_u64(m, "sum", h->sum) || ustat_meta__add_u64(m, "min", h->min) ||
	      ustat_meta__add_u64(m, "max", h->max) || ustat_meta__add(m, "buckets", buckets);
	free(buckets);
	return ret ? -ENOMEM : 0;
}

int record__kfunc_meta(struct record *rec, char ***out, int *nr)
{
	struct ustat_kfunc *kf = rec->kfunc.bpf;
	struct ustat_meta_buf m = { 0 };
	struct recs r = { 0 };
	u32 cpu, n = kf ? kf->nr_cpus : 0;

	*out = NULL;
	*nr = 0;
	/* A head, and per CPU one count record and two histograms at most. */
	r.v = calloc(1 + 3 * (size_t)n, sizeof(*r.v));
	if (!r.v || record_kfunc__head(&rec->kfunc, &m) || push(&r, &m))
		goto nomem;
	for (cpu = 0; cpu < n; cpu++) {
		const struct ustat_kfunc_cpu *c = &kf->kcpu[cpu];

		if (!c->c[USTAT_KFUNC_LOOKUPS] && !c->c[USTAT_KFUNC_XOL_ALLOC] &&
		    !c->c[USTAT_KFUNC_XOL_FREE])
			continue;
		if (ustat_meta__begin(&m, "kfunc_cpu") || ustat_meta__add_u64(&m, "cpu", cpu) ||
		    ustat_meta__add_u64(&m, "lookups", c->c[USTAT_KFUNC_LOOKUPS]) ||
		    ustat_meta__add_u64(&m, "spec", c->c[USTAT_KFUNC_SPEC]) ||
		    ustat_meta__add_u64(&m, "fallback", c->c[USTAT_KFUNC_FALLBACK]) ||
		    ustat_meta__add_u64(&m, "not_found", c->c[USTAT_KFUNC_NOT_FOUND]) ||
		    ustat_meta__add_u64(&m, "xol_alloc", c->c[USTAT_KFUNC_XOL_ALLOC]) ||
		    ustat_meta__add_u64(&m, "xol_free", c->c[USTAT_KFUNC_XOL_FREE]) ||
		    ustat_meta__add_u64(&m, "no_thread", c->c[USTAT_KFUNC_NO_THREAD]) ||
		    push(&r, &m))
			goto nomem;
		if (c->lat_spec.count && (lat_rec(&c->lat_spec, cpu, "spec", &m) || push(&r, &m)))
			goto nomem;
		if (c->lat_fallback.count &&
		    (lat_rec(&c->lat_fallback, cpu, "fallback", &m) || push(&r, &m)))
			goto nomem;
	}
	*out = r.v;
	*nr = r.nr;
	return 0;
nomem:
	ustat_meta__free(&m);
	while (r.v && r.nr--)
		free(r.v[r.nr]);
	free(r.v);
	return -ENOMEM;
}
#endif /* HAVE_UPROBE_STAT_BPF */
