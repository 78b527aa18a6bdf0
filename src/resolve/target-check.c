// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "target-check.h"

#define PF_KTHREAD_FLAG	0x00200000	/* include/linux/sched.h: PF_KTHREAD */

/* Field 9 of /proc/PID/stat, after the comm that may hold spaces and ')'. */
static int pid_flags(pid_t pid, unsigned long *flags)
{
	char path[64], buf[1024], *p;
	ssize_t n;
	int fd, i;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	/* ") S ppid pgrp session tty_nr tpgid flags": flags is the 7th after ')'. */
	for (i = 0; p && i < 7; i++)
		p = strchr(p + 1, ' ');
	if (!p)
		return -EIO;
	*flags = strtoul(p + 1, NULL, 10);
	return 0;
}

int ustat_pid__check_target(pid_t pid, char *err, size_t errlen)
{
	unsigned long flags;

	if (pid == getpid()) {
		snprintf(err, errlen, "-p %d is this uprobe-stat itself", pid);
		return -EINVAL;
	}
	if (!pid_flags(pid, &flags) && (flags & PF_KTHREAD_FLAG)) {
		snprintf(err, errlen, "-p %d is a kernel thread: it runs no user code to probe",
			 pid);
		return -EINVAL;
	}
	return 0;
}

static const char *machine_name(int m)
{
	switch (m) {
	case EM_X86_64:
		return "x86-64";
	case EM_386:
		return "i386";
	case EM_AARCH64:
		return "AArch64";
	case EM_ARM:
		return "ARM";
	case EM_RISCV:
		return "RISC-V";
	case EM_PPC64:
		return "PowerPC64";
	case EM_S390:
		return "s390";
	default:
		return NULL;
	}
}

int ustat_elf__check_machine(struct Elf *elf, const char *path, char *err, size_t errlen)
{
	/* This machine, and the 32-bit code its kernel also runs (and probes). */
#if defined(__x86_64__)
	const int self = EM_X86_64, compat = EM_386;
#elif defined(__aarch64__)
	const int self = EM_AARCH64, compat = EM_ARM;
#else
	const int self = EM_NONE, compat = EM_NONE;
#endif
	const char *name;
	GElf_Ehdr eh;

	if (self == EM_NONE || !gelf_getehdr(elf, &eh))
		return 0;
	if (eh.e_machine == self || eh.e_machine == compat)
		return 0;
	name = machine_name(eh.e_machine);
	if (name)
		snprintf(err, errlen, "'%s' is %s %s binary: this machine runs %s code", path,
			 strchr("AEIOU", name[0]) ? "an" : "a", name, machine_name(self));
	else
		snprintf(err, errlen, "'%s' is for ELF machine %d: this machine runs %s code",
			 path, eh.e_machine, machine_name(self));
	return -ENOEXEC;
}
