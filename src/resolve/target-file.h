/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_TARGET_FILE_H
#define __USTAT_TARGET_FILE_H

#include <stddef.h>
#include <sys/types.h>

/*
 * The file a running process maps, named so that the kernel finds that
 * very inode.  A uprobe is keyed on an inode; the path the tool is given
 * is looked up in the tool's own mount namespace.  For 'record -p PID'
 * that is the wrong place whenever the target lives elsewhere (a
 * container), runs a binary since deleted, or runs one since replaced on
 * disk (an upgrade): the probe lands on another file and counts nothing.
 *
 * So for a target process, NAME is looked up among the files it maps (by
 * path, or by file name for a name without '/'), then through
 * /proc/PID/root when its mount namespace is not ours, and the file found
 * must be the one mapped (same device and inode).  /proc/PID/exe and
 * /proc/PID/map_files/... are taken as they are: they lead to the mapped
 * file even once it is deleted.
 */
int ustat_target_file__resolve(pid_t pid, const char *name, char *out, size_t len,
			       char *err, size_t errlen);

/*
 * The binary to probe in PID when none is named: its executable, through
 * /proc/PID/exe when the path it was started from no longer leads to it.
 */
int ustat_target_file__exe(pid_t pid, char *out, size_t len);

#endif /* __USTAT_TARGET_FILE_H */
