/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The ownership pass, run by dd_catalog_run() after every cataloger: a
 * language package whose file (its `location`) an OS package lists among
 * its installed files gets `owner` = that OS package's name. Interpreted
 * packages (pypi, npm, gem, composer, maven, nuget) are also marked
 * DD_PKG_OWNED_BY_OS: the distribution patches them in place and its own
 * feed decides, so the matcher skips them (they stay in the SBOM, with
 * their language identity). Statically linked artefacts (golang, cargo)
 * keep being matched; owner only names the OS package for the report.
 * docs/internals/catalog-lang.md explains the rule.
 */
#ifndef DD_CATALOG_OWNERSHIP_H
#define DD_CATALOG_OWNERSHIP_H

#include "dd/sbom.h"

/* True for purl types of OS package managers (deb, apk, rpm). */
bool dd_catalog_is_os_type(const char *type);

/* Applies the rule to every package of s. DD_ENOMEM only. */
dd_code dd_catalog_ownership(struct dd_sbom *s, struct dd_err *err);

#endif
