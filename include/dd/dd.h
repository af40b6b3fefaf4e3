/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drydock public API, the umbrella header. cli/ and outside users include
 * only headers from include/dd/.
 */
#ifndef DD_DD_H
#define DD_DD_H

#include "dd/err.h"
#include "dd/log.h"
#include "dd/sbom.h"

/* "0.1.0" */
const char *dd_version_string(void);

#endif
