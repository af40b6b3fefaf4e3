#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Checks a Trivy-format JSON report the way importers read it.

usage: check_trivy_import.py REPORT EXPECTED_FINDINGS

Trivy publishes no JSON Schema for its report, so this checks what
importers rely on (written from Trivy's report types, pkg/types/report.go,
and from reading DefectDojo's Trivy parser, dojo/tools/trivy/parser.py):
SchemaVersion 2; Results[] with Target, Class, Type; each vulnerability
with VulnerabilityID, PkgName, InstalledVersion and a Severity from
Trivy's five words; CweIDs shaped CWE-<n>; CVSS.<source>.V3Vector a
string and V3Score a number; References a list of strings; dates RFC 3339.
Prints the number of findings an importer would create; exit 1 on any
problem or when that number is not EXPECTED_FINDINGS.
"""
import json
import re
import sys

SEVERITIES = {"CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN"}
STATUSES = {"unknown", "not_affected", "affected", "fixed", "under_investigation",
            "will_not_fix", "fix_deferred", "end_of_life"}
DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        data = json.load(f)
    problems = []

    def need(cond, what):
        if not cond:
            problems.append(what)

    need(isinstance(data, dict) and data.get("SchemaVersion") == 2, "SchemaVersion is not 2")
    need(isinstance(data.get("ArtifactName"), str), "ArtifactName missing")
    need(data.get("ArtifactType") == "container_image", "ArtifactType is not container_image")
    need(isinstance(data.get("Metadata"), dict), "Metadata missing")
    found = 0
    for i, res in enumerate(data.get("Results") or []):
        where = f"Results[{i}]"
        need(isinstance(res, dict) and isinstance(res.get("Target"), str), f"{where}: Target")
        need(res.get("Class") in ("os-pkgs", "lang-pkgs"), f"{where}: Class {res.get('Class')!r}")
        need(isinstance(res.get("Type"), str), f"{where}: Type")
        for j, v in enumerate(res.get("Vulnerabilities") or []):
            w = f"{where}.Vulnerabilities[{j}]"
            for key in ("VulnerabilityID", "PkgName", "InstalledVersion"):
                need(isinstance(v.get(key), str) and v[key], f"{w}: {key}")
            need(v.get("Severity") in SEVERITIES, f"{w}: Severity {v.get('Severity')!r}")
            need(v.get("Status", "unknown") in STATUSES, f"{w}: Status {v.get('Status')!r}")
            for cwe in v.get("CweIDs", []):
                need(re.fullmatch(r"CWE-\d+", cwe) is not None, f"{w}: CweID {cwe!r}")
            for src, c in (v.get("CVSS") or {}).items():
                if "V3Vector" in c:
                    need(isinstance(c["V3Vector"], str), f"{w}: CVSS.{src}.V3Vector")
                if "V3Score" in c:
                    need(isinstance(c["V3Score"], (int, float)), f"{w}: CVSS.{src}.V3Score")
            refs = v.get("References", [])
            need(isinstance(refs, list) and all(isinstance(r, str) for r in refs), f"{w}: References")
            for key in ("PublishedDate", "LastModifiedDate"):
                if key in v:
                    need(DATE.match(v[key]) is not None, f"{w}: {key} {v[key]!r}")
            purl = (v.get("PkgIdentifier") or {}).get("PURL")
            need(purl is None or purl.startswith("pkg:"), f"{w}: PkgIdentifier.PURL")
            found += 1
    for p in problems:
        print(f"{argv[1]}: {p}", file=sys.stderr)
    print(f"{found} findings")
    if found != int(argv[2]):
        print(f"{argv[1]}: {found} findings, expected {argv[2]}", file=sys.stderr)
        return 1
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
