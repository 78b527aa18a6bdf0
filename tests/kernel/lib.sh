# SPDX-License-Identifier: GPL-2.0
#
# lib.sh - helpers for the tests that run hitloop in a qemu guest. Sourced.

# sym_file_offset BINARY SYMBOL: the file offset of SYMBOL, which is what
# uprobe_events wants: its address minus the address of the PT_LOAD
# segment holding it plus that segment's file offset.
sym_file_offset()
{
	local bin=$1 sym=$2 addr type off va pa fsz msz rest

	addr=$(nm "$bin" | awk -v s="$sym" '$3 == s { print $1 }')
	[ -n "$addr" ] || return 1
	addr=$((16#$addr))
	while read -r type off va pa fsz msz rest; do
		if [ "$addr" -ge $((va)) ] && [ "$addr" -lt $((va + msz)) ]; then
			printf '0x%x\n' $((addr - va + off))
			return 0
		fi
	done < <(readelf -lW "$bin" | awk '$1 == "LOAD"')
	return 1
}
