/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers shared by the OS package catalogers (dpkg, apk, rpm) and the
 * parsers they are built on. The parsers are exported here, not in
 * include/dd/, because only catalog/, its tests and its fuzz targets call
 * them: each takes the file's canonical path (for messages), its bytes,
 * a record callback and an optional SBOM that receives warnings for
 * skipped records ("var/lib/dpkg/status: line 12: ...").
 *
 * Layer attribution: a package database file (dpkg status, apk installed,
 * rpmdb) is rewritten by every layer that installs or removes anything, so
 * the layer of the file is not the layer of each package. The fs view keeps
 * the versions lower layers wrote (dd_fs_file.lower); a package's layer is
 * the lowest layer of the unbroken run of versions, counted down from the
 * top one, that all still hold the same package key (name, version, arch).
 * See docs/internals/catalog.md.
 */
#ifndef DD_OS_PKGDB_H
#define DD_OS_PKGDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dd/sbom.h"
#include "image/fs.h"
#include "util/map.h"

struct dd_arena;

/* ---- layer attribution --------------------------------------------------- */

/* Adds the key of every package in one version of a database file to keys
 * (values are unused). Parsers run without warnings here. */
typedef dd_code (*dd_pkgdb_keys_fn)(const char *path, const unsigned char *data, size_t n,
				    struct dd_map *keys, struct dd_err *err);

struct dd_layer_chain {
	int top;             /* layer of the version catalogued */
	size_t n;
	struct dd_layer_keys {
		int layer;
		struct dd_map keys;
	} *v;                /* v[0] = top->lower, v[1] = its lower, ... */
};

/* Parses every lower version of top with fn. A lower version without
 * content (not kept) or that fails to parse ends the chain there. */
dd_code dd_layer_chain_build(const struct dd_fs_file *top, dd_pkgdb_keys_fn fn,
			     struct dd_layer_chain *c, struct dd_err *err);
/* The layer that introduced key: top's layer, lowered while the next lower
 * version still has the key. */
int dd_layer_chain_find(const struct dd_layer_chain *c, const char *key, size_t klen);
void dd_layer_chain_release(struct dd_layer_chain *c);

/* "name\x1fversion\x1farch" into buf (truncated safely); returns length. */
size_t dd_pkgdb_key(char *buf, size_t cap, const char *name, const char *version,
		    const char *arch);

/* The two uses of the key, for every package-database cataloger: record
 * (name, version, arch) in the keys map of a dd_pkgdb_keys_fn (returns
 * DD_ENOMEM only), and the layer that introduced it (dd_layer_chain_find). */
dd_code dd_pkgdb_key_add(struct dd_map *keys, const char *name, const char *version,
			 const char *arch);
int dd_pkgdb_layer_of(const struct dd_layer_chain *c, const char *name, const char *version,
		      const char *arch);

/* purl "distro" qualifier, "<id>-<version_id>" (e.g. "debian-12",
 * "alpine-3.10.4"), or NULL when either is unknown. */
const char *dd_pkgdb_distro_qualifier(struct dd_arena *a, const struct dd_distro *d);

/* Canonical form of an absolute path from a file list into the arena;
 * NULL for the root itself or on an over-long / NUL-carrying name. */
const char *dd_pkgdb_clean_path(struct dd_arena *a, const char *p, size_t n);

/* ---- os-release and friends (distro.c) ----------------------------------- */

/* Parses an os-release file (os-release(5): KEY=VALUE lines, shell-style
 * quoting) into d; strings in a. Unknown keys are ignored; malformed lines
 * are warned about on sbom (may be NULL). */
dd_code dd_os_release_parse(const char *path, const unsigned char *data, size_t n,
			    struct dd_distro *d, struct dd_arena *a, struct dd_sbom *sbom,
			    struct dd_err *err);

/* ---- dpkg (dpkg_status.c) ------------------------------------------------ */

struct dd_dpkg_rec {
	const char *name, *version, *arch;
	const char *source_name, *source_version; /* defaulted to name/version */
	const char *status;      /* as written, NULL when absent */
	unsigned line;           /* first line of the stanza */
};

/* Calls fn for every stanza that describes a package whose files are on
 * disk (see dd_dpkg_status_present). status_optional: a stanza without
 * Status counts as installed (distroless status.d files). Strings passed
 * to fn live until fn returns. Callbacks here and below return DD_OK to go
 * on; any other code stops the parse and is returned (out of memory). */
dd_code dd_dpkg_parse(const char *path, const unsigned char *data, size_t n,
		      bool status_optional, dd_code (*fn)(const struct dd_dpkg_rec *r, void *ud),
		      void *ud, struct dd_sbom *warn, struct dd_err *err);

/* Present on disk per dpkg(1) package states: installed, half-installed,
 * unpacked, half-configured, triggers-awaited, triggers-pending. Not for
 * not-installed or config-files. -1 when the Status value is malformed. */
int dd_dpkg_status_present(const char *status, size_t n);

/* ---- apk (apk_installed.c) ----------------------------------------------- */

struct dd_apk_rec {
	const char *name, *version, *arch, *origin, *license;
	const char **files;      /* canonical paths */
	size_t nfiles;
	unsigned line;
};

dd_code dd_apk_parse(const char *path, const unsigned char *data, size_t n,
		     dd_code (*fn)(const struct dd_apk_rec *r, void *ud), void *ud,
		     struct dd_sbom *warn, struct dd_err *err);

/* ---- rpm (rpm_header.c, rpm_bdb.c, rpm_ndb.c, rpm_sqlite.c) --------------- */

struct dd_rpm_hdr {
	const char *name, *version, *release, *arch, *sourcerpm, *license, *modularity;
	uint32_t epoch;
	bool has_epoch;
	const char **files;      /* canonical paths */
	size_t nfiles;
};

/* Decodes an rpm header blob as stored in the rpmdb (no lead, no magic:
 * index count, data length, index entries, data store). Strings in a. */
dd_code dd_rpm_header_parse(const unsigned char *blob, size_t n, bool want_files,
			    struct dd_rpm_hdr *h, struct dd_arena *a, struct dd_err *err);

/* Every header blob of a database, in storage order. The blob
 * pointer lives until fn returns. `where` is "page 12", "slot 3", ... for
 * messages. A container-level error (not a database of this kind, bad
 * meta page) is returned; a bad single record is warned on sbom. */
typedef dd_code (*dd_rpm_blob_fn)(const unsigned char *blob, size_t n, const char *where, void *ud);
dd_code dd_rpm_bdb_each(const char *path, const unsigned char *data, size_t n, dd_rpm_blob_fn fn,
			void *ud, struct dd_sbom *warn, struct dd_err *err);
dd_code dd_rpm_ndb_each(const char *path, const unsigned char *data, size_t n, dd_rpm_blob_fn fn,
			void *ud, struct dd_sbom *warn, struct dd_err *err);
dd_code dd_rpm_sqlite_each(const char *path, const unsigned char *data, size_t n,
			   dd_rpm_blob_fn fn, void *ud, struct dd_sbom *warn, struct dd_err *err);

#endif
