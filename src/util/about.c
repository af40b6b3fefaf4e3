/* SPDX-License-Identifier: Apache-2.0 */
/* Build identity for --version and for reports' tool metadata. */
#include "dd/dd.h"

const char *dd_version_string(void)
{
	return DD_VERSION;
}
