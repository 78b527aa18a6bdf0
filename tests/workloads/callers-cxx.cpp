// SPDX-License-Identifier: GPL-2.0
/*
 * callers-cxx [N]: ns::Klass::method() called N times (200) from
 * ns::outer_one() and 2N times from ns::outer_two(), for demangled
 * callchain frames.
 */
#include <cstdlib>

volatile int sink;

namespace ns {
__attribute__((noinline, noipa)) void leaf(int v)
{
	sink += v;
	__asm__ volatile("" ::: "memory");
}

/* Not a leaf, so that it has a frame to be found by (callers.c). */
struct Klass {
	__attribute__((noinline, noipa)) void method(int v)
	{
		leaf(v);
		__asm__ volatile("" ::: "memory");
	}
};

__attribute__((noinline, noipa)) void outer_one(Klass &k, int n)
{
	for (int i = 0; i < n; i++)
		k.method(i);
	__asm__ volatile("" ::: "memory");
}

__attribute__((noinline, noipa)) void outer_two(Klass &k, int n)
{
	for (int i = 0; i < n; i++)
		k.method(i);
	__asm__ volatile("" ::: "memory");
}
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 200;
	ns::Klass k;

	ns::outer_one(k, n);
	ns::outer_two(k, 2 * n);
	return 0;
}
