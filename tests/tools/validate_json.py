#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Validates a JSON document against a JSON Schema with python3-jsonschema.

usage: validate_json.py SCHEMA DOCUMENT [EXTRA_SCHEMA ...]

EXTRA_SCHEMA files are schemas SCHEMA refers to ($ref); each is registered
under its own $id and under its file name relative to SCHEMA's $id, so the
CycloneDX schema finds spdx.schema.json and jsf-0.82.schema.json locally and
nothing is fetched from the network. The draft is taken from SCHEMA's
$schema. Formats (date-time, uri, ...) are checked where jsonschema has a
checker installed. Exit 0 valid, 1 invalid (every error printed), 2 usage.
"""
import copy
import json
import os
import re
import sys
import warnings

import jsonschema

# RFC 3339 §5.6 date-time. Debian 12's jsonschema checks "date-time" only
# with rfc3339-validator, which Debian does not package; this is ours.
RFC3339 = re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt]"
                     r"([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?"
                     r"([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$")


def format_checker(cls):
    checker = copy.deepcopy(cls.FORMAT_CHECKER)
    if "date-time" not in checker.checkers:
        checker.checks("date-time")(lambda v: not isinstance(v, str) or bool(RFC3339.match(v)))
    return checker


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    with open(argv[2], encoding="utf-8") as f:
        doc = json.load(f)
    base = schema.get("$id") or schema.get("id") or ""
    store = {}
    for path in argv[3:]:
        with open(path, encoding="utf-8") as f:
            extra = json.load(f)
        sid = extra.get("$id") or extra.get("id")
        if sid:
            store[sid] = extra
        name = os.path.basename(path)
        if base:
            store[base.rsplit("/", 1)[0] + "/" + name] = extra
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    with warnings.catch_warnings():
        # Newer jsonschema deprecates RefResolver; Debian 12's (4.10) has
        # nothing else, and it still works in both.
        warnings.simplefilter("ignore", DeprecationWarning)
        resolver = jsonschema.RefResolver(base_uri=base, referrer=schema, store=store)
    validator = cls(schema, resolver=resolver, format_checker=format_checker(cls))
    checked = sorted(validator.format_checker.checkers)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    for e in errors:
        where = "/".join(str(p) for p in e.absolute_path) or "(root)"
        print(f"{argv[2]}: {where}: {e.message}", file=sys.stderr)
    if errors:
        print(f"{argv[2]}: {len(errors)} error(s) against {argv[1]}", file=sys.stderr)
        return 1
    print(f"{os.path.basename(argv[2])}: valid against {os.path.basename(argv[1])} ({cls.__name__}; formats checked: {', '.join(checked)})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
