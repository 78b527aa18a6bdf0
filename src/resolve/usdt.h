/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_USDT_H
#define __USTAT_USDT_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

/*
 * USDT probes (<sys/sdt.h>, SystemTap's format): each STAP_PROBE() site is
 * a nop described by an ELF note in .note.stapsdt, type 3, owner
 * "stapsdt", whose descriptor holds three addresses -- the nop, the
 * link-time address of the .stapsdt.base section, the probe's semaphore
 * (0: none) -- then the provider, the name and the argument format as
 * NUL-terminated strings.
 *
 * When prelink moved the file after linking, the notes still hold the
 * old addresses; the difference between .stapsdt.base's real address and
 * the one in the note corrects both the nop's and the semaphore's.
 *
 * A semaphore is a 16-bit counter (in the .probes section) that guarded
 * probe sites test, so that the cost of their arguments is paid only when
 * someone listens.  The kernel raises it in every process that maps the
 * file while a uprobe with that ref_ctr_offset exists; like the probe
 * itself, the uprobe PMU wants it as a file offset.
 */
struct ustat_usdt {
	char	*provider;
	char	*name;
	char	*args;			/* e.g. "-4@%edx 8@%rax" */
	u64	 pc;			/* link-time address of the nop, corrected */
	u64	 semaphore;		/* link-time address, corrected; 0: none */
	u64	 pc_offset;		/* file offset of the nop */
	u64	 sem_offset;		/* file offset of the semaphore; 0: none */
};

/*
 * Read every USDT probe of the ELF file PATH (none: *NR = 0).  -errno,
 * with ERR naming the problem, when PATH cannot be read or a note is
 * malformed.
 */
int ustat_usdt__read(const char *path, struct ustat_usdt **probes, int *nr,
		     char *err, size_t errlen);
void ustat_usdt__free(struct ustat_usdt *probes, int nr);

#endif /* __USTAT_USDT_H */
