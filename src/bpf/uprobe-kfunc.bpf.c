// SPDX-License-Identifier: GPL-2.0
/*
 * The uprobe questions of stock kernels (no uprobes_core tracepoints),
 * answered from the kernel's own functions with fentry/fexit: how long
 * find_active_uprobe_rcu() takes, split by whether it fell back to
 * mmap_read_lock() (the mmap_lock_start_locking tracepoint fires inside
 * it), and xol slots taken and freed.  The loader (bpf-kfunc.c) picks the
 * functions this kernel has and loads only those programs.
 */
#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#include "kfunc-bpf.h"
#include "hist-bucket.bpf.h"

char LICENSE[] SEC("license") = "GPL";

const volatile __u32 nr_cpus = 1;
/* Count only the processes in tgids (-p, -- CMD and their children). */
const volatile __u32 filter = 0;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, struct ustat_kfunc_cpu);
	__uint(max_entries, 1);		/* the loader sets nr_cpus */
} kcpu SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, struct ustat_kfunc_open);
	__uint(max_entries, 16384);
} open SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, __u8);
	__uint(max_entries, 16384);
} tgids SEC(".maps");

/* Only the field read, relocated by libbpf against the kernel's BTF. */
struct task_struct {
	int	tgid;
} __attribute__((preserve_access_index));

static __always_inline struct ustat_kfunc_cpu *this_cpu(void)
{
	__u32 cpu = bpf_get_smp_processor_id();

	if (cpu >= nr_cpus)
		return NULL;
	return bpf_map_lookup_elem(&kcpu, &cpu);
}

static __always_inline void count(enum ustat_kfunc_counter what)
{
	struct ustat_kfunc_cpu *k = this_cpu();

	if (k)
		__sync_fetch_and_add(&k->c[what], 1);
}

static __always_inline int wanted(void)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;

	return !filter || bpf_map_lookup_elem(&tgids, &tgid);
}

SEC("fentry/find_active_uprobe_rcu")
int ustat_lookup_enter(__u64 *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct ustat_kfunc_open o = {};

	if (!wanted())
		return 0;
	o.start = bpf_ktime_get_ns();
	if (bpf_map_update_elem(&open, &tid, &o, BPF_ANY))
		count(USTAT_KFUNC_NO_THREAD);
	return 0;
}

SEC("fexit/find_active_uprobe_rcu")
int ustat_lookup_exit(__u64 *ctx)
{
	__u64 now = bpf_ktime_get_ns(), ret = 0;
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct ustat_kfunc_open *o = bpf_map_lookup_elem(&open, &tid);
	struct ustat_kfunc_cpu *k;
	__u64 fallback, v;

	if (!o)
		return 0;
	v = now - o->start;
	fallback = o->fallback;
	bpf_map_delete_elem(&open, &tid);
	k = this_cpu();
	if (!k)
		return 0;
	bpf_get_func_ret(ctx, &ret);
	__sync_fetch_and_add(&k->c[USTAT_KFUNC_LOOKUPS], 1);
	if (!ret)
		__sync_fetch_and_add(&k->c[USTAT_KFUNC_NOT_FOUND], 1);
	if (fallback) {
		__sync_fetch_and_add(&k->c[USTAT_KFUNC_FALLBACK], 1);
		hrec_add(&k->lat_fallback, v);
	} else {
		__sync_fetch_and_add(&k->c[USTAT_KFUNC_SPEC], 1);
		hrec_add(&k->lat_spec, v);
	}
	return 0;
}

/* (struct mm_struct *mm, bool write): a read lock inside a lookup is its fallback. */
SEC("tp_btf/mmap_lock_start_locking")
int ustat_lookup_locks(__u64 *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct ustat_kfunc_open *o;

	if ((__u8)ctx[1])
		return 0;
	o = bpf_map_lookup_elem(&open, &tid);
	if (o)
		o->fallback = 1;
	return 0;
}

/* Kernels where xol_get_insn_slot() is a function of its own: true/xol_vaddr on success. */
SEC("fexit/xol_get_insn_slot")
int ustat_xol_get(__u64 *ctx)
{
	__u64 ret = 0;

	bpf_get_func_ret(ctx, &ret);
	if (ret && wanted())
		count(USTAT_KFUNC_XOL_ALLOC);
	return 0;
}

/*
 * Where it is inlined: it copies the instruction into the slot it took;
 * the other caller, making the area, copies to offset 0.
 */
SEC("fentry/arch_uprobe_copy_ixol")
int ustat_xol_copy(__u64 *ctx)
{
	if (ctx[1] && wanted())
		count(USTAT_KFUNC_XOL_ALLOC);
	return 0;
}

SEC("fentry/xol_free_insn_slot")
int ustat_xol_free(__u64 *ctx)
{
	if (wanted())
		count(USTAT_KFUNC_XOL_FREE);
	return 0;
}

/* (parent, child): the target's children are the target too. */
SEC("tp_btf/sched_process_fork")
int ustat_fork(__u64 *ctx)
{
	struct task_struct *child = (void *)ctx[1];
	__u32 tgid = bpf_get_current_pid_tgid() >> 32, ctgid;
	__u8 one = 1;

	if (!bpf_map_lookup_elem(&tgids, &tgid))
		return 0;
	ctgid = BPF_CORE_READ(child, tgid);
	bpf_map_update_elem(&tgids, &ctgid, &one, BPF_ANY);
	return 0;
}
