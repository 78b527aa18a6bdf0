// SPDX-License-Identifier: GPL-2.0
/*
 * The OpenMetrics endpoint of top (see top-http.h): libmicrohttpd in its
 * external-select mode, so requests are answered between two drains of
 * the ring buffers, in the thread that owns the aggregation.
 *
 * libmicrohttpd is loaded by --openmetrics, not linked: with GnuTLS and
 * the libraries GnuTLS needs it is 2.5 MiB of the resident set of every
 * report and record, which never serve a page.  The build opens it by the
 * soname it was built against (USTAT_MHD_SONAME).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/compiler.h>
#include <linux/kernel.h>

#include "top-http.h"

#ifdef HAVE_UPROBE_STAT_OPENMETRICS
#include <netdb.h>
#include <sys/socket.h>
#include <microhttpd.h>

#include "util/uprobe-stat/core/openmetrics.h"
#include "util/uprobe-stat/util/dl.h"

/* Scrapers are few: more connections than this wait in the backlog. */
#define HTTP_CONNECTIONS	8
#define HTTP_TIMEOUT_S		5

/* Each call's type as microhttpd.h declares it. */
static struct {
	void					*h;
	typeof(MHD_start_daemon)		*start_daemon;
	typeof(MHD_run)				*run;
	typeof(MHD_stop_daemon)			*stop_daemon;
	typeof(MHD_create_response_from_buffer)	*create_response_from_buffer;
	typeof(MHD_add_response_header)		*add_response_header;
	typeof(MHD_queue_response)		*queue_response;
	typeof(MHD_destroy_response)		*destroy_response;
	typeof(MHD_lookup_connection_value)	*lookup_connection_value;
} mhd;

static int mhd_load(char *err, size_t errlen)
{
	const struct ustat_dl_sym syms[] = {
		{ "MHD_start_daemon",		     (void **)&mhd.start_daemon },
		{ "MHD_run",			     (void **)&mhd.run },
		{ "MHD_stop_daemon",		     (void **)&mhd.stop_daemon },
		{ "MHD_create_response_from_buffer", (void **)&mhd.create_response_from_buffer },
		{ "MHD_add_response_header",	     (void **)&mhd.add_response_header },
		{ "MHD_queue_response",		     (void **)&mhd.queue_response },
		{ "MHD_destroy_response",	     (void **)&mhd.destroy_response },
		{ "MHD_lookup_connection_value",     (void **)&mhd.lookup_connection_value },
	};
	char why[256];

	if (!mhd.h)
		mhd.h = ustat_dl__open(USTAT_MHD_SONAME, syms, ARRAY_SIZE(syms), why,
				       sizeof(why));
	if (!mhd.h) {
		snprintf(err, errlen, "--openmetrics: %s", why);
		return -EOPNOTSUPP;
	}
	return 0;
}

struct ustat_top_http {
	struct MHD_Daemon	*daemon;
	const struct ustat_agg	*agg;
	void			(*self)(void *ctx, struct ustat_om_self *s);
	void			*ctx;
};

static enum MHD_Result reply(struct MHD_Connection *c, unsigned int status, const char *type,
			     char *body, size_t len)
{
	struct MHD_Response *r = mhd.create_response_from_buffer(len, body,
								 MHD_RESPMEM_MUST_FREE);
	enum MHD_Result ret;

	if (!r) {
		free(body);
		return MHD_NO;
	}
	mhd.add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	ret = mhd.queue_response(c, status, r);
	mhd.destroy_response(r);
	return ret;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version __maybe_unused,
			      const char *upload __maybe_unused,
			      size_t *upload_size __maybe_unused,
			      void **req_ctx __maybe_unused)
{
	struct ustat_top_http *h = cls;
	struct ustat_om_self self = { 0 };
	enum ustat_om_format fmt;
	char *body = NULL;
	size_t len = 0;
	FILE *out;
	int ret;

	if (strcmp(method, "GET") && strcmp(method, "HEAD"))
		return reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain",
			     strdup("only GET /metrics\n"), strlen("only GET /metrics\n"));
	if (strcmp(url, "/metrics"))
		return reply(c, MHD_HTTP_NOT_FOUND, "text/plain",
			     strdup("see /metrics\n"), strlen("see /metrics\n"));
	fmt = ustat_om__negotiate(mhd.lookup_connection_value(c, MHD_HEADER_KIND,
							      MHD_HTTP_HEADER_ACCEPT));
	if (h->self)
		h->self(h->ctx, &self);
	out = open_memstream(&body, &len);
	if (!out)
		return MHD_NO;
	ret = ustat_om__write(out, h->agg, h->self ? &self : NULL, fmt);
	if (fclose(out) || ret) {
		free(body);
		return MHD_NO;
	}
	return reply(c, MHD_HTTP_OK, ustat_om__content_type(fmt), body, len);
}

/* "ADDR:PORT", "[V6]:PORT", ":PORT" into HOST and PORT. */
static int split(const char *spec, char *host, size_t hlen, char *port, size_t plen)
{
	const char *colon = strrchr(spec, ':');
	size_t n;

	if (!colon || !colon[1] || strlen(colon + 1) >= plen)
		return -EINVAL;
	snprintf(port, plen, "%s", colon + 1);
	n = colon - spec;
	if (n >= 2 && spec[0] == '[' && spec[n - 1] == ']') {
		spec++;
		n -= 2;
	}
	if (n >= hlen)
		return -EINVAL;
	if (!n)
		snprintf(host, hlen, "127.0.0.1");
	else
		snprintf(host, hlen, "%.*s", (int)n, spec);
	return 0;
}

int ustat_top_http__start(struct ustat_top_http **out, const char *spec,
			  const struct ustat_agg *agg,
			  void (*self)(void *ctx, struct ustat_om_self *s), void *ctx,
			  char *err, size_t errlen)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE };
	struct ustat_top_http *h;
	struct addrinfo *ai;
	char host[256], port[16], *end;
	long p;
	int ret;

	if (split(spec, host, sizeof(host), port, sizeof(port))) {
		snprintf(err, errlen, "--openmetrics '%s': expected ADDR:PORT, e.g. 127.0.0.1:9464",
			 spec);
		return -EINVAL;
	}
	p = strtol(port, &end, 10);
	if (*end || p < 1 || p > 65535) {
		snprintf(err, errlen, "--openmetrics '%s': '%s' is not a port (1-65535)",
			 spec, port);
		return -EINVAL;
	}
	ret = mhd_load(err, errlen);
	if (ret)
		return ret;
	ret = getaddrinfo(host, port, &hints, &ai);
	if (ret) {
		snprintf(err, errlen, "--openmetrics '%s': %s", spec, gai_strerror(ret));
		return -EINVAL;
	}
	h = calloc(1, sizeof(*h));
	if (!h) {
		freeaddrinfo(ai);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	h->agg = agg;
	h->self = self;
	h->ctx = ctx;
	h->daemon = mhd.start_daemon((ai->ai_family == AF_INET6 ? MHD_USE_IPv6 : 0),
				     (uint16_t)p, NULL, NULL, handle, h,
				     MHD_OPTION_SOCK_ADDR, ai->ai_addr,
				     MHD_OPTION_CONNECTION_LIMIT, (unsigned int)HTTP_CONNECTIONS,
				     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)HTTP_TIMEOUT_S,
				     MHD_OPTION_END);
	freeaddrinfo(ai);
	if (!h->daemon) {
		snprintf(err, errlen,
			 "--openmetrics '%s': cannot listen there (in use, or not an address of this machine)",
			 spec);
		free(h);
		return -EADDRNOTAVAIL;
	}
	*out = h;
	return 0;
}

void ustat_top_http__run(struct ustat_top_http *h)
{
	int i;

	/* Accept, read the request, write the answer: a scrape in one turn. */
	for (i = 0; h && i < 3; i++)
		mhd.run(h->daemon);
}

void ustat_top_http__stop(struct ustat_top_http *h)
{
	if (!h)
		return;
	mhd.stop_daemon(h->daemon);
	free(h);
}

#else /* !HAVE_UPROBE_STAT_OPENMETRICS */

int ustat_top_http__start(struct ustat_top_http **out, const char *spec __maybe_unused,
			  const struct ustat_agg *agg __maybe_unused,
			  void (*self)(void *ctx, struct ustat_om_self *s) __maybe_unused,
			  void *ctx __maybe_unused, char *err, size_t errlen)
{
	*out = NULL;
	snprintf(err, errlen,
		 "--openmetrics: not built with OpenMetrics support (needs libmicrohttpd)");
	return -EOPNOTSUPP;
}

void ustat_top_http__run(struct ustat_top_http *h __maybe_unused)
{
}

void ustat_top_http__stop(struct ustat_top_http *h __maybe_unused)
{
}

#endif
