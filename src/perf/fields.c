// SPDX-License-Identifier: GPL-2.0
/*
 * Tracepoint fields by name, as perf's own tracepoint tools read them:
 * evsel__field() finds the field in the event's format (the file's
 * tracing data), format_field__intval() reads it from the perf_sample.
 */
#include <stdlib.h>
#include <linux/zalloc.h>

#include <traceevent/event-parse.h>

#include "util/evsel.h"
#include "util/sample.h"
#include "util/session.h"
#include "perf-input.h"
#include "fields.h"

struct ustat_tp_field {
	struct tep_format_field	*field;
	bool			 needs_swap;
	struct ustat_tp_field	*next;		/* the input's, freed at close */
};

const struct ustat_tp_field *ustat_input__tp_field(struct ustat_input *in, int idx,
						   const char *name)
{
	struct tep_format_field *field;
	struct ustat_tp_field *f;
	struct evsel *evsel;

	if (idx < 0 || idx >= in->nr_events)
		return NULL;
	evsel = in->evsels[idx];
	/* The format as the input's tracing data says; never the running kernel's. */
	if (evsel->core.attr.type != PERF_TYPE_TRACEPOINT || !evsel->tp_format)
		return NULL;
	field = evsel__field(evsel, name);
	if (!field)
		return NULL;
	f = zalloc(sizeof(*f));
	if (!f)
		return NULL;
	f->field = field;
	f->needs_swap = in->session->header.needs_swap;
	f->next = in->fields;
	in->fields = f;
	return f;
}

u64 ustat_tp_field__value(const struct ustat_tp_field *f, const struct ustat_sample *s)
{
	struct perf_sample *ps = (struct perf_sample *)s->priv;

	/* format_field__intval() trusts the record: check it holds the field. */
	if (!f || !ps || !ps->raw_data ||
	    (u64)f->field->offset + f->field->size > ps->raw_size)
		return 0;
	return format_field__intval(f->field, ps, f->needs_swap);
}

void ustat_fields__free(struct ustat_tp_field *list)
{
	while (list) {
		struct ustat_tp_field *next = list->next;

		free(list);
		list = next;
	}
}
