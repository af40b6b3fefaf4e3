#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Derives a "rebuilt" image from the real alpine-310 docker-archive: the
same base layer (byte for byte, same diff_id) plus one layer that rewrites
lib/apk/db/installed with newer versions of some packages, as `apk upgrade`
would record them. Writes a docker-archive (docker save layout) to OUT.
usage: lib-derive-alpine.py ALPINE.docker.tar.gz OUT.tar NAME=VERSION...
"""
import gzip, hashlib, io, json, sys, tarfile

src, out, upgrades = sys.argv[1], sys.argv[2], dict(a.split("=", 1) for a in sys.argv[3:])
with tarfile.open(src) as t:
    manifest = json.load(t.extractfile("manifest.json"))[0]
    config = json.load(t.extractfile(manifest["Config"]))
    base = t.extractfile(manifest["Layers"][0]).read()
with tarfile.open(fileobj=io.BytesIO(base)) as lt:
    installed = lt.extractfile("lib/apk/db/installed").read().decode()

# One record per blank-line-separated stanza; P: name, V: version.
stanzas, changed = installed.split("\n\n"), 0
for i, st in enumerate(stanzas):
    lines = st.split("\n")
    name = next((l[2:] for l in lines if l.startswith("P:")), None)
    if name in upgrades:
        stanzas[i] = "\n".join("V:" + upgrades[name] if l.startswith("V:") else l for l in lines)
        changed += 1
assert changed == len(upgrades), "a package to upgrade is not installed"
new_db = "\n\n".join(stanzas).encode()

layer = io.BytesIO()
with tarfile.open(fileobj=layer, mode="w", format=tarfile.PAX_FORMAT) as lt:
    for d in ("lib", "lib/apk", "lib/apk/db"):
        ti = tarfile.TarInfo(d); ti.type = tarfile.DIRTYPE; ti.mode = 0o755; lt.addfile(ti)
    ti = tarfile.TarInfo("lib/apk/db/installed"); ti.size = len(new_db); ti.mode = 0o644
    lt.addfile(ti, io.BytesIO(new_db))
layer = layer.getvalue()

diff_ids = [config["rootfs"]["diff_ids"][0], "sha256:" + hashlib.sha256(layer).hexdigest()]
config["rootfs"]["diff_ids"] = diff_ids
config["history"] = config.get("history", []) + [{"created_by": "apk upgrade " + " ".join(sorted(upgrades))}]
cfg = json.dumps(config).encode()
cfg_name = hashlib.sha256(cfg).hexdigest() + ".json"
with tarfile.open(out, "w") as o:
    def add(name, data):
        ti = tarfile.TarInfo(name); ti.size = len(data); ti.mode = 0o644
        o.addfile(ti, io.BytesIO(data))
    add("base/layer.tar", base)
    add("upgrade/layer.tar", layer)
    add(cfg_name, cfg)
    add("manifest.json", json.dumps([{"Config": cfg_name, "RepoTags": ["alpine:3.10-rebuilt"],
                                      "Layers": ["base/layer.tar", "upgrade/layer.tar"]}]).encode())
