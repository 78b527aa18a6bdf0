// SPDX-License-Identifier: GPL-2.0
/*
 * Walking a file: all of it at once (report, script), or a step at a time
 * on the recording's clock (report --tui).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/zalloc.h>

#include "util/debug.h"
#include "util/event.h"
#include "util/evlist.h"
#include "util/evsel.h"
#include "util/header.h"
#include "util/sample.h"
#include "util/session.h"
#include "perf-input.h"
#include "replay.h"

/*
 * A replay walks the file with perf_session__process_events(), in a thread
 * of its own that stops, inside perf's delivery, at the first record past
 * the step's time and waits there for the next step: the two threads take
 * turns (one runs while the other waits), so the core's callbacks never
 * run beside the caller, and nothing is kept but what perf's reader and
 * ordered_events hold anyway -- memory does not grow with the file.
 */
struct ustat_replay {
	pthread_t	 thread;
	pthread_mutex_t	 lock;
	pthread_cond_t	 cond;
	u64		 limit;		/* deliver records up to this time */
	u64		 held_time;	/* of the record the walk waits at */
	bool		 started;
	bool		 walk_turn;	/* the walk runs, the caller waits */
	bool		 held;		/* the walk waits at a record past limit */
	bool		 done;		/* the walk is over: ret says how */
	bool		 cancel;	/* the input is closing: stop the walk */
	int		 ret;
	char		 err[256];
};

struct ustat_replay *ustat_replay__new(void)
{
	struct ustat_replay *r = zalloc(sizeof(struct ustat_replay));

	if (!r)
		return NULL;
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->cond, NULL);
	return r;
}

void ustat_replay__free(struct ustat_replay *r)
{
	if (!r)
		return;
	if (r->started) {
		/* A walk held mid-file: let it go on to its end, delivering nothing. */
		pthread_mutex_lock(&r->lock);
		r->cancel = true;
		r->walk_turn = true;
		pthread_cond_broadcast(&r->cond);
		pthread_mutex_unlock(&r->lock);
		pthread_join(r->thread, NULL);
	}
	pthread_cond_destroy(&r->cond);
	pthread_mutex_destroy(&r->lock);
	free(r);
}

/* In the walk: wait while the record's TIME is past the step's limit. */
int ustat_replay__hold(struct ustat_replay *r, bool timed, u64 time)
{
	int ret = 0;

	pthread_mutex_lock(&r->lock);
	/* Not the replay's walk (report after begin): nothing to wait for. */
	while (r->started && !r->cancel && timed && time > r->limit) {
		r->held = true;
		r->held_time = time;
		r->walk_turn = false;
		pthread_cond_broadcast(&r->cond);
		while (!r->walk_turn)
			pthread_cond_wait(&r->cond, &r->lock);
		r->held = false;
	}
	if (r->cancel)
		ret = -ECANCELED;
	pthread_mutex_unlock(&r->lock);
	return ret;
}

static int walk(struct ustat_input *in, char *err, size_t errlen)
{
	int ret = perf_session__process_events(in->session);

	if (in->error) {
		ret = in->error;
		if (ret == -ENOMEM)
			snprintf(err, errlen, "out of memory");
		return ret;
	}
	if (ret) {
		snprintf(err, errlen, "%s: cannot read its events: %s", in->rec.path,
			 strerror(ret < 0 ? -ret : EINVAL));
		return ret < 0 ? ret : -EINVAL;
	}
	return 0;
}

int ustat_input__process(struct ustat_input *in, const struct ustat_input_ops *ops,
			 void *ctx, char *err, size_t errlen)
{
	in->ops = ops;
	in->ctx = ctx;
	return walk(in, err, errlen);
}

int ustat_input__begin(struct ustat_input *in, const struct ustat_input_ops *ops, void *ctx)
{
	in->ops = ops;
	in->ctx = ctx;
	if (!in->live && !in->replay) {
		in->replay = ustat_replay__new();
		if (!in->replay)
			return -ENOMEM;
	}
	return 0;
}

static void *replay_walk(void *arg)
{
	struct ustat_input *in = arg;
	struct ustat_replay *r = in->replay;
	int ret = walk(in, r->err, sizeof(r->err));

	pthread_mutex_lock(&r->lock);
	r->ret = r->cancel ? 0 : ret;
	r->done = true;
	r->walk_turn = false;
	pthread_cond_broadcast(&r->cond);
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

/*
 * Give the walk its turn up to LIMIT, and wait until it holds at a record
 * past it or ends.  Its thread takes no signals: SIGINT and the terminal's
 * go to the caller's, as before.
 */
static int replay_run(struct ustat_input *in, u64 limit, char *err, size_t errlen)
{
	struct ustat_replay *r = in->replay;
	int ret = 0;

	pthread_mutex_lock(&r->lock);
	if (!r->done) {
		r->limit = limit;
		r->walk_turn = true;
		if (!r->started) {
			sigset_t all, old;

			sigfillset(&all);
			pthread_sigmask(SIG_SETMASK, &all, &old);
			ret = -pthread_create(&r->thread, NULL, replay_walk, in);
			pthread_sigmask(SIG_SETMASK, &old, NULL);
			r->started = !ret;
			if (ret)
				r->walk_turn = false;
		}
		pthread_cond_broadcast(&r->cond);
		while (r->walk_turn)
			pthread_cond_wait(&r->cond, &r->lock);
	}
	if (!ret && r->done && r->ret) {
		ret = r->ret;
		snprintf(err, errlen, "%s", r->err);
	}
	pthread_mutex_unlock(&r->lock);
	if (ret)
		return ret;
	return r->done ? 0 : 1;
}

static bool has_time(struct evsel *evsel, union perf_event *event)
{
	if (!evsel || !(evsel->core.attr.sample_type & PERF_SAMPLE_TIME))
		return false;
	return event->header.type == PERF_RECORD_SAMPLE || evsel->core.attr.sample_id_all;
}

/* In the walk: whether a record waits for a step (a replay's only). */
int ustat_input__replay_hold(struct ustat_input *in, union perf_event *event,
			     struct perf_sample *ps, struct evsel *evsel)
{
	return ustat_replay__hold(in->replay, has_time(evsel, event), ps->time);
}

int ustat_input__replay_until(struct ustat_input *in, u64 limit, char *err, size_t errlen)
{
	if (!in->replay)
		return -EINVAL;
	return replay_run(in, limit, err, errlen);
}

u64 ustat_input__start_time(const struct ustat_input *in)
{
	struct ustat_replay *r = in->replay;
	char err[256];

	if (in->rec.has_time)
		return in->rec.time_start;
	/*
	 * Files without HEADER_SAMPLE_TIME: the walk up to the first record
	 * with a time, which it then holds for the first step.
	 */
	if (!r || replay_run((struct ustat_input *)in, 0, err, sizeof(err)) < 0)
		return 0;
	return r->held ? r->held_time : 0;
}
