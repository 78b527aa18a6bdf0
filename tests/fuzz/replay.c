// SPDX-License-Identifier: GPL-2.0
/*
 * Runs a fuzz target once over each file named on the command line, so
 * that 'make test' replays the corpus and every crasher ever found with
 * gcc and the sanitizers, no clang or libFuzzer needed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
	int i, n = 0;

	for (i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		uint8_t *buf;
		long size;

		if (!f) {
			perror(argv[i]);
			return 2;
		}
		fseek(f, 0, SEEK_END);
		size = ftell(f);
		rewind(f);
		buf = malloc(size ? size : 1);
		if (!buf || fread(buf, 1, size, f) != (size_t)size) {
			fclose(f);
			return 2;
		}
		fclose(f);
		LLVMFuzzerTestOneInput(buf, size);
		free(buf);
		n++;
	}
	printf("replayed %d inputs\n", n);
	return 0;
}
