/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The declared-and-installed fold, run by dd_catalog_run() after the
 * ownership pass. In a dir: scan of a project that has been installed
 * (npm install, a virtualenv inside the project, bundle install --path,
 * composer install, a binary built in it), the lockfile declares the same
 * packages the installed tree holds, and reporting both reported every
 * vulnerable package twice. A package that a lockfile or go.mod declares
 * is left out when a package of the same type, name and version was found
 * installed below the lockfile's directory: the installed one stays, since
 * it names the file on disk, and takes the declared one's dev flag. A
 * declared version the installed tree does not have (out of sync, or an
 * optional package for another platform) stays. Trivy's filesystem scan
 * reads only the lockfile (node_modules for licenses only); we read both,
 * and fold.
 * docs/internals/catalog-lang.md, "Lockfiles".
 */
#ifndef DD_CATALOG_DECLARED_H
#define DD_CATALOG_DECLARED_H

#include "dd/sbom.h"

/* Whether packages reported by this cataloger name (dd_package.cataloger)
 * come from a lockfile or go.mod: the catalogers that run in dir: scans
 * only. test_declared.c checks that the list covers every such cataloger. */
bool dd_catalog_declares(const char *cataloger);

/* Folds the packages of s. DD_ENOMEM only. */
dd_code dd_catalog_fold_declared(struct dd_sbom *s, struct dd_err *err);

#endif
