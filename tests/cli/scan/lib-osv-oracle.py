#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""An independent OSV evaluation, to check `drydock scan` on language packages.

Reads an SBOM (`drydock sbom -f json`) and OSV records (files, directories,
.tar.gz), and prints the (package, vulnerability) pairs that the OSV schema's
evaluation rules (ossf.github.io/osv-schema, "Evaluation") imply, one per
line, sorted. Written from the spec, not from drydock's matcher; only the
version comparisons are delegated, in one batch, to `drydock vercmp`, which
the test suite checks against every upstream vector.

Rules: withdrawn records are ignored; only affected[] entries whose ecosystem
and exact package name match; events sorted by version, "0" lowest; a
version is affected by a range when the last event at or below it (for
last_affected: strictly below) is "introduced", unless a limit <= it; GIT
ranges ignored; explicit versions[] compared for equality. A range with a
version the scheme rejects is left out (never compared as text). Go records
whose every import is limited to other systems than linux are ignored. A
finding is named by the lowest CVE among the record's id and aliases.
usage: lib-osv-oracle.py DRYDOCK SBOM.json OSV_PATH...
"""
import functools, io, json, os, re, subprocess, sys, tarfile
import yaml  # python3-yaml; BaseLoader keeps every scalar a string ("1.10" stays "1.10")

drydock, sbom_path, paths = sys.argv[1], sys.argv[2], sys.argv[3:]

def records():
    for p in paths:
        if p.endswith(".tar.gz"):
            with tarfile.open(p) as t:
                for m in t:
                    if m.isfile() and m.name.endswith(".json"):
                        yield json.load(t.extractfile(m))
                    elif m.isfile() and m.name.endswith((".yaml", ".yml")):
                        yield yaml.load(t.extractfile(m), Loader=yaml.BaseLoader)
        elif os.path.isdir(p):
            for n in sorted(os.listdir(p)):
                if n.endswith(".json"):
                    yield json.load(open(os.path.join(p, n)))

ECO = {"npm": "npm", "golang": "Go", "pypi": "PyPI"}
SCHEME = {"npm": "npm", "Go": "go", "PyPI": "pep440"}

def norm(eco, name):
    # PyPI names compare in their PEP 503 normal form; npm and Go exactly.
    return re.sub(r"[-_.]+", "-", name).lower() if eco == "PyPI" else name
sbom = json.load(open(sbom_path))
installed = {}  # (eco, name) -> [versions]
for p in sbom["packages"]:
    eco = ECO.get(p["type"])
    if not eco:
        continue
    purl = p["purl"]  # pkg:npm/%40scope/name@v or pkg:golang/path/mod@v
    name = p["name"]
    if p["type"] == "npm" and purl.startswith("pkg:npm/%40"):
        name = "@" + purl[len("pkg:npm/%40"):].split("@")[0]
    version = p["version"]
    if eco == "Go":
        version = version[1:] if version.startswith("v") else version
        version = version[2:] if version.startswith("go") else version
    if p.get("owner") and eco != "Go":
        continue  # an OS package owns it: the distribution's feed decides
    installed.setdefault((eco, norm(eco, name)), []).append((name, version))

def other_os_only(aff):
    imports = (aff.get("ecosystem_specific") or {}).get("imports") or []
    if not imports or any(not i.get("goos") for i in imports):
        return False
    return not any("linux" in i["goos"] for i in imports)

# Collect the comparisons, run them in one batch, then evaluate.
pairs, work = set(), []
for rec in records():
    if rec.get("withdrawn"):
        continue
    ids = [rec["id"]] + list(rec.get("aliases") or [])
    cves = sorted(i for i in ids if i.startswith("CVE-"))
    canon = cves[0] if cves else rec["id"]
    for aff in rec.get("affected") or []:
        pkg = aff.get("package") or {}
        key = (pkg.get("ecosystem"), norm(pkg.get("ecosystem"), pkg.get("name") or ""))
        if key not in installed or (key[0] == "Go" and other_os_only(aff)):
            continue
        for pname, v in installed[key]:
            scheme_eco = SCHEME[key[0]]
            for r in aff.get("ranges") or []:
                if r["type"] == "GIT":
                    continue
                scheme = "semver" if r["type"] == "SEMVER" else scheme_eco
                evs = [(k, x) for e in r["events"] for k, x in e.items()]
                for _, x in evs:
                    if x != "0":
                        pairs.add((scheme, v, x))
                work.append((pname, v, canon, scheme, evs, None))
            for x in aff.get("versions") or []:
                pairs.add((scheme_eco, v, x))
                work.append((pname, v, canon, scheme_eco, None, x))

cmp = {}
by_scheme = {}
for s, a, b in sorted(pairs):
    by_scheme.setdefault(s, []).append((a, b))
for s, lst in by_scheme.items():
    out = subprocess.run([drydock, "vercmp", s, "-"], input="".join(f"{a}\t{b}\n" for a, b in lst),
                         capture_output=True, text=True).stdout.splitlines()
    for (a, b), r in zip(lst, out):
        cmp[(s, a, b)] = int(r) if r in ("-1", "0", "1") else None

def c(s, a, b):
    return cmp.get((s, a, b))

found = set()
for name, v, canon, scheme, evs, exact in work:
    if exact is not None:
        if c(scheme, v, exact) == 0:
            found.add((name, canon))
        continue
    if any(x != "0" and c(scheme, v, x) is None for _, x in evs):
        continue  # a version the scheme rejects: the range is left out
    def order(e1, e2):
        if e1[1] == e2[1]:
            return 0
        if e1[1] == "0":
            return -1
        if e2[1] == "0":
            return 1
        r = subprocess.run([drydock, "vercmp", scheme, e1[1], e2[1]], capture_output=True, text=True)
        return int(r.stdout.strip() or 0)
    affected = False
    for k, x in sorted(evs, key=functools.cmp_to_key(order)):
        rel = 1 if x == "0" else c(scheme, v, x)  # sign of v - x
        if k == "introduced" and rel >= 0:
            affected = True
        elif k == "fixed" and rel >= 0:
            affected = False
        elif k == "last_affected" and rel > 0:
            affected = False
    if any(k == "limit" and c(scheme, v, x) >= 0 for k, x in evs):
        affected = False
    if affected:
        found.add((name, canon))
for name, canon in sorted(found):
    print(name, canon)
