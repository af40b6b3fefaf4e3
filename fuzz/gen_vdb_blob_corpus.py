#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Writes the seed corpus of fuzz/fuzz_vdb_blob.c (fuzz/corpus/vdb_blob/):
match_index and advisory_view blobs in the encoding of src/vulndb/vdb_index.c
(docs/internals/vulndb.md, "Blob encoding"), valid ones and broken ones.
The first byte of each file picks the reader (0 entries, 1 view, 2 filter). Every
value is made up here. Run it from the repository root after changing the
encoding; the output is committed.
"""
import os
import struct

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "vdb_blob")


def uv(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def s(x):
    if x is None:
        return uv(0)
    b = x.encode()
    return uv(len(b) + 1) + b + b"\0"


def f64(d):
    return struct.pack("<d", d)


def entry(status, flags, adv, src, pkg, purl=None, fixed=None, sev=None, eco=None, dbs=None,
          ranges=None, versions=None):
    b = bytes([status, flags]) + b"".join(s(x) for x in (adv, src, pkg, purl, fixed, sev, eco, dbs))
    if not flags & 2:
        ranges = ranges or []
        b += uv(len(ranges))
        for typ, repo, events in ranges:
            b += s(typ) + s(repo) + uv(len(events))
            for kind, ver in events:
                b += bytes([kind]) + s(ver)
        versions = versions or []
        b += uv(len(versions)) + b"".join(s(v) for v in versions)
    return b


def entries(*es, count=None):
    body = b"".join(uv(len(e)) + e for e in es)
    return b"\0" + bytes([1]) + uv(len(es) if count is None else count) + body


def view(aliases=(), sevs=(), cwes=(), refs=(), kev=0, kev_strs=(None, None, None), epss=-1.0,
         pct=-1.0, date=None):
    b = b"\1" + bytes([1]) + uv(len(aliases)) + b"".join(s(a) for a in aliases)
    b += uv(len(sevs))
    for src, typ, ver, vec, score, rating, adv in sevs:
        b += s(src) + s(typ) + s(ver) + s(vec) + f64(score) + s(rating) + s(adv)
    b += uv(len(cwes)) + b"".join(s(c) for c in cwes)
    b += uv(len(refs)) + b"".join(s(t) + s(u) for t, u in refs)
    b += bytes([kev]) + b"".join(s(x) for x in kev_strs)
    return b + f64(epss) + f64(pct) + s(date)


def write(name, data):
    os.makedirs(ROOT, exist_ok=True)
    with open(os.path.join(ROOT, name), "wb") as f:
        f.write(data)


distro = entry(1, 2, "CVE-2019-14697", "alpine-secdb", "musl", fixed="1.1.22-r3")
unfixed = entry(2, 2, "CVE-2020-0001", "debian-dsa", "openssl", sev="high")
osv = entry(0, 0, "GHSA-aaaa-bbbb-cccc", "osv", "left-pad", purl="pkg:npm/left-pad",
            fixed="1.3.0", eco='{"imports":[{"path":"x","goos":["windows"]}]}',
            ranges=[("SEMVER", None, [(0, "0"), (1, "1.3.0")]),
                    ("GIT", "https://example.invalid/r", [(0, "abc"), (3, "def")])],
            versions=["1.0.0", "1.1.0"])
withdrawn = entry(0, 1, "OSV-2", "osv", "p", ranges=[("ECOSYSTEM", None, [(0, "0"), (2, "2")])])

write("entries-distro", entries(distro, unfixed))
write("entries-osv", entries(osv, withdrawn))
write("entries-empty", entries())
write("entries-count-too-big", entries(distro, count=1 << 40))
write("entries-truncated", entries(osv)[:-7])
write("entries-bad-status", entries(entry(9, 0, "X", "osv", "p")))
write("entries-bad-flags", entries(entry(0, 4, "X", "osv", "p")))
write("entries-no-nul", entries(distro).replace(b"musl\0", b"muslX"))
write("entries-huge-ranges", entries(entry(0, 0, "X", "osv", "p")[:-2] + uv(1 << 30) + b"\0"))
write("entries-bad-kind", entries(entry(0, 0, "X", "osv", "p", ranges=[("SEMVER", None, [(7, "1")])])))
write("entries-trailing", entries(distro) + b"junk")
write("entries-wrong-format", b"\0\2\1")
write("view-full", view(aliases=["CVE-2021-0001", "GHSA-xxxx-yyyy-zzzz"],
                        sevs=[("nvd", "CVSS_V3", "3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
                               9.8, "CRITICAL", "CVE-2021-0001"),
                              ("osv", "vendor", None, None, -1.0, "moderate", "GHSA-xxxx-yyyy-zzzz")],
                        cwes=["CWE-79"], refs=[("ADVISORY", "https://example.invalid/a"), (None, "u")],
                        kev=3, kev_strs=("CVE-2021-0001", "2021-11-03", "2021-11-17"),
                        epss=0.97, pct=0.999, date="2026-01-01"))
write("view-empty", view())
write("view-truncated", view(aliases=["CVE-1"])[:-3])
write("view-count-too-big", b"\1\1" + uv(1 << 33))
write("view-bad-kev-flags", view(kev=8))
write("view-nan-score", view(sevs=[("nvd", "CVSS_V2", "2.0", "AV:N", float("nan"), None, None)]))
write("filter-empty", b"\2\1\4" + bytes(128))
write("filter-some-bits", b"\2\1\4" + bytes(range(256)) + struct.pack("<QQ", 1 << 63, 12345))
write("filter-bad-size", b"\2\1\4" + bytes(100))
write("filter-bad-probes", b"\2\1\0" + bytes(128))
write("filter-bad-format", b"\2\7\4" + bytes(128))
