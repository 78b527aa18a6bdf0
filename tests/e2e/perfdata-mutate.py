#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Make damaged or unusual perf.data files from a good one, for bad-input tests.

    perfdata-mutate.py IN OUT MUTATION [ARG]

MUTATION: truncate N | swap-magic | attr-size N | data-size N | attrs-size N
          | add-feature BIT | garbage-data | zero-record
"""
import struct
import sys

src, dst, what = sys.argv[1], sys.argv[2], sys.argv[3]
arg = sys.argv[4] if len(sys.argv) > 4 else None
d = bytearray(open(src, 'rb').read())
HDR = '<8sQQQQQQQQ4Q'   # magic size attr_size attrs(off,size) data(off,size) event_types(off,size) feats
magic, size, attr_size, ao, asz, do, dsz, eo, esz, *feats = struct.unpack_from(HDR, d, 0)


def put_hdr():
    struct.pack_into(HDR, d, 0, magic, size, attr_size, ao, asz, do, dsz, eo, esz, *feats)


if what == 'truncate':
    d = d[:int(arg)]
elif what == 'swap-magic':
    d[0:8] = d[0:8][::-1]
elif what == 'attr-size':
    attr_size = int(arg, 0)
    put_hdr()
elif what == 'data-size':
    dsz = int(arg, 0)
    put_hdr()
elif what == 'attrs-size':
    asz = int(arg, 0)
    put_hdr()
elif what == 'garbage-data':
    # the data section overwritten with bytes that look like nothing
    for i in range(do, do + dsz):
        d[i] = (i * 131 + 7) & 0xff
elif what == 'zero-record':
    struct.pack_into('<IHH', d, do, 9, 0, 0)   # a record of size 0
elif what == 'add-feature':
    # a feature bit perf has not defined (yet), with a proper section
    bit = int(arg)
    table = do + dsz
    nr = sum(bin(f).count('1') for f in feats)
    secs = [struct.unpack_from('<QQ', d, table + 16 * i) for i in range(nr)]
    bits = [b for b in range(256) if feats[b // 64] >> (b % 64) & 1]
    payload = b'a future feature\0'
    # what follows the table moves 16 bytes on when the table grows
    secs = [(o + 16 if o > table else o, s) for o, s in secs]
    secs.append((len(d) + 16, len(payload)))    # the new one, at the end
    bits.append(bit)
    order = sorted(range(len(bits)), key=lambda i: bits[i])
    secs = [secs[i] for i in order]
    # grow the table by one entry; everything after it moves 16 bytes on
    d[table:table] = b'\0' * 16
    for i, (o, s) in enumerate(secs):
        struct.pack_into('<QQ', d, table + 16 * i, o, s)
    if ao > table:
        ao += 16
    feats[bit // 64] |= 1 << (bit % 64)
    put_hdr()
    d += payload
    # attrs point at id arrays; ours come before the data, so they stay put
else:
    sys.exit('unknown mutation ' + what)
open(dst, 'wb').write(d)
