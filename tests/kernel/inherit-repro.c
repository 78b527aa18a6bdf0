// SPDX-License-Identifier: GPL-2.0
/*
 * inherit-repro - the reproducer in the commit message of the series'
 * first patch: an inherited uprobe PMU event makes its task's fork() fail.
 *
 *	inherit-repro
 *
 * Opens a uprobe PMU event (on /bin/true, offset 0: the probe never
 * fires, it only has to exist) with attr.inherit on a child that then
 * execs a shell which forks. Prints the shell's output and exits 0 if the
 * fork worked, 1 if it did not (the kernel bug), 2 if the test could not
 * be set up.
 */
#include <linux/perf_event.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	struct perf_event_attr attr = { .size = sizeof(attr), .inherit = 1 };
	static char path[] = "/bin/true";
	int go[2], type, status;
	FILE *f;
	pid_t pid;

	f = fopen("/sys/bus/event_source/devices/uprobe/type", "r");
	if (!f || fscanf(f, "%d", &type) != 1 || pipe(go))
		return 2;
	attr.type = type;
	attr.uprobe_path = (unsigned long)path;
	pid = fork();
	if (pid == 0) {
		char c;

		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(2);
		/* After exec, &path means nothing in this task. */
		execl("/bin/sh", "sh", "-c", "/bin/true && echo fork works", (char *)NULL);
		_exit(2);
	}
	if (syscall(__NR_perf_event_open, &attr, pid, -1, -1, 0) < 0) {
		perror("perf_event_open");
		return 2;
	}
	if (write(go[1], "g", 1) != 1 || waitpid(pid, &status, 0) != pid)
		return 2;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
