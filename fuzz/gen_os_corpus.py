#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Writes the seed corpora of the OS package database fuzz targets
(fuzz/corpus/{dpkg_status,apk_installed,os_release,rpm_header,rpm_bdb,rpm_ndb}/).

Every input is made up here, from the format descriptions cited in
src/catalog/*.c; nothing is copied from real databases. Run it from the
repository root after changing a format reader; the output is committed.
"""
import os
import struct

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")


def write(target, name, data):
    d = os.path.join(ROOT, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


# ---- dpkg status ---------------------------------------------------------
write("dpkg_status", "two-packages", """Package: libfoo1
Status: install ok installed
Architecture: amd64
Source: foo (1.2-3)
Version: 1.2-3+b1
Description: a library
 with a long description
 .
 and paragraphs

Package: bar
Status: deinstall ok config-files
Version: 2.0
Architecture: all
""")
write("dpkg_status", "states", "".join(
    "Package: p%d\nStatus: install ok %s\nVersion: 1.%d\n\n" % (i, s, i)
    for i, s in enumerate(["installed", "half-installed", "unpacked", "half-configured",
                           "triggers-awaited", "triggers-pending", "not-installed",
                           "config-files", "bogus"])))
write("dpkg_status", "malformed", "Package:\n\n no field\nPackage: x\nVersion 1\n\n"
      "Package: y\nStatus: install ok installed\n\nPackage: z z\nVersion: 1\n"
      "Status: install ok installed\nSource: q (1\n")
write("dpkg_status", "crlf-nul", "Package: a\r\nVersion: 1\r\nStatus: install ok installed\r\n"
      "\r\nPackage: b\x00c\nVersion: 1\nStatus: install ok installed\n")
write("dpkg_status", "status-d-no-status", "Package: libsqlite\nVersion: 3.0-1\n"
      "Architecture: arm64\nSource: sqlite3\n")

# ---- apk installed -------------------------------------------------------
write("apk_installed", "two-packages", """C:Q1abc=
P:musl
V:1.1.22-r3
A:x86_64
L:MIT
o:musl
F:lib
R:libc.musl-x86_64.so.1
R:ld-musl-x86_64.so.1
F:usr/bin
R:ldd

P:libssl1.1
V:1.1.1d-r2
A:x86_64
L:OpenSSL
o:openssl
F:usr/lib
R:libssl.so.1.1
""")
write("apk_installed", "malformed", "this is not a db\n\nP:noversion\n\nV:1\n\nP:x\nV:1\n"
      "R:file-before-dir\nF:../../etc\nR:passwd\nF:" + "d" * 300 + "\nR:a\nR:b\n")

# ---- os-release ----------------------------------------------------------
write("os_release", "debian", 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\n'
      'VERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\n')
write("os_release", "quoting", "# comment\nID='ubu'ntu\nVERSION_ID=\"22.04\\\"x\\$\"\n"
      "PRETTY_NAME=Ubuntu\\ 22.04\nbad line\nID_LIKE=\"unterminated\n=novalue\n")

# ---- rpm header blobs ----------------------------------------------------
STRING, BIN, INT32, STRING_ARRAY = 6, 7, 4, 8


def header(tags, region=True):
    """tags: list of (tag, type, value). Returns an rpmdb header blob."""
    data = b""
    index = []
    for tag, typ, val in tags:
        if typ == INT32:
            while len(data) % 4:
                data += b"\0"
            raw, count = b"".join(struct.pack(">I", v) for v in val), len(val)
        elif typ == STRING:
            raw, count = val.encode() + b"\0", 1
        elif typ == STRING_ARRAY:
            raw, count = b"".join(v.encode() + b"\0" for v in val), len(val)
        else:
            raw, count = val, len(val)
        index.append((tag, typ, len(data), count))
        data += raw
    if region:
        il = len(index) + 1
        trailer = struct.pack(">iiii", 63, BIN, -il * 16, 16)
        index.insert(0, (63, BIN, len(data), 16))
        data += trailer
    out = struct.pack(">II", len(index), len(data))
    for e in index:
        out += struct.pack(">IIII", *e)
    return out + data


def pkg(name, version, release, arch="x86_64", epoch=None, files=True):
    t = [(1000, STRING, name), (1001, STRING, version), (1002, STRING, release),
         (1014, STRING, "MIT"), (1022, STRING, arch),
         (1044, STRING, "%s-%s-%s.src.rpm" % (name, version, release))]
    if epoch is not None:
        t.append((1003, INT32, [epoch]))
    if files:
        t += [(1116, INT32, [0, 0, 1]), (1117, STRING_ARRAY, ["a", "b", name]),
              (1118, STRING_ARRAY, ["/usr/lib/", "/usr/bin/"])]
    return header(t)


H1 = pkg("bash", "5.1", "2.el9", epoch=1)
H2 = pkg("glibc", "2.34", "60.el9")
write("rpm_header", "bash-epoch", H1)
write("rpm_header", "no-region", header([(1000, STRING, "x"), (1001, STRING, "1"),
                                         (1002, STRING, "1")], region=False))
write("rpm_header", "modularity", header([(1000, STRING, "nginx"), (1001, STRING, "1.20"),
                                          (1002, STRING, "1.module+el8"),
                                          (5096, STRING, "nginx:1.20:8060020220:ad008a3a")]))
bad = bytearray(H2)
struct.pack_into(">I", bad, 8 + 16 * 3 + 8, 0xFFFFFF00)  # an offset far past the data
write("rpm_header", "bad-offset", bytes(bad))
write("rpm_header", "bad-dirindex", header([(1000, STRING, "x"), (1001, STRING, "1"),
                                            (1002, STRING, "1"), (1116, INT32, [5]),
                                            (1117, STRING_ARRAY, ["f"]),
                                            (1118, STRING_ARRAY, ["/"])]))


# ---- Berkeley DB hash file (page size 512) --------------------------------
PS = 512


def page_header(pgno, prev, nxt, entries, hf, typ, bo="<"):
    return struct.pack(bo + "QIIIHHBB", 0, pgno, prev, nxt, entries, hf, 0, typ)


def bdb(values, bo="<"):
    """values: header blobs; small ones inline, big ones in overflow chains.
    bo: the writer's byte order ("<" little-endian, ">" big-endian)."""
    pages = [None]  # page 0 = meta, filled last
    items = []
    for i, v in enumerate(values, 1):
        key = b"\x01" + struct.pack(bo + "I", i)
        if len(v) + 1 <= 200:
            items.append((key, b"\x01" + v))
            continue
        first = len(pages)
        chunks = [v[k:k + PS - 26] for k in range(0, len(v), PS - 26)]
        for c, chunk in enumerate(chunks):
            pg = len(pages)
            nxt = pg + 1 if c + 1 < len(chunks) else 0
            body = page_header(pg, 0, nxt, 1, len(chunk), 7, bo) + chunk
            pages.append(body.ljust(PS, b"\0"))
        items.append((key, b"\x03\0\0\0" + struct.pack(bo + "II", first, len(v))))
    items.insert(0, (b"\x01" + struct.pack(bo + "I", 0), b"\x01" + struct.pack(bo + "I", len(values))))
    hp = len(pages)
    inp, blob, off = [], b"", PS
    for k, v in items:
        for it in (k, v):
            off -= len(it)
            inp.append(off)
            blob = it + blob
    page = page_header(hp, 0, 0, len(inp), off, 13, bo) + b"".join(struct.pack(bo + "H", o) for o in inp)
    page = page.ljust(off, b"\0") + blob
    pages.append(page)
    meta = struct.pack(bo + "QIIIIBBBB", 0, 0, 0x061561, 9, PS, 0, 8, 0, 0)
    meta += struct.pack(bo + "II", 0, len(pages) - 1)
    pages[0] = meta.ljust(PS, b"\0")
    return b"".join(pages)


write("rpm_bdb", "two", bdb([H1, pkg("tiny", "1", "1", files=False)[:0] or
                             header([(1000, STRING, "t"), (1001, STRING, "1"), (1002, STRING, "1")])]))
write("rpm_bdb", "overflow-two", bdb([H1, H2]))
write("rpm_bdb", "big-endian", bdb([H1, H2], ">"))
loop = bytearray(bdb([H1]))
struct.pack_into("<I", loop, PS * 1 + 16, 1)  # overflow page points at itself
write("rpm_bdb", "overflow-loop", bytes(loop))


# ---- ndb Packages.db ------------------------------------------------------
def ndb(blobs):
    slots = b""
    data = b""
    blk = 4096 // 16
    for i, h in enumerate(blobs, 1):
        body = b"BlbS" + struct.pack("<III", i, 1, len(h)) + h
        body += struct.pack("<II", 0, len(h)) + b"BlbE"
        while len(body) % 16:
            body += b"\0"
        slots += b"Slot" + struct.pack("<III", i, blk, len(body) // 16)
        data += body
        blk += len(body) // 16
    head = b"RpmP" + struct.pack("<IIII", 0, 1, 1, len(blobs) + 1) + b"\0" * 12
    page = (head + slots).ljust(4096, b"\0")
    return page + data


write("rpm_ndb", "two", ndb([H1, H2]))
ov = bytearray(ndb([H1, H2]))
struct.pack_into("<I", ov, 32 + 16 + 8, 4096 // 16)  # slot 2 points at blob 1
write("rpm_ndb", "overlap", bytes(ov))
write("rpm_ndb", "truncated", ndb([H1])[:4200])
dup = bytearray(ndb([H1, H2]))
dup[32 + 16:32 + 32] = dup[32:48]  # slot 2 = slot 1 (same pkgidx, same blob)
write("rpm_ndb", "dup-slot", bytes(dup))
