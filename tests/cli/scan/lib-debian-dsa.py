#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Builds two bullseye root filesystems for the DSA matching test and prints
the CVEs a correct scanner must report for the first.

Reads Debian's real DSA list (../shared/data/vulndb/debian-security-tracker),
takes every source package with a fixed version for bullseye, picks a
deterministic sample, and writes var/lib/dpkg/status files whose binary
packages ("<src>-bin", Source: <src>) are installed
  below/: just below the newest bullseye fix ("<fix>~", which dpkg orders
          before "<fix>");
  at/:    exactly at it.
The expected findings for below/ are computed with the real dpkg
(`dpkg --compare-versions`), independently of drydock: every CVE of every
bullseye entry of that source whose fixed version is above the installed
one (an advisory that names no CVE counts under its own DSA id). For at/
nothing is expected.
usage: lib-debian-dsa.py DSA-list.gz OUTDIR SAMPLE
"""
import gzip, os, re, subprocess, sys

dsa, out, sample = sys.argv[1], sys.argv[2], int(sys.argv[3])
entries = {}  # src -> [(fixed, [ids])]
cves = []
for line in gzip.open(dsa, "rt", encoding="utf-8"):
    if line.startswith("["):
        # An advisory without CVE ids (old DSAs, regression updates) is
        # known by its own id.
        cves = [line.split()[3]]
    elif line.startswith("\t{"):
        cves = line.strip().strip("{}").split()
    else:
        m = re.match(r"\t\[bullseye\] - (\S+) (\S+)", line)
        if m and not m.group(2).startswith("<"):
            entries.setdefault(m.group(1), []).append((m.group(2), list(cves)))

def lt(a, b):
    return subprocess.run(["dpkg", "--compare-versions", a, "lt", b]).returncode == 0

srcs = sorted(entries)[:: max(1, len(entries) // sample)][:sample]
expected = set()
for which in ("below", "at"):
    root = os.path.join(out, which)
    os.makedirs(os.path.join(root, "etc"), exist_ok=True)
    os.makedirs(os.path.join(root, "var/lib/dpkg"), exist_ok=True)
    with open(os.path.join(root, "etc/os-release"), "w") as f:
        f.write('PRETTY_NAME="Debian GNU/Linux 11 (bullseye)"\nNAME="Debian GNU/Linux"\n'
                'VERSION_ID="11"\nVERSION="11 (bullseye)"\nVERSION_CODENAME=bullseye\nID=debian\n')
    with open(os.path.join(root, "var/lib/dpkg/status"), "w") as f:
        for src in srcs:
            newest = entries[src][0][0]
            for fixed, _ in entries[src][1:]:
                if lt(newest, fixed):
                    newest = fixed
            installed = newest + "~" if which == "below" else newest
            f.write(f"Package: {src}-bin\nStatus: install ok installed\nArchitecture: amd64\n"
                    f"Source: {src} ({installed})\nVersion: {installed}\n\n")
            if which == "below":
                for fixed, cs in entries[src]:
                    if lt(installed, fixed):
                        expected.update((src + "-bin", c) for c in cs)
for pkg, cve in sorted(expected):
    print(pkg, cve)
