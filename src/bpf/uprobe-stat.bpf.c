// SPDX-License-Identifier: GPL-2.0
/*
 * uprobe-stat -b: the counting done in the kernel.  One program, attached
 * as a uprobe or uretprobe to every site, the site told by its attach
 * cookie.  Hits are counted per site and CPU, entry times kept per thread
 * and function, latencies added to log-linear histograms per pair and
 * CPU, and, when asked, hits counted per process.  Nothing is written to
 * a ring buffer: user space reads the arrays through mmap() when it likes.
 */
#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

#include "uprobe-stat-bpf.h"
#include "hist-bucket.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* Set by the loader before load. */
const volatile __u32 nr_cpus = 1;
const volatile __u32 hit_stride = 8;	/* sites per CPU, padded to a cache line */
const volatile __u32 nr_pairs = 1;
const volatile __u32 per_proc = 0;

/*
 * An array the consumer maps (BPF_F_MMAPABLE) and reads without a syscall;
 * the loader sets its size.
 */
#define MMAPABLE_ARRAY(value_type)					\
	struct {							\
		__uint(type, BPF_MAP_TYPE_ARRAY);			\
		__uint(map_flags, BPF_F_MMAPABLE);			\
		__type(key, __u32);					\
		__type(value, value_type);				\
		__uint(max_entries, 1);					\
	}

/* [cpu * hit_stride + site]: a CPU's counts share no line with another's. */
MMAPABLE_ARRAY(__u64) hits SEC(".maps");

/* [cpu * nr_pairs + pair] */
MMAPABLE_ARRAY(struct ustat_bpf_hrec) lat SEC(".maps");

/* [cpu * USTAT_BPF_MISC_SLOTS + enum ustat_bpf_misc] */
MMAPABLE_ARRAY(__u64) misc SEC(".maps");

/* (tid << 32 | pair) -> the open entries' times; threads gone age out. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__type(key, __u64);
	__type(value, struct ustat_bpf_stack);
	__uint(max_entries, 16384);
} starts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, struct ustat_bpf_proc_key);
	__type(value, struct ustat_bpf_proc_val);
	__uint(max_entries, 16384);
} procs SEC(".maps");

/*
 * Preemption may run another task's hit on this CPU between a load and a
 * store (uprobe programs run with migration, not preemption, disabled):
 * adds are atomic, which costs nothing more when nobody contends.
 */
static __always_inline void misc_add(__u32 cpu, __u32 what)
{
	__u32 key = cpu * USTAT_BPF_MISC_SLOTS + what;
	__u64 *c = bpf_map_lookup_elem(&misc, &key);

	if (c)
		__sync_fetch_and_add(c, 1);
}

static __always_inline void count_proc(__u32 site, __u32 cpu)
{
	struct ustat_bpf_proc_key key = {
		.pid = bpf_get_current_pid_tgid() >> 32,
		.site = site,
	};
	struct ustat_bpf_proc_val one = { .hits = 1 }, *v = bpf_map_lookup_elem(&procs, &key);

	if (v) {
		__sync_fetch_and_add(&v->hits, 1);
		return;
	}
	bpf_get_current_comm(one.comm, sizeof(one.comm));
	if (!bpf_map_update_elem(&procs, &key, &one, BPF_NOEXIST))
		return;
	/* Another CPU inserted it first, or the table is full. */
	v = bpf_map_lookup_elem(&procs, &key);
	if (v)
		__sync_fetch_and_add(&v->hits, 1);
	else
		misc_add(cpu, USTAT_BPF_NO_PROC);
}

static __always_inline void lat_entry(__u32 pair, __u32 cpu)
{
	__u64 key = (bpf_get_current_pid_tgid() << 32) | pair;
	struct ustat_bpf_stack *st = bpf_map_lookup_elem(&starts, &key);
	__u64 d;

	if (!st) {
		struct ustat_bpf_stack zero = {};

		bpf_map_update_elem(&starts, &key, &zero, BPF_NOEXIST);
		st = bpf_map_lookup_elem(&starts, &key);
		if (!st) {
			misc_add(cpu, USTAT_BPF_NO_THREAD);
			return;
		}
	}
	d = st->depth;
	st->depth = d + 1;
	if (d >= USTAT_BPF_STACK) {
		misc_add(cpu, USTAT_BPF_TOO_DEEP);
		return;
	}
	/* Last: what the entry costs after this point is in the latency. */
	st->ts[d & (USTAT_BPF_STACK - 1)] = bpf_ktime_get_ns();
}

static __always_inline void lat_return(__u32 pair, __u32 cpu, __u64 now)
{
	__u64 key = (bpf_get_current_pid_tgid() << 32) | pair, d, v;
	struct ustat_bpf_stack *st = bpf_map_lookup_elem(&starts, &key);
	struct ustat_bpf_hrec *h;
	__u32 hkey;

	if (!st || !st->depth) {
		misc_add(cpu, USTAT_BPF_UNMATCHED);
		return;
	}
	d = --st->depth;
	if (d >= USTAT_BPF_STACK)
		return;		/* its entry was counted as too deep */
	v = now - st->ts[d & (USTAT_BPF_STACK - 1)];
	hkey = cpu * nr_pairs + pair;
	h = bpf_map_lookup_elem(&lat, &hkey);
	if (!h)
		return;
	hrec_add(h, v);
}

SEC("uprobe")
int ustat_hit(void *ctx)
{
	__u64 cookie = bpf_get_attach_cookie(ctx), now = 0, *c;
	__u32 site = cookie & 0xffff, pair = (cookie >> USTAT_BPF_PAIR_SHIFT) & 0xffff;
	__u32 cpu = bpf_get_smp_processor_id(), key;
	__u32 ret = !!(cookie & USTAT_BPF_RETURN);

	/* First: the return's own cost after this point stays out of the latency. */
	if (ret && pair)
		now = bpf_ktime_get_ns();
	if (cpu >= nr_cpus)
		return 0;
	key = cpu * hit_stride + site;
	c = bpf_map_lookup_elem(&hits, &key);
	if (c)
		__sync_fetch_and_add(c, 1);
	if (per_proc)
		count_proc(site, cpu);
	if (!pair)
		return 0;
	if (ret)
		lat_return(pair - 1, cpu, now);
	else
		lat_entry(pair - 1, cpu);
	return 0;
}
