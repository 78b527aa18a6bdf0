// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: bench --compare's reading of bench --json files (the
 * JSON reader, then the results, repeats and pairing), with the input as
 * both A and B, and both of its printers.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench-compare.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bench_cmp c;
	char err[512];
	char *text = malloc(size + 1);
	FILE *out;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (!bench_cmp__load_texts(&c, "a", text, "b", text, err, sizeof(err))) {
		out = fopen("/dev/null", "w");
		if (out) {
			bench_cmp__print_table(&c, out);
			bench_cmp__print_json(&c, out);
			fclose(out);
		}
	}
	bench_cmp__exit(&c);
	free(text);
	return 0;
}
