/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The package inventory of an image (the SBOM): what image it is, which
 * distribution, and every package with where it came from. Built by
 * dd_sbom_from_image(); written by the report module. All strings in a
 * struct dd_sbom live in its arena and die with dd_sbom_free().
 */
#ifndef DD_SBOM_H
#define DD_SBOM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dd/err.h"

struct dd_arena;
struct dd_registry_opts;

struct dd_layer_info {
	unsigned index;          /* 0 = base layer */
	const char *diff_id;     /* sha256 of the uncompressed tar */
	const char *digest;      /* blob digest as stored, NULL for dir: */
	const char *media_type;
	uint64_t size;           /* stored (compressed) size */
	const char *created_by;  /* from the config history, may be NULL */
};

struct dd_image_info {
	const char *transport;       /* "docker-archive", "oci", "oci-archive", "dir", "registry" */
	const char *reference;       /* as the user gave it */
	const char *name;            /* repo tag or ref name, may be NULL */
	const char *config_digest;   /* the image ID */
	const char *manifest_digest; /* NULL when the format has none */
	const char *os, *arch, *variant;
	const char *created;
	const char **repo_tags;
	size_t nrepo_tags;
	struct dd_layer_info *layers;
	size_t nlayers;
};

/* From os-release and friends. Fields are NULL when unknown. */
struct dd_distro {
	const char *id;          /* os-release ID: alpine, debian, ubuntu, rhel, rocky, ... */
	const char *id_like;
	const char *version_id;  /* "3.10.4", "12", "22.04", "9.3" */
	const char *version;     /* full: "12 (bookworm)", or /etc/debian_version "12.15" */
	const char *codename;    /* "bookworm" */
	const char *pretty_name;
};

enum dd_pkg_flags {
	DD_PKG_DEV = 1u << 0,        /* a development-only dependency */
	DD_PKG_OWNED_BY_OS = 1u << 1, /* files owned by an OS package (see owner) */
	/* Set by the matcher: no feed covered this package (unknown distro,
	 * or its namespace has no data in the DB). A rescan must not close
	 * such a package's findings as fixed. */
	DD_PKG_UNASSESSED = 1u << 2
};

struct dd_package {
	const char *type;            /* purl type: deb apk rpm pypi npm golang maven cargo gem composer nuget */
	const char *namespace_;      /* purl namespace: debian, alpine, redhat, npm scope, maven group */
	const char *name;
	const char *version;         /* as the ecosystem writes it; rpm: [E:]V-R */
	const char *arch;
	const char *source_name;     /* dpkg Source, apk origin, rpm source rpm name */
	const char *source_version;
	const char *license;
	const char *purl;
	const char *cataloger;       /* which cataloger found it */
	const char *location;        /* the file that records it */
	int layer;                   /* index into image.layers of its current version, -1 unknown */
	unsigned flags;              /* enum dd_pkg_flags (next to layer: no padding, 128 bytes in all) */
	const char *modularity;      /* rpm modularity label */
	const char *owner;           /* owning OS package for a language package */
	const char **files;          /* installed files, canonical paths */
	size_t nfiles;
};

struct dd_sbom {
	struct dd_image_info image;
	struct dd_distro distro;
	struct dd_package *pkgs;
	size_t npkgs, cap;
	const char **warnings;       /* partial success: "layer 2: ... skipped" */
	size_t nwarnings, wcap;
	struct dd_arena *arena;
};

struct dd_sbom *dd_sbom_new(void);
void dd_sbom_free(struct dd_sbom *s);

/* Copies *p (and every string and file it points to) into the SBOM. */
dd_code dd_sbom_add(struct dd_sbom *s, const struct dd_package *p, struct dd_err *err);
/* Makes room for n packages in all (a cataloger that knows how many it will
 * add), so that adding them does not grow the array step by step. DD_ENOMEM only. */
dd_code dd_sbom_reserve(struct dd_sbom *s, size_t n, struct dd_err *err);
/* Records a warning (copied); out of memory is sticky in the arena. */
void dd_sbom_warn(struct dd_sbom *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Drops the packages keep() says no to; the others keep their order.
 * keep() sees each package at its place in s->pkgs, before any moves. */
void dd_sbom_keep_if(struct dd_sbom *s, bool (*keep)(const struct dd_package *p, void *ud),
		     void *ud);
/* Sorts packages by (type, name, version, arch, location) so output diffs cleanly. */
void dd_sbom_sort(struct dd_sbom *s);

/* Options for reading an image. Zeroed means defaults. */
enum dd_image_flags {
	DD_IMAGE_NO_CACHE = 1u << 0,    /* neither read nor write the layer cache */
	DD_IMAGE_OS_ONLY = 1u << 1,     /* skip language catalogers */
	/* Leave OS packages (deb, apk, rpm) out of the result. Every cataloger
	 * still runs: the distro is still found, and the ownership rule still
	 * needs the OS packages to tell which language packages they own. */
	DD_IMAGE_LANG_ONLY = 1u << 2
};

struct dd_image_opts {
	const char *platform;   /* "os/arch[/variant]", default linux/amd64 */
	const char *cache_dir;  /* default $XDG_CACHE_HOME/drydock or ~/.cache/drydock */
	unsigned flags;         /* enum dd_image_flags */
	unsigned threads;       /* layer threads, 0 = number of CPUs; 1: and no helper thread per layer */
	/* Progress, called from the reading thread: done/total layers. */
	void (*progress)(void *ud, unsigned done, unsigned total, const char *what);
	void *progress_ud;
	/* registry: images: credentials, TLS, insecure hosts (dd/registry.h);
	 * NULL = defaults (docker config, system CAs, nothing insecure). */
	const struct dd_registry_opts *registry;
};

/* Opens IMAGE (transport:ref, or a bare path that is probed), reads its
 * layers and runs every cataloger. On DD_OK *out is the caller's. */
dd_code dd_sbom_from_image(const char *image, const struct dd_image_opts *opts,
			   struct dd_sbom **out, struct dd_err *err);

#endif
