// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>

#include "sample-parse.h"

/* A cursor over the u64 words of a record, never past its end. */
struct cursor {
	const u64	*p;
	const u64	*end;
};

static int take(struct cursor *c, u64 *v)
{
	if (c->p >= c->end)
		return -EINVAL;
	*v = *c->p++;
	return 0;
}

static int skip(struct cursor *c, u64 n)
{
	if (n > (u64)(c->end - c->p))
		return -EINVAL;
	c->p += n;
	return 0;
}

static u64 read_format_words(u64 read_format)
{
	u64 per_value = 1 + !!(read_format & PERF_FORMAT_ID) +
			!!(read_format & PERF_FORMAT_LOST);
	u64 fixed = !!(read_format & PERF_FORMAT_TOTAL_TIME_ENABLED) +
		    !!(read_format & PERF_FORMAT_TOTAL_TIME_RUNNING);

	if (read_format & PERF_FORMAT_GROUP)
		return 0;	/* depends on nr: see parse_read() */
	return per_value + fixed;
}

static int parse_read(struct cursor *c, u64 read_format)
{
	u64 nr, per_value;

	if (!(read_format & PERF_FORMAT_GROUP))
		return skip(c, read_format_words(read_format));
	per_value = 1 + !!(read_format & PERF_FORMAT_ID) + !!(read_format & PERF_FORMAT_LOST);
	if (take(c, &nr))
		return -EINVAL;
	if (skip(c, !!(read_format & PERF_FORMAT_TOTAL_TIME_ENABLED) +
		    !!(read_format & PERF_FORMAT_TOTAL_TIME_RUNNING)))
		return -EINVAL;
	if (nr > (u64)(c->end - c->p) / per_value)
		return -EINVAL;
	return skip(c, nr * per_value);
}

static void sample_init(struct ustat_sample *s)
{
	memset(s, 0, sizeof(*s));
	s->cpu = (u32)-1;
	s->pid = (u32)-1;
	s->tid = (u32)-1;
	s->period = 1;
}

int ustat_sample__parse(const struct perf_event_attr *attr,
			const union perf_event *ev, struct ustat_sample *s)
{
	u64 type = attr->sample_type, v;
	struct cursor c;

	sample_init(s);
	if (ev->header.size < sizeof(ev->header) || ev->header.size % sizeof(u64))
		return -EINVAL;
	c.p = (const u64 *)(&ev->header + 1);
	c.end = (const u64 *)((const char *)ev + ev->header.size);

	if ((type & PERF_SAMPLE_IDENTIFIER) && take(&c, &s->id))
		return -EINVAL;
	if ((type & PERF_SAMPLE_IP) && take(&c, &s->ip))
		return -EINVAL;
	if (type & PERF_SAMPLE_TID) {
		if (take(&c, &v))
			return -EINVAL;
		s->pid = (u32)v;
		s->tid = (u32)(v >> 32);
	}
	if ((type & PERF_SAMPLE_TIME) && take(&c, &s->time))
		return -EINVAL;
	if ((type & PERF_SAMPLE_ADDR) && take(&c, &s->addr))
		return -EINVAL;
	if ((type & PERF_SAMPLE_ID) && take(&c, &s->id))
		return -EINVAL;
	if ((type & PERF_SAMPLE_STREAM_ID) && skip(&c, 1))
		return -EINVAL;
	if (type & PERF_SAMPLE_CPU) {
		if (take(&c, &v))
			return -EINVAL;
		s->cpu = (u32)v;
	}
	if ((type & PERF_SAMPLE_PERIOD) && take(&c, &s->period))
		return -EINVAL;
	if ((type & PERF_SAMPLE_READ) && parse_read(&c, attr->read_format))
		return -EINVAL;
	if (type & PERF_SAMPLE_CALLCHAIN) {
		if (take(&c, &s->callchain_nr) || s->callchain_nr > (u64)(c.end - c.p))
			return -EINVAL;
		s->callchain = c.p;
		c.p += s->callchain_nr;
	}
	if (type & PERF_SAMPLE_RAW) {
		const u32 *sz = (const u32 *)c.p;

		/* u32 size, then the data: together padded to a u64 boundary. */
		if (c.p >= c.end || *sz > (u64)((const char *)c.end - (const char *)(sz + 1)))
			return -EINVAL;
		s->raw_size = *sz;
		s->raw = sz + 1;
		c.p += (sizeof(*sz) + *sz + sizeof(u64) - 1) / sizeof(u64);
	}
	/* Branch stacks are never recorded by us: what follows is not read. */
	if (type & PERF_SAMPLE_BRANCH_STACK)
		return 0;
	if (type & PERF_SAMPLE_REGS_USER) {
		u64 nr = __builtin_popcountll(attr->sample_regs_user);

		if (take(&c, &s->user_regs_abi))
			return -EINVAL;
		if (s->user_regs_abi) {
			if (nr > (u64)(c.end - c.p))
				return -EINVAL;
			s->user_regs_mask = attr->sample_regs_user;
			s->user_regs = c.p;
			c.p += nr;
		}
	}
	if (type & PERF_SAMPLE_STACK_USER) {
		u64 size, dyn;

		/* size, the copy (size bytes), then how much of it is real. */
		if (take(&c, &size))
			return -EINVAL;
		if (size) {
			const u64 *data = c.p;

			if (size % sizeof(u64) || skip(&c, size / sizeof(u64)) || take(&c, &dyn) ||
			    dyn > size)
				return -EINVAL;
			s->user_stack = data;
			s->user_stack_size = dyn;
		}
	}
	return 0;
}

/* The sample_type bits whose fields are one u64 each, in record order. */
#define FIXED_BITS	(PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | PERF_SAMPLE_TID |	\
			 PERF_SAMPLE_TIME | PERF_SAMPLE_ADDR | PERF_SAMPLE_ID |		\
			 PERF_SAMPLE_STREAM_ID | PERF_SAMPLE_CPU | PERF_SAMPLE_PERIOD)

static s8 place(u64 type, u64 bit, u8 *n)
{
	return type & bit ? (s8)(*n)++ : -1;
}

void ustat_sample_layout__init(struct ustat_sample_layout *l, u64 type)
{
	u8 n = 0;
	s8 identifier;

	/* The order of ustat_sample__parse(): the record's own. */
	identifier = place(type, PERF_SAMPLE_IDENTIFIER, &n);
	l->ip = place(type, PERF_SAMPLE_IP, &n);
	l->tid = place(type, PERF_SAMPLE_TID, &n);
	l->time = place(type, PERF_SAMPLE_TIME, &n);
	l->addr = place(type, PERF_SAMPLE_ADDR, &n);
	l->id = place(type, PERF_SAMPLE_ID, &n);
	if (l->id < 0)
		l->id = identifier;	/* ID, when both are there, is read last */
	place(type, PERF_SAMPLE_STREAM_ID, &n);
	l->cpu = place(type, PERF_SAMPLE_CPU, &n);
	l->period = place(type, PERF_SAMPLE_PERIOD, &n);
	l->fixed = n;
	l->simple = !(type & ~FIXED_BITS);
}

int ustat_sample__parse_laid(const struct ustat_sample_layout *l,
			     const struct perf_event_attr *attr,
			     const union perf_event *ev, struct ustat_sample *s)
{
	const u64 *p = (const u64 *)(&ev->header + 1);
	u64 tid;

	if (!l->simple || ev->header.size % sizeof(u64) ||
	    ev->header.size < sizeof(ev->header) + l->fixed * sizeof(u64))
		return ustat_sample__parse(attr, ev, s);
	tid = l->tid >= 0 ? p[l->tid] : (u64)-1;
	/*
	 * Field by field, the rest 0: zeroing the whole first (memset(), or
	 * a compound literal) is a rep stos, and the store after it stalled:
	 * half of this function's time.
	 */
	s->id = l->id >= 0 ? p[l->id] : 0;
	s->ip = l->ip >= 0 ? p[l->ip] : 0;
	s->time = l->time >= 0 ? p[l->time] : 0;
	s->addr = l->addr >= 0 ? p[l->addr] : 0;
	s->period = l->period >= 0 ? p[l->period] : 1;
	s->pid = (u32)tid;
	s->tid = (u32)(tid >> 32);
	s->cpu = l->cpu >= 0 ? (u32)p[l->cpu] : (u32)-1;
	ustat_sample__no_refs(s);
	return 0;
}

/*
 * A sample's time without parsing all of it (the queue needs only that):
 * TIME follows IDENTIFIER, IP and TID, one word each.
 */
u64 ustat_sample__time(const struct perf_event_attr *attr, const union perf_event *ev)
{
	u64 type = attr->sample_type;
	unsigned int pos = !!(type & PERF_SAMPLE_IDENTIFIER) + !!(type & PERF_SAMPLE_IP) +
			   !!(type & PERF_SAMPLE_TID);

	if (!(type & PERF_SAMPLE_TIME) || ev->header.size % sizeof(u64) ||
	    ev->header.size < sizeof(ev->header) + (pos + 1) * sizeof(u64))
		return 0;
	return ((const u64 *)(&ev->header + 1))[pos];
}

/* Take the word before the cursor's end: sample_id trailers are read backwards. */
static int take_back(struct cursor *c, u64 *v)
{
	if (c->end <= c->p)
		return -EINVAL;
	*v = *--c->end;
	return 0;
}

int ustat_sample__parse_id(const struct perf_event_attr *attr,
			   const union perf_event *ev, struct ustat_sample *s)
{
	u64 type = attr->sample_type, v;
	struct cursor c;

	sample_init(s);
	if (!attr->sample_id_all)
		return 0;
	if (ev->header.size < sizeof(ev->header) || ev->header.size % sizeof(u64))
		return -EINVAL;
	c.p = (const u64 *)(&ev->header + 1);
	c.end = (const u64 *)((const char *)ev + ev->header.size);

	/* Trailer order: TID, TIME, ID, STREAM_ID, CPU, IDENTIFIER (last). */
	if ((type & PERF_SAMPLE_IDENTIFIER) && take_back(&c, &s->id))
		return -EINVAL;
	if (type & PERF_SAMPLE_CPU) {
		if (take_back(&c, &v))
			return -EINVAL;
		s->cpu = (u32)v;
	}
	if ((type & PERF_SAMPLE_STREAM_ID) && take_back(&c, &v))
		return -EINVAL;
	if ((type & PERF_SAMPLE_ID) && take_back(&c, &s->id))
		return -EINVAL;
	if ((type & PERF_SAMPLE_TIME) && take_back(&c, &s->time))
		return -EINVAL;
	if (type & PERF_SAMPLE_TID) {
		if (take_back(&c, &v))
			return -EINVAL;
		s->pid = (u32)v;
		s->tid = (u32)(v >> 32);
	}
	return 0;
}

size_t ustat_sample__write_id(const struct perf_event_attr *attr,
			      const struct ustat_sample *s, u64 *buf)
{
	u64 type = attr->sample_type;
	size_t n = 0;

	if (!attr->sample_id_all)
		return 0;
	if (type & PERF_SAMPLE_TID)
		buf[n++] = (u64)s->pid | (u64)s->tid << 32;
	if (type & PERF_SAMPLE_TIME)
		buf[n++] = s->time;
	if (type & PERF_SAMPLE_ID)
		buf[n++] = s->id;
	if (type & PERF_SAMPLE_STREAM_ID)
		buf[n++] = s->id;
	if (type & PERF_SAMPLE_CPU)
		buf[n++] = s->cpu;
	if (type & PERF_SAMPLE_IDENTIFIER)
		buf[n++] = s->id;
	return n * sizeof(u64);
}

int ustat_sample__id_pos(u64 type)
{
	int pos = 0;

	if (type & PERF_SAMPLE_IDENTIFIER)
		return 0;
	if (!(type & PERF_SAMPLE_ID))
		return -1;
	pos += !!(type & PERF_SAMPLE_IP);
	pos += !!(type & PERF_SAMPLE_TID);
	pos += !!(type & PERF_SAMPLE_TIME);
	pos += !!(type & PERF_SAMPLE_ADDR);
	return pos;
}

int ustat_sample__id_pos_trailer(u64 type)
{
	int pos = 1;

	if (type & PERF_SAMPLE_IDENTIFIER)
		return 1;
	if (!(type & PERF_SAMPLE_ID))
		return -1;
	pos += !!(type & PERF_SAMPLE_CPU);
	pos += !!(type & PERF_SAMPLE_STREAM_ID);
	return pos;
}
