// SPDX-License-Identifier: GPL-2.0
/*
 * The perf_tool callbacks of the in-tree input: perf's session has parsed
 * each record (struct perf_sample) and ordered it; what is left is to say
 * it in the core's words (struct ustat_sample) and apply the filter.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <linux/compiler.h>
#include <linux/kernel.h>

#include "util/event.h"
#include "util/evlist.h"
#include "util/evsel.h"
#include "util/sample.h"
#include "util/session.h"
#include "util/uprobe-stat/core/sample-filter.h"
#include "perf-input.h"

static struct ustat_input *tool_input(const struct perf_tool *tool)
{
	return container_of(tool, struct ustat_input, tool);
}

/*
 * perf 6.12 keeps the user registers in perf_sample, later perf allocates
 * them apart (perf_sample__user_regs()): the member's type picks the way,
 * as for tool.sample below, without a version check.
 */
static const struct regs_dump *regs_in(const void *p)
{
	return p;
}

static const struct regs_dump *regs_ptr(const void *p)
{
	return *(struct regs_dump * const *)p;
}

#define sample_user_regs(ps)						\
	(_Generic((ps)->user_regs,					\
		  struct regs_dump * : regs_ptr, default : regs_in)	\
		 (&(ps)->user_regs))

/* --call-graph dwarf: the registers and the stack copy, for the core's unwinder. */
static void user_regs_stack(struct ustat_sample *s, struct perf_sample *ps, u64 type)
{
	if (type & PERF_SAMPLE_REGS_USER) {
		const struct regs_dump *regs = sample_user_regs(ps);

		if (regs && regs->abi && regs->regs) {
			s->user_regs_abi = regs->abi;
			s->user_regs_mask = regs->mask;
			s->user_regs = regs->regs;
		}
	}
	if (type & PERF_SAMPLE_STACK_USER && ps->user_stack.size) {
		s->user_stack_size = ps->user_stack.size;
		s->user_stack = ps->user_stack.data;
	}
}

/*
 * perf_sample marks what the record lacks with -1 (and period with the
 * attr's); the core's convention is the standalone reader's: 0, except
 * cpu, pid and tid, (u32)-1, and period, 1.
 */
static void to_ustat_sample(struct ustat_sample *s, struct perf_sample *ps,
			    const struct evsel *evsel, bool is_sample)
{
	u64 type = evsel ? evsel->core.attr.sample_type : 0;

	/* A record without a sample_id trailer says nothing: all ones, as standalone. */
	if (!is_sample && (!evsel || !evsel->core.attr.sample_id_all)) {
		memset(s, 0xff, sizeof(*s));
		ustat_sample__no_refs(s);
		s->priv = ps;
		return;
	}
	memset(s, 0, sizeof(*s));
	s->id = type & (PERF_SAMPLE_ID | PERF_SAMPLE_IDENTIFIER) ? ps->id : 0;
	s->ip = type & PERF_SAMPLE_IP ? ps->ip : 0;
	s->time = type & PERF_SAMPLE_TIME ? ps->time : 0;
	s->addr = type & PERF_SAMPLE_ADDR ? ps->addr : 0;
	s->period = type & PERF_SAMPLE_PERIOD ? ps->period : 1;
	s->pid = type & PERF_SAMPLE_TID ? ps->pid : (u32)-1;
	s->tid = type & PERF_SAMPLE_TID ? ps->tid : (u32)-1;
	s->cpu = type & PERF_SAMPLE_CPU ? ps->cpu : (u32)-1;
	if (is_sample && type & PERF_SAMPLE_CALLCHAIN && ps->callchain) {
		s->callchain_nr = ps->callchain->nr;
		s->callchain = ps->callchain->ips;
	}
	if (is_sample)
		user_regs_stack(s, ps, type);
	if (is_sample && type & PERF_SAMPLE_RAW) {
		s->raw_size = ps->raw_size;
		s->raw = ps->raw_data;
	}
	s->priv = ps;
}

int ustat_input__deliver(struct ustat_input *in, union perf_event *event,
			 struct perf_sample *ps, struct evsel *evsel)
{
	const struct ustat_input_ops *ops = in->ops;
	struct ustat_sample s;
	int ret = 0;

	if (in->error)
		return in->error;
	/* A replay's walk waits here for the step that reaches the record. */
	if (in->replay) {
		ret = ustat_input__replay_hold(in, event, ps, evsel);
		if (ret)
			return in->error = ret;
	}
	in->stats.nr_records++;
	to_ustat_sample(&s, ps, evsel, event->header.type == PERF_RECORD_SAMPLE);
	switch (event->header.type) {
	case PERF_RECORD_SAMPLE:
		if (!evsel) {
			in->stats.unknown_id++;
			return 0;
		}
		if (in->filter && !ustat_sample_filter__keep(in->filter, &s))
			return 0;
		if (ops && ops->sample)
			ret = ops->sample(in->ctx, evsel->core.idx, &s);
		break;
	case PERF_RECORD_LOST:
	case PERF_RECORD_LOST_SAMPLES:
		if (ops && ops->lost)
			ret = ops->lost(in->ctx, s.cpu, event->header.type == PERF_RECORD_LOST ?
					event->lost.lost : event->lost_samples.lost, s.time);
		break;
	case PERF_RECORD_COMM:
		if (in->filter &&
		    ustat_sample_filter__comm(in->filter, event->comm.tid, event->comm.comm))
			ret = -ENOMEM;
		else if (ops && ops->comm)
			ret = ops->comm(in->ctx, event->comm.pid, event->comm.tid,
					event->comm.comm, &s);
		break;
	case PERF_RECORD_MMAP:
		if (ops && ops->mmap && !(event->header.misc & PERF_RECORD_MISC_MMAP_DATA))
			ret = ops->mmap(in->ctx, event->mmap.pid, event->mmap.start,
					event->mmap.len, event->mmap.pgoff, event->mmap.filename);
		break;
	case PERF_RECORD_MMAP2:
		if (ops && ops->mmap && event->mmap2.prot & PROT_EXEC)
			ret = ops->mmap(in->ctx, event->mmap2.pid, event->mmap2.start,
					event->mmap2.len, event->mmap2.pgoff,
					event->mmap2.filename);
		break;
	case PERF_RECORD_FORK:
		if (ops && ops->fork && event->fork.pid != event->fork.ppid)
			ret = ops->fork(in->ctx, event->fork.pid, event->fork.ppid);
		break;
	default:
		break;
	}
	/* perf's walk goes on after a callback's error: stop it here instead. */
	if (ret)
		in->error = ret;
	return ret;
}

/* A list of CPUs (what record writes): u16 type, u16 nr, u16 cpu[nr]. */
static int note_cpu_map(struct ustat_input *in, union perf_event *event)
{
	const u16 *p = (const u16 *)(&event->header + 1);
	size_t words = (event->header.size - sizeof(event->header)) / 2;
	u16 *cpus;

	if (words < 2 || p[0] != PERF_CPU_MAP__CPUS || p[1] > words - 2)
		return 0;	/* masks, ranges: indexes taken as CPU numbers */
	cpus = malloc((p[1] + 1) * sizeof(*cpus));
	if (!cpus)
		return -ENOMEM;
	memcpy(cpus, p + 2, p[1] * sizeof(*cpus));
	free(in->stat_cpus);
	in->stat_cpus = cpus;
	in->nr_stat_cpus = p[1];
	return 0;
}

int ustat_input__deliver_stat(struct ustat_input *in, union perf_event *event,
			      struct evlist *evlist)
{
	const struct ustat_input_ops *ops = in->ops;
	struct perf_record_stat *st = &event->stat;
	struct evsel *evsel;
	u32 cpu;
	int ret = 0;

	if (in->error)
		return in->error;
	if (event->header.type == PERF_RECORD_CPU_MAP)
		return note_cpu_map(in, event);
	if (event->header.size < sizeof(*st)) {
		in->stats.bad_records++;
		return 0;
	}
	in->stats.nr_records++;
	evsel = evlist__id2evsel(evlist, st->id);
	if (!evsel) {
		in->stats.unknown_id++;
		return 0;
	}
	cpu = st->cpu;
	if (in->stat_cpus && cpu < in->nr_stat_cpus)
		cpu = in->stat_cpus[cpu];
	if (in->filter && !ustat_sample_filter__keep_cpu(in->filter, cpu))
		return 0;
	if (ops && ops->count)
		ret = ops->count(in->ctx, evsel->core.idx, cpu, st->thread, st->val);
	if (ret)
		in->error = ret;
	return ret;
}

/* The evsel of a non-sample record, by its sample_id trailer. */
static struct evsel *record_evsel(struct ustat_input *in, struct perf_sample *ps)
{
	return evlist__id2evsel(in->session->evlist, ps->id);
}

static int tool_lost(const struct perf_tool *tool, union perf_event *event,
		     struct perf_sample *ps, struct machine *machine __maybe_unused)
{
	struct ustat_input *in = tool_input(tool);

	return ustat_input__deliver(in, event, ps, record_evsel(in, ps));
}

/* The mappings, for callchains: perf's session has checked their size. */
static int tool_mmap(const struct perf_tool *tool, union perf_event *event,
		     struct perf_sample *ps, struct machine *machine __maybe_unused)
{
	struct ustat_input *in = tool_input(tool);

	return ustat_input__deliver(in, event, ps, record_evsel(in, ps));
}

static int tool_comm(const struct perf_tool *tool, union perf_event *event,
		     struct perf_sample *ps, struct machine *machine __maybe_unused)
{
	struct ustat_input *in = tool_input(tool);

	return ustat_input__deliver(in, event, ps, record_evsel(in, ps));
}

/* perf up to 6.x passes the evsel; later perf keeps it in the sample. */
static int sample_evsel(const struct perf_tool *tool, union perf_event *event,
			struct perf_sample *ps, struct evsel *evsel,
			struct machine *machine __maybe_unused)
{
	return ustat_input__deliver(tool_input(tool), event, ps, evsel);
}

static int sample(const struct perf_tool *tool, union perf_event *event,
		  struct perf_sample *ps, struct machine *machine __maybe_unused)
{
	struct ustat_input *in = tool_input(tool);

	return ustat_input__deliver(in, event, ps, record_evsel(in, ps));
}

/* perf up to 6.12: the session alone; later perf passes the tool too. */
static int stat_session(struct perf_session *session, union perf_event *event)
{
	struct ustat_input *in = tool_input(session->tool);

	return ustat_input__deliver_stat(in, event, session->evlist);
}

static int stat_tool(const struct perf_tool *tool, struct perf_session *session,
		     union perf_event *event)
{
	return ustat_input__deliver_stat(tool_input(tool), event, session->evlist);
}

typedef int (*session_fn)(struct perf_session *session, union perf_event *event);

typedef int (*evsel_fn)(const struct perf_tool *tool, union perf_event *event,
			struct perf_sample *sample, struct evsel *evsel,
			struct machine *machine);

void ustat_input__init_tool(struct ustat_input *in)
{
	perf_tool__init(&in->tool, /*ordered_events=*/true);
	/*
	 * tool.sample lost its evsel argument after 6.12; choosing the
	 * callback by the member's type builds on either without a version
	 * check.
	 */
	in->tool.sample = _Generic(in->tool.sample, evsel_fn : sample_evsel, default : sample);
	in->tool.comm = tool_comm;
	in->tool.mmap = tool_mmap;
	in->tool.mmap2 = tool_mmap;
	in->tool.fork = tool_mmap;	/* the same delivery: a child's mappings */
	in->tool.lost = tool_lost;
	in->tool.lost_samples = tool_lost;
	/* the counting consumer's records (record --count) */
	in->tool.stat = _Generic(in->tool.stat, session_fn : stat_session, default : stat_tool);
	in->tool.cpu_map = in->tool.stat;	/* one type in perf_tool: event_op2 */
	/* finished_round: perf's own, which flushes ordered_events. */
}
