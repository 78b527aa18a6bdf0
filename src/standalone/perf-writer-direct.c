// SPDX-License-Identifier: GPL-2.0
/*
 * record's data section written with O_DIRECT, past the page cache.
 *
 * A buffered write(2) copies every sample into page-cache pages the
 * recorder then dirties and fsync()s: on this VM that copy was half of
 * record's CPU (copy_folio_from_iter_atomic), and the 48 MB a million
 * samples take push other processes' pages out of memory.  A direct write
 * hands the writer's own buffer to the block layer, so the bytes are
 * copied once, into that buffer, and bystanders keep their cache.
 *
 * O_DIRECT wants the buffer, the file offset and the length aligned.  The
 * buffer is allocated aligned (perf-writer.c); the stream is made to start
 * on a block by reading back the partial block the header and attrs left
 * before it, so every direct write covers whole blocks that hold the
 * file's own bytes.  The last partial block stays in the buffer until
 * ustat_writer__direct_end(), after which the writer is buffered again
 * for the tail, the features and the final header.
 *
 * A file system that refuses O_DIRECT (at open or at the first write,
 * whatever the error) leaves the writer buffered, as before: the same
 * bytes, in the same places.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "util/uprobe-stat/util/debug.h"
#include "perf-writer.h"
#include "perf-writer-int.h"

int ustat_writer__direct_begin(struct ustat_writer *w)
{
	size_t head;
	char path[64];
	int fd;

	if (w->out.pipe || w->error || w->dfd >= 0 || (uintptr_t)w->buf % USTAT_DIO_ALIGN)
		return 0;
	if (ustat_writer__flush(w))
		return w->error;
	/* The file as it is open now, whatever name it has at this moment. */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", w->out.fd);
	fd = open(path, O_WRONLY | O_DIRECT | O_CLOEXEC);
	if (fd < 0)
		return 0;
	head = w->file_pos % USTAT_DIO_ALIGN;
	if (pread(w->out.fd, w->buf, head, w->file_pos - head) != (ssize_t)head) {
		close(fd);
		return 0;
	}
	w->file_pos -= head;
	w->buf_used = head;
	w->dfd = fd;
	return 0;
}

/* The whole blocks of the buffer, past the cache; the rest moves to its start. */
int ustat_writer__direct_flush(struct ustat_writer *w)
{
	size_t n = w->buf_used & ~(size_t)(USTAT_DIO_ALIGN - 1);
	int ret;

	if (!n)
		return 0;
	ret = ustat_writer__write_all(w->dfd, w->buf, n, (off_t)w->file_pos);
	if (ret && !w->direct_written) {
		/*
		 * Opened, but its first write refused (EINVAL where the
		 * file system wants other alignments, EOPNOTSUPP, ...):
		 * buffered from here on.  A real error (a full disk) comes
		 * back from the buffered write and sticks there.
		 */
		ustat_debug("output: buffered: the file system refused an O_DIRECT write (%s)",
			    strerror(-ret));
		close(w->dfd);
		w->dfd = -1;
		return ustat_writer__flush(w);
	}
	if (ret) {
		w->error = ret;
		return ret;
	}
	w->direct_written = true;
	w->file_pos += n;
	w->buf_used -= n;
	memmove(w->buf, w->buf + n, w->buf_used);
	return 0;
}

int ustat_writer__direct_end(struct ustat_writer *w)
{
	if (w->dfd >= 0 && !w->error)
		ustat_writer__direct_flush(w);	/* may fall back, closing it */
	if (w->dfd >= 0)
		close(w->dfd);
	w->dfd = -1;
	return w->error;
}
